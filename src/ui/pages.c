#include "okdf/ui/pages.h"

#include <stdio.h>
#include <stdlib.h>

#include "okdf/core/hours.h"
#include "okdf/core/metrics.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/hours.h"
#include "okdf/ui/app.h"
#include "okdf/ui/format.h"

void pages_hours(ui_app *app, const char *window)
{
	const char *tz = app->model.timezone[0] ? app->model.timezone : "UTC";
	okdf_err e = { 0 };
	metrics_window w;
	hours_operator *ops = NULL;
	manual_hours_row *rows = NULL;
	int n = 0, nr = 0;
	int rc = metrics_window_parse(window, tz, app->model.now, &w, &e);
	if (!rc)
		rc = hours_by_operator(app->db, w.from, w.to, &ops, &n, &e);
	if (!rc)
		rc = manual_hours_list(app->db, w.from, w.to, &rows, &nr, &e);
	if (rc) {
		app_message(app, ROLE_ERROR, "hours: %s", e.msg);
		free(ops);
		return;
	}
	ui_pager *pg = &app->pager;
	pager_reset(pg, "");
	snprintf(pg->title, sizeof pg->title, "Operator hours, %s (%s), h:mm", w.spec, tz);
	pager_addf(pg, ROLE_DIM, 0, "Console-active time and manual entries, their union per "
		"operator. :hours add 1:30 [--date D] [--note T] adds, :hours rm ID removes.");
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "%-24s %9s %9s %9s", "operator", "console", "manual",
		"total");
	for (int i = 0; i < n; i++) {
		char c[24], m[24], t[24], name[64];
		format_hours(ops[i].console_seconds, c, sizeof c);
		format_hours(ops[i].manual_seconds, m, sizeof m);
		format_hours(ops[i].total_seconds, t, sizeof t);
		screen_clean(&app->scr, ops[i].name, name, sizeof name);
		pager_addf(pg, ROLE_NORMAL, 0, "%-24.24s %9s %9s %9s", name, c, m, t);
	}
	if (n == 0)
		pager_addf(pg, ROLE_DIM, 0, "no hours in this window");
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "%6s  %-10s  %-16s %6s  %s", "id", "day", "operator", "h:mm",
		"note");
	for (int i = 0; i < nr; i++) {
		okdf_date d;
		char day[16] = "?", h[24], name[64], line[128];
		if (tz_date_of(tz, rows[i].started_at, &d, &e) == OKDF_OK)
			date_format(d, day, sizeof day);
		format_hours(rows[i].seconds, h, sizeof h);
		screen_clean(&app->scr, rows[i].operator_name, name, sizeof name);
		snprintf(line, sizeof line, "%6lld  %-10s  %-16.16s %6s  ", rows[i].id, day, name, h);
		pager_add_untrusted(pg, &app->scr, ROLE_NORMAL, 0, line, rows[i].note);
	}
	if (nr == 0)
		pager_addf(pg, ROLE_DIM, 0, "no manual entries in this window");
	free(ops);
	free(rows);
	app_show_page(app);
}

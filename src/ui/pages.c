#include "okdf/ui/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/hours.h"
#include "okdf/core/metrics.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/hours.h"
#include "okdf/ui/format.h"
#include "app_private.h"

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

static const okdf_connector_config *connector_conf(const okdf_config *cfg, const char *name)
{
	return strcmp(name, "shopify") == 0 ? &cfg->shopify : strcmp(name, "klaviyo") == 0
		? &cfg->klaviyo : strcmp(name, "meta") == 0 ? &cfg->meta
		: strcmp(name, "relevance") == 0 ? &cfg->relevance : NULL;
}

static enum theme_role state_role(const char *state)
{
	return strcmp(state, HEALTH_OK) == 0 ? ROLE_GOOD : strcmp(state, HEALTH_SYNCING) == 0
		? ROLE_NORMAL : strcmp(state, HEALTH_THROTTLED) == 0 ? ROLE_WARNING
		: strcmp(state, HEALTH_UNAUTHORISED) == 0 ? ROLE_CRITICAL : ROLE_BAD;
}

void pages_health_fill(ui_app *app)
{
	ui_pager *pg = &app->pager;
	const ui_model *m = &app->model;
	pager_reset(pg, "Connector health (r: sync now)");
	if (app->opt.sync_note)
		pager_addf(pg, ROLE_DIM, 0, "sync: %s", app->opt.sync_note);
	if (m->n_health == 0)
		pager_addf(pg, ROLE_DIM, 0, "no connector has run yet (none configured, or the "
			"first pass has not started)");
	for (int i = 0; i < m->n_health; i++) {
		const store_health *h = &m->health[i];
		char when[96], line[160];
		pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
		/* Upper case for the state word: it reads without colour too. */
		pager_addf(pg, state_role(h->state), 0, "%-10s %s", h->connector, h->state);
		if (h->last_success_at)
			format_local_time(m->timezone, h->last_success_at, m->now, when, sizeof when);
		else
			snprintf(when, sizeof when, "never: its panels show no data yet");
		pager_addf(pg, h->last_success_at ? ROLE_NORMAL : ROLE_WARNING, 2,
			"last success    %s", when);
		pager_addf(pg, ROLE_NORMAL, 2, "last pass       %lld rows written, %lld throttle "
			"waits", h->rows, h->throttle_waits);
		if (h->interval_seconds > 0)
			pager_addf(pg, ROLE_NORMAL, 2, "interval        every %d s", h->interval_seconds);
		const okdf_connector_config *cc = app->opt.cfg ? connector_conf(app->opt.cfg,
			h->connector) : NULL;
		if (cc && cc->api_version[0])
			pager_addf(pg, ROLE_NORMAL, 2, "API version     %s%s", cc->api_version,
				strcmp(h->connector, "shopify") == 0 ? " (the served version is checked "
				"against it on every call)" : " (requested)");
		if (h->last_error_at) {
			/* The error in full, on its own lines under the label. */
			enum theme_role role = h->last_success_at > h->last_error_at ? ROLE_DIM : ROLE_BAD;
			format_local_time(m->timezone, h->last_error_at, m->now, when, sizeof when);
			snprintf(line, sizeof line, "last error      %s%s", when,
				h->last_success_at > h->last_error_at ? " (recovered since)" : "");
			pager_addf(pg, role, 2, "%s", line);
			pager_add_untrusted(pg, &app->scr, role, 18, "", h->last_error);
		} else {
			pager_addf(pg, ROLE_DIM, 2, "last error      none");
		}
	}
}

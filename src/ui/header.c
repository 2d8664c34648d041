#include "okdf/ui/header.h"

#include <stdio.h>
#include <string.h>

#include "okdf/core/timeutil.h"
#include "okdf/ui/app.h"
#include "okdf/ui/text.h"

void header_age(long long now, long long then, char *buf, size_t n)
{
	long long d = now - then;
	if (then <= 0)
		snprintf(buf, n, "never");
	else if (d < 60)
		snprintf(buf, n, "<1m");
	else if (d < 3600)
		snprintf(buf, n, "%lldm", d / 60);
	else if (d < 86400)
		snprintf(buf, n, "%lldh", d / 3600);
	else
		snprintf(buf, n, "%lldd", d / 86400);
}

/* The marker and role of a connector's state; NULL marker when healthy. */
static const char *state_marker(const char *state, enum theme_role *role)
{
	*role = ROLE_HEADER;
	if (strcmp(state, "throttled") == 0)
		return *role = ROLE_WARNING, "throttled";
	if (strcmp(state, "failing") == 0)
		return *role = ROLE_BAD, "failing";
	if (strcmp(state, "unauthorised") == 0)
		return *role = ROLE_CRITICAL, "unauthorised";
	return NULL;
}

void header_draw(ui_app *app)
{
	ui_screen *scr = &app->scr;
	ui_model *m = &app->model;
	WINDOW *w = app->header;
	int cols = getmaxx(w);
	wbkgdset(w, ' ' | scr->attr[ROLE_HEADER]);
	werase(w);
	char shop[160], clock[40] = "";
	if (m->have_shop) {
		char name[128];
		screen_clean(scr, m->shop_name, name, sizeof name);
		snprintf(shop, sizeof shop, " %s  %s", name[0] ? name : "(unnamed shop)", m->currency);
		char iso[40];
		okdf_err e = { 0 };
		/* "2026-11-26T12:06:41-05:00" -> "2026-11-26 12:06" */
		if (time_format_local(m->now, m->timezone, iso, sizeof iso, &e) == OKDF_OK &&
			strlen(iso) >= 16) {
			iso[10] = ' ';
			iso[16] = '\0';
			char tz[64];
			screen_clean(scr, m->timezone, tz, sizeof tz);
			snprintf(clock, sizeof clock, "%s %s", iso, tz);
		}
	} else {
		snprintf(shop, sizeof shop, " okdf  (no shop synced yet)");
	}
	int x = screen_put(scr, w, 0, 0, cols / 2, shop, ROLE_HEADER);
	x += 2;
	if (clock[0])
		x += screen_put(scr, w, 0, x, cols - x, clock, ROLE_HEADER) + 2;

	/* Sync health, right-aligned; names shortened when the line is full. */
	char items[MODEL_MAX_CONNECTORS][96];
	enum theme_role roles[MODEL_MAX_CONNECTORS];
	int n = m->n_health;
	for (int pass = 0; pass < 2; pass++) {
		int total = 0;
		for (int i = 0; i < n; i++) {
			const ui_health *h = &m->health[i];
			char age[16], name[32];
			header_age(m->now, h->last_success_at, age, sizeof age);
			screen_clean(scr, h->connector, name, sizeof name);
			if (pass == 1)
				name[4] = '\0';
			const char *mark = state_marker(h->state, &roles[i]);
			snprintf(items[i], sizeof items[i], "%s %s%s%s%s", name, age,
				mark ? " " : "", mark ? scr->g->marker : "", mark ? mark : "");
			total += text_width(items[i]) + 2;
		}
		if (x + total <= cols || pass == 1) {
			int rx = cols - total;
			if (rx < x)
				rx = x;
			for (int i = 0; i < n && rx < cols; i++)
				rx += screen_put(scr, w, 0, rx, cols - rx, items[i], roles[i]) + 2;
			break;
		}
	}
	if (n == 0) {
		const char *s = app->opt.sync_note ? app->opt.sync_note : "sync: no connector yet";
		int len = text_width(s);
		if (x + len + 1 <= cols)
			screen_put(scr, w, 0, cols - len - 1, len, s, ROLE_HEADER);
	}
}

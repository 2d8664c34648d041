#include "okdf/ui/header.h"

#include <stdio.h>
#include <string.h>

#include "okdf/core/text.h"
#include "okdf/core/timeutil.h"
#include "app_private.h"

/* Connectors shown (four exist). */
#define HEADER_MAX_CONNECTORS 8

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
static const char *state_marker(const char *state, const char *warning, enum theme_role *role)
{
	*role = ROLE_HEADER;
	if (strcmp(state, HEALTH_OK) == 0 && warning[0])
		return *role = ROLE_WARNING, "warning";
	if (strcmp(state, HEALTH_THROTTLED) == 0)
		return *role = ROLE_WARNING, "throttled";
	if (strcmp(state, HEALTH_FAILING) == 0)
		return *role = ROLE_BAD, "failing";
	if (strcmp(state, HEALTH_UNAUTHORISED) == 0)
		return *role = ROLE_CRITICAL, "unauthorised";
	return NULL;
}

/* Writes every connector's "name age [!state]" into items, names cut to
 * name_len and markers to mark_len; returns the total width with gaps. */
static int health_items(ui_app *app, char items[][96], enum theme_role *roles,
	int name_len, int mark_len)
{
	ui_model *m = &app->model;
	int total = 0;
	for (int i = 0; i < m->n_health && i < HEADER_MAX_CONNECTORS; i++) {
		const store_health *h = &m->health[i];
		char age[16], name[32], mark[16] = "";
		header_age(m->now, h->last_success_at, age, sizeof age);
		screen_clean(&app->scr, h->connector, name, sizeof name);
		name[name_len < (int)sizeof name ? name_len : (int)sizeof name - 1] = '\0';
		const char *word = state_marker(h->state, h->warning, &roles[i]);
		if (word)
			snprintf(mark, sizeof mark, " !%.*s", mark_len, word);
		snprintf(items[i], 96, "%s %s%s", name, age, mark);
		total += text_width(items[i]) + 2;
	}
	return total;
}

void header_draw(ui_app *app)
{
	ui_screen *scr = &app->scr;
	ui_model *m = &app->model;
	WINDOW *w = app->win.header;
	int cols = getmaxx(w);
	wbkgdset(w, ' ' | scr->attr[ROLE_HEADER]);
	werase(w);
	char shop[160], clock[40] = "", tz[64] = "";
	if (m->have_shop) {
		char name[128];
		screen_clean(scr, m->shop_name, name, sizeof name);
		snprintf(shop, sizeof shop, " %s  %s", name[0] ? name : "(unnamed shop)", m->currency);
		okdf_err e = { 0 };
		/* "2026-11-26T12:06:41-05:00" -> "2026-11-26 12:06" */
		if (time_format_local(m->now, m->timezone, clock, sizeof clock, &e) == OKDF_OK &&
			strlen(clock) >= 16) {
			clock[10] = ' ';
			clock[16] = '\0';
		} else {
			clock[0] = '\0';
		}
		screen_clean(scr, m->timezone, tz, sizeof tz);
	} else {
		snprintf(shop, sizeof shop, " okdf  (no shop synced yet)");
	}
	int x = screen_put(scr, w, 0, 0, cols / 2, shop, ROLE_HEADER) + 2;
	if (clock[0])
		x += screen_put(scr, w, 0, x, cols - x, clock, ROLE_HEADER) + 1;

	/* Sync health, right-aligned: full names, then shorter names and
	 * markers, then the timezone left out, until it fits. */
	char items[HEADER_MAX_CONNECTORS][96];
	enum theme_role roles[HEADER_MAX_CONNECTORS];
	int tz_w = text_width(tz) + 1;
	int total = health_items(app, items, roles, 31, 15);
	if (x + tz_w + total > cols)
		total = health_items(app, items, roles, 4, 4);
	if (x + tz_w + total <= cols)
		x += screen_put(scr, w, 0, x, cols - x, tz, ROLE_HEADER) + 1;
	if (m->n_health == 0) {
		const char *s = app->opt.sync_note ? app->opt.sync_note : "sync: no connector yet";
		int len = text_width(s);
		if (x + len + 1 <= cols)
			screen_put(scr, w, 0, cols - len - 1, len, s, ROLE_HEADER);
		return;
	}
	int rx = cols - total;
	/* Workers in another process: say so when there is room. */
	const char *note = app->opt.sync_note;
	if (note && rx - text_width(note) - 2 >= x)
		screen_put(scr, w, 0, rx - text_width(note) - 2, text_width(note), note, ROLE_HEADER);
	if (rx < x)
		rx = x;
	for (int i = 0; i < m->n_health && i < HEADER_MAX_CONNECTORS && rx < cols; i++)
		rx += screen_put(scr, w, 0, rx, cols - rx, items[i], roles[i]) + 2;
}

/* Panel 1: the 11 phases, one row each: number, title, status, checks passed. */
#include <stdio.h>
#include <string.h>

#include "panels_private.h"

static const ui_keyhint phases_hints[] = {
	{ "Enter", "walkthrough", "Open the walkthrough at the selected phase" },
	{ NULL, NULL, NULL },
};

static int phases_total(const ui_panel_ctx *cx)
{
	return cx->model->phases ? (int)cx->catalog->n : 0;
}

static int phases_matches(ui_panel *p, const ui_panel_ctx *cx, int row, const char *filter)
{
	(void)p;
	return panel_text_matches(cx->catalog->phases[row].title, filter);
}

static int phases_count(ui_panel *p, const ui_panel_ctx *cx)
{
	return panel_filtered_count(p, cx, phases_total(cx));
}

/* "done", "in progress", "blocked by N", "not started" and its role. */
static enum theme_role status_text(const phase_view *v, char *buf, size_t n)
{
	switch (v->status) {
	case PHASE_DONE:
		snprintf(buf, n, "done");
		return ROLE_GOOD;
	case PHASE_IN_PROGRESS:
		snprintf(buf, n, "in progress");
		return ROLE_ACCENT;
	case PHASE_BLOCKED:
		snprintf(buf, n, "blocked by %d", v->blocked_by);
		return ROLE_WARNING;
	default:
		snprintf(buf, n, "not started");
		return ROLE_DIM;
	}
}

static void phases_draw(ui_panel *p, const ui_panel_ctx *cx)
{
	ui_screen *scr = cx->scr;
	WINDOW *w = p->win;
	int inner = getmaxx(w) - 2, rows = panel_visible_rows(p);
	if (!cx->model->phases) {
		screen_put(scr, w, 1, 2, inner - 2, "phases not evaluated (see the log)", ROLE_DIM);
		return;
	}
	int total = phases_total(cx), count = phases_count(p, cx);
	int focused = cx->focused;
	for (int r = 0; r < rows && p->top + r < count; r++) {
		int idx = panel_filtered_index(p, cx, total, p->top + r);
		const phase_view *v = &cx->model->phases[idx];
		const phase_def *d = v->def;
		int passed = 0;
		for (size_t c = 0; c < d->n_checks; c++)
			passed += v->checks[c].state == CHECK_PASS;
		char status[32], checks[16], title[256];
		enum theme_role role = status_text(v, status, sizeof status);
		snprintf(checks, sizeof checks, "%d/%zu", passed, d->n_checks);
		screen_clean(scr, d->title, title, sizeof title);
		int sel = focused && p->top + r == p->selected;
		int y = 1 + r;
		if (sel) {
			wattrset(w, scr->attr[ROLE_CURSOR]);
			mvwhline(w, y, 1, ' ', inner);
		}
		/* Columns: number, title, status (13: "blocked by 10"), checks (5). */
		int status_x = inner - 18;
		screen_putf(scr, w, y, 1, 3, sel ? ROLE_CURSOR : ROLE_DIM, "%2d", d->number);
		screen_put(scr, w, y, 4, status_x - 5, title, sel ? ROLE_CURSOR : ROLE_NORMAL);
		screen_put(scr, w, y, status_x, 13, status, sel ? ROLE_CURSOR : role);
		screen_putf(scr, w, y, inner - 4, 5, sel ? ROLE_CURSOR
			: passed == (int)d->n_checks ? ROLE_GOOD : ROLE_NORMAL, "%5s", checks);
	}
	if (count == 0)
		screen_put(scr, w, 1, 2, inner - 2, "no phase matches the filter", ROLE_DIM);
}

static int phases_key(ui_panel *p, const ui_panel_ctx *cx, int key, ui_reaction *out)
{
	if (key != '\n' && key != KEY_ENTER)
		return PANEL_IGNORED;
	int idx = panel_filtered_index(p, cx, phases_total(cx), p->selected);
	if (idx < 0)
		return PANEL_HANDLED;
	ui_action a = { .kind = ACT_WALKTHROUGH, .phase = cx->catalog->phases[idx].number };
	action_request(&a, &out->req);
	return PANEL_REQUEST;
}

const ui_panel_class panel_phases_class = {
	.title = "Phases",
	.hints = phases_hints,
	.count = phases_count,
	.draw = phases_draw,
	.key = phases_key,
	.matches = phases_matches,
};

#include "okdf/ui/walkthrough.h"

#include <stdio.h>
#include <string.h>

#include "okdf/core/timeutil.h"
#include "okdf/ui/app.h"

const ui_keyhint walkthrough_hints[] = {
	{ "n/p", "next/prev", "Next / previous phase (also l/h and the arrow keys)" },
	{ "j/k", "sign-off", "Select a sign-off" },
	{ "Enter", "sign off", "Give the selected sign-off (asks y/N)" },
	{ "c", "complete", "Complete the phase; when refused, asks for an override reason" },
	{ "o", "reopen", "Reopen a completed phase (asks y/N)" },
	{ NULL, NULL, NULL },
};

void walkthrough_open(ui_app *app, int phase)
{
	ui_walkthrough *wt = &app->walk;
	int n = (int)app->catalog->n;
	if (phase < 0) {
		phase = 0;
		while (app->model.phases && phase < n - 1 &&
			app->model.phases[phase].status == PHASE_DONE)
			phase++;
	}
	wt->phase = phase < n ? phase : n - 1;
	wt->cursor = 1;
	wt->top = 0;
	app->view = VIEW_WALK;
	app->dirty |= DIRTY_ALL;
}

void walkthrough_free(ui_walkthrough *wt)
{
	pager_free(&wt->page);
}

static const char *status_words(const phase_view *v, char *buf, size_t n)
{
	switch (v->status) {
	case PHASE_DONE: return "done";
	case PHASE_IN_PROGRESS: return "in progress";
	case PHASE_BLOCKED:
		snprintf(buf, n, "blocked by %d", v->blocked_by);
		return buf;
	default: return "not started";
	}
}

static void when(ui_app *app, long long t, char *buf, size_t n)
{
	okdf_err e = { 0 };
	const char *tz = app->model.timezone[0] ? app->model.timezone : "UTC";
	if (time_format_zone(t, tz, buf, n, &e) != OKDF_OK)
		snprintf(buf, n, "%lld", t);
}

static void build(ui_app *app, ui_pager *pg)
{
	const ui_screen *scr = &app->scr;
	const phase_catalog *cat = app->catalog;
	ui_walkthrough *wt = &app->walk;
	const phase_def *d = &cat->phases[wt->phase];
	char title[300], buf[32];
	screen_clean(scr, d->title, title, sizeof title);
	pager_reset(pg, "");
	snprintf(pg->title, sizeof pg->title, "Walkthrough: phase %d of %zu: %.100s", d->number,
		cat->n, title);
	if (!app->model.phases) {
		pager_addf(pg, ROLE_ERROR, 0, "The phases could not be evaluated: %s",
			app->model.error);
		return;
	}
	const phase_view *v = &app->model.phases[wt->phase];
	pager_addf(pg, v->status == PHASE_DONE ? ROLE_GOOD : ROLE_ACCENT, 0, "Status: %s",
		status_words(v, buf, sizeof buf));
	if (v->completed) {
		char t[40];
		when(app, v->completed_at, t, sizeof t);
		pager_addf(pg, ROLE_GOOD, 2, "completed %s by %s", t, v->completed_by);
		if (v->override_reason)
			pager_add_untrusted(pg, scr, ROLE_WARNING, 2, "over a refusal, because: ",
				v->override_reason);
	}
	if (d->n_prereqs) {
		char needs[256] = "";
		for (size_t i = 0; i < d->n_prereqs; i++) {
			const phase_view *pv = &app->model.phases[d->prereqs[i]];
			snprintf(needs + strlen(needs), sizeof needs - strlen(needs), "%s%d%s",
				i ? ", " : "", pv->def->number, pv->completed ? " (done)" : " (open)");
		}
		pager_addf(pg, ROLE_DIM, 0, "Needs phases %s", needs);
	}
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "Goal");
	pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "", d->goal);
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "How to do it");
	pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "", d->guidance);

	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "Automatic checks (live, from synced data)");
	const ui_glyphs *g = scr->g;
	for (size_t i = 0; i < d->n_checks; i++) {
		const check_result *c = &v->checks[i];
		const char *mark = c->state == CHECK_PASS ? g->pass : c->state == CHECK_FAIL
			? g->fail : g->nodata;
		const char *word = c->state == CHECK_PASS ? "pass" : c->state == CHECK_FAIL
			? "fail" : "no data";
		enum theme_role role = c->state == CHECK_PASS ? ROLE_GOOD : c->state == CHECK_FAIL
			? ROLE_BAD : ROLE_WARNING;
		char label[64];
		snprintf(label, sizeof label, "%s %-7s ", mark, word);
		pager_add_untrusted(pg, scr, role, 2, label, d->checks[i].description);
		pager_add_untrusted(pg, scr, ROLE_DIM, 12, "", c->why);
	}

	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "Sign-offs (Enter gives the selected one)");
	for (size_t i = 0; i < d->n_signoffs; i++) {
		const phase_signoff_state *s = &v->signoffs[i];
		char label[128];
		snprintf(label, sizeof label, "[%s] %s: ", s->given ? (scr->ascii ? "x" : g->pass)
			: " ", d->signoffs[i].id);
		pager_add_untrusted(pg, scr, s->given ? ROLE_GOOD : ROLE_NORMAL, 2, label,
			d->signoffs[i].description);
		pager_mark_item(pg);
		if (s->given) {
			char t[40];
			when(app, s->signed_at, t, sizeof t);
			char by[160];
			snprintf(by, sizeof by, "signed by %s, %s%s", s->signed_by, t,
				s->note ? ": " : "");
			pager_add_untrusted(pg, scr, ROLE_DIM, 8, by, s->note ? s->note : "");
		}
	}

	if (!v->completed) {
		phase_reasons reasons = { 0 };
		okdf_err e = { 0 };
		pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
		if (phase_gate_check(cat, app->model.phases, (size_t)wt->phase, &reasons, &e)) {
			pager_addf(pg, ROLE_ERROR, 0, "%s", e.msg);
		} else if (reasons.n == 0) {
			pager_addf(pg, ROLE_GOOD, 0, "Ready: c completes the phase.");
		} else {
			pager_addf(pg, ROLE_WARNING, 0, "Completing is refused until:");
			for (size_t i = 0; i < reasons.n; i++)
				pager_add_untrusted(pg, scr, ROLE_WARNING, 2, "- ", reasons.items[i]);
			pager_addf(pg, ROLE_DIM, 0, "c asks for an override with a written reason, "
				"kept in the audit log; skipping ahead breaks what later phases build on.");
		}
		phase_reasons_free(&reasons);
	}
	pg->cursor = wt->cursor <= pg->n_select ? wt->cursor : pg->n_select;
	pg->top = wt->top;
	pg->follow = wt->follow;
}

void walkthrough_draw(ui_app *app, WINDOW *w)
{
	ui_walkthrough *wt = &app->walk;
	build(app, &wt->page);
	pager_draw(&wt->page, &app->scr, w);
	wt->top = wt->page.top;
	wt->follow = 0;
}

static void step(ui_app *app, int delta)
{
	ui_walkthrough *wt = &app->walk;
	int n = (int)app->catalog->n, next = wt->phase + delta;
	if (next < 0 || next >= n) {
		app_message(app, ROLE_DIM, next < 0 ? "this is the first phase"
			: "this is the last phase");
		return;
	}
	wt->phase = next;
	wt->cursor = 1;
	wt->top = 0;
	app->dirty |= DIRTY_PAGE | DIRTY_BAR;
}

/* Signs off the selected item after a y/N. */
static int sign_off(ui_app *app, ui_request *req)
{
	ui_walkthrough *wt = &app->walk;
	const phase_def *d = &app->catalog->phases[wt->phase];
	if (wt->cursor < 1 || (size_t)wt->cursor > d->n_signoffs)
		return WALK_HANDLED;
	const char *id = d->signoffs[wt->cursor - 1].id;
	ui_action a = { .kind = ACT_SIGNOFF, .phase = d->number };
	snprintf(a.word, sizeof a.word, "%s", id);
	action_request(&a, req);
	snprintf(req->confirm, sizeof req->confirm, "Sign off '%s' of phase %d as %s?", id,
		d->number, app->op.name);
	return WALK_REQUEST;
}

int walkthrough_key(ui_app *app, int key, ui_request *req)
{
	ui_walkthrough *wt = &app->walk;
	const phase_def *d = &app->catalog->phases[wt->phase];
	ui_action a = { .phase = d->number };
	switch (key) {
	case 'n': case 'l': case KEY_RIGHT:
		step(app, 1);
		return WALK_HANDLED;
	case 'p': case 'h': case KEY_LEFT:
		step(app, -1);
		return WALK_HANDLED;
	case '\n': case KEY_ENTER: case 's':
		return sign_off(app, req);
	case 'c':
		/* A refusal lists its reasons and asks for an override reason. */
		a.kind = ACT_COMPLETE;
		action_request(&a, req);
		return WALK_REQUEST;
	case 'o':
		a.kind = ACT_REOPEN;
		action_request(&a, req);
		return WALK_REQUEST;
	default:
		if (!pager_key(&wt->page, key, app->page))
			return WALK_IGNORED;
		wt->cursor = wt->page.cursor;
		wt->top = wt->page.top;
		wt->follow = wt->page.follow;
		app->dirty |= DIRTY_PAGE;
		return WALK_HANDLED;
	}
}

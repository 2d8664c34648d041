#include "okdf/ui/walkthrough.h"

#include <stdio.h>
#include <string.h>

#include "okdf/core/timeutil.h"

const ui_keyhint walkthrough_hints[] = {
	{ "n/p", "next/prev", "Next / previous phase (also l/h and the arrow keys)" },
	{ "j/k", "sign-off", "Select a sign-off" },
	{ "Enter", "sign off", "Give the selected sign-off (asks y/N)" },
	{ "c", "complete", "Complete the phase; when refused, asks for an override reason" },
	{ "o", "reopen", "Reopen a completed phase (asks y/N)" },
	{ NULL, NULL, NULL },
};

void walkthrough_open(ui_walkthrough *wt, const ui_panel_ctx *cx, int phase)
{
	int n = (int)cx->catalog->n;
	if (phase < 0) {
		phase = 0;
		while (cx->model->phases && phase < n - 1 &&
			cx->model->phases[phase].status == PHASE_DONE)
			phase++;
	}
	wt->phase = phase < n ? phase : n - 1;
	wt->cursor = 1;
	wt->top = 0;
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

static void when(const ui_panel_ctx *cx, long long t, char *buf, size_t n)
{
	okdf_err e = { 0 };
	const char *tz = cx->model->timezone[0] ? cx->model->timezone : "UTC";
	if (time_format_zone(t, tz, buf, n, &e) != OKDF_OK)
		snprintf(buf, n, "%lld", t);
}

/* The status line, who completed it and which phases it needs. */
static void add_status(const ui_panel_ctx *cx, ui_pager *pg, const phase_def *d,
	const phase_view *v)
{
	char buf[32];
	pager_addf(pg, v->status == PHASE_DONE ? ROLE_GOOD : ROLE_ACCENT, 0, "Status: %s",
		status_words(v, buf, sizeof buf));
	if (v->completed) {
		char t[40];
		when(cx, v->completed_at, t, sizeof t);
		pager_addf(pg, ROLE_GOOD, 2, "completed %s by %s", t, v->completed_by);
		if (v->override_reason)
			pager_add_untrusted(pg, cx->scr, ROLE_WARNING, 2, "over a refusal, because: ",
				v->override_reason);
	}
	if (d->n_prereqs) {
		char needs[256] = "";
		for (size_t i = 0; i < d->n_prereqs; i++) {
			const phase_view *pv = &cx->model->phases[d->prereqs[i]];
			snprintf(needs + strlen(needs), sizeof needs - strlen(needs), "%s%d%s",
				i ? ", " : "", pv->def->number, pv->completed ? " (done)" : " (open)");
		}
		pager_addf(pg, ROLE_DIM, 0, "Needs phases %s", needs);
	}
}

/* A blank line and a section title. */
static void add_section(ui_pager *pg, const char *title)
{
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "%s", title);
}

/* Each automatic check: pass, fail or no data, and why. */
static void add_checks(const ui_panel_ctx *cx, ui_pager *pg, const phase_def *d,
	const phase_view *v)
{
	const ui_glyphs *g = cx->scr->g;
	add_section(pg, "Automatic checks (live, from synced data)");
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
		pager_add_untrusted(pg, cx->scr, role, 2, label, d->checks[i].description);
		pager_add_untrusted(pg, cx->scr, ROLE_DIM, 12, "", c->why);
	}
}

/* Each sign-off, a pager item Enter gives, with who gave it and when. */
static void add_signoffs(const ui_panel_ctx *cx, ui_pager *pg, const phase_def *d,
	const phase_view *v)
{
	const ui_screen *scr = cx->scr;
	add_section(pg, "Sign-offs (Enter gives the selected one)");
	for (size_t i = 0; i < d->n_signoffs; i++) {
		const phase_signoff_state *s = &v->signoffs[i];
		char label[128];
		snprintf(label, sizeof label, "[%s] %s: ", s->given ? (scr->ascii ? "x" : scr->g->pass)
			: " ", d->signoffs[i].id);
		pager_add_untrusted(pg, scr, s->given ? ROLE_GOOD : ROLE_NORMAL, 2, label,
			d->signoffs[i].description);
		pager_mark_item(pg);
		if (s->given) {
			char t[40];
			when(cx, s->signed_at, t, sizeof t);
			char by[160];
			snprintf(by, sizeof by, "signed by %s, %s%s", s->signed_by, t,
				s->note ? ": " : "");
			pager_add_untrusted(pg, scr, ROLE_DIM, 8, by, s->note ? s->note : "");
		}
	}
}

/* For a phase not completed: ready, or why completing is refused. */
static void add_gate(const ui_panel_ctx *cx, ui_pager *pg, size_t phase)
{
	phase_reasons reasons = { 0 };
	okdf_err e = { 0 };
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	if (phase_gate_check(cx->catalog, cx->model->phases, phase, &reasons, &e)) {
		pager_addf(pg, ROLE_ERROR, 0, "%s", e.msg);
	} else if (reasons.n == 0) {
		pager_addf(pg, ROLE_GOOD, 0, "Ready: c completes the phase.");
	} else {
		pager_addf(pg, ROLE_WARNING, 0, "Completing is refused until:");
		for (size_t i = 0; i < reasons.n; i++)
			pager_add_untrusted(pg, cx->scr, ROLE_WARNING, 2, "- ", reasons.items[i]);
		pager_addf(pg, ROLE_DIM, 0, "c asks for an override with a written reason, "
			"kept in the audit log; skipping ahead breaks what later phases build on.");
	}
	phase_reasons_free(&reasons);
}

/* The page of wt's phase, from the model, keeping its cursor and scroll. */
static void build(ui_walkthrough *wt, const ui_panel_ctx *cx, ui_pager *pg)
{
	const phase_catalog *cat = cx->catalog;
	const phase_def *d = &cat->phases[wt->phase];
	char title[300];
	screen_clean(cx->scr, d->title, title, sizeof title);
	pager_reset(pg, "");
	snprintf(pg->title, sizeof pg->title, "Walkthrough: phase %d of %zu: %.100s", d->number,
		cat->n, title);
	if (!cx->model->phases) {
		pager_addf(pg, ROLE_ERROR, 0, "The phases could not be evaluated: %s",
			cx->model->error);
		return;
	}
	const phase_view *v = &cx->model->phases[wt->phase];
	add_status(cx, pg, d, v);
	add_section(pg, "Goal");
	pager_add_untrusted(pg, cx->scr, ROLE_NORMAL, 2, "", d->goal);
	add_section(pg, "How to do it");
	pager_add_untrusted(pg, cx->scr, ROLE_NORMAL, 2, "", d->guidance);
	add_checks(cx, pg, d, v);
	add_signoffs(cx, pg, d, v);
	if (!v->completed)
		add_gate(cx, pg, (size_t)wt->phase);
	pg->cursor = wt->cursor <= pg->n_select ? wt->cursor : pg->n_select;
	pg->top = wt->top;
	pg->follow = wt->follow;
}

void walkthrough_draw(ui_walkthrough *wt, const ui_panel_ctx *cx, WINDOW *w)
{
	build(wt, cx, &wt->page);
	pager_draw(&wt->page, cx->scr, w);
	wt->top = wt->page.top;
	wt->follow = 0;
}

/* Next or previous phase; at either end it says so. */
static int step(ui_walkthrough *wt, const ui_panel_ctx *cx, int delta, ui_reaction *out)
{
	int n = (int)cx->catalog->n, next = wt->phase + delta;
	if (next < 0 || next >= n) {
		snprintf(out->say, sizeof out->say, "%s", next < 0 ? "this is the first phase"
			: "this is the last phase");
		return PANEL_SAY;
	}
	wt->phase = next;
	wt->cursor = 1;
	wt->top = 0;
	return PANEL_REDRAW;
}

/* Signs off the selected item after a y/N. */
static int sign_off(ui_walkthrough *wt, const ui_panel_ctx *cx, ui_request *req)
{
	const phase_def *d = &cx->catalog->phases[wt->phase];
	if (wt->cursor < 1 || (size_t)wt->cursor > d->n_signoffs)
		return PANEL_HANDLED;
	const char *id = d->signoffs[wt->cursor - 1].id;
	ui_action a = { .kind = ACT_SIGNOFF, .phase = d->number };
	snprintf(a.word, sizeof a.word, "%s", id);
	action_request(&a, req);
	snprintf(req->confirm, sizeof req->confirm, "Sign off '%s' of phase %d as %s?", id,
		d->number, cx->operator_name);
	return PANEL_REQUEST;
}

int walkthrough_key(ui_walkthrough *wt, const ui_panel_ctx *cx, int key, WINDOW *w,
	ui_reaction *out)
{
	const phase_def *d = &cx->catalog->phases[wt->phase];
	ui_action a = { .phase = d->number };
	switch (key) {
	case 'n': case 'l': case KEY_RIGHT:
		return step(wt, cx, 1, out);
	case 'p': case 'h': case KEY_LEFT:
		return step(wt, cx, -1, out);
	case '\n': case KEY_ENTER: case 's':
		return sign_off(wt, cx, &out->req);
	case 'c':
		/* A refusal lists its reasons and asks for an override reason. */
		a.kind = ACT_COMPLETE;
		action_request(&a, &out->req);
		return PANEL_REQUEST;
	case 'o':
		a.kind = ACT_REOPEN;
		action_request(&a, &out->req);
		return PANEL_REQUEST;
	default:
		if (!pager_key(&wt->page, key, w))
			return PANEL_IGNORED;
		wt->cursor = wt->page.cursor;
		wt->top = wt->page.top;
		wt->follow = wt->page.follow;
		return PANEL_REDRAW;
	}
}

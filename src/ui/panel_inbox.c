/* Panel 5: the escalation inbox: counts (breaches first), then the active
 * escalations most urgent first (severity, SLA breached, oldest), or newest
 * first (o), or the snoozed ones (z). Its detail page shows the evidence and
 * history. a acknowledge, s snooze, d decide, R resolve work on the list row
 * and on the detail page alike. */
#include <stdio.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/core/timeutil.h"
#include "okdf/ui/format.h"
#include "okdf/ui/header.h"
#include "okdf/ui/inbox_evidence.h"
#include "panels_private.h"

static const ui_keyhint inbox_hints[] = {
	{ "Enter", "open", "Open the selected escalation: evidence, history, decisions" },
	{ "a", "ack", "Acknowledge the selected escalation (you become its owner)" },
	{ "s", "snooze", "Snooze the selected escalation for a duration (30m, 4h, 2d); it "
		"leaves the list and the counts until it wakes" },
	{ "d", "decide", "Decide the selected escalation: the choices its kind takes as single "
		"keys (approve/reject, keep/revert), then a note, then y/N" },
	{ "R", "resolve", "Resolve the selected escalation with a note (confirms first)" },
	{ "o", "order", "Order: most urgent first (severity, SLA breached, oldest) or newest "
		"first" },
	{ "z", "snoozed", "Show the snoozed escalations instead of the active ones, and back" },
	{ NULL, NULL, NULL },
};

static const ui_keyhint inbox_detail_hints[] = {
	{ "a", "ack", "Acknowledge" },
	{ "s", "snooze", "Snooze for a duration (30m, 4h, 2d)" },
	{ "d", "decide", "Decide: the choices the kind takes as single keys (approve/reject an "
		"agent's action, keep/revert a budget), then a note, then y/N; kinds without a "
		"decision say so" },
	{ "R", "resolve", "Resolve with a decision note (confirms first)" },
	{ NULL, NULL, NULL },
};

static int inbox_matches(ui_panel *p, const ui_panel_ctx *cx, int row, const char *filter)
{
	(void)p;
	const escalation *x = cx->model->inbox[row];
	return panel_text_matches(x->title, filter) || panel_text_matches(x->kind, filter) ||
		panel_text_matches(x->severity, filter);
}

static int inbox_count(ui_panel *p, const ui_panel_ctx *cx)
{
	return panel_filtered_count(p, cx, cx->model->n_inbox);
}

static const escalation *selected(ui_panel *p, const ui_panel_ctx *cx)
{
	int idx = panel_filtered_index(p, cx, cx->model->n_inbox, p->selected);
	return idx >= 0 ? cx->model->inbox[idx] : NULL;
}

static enum theme_role severity_role(const char *sev)
{
	return strcmp(sev, "critical") == 0 ? ROLE_CRITICAL
		: strcmp(sev, "high") == 0 ? ROLE_BAD : ROLE_NORMAL;
}

/* Coarse spans for a row: "40m", "3h", "2d". */
static void row_span(long long s, char *buf, size_t n)
{
	if (s > 999LL * 86400)
		s = 999LL * 86400;
	if (s < 3600)
		snprintf(buf, n, "%dm", (int)(s / 60));
	else if (s < 86400)
		snprintf(buf, n, "%dh", (int)(s / 3600));
	else
		snprintf(buf, n, "%dd", (int)(s / 86400));
}

/* The SLA as words: "!SLA +2h" past it, "due 40m" before, "met" when
 * acknowledged in time. */
static void sla_text(const escalation *x, long long now, char *buf, size_t n)
{
	long long due = x->created_at + inbox_sla_seconds(x->severity);
	long long stop = x->acknowledged_at ? x->acknowledged_at
		: x->resolved_at ? x->resolved_at : now;
	char span[12];
	if (stop > due) {
		row_span(stop - due, span, sizeof span);
		snprintf(buf, n, "!SLA +%s", span);
	} else if (x->acknowledged_at || x->resolved_at) {
		snprintf(buf, n, "met");
	} else {
		row_span(due - now, span, sizeof span);
		snprintf(buf, n, "due %s", span);
	}
}

/* The counts line, breaches first; the long words when they fit. */
static void draw_counts(const ui_panel_ctx *cx, WINDOW *w, int inner)
{
	ui_screen *scr = cx->scr;
	const ui_model *m = cx->model;
	if (m->inbox_snoozed) {
		screen_putf(scr, w, 1, 1, inner, ROLE_WARNING, "snoozed %d (z: back to active)",
			m->n_snoozed);
		return;
	}
	int len = snprintf(NULL, 0, "%d past SLA  critical %d  high %d  normal %d", m->n_breached,
		m->n_critical, m->n_high, m->n_normal);
	if (m->n_snoozed)
		len += snprintf(NULL, 0, "  snoozed %d", m->n_snoozed);
	int longw = len <= inner;
	int x = 1;
	x += screen_putf(scr, w, 1, x, inner, m->n_breached ? ROLE_BAD : ROLE_DIM,
		longw ? "%d past SLA" : "!%d SLA", m->n_breached);
	x += screen_putf(scr, w, 1, x, inner - x + 1, m->n_critical ? ROLE_CRITICAL : ROLE_DIM,
		longw ? "  critical %d" : " crit %d", m->n_critical);
	x += screen_putf(scr, w, 1, x, inner - x + 1, m->n_high ? ROLE_BAD : ROLE_DIM,
		longw ? "  high %d" : " high %d", m->n_high);
	x += screen_putf(scr, w, 1, x, inner - x + 1, ROLE_NORMAL, longw ? "  normal %d"
		: " norm %d", m->n_normal);
	if (m->n_snoozed)
		screen_putf(scr, w, 1, x, inner - x + 1, ROLE_DIM, longw ? "  snoozed %d" : " zz %d",
			m->n_snoozed);
}

/* "3-8/14" on the bottom border: where the visible rows sit in the list. */
static void draw_position(const ui_panel_ctx *cx, ui_panel *p, int rows, int count)
{
	if (count == 0)
		return;
	int last = p->top + rows < count ? p->top + rows : count;
	char pos[40];
	int len = snprintf(pos, sizeof pos, " %d-%d/%d ", p->top + 1, last, count);
	int cols = getmaxx(p->win);
	if (len + 4 < cols)
		screen_put(cx->scr, p->win, getmaxy(p->win) - 1, cols - len - 2, len, pos,
			ROLE_DIM);
}

static const char *id_text(long long id)
{
	static char buf[24];
	snprintf(buf, sizeof buf, "#%lld", id);
	return buf;
}

static void draw_row(const ui_panel_ctx *cx, WINDOW *w, int y, int inner, const escalation *e,
	int sel)
{
	ui_screen *scr = cx->scr;
	const ui_model *m = cx->model;
	char age[16], sla[32], title[512];
	header_age(m->now, e->created_at, age, sizeof age);
	sla_text(e, m->now, sla, sizeof sla);
	screen_clean(scr, e->title, title, sizeof title);
	const char *state = inbox_view_state(e, m->now);
	/* A queued decision's outcome: failed (the API's words) or on its way. */
	const escalation_action *act = model_action_of(m, e->id);
	int failed = act && strcmp(act->state, "failed") == 0;
	int queued = act && (strcmp(act->state, "pending") == 0 ||
		strcmp(act->state, "running") == 0);
	if (failed) {
		char why[200], t[sizeof title];
		screen_clean(scr, act->result ? act->result : "", why, sizeof why);
		snprintf(t, sizeof t, "%.300s (failed: %s)", title, why);
		memcpy(title, t, sizeof title);
	}
	if (sel) {
		wattrset(w, scr->attr[ROLE_CURSOR]);
		mvwhline(w, y, 1, ' ', inner);
	}
	int col = 1;
#define ROLE(r) (sel ? ROLE_CURSOR : (r))
	col += screen_putf(scr, w, y, col, 5, ROLE(severity_role(e->severity)), "%-4.4s",
		e->severity);
	/* Narrow panels (80 columns) give the title what the SLA column spares. */
	int sla_w = inner < 50 ? 8 : 9;
	if ((int)strlen(sla) > sla_w && sla[0] == '!')
		memmove(sla + 4, sla + 5, strlen(sla + 5) + 1); /* "!SLA+12h" */
	col += screen_putf(scr, w, y, col, sla_w + 1, ROLE(sla[0] == '!' ? ROLE_BAD : ROLE_DIM),
		" %-*.*s", sla_w, sla_w, sla);
	col += screen_putf(scr, w, y, col, 5, ROLE(failed ? ROLE_BAD : ROLE_DIM), " %-4.4s",
		failed ? "fail" : queued ? "sent" : strcmp(state, "acknowledged") == 0 ? "ack"
		: strcmp(state, "snoozed") == 0 ? "zz" : state);
	col += screen_putf(scr, w, y, col, 4, ROLE(ROLE_DIM), " %3s", age);
	/* Wider panels add the id, the kind and the owner. */
	if (inner >= 60)
		col += screen_putf(scr, w, y, col, 7, ROLE(ROLE_DIM), " %6s", id_text(e->id));
	if (inner >= 100) {
		col += screen_putf(scr, w, y, col, 24, ROLE(ROLE_DIM), " %-23.23s", e->kind);
		char owner[64];
		screen_clean(scr, e->owner[0] ? e->owner : "-", owner, sizeof owner);
		col += screen_putf(scr, w, y, col, 11, ROLE(ROLE_DIM), " %-10.10s", owner);
	}
	screen_putf(scr, w, y, col, inner - col + 1, ROLE(ROLE_NORMAL), " %s", title);
#undef ROLE
}

static void inbox_draw(ui_panel *p, const ui_panel_ctx *cx)
{
	ui_screen *scr = cx->scr;
	const ui_model *m = cx->model;
	WINDOW *w = p->win;
	int inner = getmaxx(w) - 2, rows = panel_visible_rows(p);
	draw_counts(cx, w, inner);
	int total = m->n_inbox, count = inbox_count(p, cx);
	int focused = cx->focused;
	for (int i = 0; i < rows && p->top + i < count; i++) {
		int idx = panel_filtered_index(p, cx, total, p->top + i);
		draw_row(cx, w, 2 + i, inner, m->inbox[idx], focused && p->top + i == p->selected);
	}
	draw_position(cx, p, rows, count);
	if (count == 0 && rows > 0 && !total && !m->inbox_snoozed && m->n_snoozed)
		screen_putf(scr, w, 2, 1, inner, ROLE_DIM, "nothing active; %d snoozed (z shows them)",
			m->n_snoozed);
	else if (count == 0 && rows > 0)
		screen_put(scr, w, 2, 1, inner, total ? "nothing matches the filter"
			: m->inbox_snoozed ? "nothing snoozed"
			: "inbox empty: nothing waits for a decision", ROLE_DIM);
}

/* What a, s, d and R on the list or the detail page want done to x. */
static int act_on(const escalation *x, int key, ui_request *req)
{
	ui_action a = { .id = x->id };
	switch (key) {
	case 'a': a.kind = ACT_ACK; break;
	case 's': a.kind = ACT_SNOOZE; break;
	case 'd': a.kind = ACT_DECIDE; break;
	case 'R': a.kind = ACT_RESOLVE; break;
	default: return PANEL_IGNORED;
	}
	action_request(&a, req);
	if (key == 's') {
		snprintf(req->ask, sizeof req->ask, "Snooze #%lld for (30m, 4h, 2d): ", x->id);
		req->ask_into = ASK_DURATION;
	}
	return PANEL_REQUEST;
}

static int inbox_key(ui_panel *p, const ui_panel_ctx *cx, int key, ui_reaction *out)
{
	if (key == 'o' || key == 'z') {
		/* The order and the snoozed list are the model's: the app switches them. */
		ui_action a = { .kind = key == 'o' ? ACT_INBOX_ORDER : ACT_INBOX_SNOOZED };
		action_request(&a, &out->req);
		p->selected = p->top = 0;
		return PANEL_REQUEST | PANEL_REDRAW;
	}
	const escalation *x = selected(p, cx);
	if (x)
		return act_on(x, key, &out->req);
	if (key <= 0 || key > 0x7F || !strchr("asdR", key))
		return PANEL_IGNORED;
	snprintf(out->say, sizeof out->say, "no escalation selected");
	return PANEL_SAY;
}

static void time_line(const ui_panel_ctx *cx, ui_pager *pg, const char *what, long long t)
{
	char buf[96];
	if (t <= 0)
		return;
	format_local_time(cx->model->timezone, t, cx->model->now, buf, sizeof buf);
	pager_addf(pg, ROLE_NORMAL, 2, "%-14s %s", what, buf);
}

/* What d does for x, said before anyone presses it. */
static void decision_line(ui_pager *pg, const escalation *x)
{
	const char *kind = inbox_deciding_kind(x);
	const char *const *d = kind ? inbox_decisions(kind) : NULL;
	if (!d)
		pager_addf(pg, ROLE_DIM, 2, "%-14s none for this kind: R resolves it with a note",
			"decision");
	else
		pager_addf(pg, ROLE_ACCENT, 2, "%-14s d: %c %s or %c %s (%s)", "decision", d[0][0],
			d[0], d[1][0], d[1], strcmp(kind, "agent.approval") == 0
			? "sent to Relevance AI" : "carried out through the Meta API");
}

/* Every event of escalation id, oldest first: when, what, who and the note. */
static void add_history(const ui_panel_ctx *cx, ui_pager *pg, long long id, const char *tz)
{
	const ui_screen *scr = cx->scr;
	escalation_event *ev = NULL;
	int n = 0;
	okdf_err e = { 0 };
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "History");
	if (escalation_events_list(cx->db, id, &ev, &n, &e) != OKDF_OK) {
		pager_addf(pg, ROLE_ERROR, 2, "%s", e.msg);
		return;
	}
	for (int i = 0; i < n; i++) {
		char when[48], line[256];
		okdf_err te = { 0 };
		if (time_format_zone(ev[i].at, tz, when, sizeof when, &te))
			snprintf(when, sizeof when, "%lld", ev[i].at);
		snprintf(line, sizeof line, "%s  %s  %s%s%s  ", when, ev[i].action,
			ev[i].operator_name, ev[i].client[0] ? "@" : "", ev[i].client);
		char clean[300];
		screen_clean(scr, line, clean, sizeof clean);
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, clean, ev[i].note ? ev[i].note : "");
	}
	escalation_events_free(ev, n);
}

/* The connectors' actions on escalation id (a decision carried out), if any. */
static void add_actions(const ui_panel_ctx *cx, ui_pager *pg, long long id)
{
	escalation_action *acts = NULL;
	int n = 0;
	okdf_err e = { 0 };
	if (escalation_actions_list(cx->db, id, &acts, &n, &e) == OKDF_OK && n > 0) {
		pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
		pager_addf(pg, ROLE_TITLE, 0, "Actions carried out by the connectors");
		for (int i = 0; i < n; i++) {
			char line[160];
			snprintf(line, sizeof line, "%s %s: %s  ", acts[i].connector, acts[i].action,
				acts[i].state);
			pager_add_untrusted(pg, cx->scr, strcmp(acts[i].state, "failed") == 0 ? ROLE_BAD
				: ROLE_NORMAL, 2, line, acts[i].result ? acts[i].result : "");
		}
	}
	escalation_actions_free(acts, n);
}

static void inbox_detail(ui_panel *p, const ui_panel_ctx *cx, ui_pager *pg)
{
	const escalation *sel = selected(p, cx);
	if (!sel) {
		pager_addf(pg, ROLE_DIM, 0, "no escalation selected");
		return;
	}
	okdf_err e = { 0 };
	escalation x = { 0 };
	if (escalation_get(cx->db, sel->id, &x, &e) != OKDF_OK) {
		pager_addf(pg, ROLE_ERROR, 0, "%s", e.msg);
		return;
	}
	const ui_screen *scr = cx->scr;
	const char *tz = cx->model->timezone[0] ? cx->model->timezone : "UTC";
	long long now = cx->model->now;
	snprintf(pg->title, sizeof pg->title, "Escalation #%lld", x.id);
	pager_add_untrusted(pg, scr, severity_role(x.severity), 0, "", x.title);
	pager_addf(pg, ROLE_NORMAL, 2, "%-14s %s", "kind", x.kind);
	char sla[24], due[96];
	sla_text(&x, now, sla, sizeof sla);
	format_local_time(tz, x.created_at + inbox_sla_seconds(x.severity), now, due, sizeof due);
	pager_addf(pg, severity_role(x.severity), 2, "%-14s %s, %s: acknowledge by %s", "severity",
		x.severity, sla, due);
	pager_addf(pg, ROLE_NORMAL, 2, "%-14s %s", "state", inbox_view_state(&x, now));
	pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "raised by      ", x.source);
	if (x.owner[0])
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "owner          ", x.owner);
	time_line(cx, pg, "raised", x.created_at);
	time_line(cx, pg, "acknowledged", x.acknowledged_at);
	if (strcmp(x.state, "snoozed") == 0)
		time_line(cx, pg, "snoozed until", x.snoozed_until);
	time_line(cx, pg, "resolved", x.resolved_at);
	if (x.decision[0])
		pager_addf(pg, ROLE_NORMAL, 2, "%-14s %s", "decided", x.decision);
	else if (strcmp(x.state, "resolved") != 0)
		decision_line(pg, &x);
	if (x.decision_note)
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "note           ", x.decision_note);
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	inbox_evidence_fill(cx, pg, &x);
	add_history(cx, pg, x.id, tz);
	add_actions(cx, pg, x.id);
	escalation_free(&x);
}

static int inbox_detail_key(ui_panel *p, const ui_panel_ctx *cx, int key, ui_reaction *out)
{
	const escalation *x = selected(p, cx);
	return x ? act_on(x, key, &out->req) : PANEL_IGNORED;
}

const ui_panel_class panel_inbox_class = {
	.title = "Inbox",
	.list_offset = 1,
	.hints = inbox_hints,
	.detail_hints = inbox_detail_hints,
	.count = inbox_count,
	.draw = inbox_draw,
	.key = inbox_key,
	.detail = inbox_detail,
	.detail_key = inbox_detail_key,
	.matches = inbox_matches,
};

/* Panel 5: the escalation inbox: counts by severity, then every unresolved
 * escalation newest first. Its detail page shows the evidence and history
 * and takes the decisions: a acknowledge, s snooze, d decide, R resolve. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/core/timeutil.h"
#include "okdf/ui/app.h"
#include "okdf/ui/dashboard.h"
#include "okdf/ui/header.h"

static const ui_keyhint inbox_hints[] = {
	{ "Enter", "open", "Open the selected escalation: evidence, history, decisions" },
	{ "a", "ack", "Acknowledge the selected escalation (you become its owner)" },
	{ NULL, NULL, NULL },
};

static const ui_keyhint inbox_detail_hints[] = {
	{ "a", "ack", "Acknowledge" },
	{ "s", "snooze", "Snooze for a duration (30m, 4h, 2d)" },
	{ "d", "decide", "Decide: approve or reject an agent's task, keep or revert a budget "
		"(asks for a note, then confirms)" },
	{ "R", "resolve", "Resolve with a decision note (confirms first)" },
	{ NULL, NULL, NULL },
};

static int inbox_matches(ui_panel *p, ui_app *app, int row, const char *filter)
{
	(void)p;
	const escalation *x = &app->model.inbox[row];
	return panel_text_matches(x->title, filter) || panel_text_matches(x->kind, filter) ||
		panel_text_matches(x->severity, filter);
}

static int inbox_count(ui_panel *p, ui_app *app)
{
	return panel_filtered_count(p, app, app->model.n_inbox);
}

static const escalation *selected(ui_panel *p, ui_app *app)
{
	int idx = panel_filtered_index(p, app, app->model.n_inbox, p->selected);
	return idx >= 0 ? &app->model.inbox[idx] : NULL;
}

static enum theme_role severity_role(const char *sev)
{
	return strcmp(sev, "critical") == 0 ? ROLE_CRITICAL
		: strcmp(sev, "high") == 0 ? ROLE_BAD : ROLE_NORMAL;
}

static void inbox_draw(ui_panel *p, ui_app *app)
{
	ui_screen *scr = &app->scr;
	ui_model *m = &app->model;
	WINDOW *w = p->win;
	int inner = getmaxx(w) - 2, rows = dashboard_visible_rows(app, PANEL_INBOX);
	int x = 1;
	x += screen_putf(scr, w, 1, x, inner, m->n_critical ? ROLE_CRITICAL : ROLE_DIM,
		"critical %d", m->n_critical);
	x += screen_putf(scr, w, 1, x, inner - x + 1, m->n_high ? ROLE_BAD : ROLE_DIM,
		"  high %d", m->n_high);
	x += screen_putf(scr, w, 1, x, inner - x + 1, ROLE_NORMAL, "  normal %d", m->n_normal);
	if (m->n_breached)
		screen_putf(scr, w, 1, x, inner - x + 1, ROLE_BAD, "  %d past SLA", m->n_breached);
	int total = m->n_inbox, count = inbox_count(p, app);
	int focused = app->focus == PANEL_INBOX;
	for (int i = 0; i < rows && p->top + i < count; i++) {
		int idx = panel_filtered_index(p, app, total, p->top + i);
		const escalation *e = &m->inbox[idx];
		int y = 2 + i, sel = focused && p->top + i == p->selected;
		char age[16], title[512];
		header_age(m->now, e->created_at, age, sizeof age);
		screen_clean(scr, e->title, title, sizeof title);
		const char *state = inbox_view_state(e, m->now);
		if (sel) {
			wattrset(w, scr->attr[ROLE_CURSOR]);
			mvwhline(w, y, 1, ' ', inner);
		}
		int cx = 1;
		cx += screen_putf(scr, w, y, cx, 5, sel ? ROLE_CURSOR : severity_role(e->severity),
			"%-4.4s", e->severity);
		cx += screen_putf(scr, w, y, cx, 5, sel ? ROLE_CURSOR : ROLE_DIM, " %4s", age);
		cx += screen_putf(scr, w, y, cx, 6, sel ? ROLE_CURSOR : ROLE_DIM, " %-4.4s",
			strcmp(state, "acknowledged") == 0 ? "ack" : state);
		cx += screen_putf(scr, w, y, cx, inner - cx + 1, sel ? ROLE_CURSOR
			: inbox_sla_breached(e, m->now) ? ROLE_BAD : ROLE_DIM, " #%lld", e->id);
		screen_putf(scr, w, y, cx, inner - cx + 1, sel ? ROLE_CURSOR : ROLE_NORMAL, " %s",
			title);
	}
	if (count == 0 && rows > 0)
		screen_put(scr, w, 2, 1, inner, total ? "nothing matches the filter"
			: "inbox empty: nothing waits for a decision", ROLE_DIM);
}

static void ack_selected(ui_panel *p, ui_app *app)
{
	const escalation *x = selected(p, app);
	if (!x)
		return;
	char line[64];
	snprintf(line, sizeof line, "ack %lld", x->id);
	app_run_command(app, line);
}

static int inbox_key(ui_panel *p, ui_app *app, int key)
{
	if (key == 'a') {
		ack_selected(p, app);
		return PANEL_HANDLED;
	}
	return PANEL_IGNORED;
}

static void time_line(ui_pager *pg, const char *what, long long t, const char *tz)
{
	char buf[40];
	okdf_err e = { 0 };
	if (t <= 0)
		return;
	if (time_format_local(t, tz[0] ? tz : "UTC", buf, sizeof buf, &e) != OKDF_OK)
		snprintf(buf, sizeof buf, "%lld", t);
	pager_addf(pg, ROLE_NORMAL, 2, "%-14s %s", what, buf);
}

/* One line per field of the evidence object ("key: value"); anything that
 * is not a JSON object is shown as it is. */
static void add_evidence(ui_pager *pg, const ui_screen *scr, const char *json)
{
	cJSON *root = json ? cJSON_Parse(json) : NULL;
	if (!cJSON_IsObject(root)) {
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "", json ? json : "");
		cJSON_Delete(root);
		return;
	}
	const cJSON *item;
	cJSON_ArrayForEach(item, root) {
		char *text = cJSON_IsString(item) ? NULL : cJSON_PrintUnformatted(item);
		char label[80];
		screen_clean(scr, item->string ? item->string : "?", label, sizeof label - 2);
		strcat(label, ": ");
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, label,
			text ? text : cJSON_GetStringValue(item));
		cJSON_free(text);
	}
	if (!root->child)
		pager_addf(pg, ROLE_DIM, 2, "none recorded");
	cJSON_Delete(root);
}

static void inbox_detail(ui_panel *p, ui_app *app, ui_pager *pg)
{
	const escalation *sel = selected(p, app);
	if (!sel) {
		pager_addf(pg, ROLE_DIM, 0, "no escalation selected");
		return;
	}
	okdf_err e = { 0 };
	escalation x = { 0 };
	if (escalation_get(app->db, sel->id, &x, &e) != OKDF_OK) {
		pager_addf(pg, ROLE_ERROR, 0, "%s", e.msg);
		return;
	}
	const ui_screen *scr = &app->scr;
	const char *tz = app->model.timezone;
	long long now = app->model.now;
	snprintf(pg->title, sizeof pg->title, "Escalation #%lld", x.id);
	pager_add_untrusted(pg, scr, severity_role(x.severity), 0, "", x.title);
	pager_addf(pg, ROLE_NORMAL, 2, "%-14s %s", "kind", x.kind);
	pager_addf(pg, severity_role(x.severity), 2, "%-14s %s (SLA %lld h%s)", "severity",
		x.severity, inbox_sla_seconds(x.severity) / 3600,
		inbox_sla_breached(&x, now) ? ", breached" : "");
	pager_addf(pg, ROLE_NORMAL, 2, "%-14s %s", "state", inbox_view_state(&x, now));
	pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "source         ", x.source);
	if (x.owner[0])
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "owner          ", x.owner);
	time_line(pg, "raised", x.created_at, tz);
	time_line(pg, "acknowledged", x.acknowledged_at, tz);
	time_line(pg, "snoozed until", x.snoozed_until, tz);
	time_line(pg, "resolved", x.resolved_at, tz);
	if (x.decision[0])
		pager_addf(pg, ROLE_NORMAL, 2, "%-14s %s", "decision", x.decision);
	if (x.decision_note)
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "note           ", x.decision_note);
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "Evidence");
	add_evidence(pg, scr, x.evidence);

	escalation_event *ev = NULL;
	int n = 0;
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "History");
	if (escalation_events_list(app->db, x.id, &ev, &n, &e) == OKDF_OK) {
		for (int i = 0; i < n; i++) {
			char when[40], line[256];
			okdf_err te = { 0 };
			if (time_format_local(ev[i].at, tz[0] ? tz : "UTC", when, sizeof when, &te))
				snprintf(when, sizeof when, "%lld", ev[i].at);
			snprintf(line, sizeof line, "%s  %s  %s%s%s  ", when, ev[i].action,
				ev[i].operator_name, ev[i].client[0] ? "@" : "", ev[i].client);
			char clean[300];
			screen_clean(scr, line, clean, sizeof clean);
			pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, clean, ev[i].note ? ev[i].note : "");
		}
		escalation_events_free(ev, n);
	} else {
		pager_addf(pg, ROLE_ERROR, 2, "%s", e.msg);
	}
	escalation_action *acts = NULL;
	n = 0;
	if (escalation_actions_list(app->db, x.id, &acts, &n, &e) == OKDF_OK && n > 0) {
		pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
		pager_addf(pg, ROLE_TITLE, 0, "Actions carried out by the connectors");
		for (int i = 0; i < n; i++) {
			char line[160];
			snprintf(line, sizeof line, "%s %s: %s  ", acts[i].connector, acts[i].action,
				acts[i].state);
			pager_add_untrusted(pg, scr, strcmp(acts[i].state, "failed") == 0 ? ROLE_BAD
				: ROLE_NORMAL, 2, line, acts[i].result ? acts[i].result : "");
		}
	}
	escalation_actions_free(acts, n);
	escalation_free(&x);
}

static int inbox_detail_key(ui_panel *p, ui_app *app, int key)
{
	const escalation *x = selected(p, app);
	if (!x)
		return PANEL_IGNORED;
	char prefix[96], question[160];
	switch (key) {
	case 'a':
		ack_selected(p, app);
		return PANEL_HANDLED;
	case 's':
		snprintf(prefix, sizeof prefix, "snooze %lld", x->id);
		app_ask_text(app, "Snooze for (30m, 4h, 2d): ", prefix, NULL);
		return PANEL_HANDLED;
	case 'd':
		snprintf(prefix, sizeof prefix, "decide %lld", x->id);
		app_ask_text(app, strcmp(x->kind, "budget.scale") == 0 ? "Decision (keep/revert): "
			: "Decision (approve/reject): ", prefix, NULL);
		return PANEL_HANDLED;
	case 'R':
		snprintf(prefix, sizeof prefix, "resolve %lld --note", x->id);
		snprintf(question, sizeof question, "Resolve #%lld with this note?", x->id);
		app_ask_text(app, "Decision note: ", prefix, question);
		return PANEL_HANDLED;
	}
	return PANEL_IGNORED;
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

/* How a ui_request is carried out: its questions asked in order on the
 * bottom line (a choice of single keys, a line of text, a y/N), a decision
 * checked against the escalation's kind before anything is asked, then the
 * action run (ui/action) and its outcome worded (ui/outcome); the ':' line
 * parsed into the same requests; the UI's own actions (sync, window,
 * walkthrough, help, health, quit). Part of the app: it may change views and
 * prompts. */
#include <stdio.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/core/timeutil.h"
#include "okdf/ui/command.h"
#include "okdf/ui/log.h"
#include "okdf/ui/outcome.h"
#include "okdf/ui/pages.h"
#include "app_private.h"

static void do_action(ui_app *app, const ui_action *a);

/* Asks the pending request's next question, or runs it when none is left. */
static void request_next(ui_app *app)
{
	ui_request *q = &app->pending;
	app->dirty |= DIRTY_BAR;
	if (q->choose[0]) {
		prompt_start_choice(&app->prompt, q->choose, q->choice_keys);
		return;
	}
	if (q->ask[0]) {
		prompt_start(&app->prompt, PROMPT_TEXT, q->ask, NULL);
		return;
	}
	if (q->confirm[0]) {
		char question[300];
		snprintf(question, sizeof question, "%s [y/N] ", q->confirm);
		prompt_start(&app->prompt, PROMPT_CONFIRM, question, NULL);
		return;
	}
	ui_action act = q->action;
	do_action(app, &act);
}

/* The kind whose decisions escalation id takes ("" = none), from the model
 * or the store. */
static int deciding_kind(ui_app *app, long long id, char *kind, size_t n)
{
	for (int i = 0; i < app->model.n_all; i++) {
		if (app->model.all[i].id == id) {
			const char *k = inbox_deciding_kind(&app->model.all[i]);
			app_copy_text(kind, n, k ? k : "");
			return 0;
		}
	}
	escalation x = { 0 };
	okdf_err e = { 0 };
	if (escalation_get(app->db, id, &x, &e) != OKDF_OK) {
		app_message(app, ROLE_ERROR, "%s", e.msg);
		return -1;
	}
	const char *k = inbox_deciding_kind(&x);
	app_copy_text(kind, n, k ? k : "");
	escalation_free(&x);
	return 0;
}

/* A decision is checked against the kind before any note is asked for. */
static int check_decision(ui_app *app, ui_request *q)
{
	ui_action *a = &q->action;
	char kind[48];
	if (deciding_kind(app, a->id, kind, sizeof kind))
		return -1;
	const char *const *d = inbox_decisions(kind);
	if (!d) {
		app_message(app, ROLE_WARNING, "#%lld takes no decision (only agent approvals and "
			"budget changes do): R resolves it with a note", a->id);
		return -1;
	}
	if (a->word[0] && !inbox_decision_valid(kind, a->word)) {
		char clean[64];
		screen_clean(&app->scr, a->word, clean, sizeof clean);
		app_message(app, ROLE_ERROR, "%s takes %s or %s, not '%s'", kind, d[0], d[1], clean);
		return -1;
	}
	if (!a->word[0])
		action_offer_decisions(q, kind);
	return 0;
}

void app_request(ui_app *app, const ui_request *req)
{
	app->pending = *req;
	if (req->action.kind == ACT_DECIDE && check_decision(app, &app->pending))
		return;
	request_next(app);
}

void app_request_answer(ui_app *app, enum prompt_kind kind, const char *answer)
{
	ui_request *q = &app->pending;
	if (kind == PROMPT_CHOICE) {
		const char *k = strchr(q->choice_keys, answer[0]);
		app_copy_text(q->action.word, sizeof q->action.word, q->choice_words[k - q->choice_keys]);
		q->choose[0] = '\0';
		if (q->confirm[0])
			action_question(&q->action, q->confirm, sizeof q->confirm);
	} else if (kind == PROMPT_TEXT) {
		if (!answer[0]) {
			app_message(app, ROLE_WARNING, "nothing entered: cancelled");
			return;
		}
		okdf_err e = { 0 };
		if (q->ask_into == ASK_DURATION) {
			if (inbox_parse_duration(answer, &q->action.seconds, &e) != OKDF_OK) {
				app_message(app, ROLE_ERROR, "%s", e.msg);
				return;
			}
		} else {
			app_copy_text(q->action.text, sizeof q->action.text, answer);
			q->action.has_text = 1;
		}
		q->ask[0] = '\0';
	} else {
		q->confirm[0] = '\0';
	}
	request_next(app);
}

/* `w` cycles today, 7d, 30d, 90d; `:window W` takes any window okdf metrics
 * takes (14d, all, 2026-11-01..2026-11-15). */
static void ui_window(ui_app *app, const char *name)
{
	ui_model *m = &app->model;
	int w = m->window == MODEL_WIN_CUSTOM ? MODEL_WIN_TODAY : (m->window + 1) % MODEL_WIN_N;
	if (strcmp(name, "next") != 0) {
		for (w = 0; w < MODEL_WIN_N && strcmp(name, model_window_name(w)) != 0; w++)
			;
	}
	if (w == MODEL_WIN_N) {
		metrics_window mw;
		okdf_err e = { 0 };
		if (metrics_window_parse(name, m->timezone[0] ? m->timezone : "UTC", m->now, &mw,
			&e) != OKDF_OK) {
			char clean[300];
			screen_clean(&app->scr, e.msg, clean, sizeof clean);
			app_message(app, ROLE_ERROR, "window: %s", clean);
			return;
		}
		app_copy_text(m->custom_window, sizeof m->custom_window, mw.spec);
		w = MODEL_WIN_CUSTOM;
	}
	m->window = w;
	app_reload(app);
	app_message(app, ROLE_NORMAL, "window: %s", model_window_spec(m));
}

/* o and z on the inbox: the model's order or list switched. */
static void inbox_view(ui_app *app, enum ui_action_kind kind)
{
	ui_model *m = &app->model;
	if (kind == ACT_INBOX_ORDER)
		m->inbox_newest_first = !m->inbox_newest_first;
	else
		m->inbox_snoozed = !m->inbox_snoozed;
	model_inbox_order(m);
	app->panels[PANEL_INBOX].dirty = 1;
	app_message(app, ROLE_DIM, "inbox: %s, %s", m->inbox_snoozed ? "snoozed"
		: "active", m->inbox_newest_first ? "newest first" : "most urgent first");
}

static void do_action(ui_app *app, const ui_action *a)
{
	switch (a->kind) {
	case ACT_NONE:
		return;
	case ACT_QUIT:
		app->quit = 1;
		return;
	case ACT_HELP:
		app_open_help(app);
		return;
	case ACT_SYNC:
		if (!app->opt.request_sync) {
			app_message(app, ROLE_WARNING, "sync: %s",
				app->opt.sync_note ? app->opt.sync_note : "no sync workers in this process");
			return;
		}
		app->opt.request_sync(app->opt.sync_ctx);
		app_message(app, ROLE_NORMAL, "sync requested");
		return;
	case ACT_WINDOW:
		ui_window(app, a->word);
		return;
	case ACT_HOURS_LIST:
		pages_hours(app, a->word);
		return;
	case ACT_HEALTH:
		app_open_health(app);
		return;
	case ACT_INBOX_ORDER:
	case ACT_INBOX_SNOOZED:
		inbox_view(app, a->kind);
		return;
	case ACT_WALKTHROUGH: {
		const phase_def *p = a->phase ? phases_by_number(app->catalog, a->phase) : NULL;
		app_open_walkthrough(app, p ? (int)phases_index(app->catalog, p) : -1);
		return;
	}
	default:
		break;
	}
	okdf_err e = { 0 };
	long long now;
	if (time_now(&now, &e) != OKDF_OK) {
		app_message(app, ROLE_ERROR, "%s", e.msg);
		return;
	}
	ui_action_ctx ctx = { .db = app->db, .catalog = app->catalog, .op = &app->op,
		.tz = app->model.timezone[0] ? app->model.timezone : "UTC", .now = now };
	ui_result r;
	action_run(&ctx, a, &r);
	log_msg("action %d -> %s%s%s", (int)a->kind, r.outcome == UI_OK ? "ok" : r.outcome ==
		UI_REFUSED ? "refused" : "error", r.outcome == UI_OK ? "" : ": ", r.e.msg);
	if (r.outcome == UI_OK)
		app_reload(app);
	outcome_show(app, a, &r);
	action_result_free(&r);
}

void app_run_command(ui_app *app, const char *line)
{
	ui_request req;
	char err[300];
	if (command_parse(line, app->catalog, &req, err, sizeof err)) {
		app_message(app, ROLE_ERROR, "%s", err);
		return;
	}
	if (req.action.kind != ACT_NONE)
		app_request(app, &req);
	app->dirty |= DIRTY_BAR;
}

void app_do(ui_app *app, enum ui_action_kind kind)
{
	ui_action a = { .kind = kind };
	if (kind == ACT_WINDOW)
		app_copy_text(a.word, sizeof a.word, "next");
	do_action(app, &a);
}


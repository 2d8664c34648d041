/* The app's state between keys: which view shows (the main screen, help,
 * a panel's detail, a message page, the walkthrough, health) and where Esc
 * goes from each, which panel has the focus, the one line on the bar, and
 * what a reload announces (finished actions, a new critical escalation, a
 * new model error). The only file that opens and closes pages. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "okdf/ui/dashboard.h"
#include "okdf/ui/help.h"
#include "okdf/ui/log.h"
#include "okdf/ui/pages.h"
#include "app_private.h"

void app_message(ui_app *app, enum theme_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(app->message.text, sizeof app->message.text, fmt, ap);
	va_end(ap);
	app->message.role = role;
	app->dirty |= DIRTY_BAR;
	if (role == ROLE_ERROR)
		log_msg("%s", app->message.text);
}

ui_panel_ctx app_panel_ctx(ui_app *app, int idx)
{
	ui_panel_ctx cx = {
		.model = &app->model, .catalog = app->catalog, .scr = &app->scr,
		.db = app->db, .cfg = app->opt.cfg, .operator_name = app->op.name,
		.focused = idx == app->focus,
	};
	return cx;
}

/* Pages opened from the walkthrough go back to it; others to the main screen. */
static void note_page_return(ui_app *app)
{
	if (app->view != VIEW_HELP && app->view != VIEW_MESSAGE)
		app->page_return = app->view == VIEW_WALK ? VIEW_WALK : VIEW_MAIN;
}

static void back_to_main(ui_app *app)
{
	app->view = VIEW_MAIN;
	app->dirty |= DIRTY_ALL;
}

void app_focus_panel(ui_app *app, int idx)
{
	if (idx == app->focus)
		return;
	app->panels[app->focus].dirty = 1;
	app->focus = idx;
	app->panels[idx].dirty = 1;
	app->dirty |= DIRTY_BAR;
	/* A small terminal shows the focused panel: place it. */
	if (dashboard_compact(app))
		app->dirty |= DIRTY_LAYOUT;
}

void app_open_detail(ui_app *app)
{
	ui_panel *p = &app->panels[app->focus];
	if (!p->cls->detail)
		return;
	ui_panel_ctx cx = app_panel_ctx(app, app->focus);
	pager_reset(&app->pager, p->cls->title);
	p->cls->detail(p, &cx, &app->pager);
	app->view = VIEW_DETAIL;
	app->dirty |= DIRTY_ALL;
}

/* Rebuilds the open detail page after its data changed, keeping its place. */
static void rebuild_detail(ui_app *app)
{
	ui_panel *p = &app->panels[app->focus];
	ui_panel_ctx cx = app_panel_ctx(app, app->focus);
	int cursor = app->pager.cursor, top = app->pager.top;
	pager_reset(&app->pager, p->cls->title);
	p->cls->detail(p, &cx, &app->pager);
	if (cursor <= app->pager.n_select)
		app->pager.cursor = cursor;
	app->pager.top = top;
	app->dirty |= DIRTY_PAGE;
}

void app_open_help(ui_app *app)
{
	note_page_return(app);
	help_fill(app, &app->pager);
	app->view = VIEW_HELP;
	app->dirty |= DIRTY_ALL;
}

void app_open_health(ui_app *app)
{
	note_page_return(app);
	pages_health_fill(app);
	app->view = VIEW_HEALTH;
	app->dirty |= DIRTY_ALL;
}

void app_show_page(ui_app *app)
{
	note_page_return(app);
	app->view = VIEW_MESSAGE;
	app->dirty |= DIRTY_ALL;
}

void app_open_walkthrough(ui_app *app, int phase)
{
	ui_panel_ctx cx = app_panel_ctx(app, -1);
	walkthrough_open(&app->walk, &cx, phase);
	app->view = VIEW_WALK;
	app->dirty |= DIRTY_ALL;
}

void app_close_page(ui_app *app)
{
	if ((app->view == VIEW_HELP || app->view == VIEW_MESSAGE) &&
		app->page_return == VIEW_WALK) {
		app->view = VIEW_WALK;
		app->dirty |= DIRTY_ALL;
	} else {
		back_to_main(app);
	}
}

/* A queued action that finished since the last look goes to the message
 * line: done, or failed with the API's words (its escalation reopened). */
static void announce_actions(ui_app *app)
{
	const ui_model *m = &app->model;
	int first = app->seen.action_at < 0;
	for (int i = 0; i < m->n_actions; i++) {
		const escalation_action *a = &m->actions[i];
		int done = strcmp(a->state, "done") == 0, failed = strcmp(a->state, "failed") == 0;
		if ((!done && !failed) || a->done_at < app->seen.action_at ||
			(a->done_at == app->seen.action_at && a->id <= app->seen.action_id))
			continue;
		app->seen.action_at = a->done_at;
		app->seen.action_id = a->id;
		if (first)
			continue;
		char result[300];
		screen_clean(&app->scr, a->result ? a->result : "", result, sizeof result);
		if (done)
			app_message(app, ROLE_GOOD, "#%lld %s done%s%s", a->escalation_id, a->action,
				result[0] ? ": " : "", result);
		else
			app_message(app, ROLE_BAD, "#%lld %s failed: %s (escalation reopened)",
				a->escalation_id, a->action, result[0] ? result : "no message");
	}
	if (first && app->seen.action_at < 0)
		app->seen.action_at = 0;
}

void app_after_reload(ui_app *app)
{
	if (app->model.error[0] && strcmp(app->model.error, app->seen.error) != 0)
		app_message(app, ROLE_ERROR, "%s", app->model.error);
	snprintf(app->seen.error, sizeof app->seen.error, "%s", app->model.error);
	app->dirty |= DIRTY_HEADER | DIRTY_PANELS | DIRTY_BAR;
	if (app->view != VIEW_MAIN)
		app->dirty |= DIRTY_PAGE;
	if (app->view == VIEW_DETAIL)
		rebuild_detail(app);
	if (app->view == VIEW_HEALTH) {
		int top = app->pager.top;
		pages_health_fill(app);
		app->pager.top = top;
	}
	dashboard_after_reload(app);
	announce_actions(app);
	/* A new critical escalation rings the bell once, in every running UI. */
	if (app->model.latest_critical > app->seen.critical) {
		if (app->seen.critical >= 0) {
			beep();
			app_message(app, ROLE_CRITICAL, "new critical escalation #%lld: see the inbox (5)",
				app->model.latest_critical);
		}
		app->seen.critical = app->model.latest_critical;
	} else if (app->seen.critical < 0) {
		app->seen.critical = app->model.latest_critical;
	}
}

/* Copies src into dst of n bytes, cut if longer. */
void app_copy_text(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n)
		len = n - 1;
	memmove(dst, src, len);
	dst[len] = '\0';
}

/* Keys and the mouse: what each does on the main screen and on a page,
 * handing a panel's or the walkthrough's keys to it first and carrying out
 * what it returns; the bottom line's prompt (the ':' line with its history
 * and Tab completion, the '/' filter, a request's questions); clicks and the
 * wheel; key activity recorded as operator hours. */
#include <string.h>
#include <time.h>

#include "okdf/core/hours.h"
#include "okdf/core/timeutil.h"
#include "okdf/ui/complete.h"
#include "okdf/ui/dashboard.h"
#include "okdf/ui/log.h"
#include "app_private.h"

/* Key activity is written to operator hours at most this often (seconds):
 * a burst of keys costs one write, and an interval's end lags the last key
 * by less than this. */
#define ACTIVITY_SPACING 15

static void open_command_line(ui_app *app)
{
	prompt_start(&app->prompt, PROMPT_COMMAND, ":", NULL);
	app->history.pos = app->history.n;
	app->dirty |= DIRTY_BAR;
}

static void remember_command(ui_app *app, const char *line)
{
	if (!line[0] || (app->history.n && strcmp(app->history.lines[app->history.n - 1], line) == 0))
		return;
	if (app->history.n == APP_HISTORY) {
		memmove(app->history.lines[0], app->history.lines[1],
			sizeof app->history.lines[0] * (APP_HISTORY - 1));
		app->history.n--;
	}
	app_copy_text(app->history.lines[app->history.n++], sizeof app->history.lines[0], line);
}

/* Key activity feeds operator hours. */
static void note_activity(ui_app *app)
{
	long long now;
	okdf_err e = { 0 };
	if (time_now(&now, &e) != OKDF_OK)
		return;
	if (app->pace.activity && now - app->pace.activity < ACTIVITY_SPACING &&
		now >= app->pace.activity)
		return;
	app->pace.activity = now;
	int idle = app->opt.cfg->ui_idle_minutes > 0 ? app->opt.cfg->ui_idle_minutes
		: HOURS_IDLE_MINUTES_DEFAULT;
	if (hours_activity(app->db, app->op.name, now, idle, &e) != OKDF_OK)
		log_msg("operator hours: %s", e.msg);
}

/* Carries out what a panel's (or the walkthrough's) key returned. */
static void apply_reaction(ui_app *app, ui_panel *p, int r, const ui_reaction *out)
{
	if (r & PANEL_REDRAW) {
		if (p)
			p->dirty = 1;
		else
			app->dirty |= DIRTY_PAGE | DIRTY_BAR;
	}
	if (r & PANEL_SAY)
		app_message(app, ROLE_DIM, "%s", out->say);
	if (r & PANEL_REQUEST)
		app_request(app, &out->req);
}

static void set_filter(ui_app *app, const char *text)
{
	ui_panel *p = &app->panels[app->focus];
	app_copy_text(p->filter, sizeof p->filter, text);
	p->selected = 0;
	p->top = 0;
	p->dirty = 1;
}

static void prompt_done(ui_app *app, enum prompt_result r)
{
	ui_prompt *pr = &app->prompt;
	enum prompt_kind kind = pr->kind;
	if (kind == PROMPT_FILTER && (r == PROMPT_CHANGED || r == PROMPT_CANCEL))
		set_filter(app, r == PROMPT_CANCEL ? "" : pr->buf);
	if (r == PROMPT_CONTINUE || r == PROMPT_CHANGED) {
		app->dirty |= DIRTY_BAR;
		return;
	}
	pr->kind = PROMPT_NONE;
	app->dirty |= DIRTY_BAR;
	if (r == PROMPT_CANCEL) {
		if (kind != PROMPT_COMMAND && kind != PROMPT_FILTER)
			app_message(app, ROLE_DIM, "cancelled");
		return;
	}
	if (kind == PROMPT_COMMAND) {
		remember_command(app, pr->buf);
		app_run_command(app, pr->buf);
	}
	else if (kind != PROMPT_FILTER)
		app_request_answer(app, kind, pr->buf);
}

/* The focused panel's own keys, then its list's movement. 1 when used. */
static int panel_key(ui_app *app, int key)
{
	ui_panel *p = &app->panels[app->focus];
	ui_panel_ctx cx = app_panel_ctx(app, app->focus);
	if (p->cls->key) {
		ui_reaction out;
		int r = p->cls->key(p, &cx, key, &out);
		if (r != PANEL_IGNORED) {
			apply_reaction(app, p, r, &out);
			return 1;
		}
	}
	if (p->cls->count) {
		int count = p->cls->count(p, &cx);
		int r = panel_move(p, key, count, dashboard_visible_rows(app, app->focus));
		if (r != PANEL_IGNORED) {
			apply_reaction(app, p, r, NULL);
			return 1;
		}
	}
	return 0;
}

static void handle_main_key(ui_app *app, int key)
{
	ui_panel *p = &app->panels[app->focus];
	if (panel_key(app, key))
		return;
	switch (key) {
	case KEY_TAB: case KEY_RIGHT: case 'l':
		app_focus_panel(app, (app->focus + 1) % UI_N_PANELS);
		break;
	case KEY_BTAB: case KEY_LEFT: case 'h':
		app_focus_panel(app, (app->focus + UI_N_PANELS - 1) % UI_N_PANELS);
		break;
	case '1': case '2': case '3': case '4': case '5':
		app_focus_panel(app, key - '1');
		break;
	case '\r': case '\n': case KEY_ENTER:
		app_open_detail(app);
		break;
	case '?':
		app_open_help(app);
		break;
	case '/':
		if (!p->cls->matches) {
			app_message(app, ROLE_DIM, "%s has no list to filter", p->cls->title);
			break;
		}
		prompt_start(&app->prompt, PROMPT_FILTER, "/", p->filter);
		app->dirty |= DIRTY_BAR;
		break;
	case ':':
		open_command_line(app);
		break;
	case 'r':
		app_do(app, ACT_SYNC);
		break;
	case 'w':
		app_do(app, ACT_WINDOW);
		break;
	case 'W':
		app_do(app, ACT_WALKTHROUGH);
		break;
	case 'H':
		app_do(app, ACT_HEALTH);
		break;
	case KEY_ESC:
		if (p->filter[0])
			set_filter(app, "");
		break;
	case 'q':
		if (p->filter[0])
			set_filter(app, "");
		else
			app->quit = 1;
		break;
	}
}

/* The walkthrough's own keys; 1 when used (Esc and q leave it). */
static int walk_key(ui_app *app, int key)
{
	ui_panel_ctx cx = app_panel_ctx(app, -1);
	ui_reaction out;
	int r = walkthrough_key(&app->walk, &cx, key, app->win.page, &out);
	if (r != PANEL_IGNORED) {
		apply_reaction(app, NULL, r, &out);
		return 1;
	}
	return 0;
}

/* The focused panel's keys on its detail page; 1 when used. */
static int detail_key(ui_app *app, int key)
{
	ui_panel *p = &app->panels[app->focus];
	if (!p->cls->detail_key)
		return 0;
	ui_panel_ctx cx = app_panel_ctx(app, app->focus);
	ui_reaction out;
	int r = p->cls->detail_key(p, &cx, key, &out);
	if (r == PANEL_IGNORED)
		return 0;
	apply_reaction(app, p, r, &out);
	return 1;
}

static void handle_page_key(ui_app *app, int key)
{
	if (app->view == VIEW_WALK && walk_key(app, key))
		return;
	if (key == KEY_ESC || key == 'q') {
		app_close_page(app);
		return;
	}
	if (key == '?' && app->view != VIEW_HELP) {
		app_open_help(app);
		return;
	}
	if (app->view == VIEW_HEALTH && key == 'r') {
		app_do(app, ACT_SYNC);
		return;
	}
	if (app->view == VIEW_DETAIL && detail_key(app, key))
		return;
	if (key == ':') {
		open_command_line(app);
		return;
	}
	if (app->view != VIEW_WALK && pager_key(&app->pager, key, app->win.page))
		app->dirty |= DIRTY_PAGE;
}

/* Up and Down walk the ':' history; Tab completes. 1 when used. */
static int command_line_key(ui_app *app, int is_key, unsigned int ch)
{
	ui_prompt *pr = &app->prompt;
	if (pr->kind != PROMPT_COMMAND)
		return 0;
	if (is_key && (ch == KEY_UP || ch == KEY_DOWN)) {
		int pos = app->history.pos + (ch == KEY_UP ? -1 : 1);
		if (pos < 0 || pos > app->history.n)
			return 1;
		app->history.pos = pos;
		prompt_set(pr, pos < app->history.n ? app->history.lines[pos] : "");
		app->dirty |= DIRTY_BAR;
		return 1;
	}
	if (!is_key && ch == '\t') {
		complete_command(app, pr->buf, sizeof pr->buf, pr->hint, sizeof pr->hint);
		pr->len = strlen(pr->buf);
		app->dirty |= DIRTY_BAR;
		return 1;
	}
	return 0;
}

static void clear_message(ui_app *app)
{
	if (app->message.text[0]) {
		app->message.text[0] = '\0';
		app->dirty |= DIRTY_BAR;
	}
}

static void handle_key(ui_app *app, int is_key, unsigned int ch)
{
	clear_message(app);
	if (app->prompt.kind != PROMPT_NONE) {
		if (!command_line_key(app, is_key, ch))
			prompt_done(app, prompt_key(&app->prompt, is_key, ch));
		return;
	}
	int key = (int)ch;
	if (!is_key && (ch == '\r' || ch == '\n'))
		key = '\n';
	if (screen_too_small(&app->scr)) {
		if (key == 'q')
			app->quit = 1;
		return;
	}
	if (!is_key && ch > 0x7F)
		return;
	if (app->view == VIEW_MAIN)
		handle_main_key(app, key);
	else
		handle_page_key(app, key);
}

/* The wheel over the main screen moves the selection of the panel under
 * the pointer (focusing it); over a page it scrolls. */
static void mouse_wheel(ui_app *app, const MEVENT *ev, int dir)
{
	int key = dir < 0 ? KEY_UP : KEY_DOWN;
	if (app->view != VIEW_MAIN) {
		for (int i = 0; i < 3; i++)
			handle_page_key(app, key);
		return;
	}
	for (int i = 0; i < UI_N_PANELS; i++) {
		ui_panel *p = &app->panels[i];
		if (!p->win || !wenclose(p->win, ev->y, ev->x))
			continue;
		app_focus_panel(app, i);
		ui_panel_ctx cx = app_panel_ctx(app, i);
		for (int k = 0; k < 3 && p->cls->count; k++)
			if (panel_move(p, key, p->cls->count(p, &cx), dashboard_visible_rows(app, i)) ==
				PANEL_REDRAW)
				p->dirty = 1;
	}
}

/* A click on a panel focuses it and selects the row under the pointer; on
 * the selected row of the focused panel it opens the detail. */
static void mouse_click_panel(ui_app *app, const MEVENT *ev)
{
	for (int i = 0; i < UI_N_PANELS; i++) {
		ui_panel *p = &app->panels[i];
		if (!p->win || !wenclose(p->win, ev->y, ev->x))
			continue;
		int was_focused = app->focus == i;
		app_focus_panel(app, i);
		if (!p->cls->count)
			return;
		ui_panel_ctx cx = app_panel_ctx(app, i);
		int row = ev->y - getbegy(p->win) - 1 - p->cls->list_offset;
		int count = p->cls->count(p, &cx);
		if (row < 0 || row >= dashboard_visible_rows(app, i) || p->top + row >= count)
			return;
		if (was_focused && p->top + row == p->selected) {
			handle_main_key(app, '\n');
			return;
		}
		p->selected = p->top + row;
		p->dirty = 1;
		return;
	}
}

static void handle_mouse(ui_app *app)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || app->prompt.kind != PROMPT_NONE ||
		screen_too_small(&app->scr))
		return;
	clear_message(app);
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		mouse_wheel(app, &ev, ev.bstate & BUTTON4_PRESSED ? -1 : 1);
		return;
	}
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (ev.y == app->scr.rows - 1) {
		const ui_keybar_hits *h = &app->bar_hits;
		for (int i = 0; i < h->n; i++) {
			int key = keys_hint_key(h->hint[i]);
			if (ev.x >= h->x0[i] && ev.x < h->x1[i] && key) {
				handle_key(app, 0, (unsigned int)key);
				return;
			}
		}
		return;
	}
	if (app->view == VIEW_MAIN)
		mouse_click_panel(app, &ev);
}

int app_read_keys(ui_app *app)
{
	int got = 0;
	for (;;) {
		wint_t wc;
		int rc = get_wch(&wc);
		if (rc == ERR)
			break;
		got = 1;
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
			app->dirty |= DIRTY_LAYOUT;
			continue;
		}
		if (rc == KEY_CODE_YES && wc == KEY_MOUSE) {
			note_activity(app);
			handle_mouse(app);
			continue;
		}
		note_activity(app);
		handle_key(app, rc == KEY_CODE_YES, (unsigned int)wc);
		if (app->quit)
			break;
	}
	return got;
}

#include "okdf/ui/app.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "okdf/core/hours.h"
#include "okdf/core/paths.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/ui/complete.h"
#include "okdf/ui/dashboard.h"
#include "okdf/ui/header.h"
#include "okdf/ui/help.h"
#include "okdf/ui/pages.h"
#include "okdf/ui/log.h"
#include "okdf_build.h"

/* How often the UI looks for writes by other processes (another operator's
 * UI, `okdf ack` in a shell, `okdf sync` when it owns the workers): one
 * PRAGMA data_version, a read of a counter in shared memory. */
#define DATA_VERSION_CHECK_MS 2000

/* Key activity is written to operator hours at most this often (seconds):
 * a burst of keys costs one write, and an interval's end lags the last key
 * by less than this. */
#define ACTIVITY_SPACING 15

/* Writes by the sync workers wake the UI after every commit; during a big
 * sync the model is reloaded at most this often (milliseconds). */
#define RELOAD_SPACING_MS 1000

/* A terminal that keeps saying "readable" without giving keys is gone. */
#define DEAD_TTY_READS 100

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

long long app_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void app_message(ui_app *app, enum theme_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(app->message, sizeof app->message, fmt, ap);
	va_end(ap);
	app->message_role = role;
	app->dirty |= DIRTY_BAR;
	if (role == ROLE_ERROR)
		log_msg("%s", app->message);
}

/* Copies src into dst of n bytes, cut if longer. */
static void copy_text(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n)
		len = n - 1;
	memmove(dst, src, len);
	dst[len] = '\0';
}

/* Pages opened from the walkthrough go back to it; others to the main screen. */
static void note_page_return(ui_app *app)
{
	if (app->view != VIEW_HELP && app->view != VIEW_MESSAGE)
		app->page_return = app->view == VIEW_WALK ? VIEW_WALK : VIEW_MAIN;
}

static void open_command_line(ui_app *app)
{
	prompt_start(&app->prompt, PROMPT_COMMAND, ":", NULL);
	app->history_pos = app->n_history;
	app->dirty |= DIRTY_BAR;
}

static void remember_command(ui_app *app, const char *line)
{
	if (!line[0] || (app->n_history && strcmp(app->history[app->n_history - 1], line) == 0))
		return;
	if (app->n_history == APP_HISTORY) {
		memmove(app->history[0], app->history[1], sizeof app->history[0] * (APP_HISTORY - 1));
		app->n_history--;
	}
	copy_text(app->history[app->n_history++], sizeof app->history[0], line);
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

/* A queued action that finished since the last look goes to the message
 * line: done, or failed with the API's words (its escalation reopened). */
static void announce_actions(ui_app *app)
{
	const ui_model *m = &app->model;
	int first = app->seen_action_at < 0;
	for (int i = 0; i < m->n_actions; i++) {
		const escalation_action *a = &m->actions[i];
		int done = strcmp(a->state, "done") == 0, failed = strcmp(a->state, "failed") == 0;
		if ((!done && !failed) || a->done_at < app->seen_action_at ||
			(a->done_at == app->seen_action_at && a->id <= app->seen_action_id))
			continue;
		app->seen_action_at = a->done_at;
		app->seen_action_id = a->id;
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
	if (first && app->seen_action_at < 0)
		app->seen_action_at = 0;
}

void app_reload(ui_app *app)
{
	okdf_err e = { 0 };
	long long now;
	if (time_now(&now, &e) != OKDF_OK)
		now = (long long)time(NULL);
	model_load(&app->model, app->db, now);
	app->reload_due = 0;
	app->last_reload_ms = app_monotonic_ms();
	if (app->model.error[0] && strcmp(app->model.error, app->last_error) != 0)
		app_message(app, ROLE_ERROR, "%s", app->model.error);
	snprintf(app->last_error, sizeof app->last_error, "%s", app->model.error);
	app->last_minute = now / 60;
	app->dirty |= DIRTY_HEADER | DIRTY_PANELS | DIRTY_BAR;
	if (app->view != VIEW_MAIN)
		app->dirty |= DIRTY_PAGE;
	if (app->view == VIEW_DETAIL)
		app_rebuild_detail(app);
	if (app->view == VIEW_HEALTH) {
		int top = app->pager.top;
		pages_health_fill(app);
		app->pager.top = top;
	}
	dashboard_after_reload(app);
	announce_actions(app);
	/* A new critical escalation rings the bell once, in every running UI. */
	if (app->model.latest_critical > app->seen_critical) {
		if (app->seen_critical >= 0) {
			beep();
			app_message(app, ROLE_CRITICAL, "new critical escalation #%lld: see the inbox (5)",
				app->model.latest_critical);
		}
		app->seen_critical = app->model.latest_critical;
	} else if (app->seen_critical < 0) {
		app->seen_critical = app->model.latest_critical;
	}
}

/* Key activity feeds operator hours. */
static void note_activity(ui_app *app)
{
	long long now;
	okdf_err e = { 0 };
	if (time_now(&now, &e) != OKDF_OK)
		return;
	if (app->last_activity && now - app->last_activity < ACTIVITY_SPACING &&
		now >= app->last_activity)
		return;
	app->last_activity = now;
	int idle = app->opt.cfg->ui_idle_minutes > 0 ? app->opt.cfg->ui_idle_minutes
		: HOURS_IDLE_MINUTES_DEFAULT;
	if (hours_activity(app->db, app->op.name, now, idle, &e) != OKDF_OK)
		log_msg("operator hours: %s", e.msg);
}

static void layout(ui_app *app)
{
	ui_screen *scr = &app->scr;
	screen_update_size(scr);
	WINDOW **wins[] = { &app->header, &app->bar, &app->page };
	for (size_t i = 0; i < sizeof wins / sizeof wins[0]; i++) {
		if (*wins[i])
			delwin(*wins[i]);
		*wins[i] = NULL;
	}
	for (int i = 0; i < UI_N_PANELS; i++) {
		if (app->panels[i].win)
			delwin(app->panels[i].win);
		app->panels[i].win = NULL;
	}
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (screen_too_small(scr))
		return;
	int rows = scr->rows, cols = scr->cols;
	app->header = newwin(1, cols, 0, 0);
	app->bar = newwin(1, cols, rows - 1, 0);
	app->page = newwin(rows - 2, cols, 1, 0);
	dashboard_layout(app, 1, rows - 2, cols);
	app->dirty |= DIRTY_ALL;
}

static void draw_bar(ui_app *app)
{
	ui_screen *scr = &app->scr;
	if (app->prompt.kind != PROMPT_NONE) {
		prompt_draw(&app->prompt, scr, app->bar);
		return;
	}
	app->bar_hits.n = 0;
	if (app->message[0]) {
		wbkgdset(app->bar, ' ' | scr->attr[ROLE_NORMAL]);
		werase(app->bar);
		screen_put(scr, app->bar, 0, 0, getmaxx(app->bar), app->message, app->message_role);
		return;
	}
	const ui_keyhint *local = NULL, *global = keys_global;
	if (app->view == VIEW_MAIN) {
		local = app->panels[app->focus].cls->hints;
	} else {
		local = app->view == VIEW_DETAIL ? app->panels[app->focus].cls->detail_hints
			: app->view == VIEW_WALK ? walkthrough_hints
			: app->view == VIEW_HEALTH ? keys_health : NULL;
		global = keys_page;
	}
	keys_draw_bar(scr, app->bar, local, global, &app->bar_hits);
}

static void render(ui_app *app)
{
	ui_screen *scr = &app->scr;
	if (app->dirty & DIRTY_LAYOUT)
		layout(app);
	if (screen_too_small(scr)) {
		screen_draw_too_small(scr);
		doupdate();
		app->dirty = 0;
		return;
	}
	if (app->dirty & DIRTY_HEADER) {
		header_draw(app);
		wnoutrefresh(app->header);
	}
	if (app->view == VIEW_MAIN) {
		for (int i = 0; i < UI_N_PANELS; i++) {
			ui_panel *p = &app->panels[i];
			if (!p->win || (!(app->dirty & DIRTY_PANELS) && !p->dirty))
				continue;
			dashboard_draw_panel(app, i);
			p->dirty = 0;
			wnoutrefresh(p->win);
		}
	} else if (app->dirty & DIRTY_PAGE) {
		if (app->view == VIEW_WALK)
			walkthrough_draw(app, app->page);
		else
			pager_draw(&app->pager, scr, app->page);
		wnoutrefresh(app->page);
	}
	if (app->dirty & DIRTY_BAR) {
		draw_bar(app);
		wnoutrefresh(app->bar);
	}
	doupdate();
	app->dirty = 0;
}

static void focus_panel(ui_app *app, int idx)
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

void app_back_to_main(ui_app *app)
{
	app->view = VIEW_MAIN;
	app->dirty |= DIRTY_ALL;
}

static void open_detail(ui_app *app)
{
	ui_panel *p = &app->panels[app->focus];
	if (!p->cls->detail)
		return;
	pager_reset(&app->pager, p->cls->title);
	p->cls->detail(p, app, &app->pager);
	app->view = VIEW_DETAIL;
	app->dirty |= DIRTY_ALL;
}

void app_rebuild_detail(ui_app *app)
{
	ui_panel *p = &app->panels[app->focus];
	int cursor = app->pager.cursor, top = app->pager.top;
	pager_reset(&app->pager, p->cls->title);
	p->cls->detail(p, app, &app->pager);
	if (cursor <= app->pager.n_select)
		app->pager.cursor = cursor;
	app->pager.top = top;
	app->dirty |= DIRTY_PAGE;
}

static void apply_panel_result(ui_app *app, ui_panel *p, int r, const ui_request *req)
{
	if (r & PANEL_REDRAW)
		p->dirty = 1;
	if (r & PANEL_REQUEST)
		app_request(app, req);
}

static void set_filter(ui_app *app, const char *text)
{
	ui_panel *p = &app->panels[app->focus];
	copy_text(p->filter, sizeof p->filter, text);
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

static void handle_main_key(ui_app *app, int key)
{
	ui_panel *p = &app->panels[app->focus];
	ui_request req;
	if (p->cls->key) {
		int r = p->cls->key(p, app, key, &req);
		if (r != PANEL_IGNORED) {
			apply_panel_result(app, p, r, &req);
			return;
		}
	}
	if (p->cls->count) {
		int count = p->cls->count(p, app);
		int r = panel_move(p, key, count, dashboard_visible_rows(app, app->focus));
		if (r != PANEL_IGNORED) {
			apply_panel_result(app, p, r, NULL);
			return;
		}
	}
	switch (key) {
	case KEY_TAB: case KEY_RIGHT: case 'l':
		focus_panel(app, (app->focus + 1) % UI_N_PANELS);
		break;
	case KEY_BTAB: case KEY_LEFT: case 'h':
		focus_panel(app, (app->focus + UI_N_PANELS - 1) % UI_N_PANELS);
		break;
	case '1': case '2': case '3': case '4': case '5':
		focus_panel(app, key - '1');
		break;
	case '\r': case '\n': case KEY_ENTER:
		open_detail(app);
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

void app_open_help(ui_app *app)
{
	note_page_return(app);
	help_fill(app, &app->pager);
	app->view = VIEW_HELP;
	app->dirty |= DIRTY_ALL;
}

static void handle_page_key(ui_app *app, int key)
{
	if (app->view == VIEW_WALK) {
		ui_request req;
		int r = walkthrough_key(app, key, &req);
		if (r == WALK_REQUEST)
			app_request(app, &req);
		if (r != WALK_IGNORED)
			return;
		if (key == KEY_ESC || key == 'q') {
			app_back_to_main(app);
			return;
		}
	}
	if (key == KEY_ESC || key == 'q') {
		if ((app->view == VIEW_HELP || app->view == VIEW_MESSAGE) &&
			app->page_return == VIEW_WALK) {
			app->view = VIEW_WALK;
			app->dirty |= DIRTY_ALL;
		} else {
			app_back_to_main(app);
		}
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
	if (app->view == VIEW_DETAIL) {
		ui_panel *p = &app->panels[app->focus];
		ui_request req;
		if (p->cls->detail_key) {
			int r = p->cls->detail_key(p, app, key, &req);
			if (r != PANEL_IGNORED) {
				apply_panel_result(app, p, r, &req);
				return;
			}
		}
	}
	if (key == ':') {
		open_command_line(app);
		return;
	}
	if (app->view != VIEW_WALK && pager_key(&app->pager, key, app->page))
		app->dirty |= DIRTY_PAGE;
}

/* Up and Down walk the ':' history; Tab completes. 1 when used. */
static int command_line_key(ui_app *app, int is_key, unsigned int ch)
{
	ui_prompt *pr = &app->prompt;
	if (pr->kind != PROMPT_COMMAND)
		return 0;
	if (is_key && (ch == KEY_UP || ch == KEY_DOWN)) {
		int pos = app->history_pos + (ch == KEY_UP ? -1 : 1);
		if (pos < 0 || pos > app->n_history)
			return 1;
		app->history_pos = pos;
		prompt_set(pr, pos < app->n_history ? app->history[pos] : "");
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

static void handle_key(ui_app *app, int is_key, unsigned int ch)
{
	if (app->message[0]) {
		app->message[0] = '\0';
		app->dirty |= DIRTY_BAR;
	}
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
		focus_panel(app, i);
		for (int k = 0; k < 3 && p->cls->count; k++)
			if (panel_move(p, key, p->cls->count(p, app), dashboard_visible_rows(app, i)) ==
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
		focus_panel(app, i);
		if (!p->cls->count)
			return;
		int row = ev->y - getbegy(p->win) - 1 - p->cls->list_offset;
		int count = p->cls->count(p, app);
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
	if (app->message[0]) {
		app->message[0] = '\0';
		app->dirty |= DIRTY_BAR;
	}
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

/* Reads every key waiting; returns 0 when the terminal gave nothing. */
static int read_keys(ui_app *app)
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

static void check_data_version(ui_app *app)
{
	long long ms = app_monotonic_ms();
	if (ms - app->last_version_check_ms < DATA_VERSION_CHECK_MS)
		return;
	app->last_version_check_ms = ms;
	long long v;
	okdf_err e = { 0 };
	if (db_data_version(app->db, &v, &e) != OKDF_OK)
		return;
	if (app->data_version && v != app->data_version)
		app_reload(app);
	app->data_version = v;
}

/* Milliseconds until the next thing the loop must do unprompted: the clock's
 * next minute or the next data_version check. */
static int poll_timeout(ui_app *app)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long to_minute = (60 - ts.tv_sec % 60) * 1000 - ts.tv_nsec / 1000000;
	long long to_check = DATA_VERSION_CHECK_MS -
		(app_monotonic_ms() - app->last_version_check_ms);
	long long t = to_minute < to_check ? to_minute : to_check;
	if (app->reload_due) {
		long long to_reload = RELOAD_SPACING_MS - (app_monotonic_ms() - app->last_reload_ms);
		t = to_reload < t ? to_reload : t;
	}
	return t < 10 ? 10 : (int)t;
}

static void clock_tick(ui_app *app)
{
	long long now;
	okdf_err e = { 0 };
	if (time_now(&now, &e) != OKDF_OK)
		return;
	/* Day counts, "today" and ages move with the clock: reload once a minute. */
	if (now / 60 != app->last_minute)
		app_reload(app);
}

static void drain(int fd)
{
	char buf[256];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

static void loop(ui_app *app)
{
	int dead_reads = 0;
	while (!app->quit) {
		render(app);
		struct pollfd fds[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = app->opt.wake_fd, .events = POLLIN },
		};
		int nfds = app->opt.wake_fd >= 0 ? 2 : 1;
		int rc = poll(fds, (nfds_t)nfds, poll_timeout(app));
		if (got_signal) {
			log_msg("signal %d: leaving", (int)got_signal);
			break;
		}
		if (rc < 0) {
			if (errno != EINTR)
				break;
			/* SIGWINCH: curses turns it into KEY_RESIZE. */
			read_keys(app);
			continue;
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			log_msg("terminal gone: leaving");
			break;
		}
		if (fds[0].revents & POLLIN) {
			if (read_keys(app))
				dead_reads = 0;
			else if (++dead_reads > DEAD_TTY_READS)
				break;
		}
		if (nfds == 2 && (fds[1].revents & POLLIN)) {
			drain(app->opt.wake_fd);
			app->reload_due = 1;
		}
		if (app->reload_due &&
			app_monotonic_ms() - app->last_reload_ms >= RELOAD_SPACING_MS)
			app_reload(app);
		clock_tick(app);
		check_data_version(app);
	}
}

int ui_theme_load(const char *theme_opt, const okdf_config *cfg, theme *th, okdf_err *e)
{
	char dir[4096];
	if (paths_running_from_build())
		snprintf(dir, sizeof dir, "%s", OKDF_SOURCE_THEMEDIR);
	else
		snprintf(dir, sizeof dir, "%s/themes", OKDF_INSTALLED_DATADIR);
	return theme_load(theme_opt ? theme_opt : cfg->ui_theme, dir, th, e);
}

int ui_run(const ui_options *opt, okdf_err *e)
{
	static ui_app app;
	memset(&app, 0, sizeof app);
	app.opt = *opt;
	operator_current(&app.op);
	okdf_err le = { 0 };
	if (log_open(&le) != OKDF_OK)
		fprintf(stderr, "okdf: %s (continuing without a log)\n", le.msg);
	int rc = db_open(opt->db_path, &app.db, e);
	char dir[4096];
	if (!rc)
		rc = paths_data_dir(opt->data_dir, dir, sizeof dir, e);
	if (!rc)
		rc = phases_load(dir, &app.catalog, e);
	if (rc)
		goto out;
	app.model.catalog = app.catalog;
	app.model.window = MODEL_WIN_30D;
	app.seen_critical = -1;
	app.seen_action_at = -1;
	dashboard_init(&app);

	struct sigaction sa = { 0 };
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	struct sigaction old[3];
	const int sigs[3] = { SIGHUP, SIGTERM, SIGINT };
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	got_signal = 0;

	rc = screen_open(&app.scr, opt->th, opt->ascii, e);
	if (rc == OKDF_OK) {
		log_msg("ui start: db %s, theme %s, operator %s", opt->db_path, opt->th->name,
			app.op.name);
		app.dirty = DIRTY_ALL;
		/* Presses, not clicks: no wait to tell a click from a double one. */
		if (opt->cfg && opt->cfg->ui_mouse) {
			mouseinterval(0);
			mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
		}
		app_reload(&app);
		if (opt->start_walkthrough)
			walkthrough_open(&app, -1);
		loop(&app);
		screen_close(&app.scr);
		log_msg("ui stop");
	}
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
out:
	pager_free(&app.pager);
	walkthrough_free(&app.walk);
	model_free(&app.model);
	phases_free(app.catalog);
	if (app.db)
		db_close(app.db);
	log_close();
	return rc;
}

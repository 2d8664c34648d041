/* The app's loop and frame: ui_run opens the database, the catalog and
 * the screen and closes them; the loop blocks in poll() on the terminal and
 * the sync workers' wake-up fd, reloads the model when workers wrote (at
 * most once per RELOAD_SPACING_MS), when another process wrote (PRAGMA
 * data_version, every DATA_VERSION_CHECK_MS) and each minute, and repaints
 * only what the dirty flags name. Keys go to input.c; views to view.c. */
#include "app_private.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "okdf/core/paths.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/ui/dashboard.h"
#include "okdf/ui/header.h"
#include "okdf/ui/log.h"
#include "okdf_build.h"

/* How often the UI looks for writes by other processes (another operator's
 * UI, `okdf ack` in a shell, `okdf sync` when it owns the workers): one
 * PRAGMA data_version, a read of a counter in shared memory. */
#define DATA_VERSION_CHECK_MS 2000

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

/* Milliseconds on a monotonic clock. */
static long long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void app_reload(ui_app *app)
{
	okdf_err e = { 0 };
	long long now;
	if (time_now(&now, &e) != OKDF_OK)
		now = (long long)time(NULL);
	model_load(&app->model, app->db, now);
	app->pace.reload_due = 0;
	app->pace.reload_ms = monotonic_ms();
	app->pace.minute = now / 60;
	app_after_reload(app);
}

static void layout(ui_app *app)
{
	ui_screen *scr = &app->scr;
	screen_update_size(scr);
	WINDOW **wins[] = { &app->win.header, &app->win.bar, &app->win.page };
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
	app->win.header = newwin(1, cols, 0, 0);
	app->win.bar = newwin(1, cols, rows - 1, 0);
	app->win.page = newwin(rows - 2, cols, 1, 0);
	dashboard_layout(app, 1, rows - 2, cols);
	app->dirty |= DIRTY_ALL;
}

static void draw_bar(ui_app *app)
{
	ui_screen *scr = &app->scr;
	if (app->prompt.kind != PROMPT_NONE) {
		prompt_draw(&app->prompt, scr, app->win.bar);
		return;
	}
	app->bar_hits.n = 0;
	if (app->message.text[0]) {
		wbkgdset(app->win.bar, ' ' | scr->attr[ROLE_NORMAL]);
		werase(app->win.bar);
		screen_put(scr, app->win.bar, 0, 0, getmaxx(app->win.bar), app->message.text, app->message.role);
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
	keys_draw_bar(scr, app->win.bar, local, global, &app->bar_hits);
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
		wnoutrefresh(app->win.header);
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
		if (app->view == VIEW_WALK) {
			ui_panel_ctx cx = app_panel_ctx(app, -1);
			walkthrough_draw(&app->walk, &cx, app->win.page);
		} else {
			pager_draw(&app->pager, scr, app->win.page);
		}
		wnoutrefresh(app->win.page);
	}
	if (app->dirty & DIRTY_BAR) {
		draw_bar(app);
		wnoutrefresh(app->win.bar);
	}
	doupdate();
	app->dirty = 0;
}

static void check_data_version(ui_app *app)
{
	long long ms = monotonic_ms();
	if (ms - app->pace.version_check_ms < DATA_VERSION_CHECK_MS)
		return;
	app->pace.version_check_ms = ms;
	long long v;
	okdf_err e = { 0 };
	if (db_data_version(app->db, &v, &e) != OKDF_OK)
		return;
	if (app->pace.data_version && v != app->pace.data_version)
		app_reload(app);
	app->pace.data_version = v;
}

/* Milliseconds until the next thing the loop must do unprompted: the clock's
 * next minute or the next data_version check. */
static int poll_timeout(ui_app *app)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long to_minute = (60 - ts.tv_sec % 60) * 1000 - ts.tv_nsec / 1000000;
	long long to_check = DATA_VERSION_CHECK_MS -
		(monotonic_ms() - app->pace.version_check_ms);
	long long t = to_minute < to_check ? to_minute : to_check;
	if (app->pace.reload_due) {
		long long to_reload = RELOAD_SPACING_MS - (monotonic_ms() - app->pace.reload_ms);
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
	if (now / 60 != app->pace.minute)
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
			app_read_keys(app);
			continue;
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			log_msg("terminal gone: leaving");
			break;
		}
		if (fds[0].revents & POLLIN) {
			if (app_read_keys(app))
				dead_reads = 0;
			else if (++dead_reads > DEAD_TTY_READS)
				break;
		}
		if (nfds == 2 && (fds[1].revents & POLLIN)) {
			drain(app->opt.wake_fd);
			app->pace.reload_due = 1;
		}
		if (app->pace.reload_due &&
			monotonic_ms() - app->pace.reload_ms >= RELOAD_SPACING_MS)
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
	app.seen.critical = -1;
	app.seen.action_at = -1;
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
			app_open_walkthrough(&app, -1);
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

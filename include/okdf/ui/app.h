/* The Command Center: the main screen (header, five panels, key bar), its
 * full-screen pages (help, details, walkthrough), the ':' and '/' lines, and
 * the loop that blocks in poll() on the terminal and the sync wake-up fd. */
#ifndef OKDF_UI_APP_H
#define OKDF_UI_APP_H

#include "okdf/core/config.h"
#include "okdf/core/operator.h"
#include "okdf/err.h"
#include "okdf/store/db.h"
#include "okdf/ui/action.h"
#include "okdf/ui/model.h"
#include "okdf/ui/pager.h"
#include "okdf/ui/panel.h"
#include "okdf/ui/prompt.h"
#include "okdf/ui/screen.h"
#include "okdf/ui/theme.h"
#include "okdf/ui/walkthrough.h"

enum ui_panel_id {
	PANEL_PHASES,
	PANEL_TTR,
	PANEL_RPOH,
	PANEL_KPIS,
	PANEL_INBOX,
	UI_N_PANELS
};

enum ui_view {
	VIEW_MAIN,
	VIEW_HELP,
	VIEW_DETAIL,      /* the focused panel's detail page */
	VIEW_MESSAGE,     /* a page of text (e.g. why a completion was refused) */
	VIEW_WALK,        /* the phase walkthrough */
	VIEW_HEALTH,      /* connector health, live (pages_health_fill) */
};

/* What to repaint on the next frame. */
enum ui_dirty {
	DIRTY_HEADER = 1,
	DIRTY_PANELS = 2,
	DIRTY_PAGE = 4,
	DIRTY_BAR = 8,
	DIRTY_LAYOUT = 16,
	DIRTY_ALL = 31,
};

/* How the UI was started: the caller has loaded config and theme (so their
 * errors come before the screen opens) and started any sync workers. */
typedef struct ui_options {
	const okdf_config *cfg;
	const char *data_dir;     /* --data-dir, or NULL: where the phase catalog is */
	int ascii;                /* --ascii */
	const theme *th;
	const char *db_path;      /* the database file */
	int start_walkthrough;    /* `okdf walkthrough` */
	int wake_fd;              /* readable when sync workers wrote; -1: none */
	void (*request_sync)(void *ctx); /* NULL: no workers in this process */
	void *sync_ctx;
	const char *sync_note;    /* shown in the header, e.g. "following okdf sync" */
} ui_options;

#define APP_HISTORY 32

typedef struct ui_app {
	ui_options opt;
	ui_screen scr;
	okdf_operator op;
	okdf_db *db;
	ui_model model;
	phase_catalog *catalog;
	long long seen_critical;      /* newest critical escalation already announced */
	long long seen_action_at;     /* newest finished action announced: done_at, id */
	long long seen_action_id;
	char last_error[1024];        /* the model error last shown */

	ui_panel panels[UI_N_PANELS];
	int focus;
	WINDOW *header, *bar, *page;
	enum ui_view view;
	enum ui_view page_return;     /* where Esc on help or a message page goes */
	ui_pager pager;
	ui_walkthrough walk;

	ui_prompt prompt;
	ui_request pending;           /* the action whose questions are being asked */
	char history[APP_HISTORY][PROMPT_MAX]; /* ':' lines run, oldest first */
	int n_history, history_pos;   /* history_pos == n_history: the line being typed */

	ui_keybar_hits bar_hits;      /* where the key bar's entries are, for clicks */
	char message[512];            /* one line on the bar until the next key */
	enum theme_role message_role;

	int dirty;
	int quit;
	long long last_minute;        /* minute shown by the clock */
	long long last_activity;      /* last operator-hours call */
	int reload_due;               /* workers wrote: reload when spacing allows */
	long long last_reload_ms;
	long long data_version;
	long long last_version_check_ms;
} ui_app;

/* Runs the UI until the operator quits or the terminal goes away. */
int ui_run(const ui_options *opt, okdf_err *e);

/* Reads the theme named by theme_opt (--theme), else [ui] theme, else the
 * default: NAME from the themes directory, or a PATH. */
int ui_theme_load(const char *theme_opt, const okdf_config *cfg, theme *th, okdf_err *e);

/* Shows one line on the bar (errors in ROLE_ERROR); the one place the UI
 * reports outcomes. */
void app_message(ui_app *app, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* (ui/request) Asks req's questions on the bottom line (a choice, a text, a y/N), then
 * runs its action and shows the outcome. The one way anything acts. */
void app_request(ui_app *app, const ui_request *req);

/* Runs an action that needs no argument or question (sync, window next,
 * walkthrough, help, quit). */
void app_do(ui_app *app, enum ui_action_kind kind);

/* Parses and runs a ':' command line now. */
void app_run_command(ui_app *app, const char *line);

/* The answer to the pending request's current question (ui/request). */
void app_request_answer(ui_app *app, enum prompt_kind kind, const char *answer);

/* The Health view (rebuilt on every reload while open). */
void app_open_health(ui_app *app);

/* Reloads the model and repaints what shows it. */
void app_reload(ui_app *app);

/* Back to the main screen from any page. */
void app_back_to_main(ui_app *app);

/* The help page (Esc returns to where it was opened). */
void app_open_help(ui_app *app);

/* Rebuilds the open detail page after its data changed. */
void app_rebuild_detail(ui_app *app);

/* Opens a page of text (VIEW_MESSAGE) the caller filled in app->pager. */
void app_show_page(ui_app *app);

/* Milliseconds on a monotonic clock. */
long long app_monotonic_ms(void);

#endif

/* What the files of the app share and nothing outside src/ui sees: the
 * app's state (struct ui_app, grouped by the job that changes each part)
 * and the functions one of its files offers the others. app.c runs the loop
 * (poll on the terminal and the wake-up fd, reload pacing, drawing);
 * input.c turns keys and the mouse into what they do (the ':' line and its
 * history included); view.c opens and closes pages, moves the focus and
 * shows messages; request.c asks a request's questions and runs it. Panels
 * and the walkthrough never see this: they get a ui_panel_ctx (ui/panel.h)
 * and return what they want done. */
#ifndef OKDF_UI_APP_PRIVATE_H
#define OKDF_UI_APP_PRIVATE_H

#include "okdf/core/operator.h"
#include "okdf/store/db.h"
#include "okdf/ui/action.h"
#include "okdf/ui/app.h"
#include "okdf/ui/keys.h"
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

#define APP_HISTORY 32

typedef struct ui_app {
	/* what it runs on */
	ui_options opt;
	okdf_operator op;
	okdf_db *db;
	phase_catalog *catalog;
	ui_model model;

	/* the screen: windows and panels placed by app.c, views by view.c */
	ui_screen scr;
	struct {
		WINDOW *header, *bar, *page; /* the top line, the bottom line, a page */
	} win;
	ui_panel panels[UI_N_PANELS];
	int focus;
	enum ui_view view;
	enum ui_view page_return;     /* where Esc on help or a message page goes */
	ui_pager pager;
	ui_walkthrough walk;
	ui_keybar_hits bar_hits;      /* where the key bar's entries are, for clicks */
	int dirty;
	int quit;

	/* asking: the bottom line's prompt and the request it serves (request.c),
	 * the ':' lines run, oldest first (input.c) */
	ui_prompt prompt;
	ui_request pending;
	struct {
		char lines[APP_HISTORY][PROMPT_MAX];
		int n, pos;               /* pos == n: the line being typed */
	} history;

	/* one line on the bar until the next key (view.c) */
	struct {
		char text[512];
		enum theme_role role;
	} message;

	/* what was already announced (view.c) */
	struct {
		long long critical;       /* newest critical escalation */
		long long action_at;      /* newest finished action: done_at, id */
		long long action_id;
		char error[1024];         /* the model error last shown */
	} seen;

	/* the loop's pacing (app.c; input.c for activity) */
	struct {
		long long minute;         /* minute shown by the clock */
		long long activity;       /* last operator-hours call */
		int reload_due;           /* workers wrote: reload when spacing allows */
		long long reload_ms;
		long long data_version;
		long long version_check_ms;
	} pace;
} ui_app;

/* app.c */

/* Reloads the model and repaints what shows it. */
void app_reload(ui_app *app);

/* input.c */

/* Reads every key and mouse event waiting; 0 when the terminal gave
 * nothing. */
int app_read_keys(ui_app *app);

/* view.c */

/* Shows one line on the bar (errors in ROLE_ERROR, also logged); the one
 * place the UI reports outcomes. */
void app_message(ui_app *app, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What panel idx draws from (the walkthrough's with idx -1). */
ui_panel_ctx app_panel_ctx(ui_app *app, int idx);

void app_focus_panel(ui_app *app, int idx);

/* Copies src into dst of n bytes, cut if longer (src may overlap dst). */
void app_copy_text(char *dst, size_t n, const char *src);

/* The focused panel's detail page (Enter). */
void app_open_detail(ui_app *app);

/* The help page (Esc returns to where it was opened). */
void app_open_help(ui_app *app);

/* The Health view (rebuilt on every reload while open). */
void app_open_health(ui_app *app);

/* Opens a page of text (VIEW_MESSAGE) the caller filled in app->pager. */
void app_show_page(ui_app *app);

/* The walkthrough at catalog index phase, or at the first phase not done
 * when < 0. */
void app_open_walkthrough(ui_app *app, int phase);

/* Esc or q on a page: help and message pages opened from the walkthrough
 * go back to it, everything else to the main screen. */
void app_close_page(ui_app *app);

/* After a reload: open pages rebuilt, selections kept valid, finished
 * actions, a new critical escalation and a new model error announced. */
void app_after_reload(ui_app *app);

/* request.c */

/* Asks req's questions on the bottom line (a choice, a text, a y/N), then
 * runs its action and shows the outcome. The one way anything acts. */
void app_request(ui_app *app, const ui_request *req);

/* The answer to the pending request's current question. */
void app_request_answer(ui_app *app, enum prompt_kind kind, const char *answer);

/* Runs an action that needs no argument or question (sync, window next,
 * walkthrough, help, quit). */
void app_do(ui_app *app, enum ui_action_kind kind);

/* Parses and runs a ':' command line now. */
void app_run_command(ui_app *app, const char *line);

#endif

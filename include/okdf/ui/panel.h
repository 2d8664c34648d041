/* A panel of the main screen. Each panel draws itself from the model and
 * handles its own keys, returning panel_result flags (as htop's
 * HandlerResult); ui/app owns the windows, focus and everything global. */
#ifndef OKDF_UI_PANEL_H
#define OKDF_UI_PANEL_H

#include "okdf/ui/action.h"
#include "okdf/ui/keys.h"
#include "okdf/ui/pager.h"
#include "okdf/ui/screen.h"

struct ui_app;

enum panel_result {
	PANEL_IGNORED = 0,
	PANEL_HANDLED = 1, /* used the key, nothing to repaint */
	PANEL_REDRAW = 2,  /* repaint this panel */
	PANEL_REQUEST = 4, /* ask and run the ui_request it filled in */
};

typedef struct ui_panel ui_panel;

typedef struct ui_panel_class {
	const char *title;
	int list_offset;                /* rows above its list inside the frame */
	const ui_keyhint *hints;        /* the key bar while focused */
	const ui_keyhint *detail_hints; /* the key bar in its detail page */
	/* Rows of its list after the filter (0: no list). */
	int (*count)(ui_panel *p, struct ui_app *app);
	/* Draws the inside of p->win (the frame is drawn by ui/app). */
	void (*draw)(ui_panel *p, struct ui_app *app);
	/* Keys of its own (NULL: none); what they want done goes in req. */
	int (*key)(ui_panel *p, struct ui_app *app, int key, ui_request *req);
	/* Fills the detail page for Enter; NULL: Enter does nothing. */
	void (*detail)(ui_panel *p, struct ui_app *app, ui_pager *pg);
	/* Keys on its detail page (NULL: only scrolling), as key. */
	int (*detail_key)(ui_panel *p, struct ui_app *app, int key, ui_request *req);
	/* Whether a list row matches the filter (NULL: the panel has no filter). */
	int (*matches)(ui_panel *p, struct ui_app *app, int row, const char *filter);
} ui_panel_class;

struct ui_panel {
	const ui_panel_class *cls;
	WINDOW *win;
	int selected;      /* row in the filtered list */
	int top;           /* first row shown */
	char filter[128];  /* "" when none */
	int dirty;
};

/* Moves the selection for j/k, arrows, PgUp/PgDn, Home/End over count rows
 * with `visible` rows on screen. Returns PANEL_REDRAW when it moved,
 * PANEL_IGNORED for other keys. */
int panel_move(ui_panel *p, int key, int count, int visible);

/* Keeps the selection inside count rows and in view of `visible` rows. */
void panel_clamp(ui_panel *p, int count, int visible);

/* Case-insensitive substring test for filters (ASCII letters folded). */
int panel_text_matches(const char *text, const char *filter);

/* The index into the unfiltered list of filtered row `row` (-1 if none). */
int panel_filtered_index(ui_panel *p, struct ui_app *app, int total, int row);

/* Rows after the filter, via cls->matches. */
int panel_filtered_count(ui_panel *p, struct ui_app *app, int total);

#endif

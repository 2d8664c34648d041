/* A panel of the main screen. Each panel draws itself from what the app
 * hands it (a ui_panel_ctx, read-only) and handles its own keys, returning
 * panel_result flags (as htop's HandlerResult) and the request or line it
 * wants; ui/app owns the windows, focus, views, prompts and everything
 * global, and is the only one to change them. */
#ifndef OKDF_UI_PANEL_H
#define OKDF_UI_PANEL_H

#include "okdf/core/config.h"
#include "okdf/core/phases.h"
#include "okdf/store/db.h"
#include "okdf/ui/action.h"
#include "okdf/ui/keys.h"
#include "okdf/ui/model.h"
#include "okdf/ui/pager.h"
#include "okdf/ui/screen.h"

/* What a panel (or the walkthrough) draws from, filled in by the app for
 * each call. */
typedef struct ui_panel_ctx {
	const ui_model *model;
	const phase_catalog *catalog;
	ui_screen *scr;
	okdf_db *db;                /* details read what the model does not hold */
	const okdf_config *cfg;     /* NULL when there is none */
	const char *operator_name;
	int focused;                /* this panel has the focus */
} ui_panel_ctx;

enum panel_result {
	PANEL_IGNORED = 0,
	PANEL_HANDLED = 1, /* used the key, nothing to repaint */
	PANEL_REDRAW = 2,  /* repaint this panel (or page) */
	PANEL_REQUEST = 4, /* ask and run the request in its ui_reaction */
	PANEL_SAY = 8,     /* show the reaction's line on the bar */
};

/* What a key wants done beyond the panel's own state. */
typedef struct ui_reaction {
	ui_request req;    /* PANEL_REQUEST */
	char say[160];     /* PANEL_SAY: plain text, shown dim */
} ui_reaction;

typedef struct ui_panel ui_panel;

typedef struct ui_panel_class {
	const char *title;
	int list_offset;                /* rows above its list inside the frame */
	const ui_keyhint *hints;        /* the key bar while focused */
	const ui_keyhint *detail_hints; /* the key bar in its detail page */
	/* Rows of its list after the filter (0: no list). */
	int (*count)(ui_panel *p, const ui_panel_ctx *cx);
	/* Draws the inside of p->win (the frame is drawn by ui/app). */
	void (*draw)(ui_panel *p, const ui_panel_ctx *cx);
	/* Keys of its own (NULL: none); what they want done goes in out. */
	int (*key)(ui_panel *p, const ui_panel_ctx *cx, int key, ui_reaction *out);
	/* Fills the detail page for Enter; NULL: Enter does nothing. */
	void (*detail)(ui_panel *p, const ui_panel_ctx *cx, ui_pager *pg);
	/* Keys on its detail page (NULL: only scrolling), as key. */
	int (*detail_key)(ui_panel *p, const ui_panel_ctx *cx, int key, ui_reaction *out);
	/* Whether a list row matches the filter (NULL: the panel has no filter). */
	int (*matches)(ui_panel *p, const ui_panel_ctx *cx, int row, const char *filter);
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

/* Rows of its list on screen (1 without a window). */
int panel_visible_rows(const ui_panel *p);

/* Case-insensitive substring test for filters (ASCII letters folded). */
int panel_text_matches(const char *text, const char *filter);

/* The index into the unfiltered list of filtered row `row` (-1 if none). */
int panel_filtered_index(ui_panel *p, const ui_panel_ctx *cx, int total, int row);

/* Rows after the filter, via cls->matches. */
int panel_filtered_count(ui_panel *p, const ui_panel_ctx *cx, int total);

#endif

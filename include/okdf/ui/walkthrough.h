/* The phase walkthrough: one phase per page, in order: goal, guidance, each
 * automatic check live (pass, fail or no data, with why), the sign-offs to
 * give, and why completing is refused, with the override-with-reason
 * prompt; next and previous. */
#ifndef OKDF_UI_WALKTHROUGH_H
#define OKDF_UI_WALKTHROUGH_H

#include <curses.h>

#include "okdf/ui/action.h"
#include "okdf/ui/keys.h"
#include "okdf/ui/pager.h"
#include "okdf/ui/panel.h"

typedef struct ui_walkthrough {
	int phase;      /* index into the catalog */
	ui_pager page;  /* rebuilt from the model on every draw */
	int cursor;     /* selected sign-off, 1-based (pager item) */
	int top;
	int follow;     /* scroll to the cursor on the next draw */
} ui_walkthrough;

extern const ui_keyhint walkthrough_hints[];

/* Places wt at catalog index phase, or at the first phase not done when
 * < 0 (the app shows it). */
void walkthrough_open(ui_walkthrough *wt, const ui_panel_ctx *cx, int phase);

/* Rebuilds the page from the model and draws it in w. */
void walkthrough_draw(ui_walkthrough *wt, const ui_panel_ctx *cx, WINDOW *w);

/* Its keys, as a panel's (panel_result flags, PANEL_IGNORED for the app's
 * own: Esc, q, ?, :): next/previous, the sign-off cursor and scrolling in
 * w; sign off, complete and reopen come back as a request in out. */
int walkthrough_key(ui_walkthrough *wt, const ui_panel_ctx *cx, int key, WINDOW *w,
	ui_reaction *out);

void walkthrough_free(ui_walkthrough *wt);

#endif

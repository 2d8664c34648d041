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

struct ui_app;

typedef struct ui_walkthrough {
	int phase;      /* index into the catalog */
	ui_pager page;  /* rebuilt from the model on every draw */
	int cursor;     /* selected sign-off, 1-based (pager item) */
	int top;
	int follow;     /* scroll to the cursor on the next draw */
} ui_walkthrough;

extern const ui_keyhint walkthrough_hints[];

/* Opens at catalog index phase, or at the first phase not done when < 0. */
void walkthrough_open(struct ui_app *app, int phase);

void walkthrough_draw(struct ui_app *app, WINDOW *w);

enum walk_result {
	WALK_IGNORED, /* not its key: the app's (Esc, q, ?, :) */
	WALK_HANDLED,
	WALK_REQUEST, /* ask and run the ui_request it filled in */
};

/* Its keys: next/previous, the sign-off cursor and scrolling; sign off,
 * complete and reopen come back as a request. */
int walkthrough_key(struct ui_app *app, int key, ui_request *req);

void walkthrough_free(ui_walkthrough *wt);

#endif

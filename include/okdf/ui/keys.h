/* Keys: the hints each view shows in the key bar, the global key table the
 * help screen lists, and the key bar itself (always the focused view's keys
 * first, then the global ones that fit). */
#ifndef OKDF_UI_KEYS_H
#define OKDF_UI_KEYS_H

#include "okdf/ui/screen.h"

#define KEY_ESC 27
#define KEY_TAB 9

typedef struct ui_keyhint {
	const char *key;   /* as shown: "Tab", "a", "Enter" */
	const char *label; /* short, for the key bar */
	const char *help;  /* a sentence for the help screen, or NULL */
} ui_keyhint;

/* Keys that work on the main screen whatever has focus (NULL-terminated). */
extern const ui_keyhint keys_global[];
/* Moving inside any list or page (NULL-terminated). */
extern const ui_keyhint keys_moving[];
/* Keys of the Health view (NULL-terminated). */
extern const ui_keyhint keys_health[];
/* Keys of full-screen pages (help, details, walkthrough) (NULL-terminated). */
extern const ui_keyhint keys_page[];

/* Where each entry of the key bar was drawn, for mouse clicks. */
#define KEYBAR_MAX_HITS 32
typedef struct ui_keybar_hits {
	int n;
	int x0[KEYBAR_MAX_HITS], x1[KEYBAR_MAX_HITS];
	const ui_keyhint *hint[KEYBAR_MAX_HITS];
} ui_keybar_hits;

/* Draws the key bar: local hints, then the global ones that fit, and the
 * last two global ones (? help, q quit) always, at the right edge. hits
 * (may be NULL) receives where each entry went. */
void keys_draw_bar(ui_screen *scr, WINDOW *w, const ui_keyhint *local,
	const ui_keyhint *global, ui_keybar_hits *hits);

/* The key a key-bar entry stands for (a click presses it); 0 for entries
 * that name several keys (1-5, j/k). */
int keys_hint_key(const ui_keyhint *h);

#endif

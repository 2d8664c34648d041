/* A scrollable full-screen page of styled lines, word-wrapped to the window:
 * the help screen and every detail view are pagers. */
#ifndef OKDF_UI_PAGER_H
#define OKDF_UI_PAGER_H

#include "okdf/ui/screen.h"

typedef struct ui_line {
	enum theme_role role;
	int indent;  /* columns, also for wrapped continuation lines */
	int hang;    /* extra columns for continuation lines (under a label) */
	int select;  /* an item the cursor can stop on (>= 1), else 0 */
	char *text;  /* sanitized */
} ui_line;

typedef struct ui_pager {
	char title[160];
	ui_line *lines;
	int n, cap;
	int top;        /* first wrapped row shown */
	int cursor;     /* selected item number (1-based), 0 when none */
	int n_select;
	int follow;     /* the cursor moved: scroll it into view on the next draw */
} ui_pager;

void pager_reset(ui_pager *p, const char *title);
void pager_free(ui_pager *p);

/* Adds a line of plain text we wrote ourselves (printf-style). */
void pager_addf(ui_pager *p, enum theme_role role, int indent, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Adds label then untrusted text, sanitized for scr. */
void pager_add_untrusted(ui_pager *p, const ui_screen *scr, enum theme_role role, int indent,
	const char *label, const char *untrusted);

/* Marks the last line added as selectable item number (returned). */
int pager_mark_item(ui_pager *p);

/* Draws into w (frame included) with the cursor item highlighted. */
void pager_draw(ui_pager *p, ui_screen *scr, WINDOW *w);

/* Scroll and cursor keys; returns 1 when the key was used. */
int pager_key(ui_pager *p, int key, WINDOW *w);

#endif

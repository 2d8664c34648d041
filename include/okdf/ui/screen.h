/* The terminal: curses setup and teardown, colour pairs from the theme,
 * UTF-8 or ASCII glyphs, stderr sent to the log while curses is up, and
 * small drawing helpers every panel uses. Only the UI thread calls these. */
#ifndef OKDF_UI_SCREEN_H
#define OKDF_UI_SCREEN_H

#include <curses.h>

#include "okdf/err.h"
#include "okdf/ui/theme.h"

/* The smallest terminal okdf draws on (two panels); the full layout of five
 * panels needs SCREEN_FULL_COLS x SCREEN_FULL_ROWS (80x24 under tmux's status
 * line is 80x23). */
#define SCREEN_MIN_COLS 60
#define SCREEN_MIN_ROWS 16
#define SCREEN_FULL_COLS 80
#define SCREEN_FULL_ROWS 23

/* Glyphs for line drawing and graphs; pure ASCII when the locale is not
 * UTF-8 or with --ascii. */
typedef struct ui_glyphs {
	const char *spark[8];   /* sparkline levels, lowest first */
	const char *bar;        /* one cell of a bar */
	const char *pass, *fail, *nodata;
	const char *hline, *vline, *tl, *tr, *bl, *br;
} ui_glyphs;

typedef struct ui_screen {
	int rows, cols;
	int ascii;           /* 7-bit output only */
	int use_color;
	int colors;          /* 256, 16 or 8 when use_color */
	attr_t attr[ROLE_COUNT];
	const ui_glyphs *g;
	int saved_stderr;    /* the real stderr while curses is up, else -1 */
	int open;
} ui_screen;

/* Initialises curses on the terminal: colour from the theme fitted to the
 * terminal (none with NO_COLOR or without colour support), stderr redirected
 * to the log file. */
int screen_open(ui_screen *s, const theme *t, int force_ascii, okdf_err *e);

/* Restores the terminal and stderr. Safe to call twice. */
void screen_close(ui_screen *s);

/* Rereads the terminal size after KEY_RESIZE. */
void screen_update_size(ui_screen *s);

int screen_too_small(const ui_screen *s);

/* The centred "terminal too small" note. */
void screen_draw_too_small(ui_screen *s);

/* Frame around w with an optional title (already sanitized). */
void screen_frame(ui_screen *s, WINDOW *w, const char *title, int focused);

/* Writes sanitized text at (y, x), cut to cols columns; returns columns used. */
int screen_put(ui_screen *s, WINDOW *w, int y, int x, int cols, const char *text,
	enum theme_role role);

/* Formatted screen_put; the result must be plain (already sanitized) text. */
int screen_putf(ui_screen *s, WINDOW *w, int y, int x, int cols, enum theme_role role,
	const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Sanitizes untrusted text for this screen (ASCII-only in ASCII mode). */
void screen_clean(const ui_screen *s, const char *in, char *out, size_t n);

/* A sparkline of n values scaled to their maximum, cells_each cells per
 * value, into out. */
void screen_sparkline(const ui_screen *s, const long long *v, int n, int cells_each, char *out,
	size_t outn);

#endif

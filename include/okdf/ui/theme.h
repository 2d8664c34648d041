/* Themes: themes/NAME.theme files of "role = fg bg [attrs]" lines (format in
 * themes/README), and the colour ladder that fits them to the terminal:
 * 256 colours, 16, 8, or none (monochrome, NO_COLOR). Pure: no curses here;
 * ui/screen turns a resolved theme into colour pairs. */
#ifndef OKDF_UI_THEME_H
#define OKDF_UI_THEME_H

#include <stddef.h>

#include "okdf/err.h"

/* Every role a theme sets; themes/README documents each. */
enum theme_role {
	ROLE_NORMAL,
	ROLE_DIM,
	ROLE_HEADER,
	ROLE_BORDER,
	ROLE_BORDER_FOCUS,
	ROLE_TITLE,
	ROLE_TITLE_FOCUS,
	ROLE_CURSOR,
	ROLE_KEYBAR,
	ROLE_KEYBAR_KEY,
	ROLE_GOOD,
	ROLE_WARNING,
	ROLE_BAD,
	ROLE_CRITICAL,
	ROLE_ACCENT,
	ROLE_BAR,
	ROLE_PROMPT,
	ROLE_ERROR,
	ROLE_COUNT
};

enum theme_attr {
	THEME_BOLD = 1,
	THEME_DIM = 2,
	THEME_UNDERLINE = 4,
	THEME_REVERSE = 8,
	THEME_ITALIC = 16,
};

#define THEME_COLOR_DEFAULT (-1)

typedef struct theme_style {
	int fg, bg;  /* 0-255, or THEME_COLOR_DEFAULT */
	int attrs;   /* enum theme_attr bits */
} theme_style;

typedef struct theme {
	char name[64];
	char path[4096]; /* the file read, "" for the built-in default */
	theme_style style[ROLE_COUNT];
} theme;

/* The built-in dark theme (the same as themes/default.theme). */
void theme_builtin_default(theme *t);

/* Parses theme text: roles not named keep the built-in default; name is
 * used in messages ("name:line: ..."). Errors are OKDF_EINPUT. */
int theme_parse(const char *text, const char *name, theme *t, okdf_err *e);

/* Reads the theme named by spec: a path when it contains '/' or ends in
 * ".theme", else NAME.theme from $XDG_CONFIG_HOME/okdf/themes, then
 * themedir. spec NULL or "" gives the built-in default. */
int theme_load(const char *spec, const char *themedir, theme *t, okdf_err *e);

/* The colour a theme colour becomes on a terminal of `colors` colours
 * (>= 256, 16 or 8): colours 16-255 map to the nearest of the 16 basic
 * ones, and bright colours 8-15 to their base colour on 8-colour terminals.
 * The default colour stays default. */
int theme_color_fit(int color, int colors);

/* The style a role gets on this terminal. use_color 0 (NO_COLOR,
 * monochrome, TERM=vt100) keeps attributes only, with reverse or bold added
 * where colour alone set a role apart (cursor, focus, bad, ...). */
theme_style theme_resolve(const theme *t, enum theme_role r, int colors, int use_color);

#endif

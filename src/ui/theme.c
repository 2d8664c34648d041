#include "okdf/ui/theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/paths.h"

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_NORMAL] = "normal",
	[ROLE_DIM] = "dim",
	[ROLE_HEADER] = "header",
	[ROLE_BORDER] = "border",
	[ROLE_BORDER_FOCUS] = "border-focus",
	[ROLE_TITLE] = "title",
	[ROLE_TITLE_FOCUS] = "title-focus",
	[ROLE_CURSOR] = "cursor",
	[ROLE_KEYBAR] = "keybar",
	[ROLE_KEYBAR_KEY] = "keybar-key",
	[ROLE_GOOD] = "good",
	[ROLE_WARNING] = "warning",
	[ROLE_BAD] = "bad",
	[ROLE_CRITICAL] = "critical",
	[ROLE_ACCENT] = "accent",
	[ROLE_BAR] = "bar",
	[ROLE_PROMPT] = "prompt",
	[ROLE_ERROR] = "error",
};

/* What each role needs on a terminal without colour to stay distinguishable. */
static const int mono_attrs[ROLE_COUNT] = {
	[ROLE_HEADER] = THEME_REVERSE,
	[ROLE_BORDER_FOCUS] = THEME_BOLD,
	[ROLE_TITLE_FOCUS] = THEME_REVERSE | THEME_BOLD,
	[ROLE_CURSOR] = THEME_REVERSE,
	[ROLE_KEYBAR] = THEME_REVERSE,
	[ROLE_KEYBAR_KEY] = THEME_BOLD,
	[ROLE_BAD] = THEME_REVERSE,
	[ROLE_CRITICAL] = THEME_BOLD | THEME_REVERSE,
	[ROLE_WARNING] = THEME_UNDERLINE,
	[ROLE_PROMPT] = THEME_BOLD,
	[ROLE_ERROR] = THEME_BOLD,
};

static const char *const color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white",
};

static const struct {
	const char *name;
	int bit;
} attr_names[] = {
	{ "bold", THEME_BOLD }, { "dim", THEME_DIM }, { "underline", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE }, { "italic", THEME_ITALIC },
};

void theme_builtin_default(theme *t)
{
	static const theme_style dark[ROLE_COUNT] = {
		[ROLE_NORMAL] = { -1, -1, 0 },
		[ROLE_DIM] = { 8, -1, 0 },
		[ROLE_HEADER] = { 15, 24, THEME_BOLD },
		[ROLE_BORDER] = { 8, -1, 0 },
		[ROLE_BORDER_FOCUS] = { 6, -1, THEME_BOLD },
		[ROLE_TITLE] = { 7, -1, THEME_BOLD },
		[ROLE_TITLE_FOCUS] = { 0, 6, THEME_BOLD },
		[ROLE_CURSOR] = { 15, 24, THEME_BOLD },
		[ROLE_KEYBAR] = { 7, 236, 0 },
		[ROLE_KEYBAR_KEY] = { 0, 6, THEME_BOLD },
		[ROLE_GOOD] = { 2, -1, THEME_BOLD },
		[ROLE_WARNING] = { 3, -1, THEME_BOLD },
		[ROLE_BAD] = { 1, -1, THEME_BOLD },
		[ROLE_CRITICAL] = { 15, 1, THEME_BOLD },
		[ROLE_ACCENT] = { 6, -1, 0 },
		[ROLE_BAR] = { 4, -1, 0 },
		[ROLE_PROMPT] = { 11, -1, THEME_BOLD },
		[ROLE_ERROR] = { 9, -1, THEME_BOLD },
	};
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "default");
	memcpy(t->style, dark, sizeof dark);
}

static int parse_color(const char *w, int *out)
{
	if (strcmp(w, "default") == 0) {
		*out = THEME_COLOR_DEFAULT;
		return 1;
	}
	for (int i = 0; i < 16; i++) {
		if (strcmp(w, color_names[i]) == 0) {
			*out = i;
			return 1;
		}
	}
	if (strcmp(w, "gray") == 0 || strcmp(w, "grey") == 0) {
		*out = 8;
		return 1;
	}
	if (w[0] == '#' && strlen(w) == 7) {
		unsigned int rgb[3];
		for (int i = 0; i < 3; i++) {
			char hex[3] = { w[1 + 2 * i], w[2 + 2 * i], 0 };
			if (!isxdigit((unsigned char)hex[0]) || !isxdigit((unsigned char)hex[1]))
				return 0;
			rgb[i] = (unsigned int)strtoul(hex, NULL, 16);
		}
		/* Nearest in the xterm 6x6x6 cube (16-231). */
		int idx[3];
		for (int i = 0; i < 3; i++)
			idx[i] = rgb[i] < 48 ? 0 : rgb[i] < 115 ? 1 : (int)(rgb[i] - 35) / 40;
		*out = 16 + 36 * idx[0] + 6 * idx[1] + idx[2];
		return 1;
	}
	char *end;
	errno = 0;
	long v = strtol(w, &end, 10);
	if (*w && !*end && !errno && v >= 0 && v <= 255) {
		*out = (int)v;
		return 1;
	}
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int parse_line(char *line, const char *name, int lineno, theme *t, okdf_err *e)
{
	/* '#' starts a comment unless it is a #RRGGBB colour. */
	for (char *h = strchr(line, '#'); h; h = strchr(h + 1, '#')) {
		int colour = 1;
		/* Stop at the first non-digit: never read past the line's end. */
		for (int k = 1; k <= 6 && colour; k++)
			if (!isxdigit((unsigned char)h[k]))
				colour = 0;
		if (colour && h[7] && !isspace((unsigned char)h[7]))
			colour = 0;
		if (!colour) {
			*h = '\0';
			break;
		}
	}
	char *s = trim(line);
	if (!*s)
		return OKDF_OK;
	char *eq = strchr(s, '=');
	if (!eq)
		return okdf_err_set(e, OKDF_EINPUT, "%s:%d: expected 'role = fg bg [attrs]'",
			name, lineno);
	*eq = '\0';
	char *role = trim(s);
	int r = -1;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role, role_names[i]) == 0)
			r = i;
	if (r < 0)
		return okdf_err_set(e, OKDF_EINPUT, "%s:%d: unknown role '%s'", name, lineno, role);
	theme_style st = { THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, 0 };
	int nword = 0;
	char *save = NULL;
	for (char *w = strtok_r(eq + 1, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (nword < 2) {
			if (!parse_color(w, nword == 0 ? &st.fg : &st.bg))
				return okdf_err_set(e, OKDF_EINPUT,
					"%s:%d: bad colour '%s' for %s (a name, 0-255 or #RRGGBB)",
					name, lineno, w, role);
		} else {
			size_t k = 0;
			while (k < sizeof attr_names / sizeof attr_names[0] &&
				strcmp(w, attr_names[k].name) != 0)
				k++;
			if (k == sizeof attr_names / sizeof attr_names[0])
				return okdf_err_set(e, OKDF_EINPUT,
					"%s:%d: unknown attribute '%s' (bold, dim, underline, reverse, italic)",
					name, lineno, w);
			st.attrs |= attr_names[k].bit;
		}
		nword++;
	}
	if (nword < 2)
		return okdf_err_set(e, OKDF_EINPUT, "%s:%d: %s needs a foreground and a background",
			name, lineno, role);
	t->style[r] = st;
	return OKDF_OK;
}

int theme_parse(const char *text, const char *name, theme *t, okdf_err *e)
{
	theme_builtin_default(t);
	int lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		char line[512];
		if (len >= sizeof line)
			return okdf_err_set(e, OKDF_EINPUT, "%s:%d: line too long", name, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		int rc = parse_line(line, name, lineno, t, e);
		if (rc)
			return rc;
		p += len + (nl ? 1 : 0);
	}
	return OKDF_OK;
}

static int read_file(const char *path, char **text, okdf_err *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return okdf_err_set(e, errno == ENOENT ? OKDF_ENOTFOUND : OKDF_EINPUT,
			"%s: %s", path, strerror(errno));
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += k;
		if (len + 1 < cap)
			continue;
		char *nb = cap < (1 << 20) ? realloc(buf, cap * 2) : NULL;
		free(nb ? NULL : buf);
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	if (!buf)
		return okdf_err_set(e, OKDF_EINPUT, "%s: too large or out of memory", path);
	buf[len] = '\0';
	*text = buf;
	return OKDF_OK;
}

static int load_path(const char *path, theme *t, okdf_err *e)
{
	char *text = NULL;
	int rc = read_file(path, &text, e);
	if (rc)
		return rc;
	rc = theme_parse(text, path, t, e);
	free(text);
	if (rc)
		return rc;
	snprintf(t->path, sizeof t->path, "%s", path);
	const char *base = strrchr(path, '/');
	snprintf(t->name, sizeof t->name, "%s", base ? base + 1 : path);
	char *dot = strstr(t->name, ".theme");
	if (dot)
		*dot = '\0';
	return OKDF_OK;
}

int theme_load(const char *spec, const char *themedir, theme *t, okdf_err *e)
{
	if (!spec || !spec[0]) {
		theme_builtin_default(t);
		return OKDF_OK;
	}
	size_t sl = strlen(spec);
	if (strchr(spec, '/') || (sl > 6 && strcmp(spec + sl - 6, ".theme") == 0)) {
		/* A file the operator named must exist: bad input, not "not found". */
		int rc = load_path(spec, t, e);
		if (rc == OKDF_ENOTFOUND)
			rc = e->code = OKDF_EINPUT;
		return rc;
	}
	for (const char *c = spec; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
			return okdf_err_set(e, OKDF_EINPUT, "bad theme name '%s'", spec);
	char name[128], path[4096];
	snprintf(name, sizeof name, "themes/%s.theme", spec);
	okdf_err ignore = { 0 };
	if (paths_xdg_file("CONFIG", name, path, sizeof path, &ignore) == OKDF_OK) {
		int rc = load_path(path, t, e);
		if (rc != OKDF_ENOTFOUND)
			return rc;
	}
	snprintf(path, sizeof path, "%s/%s.theme", themedir, spec);
	int rc = load_path(path, t, e);
	if (rc == OKDF_ENOTFOUND)
		return okdf_err_set(e, OKDF_EINPUT, "no theme '%s' (looked in %s)", spec, themedir);
	return rc;
}

/* xterm's default RGB for colours 0-15, to map the 256-colour range down. */
static const unsigned char basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static void rgb_of(int c, int rgb[3])
{
	if (c < 16) {
		for (int i = 0; i < 3; i++)
			rgb[i] = basic_rgb[c][i];
	} else if (c < 232) {
		static const int level[6] = { 0, 95, 135, 175, 215, 255 };
		int v = c - 16;
		rgb[0] = level[v / 36];
		rgb[1] = level[(v / 6) % 6];
		rgb[2] = level[v % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

int theme_color_fit(int color, int colors)
{
	if (color < 0 || colors >= 256)
		return color;
	if (color >= 16) {
		int rgb[3], best = 0;
		long best_d = -1;
		rgb_of(color, rgb);
		for (int i = 0; i < 16; i++) {
			long d = 0;
			for (int k = 0; k < 3; k++) {
				long diff = rgb[k] - basic_rgb[i][k];
				d += diff * diff;
			}
			if (best_d < 0 || d < best_d)
				best_d = d, best = i;
		}
		color = best;
	}
	if (colors < 16 && color >= 8)
		color -= 8;
	return color;
}

theme_style theme_resolve(const theme *t, enum theme_role r, int colors, int use_color)
{
	theme_style s = t->style[r];
	if (!use_color) {
		s.fg = s.bg = THEME_COLOR_DEFAULT;
		s.attrs |= mono_attrs[r];
		return s;
	}
	/* Grey folds to black on 8 colours, unreadable on a dark console
	 * (TERM=linux): the terminal's own colour, dimmed, instead. */
	if (colors < 16 && s.fg >= 0 && theme_color_fit(s.fg, 16) == 8) {
		s.fg = THEME_COLOR_DEFAULT;
		s.attrs |= THEME_DIM;
	}
	s.fg = theme_color_fit(s.fg, colors);
	s.bg = theme_color_fit(s.bg, colors);
	/* Folding may leave text invisible on its own background. */
	if (s.fg >= 0 && s.fg == s.bg)
		s.attrs |= THEME_REVERSE, s.bg = THEME_COLOR_DEFAULT;
	return s;
}

#include "okdf/ui/screen.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "okdf/ui/log.h"
#include "okdf/core/text.h"

static const ui_glyphs glyphs_utf8 = {
	.spark = { "\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
		"\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88" },
	.bar = "\xE2\x96\x88",
	.pass = "\xE2\x9C\x93", .fail = "\xE2\x9C\x97", .nodata = "?",
	.hline = "\xE2\x94\x80", .vline = "\xE2\x94\x82",
	.tl = "\xE2\x94\x8C", .tr = "\xE2\x94\x90", .bl = "\xE2\x94\x94", .br = "\xE2\x94\x98",
};

static const ui_glyphs glyphs_ascii = {
	.spark = { "_", ".", ",", "-", "~", "=", "*", "#" },
	.bar = "#",
	.pass = "+", .fail = "x", .nodata = "?",
	.hline = "-", .vline = "|", .tl = "+", .tr = "+", .bl = "+", .br = "+",
};

/* Decides ASCII vs UTF-8 from the locale (setlocale must have run) and
 * force_ascii. */
static int screen_locale_ascii(int force_ascii)
{
	if (force_ascii)
		return 1;
	const char *cs = nl_langinfo(CODESET);
	return !(cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));
}

static attr_t curses_attrs(int a)
{
	attr_t r = A_NORMAL;
	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_DIM)
		r |= A_DIM;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
#ifdef A_ITALIC
	if (a & THEME_ITALIC)
		r |= A_ITALIC;
#endif
	return r;
}

int screen_open(ui_screen *s, const theme *t, int force_ascii, okdf_err *e)
{
	memset(s, 0, sizeof *s);
	s->saved_stderr = -1;
	s->ascii = screen_locale_ascii(force_ascii);
	s->g = s->ascii ? &glyphs_ascii : &glyphs_utf8;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return okdf_err_set(e, OKDF_EINPUT, "the screen needs a terminal on stdin and stdout");
	int lfd = log_fd();
	if (lfd >= 0) {
		fflush(stderr);
		s->saved_stderr = dup(STDERR_FILENO);
		dup2(lfd, STDERR_FILENO);
	}
	if (!initscr()) {
		screen_close(s);
		return okdf_err_set(e, OKDF_EFAIL, "cannot initialise the terminal (TERM=%s)",
			getenv("TERM") ? getenv("TERM") : "");
	}
	s->open = 1;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	/* Home and End as tmux, screen and the Linux console send them, whatever
	 * TERM's terminfo says (an unknown one would read as Esc, then text). */
	static const struct {
		const char *seq;
		int key;
	} extra_keys[] = { { "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
		{ "\033[H", KEY_HOME }, { "\033[F", KEY_END }, { "\033OH", KEY_HOME },
		{ "\033OF", KEY_END }, { "\033[7~", KEY_HOME }, { "\033[8~", KEY_END } };
	for (size_t i = 0; i < sizeof extra_keys / sizeof extra_keys[0]; i++)
		if (key_defined(extra_keys[i].seq) <= 0)
			define_key(extra_keys[i].seq, extra_keys[i].key);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, TRUE);
	const char *nc = getenv("NO_COLOR");
	s->use_color = has_colors() && !(nc && nc[0]);
	if (s->use_color && start_color() == ERR)
		s->use_color = 0;
	if (s->use_color) {
		use_default_colors();
		s->colors = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8;
		if (COLOR_PAIRS <= ROLE_COUNT)
			s->use_color = 0;
	}
	for (int r = 0; r < ROLE_COUNT; r++) {
		theme_style st = theme_resolve(t, (enum theme_role)r, s->colors, s->use_color);
		attr_t a = curses_attrs(st.attrs);
		if (s->use_color) {
			init_pair((short)(r + 1), (short)st.fg, (short)st.bg);
			a |= COLOR_PAIR(r + 1);
		}
		s->attr[r] = a;
	}
	screen_update_size(s);
	log_msg("screen open: %dx%d, %s, %s%d colours", s->cols, s->rows,
		s->ascii ? "ascii" : "utf-8", s->use_color ? "" : "no colour, ", s->colors);
	return OKDF_OK;
}

void screen_close(ui_screen *s)
{
	if (s->open) {
		endwin();
		s->open = 0;
	}
	if (s->saved_stderr >= 0) {
		dup2(s->saved_stderr, STDERR_FILENO);
		close(s->saved_stderr);
		s->saved_stderr = -1;
	}
}

void screen_update_size(ui_screen *s)
{
	getmaxyx(stdscr, s->rows, s->cols);
}

int screen_too_small(const ui_screen *s)
{
	return s->cols < SCREEN_MIN_COLS || s->rows < SCREEN_MIN_ROWS;
}

void screen_draw_too_small(ui_screen *s)
{
	werase(stdscr);
	char l1[64], l2[64];
	snprintf(l1, sizeof l1, "terminal too small: %dx%d", s->cols, s->rows);
	snprintf(l2, sizeof l2, "okdf needs %dx%d; q quits", SCREEN_MIN_COLS, SCREEN_MIN_ROWS);
	int y = s->rows / 2 - 1;
	if (y < 0)
		y = 0;
	const char *lines[2] = { l1, l2 };
	for (int i = 0; i < 2 && y + i < s->rows; i++) {
		int len = (int)strlen(lines[i]);
		int x = (s->cols - len) / 2;
		screen_put(s, stdscr, y + i, x < 0 ? 0 : x, s->cols, lines[i],
			i == 0 ? ROLE_WARNING : ROLE_DIM);
	}
	wnoutrefresh(stdscr);
}

int screen_put(ui_screen *s, WINDOW *w, int y, int x, int cols, const char *text,
	enum theme_role role)
{
	if (cols <= 0 || y < 0 || y >= getmaxy(w) || x >= getmaxx(w))
		return 0;
	if (x + cols > getmaxx(w))
		cols = getmaxx(w) - x;
	char fit[1024];
	int used = text_fit(text, cols, s->ascii, fit, sizeof fit);
	wattrset(w, s->attr[role]);
	mvwaddstr(w, y, x, fit);
	wattrset(w, s->attr[ROLE_NORMAL]);
	return used;
}

int screen_putf(ui_screen *s, WINDOW *w, int y, int x, int cols, enum theme_role role,
	const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return screen_put(s, w, y, x, cols, buf, role);
}

void screen_clean(const ui_screen *s, const char *in, char *out, size_t n)
{
	text_sanitize(in, out, n, s->ascii);
}

void screen_frame(ui_screen *s, WINDOW *w, const char *title, int focused)
{
	int h = getmaxy(w), wd = getmaxx(w);
	const ui_glyphs *g = s->g;
	wattrset(w, s->attr[focused ? ROLE_BORDER_FOCUS : ROLE_BORDER]);
	for (int x = 1; x < wd - 1; x++) {
		mvwaddstr(w, 0, x, g->hline);
		mvwaddstr(w, h - 1, x, g->hline);
	}
	for (int y = 1; y < h - 1; y++) {
		mvwaddstr(w, y, 0, g->vline);
		mvwaddstr(w, y, wd - 1, g->vline);
	}
	mvwaddstr(w, 0, 0, g->tl);
	mvwaddstr(w, 0, wd - 1, g->tr);
	mvwaddstr(w, h - 1, 0, g->bl);
	mvwaddstr(w, h - 1, wd - 1, g->br);
	if (title && *title) {
		char t[256];
		snprintf(t, sizeof t, " %s ", title);
		screen_put(s, w, 0, 2, wd - 4, t, focused ? ROLE_TITLE_FOCUS : ROLE_TITLE);
	}
	wattrset(w, s->attr[ROLE_NORMAL]);
}

void screen_sparkline(const ui_screen *s, const long long *v, int n, int cells_each, char *out,
	size_t outn)
{
	long long max = 0;
	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	size_t w = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		int level = max > 0 && v[i] > 0 ? (int)((v[i] * 7 + max - 1) / max) : 0;
		const char *c = s->g->spark[level < 0 ? 0 : level > 7 ? 7 : level];
		size_t k = strlen(c);
		for (int r = 0; r < cells_each && w + k + 1 <= outn; r++) {
			memcpy(out + w, c, k);
			w += k;
			out[w] = '\0';
		}
	}
}

/* ui/theme: the theme file format, its errors, the shipped themes, and the
 * colour ladder (256 -> 16 -> 8 -> none). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "okdf/ui/theme.h"

static void expect_error(const char *text, const char *msg)
{
	theme t;
	okdf_err e = { 0 };
	assert_int_equal(theme_parse(text, "x.theme", &t, &e), OKDF_EINPUT);
	if (!strstr(e.msg, msg))
		fail_msg("'%s' does not contain '%s'", e.msg, msg);
}

static void test_parse(void **state)
{
	(void)state;
	theme t;
	okdf_err e = { 0 };
	assert_int_equal(theme_parse("# comment\n\nnormal = white black bold\n"
		"cursor = 24 #ff8700 reverse underline  # trailing comment\n"
		"bad = bright-red default\n", "x.theme", &t, &e), OKDF_OK);
	assert_int_equal(t.style[ROLE_NORMAL].fg, 7);
	assert_int_equal(t.style[ROLE_NORMAL].bg, 0);
	assert_int_equal(t.style[ROLE_NORMAL].attrs, THEME_BOLD);
	assert_int_equal(t.style[ROLE_CURSOR].fg, 24);
	assert_int_equal(t.style[ROLE_CURSOR].bg, 208); /* #ff8700 in the cube */
	assert_int_equal(t.style[ROLE_CURSOR].attrs, THEME_REVERSE | THEME_UNDERLINE);
	assert_int_equal(t.style[ROLE_BAD].fg, 9);
	assert_int_equal(t.style[ROLE_BAD].bg, THEME_COLOR_DEFAULT);
	/* A role not named keeps the default theme's style. */
	theme d;
	theme_builtin_default(&d);
	assert_memory_equal(&t.style[ROLE_HEADER], &d.style[ROLE_HEADER], sizeof d.style[0]);
}

/* Fuzz finding: a '#' at the end of a full-length line made the comment
 * check read six bytes past it, beyond the line buffer (ASan). */
static void test_hash_at_line_end(void **state)
{
	(void)state;
	theme t, def;
	okdf_err e = { 0 };
	char text[600];
	memset(text, ' ', 510);
	text[510] = '#';
	text[511] = '\0';
	assert_int_equal(theme_parse(text, "x.theme", &t, &e), OKDF_OK);
	theme_builtin_default(&def);
	assert_memory_equal(t.style, def.style, sizeof t.style);
	/* A short "colour" is a comment: white on the default background. */
	assert_int_equal(theme_parse("normal = white default #8888", "x.theme", &t, &e), OKDF_OK);
	assert_int_equal(t.style[ROLE_NORMAL].fg, 7);
	assert_int_equal(t.style[ROLE_NORMAL].bg, THEME_COLOR_DEFAULT);
	assert_int_equal(t.style[ROLE_NORMAL].attrs, 0);
	expect_error("normal = white #12345", "needs a foreground and a background");
}

static void test_errors_name_file_and_line(void **state)
{
	(void)state;
	expect_error("normal = default default\nbogus = red black\n", "x.theme:2: unknown role 'bogus'");
	expect_error("normal = purple black\n", "x.theme:1: bad colour 'purple'");
	expect_error("\n\nnormal = 256 black\n", "x.theme:3: bad colour '256'");
	expect_error("normal = red\n", "x.theme:1: normal needs a foreground and a background");
	expect_error("normal = red black blink\n", "x.theme:1: unknown attribute 'blink'");
	expect_error("normal red black\n", "x.theme:1: expected 'role = fg bg [attrs]'");
}

static void test_shipped_themes(void **state)
{
	(void)state;
	const char *names[] = { "default", "light", "mono", "high-contrast" };
	for (size_t i = 0; i < 4; i++) {
		theme t;
		okdf_err e = { 0 };
		if (theme_load(names[i], OKDF_THEMEDIR, &t, &e) != OKDF_OK)
			fail_msg("%s: %s", names[i], e.msg);
		assert_string_equal(t.name, names[i]);
	}
	theme t, d;
	okdf_err e = { 0 };
	/* default.theme and the built-in default agree. */
	assert_int_equal(theme_load("default", OKDF_THEMEDIR, &t, &e), OKDF_OK);
	theme_builtin_default(&d);
	assert_memory_equal(t.style, d.style, sizeof d.style);
	assert_int_equal(theme_load("nosuch", OKDF_THEMEDIR, &t, &e), OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "no theme 'nosuch'"));
	assert_int_equal(theme_load("../etc", OKDF_THEMEDIR, &t, &e), OKDF_EINPUT);
}

static void test_load_path_error(void **state)
{
	(void)state;
	char path[] = "/tmp/okdf-theme-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("normal = default default\ntitle = red nope\n", f);
	fclose(f);
	theme t;
	okdf_err e = { 0 };
	assert_int_equal(theme_load(path, OKDF_THEMEDIR, &t, &e), OKDF_EINPUT);
	char want[64];
	snprintf(want, sizeof want, "%s:2: bad colour 'nope'", path);
	assert_non_null(strstr(e.msg, want));
	unlink(path);
}

static void test_color_ladder(void **state)
{
	(void)state;
	assert_int_equal(theme_color_fit(196, 256), 196);
	assert_int_equal(theme_color_fit(196, 16), 9);   /* pure red -> bright red */
	assert_int_equal(theme_color_fit(196, 8), 1);    /* -> red */
	assert_int_equal(theme_color_fit(12, 8), 4);     /* bright blue -> blue */
	assert_int_equal(theme_color_fit(236, 16), 0);   /* dark grey -> black */
	assert_int_equal(theme_color_fit(250, 16), 7);   /* light grey -> white */
	assert_int_equal(theme_color_fit(THEME_COLOR_DEFAULT, 8), THEME_COLOR_DEFAULT);
}

static void test_resolve(void **state)
{
	(void)state;
	theme t;
	theme_builtin_default(&t);
	theme_style s = theme_resolve(&t, ROLE_CURSOR, 0, 0);
	assert_int_equal(s.fg, THEME_COLOR_DEFAULT);
	assert_int_equal(s.bg, THEME_COLOR_DEFAULT);
	assert_true(s.attrs & THEME_REVERSE);
	s = theme_resolve(&t, ROLE_NORMAL, 0, 0);
	assert_int_equal(s.attrs, 0);
	/* Folding that lands fg on bg keeps the text visible. */
	t.style[ROLE_ACCENT] = (theme_style){ 12, 4, 0 };
	s = theme_resolve(&t, ROLE_ACCENT, 8, 1);
	assert_true(s.fg != s.bg);
}

/* WCAG 2 relative luminance of xterm colour c (its default palette). */
static double luminance(int c)
{
	static const int basic[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 }, { 0, 0, 238 },
		{ 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 }, { 127, 127, 127 },
		{ 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 }, { 255, 0, 255 },
		{ 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int rgb[3];
	for (int k = 0; k < 3; k++)
		rgb[k] = c < 16 ? basic[c][k] : c < 232 ? level[k == 0 ? (c - 16) / 36
			: k == 1 ? (c - 16) / 6 % 6 : (c - 16) % 6] : 8 + 10 * (c - 232);
	static const double weight[3] = { 0.2126, 0.7152, 0.0722 };
	double l = 0;
	for (int k = 0; k < 3; k++) {
		double v = rgb[k] / 255.0;
		l += weight[k] * (v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4));
	}
	return l;
}

/* The light theme on a white terminal: text at least 4.5:1, borders 3:1. */
static void test_light_contrast(void **state)
{
	(void)state;
	theme t;
	okdf_err e = { 0 };
	assert_int_equal(theme_load("light", OKDF_THEMEDIR, &t, &e), OKDF_OK);
	static const struct {
		enum theme_role role;
		double min;
	} need[] = { { ROLE_DIM, 4.5 }, { ROLE_TITLE, 4.5 }, { ROLE_GOOD, 4.5 },
		{ ROLE_WARNING, 4.5 }, { ROLE_BAD, 4.5 }, { ROLE_ACCENT, 4.5 }, { ROLE_PROMPT, 4.5 },
		{ ROLE_ERROR, 4.5 }, { ROLE_BORDER, 3.0 }, { ROLE_BORDER_FOCUS, 3.0 } };
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		const theme_style *st = &t.style[need[i].role];
		assert_int_equal(st->bg, THEME_COLOR_DEFAULT);
		assert_true(st->fg >= 0);
		double ratio = 1.05 / (luminance(st->fg) + 0.05);
		if (ratio < need[i].min)
			fail_msg("role %d: colour %d is %.2f:1 on white, needs %.1f:1", need[i].role,
				st->fg, ratio, need[i].min);
	}
}

/* 8 colours (TERM=linux): grey is the terminal's own colour, dimmed, never
 * black; without colour, bad differs from good by more than bold. */
static void test_grey_on_8_colours_and_mono_bad(void **state)
{
	(void)state;
	theme d;
	theme_builtin_default(&d);
	theme_style s = theme_resolve(&d, ROLE_BORDER, 8, 1);
	assert_int_equal(s.fg, THEME_COLOR_DEFAULT);
	assert_true(s.attrs & THEME_DIM);
	s = theme_resolve(&d, ROLE_DIM, 8, 1);
	assert_int_equal(s.fg, THEME_COLOR_DEFAULT);
	s = theme_resolve(&d, ROLE_DIM, 256, 1);
	assert_int_equal(s.fg, 8);
	s = theme_resolve(&d, ROLE_BAD, 256, 0);
	assert_true(s.attrs & THEME_REVERSE);
	assert_int_not_equal(s.attrs, theme_resolve(&d, ROLE_GOOD, 256, 0).attrs);
}

int main(void)
{
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_hash_at_line_end),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_load_path_error),
		cmocka_unit_test(test_color_ladder),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_light_contrast),
		cmocka_unit_test(test_grey_on_8_colours_and_mono_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* ui/text: untrusted strings made safe for the terminal and measured in
 * columns, in a UTF-8 locale and in ASCII mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "okdf/core/text.h"

static const char *clean(const char *in, int ascii)
{
	static char out[512];
	text_sanitize(in, out, sizeof out, ascii);
	return out;
}

static int has_high_or_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F || *p >= 0x80)
			return 1;
	return 0;
}

static void test_escape_sequences_dropped(void **state)
{
	(void)state;
	assert_string_equal(clean("Mug \x1b[2J\x1b[HBlue", 0), "Mug Blue");
	assert_string_equal(clean("a\x1b[38;5;196mred\x1b[0m", 0), "ared");
	/* OSC 52 (clipboard write) and a title change, ended by BEL or ST. */
	assert_string_equal(clean("x\x1b]52;c;ZXZpbA==\x07y", 0), "xy");
	assert_string_equal(clean("x\x1b]0;pwned\x1b\\y", 0), "xy");
	assert_string_equal(clean("x\x1bPq#0;2;0;0;0\x1b\\y", 0), "xy");
	/* 8-bit CSI (U+009B) is dropped with its parameters. */
	assert_string_equal(clean("a\xc2\x9b" "2Jb", 0), "ab");
	/* A lone ESC at the end and ESC + one byte. */
	assert_string_equal(clean("end\x1b", 0), "end");
	assert_string_equal(clean("a\x1b" "cb", 0), "ab");
}

static void test_controls(void **state)
{
	(void)state;
	assert_string_equal(clean("line1\nline2\tx\r", 0), "line1 line2 x ");
	assert_string_equal(clean("bell\x07" "del\x7f" "nul", 0), "belldelnul");
	assert_string_equal(clean("c1\xc2\x85x", 0), "c1x");
	/* Bidirectional overrides (Trojan Source) are dropped. */
	assert_string_equal(clean("a\xe2\x80\xae" "cba\xe2\x80\xac", 0), "acba");
	assert_null(strchr(clean("\x01\x02\x03\x1b[31m", 0), '\x1b'));
}

static void test_lines_and_zero_width(void **state)
{
	(void)state;
	char out[256];
	/* Lines mode keeps newline and tab, still drops everything else. */
	text_sanitize_lines("a\tb\nc\r\x1b]52;c;eA==\x07" "d\xc2\x9d" "0;t\x07" "e\n", out, sizeof out, 0);
	assert_string_equal(out, "a\tb\nc de\n");
	/* Zero-width space, joiner, word joiner and BOM take no cell: dropped. */
	assert_string_equal(clean("a\xe2\x80\x8b" "b\xe2\x80\x8d" "c\xe2\x81\xa0" "d\xef\xbb\xbf" "e", 0),
		"abcde");
	assert_int_equal(text_width(clean("\xe2\x80\x8b\xe2\x80\x8b" "ab", 0)), 2);
	/* A combining mark joins a character; at the start or after a space it
	 * has none and is dropped. */
	assert_string_equal(clean("e\xcc\x81 \xcc\x81x", 0), "e\xcc\x81 x");
	assert_string_equal(clean("\xcc\x81\xcc\x81" "a", 0), "a");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	assert_string_equal(clean("a\xff" "b", 0), "a\xef\xbf\xbd" "b");
	/* Overlong "/" and a UTF-16 surrogate are invalid, byte by byte. */
	assert_string_equal(clean("\xc0\xaf", 1), "??");
	assert_string_equal(clean("\xed\xa0\x80", 1), "???");
	/* Truncated sequence at the end. */
	assert_string_equal(clean("ok\xe6\x97", 0), "ok\xef\xbf\xbd\xef\xbf\xbd");
	unsigned int cp;
	assert_int_equal(text_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(text_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
}

static void test_ascii_mode(void **state)
{
	(void)state;
	const char *s = clean("Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \x1b[2J!", 1);
	assert_string_equal(s, "Caf? ?? !");
	assert_false(has_high_or_control(s));
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), 6); /* 日本語 */
	assert_int_equal(text_width("e\xcc\x81"), 1);                           /* e + combining acute */
	assert_int_equal(text_width("\xf0\x9f\x98\x80"), 2);                    /* emoji */
}

static void test_fit(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(text_fit("short", 10, 0, out, sizeof out), 5);
	assert_string_equal(out, "short");
	assert_int_equal(text_fit("a longer title", 8, 0, out, sizeof out), 8);
	assert_string_equal(out, "a longe\xe2\x80\xa6");
	assert_int_equal(text_fit("a longer title", 8, 1, out, sizeof out), 8);
	assert_string_equal(out, "a longe~");
	/* 日本語です in 6 columns: two wide chars, then the ellipsis; a wide
	 * char never straddles the edge. */
	int w = text_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99", 6, 0, out,
		sizeof out);
	assert_true(w <= 6);
	assert_string_equal(out, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	assert_int_equal(text_fit("abc", 0, 0, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void test_wrap(void **state)
{
	(void)state;
	size_t next;
	const char *s = "the quick brown fox";
	assert_int_equal(text_wrap(s, 10, &next), 9); /* "the quick" */
	assert_string_equal(s + next, "brown fox");
	assert_int_equal(text_wrap("abcdefghij", 4, &next), 4); /* hard cut */
	assert_int_equal(next, 4);
	assert_int_equal(text_wrap("fits", 10, &next), 4);
	assert_int_equal(next, 4);
}

static void test_output_bounded(void **state)
{
	(void)state;
	char out[8];
	text_sanitize("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", out, sizeof out, 0);
	/* Two whole characters fit in 7 bytes; the third is not split. */
	assert_string_equal(out, "\xe6\x97\xa5\xe6\x9c\xac");
}

/* Random bytes, weighted towards ESC, C1 and UTF-8 lead bytes: the output
 * is always valid UTF-8 without a control character, and fits. */
static void test_random_input(void **state)
{
	(void)state;
	unsigned int seed = 12345;
	static const unsigned char interesting[] = { 0x1B, '[', ']', 0x07, 0x9B, 0xC2, 0xE2,
		0xF0, 0x80, 0xBF, '\\', 'P', 0x00, 0x7F, 0xED, 0xA0 };
	for (int iter = 0; iter < 20000; iter++) {
		unsigned char in[64];
		int len = 0;
		while (len < 63) {
			seed = seed * 1103515245u + 12345u;
			unsigned int r = seed >> 16;
			unsigned char c = r % 3 ? interesting[r % sizeof interesting] : (unsigned char)(r >> 4);
			if (c == 0)
				break;
			in[len++] = c;
		}
		in[len] = '\0';
		char out[200];
		size_t n = text_sanitize((const char *)in, out, sizeof out, iter % 2);
		assert_int_equal(n, strlen(out));
		const unsigned char *p = (const unsigned char *)out;
		size_t i = 0;
		while (i < n) {
			unsigned int cp;
			size_t k = text_utf8_decode(p + i, n - i, &cp);
			assert_true(k > 0);
			assert_true(cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0));
			if (iter % 2)
				assert_true(cp < 0x80);
			i += k;
		}
		char fit[32];
		assert_true(text_fit(out, 10, iter % 2, fit, sizeof fit) <= 10);
	}
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 77;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_sequences_dropped),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_lines_and_zero_width),
		cmocka_unit_test(test_ascii_mode),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_output_bounded),
		cmocka_unit_test(test_random_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

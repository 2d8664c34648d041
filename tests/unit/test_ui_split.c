/* The ':' line's word splitting and quoting: hand-computed splits, the
 * errors, and command_quote then command_split giving back the text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "okdf/ui/command.h"

static int split(const char *line, char *buf, size_t n, char **argv)
{
	return command_split(line, buf, n, argv, COMMAND_MAX_ARGS);
}

static void test_split_by_hand(void **state)
{
	(void)state;
	char buf[256];
	char *argv[COMMAND_MAX_ARGS];
	assert_int_equal(split("", buf, sizeof buf, argv), 0);
	assert_int_equal(split(" \t ", buf, sizeof buf, argv), 0);
	assert_int_equal(split("  phase\tsignoff  1 positioning ", buf, sizeof buf, argv), 4);
	assert_string_equal(argv[0], "phase");
	assert_string_equal(argv[1], "signoff");
	assert_string_equal(argv[2], "1");
	assert_string_equal(argv[3], "positioning");
	/* Quotes of either kind group, may start mid-word, and vanish. */
	assert_int_equal(split("hours add 1.5 --note 'supplier calls'", buf, sizeof buf, argv), 5);
	assert_string_equal(argv[4], "supplier calls");
	assert_int_equal(split("idea add \"Bamboo \"cutlery' set'", buf, sizeof buf, argv), 3);
	assert_string_equal(argv[2], "Bamboo cutlery set");
	/* Backslash escapes outside quotes and in "...", not in '...'. */
	assert_int_equal(split("a\\ b \"say \\\"hi\\\"\" 'c\\d'", buf, sizeof buf, argv), 3);
	assert_string_equal(argv[0], "a b");
	assert_string_equal(argv[1], "say \"hi\"");
	assert_string_equal(argv[2], "c\\d");
	/* An empty quoted word is a word. */
	assert_int_equal(split("resolve 3 --note \"\"", buf, sizeof buf, argv), 4);
	assert_string_equal(argv[3], "");
	/* The other quote is literal inside a quote; a trailing backslash stays. */
	assert_int_equal(split("\"it's\" '\"x\"' end\\", buf, sizeof buf, argv), 3);
	assert_string_equal(argv[0], "it's");
	assert_string_equal(argv[1], "\"x\"");
	assert_string_equal(argv[2], "end\\");
}

static void test_split_errors(void **state)
{
	(void)state;
	char buf[256];
	char *argv[COMMAND_MAX_ARGS];
	assert_int_equal(split("decide 3 'approve", buf, sizeof buf, argv), -1);
	assert_int_equal(split("note \"open", buf, sizeof buf, argv), -1);
	/* Too many words for max. */
	assert_int_equal(command_split("a b c", buf, sizeof buf, argv, 2), -1);
	assert_int_equal(command_split("a b", buf, sizeof buf, argv, 2), 2);
	/* A buffer too small for the words is an error, not a cut word. */
	assert_int_equal(split("abc def", buf, 7, argv), -1);
	assert_int_equal(split("abc def", buf, 9, argv), 2);
	assert_string_equal(argv[1], "def");
}

static void test_quote_by_hand(void **state)
{
	(void)state;
	char out[64] = "resolve 3 --note ";
	command_quote(out, sizeof out, "say \"hi\" \\ ok");
	assert_string_equal(out, "resolve 3 --note \"say \\\"hi\\\" \\\\ ok\"");
	/* Out of room: a quoted prefix, still one well-formed word. */
	char small[6] = "";
	command_quote(small, sizeof small, "xyz");
	assert_string_equal(small, "\"xy\"");
	char buf[16];
	char *argv[2];
	assert_int_equal(command_split(small, buf, sizeof buf, argv, 2), 1);
	assert_string_equal(argv[0], "xy");
}

/* Deterministic strings over the characters that matter to the splitter. */
static void make_text(unsigned *seed, char *out, size_t n)
{
	static const char *const pieces[] = { "a", "Z", " ", "\t", "\"", "'", "\\", "é", "--",
		"#", "0" };
	size_t len = 0;
	*seed = *seed * 1103515245u + 12345u;
	int k = (int)((*seed >> 16) % 12);
	out[0] = '\0';
	for (int i = 0; i < k; i++) {
		*seed = *seed * 1103515245u + 12345u;
		const char *pc = pieces[(*seed >> 16) % (sizeof pieces / sizeof pieces[0])];
		if (len + strlen(pc) + 1 > n)
			break;
		strcpy(out + len, pc);
		len += strlen(pc);
	}
}

static void test_quote_split_round_trip(void **state)
{
	(void)state;
	static const char *const fixed[] = { "", " ", "plain", "two words", "tab\there",
		"\"quoted\"", "it's", "back\\slash", "trailing\\", "\\\"", "'\"'\"'", "caf\xc3\xa9" };
	char line[512], buf[512], text[128];
	char *argv[COMMAND_MAX_ARGS];
	unsigned seed = 7;
	for (int i = 0; i < 1000 + (int)(sizeof fixed / sizeof fixed[0]); i++) {
		const char *t = text;
		if (i < (int)(sizeof fixed / sizeof fixed[0]))
			t = fixed[i];
		else
			make_text(&seed, text, sizeof text);
		snprintf(line, sizeof line, "decide 12 approve --note ");
		command_quote(line, sizeof line, t);
		int argc = split(line, buf, sizeof buf, argv);
		if (argc != 5 || strcmp(argv[4], t) != 0)
			fail_msg("'%s' quoted as [%s] split into %d words", t, line, argc);
		assert_string_equal(argv[3], "--note");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_by_hand),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_quote_by_hand),
		cmocka_unit_test(test_quote_split_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

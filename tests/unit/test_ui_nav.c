/* Moving around without a terminal: panel selection and scrolling with its
 * clamping, the prompt's line editor and confirmations, and the pager's
 * cursor and scroll keys. Hand-computed positions throughout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "okdf/ui/pager.h"
#include "okdf/ui/panel.h"
#include "okdf/ui/prompt.h"

static void at(const ui_panel *p, int selected, int top)
{
	assert_int_equal(p->selected, selected);
	assert_int_equal(p->top, top);
}

static void test_panel_move(void **state)
{
	(void)state;
	ui_panel p = { 0 };
	/* 20 rows, 5 visible: a page moves 4. */
	assert_int_equal(panel_move(&p, 'j', 20, 5), PANEL_REDRAW);
	at(&p, 1, 0);
	assert_int_equal(panel_move(&p, KEY_DOWN, 20, 5), PANEL_REDRAW);
	at(&p, 2, 0);
	assert_int_equal(panel_move(&p, KEY_NPAGE, 20, 5), PANEL_REDRAW);
	at(&p, 6, 2); /* scrolled just enough to keep row 6 on the last line */
	assert_int_equal(panel_move(&p, ' ', 20, 5), PANEL_REDRAW);
	at(&p, 10, 6);
	assert_int_equal(panel_move(&p, 'G', 20, 5), PANEL_REDRAW);
	at(&p, 19, 15);
	/* At the end, down is used but moves nothing. */
	assert_int_equal(panel_move(&p, 'j', 20, 5), PANEL_HANDLED);
	at(&p, 19, 15);
	assert_int_equal(panel_move(&p, 'k', 20, 5), PANEL_REDRAW);
	at(&p, 18, 15);
	assert_int_equal(panel_move(&p, KEY_PPAGE, 20, 5), PANEL_REDRAW);
	at(&p, 14, 14);
	assert_int_equal(panel_move(&p, KEY_HOME, 20, 5), PANEL_REDRAW);
	at(&p, 0, 0);
	assert_int_equal(panel_move(&p, KEY_UP, 20, 5), PANEL_HANDLED);
	at(&p, 0, 0);
	assert_int_equal(panel_move(&p, KEY_END, 20, 5), PANEL_REDRAW);
	at(&p, 19, 15);
	/* Keys that are not movement are left to the panel. */
	assert_int_equal(panel_move(&p, 'a', 20, 5), PANEL_IGNORED);
	assert_int_equal(panel_move(&p, '\n', 20, 5), PANEL_IGNORED);
	at(&p, 19, 15);
	/* An empty list and a one-row window stay sane. */
	ui_panel q = { 0 };
	assert_int_equal(panel_move(&q, 'j', 0, 5), PANEL_HANDLED);
	at(&q, 0, 0);
	assert_int_equal(panel_move(&q, KEY_NPAGE, 3, 1), PANEL_REDRAW);
	at(&q, 1, 1);
}

static void test_panel_clamp(void **state)
{
	(void)state;
	/* The list shrank under the selection (a filter, a resolved item). */
	ui_panel p = { .selected = 19, .top = 15 };
	panel_clamp(&p, 8, 5);
	at(&p, 7, 3);
	panel_clamp(&p, 0, 5);
	at(&p, 0, 0);
	/* The window grew: top comes back so no empty rows show below. */
	p = (ui_panel){ .selected = 9, .top = 8 };
	panel_clamp(&p, 10, 6);
	at(&p, 9, 4);
	/* A selection above the view pulls the view up. */
	p = (ui_panel){ .selected = 2, .top = 5 };
	panel_clamp(&p, 10, 3);
	at(&p, 2, 2);
	/* visible 0 (a squashed panel) counts as one row. */
	p = (ui_panel){ .selected = 4, .top = 0 };
	panel_clamp(&p, 10, 0);
	at(&p, 4, 4);
	p = (ui_panel){ .selected = -3, .top = -1 };
	panel_clamp(&p, 10, 5);
	at(&p, 0, 0);
}

static void test_panel_filter_text(void **state)
{
	(void)state;
	assert_true(panel_text_matches("Email sequences", "EMAIL"));
	assert_true(panel_text_matches("Email sequences", "l seq"));
	assert_true(panel_text_matches("anything", ""));
	assert_true(panel_text_matches("anything", NULL));
	assert_false(panel_text_matches("Store (Shopify)", "email"));
	assert_false(panel_text_matches("", "a"));
	assert_false(panel_text_matches("ab", "abc"));
}

static void type(ui_prompt *p, const char *ascii)
{
	for (const char *c = ascii; *c; c++)
		assert_int_equal(prompt_key(p, 0, (unsigned char)*c), PROMPT_CHANGED);
}

static void test_prompt_editing(void **state)
{
	(void)state;
	ui_prompt p;
	prompt_start(&p, PROMPT_COMMAND, ":", "ack ");
	assert_int_equal(p.len, 4);
	type(&p, "12");
	assert_string_equal(p.buf, "ack 12");
	/* A two-byte and a four-byte character; Backspace takes each whole. */
	assert_int_equal(prompt_key(&p, 0, 0xE9), PROMPT_CHANGED);
	assert_int_equal(prompt_key(&p, 0, 0x1F600), PROMPT_CHANGED);
	assert_string_equal(p.buf, "ack 12\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(p.len, 12);
	assert_int_equal(prompt_key(&p, 0, 127), PROMPT_CHANGED);
	assert_string_equal(p.buf, "ack 12\xc3\xa9");
	assert_int_equal(prompt_key(&p, 1, KEY_BACKSPACE), PROMPT_CHANGED);
	assert_string_equal(p.buf, "ack 12");
	assert_int_equal(prompt_key(&p, 0, 8), PROMPT_CHANGED);
	assert_string_equal(p.buf, "ack 1");
	/* Control characters, C1 controls and unknown keys never reach the line. */
	assert_int_equal(prompt_key(&p, 0, '\t'), PROMPT_CONTINUE);
	assert_int_equal(prompt_key(&p, 0, 0x1B + 0x80), PROMPT_CONTINUE);
	assert_int_equal(prompt_key(&p, 0, 0x7), PROMPT_CONTINUE);
	assert_int_equal(prompt_key(&p, 1, KEY_LEFT), PROMPT_CONTINUE);
	assert_string_equal(p.buf, "ack 1");
	/* Ctrl-U clears; Backspace on an empty line cancels. */
	assert_int_equal(prompt_key(&p, 0, 21), PROMPT_CHANGED);
	assert_int_equal(p.len, 0);
	assert_string_equal(p.buf, "");
	assert_int_equal(prompt_key(&p, 0, 127), PROMPT_CANCEL);
	prompt_start(&p, PROMPT_TEXT, "Decision note:", NULL);
	assert_int_equal(prompt_key(&p, 1, KEY_DC), PROMPT_CANCEL);
	/* Enter accepts (both the character and the key); Esc cancels. */
	type(&p, "ok");
	assert_int_equal(prompt_key(&p, 0, '\r'), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, 0, '\n'), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, 1, KEY_ENTER), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, 0, 27), PROMPT_CANCEL);
	assert_string_equal(p.buf, "ok");
}

static void test_prompt_full(void **state)
{
	(void)state;
	ui_prompt p;
	prompt_start(&p, PROMPT_FILTER, "/", NULL);
	for (int i = 0; i < PROMPT_MAX - 1; i++)
		assert_int_equal(prompt_key(&p, 0, 'x'), PROMPT_CHANGED);
	assert_int_equal(p.len, PROMPT_MAX - 1);
	/* No room: the key is dropped, the line stays terminated. */
	assert_int_equal(prompt_key(&p, 0, 'y'), PROMPT_CONTINUE);
	assert_int_equal(p.len, PROMPT_MAX - 1);
	assert_int_equal(strlen(p.buf), PROMPT_MAX - 1);
	/* A multi-byte character that does not fit whole is not split. */
	assert_int_equal(prompt_key(&p, 0, 127), PROMPT_CHANGED);
	assert_int_equal(prompt_key(&p, 0, 0xE9), PROMPT_CONTINUE);
	assert_int_equal(p.len, PROMPT_MAX - 2);
}

static void test_prompt_confirm(void **state)
{
	(void)state;
	ui_prompt p;
	prompt_start(&p, PROMPT_CONFIRM, "Resolve #3? [y/N]", NULL);
	assert_int_equal(prompt_key(&p, 0, 'y'), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, 0, 'Y'), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, 0, 'n'), PROMPT_CANCEL);
	assert_int_equal(prompt_key(&p, 0, 'N'), PROMPT_CANCEL);
	assert_int_equal(prompt_key(&p, 0, 'q'), PROMPT_CANCEL);
	assert_int_equal(prompt_key(&p, 0, 27), PROMPT_CANCEL);
	/* A destructive action needs the y itself: Enter and others do nothing. */
	assert_int_equal(prompt_key(&p, 0, '\r'), PROMPT_CONTINUE);
	assert_int_equal(prompt_key(&p, 1, KEY_ENTER), PROMPT_CONTINUE);
	assert_int_equal(prompt_key(&p, 0, ' '), PROMPT_CONTINUE);
	assert_int_equal(prompt_key(&p, 1, 'y'), PROMPT_CONTINUE); /* a KEY_ code, not 'y' */
	assert_int_equal(p.len, 0);
}

/* A 12-row window: 10 rows inside the frame, so a page is 9. */
static WINDOW *window(void)
{
	static SCREEN *scr;
	static WINDOW *w;
	if (!w) {
		FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
		assert_non_null(out);
		assert_non_null(in);
		scr = newterm("xterm", out, in);
		assert_non_null(scr);
		w = newwin(12, 40, 0, 0);
		assert_non_null(w);
	}
	return w;
}

static void test_pager_items(void **state)
{
	(void)state;
	WINDOW *w = window();
	ui_pager pg = { 0 };
	pager_reset(&pg, "Inbox");
	for (int i = 1; i <= 25; i++) {
		pager_addf(&pg, ROLE_NORMAL, 0, "item %d", i);
		assert_int_equal(pager_mark_item(&pg), i);
	}
	assert_int_equal(pg.n_select, 25);
	pg.cursor = 1;
	assert_int_equal(pager_key(&pg, 'j', w), 1);
	assert_int_equal(pg.cursor, 2);
	assert_int_equal(pg.follow, 1);
	assert_int_equal(pager_key(&pg, KEY_NPAGE, w), 1);
	assert_int_equal(pg.cursor, 11);
	assert_int_equal(pager_key(&pg, ' ', w), 1);
	assert_int_equal(pg.cursor, 20);
	assert_int_equal(pager_key(&pg, ' ', w), 1);
	assert_int_equal(pg.cursor, 25); /* clamped to the last item */
	assert_int_equal(pager_key(&pg, KEY_DOWN, w), 1);
	assert_int_equal(pg.cursor, 25);
	assert_int_equal(pager_key(&pg, KEY_PPAGE, w), 1);
	assert_int_equal(pg.cursor, 16);
	assert_int_equal(pager_key(&pg, 'g', w), 1);
	assert_int_equal(pg.cursor, 1);
	assert_int_equal(pg.top, 0);
	assert_int_equal(pager_key(&pg, 'k', w), 1);
	assert_int_equal(pg.cursor, 1);
	assert_int_equal(pager_key(&pg, KEY_PPAGE, w), 1);
	assert_int_equal(pg.cursor, 1);
	assert_int_equal(pager_key(&pg, 'G', w), 1);
	assert_int_equal(pg.cursor, 25);
	/* Not a pager key: left to the caller, nothing moved. */
	assert_int_equal(pager_key(&pg, 'a', w), 0);
	assert_int_equal(pager_key(&pg, 'R', w), 0);
	assert_int_equal(pg.cursor, 25);
	pager_free(&pg);
}

static void test_pager_scroll(void **state)
{
	(void)state;
	WINDOW *w = window();
	ui_pager pg = { 0 };
	pager_reset(&pg, "Help: every key");
	for (int i = 0; i < 30; i++)
		pager_addf(&pg, ROLE_NORMAL, 2, "line %d", i);
	/* No items: the keys scroll. */
	assert_int_equal(pager_key(&pg, 'j', w), 1);
	assert_int_equal(pg.top, 1);
	assert_int_equal(pg.cursor, 0);
	assert_int_equal(pg.follow, 0);
	assert_int_equal(pager_key(&pg, KEY_NPAGE, w), 1);
	assert_int_equal(pg.top, 10);
	assert_int_equal(pager_key(&pg, 'k', w), 1);
	assert_int_equal(pg.top, 9);
	assert_int_equal(pager_key(&pg, KEY_PPAGE, w), 1);
	assert_int_equal(pg.top, 0);
	assert_int_equal(pager_key(&pg, KEY_UP, w), 1);
	assert_int_equal(pg.top, 0);
	assert_int_equal(pager_key(&pg, KEY_HOME, w), 1);
	assert_int_equal(pg.top, 0);
	pager_free(&pg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panel_move),
		cmocka_unit_test(test_panel_clamp),
		cmocka_unit_test(test_panel_filter_text),
		cmocka_unit_test(test_prompt_editing),
		cmocka_unit_test(test_prompt_full),
		cmocka_unit_test(test_prompt_confirm),
		cmocka_unit_test(test_pager_items),
		cmocka_unit_test(test_pager_scroll),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	endwin();
	return failed;
}

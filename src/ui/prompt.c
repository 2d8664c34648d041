#include "okdf/ui/prompt.h"

#include <stdio.h>
#include <string.h>

#include "okdf/core/text.h"

void prompt_start(ui_prompt *p, enum prompt_kind kind, const char *label, const char *initial)
{
	p->kind = kind;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->buf, sizeof p->buf, "%s", initial ? initial : "");
	p->len = strlen(p->buf);
	p->hint[0] = '\0';
}

void prompt_set(ui_prompt *p, const char *text)
{
	snprintf(p->buf, sizeof p->buf, "%s", text);
	p->len = strlen(p->buf);
}

void prompt_start_choice(ui_prompt *p, const char *label, const char *keys)
{
	prompt_start(p, PROMPT_CHOICE, label, NULL);
	snprintf(p->choices, sizeof p->choices, "%s", keys);
}

static void delete_last_char(ui_prompt *p)
{
	while (p->len > 0) {
		p->len--;
		if (((unsigned char)p->buf[p->len] & 0xC0) != 0x80)
			break;
	}
	p->buf[p->len] = '\0';
}

static int append_utf8(ui_prompt *p, unsigned int c)
{
	char enc[4];
	size_t k;
	if (c < 0x80)
		enc[0] = (char)c, k = 1;
	else if (c < 0x800)
		enc[0] = (char)(0xC0 | c >> 6), enc[1] = (char)(0x80 | (c & 0x3F)), k = 2;
	else if (c < 0x10000)
		enc[0] = (char)(0xE0 | c >> 12), enc[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
		enc[2] = (char)(0x80 | (c & 0x3F)), k = 3;
	else
		enc[0] = (char)(0xF0 | c >> 18), enc[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
		enc[2] = (char)(0x80 | ((c >> 6) & 0x3F)), enc[3] = (char)(0x80 | (c & 0x3F)),
		k = 4;
	if (p->len + k + 1 > sizeof p->buf)
		return 0;
	memcpy(p->buf + p->len, enc, k);
	p->len += k;
	p->buf[p->len] = '\0';
	return 1;
}

enum prompt_result prompt_key(ui_prompt *p, int is_key, unsigned int ch)
{
	if (p->kind == PROMPT_CONFIRM) {
		if (!is_key && (ch == 'y' || ch == 'Y'))
			return PROMPT_ACCEPT;
		if (!is_key && (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q'))
			return PROMPT_CANCEL;
		return PROMPT_CONTINUE;
	}
	if (p->kind == PROMPT_CHOICE) {
		if (!is_key && (ch == 27 || ch == 'q'))
			return PROMPT_CANCEL;
		if (is_key || ch == 0 || ch > 0x7F || !strchr(p->choices, (int)ch))
			return PROMPT_CONTINUE;
		p->buf[0] = (char)ch;
		p->buf[1] = '\0';
		p->len = 1;
		return PROMPT_ACCEPT;
	}
	if (is_key) {
		if (ch == KEY_ENTER)
			return PROMPT_ACCEPT;
		if (ch == KEY_BACKSPACE || ch == KEY_DC) {
			if (p->len == 0)
				return PROMPT_CANCEL;
			delete_last_char(p);
			return PROMPT_CHANGED;
		}
		return PROMPT_CONTINUE;
	}
	switch (ch) {
	case '\r': case '\n':
		return PROMPT_ACCEPT;
	case 27:
		return PROMPT_CANCEL;
	case 127: case 8:
		if (p->len == 0)
			return PROMPT_CANCEL;
		delete_last_char(p);
		return PROMPT_CHANGED;
	case 21: /* Ctrl-U: clear the line (editing only, never an action) */
		p->len = 0;
		p->buf[0] = '\0';
		return PROMPT_CHANGED;
	}
	if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0))
		return PROMPT_CONTINUE;
	return append_utf8(p, ch) ? PROMPT_CHANGED : PROMPT_CONTINUE;
}

void prompt_draw(ui_prompt *p, ui_screen *scr, WINDOW *w)
{
	int cols = getmaxx(w);
	wattrset(w, scr->attr[ROLE_NORMAL]);
	werase(w);
	int x = screen_put(scr, w, 0, 0, cols, p->label, ROLE_PROMPT);
	char clean[PROMPT_MAX * 3];
	screen_clean(scr, p->kind == PROMPT_CHOICE ? "" : p->buf, clean, sizeof clean);
	/* Keep the end of a long line (where the cursor is) in view. */
	int room = cols - x - 1;
	const char *show = clean;
	while (room > 0 && text_width(show) > room) {
		show++;
		while ((*show & 0xC0) == 0x80)
			show++;
	}
	x += screen_put(scr, w, 0, x, room, show, ROLE_NORMAL);
	if (p->kind != PROMPT_CONFIRM && p->kind != PROMPT_CHOICE && x < cols)
		x += screen_put(scr, w, 0, x, 1, "_", ROLE_PROMPT);
	if (p->hint[0] && x + 2 < cols) {
		char hint[sizeof p->hint * 3];
		screen_clean(scr, p->hint, hint, sizeof hint);
		screen_put(scr, w, 0, x + 2, cols - x - 2, hint, ROLE_DIM);
	}
}

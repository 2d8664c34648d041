#include "okdf/ui/pager.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/text.h"

void pager_reset(ui_pager *p, const char *title)
{
	for (int i = 0; i < p->n; i++)
		free(p->lines[i].text);
	p->n = 0;
	p->top = 0;
	p->cursor = 0;
	p->n_select = 0;
	p->follow = 0;
	snprintf(p->title, sizeof p->title, "%s", title ? title : "");
}

void pager_free(ui_pager *p)
{
	pager_reset(p, NULL);
	free(p->lines);
	p->lines = NULL;
	p->cap = 0;
}

static void add_line(ui_pager *p, enum theme_role role, int indent, char *text)
{
	if (!text)
		return;
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 32;
		ui_line *nl = realloc(p->lines, (size_t)cap * sizeof *nl);
		if (!nl) {
			free(text);
			return;
		}
		p->lines = nl;
		p->cap = cap;
	}
	p->lines[p->n++] = (ui_line){ .role = role, .indent = indent, .text = text };
}

void pager_addf(ui_pager *p, enum theme_role role, int indent, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	add_line(p, role, indent, strdup(buf));
}

void pager_add_untrusted(ui_pager *p, const ui_screen *scr, enum theme_role role, int indent,
	const char *label, const char *untrusted)
{
	size_t n = strlen(label) + (untrusted ? strlen(untrusted) * 3 : 0) + 4;
	char *buf = malloc(n);
	if (!buf)
		return;
	size_t w = (size_t)snprintf(buf, n, "%s", label);
	screen_clean(scr, untrusted ? untrusted : "", buf + w, n - w);
	add_line(p, role, indent, buf);
	/* Wrapped rows hang under the text, not the label. */
	int hang = text_width(label);
	if (p->n > 0 && p->lines[p->n - 1].text == buf)
		p->lines[p->n - 1].hang = hang < 30 ? hang : 0;
}

int pager_mark_item(ui_pager *p)
{
	if (p->n == 0)
		return 0;
	p->lines[p->n - 1].select = ++p->n_select;
	if (p->cursor == 0)
		p->cursor = 1;
	return p->n_select;
}

/* Columns from the page's left edge where row `row` of line l starts:
 * continuation rows hang under the text after a line's label. */
static int row_offset(const ui_line *l, int row)
{
	return l->indent + (row > 0 ? l->hang : 0);
}

static int row_width(const ui_line *l, int row, int cols)
{
	int width = cols - row_offset(l, row);
	return width < 4 ? 4 : width;
}

/* Rows line l takes at width cols. */
static int line_rows(const ui_line *l, int cols)
{
	int rows = 0;
	const char *s = l->text;
	do {
		size_t next;
		text_wrap(s, row_width(l, rows, cols), &next);
		s += next;
		rows++;
	} while (*s);
	return rows;
}

static int total_rows(const ui_pager *p, int cols)
{
	int rows = 0;
	for (int i = 0; i < p->n; i++)
		rows += line_rows(&p->lines[i], cols);
	return rows;
}

/* First wrapped row of the cursor item, so it can be kept in view. */
static int cursor_row(const ui_pager *p, int cols, int *height)
{
	int row = 0;
	for (int i = 0; i < p->n; i++) {
		int r = line_rows(&p->lines[i], cols);
		if (p->lines[i].select == p->cursor) {
			*height = r;
			return row;
		}
		row += r;
	}
	*height = 0;
	return -1;
}

void pager_draw(ui_pager *p, ui_screen *scr, WINDOW *w)
{
	int h = getmaxy(w) - 2, cols = getmaxx(w) - 4;
	werase(w);
	screen_frame(scr, w, p->title, 1);
	if (h <= 0 || cols <= 0)
		return;
	int total = total_rows(p, cols);
	if (p->cursor > 0 && p->follow) {
		p->follow = 0;
		int ch, cr = cursor_row(p, cols, &ch);
		if (cr >= 0 && cr < p->top)
			p->top = cr;
		if (cr >= 0 && cr + ch > p->top + h)
			p->top = cr + ch - h;
	}
	if (p->top > total - h)
		p->top = total - h;
	if (p->top < 0)
		p->top = 0;
	int row = 0;
	for (int i = 0; i < p->n; i++) {
		const ui_line *l = &p->lines[i];
		int sel = l->select && l->select == p->cursor;
		const char *s = l->text;
		int line_row = 0;
		do {
			int width = row_width(l, line_row, cols);
			size_t next, len = text_wrap(s, width, &next);
			if (row >= p->top && row < p->top + h) {
				char piece[1024];
				if (len >= sizeof piece)
					len = sizeof piece - 1;
				memcpy(piece, s, len);
				piece[len] = '\0';
				int y = 1 + row - p->top;
				if (sel) {
					wattrset(w, scr->attr[ROLE_CURSOR]);
					mvwhline(w, y, 1, ' ', getmaxx(w) - 2);
				}
				screen_put(scr, w, y, 2 + row_offset(l, line_row), width, piece,
					sel ? ROLE_CURSOR : l->role);
			}
			s += next;
			row++;
			line_row++;
		} while (*s);
	}
	if (total > h) {
		char more[48];
		snprintf(more, sizeof more, " %d-%d/%d ", p->top + 1,
			p->top + h < total ? p->top + h : total, total);
		screen_put(scr, w, getmaxy(w) - 1, getmaxx(w) - 2 - (int)strlen(more),
			(int)strlen(more), more, ROLE_DIM);
	}
}

int pager_key(ui_pager *p, int key, WINDOW *w)
{
	int h = getmaxy(w) - 2;
	int page = h > 1 ? h - 1 : 1;
	int items = p->n_select > 0;
	p->follow = items;
	switch (key) {
	case KEY_DOWN: case 'j':
		if (items && p->cursor < p->n_select)
			p->cursor++;
		else if (!items)
			p->top++;
		return 1;
	case KEY_UP: case 'k':
		if (items && p->cursor > 1)
			p->cursor--;
		else if (!items && p->top > 0)
			p->top--;
		return 1;
	/* Paging scrolls the page itself (to its very top or end), moving the
	 * cursor along without pulling the view back to it. */
	case KEY_NPAGE: case ' ':
		p->follow = 0;
		p->top += page;
		if (items)
			p->cursor = p->cursor + page < p->n_select ? p->cursor + page : p->n_select;
		return 1;
	case KEY_PPAGE:
		p->follow = 0;
		p->top = p->top > page ? p->top - page : 0;
		if (items)
			p->cursor = p->cursor > page ? p->cursor - page : 1;
		return 1;
	case KEY_HOME: case 'g':
		p->follow = 0;
		p->top = 0;
		if (items)
			p->cursor = 1;
		return 1;
	case KEY_END: case 'G':
		p->follow = 0;
		p->top = 1 << 20;
		if (items)
			p->cursor = p->n_select;
		return 1;
	}
	return 0;
}

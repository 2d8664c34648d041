#include "okdf/ui/panel.h"

#include <ctype.h>
#include <string.h>

void panel_clamp(ui_panel *p, int count, int visible)
{
	if (p->selected >= count)
		p->selected = count - 1;
	if (p->selected < 0)
		p->selected = 0;
	if (visible < 1)
		visible = 1;
	if (p->top > p->selected)
		p->top = p->selected;
	if (p->selected >= p->top + visible)
		p->top = p->selected - visible + 1;
	if (p->top > count - visible)
		p->top = count - visible;
	if (p->top < 0)
		p->top = 0;
}

int panel_move(ui_panel *p, int key, int count, int visible)
{
	int old = p->selected, page = visible > 1 ? visible - 1 : 1;
	switch (key) {
	case KEY_DOWN: case 'j': p->selected++; break;
	case KEY_UP: case 'k': p->selected--; break;
	case KEY_NPAGE: case ' ': p->selected += page; break;
	case KEY_PPAGE: p->selected -= page; break;
	case KEY_HOME: case 'g': p->selected = 0; break;
	case KEY_END: case 'G': p->selected = count - 1; break;
	default: return PANEL_IGNORED;
	}
	panel_clamp(p, count, visible);
	return p->selected != old ? PANEL_REDRAW : PANEL_HANDLED;
}

int panel_text_matches(const char *text, const char *filter)
{
	if (!filter || !filter[0])
		return 1;
	size_t fl = strlen(filter);
	for (const char *t = text; *t; t++) {
		size_t i = 0;
		while (i < fl && t[i] &&
			tolower((unsigned char)t[i]) == tolower((unsigned char)filter[i]))
			i++;
		if (i == fl)
			return 1;
	}
	return 0;
}

int panel_filtered_index(ui_panel *p, const ui_panel_ctx *cx, int total, int row)
{
	if (!p->cls->matches || !p->filter[0])
		return row >= 0 && row < total ? row : -1;
	for (int i = 0; i < total; i++) {
		if (!p->cls->matches(p, cx, i, p->filter))
			continue;
		if (row-- == 0)
			return i;
	}
	return -1;
}

int panel_filtered_count(ui_panel *p, const ui_panel_ctx *cx, int total)
{
	if (!p->cls->matches || !p->filter[0])
		return total;
	int n = 0;
	for (int i = 0; i < total; i++)
		n += p->cls->matches(p, cx, i, p->filter) ? 1 : 0;
	return n;
}

int panel_visible_rows(const ui_panel *p)
{
	if (!p->win)
		return 1;
	int rows = getmaxy(p->win) - 2 - p->cls->list_offset;
	return rows > 0 ? rows : 1;
}

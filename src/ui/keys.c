#include "okdf/ui/keys.h"

#include <string.h>

#include "okdf/core/text.h"

const ui_keyhint keys_global[] = {
	{ "Tab", "next", "Focus the next panel (Shift-Tab: the previous one)" },
	{ "1-5", "panel", "Focus panel 1 Phases, 2 Time-to-revenue, 3 Revenue/hour, "
		"4 Numbers, 5 Inbox" },
	{ "Enter", "detail", "Open the detail of the selected row or panel" },
	{ "/", "filter", "Filter the focused list as you type; Enter keeps it, Esc clears it" },
	{ ":", "command", "The command line: every action by name (listed under Commands "
		"below); Up/Down recall earlier lines, Tab completes names, ids and products by "
		"title" },
	{ "r", "sync", "Sync now: ask the connectors for new data" },
	{ "w", "window", "Cycle the metrics window: today, 7d, 30d, 90d (:window takes any)" },
	{ "W", "walk", "Open the phase walkthrough at the first open phase" },
	{ "H", "health", "Connector health: state, last success, last error in full, rows and "
		"throttle waits of the last pass, API version; r syncs now" },
	{ "?", "help", "This help, listing every key" },
	{ "q", "quit", "Quit (Esc or q closes a page or clears a filter first)" },
	{ NULL, NULL, NULL },
};

const ui_keyhint keys_moving[] = {
	{ "j/k", "move", "Down / up a row (or the arrow keys)" },
	{ "h/l", "move", "Left / right: previous / next in pages that have one (or arrows)" },
	{ "PgDn/PgUp", "page", "A page down / up (Space also pages down)" },
	{ "Home/End", "ends", "The first / last row (g / G too); on pages, the very top / end" },
	{ NULL, NULL, NULL },
};

const ui_keyhint keys_health[] = {
	{ "r", "sync now", "Ask every connector for new data now" },
	{ NULL, NULL, NULL },
};

const ui_keyhint keys_page[] = {
	{ ":", "command", "The command line, as on the main screen" },
	{ "j/k", "scroll", "Scroll, or move between the items a page has (PgUp/PgDn, Home/End)" },
	{ "?", "help", "This help" },
	{ "Esc/q", "back", "Back to the main screen (or to the walkthrough from help)" },
	{ NULL, NULL, NULL },
};

static int hint_width(const ui_keyhint *h)
{
	return text_width(h->key) + 1 + text_width(h->label) + 1;
}

int keys_hint_key(const ui_keyhint *h)
{
	static const struct {
		const char *name;
		int key;
	} named[] = { { "Enter", '\n' }, { "Tab", KEY_TAB }, { "Esc/q", KEY_ESC }, { "n/p", 'n' } };
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strcmp(h->key, named[i].name) == 0)
			return named[i].key;
	return h->key[0] && !h->key[1] ? (unsigned char)h->key[0] : 0;
}

static void note_hit(ui_keybar_hits *hits, int x0, int x1, const ui_keyhint *h)
{
	if (!hits || hits->n == KEYBAR_MAX_HITS)
		return;
	hits->x0[hits->n] = x0;
	hits->x1[hits->n] = x1;
	hits->hint[hits->n++] = h;
}

static int put_hint(ui_screen *scr, WINDOW *w, int x, int cols, const ui_keyhint *h,
	ui_keybar_hits *hits)
{
	if (x + hint_width(h) > cols)
		return -1;
	note_hit(hits, x, x + hint_width(h), h);
	x += screen_put(scr, w, 0, x, cols - x, h->key, ROLE_KEYBAR_KEY);
	x += screen_put(scr, w, 0, x, cols - x, " ", ROLE_KEYBAR);
	x += screen_put(scr, w, 0, x, cols - x, h->label, ROLE_KEYBAR);
	x += screen_put(scr, w, 0, x, cols - x, " ", ROLE_KEYBAR);
	return x;
}

static int hint_has_key(const ui_keyhint *set, const char *key)
{
	for (const ui_keyhint *h = set; h && h->key; h++)
		if (strcmp(h->key, key) == 0)
			return 1;
	return 0;
}

/* The last two global hints (help and quit, or help and back) always show,
 * at the right edge; the rest fill what is left, the view's own first, and
 * a global key the view already shows is not shown twice. */
void keys_draw_bar(ui_screen *scr, WINDOW *w, const ui_keyhint *local,
	const ui_keyhint *global, ui_keybar_hits *hits)
{
	int cols = getmaxx(w);
	if (hits)
		hits->n = 0;
	wbkgdset(w, ' ' | scr->attr[ROLE_KEYBAR]);
	werase(w);
	int n = 0;
	while (global && global[n].key)
		n++;
	const ui_keyhint *tail = n >= 2 ? &global[n - 2] : global;
	int tail_n = n >= 2 ? 2 : n, tail_w = 0;
	for (int i = 0; i < tail_n; i++)
		tail_w += hint_width(&tail[i]) + (i ? 1 : 0);
	int room = cols - tail_w, x = 0, full = 0;
	for (const ui_keyhint *h = local; h && h->key && !full; h++) {
		int nx = put_hint(scr, w, x, room, h, hits);
		if (nx < 0)
			full = 1;
		else
			x = nx;
	}
	if (local && local->key && x > 0 && x + 2 < room && !full)
		x += screen_put(scr, w, 0, x, 2, "| ", ROLE_KEYBAR);
	for (int i = 0; i < n - tail_n && !full; i++) {
		if (hint_has_key(local, global[i].key))
			continue;
		int nx = put_hint(scr, w, x, room, &global[i], hits);
		if (nx < 0)
			full = 1;
		else
			x = nx;
	}
	x = room > x ? room : x;
	for (int i = 0; i < tail_n; i++) {
		if (i)
			x += screen_put(scr, w, 0, x, cols - x, " ", ROLE_KEYBAR);
		int nx = put_hint(scr, w, x, cols, &tail[i], hits);
		if (nx < 0)
			break;
		x = nx;
	}
}

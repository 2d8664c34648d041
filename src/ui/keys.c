#include "okdf/ui/keys.h"

#include <string.h>

#include "okdf/core/text.h"

const ui_keyhint keys_global[] = {
	{ "Tab", "next", "Focus the next panel (Shift-Tab: the previous one)" },
	{ "1-5", "panel", "Focus panel 1 Phases, 2 Time-to-revenue, 3 Revenue/hour, "
		"4 Numbers, 5 Inbox" },
	{ "Enter", "detail", "Open the detail of the selected row or panel" },
	{ "/", "filter", "Filter the focused list as you type; Enter keeps it, Esc clears it" },
	{ ":", "command", "Command line: phase signoff N ID [--note T], phase complete N "
		"[--override R], phase reopen N, ack ID, snooze ID DURATION, resolve ID --note T, "
		"hours add H [--note T], idea add TITLE, sync, window W, walkthrough [N], help, quit" },
	{ "r", "sync", "Sync now: ask the connectors for new data" },
	{ "w", "window", "Cycle the metrics window: today, 7d, 30d, 90d" },
	{ "W", "walk", "Open the phase walkthrough at the first open phase" },
	{ "?", "help", "This help, listing every key" },
	{ "q", "quit", "Quit (Esc or q closes a page or clears a filter first)" },
	{ NULL, NULL, NULL },
};

const ui_keyhint keys_moving[] = {
	{ "j/k", "move", "Down / up a row (or the arrow keys)" },
	{ "h/l", "move", "Left / right: previous / next in pages that have one (or arrows)" },
	{ "PgDn/PgUp", "page", "A page down / up (Space also pages down)" },
	{ "Home/End", "ends", "The first / last row (g / G too)" },
	{ NULL, NULL, NULL },
};

const ui_keyhint keys_page[] = {
	{ "Esc/q", "back", "Back to the main screen (or to the walkthrough from help)" },
	{ "?", "help", "This help" },
	{ ":", "command", "The command line, as on the main screen" },
	{ "j/k", "scroll", "Scroll, or move between the items a page has (PgUp/PgDn, Home/End)" },
	{ NULL, NULL, NULL },
};

static int put_hint(ui_screen *scr, WINDOW *w, int x, int cols, const ui_keyhint *h)
{
	int need = text_width(h->key) + 1 + text_width(h->label) + 1;
	if (x + need > cols)
		return -1;
	x += screen_put(scr, w, 0, x, cols - x, h->key, ROLE_KEYBAR_KEY);
	x += screen_put(scr, w, 0, x, cols - x, " ", ROLE_KEYBAR);
	x += screen_put(scr, w, 0, x, cols - x, h->label, ROLE_KEYBAR);
	x += screen_put(scr, w, 0, x, cols - x, " ", ROLE_KEYBAR);
	return x;
}

void keys_draw_bar(ui_screen *scr, WINDOW *w, const ui_keyhint *local,
	const ui_keyhint *global)
{
	int cols = getmaxx(w);
	wbkgdset(w, ' ' | scr->attr[ROLE_KEYBAR]);
	werase(w);
	int x = 0;
	const ui_keyhint *sets[2] = { local, global };
	for (int s = 0; s < 2; s++) {
		for (const ui_keyhint *h = sets[s]; h && h->key; h++) {
			int nx = put_hint(scr, w, x, cols, h);
			if (nx < 0)
				return;
			x = nx;
		}
		if (s == 0 && local && local->key && x < cols - 1)
			x += screen_put(scr, w, 0, x, 2, "| ", ROLE_KEYBAR);
	}
}

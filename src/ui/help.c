#include "okdf/ui/help.h"

#include <stdio.h>

#include "okdf/ui/app.h"

static void add_keys(ui_pager *pg, const char *heading, const ui_keyhint *keys)
{
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "%s", heading);
	for (const ui_keyhint *k = keys; k && k->key; k++)
		pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", k->key, k->help ? k->help : k->label);
}

void help_fill(ui_app *app, ui_pager *pg)
{
	pager_reset(pg, "Help: every key");
	pager_addf(pg, ROLE_DIM, 0, "No action runs on a Ctrl chord; acting on an escalation or "
		"overriding a phase asks for confirmation first.");
	add_keys(pg, "Everywhere on the main screen", keys_global);
	add_keys(pg, "Moving", keys_moving);
	for (int i = 0; i < UI_N_PANELS; i++) {
		const ui_panel_class *c = app->panels[i].cls;
		if (c->hints && c->hints[0].key) {
			char h[96];
			snprintf(h, sizeof h, "Panel %d: %s", i + 1, c->title);
			add_keys(pg, h, c->hints);
		}
		if (c->detail_hints && c->detail_hints[0].key) {
			char h[96];
			snprintf(h, sizeof h, "%s detail page", c->title);
			add_keys(pg, h, c->detail_hints);
		}
	}
	add_keys(pg, "Walkthrough (W, or okdf walkthrough)", walkthrough_hints);
	add_keys(pg, "Full-screen pages (help, details)", keys_page);
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "Prompts");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "Enter", "accept the line");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "Esc", "cancel");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "Backspace", "delete a character");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "y / n", "answer a confirmation (n is the default)");
}

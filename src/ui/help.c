#include "okdf/ui/help.h"

#include <stdio.h>

#include "okdf/ui/command.h"
#include "app_private.h"

/* Wrapped lines hang under the text, past the key. */
static void add_keys(ui_app *app, ui_pager *pg, const char *heading, const ui_keyhint *keys)
{
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "%s", heading);
	for (const ui_keyhint *k = keys; k && k->key; k++) {
		char label[32];
		snprintf(label, sizeof label, "%-10s ", k->key);
		pager_add_untrusted(pg, &app->scr, ROLE_NORMAL, 2, label, k->help ? k->help : k->label);
	}
}

void help_fill(ui_app *app, ui_pager *pg)
{
	pager_reset(pg, "Help: every key");
	pager_addf(pg, ROLE_DIM, 0, "No action runs on a Ctrl chord; acting on an escalation or "
		"overriding a phase asks for confirmation first.");
	add_keys(app, pg, "Everywhere on the main screen", keys_global);
	add_keys(app, pg, "Moving", keys_moving);
	for (int i = 0; i < UI_N_PANELS; i++) {
		const ui_panel_class *c = app->panels[i].cls;
		if (c->hints && c->hints[0].key) {
			char h[96];
			snprintf(h, sizeof h, "Panel %d: %s", i + 1, c->title);
			add_keys(app, pg, h, c->hints);
		}
		if (c->detail_hints && c->detail_hints[0].key) {
			char h[96];
			snprintf(h, sizeof h, "%s detail page", c->title);
			add_keys(app, pg, h, c->detail_hints);
		}
	}
	add_keys(app, pg, "Walkthrough (W, or okdf walkthrough)", walkthrough_hints);
	add_keys(app, pg, "Health view (H, :health)", keys_health);
	add_keys(app, pg, "Full-screen pages (help, details)", keys_page);
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "Commands (:, then Enter; Up/Down recall, Tab completes)");
	for (const command_doc *d = command_docs; d->usage; d++) {
		pager_addf(pg, ROLE_ACCENT, 2, "%s", d->usage);
		pager_addf(pg, ROLE_NORMAL, 6, "%s", d->what);
	}
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "Prompts");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "Enter", "accept the line");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "Esc", "cancel");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "Backspace", "delete a character");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "y / n", "answer a confirmation (n is the default)");
	pager_addf(pg, ROLE_NORMAL, 2, "%-10s %s", "a / r ...", "a choice offers single keys; "
		"other keys do nothing, Esc cancels");
}

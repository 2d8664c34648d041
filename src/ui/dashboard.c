#include "okdf/ui/dashboard.h"

#include <stdio.h>

#include "app_private.h"
#include "panels_private.h"

/* Inner rows: 11 phases; 5 RPOH lines; 6 supporting numbers, a 7th
 * (Klaviyo-attributed revenue) when time-to-revenue keeps 6 rows. */
#define PHASES_H 13
#define RPOH_H 7
#define KPIS_H 8

void dashboard_init(ui_app *app)
{
	const ui_panel_class *classes[UI_N_PANELS] = {
		[PANEL_PHASES] = &panel_phases_class,
		[PANEL_TTR] = &panel_ttr_class,
		[PANEL_RPOH] = &panel_rpoh_class,
		[PANEL_KPIS] = &panel_kpis_class,
		[PANEL_INBOX] = &panel_inbox_class,
	};
	for (int i = 0; i < UI_N_PANELS; i++)
		app->panels[i].cls = classes[i];
}

/* Keeps panel idx's selection inside its list and in view. */
static void clamp(ui_app *app, int idx)
{
	ui_panel *p = &app->panels[idx];
	ui_panel_ctx cx = app_panel_ctx(app, idx);
	panel_clamp(p, p->cls->count(p, &cx), dashboard_visible_rows(app, idx));
}

int dashboard_compact(const ui_app *app)
{
	return app->panels[PANEL_KPIS].win == NULL || app->panels[PANEL_PHASES].win == NULL ||
		app->panels[PANEL_TTR].win == NULL || app->panels[PANEL_RPOH].win == NULL;
}

/* Two panels: the focused one (or Phases) on top, the Inbox below. */
static void layout_compact(ui_app *app, int y, int h, int cols)
{
	int top = app->focus == PANEL_INBOX ? PANEL_PHASES : app->focus;
	int top_h = h / 2;
	app->panels[top].win = newwin(top_h, cols, y, 0);
	app->panels[PANEL_INBOX].win = newwin(h - top_h, cols, y + top_h, 0);
}

void dashboard_layout(ui_app *app, int y, int h, int cols)
{
	if (cols < SCREEN_FULL_COLS || h < SCREEN_FULL_ROWS - 2) {
		layout_compact(app, y, h, cols);
		for (int i = 0; i < UI_N_PANELS; i++) {
			ui_panel *p = &app->panels[i];
			p->dirty = 1;
			if (p->cls->count && p->win)
				clamp(app, i);
		}
		return;
	}
	/* Wide terminals give the inbox's column the extra width (more columns,
	 * whole titles); the numbers on the right need no more than 80. */
	int left = cols >= 160 ? cols - 80 : cols / 2, right = cols - left;
	/* A row more for Revenue per operator hour when the height allows. */
	int phases_h = PHASES_H, kpis_h = KPIS_H, rpoh_h = RPOH_H + (h >= 24);
	if (h - rpoh_h - kpis_h >= 9)
		kpis_h++;
	int ttr_h = h - rpoh_h - kpis_h;
	app->panels[PANEL_PHASES].win = newwin(phases_h, left, y, 0);
	app->panels[PANEL_INBOX].win = newwin(h - phases_h, left, y + phases_h, 0);
	app->panels[PANEL_TTR].win = newwin(ttr_h, right, y, left);
	app->panels[PANEL_RPOH].win = newwin(rpoh_h, right, y + ttr_h, left);
	app->panels[PANEL_KPIS].win = newwin(kpis_h, right, y + ttr_h + rpoh_h, left);
	for (int i = 0; i < UI_N_PANELS; i++) {
		ui_panel *p = &app->panels[i];
		p->dirty = 1;
		if (p->cls->count)
			clamp(app, i);
	}
}

int dashboard_visible_rows(ui_app *app, int idx)
{
	return panel_visible_rows(&app->panels[idx]);
}

void dashboard_draw_panel(ui_app *app, int idx)
{
	ui_panel *p = &app->panels[idx];
	ui_screen *scr = &app->scr;
	wbkgdset(p->win, ' ' | scr->attr[ROLE_NORMAL]);
	werase(p->win);
	char title[200], filter[140];
	if (p->filter[0]) {
		screen_clean(scr, p->filter, filter, sizeof filter);
		snprintf(title, sizeof title, "[%d] %s /%s", idx + 1, p->cls->title, filter);
	} else {
		snprintf(title, sizeof title, "[%d] %s", idx + 1, p->cls->title);
	}
	screen_frame(scr, p->win, title, idx == app->focus);
	if (p->cls->count)
		clamp(app, idx);
	ui_panel_ctx cx = app_panel_ctx(app, idx);
	p->cls->draw(p, &cx);
}

void dashboard_after_reload(ui_app *app)
{
	for (int i = 0; i < UI_N_PANELS; i++) {
		ui_panel *p = &app->panels[i];
		if (p->cls->count && p->win)
			clamp(app, i);
	}
}

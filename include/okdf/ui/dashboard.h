/* The main screen's five panels: which class each is, where it sits for the
 * terminal's size, and drawing one with its frame. */
#ifndef OKDF_UI_DASHBOARD_H
#define OKDF_UI_DASHBOARD_H

#include "okdf/ui/panel.h"

struct ui_app;

void dashboard_init(struct ui_app *app);

/* Places the panels in rows [y, y + h) of a cols-wide screen. With room
 * (h >= 21, cols >= 80): Phases over Inbox on the left; Time-to-revenue,
 * Revenue per operator hour and the supporting numbers on the right; extra
 * height goes to the lists (Inbox, Time-to-revenue). Smaller: two panels,
 * the focused one (Phases while the Inbox has focus) over the Inbox; the
 * others have no window until focused. */
void dashboard_layout(struct ui_app *app, int y, int h, int cols);

/* True when the last layout shows fewer than all panels. */
int dashboard_compact(const struct ui_app *app);

/* Erases, frames ("[N] Title", filter shown) and draws panel idx. */
void dashboard_draw_panel(struct ui_app *app, int idx);

/* Rows of panel idx's list on screen. */
int dashboard_visible_rows(struct ui_app *app, int idx);

/* Keeps every panel's selection valid after the model changed. */
void dashboard_after_reload(struct ui_app *app);

#endif

/* The five panel classes of the main screen, each defined in its
 * src/ui/panel_*.c and placed by ui/dashboard; nothing outside src/ui
 * sees them. */
#ifndef OKDF_UI_PANELS_PRIVATE_H
#define OKDF_UI_PANELS_PRIVATE_H

#include "okdf/ui/panel.h"

extern const ui_panel_class panel_phases_class;
extern const ui_panel_class panel_ttr_class;
extern const ui_panel_class panel_rpoh_class;
extern const ui_panel_class panel_kpis_class;
extern const ui_panel_class panel_inbox_class;

#endif

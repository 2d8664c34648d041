/* Words for what an action did: the typed ui_result of ui/action becomes a
 * line on the bar or a page (a refused completion lists its reasons and
 * offers the override). The one place the UI phrases outcomes. */
#ifndef OKDF_UI_OUTCOME_H
#define OKDF_UI_OUTCOME_H

#include "okdf/ui/action.h"

struct ui_app;

void outcome_show(struct ui_app *app, const ui_action *a, const ui_result *r);

#endif

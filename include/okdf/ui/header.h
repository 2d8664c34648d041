/* The top line: shop, currency, the shop's clock (minute resolution) and
 * the sync health of every connector. */
#ifndef OKDF_UI_HEADER_H
#define OKDF_UI_HEADER_H

#include <stddef.h>

struct ui_app;

void header_draw(struct ui_app *app);

/* "<1m", "12m", "3h", "5d" (or "never" for 0) into buf. */
void header_age(long long now, long long then, char *buf, size_t n);

#endif

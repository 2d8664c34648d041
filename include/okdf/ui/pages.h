/* Full-screen pages the ':' line and keys open that belong to no panel:
 * operator hours with their manual entries, and connector health. Each fills
 * app->pager from store functions and opens it. */
#ifndef OKDF_UI_PAGES_H
#define OKDF_UI_PAGES_H

struct ui_app;

/* Hours per operator and the manual entries (with the ids `:hours rm`
 * takes) over window (today, 7d, 30d, Nd, ...). */
void pages_hours(struct ui_app *app, const char *window);

#endif

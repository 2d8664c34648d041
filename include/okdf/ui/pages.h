/* Full-screen pages the ':' line and keys open that belong to no panel:
 * operator hours with their manual entries, and connector health. Each fills
 * app->pager from store functions and opens it. */
#ifndef OKDF_UI_PAGES_H
#define OKDF_UI_PAGES_H

struct ui_app;

/* Hours per operator and the manual entries (with the ids `:hours rm`
 * takes) over window (today, 7d, 30d, Nd, ...). */
void pages_hours(struct ui_app *app, const char *window);

/* Each connector's state, last success, last error in full, rows and
 * throttle waits of its last pass and its API version, into app->pager (the
 * Health view rebuilds it on every reload). */
void pages_health_fill(struct ui_app *app);

#endif

/* The help page: every key of every view, and the ':' commands. */
#ifndef OKDF_UI_HELP_H
#define OKDF_UI_HELP_H

struct ui_app;
struct ui_pager;

void help_fill(struct ui_app *app, struct ui_pager *pg);

#endif

/* Tab on the ':' line: completes the word being typed from what the screen
 * knows (command names, subcommands, phase numbers and sign-off ids,
 * escalation ids, the decisions an escalation takes, kinds, idea ids, and
 * products by id or by title), and says what the candidates are. */
#ifndef OKDF_UI_COMPLETE_H
#define OKDF_UI_COMPLETE_H

#include <stddef.h>

struct ui_app;

/* Completes the last word of line (n bytes) in place: a single candidate
 * whole (and a space), several up to what they share. hint receives the
 * candidates with what they name ("" for none). Returns 1 when line
 * changed. */
int complete_command(struct ui_app *app, char *line, size_t n, char *hint, size_t hn);

#endif

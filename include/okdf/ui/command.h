/* The ':' command line: words into the same typed actions the keys use
 * (ui/action), never through a shell or another front end. Commands: phase
 * signoff/complete/reopen, ack, snooze, resolve, decide, escalate, hours add,
 * idea add/link, review add; and the UI's own: sync, window, walkthrough,
 * help, quit. */
#ifndef OKDF_UI_COMMAND_H
#define OKDF_UI_COMMAND_H

#include <stddef.h>

#include "okdf/core/phases.h"
#include "okdf/ui/action.h"

#define COMMAND_MAX_ARGS 32

/* Splits line into words: whitespace separates, "..." and '...' quote,
 * backslash escapes the next character. Words point into buf (a copy of
 * line). Returns the count, or -1 on an unterminated quote or too many words. */
int command_split(const char *line, char *buf, size_t n, char **argv, int max);

/* Appends text to out quoted for command_split. */
void command_quote(char *out, size_t n, const char *text);

/* Every command with its usage and what it does, for the help page
 * (NULL-terminated). */
typedef struct command_doc {
	const char *usage, *what;
} command_doc;
extern const command_doc command_docs[];

/* Parses one line into req: the action and the questions it still needs (a
 * missing note, a y/N for destructive ones, a snooze duration). Returns 0
 * (req->action.kind is ACT_NONE for a blank line) or -1 with err set. */
int command_parse(const char *line, const phase_catalog *cat, ui_request *req, char *err,
	size_t n);

#endif

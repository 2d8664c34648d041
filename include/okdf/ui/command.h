/* The ':' command line. The CLI's actions (phase signoff/complete/reopen,
 * ack, snooze, resolve, decide, escalate, hours add, idea add, review) run
 * in-process through the CLI's own command functions, so the line does
 * exactly what the shell command does (validation, transactions, audit);
 * never through a shell. Their output is captured, never printed over the
 * screen. UI commands: sync, window, walkthrough, help, quit. */
#ifndef OKDF_UI_COMMAND_H
#define OKDF_UI_COMMAND_H

#include <stddef.h>

struct ui_app;

#define COMMAND_MAX_ARGS 32

/* Splits line into words: whitespace separates, "..." and '...' quote,
 * backslash escapes the next character. Words point into buf (a copy of
 * line). Returns the count, or -1 on an unterminated quote or too many words. */
int command_split(const char *line, char *buf, size_t n, char **argv, int max);

/* Appends text to out quoted for command_split. */
void command_quote(char *out, size_t n, const char *text);

/* Runs one command line; the outcome goes to app_message or a page.
 * Destructive commands (resolve, decide, phase reopen, phase complete
 * --override) ask y/N first unless confirmed is set. */
void command_run(struct ui_app *app, const char *line, int confirmed);

#endif

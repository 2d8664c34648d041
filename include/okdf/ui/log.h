/* The UI's log file, $XDG_STATE_HOME/okdf/okdf.log: while curses owns the
 * terminal nothing may be written to it, so messages (and stray stderr
 * output, redirected by ui/screen) go here. */
#ifndef OKDF_UI_LOG_H
#define OKDF_UI_LOG_H

#include "okdf/err.h"

/* Opens (appending, mode 0600, creating its directory) the log file. */
int log_open(okdf_err *e);

/* The open log's file descriptor, or -1. */
int log_fd(void);

/* One timestamped line; a no-op when the log is not open. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void log_close(void);

#endif

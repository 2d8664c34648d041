/* Running the Command Center screen from a command: `okdf tui`,
 * `okdf walkthrough`, the no-command default on a terminal, and `okdf demo`. */
#ifndef OKDF_CLI_TUI_H
#define OKDF_CLI_TUI_H

#include "okdf/cli/cli.h"
#include "okdf/core/config.h"
#include "okdf/err.h"

struct sync_engine;

/* Opens the screen on the database of cli. When config enables connectors
 * and no other process holds the poller lock, the sync workers run in this
 * process and wake the screen; otherwise the screen follows the database.
 * engine, when not NULL, is an engine the caller already started (demo),
 * with wake_fd its wake-up pipe; tui_run does not stop it. */
int tui_run(okdf_cli *cli, const okdf_config *cfg, const char *db_path, int walkthrough,
	struct sync_engine *engine, int wake_fd, okdf_err *e);

#endif

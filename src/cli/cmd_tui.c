/* okdf tui / okdf walkthrough: their arguments and config; tui_run
 * (cli/tui.c) opens the screen. */
#include <stdio.h>

#include "okdf/cli/tui.h"
#include "okdf/store/db.h"

static const char tui_usage[] =
	"usage: okdf [--theme NAME|PATH] [--ascii] tui\n"
	"Open the Command Center: phases, time-to-revenue, revenue per operator hour,\n"
	"supporting numbers and the escalation inbox, live. ? lists every key.\n"
	"The sync workers run inside it unless 'okdf sync' already holds the\n"
	"database; then it follows the database. Also the default when okdf runs\n"
	"on a terminal without a command. Logs: $XDG_STATE_HOME/okdf/okdf.log.\n";

static const char walkthrough_usage[] =
	"usage: okdf walkthrough\n"
	"Open the Command Center at the phase walkthrough: one phase per page, in\n"
	"order, with its goal, guidance, live checks and sign-offs.\n";

static int start(okdf_cli *cli, int argc, char **argv, int walkthrough, const char *usage,
	okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", usage);
		return OKDF_OK;
	}
	if (argc > 1)
		return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[1], usage);
	okdf_config cfg;
	int rc = config_load(cli->config_opt, &cfg, e);
	if (rc)
		return rc;
	char path[4096];
	const char *db_path = cli->db_opt;
	if (!db_path) {
		if ((rc = db_default_path(path, sizeof path, e)))
			return rc;
		db_path = path;
	}
	return tui_run(cli, &cfg, db_path, walkthrough, NULL, -1, e);
}

int cmd_tui(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	return start(cli, argc, argv, 0, tui_usage, e);
}

int cmd_walkthrough(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	return start(cli, argc, argv, 1, walkthrough_usage, e);
}

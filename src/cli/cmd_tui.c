/* okdf tui / okdf walkthrough: the full-screen Command Center. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "okdf/cli/tui.h"
#include "okdf/store/db.h"
#include "okdf/sync/worker.h"
#include "okdf/ui/app.h"

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

static void wake_engine(void *ctx)
{
	sync_request_now(ctx);
}

int tui_run(okdf_cli *cli, const okdf_config *cfg, const char *db_path, int walkthrough,
	struct sync_engine *engine, int wake_fd, okdf_err *e)
{
	theme th;
	int rc = ui_theme_load(cli->theme_opt, cfg, &th, e);
	if (rc)
		return rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return okdf_err_set(e, OKDF_EINPUT, "needs a terminal on stdin and stdout");
	okdf_db *db;
	/* Creates and migrates the database before workers and screen use it. */
	if ((rc = db_open(db_path, &db, e)))
		return rc;
	db_close(db);

	ui_options opt = {
		.cfg = cfg, .data_dir = cli->data_dir_opt, .ascii = cli->ascii, .th = &th,
		.db_path = db_path,
		.start_walkthrough = walkthrough, .wake_fd = -1,
	};
	sync_engine *own = NULL;
	int pipefd[2] = { -1, -1 };
	char note[160] = "";
	const char *names[4];
	if (engine) {
		opt.wake_fd = wake_fd;
		opt.request_sync = wake_engine;
		opt.sync_ctx = engine;
	} else if (sync_enabled_connectors(cfg, names) == 0) {
		snprintf(note, sizeof note, "no sync configured");
	} else {
		int lock = -1;
		okdf_err le = { 0 };
		if (sync_poller_lock_try(db_path, &lock, &le) != OKDF_OK) {
			/* Another process polls: follow the database it writes. */
			snprintf(note, sizeof note, "following okdf sync");
		} else if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) != 0) {
			sync_poller_lock_release(lock);
			return okdf_err_set(e, OKDF_EFAIL, "cannot create the wake-up pipe");
		} else {
			sync_options so = { .cfg = cfg, .db_path = db_path, .wake_fd = pipefd[1],
				.lock_fd = lock };
			if ((rc = sync_start(&so, &own, e))) {
				close(pipefd[0]);
				close(pipefd[1]);
				return rc;
			}
			opt.wake_fd = pipefd[0];
			opt.request_sync = wake_engine;
			opt.sync_ctx = own;
		}
	}
	opt.sync_note = note[0] ? note : NULL;
	rc = ui_run(&opt, e);
	if (own) {
		sync_stop(own);
		close(pipefd[0]);
		close(pipefd[1]);
	}
	return rc;
}

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

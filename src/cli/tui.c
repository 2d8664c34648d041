/* Running the Command Center from a command (`okdf tui`, `okdf walkthrough`,
 * the no-command default, `okdf demo`): the theme and terminal checked
 * before the screen opens, the database created, and the sync workers
 * started in this process (waking the screen through a pipe) unless another
 * process already polls, in which case the screen follows the database. */
#include "okdf/cli/tui.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "okdf/store/db.h"
#include "okdf/sync/worker.h"
#include "okdf/ui/app.h"

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

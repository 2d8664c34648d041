/* okdf sync: the headless poller. --once runs every enabled connector to
 * completion; without it, passes repeat every interval_seconds until
 * SIGINT/SIGTERM, which let the open transaction finish. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "okdf/cli/cli.h"
#include "okdf/core/config.h"
#include "okdf/store/db.h"
#include "okdf/sync/worker.h"

static const char sync_usage[] =
	"usage: okdf sync [--once]\n"
	"Pull Shopify, Klaviyo, Meta Ads and Relevance AI into the database: every\n"
	"connector with a section in config.ini, each on its own thread.\n"
	"  --once   run each connector to completion, then exit (non-zero naming the\n"
	"           connector that failed)\n"
	"Without --once, sync every [sync] interval_seconds until SIGINT or SIGTERM.\n"
	"Only one okdf may sync a database at a time.\n";

struct progress {
	pthread_mutex_t mu;
	int tty;
	int failed;
	char first_failure[1200];
};

static void on_pass(const sync_result *r, void *arg)
{
	struct progress *p = arg;
	pthread_mutex_lock(&p->mu);
	if (r->rc && !r->interrupted && !p->failed) {
		p->failed = 1;
		snprintf(p->first_failure, sizeof p->first_failure, "%s: %s", r->connector, r->message);
	}
	if (p->tty) {
		if (r->interrupted)
			cli_printf(stdout, "%-10s interrupted\n", r->connector);
		else if (r->rc == OKDF_OK)
			cli_printf(stdout, "%-10s ok      %lld rows in %.1f s, %ld throttle waits\n", r->connector,
				r->rows, r->seconds, r->throttle_waits);
		else
			cli_printf(stdout, "%-10s FAILED  %s\n", r->connector, r->message);
	}
	/* Warnings matter also to a log reading the headless poller. */
	if (r->note[0])
		cli_printf(stdout, "%-10s note:   %s\n", r->connector, r->note);
	fflush(stdout);
	pthread_mutex_unlock(&p->mu);
}

int cmd_sync(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", sync_usage);
		return OKDF_OK;
	}
	int once = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = 1;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				sync_usage);
	}
	okdf_config cfg;
	int rc = config_load(cli->config_opt, &cfg, e);
	if (rc)
		return rc;
	char path[4096];
	if (cli->db_opt) {
		snprintf(path, sizeof path, "%s", cli->db_opt);
	} else {
		rc = db_default_path(path, sizeof path, e);
		if (rc)
			return rc;
	}
	/* Create (and migrate) the database, and so its directory, before the
	 * lock beside it: a first start under systemd has neither. */
	okdf_db *db;
	rc = db_open(path, &db, e);
	if (rc)
		return rc;
	db_close(db);
	/* Workers inherit the mask; this thread alone takes the signals. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	struct progress p = { .tty = isatty(STDOUT_FILENO) };
	pthread_mutex_init(&p.mu, NULL);
	sync_options o = {
		.cfg = &cfg,
		.db_path = path,
		.wake_fd = -1,
		.once = once,
		.lock_fd = -1,
		.on_pass = on_pass,
		.arg = &p,
	};
	sync_engine *s;
	rc = sync_start(&o, &s, e);
	if (rc) {
		pthread_mutex_destroy(&p.mu);
		return rc;
	}
	int stopped_by_signal = 0;
	while (!(once && sync_finished(s))) {
		struct timespec tick = { 0, 200 * 1000 * 1000 };
		if (sigtimedwait(&set, NULL, &tick) > 0) {
			stopped_by_signal = 1;
			break;
		}
	}
	rc = sync_stop(s);
	pthread_mutex_destroy(&p.mu);
	if (stopped_by_signal)
		return once ? okdf_err_set(e, OKDF_EFAIL, "interrupted before every connector finished")
			    : OKDF_OK;
	if (rc)
		return okdf_err_set(e, rc, "%s", p.first_failure);
	return OKDF_OK;
}

#include <stdio.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/timeutil.h"
#include "okdf/core/metrics.h"
#include "okdf/store/db.h"

int cli_open_db(const okdf_cli *cli, sqlite3 **db, okdf_err *e)
{
	char path[4096];
	const char *p = cli->db_opt;
	if (!p) {
		int rc = db_default_path(path, sizeof path, e);
		if (rc)
			return rc;
		p = path;
	}
	return db_open(p, db, e);
}

int cli_open_db_now(const okdf_cli *cli, sqlite3 **db, long long *now, okdf_err *e)
{
	int rc = time_now(now, e);
	if (rc)
		return rc;
	return cli_open_db(cli, db, e);
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

int cli_shop_timezone(sqlite3 *db, char *tz, size_t n, okdf_err *e)
{
	char currency[8];
	int rc = metrics_shop(db, currency, sizeof currency, tz, n, e);
	if (rc == OKDF_ENOTFOUND) {
		okdf_err_clear(e);
		snprintf(tz, n, "UTC");
		return OKDF_OK;
	}
	return rc;
}

int cli_run_subcommand(okdf_cli *cli, int argc, char **argv, const cli_subcommand *subs,
	const char *usage, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return OKDF_OK;
	}
	for (const cli_subcommand *sub = subs; argc >= 2 && sub->name; sub++)
		if (strcmp(argv[1], sub->name) == 0)
			return sub->run(cli, argc, argv, e);
	return okdf_err_set(e, OKDF_EINPUT, "%s", usage);
}

int cli_parse_add_args(int argc, char **argv, const char *opt, const char **value,
	const char **date, const char **opt_val, const char *usage, okdf_err *e)
{
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--date") == 0 && i + 1 < argc)
			*date = argv[++i];
		else if (strcmp(argv[i], opt) == 0 && i + 1 < argc)
			*opt_val = argv[++i];
		else if (!*value && argv[i][0] != '-')
			*value = argv[i];
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				usage);
	}
	return OKDF_OK;
}

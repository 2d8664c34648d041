/* okdf review add: record the weekly review of the feedback loops (phase 9). */
#include <stdio.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/timeutil.h"
#include "okdf/core/review.h"
#include "okdf/store/db.h"

static const char review_usage[] =
	"usage: okdf review add [--note TEXT]\n"
	"Record that you held the weekly review of the feedback loops (phase 9).\n";

int cmd_review(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", review_usage);
		return OKDF_OK;
	}
	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return okdf_err_set(e, OKDF_EINPUT, "%s\n%s",
			argc < 2 ? "missing subcommand" : "unknown subcommand", review_usage);
	const char *note = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
			note = argv[++i];
		else if (strncmp(argv[i], "--note=", 7) == 0)
			note = argv[i] + 7;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				review_usage);
	}
	long long now;
	sqlite3 *db;
	int rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	okdf_operator op;
	operator_current(&op);
	long long id;
	rc = review_record(db, &op, now, note, &id, e);
	db_close(db);
	if (!rc)
		cli_printf(stdout, "Review #%lld recorded by %s.\n", id, op.name);
	return rc;
}

/* okdf hours: record manual operator hours and list hours per operator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/hours.h"
#include "okdf/core/metrics.h"
#include "okdf/core/operator.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

static const char hours_usage[] =
	"usage: okdf hours add HOURS [--date YYYY-MM-DD] [--note TEXT]\n"
	"       okdf hours list [--window W]\n"
	"add   records HOURS (a decimal like 1.5) of off-tool work for the current\n"
	"      operator on shop day D (default today), placed from the start of that\n"
	"      day after the operator's earlier manual entries for it.\n"
	"list  per operator: console-active, manual and their union (window default 7d:\n"
	"      today, 7d, 30d, 90d, all, Nd or YYYY-MM-DD..YYYY-MM-DD).\n";

static void fmt_hours(long long secs, char *buf, size_t n)
{
	snprintf(buf, n, "%lld:%02lld", secs / 3600, secs / 60 % 60);
}

static int hours_add(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	const char *amount = NULL, *date = NULL, *note = NULL;
	int rc = cli_parse_add_args(argc, argv, "--note", &amount, &date, &note, hours_usage, e);
	if (rc)
		return rc;
	if (!amount)
		return okdf_err_set(e, OKDF_EINPUT, "missing HOURS\n%s", hours_usage);
	long long seconds, now;
	okdf_date day;
	rc = hours_parse(amount, &seconds, e);
	if (!rc && date)
		rc = time_parse_date(date, &day, e);
	sqlite3 *db;
	if (!rc)
		rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	char tz[64];
	long long id = 0;
	okdf_operator op;
	operator_current(&op);
	rc = cli_shop_timezone(db, tz, sizeof tz, e);
	if (!rc)
		rc = hours_record(db, &op, tz, date ? &day : NULL, seconds, note, now, &id, &day, e);
	db_close(db);
	if (rc)
		return rc;
	char d[16];
	date_format(day, d, sizeof d);
	char h[32];
	fmt_hours(seconds, h, sizeof h);
	printf("recorded %s h for %s on %s (%s)\n", h, op.name, d, tz);
	return OKDF_OK;
}

static int hours_list(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	const char *window = "7d";
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--window") == 0 && i + 1 < argc)
			window = argv[++i];
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				hours_usage);
	}
	long long now;
	sqlite3 *db;
	int rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	char tz[64];
	metrics_window w;
	hours_operator *ops = NULL;
	int n = 0;
	if (!(rc = cli_shop_timezone(db, tz, sizeof tz, e)) &&
		!(rc = metrics_window_parse(window, tz, now, &w, e)))
		rc = hours_by_operator(db, w.from, w.to, &ops, &n, e);
	db_close(db);
	if (rc)
		return rc;
	char a[16], b[16];
	date_format(w.first, a, sizeof a);
	date_format(w.last, b, sizeof b);
	printf("Operator hours  %s: %s .. %s (%s), h:mm\n", w.spec, w.all ? "start" : a, b, tz);
	printf("%-24s %10s %10s %10s\n", "operator", "console", "manual", "total");
	long long sc = 0, sm = 0, st = 0;
	for (int i = 0; i < n; i++) {
		char c[32], m[32], t[32];
		fmt_hours(ops[i].console_seconds, c, sizeof c);
		fmt_hours(ops[i].manual_seconds, m, sizeof m);
		fmt_hours(ops[i].total_seconds, t, sizeof t);
		printf("%-24.24s %10s %10s %10s\n", ops[i].name, c, m, t);
		sc += ops[i].console_seconds;
		sm += ops[i].manual_seconds;
		st += ops[i].total_seconds;
	}
	char c[32], m[32], t[32];
	fmt_hours(sc, c, sizeof c);
	fmt_hours(sm, m, sizeof m);
	fmt_hours(st, t, sizeof t);
	printf("%-24s %10s %10s %10s\n", "all operators", c, m, t);
	free(ops);
	return OKDF_OK;
}

int cmd_hours(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	static const cli_subcommand subs[] = {
		{ "add", hours_add },
		{ "list", hours_list },
		{ NULL, NULL },
	};
	return cli_run_subcommand(cli, argc, argv, subs, hours_usage, e);
}

/* okdf hours: record, list and remove manual operator hours, and list hours
 * per operator. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/hours.h"
#include "okdf/core/metrics.h"
#include "okdf/core/operator.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/hours.h"

static const char hours_usage[] =
	"usage: okdf hours add HOURS [--date YYYY-MM-DD] [--note TEXT]\n"
	"       okdf hours list [--window W] [--json]\n"
	"       okdf hours rm ID\n"
	"add   records HOURS (decimal like 1.5, or h:mm like 1:30) of off-tool work for\n"
	"      the current operator on shop day D (default today), placed from the\n"
	"      start of that day after the operator's earlier manual entries for it.\n"
	"list  per operator: console-active, manual and their union (window default 7d:\n"
	"      today, 7d, 30d, 90d, all, Nd or YYYY-MM-DD..YYYY-MM-DD), then the manual\n"
	"      entries with their ids.\n"
	"rm    removes manual entry ID (audited).\n";

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
	okdf_db *db;
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
	cli_printf(stdout, "recorded %s h for %s on %s (%s)\n", h, op.name, d, tz);
	return OKDF_OK;
}

static cJSON *hours_json(const metrics_window *w, const char *tz, const hours_operator *ops,
	int n, const manual_hours_row *rows, int nr)
{
	cJSON *o = cJSON_CreateObject();
	char a[16], b[16], t[32];
	date_format(w->first, a, sizeof a);
	date_format(w->last, b, sizeof b);
	cJSON *win = cJSON_AddObjectToObject(o, "window");
	cJSON_AddStringToObject(win, "spec", w->spec);
	if (w->all)
		cJSON_AddNullToObject(win, "first_day");
	else
		cJSON_AddStringToObject(win, "first_day", a);
	cJSON_AddStringToObject(win, "last_day", b);
	cJSON_AddStringToObject(win, "timezone", tz);
	cJSON *arr = cJSON_AddArrayToObject(o, "operators");
	for (int i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "operator", ops[i].name);
		cJSON_AddNumberToObject(x, "console_seconds", (double)ops[i].console_seconds);
		cJSON_AddNumberToObject(x, "manual_seconds", (double)ops[i].manual_seconds);
		cJSON_AddNumberToObject(x, "total_seconds", (double)ops[i].total_seconds);
		cJSON_AddItemToArray(arr, x);
	}
	arr = cJSON_AddArrayToObject(o, "entries");
	for (int i = 0; i < nr; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "id", (double)rows[i].id);
		cJSON_AddStringToObject(x, "operator", rows[i].operator_name);
		time_format_utc(rows[i].started_at, t, sizeof t);
		cJSON_AddStringToObject(x, "started_at", t);
		cJSON_AddNumberToObject(x, "seconds", (double)rows[i].seconds);
		if (rows[i].note[0])
			cJSON_AddStringToObject(x, "note", rows[i].note);
		else
			cJSON_AddNullToObject(x, "note");
		cJSON_AddItemToArray(arr, x);
	}
	return o;
}

static void print_table(const metrics_window *w, const char *tz, const hours_operator *ops,
	int n, const manual_hours_row *rows, int nr)
{
	char a[16], b[16];
	date_format(w->first, a, sizeof a);
	date_format(w->last, b, sizeof b);
	cli_printf(stdout, "Operator hours  %s: %s .. %s (%s), h:mm\n", w->spec,
		w->all ? "start" : a, b, tz);
	cli_printf(stdout, "%-24s %10s %10s %10s\n", "operator", "console", "manual", "total");
	long long sc = 0, sm = 0, st = 0;
	for (int i = 0; i < n; i++) {
		char c[32], m[32], t[32];
		fmt_hours(ops[i].console_seconds, c, sizeof c);
		fmt_hours(ops[i].manual_seconds, m, sizeof m);
		fmt_hours(ops[i].total_seconds, t, sizeof t);
		char name[112];
		cli_printf(stdout, "%s %10s %10s %10s\n", cli_cell(ops[i].name, 24, name, sizeof name), c,
			m, t);
		sc += ops[i].console_seconds;
		sm += ops[i].manual_seconds;
		st += ops[i].total_seconds;
	}
	char c[32], m[32], t[32];
	fmt_hours(sc, c, sizeof c);
	fmt_hours(sm, m, sizeof m);
	fmt_hours(st, t, sizeof t);
	cli_printf(stdout, "%-24s %10s %10s %10s\n", "all operators", c, m, t);
	if (nr)
		cli_printf(stdout, "\nManual entries (okdf hours rm ID removes one)\n%5s  %-10s  %-16s %6s  %s\n",
			"id", "day", "operator", "h:mm", "note");
	for (int i = 0; i < nr; i++) {
		okdf_date d;
		okdf_err e = { 0 };
		char day[16] = "?", h[32];
		if (tz_date_of(tz, rows[i].started_at, &d, &e) == OKDF_OK)
			date_format(d, day, sizeof day);
		fmt_hours(rows[i].seconds, h, sizeof h);
		cli_printf(stdout, "%5lld  %-10s  %-16.16s %6s  %s\n", rows[i].id, day,
			rows[i].operator_name, h, rows[i].note);
	}
}

static int hours_list(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	const char *window = "7d";
	int json = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--window") == 0 && i + 1 < argc)
			window = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				hours_usage);
	}
	long long now;
	okdf_db *db;
	int rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	char tz[64];
	metrics_window w;
	hours_operator *ops = NULL;
	manual_hours_row *rows = NULL;
	int n = 0, nr = 0;
	if (!(rc = cli_shop_timezone(db, tz, sizeof tz, e)) &&
		!(rc = metrics_window_parse(window, tz, now, &w, e)) &&
		!(rc = hours_by_operator(db, w.from, w.to, &ops, &n, e)))
		rc = manual_hours_list(db, w.from, w.to, &rows, &nr, e);
	db_close(db);
	if (!rc && json) {
		rc = cli_json_print(hours_json(&w, tz, ops, n, rows, nr), e);
	} else if (!rc) {
		print_table(&w, tz, ops, n, rows, nr);
	}
	free(ops);
	free(rows);
	return rc;
}

static int hours_rm(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (argc != 3)
		return okdf_err_set(e, OKDF_EINPUT, "expected one entry ID\n%s", hours_usage);
	long long id, now;
	int rc0 = cli_parse_id(argv[2], "entry ID", &id, e);
	if (rc0)
		return rc0;
	okdf_db *db;
	int rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	okdf_operator op;
	operator_current(&op);
	rc = hours_remove(db, &op, id, now, e);
	db_close(db);
	if (!rc)
		cli_printf(stdout, "manual hours entry #%lld removed\n", id);
	return rc;
}

int cmd_hours(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	static const cli_subcommand subs[] = {
		{ "add", hours_add },
		{ "list", hours_list },
		{ "rm", hours_rm },
		{ NULL, NULL },
	};
	return cli_run_subcommand(cli, argc, argv, subs, hours_usage, e);
}

/* okdf review: record the weekly review of the feedback loops (phase 9),
 * optionally with the report it reviewed; list and show them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/report.h"
#include "okdf/core/report_render.h"
#include "okdf/core/review.h"
#include "okdf/core/text.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/reviews.h"

static const char review_usage[] =
	"usage: okdf review add [--note TEXT] [--report [--week YYYY-Www]]\n"
	"       okdf review list [--json]\n"
	"       okdf review show ID\n"
	"Record that you held the weekly review of the feedback loops (phase 9).\n"
	"--report attaches the weekly report (okdf report, Markdown) of --week\n"
	"(default the last complete week) to the review; show prints it again.\n"
	"list --json: [{id, operator, reviewed_at, note, report_week}].\n";

static int review_add(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	const char *note = NULL, *week = NULL;
	int with_report = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
			note = argv[++i];
		else if (strncmp(argv[i], "--note=", 7) == 0)
			note = argv[i] + 7;
		else if (strcmp(argv[i], "--report") == 0)
			with_report = 1;
		else if (strcmp(argv[i], "--week") == 0 && i + 1 < argc)
			week = argv[++i];
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				review_usage);
	}
	if (week && !with_report)
		return okdf_err_set(e, OKDF_EINPUT, "--week goes with --report\n%s", review_usage);
	long long now;
	okdf_db *db;
	int rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	okdf_operator op;
	operator_current(&op);
	long long id;
	if (!with_report) {
		rc = review_record(db, &op, now, note, &id, e);
		db_close(db);
		if (!rc)
			cli_printf(stdout, "Review #%lld recorded by %s.\n", id, op.name);
		return rc;
	}
	report_week r;
	char *text = NULL;
	size_t len = 0;
	rc = report_week_compute(db, week, now, &r, e);
	if (rc == OKDF_ENOTFOUND)
		rc = okdf_err_set(e, OKDF_EFAIL, "no shop data synced yet: nothing to report");
	if (!rc) {
		FILE *mem = open_memstream(&text, &len);
		if (!mem || report_render_md(&r, mem) != OKDF_OK)
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		if (mem)
			fclose(mem);
		if (!rc)
			rc = review_record_report(db, &op, now, note, r.week, text, &id, e);
		if (!rc)
			cli_printf(stdout, "Review #%lld recorded by %s, with the report of %s.\n", id, op.name,
				r.week);
		report_week_free(&r);
	}
	free(text);
	db_close(db);
	return rc;
}

static void review_fill(cJSON *o, const void *row)
{
	const review_row *r = row;
	cJSON_AddNumberToObject(o, "id", (double)r->id);
	cJSON_AddStringToObject(o, "operator", r->operator_name);
	cli_json_time(o, "reviewed_at", r->reviewed_at);
	cli_json_str(o, "note", r->note);
	cli_json_str(o, "report_week", r->report_week);
}

static int review_list_cmd(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	int json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc != 2 + json)
		return okdf_err_set(e, OKDF_EINPUT, "usage: okdf review list [--json]");
	okdf_db *db;
	int rc = cli_open_db(cli, &db, e);
	if (rc)
		return rc;
	review_row *rows;
	int n;
	rc = review_list(db, &rows, &n, e);
	db_close(db);
	if (rc)
		return rc;
	if (json) {
		cJSON *arr = cli_json_rows(rows, n, sizeof *rows, review_fill);
		review_rows_free(rows, n);
		return cli_json_print(arr, e);
	}
	if (!n)
		cli_printf(stdout, "No review recorded. See 'okdf review add --help'.\n");
	for (int i = 0; i < n; i++) {
		char when[32], note[512];
		time_format_utc(rows[i].reviewed_at, when, sizeof when);
		text_sanitize(rows[i].note ? rows[i].note : "", note, sizeof note, 0);
		cli_printf(stdout, "#%-4lld %s  %-12s %-9s %s\n", rows[i].id, when, rows[i].operator_name,
			rows[i].report_week[0] ? rows[i].report_week : "-", note);
	}
	review_rows_free(rows, n);
	return OKDF_OK;
}

static int review_show(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	char *end;
	long long id = argc == 3 ? strtoll(argv[2], &end, 10) : 0;
	if (argc != 3 || *end || id <= 0)
		return okdf_err_set(e, OKDF_EINPUT, "usage: okdf review show ID");
	okdf_db *db;
	int rc = cli_open_db(cli, &db, e);
	if (rc)
		return rc;
	char *report;
	rc = review_report_get(db, id, &report, e);
	db_close(db);
	if (rc)
		return rc;
	if (!report)
		return okdf_err_set(e, OKDF_ENOTFOUND, "review #%lld has no report attached", id);
	cli_printf(stdout, "%s", report);
	free(report);
	return OKDF_OK;
}

int cmd_review(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	static const cli_subcommand subs[] = {
		{ "add", review_add },
		{ "list", review_list_cmd },
		{ "show", review_show },
		{ NULL, NULL },
	};
	return cli_run_subcommand(cli, argc, argv, subs, review_usage, e);
}

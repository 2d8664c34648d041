/* okdf report: the weekly review of the feedback loops (phase 9). */
#include <stdio.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/report.h"
#include "okdf/core/report_render.h"
#include "okdf/store/db.h"

static const char report_usage[] =
	"usage: okdf report [--week YYYY-Www] [--format md|html] [--now ISO8601]\n"
	"The weekly review (phase 9) of an ISO week (Monday to Sunday in the shop's\n"
	"timezone; default the last complete week): time-to-revenue and revenue per\n"
	"operator hour against the week before and the targets (TTR at most 14 days,\n"
	"RPOH 500 to 2,000 per hour), the supporting numbers, the escalations raised\n"
	"and how fast they were acknowledged, and the phases that changed. Markdown\n"
	"(default) draws charts with Unicode blocks; html is one self-contained page\n"
	"with inline SVG charts (no script, no network).\n";

int cmd_report(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		fputs(report_usage, stdout);
		return OKDF_OK;
	}
	const char *week = NULL, *format = "md", *now_s = NULL;
	int rc = cli_parse_report_args(argc, argv, "--week", &week, &format, &now_s,
		report_usage, e);
	if (rc)
		return rc;
	int html = strcmp(format, "html") == 0;
	if (!html && strcmp(format, "md") != 0)
		return okdf_err_set(e, OKDF_EINPUT, "bad format \"%s\": md or html", format);
	long long now;
	okdf_db *db;
	if ((rc = cli_open_db_at(cli, now_s, &db, &now, e)))
		return rc;
	report_week r;
	rc = report_week_compute(db, week, now, &r, e);
	db_close(db);
	if (rc == OKDF_ENOTFOUND)
		return okdf_err_set(e, OKDF_EFAIL, "no shop data synced yet: run okdf sync --once");
	if (rc)
		return rc;
	rc = html ? report_render_html(&r, stdout) : report_render_md(&r, stdout);
	report_week_free(&r);
	if (rc)
		return okdf_err_set(e, rc, "writing the report failed");
	return OKDF_OK;
}

/* okdf audit: print the audit log, oldest first. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "okdf/cli/cli.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/audit.h"
#include "okdf/store/db.h"

static const char audit_usage[] =
	"usage: okdf audit [--target TARGET] [--json]\n"
	"Print the audit log (who, when, from where, what), oldest first.\n"
	"  --json   [{id, at, operator, client, action, target, detail}]\n";

static void audit_fill(cJSON *o, const void *row)
{
	const audit_row *r = row;
	cJSON_AddNumberToObject(o, "id", (double)r->id);
	cli_json_time(o, "at", r->at);
	cJSON_AddStringToObject(o, "operator", r->operator_name);
	cli_json_str(o, "client", r->client);
	cJSON_AddStringToObject(o, "action", r->action);
	cJSON_AddStringToObject(o, "target", r->target);
	cli_json_str(o, "detail", r->detail);
}

int cmd_audit(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", audit_usage);
		return OKDF_OK;
	}
	const char *target = NULL;
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
			target = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				audit_usage);
	}
	okdf_db *db;
	int rc = cli_open_db(cli, &db, e);
	if (rc)
		return rc;
	audit_row *rows;
	int n;
	rc = audit_list(db, target, &rows, &n, e);
	db_close(db);
	if (rc)
		return rc;
	if (json) {
		rc = cli_json_print(cli_json_rows(rows, n, sizeof *rows, audit_fill), e);
		audit_rows_free(rows, n);
		return rc;
	}
	for (int i = 0; i < n; i++) {
		char when[32], who[64], client[64], action[96], tgt[512], detail[4096];
		time_format_utc(rows[i].at, when, sizeof when);
		cli_printf(stdout, "%s  %s %s %s %s%s%s\n", when,
			cli_cell(rows[i].operator_name, 12, who, sizeof who),
			cli_cell(rows[i].client[0] ? rows[i].client : "-", 15, client, sizeof client),
			cli_cell(rows[i].action, 18, action, sizeof action),
			cli_clean(rows[i].target, tgt, sizeof tgt),
			rows[i].detail ? "  " : "", cli_clean(rows[i].detail, detail, sizeof detail));
	}
	audit_rows_free(rows, n);
	return OKDF_OK;
}

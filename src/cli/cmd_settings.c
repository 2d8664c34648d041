/* okdf set / okdf settings: operator-approved values such as the daily
 * budget cap, recorded with who and when. */
#include <stdio.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/settings.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"
#include "okdf/store/settings.h"

static void print_set_usage(FILE *out)
{
	cli_printf(out, "usage: okdf set KEY VALUE\n"
		"Record an approved value (who and when go to the audit log). Keys:\n");
	size_t n;
	const setting_def *known = settings_known(&n);
	for (size_t i = 0; i < n; i++)
		cli_printf(out, "  %-18s %s\n", known[i].key, known[i].help);
}

static const char settings_usage[] =
	"usage: okdf settings [--json]\n"
	"Print every recorded setting with who set it and when.\n"
	"  --json   [{key, value, set_by, set_at}]\n";

int cmd_set(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		print_set_usage(stdout);
		return OKDF_OK;
	}
	if (argc != 3) {
		print_set_usage(stderr);
		return okdf_err_set(e, OKDF_EINPUT, argc < 3 ? "missing KEY or VALUE"
			: "too many arguments");
	}
	int rc = settings_validate(argv[1], argv[2], e);
	if (rc)
		return rc;
	long long now;
	okdf_db *db;
	if ((rc = cli_open_db_now(cli, &db, &now, e)))
		return rc;
	okdf_operator op;
	operator_current(&op);
	rc = settings_change(db, argv[1], argv[2], &op, now, e);
	db_close(db);
	if (!rc)
		cli_printf(stdout, "%s = %s (set by %s)\n", argv[1], argv[2], op.name);
	return rc;
}

static void setting_fill(cJSON *o, const void *row)
{
	const setting_row *r = row;
	cJSON_AddStringToObject(o, "key", r->key);
	cli_json_str(o, "value", r->value);
	cJSON_AddStringToObject(o, "set_by", r->set_by);
	cli_json_time(o, "set_at", r->set_at);
}

int cmd_settings(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", settings_usage);
		return OKDF_OK;
	}
	int json = argc == 2 && strcmp(argv[1], "--json") == 0;
	if (argc > 1 + json)
		return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[1 + json],
			settings_usage);
	okdf_db *db;
	int rc = cli_open_db(cli, &db, e);
	if (rc)
		return rc;
	setting_row *rows;
	int n;
	rc = settings_list(db, &rows, &n, e);
	db_close(db);
	if (rc)
		return rc;
	if (json) {
		cJSON *arr = cli_json_rows(rows, n, sizeof *rows, setting_fill);
		setting_rows_free(rows, n);
		return cli_json_print(arr, e);
	}
	if (!n)
		cli_printf(stdout, "No settings recorded. See 'okdf set --help'.\n");
	for (int i = 0; i < n; i++) {
		char when[32];
		time_format_utc(rows[i].set_at, when, sizeof when);
		cli_printf(stdout, "%-24s %-14s %s %s\n", rows[i].key, rows[i].value ? rows[i].value : "",
			rows[i].set_by, when);
	}
	setting_rows_free(rows, n);
	return OKDF_OK;
}

/* okdf brief: register the brand brief (phase 1) by path and content hash. */
#include <stdio.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/brief.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/brief.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"

static const char brief_usage[] =
	"usage: okdf brief register PATH\n"
	"       okdf brief show [--json]\n"
	"Register the brand brief: its path and the SHA-256 of its content. When a\n"
	"registered brief changes, the phases built on it (email, agent, content,\n"
	"creative) are re-opened and their sign-offs withdrawn for re-approval.\n"
	"show --json prints {path, sha256, registered_at, registered_by}, or null.\n";

static void print_numbers(const char *what, const int *nums, size_t n)
{
	if (!n)
		return;
	cli_printf(stdout, "%s phase%s", what, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		cli_printf(stdout, "%s %d", i ? "," : "", nums[i]);
	cli_printf(stdout, ".\n");
}

static int brief_register_cmd(okdf_cli *cli, const char *path, okdf_err *e)
{
	long long now;
	int rc = time_now(&now, e);
	if (rc)
		return rc;
	phase_catalog *cat;
	if ((rc = cli_load_catalog(cli, &cat, e)))
		return rc;
	okdf_db *db;
	if ((rc = cli_open_db(cli, &db, e))) {
		phases_free(cat);
		return rc;
	}
	okdf_operator op;
	operator_current(&op);
	brief_registration reg;
	rc = brief_register(db, cat, path, &op, now, &reg, e);
	if (!rc) {
		cli_printf(stdout, "Brief registered: %s\nsha256 %s\n", reg.path, reg.sha256);
		if (reg.changed) {
			cli_printf(stdout, "The brief changed (was %.12s).\n", reg.old_sha256);
			print_numbers("Re-opened", reg.reopened, reg.n_reopened);
			print_numbers("Sign-offs withdrawn on", reg.withdrawn, reg.n_withdrawn);
		} else if (reg.old_sha256[0]) {
			cli_printf(stdout, "Content unchanged.\n");
		}
	}
	db_close(db);
	phases_free(cat);
	return rc;
}

static int brief_show_cmd(okdf_cli *cli, int json, okdf_err *e)
{
	okdf_db *db;
	int rc = cli_open_db(cli, &db, e);
	if (rc)
		return rc;
	brief_row b;
	int found;
	rc = brief_row_get(db, &b, &found, e);
	db_close(db);
	if (rc)
		return rc;
	if (json) {
		cJSON *o = found ? cJSON_CreateObject() : cJSON_CreateNull();
		if (found && o) {
			cJSON_AddStringToObject(o, "path", b.path);
			cJSON_AddStringToObject(o, "sha256", b.sha256);
			cli_json_time(o, "registered_at", b.registered_at);
			cJSON_AddStringToObject(o, "registered_by", b.registered_by);
		}
		return cli_json_print(o, e);
	}
	if (!found) {
		cli_printf(stdout, "No brief registered. Run 'okdf brief register PATH'.\n");
		return OKDF_OK;
	}
	char when[32];
	time_format_utc(b.registered_at, when, sizeof when);
	cli_printf(stdout, "%s\nsha256 %s\nregistered %s by %s\n", b.path, b.sha256, when, b.registered_by);
	return OKDF_OK;
}

int cmd_brief(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", brief_usage);
		return OKDF_OK;
	}
	if (argc < 2)
		return okdf_err_set(e, OKDF_EINPUT, "missing subcommand\n%s", brief_usage);
	if (strcmp(argv[1], "register") == 0) {
		if (argc == 3)
			return brief_register_cmd(cli, argv[2], e);
		return okdf_err_set(e, OKDF_EINPUT, "%s\n%s",
			argc < 3 ? "missing PATH" : "too many arguments", brief_usage);
	}
	if (strcmp(argv[1], "show") == 0) {
		if (argc == 2 || (argc == 3 && strcmp(argv[2], "--json") == 0))
			return brief_show_cmd(cli, argc == 3, e);
		return okdf_err_set(e, OKDF_EINPUT, "too many arguments\n%s", brief_usage);
	}
	return okdf_err_set(e, OKDF_EINPUT, "unknown subcommand '%s'\n%s", argv[1], brief_usage);
}

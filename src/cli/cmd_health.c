/* okdf health: each connector's state as the workers left it in the store,
 * and the records set aside in quarantine. */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "okdf/cli/cli.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/sync_state.h"

static const char health_usage[] =
	"usage: okdf health [--json]\n"
	"Per connector: state, last success, the last error in full, rows, throttle\n"
	"waits and seconds waited in the last pass, and records in quarantine (data a\n"
	"connector could not read, kept with its error while the sync went on).\n";

static void when(long long t, char *buf, size_t n)
{
	if (t <= 0)
		snprintf(buf, n, "never");
	else
		time_format_utc(t, buf, n);
}

static int print_json(const store_health *h, int nh, const store_quarantined *q, int nq,
	okdf_err *e)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *conns = cJSON_AddArrayToObject(root, "connectors");
	cJSON *quar = cJSON_AddArrayToObject(root, "quarantine");
	int ok = root && conns && quar;
	for (int i = 0; ok && i < nh; i++) {
		cJSON *o = cJSON_CreateObject();
		ok = o && cJSON_AddItemToArray(conns, o);
		ok = ok && cJSON_AddStringToObject(o, "connector", h[i].connector) &&
			cJSON_AddStringToObject(o, "state", h[i].state);
		ok = ok && (h[i].last_success_at
			? cJSON_AddNumberToObject(o, "last_success_at", (double)h[i].last_success_at)
			: cJSON_AddNullToObject(o, "last_success_at")) != NULL;
		ok = ok && (h[i].last_error_at
			? cJSON_AddNumberToObject(o, "last_error_at", (double)h[i].last_error_at)
			: cJSON_AddNullToObject(o, "last_error_at")) != NULL;
		ok = ok && (h[i].last_error[0]
			? cJSON_AddStringToObject(o, "last_error", h[i].last_error)
			: cJSON_AddNullToObject(o, "last_error")) != NULL;
		ok = ok && cJSON_AddNumberToObject(o, "rows", (double)h[i].rows) &&
			cJSON_AddNumberToObject(o, "throttle_waits", (double)h[i].pass_throttle_waits) &&
			cJSON_AddNumberToObject(o, "wait_seconds", (double)h[i].pass_wait_seconds) &&
			cJSON_AddNumberToObject(o, "interval_seconds", h[i].interval_seconds) &&
			cJSON_AddNumberToObject(o, "quarantined", (double)h[i].quarantined);
	}
	for (int i = 0; ok && i < nq; i++) {
		cJSON *o = cJSON_CreateObject();
		ok = o && cJSON_AddItemToArray(quar, o);
		ok = ok && cJSON_AddStringToObject(o, "connector", q[i].connector) &&
			cJSON_AddStringToObject(o, "resource", q[i].resource) &&
			cJSON_AddStringToObject(o, "record_id", q[i].record_id ? q[i].record_id : "") &&
			cJSON_AddStringToObject(o, "error", q[i].error ? q[i].error : "") &&
			cJSON_AddNumberToObject(o, "first_at", (double)q[i].first_at) &&
			cJSON_AddNumberToObject(o, "last_at", (double)q[i].last_at);
	}
	if (!ok) {
		cJSON_Delete(root);
		root = NULL;
	}
	return cli_json_print(root, e);
}

static void print_text(const store_health *h, int nh, const store_quarantined *q, int nq)
{
	if (!nh)
		cli_printf(stdout, "No connector has synced yet. See 'okdf sync --help'.\n");
	for (int i = 0; i < nh; i++) {
		char ok[32], err[32], msg[sizeof h[i].last_error * 3];
		when(h[i].last_success_at, ok, sizeof ok);
		when(h[i].last_error_at, err, sizeof err);
		cli_printf(stdout, "%s\n  state          %s\n  last success   %s\n", h[i].connector,
			h[i].state, ok);
		if (h[i].last_error[0])
			cli_printf(stdout, "  last error     %s: %s\n", err,
				cli_clean(h[i].last_error, msg, sizeof msg));
		cli_printf(stdout, "  last pass      %lld rows, %lld throttle waits, %lld s waited\n",
			h[i].rows, h[i].pass_throttle_waits, h[i].pass_wait_seconds);
		cli_printf(stdout, "  quarantined    %lld\n", h[i].quarantined);
	}
	if (nq)
		cli_printf(stdout, "\nQuarantine (kept with their error; the sync went on)\n");
	for (int i = 0; i < nq; i++) {
		char at[32], id[256], msg[3072];
		time_format_utc(q[i].last_at, at, sizeof at);
		cli_printf(stdout, "  %s %s %s %s\n    %s\n", at, q[i].connector, q[i].resource,
			cli_clean(q[i].record_id, id, sizeof id), cli_clean(q[i].error, msg, sizeof msg));
	}
}

int cmd_health(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", health_usage);
		return OKDF_OK;
	}
	int json;
	int rc = cli_parse_json_only(argc, argv, &json, health_usage, e);
	if (rc)
		return rc;
	okdf_db *db;
	rc = cli_open_db(cli, &db, e);
	if (rc)
		return rc;
	store_health *h = NULL;
	store_quarantined *q = NULL;
	int nh = 0, nq = 0;
	rc = connector_health_list(db, &h, &nh, e);
	if (!rc)
		rc = quarantine_list(db, &q, &nq, e);
	db_close(db);
	if (!rc) {
		if (json)
			rc = print_json(h, nh, q, nq, e);
		else
			print_text(h, nh, q, nq);
	}
	free(h);
	quarantine_free(q, nq);
	return rc;
}

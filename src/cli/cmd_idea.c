/* okdf idea: record product ideas (the start of time-to-revenue) and link
 * them to Shopify products. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/ideas.h"
#include "okdf/core/metrics.h"
#include "okdf/core/operator.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/ideas.h"

static const char idea_usage[] =
	"usage: okdf idea add \"TITLE\" [--date YYYY-MM-DD] [--product PRODUCT_ID]\n"
	"       okdf idea link IDEA_ID PRODUCT_ID\n"
	"       okdf idea list [--json]\n"
	"An idea's date is the start of shop day D with --date, else now. A product's\n"
	"time-to-revenue runs from its earliest linked idea (else its Shopify creation)\n"
	"to its first sale. list --json: [{id, title, idea_date, product_id,\n"
	"product_title, created_by, first_sale_date, days_to_first_sale,\n"
	"days_in_flight, sale_before_idea}] (dates are shop days).\n";

static int idea_add(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	const char *title = NULL, *date = NULL, *product = NULL;
	int rc = cli_parse_add_args(argc, argv, "--product", &title, &date, &product, idea_usage, e);
	if (rc)
		return rc;
	if (!title || !title[0])
		return okdf_err_set(e, OKDF_EINPUT, "missing TITLE\n%s", idea_usage);
	okdf_date day;
	long long now;
	rc = date ? time_parse_date(date, &day, e) : OKDF_OK;
	okdf_db *db;
	if (!rc)
		rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	char tz[64];
	long long idea_at = now, id = 0;
	okdf_operator op;
	operator_current(&op);
	rc = cli_shop_timezone(db, tz, sizeof tz, e);
	if (!rc)
		rc = idea_record(db, &op, title, tz, date ? &day : NULL, product, now, &id, &idea_at,
			e);
	char when[40] = "";
	if (!rc)
		rc = time_format_local(idea_at, tz, when, sizeof when, e);
	db_close(db);
	if (rc)
		return rc;
	cli_printf(stdout, "idea %lld recorded at %s%s%s\n", id, when, product ? ", product " : "",
		product ? product : "");
	return OKDF_OK;
}

static int idea_link(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (argc != 4)
		return okdf_err_set(e, OKDF_EINPUT, "usage: okdf idea link IDEA_ID PRODUCT_ID");
	long long id;
	int rc = cli_parse_id(argv[2], "IDEA_ID", &id, e);
	if (rc)
		return rc;
	if (!argv[3][0])
		return okdf_err_set(e, OKDF_EINPUT, "empty PRODUCT_ID");
	long long now;
	okdf_db *db;
	rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	okdf_operator op;
	operator_current(&op);
	rc = idea_link_record(db, &op, id, argv[3], now, e);
	db_close(db);
	if (rc)
		return rc;
	cli_printf(stdout, "idea %lld linked to product %s\n", id, argv[3]);
	return OKDF_OK;
}

/* One idea: an object into arr, or a line when arr is NULL. Its status is
 * the first sale (days from the idea) or the days in flight until today. */
static int idea_show(const idea_row *r, const char *tz, okdf_date today, long long now,
	cJSON *arr, okdf_err *e)
{
	okdf_date d, s;
	char ds[16], status[64];
	int rc = tz_date_of(tz, r->idea_at, &d, e);
	if (rc)
		return rc;
	date_format(d, ds, sizeof ds);
	cJSON *o = NULL;
	if (arr) {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
		cJSON_AddNumberToObject(o, "id", (double)r->id);
		cJSON_AddStringToObject(o, "title", r->title);
		cJSON_AddStringToObject(o, "idea_date", ds);
		cli_json_str(o, "product_id", r->product_id);
		cli_json_str(o, "product_title", r->product_title);
		cJSON_AddStringToObject(o, "created_by", r->created_by);
	}
	if (r->has_first_sale && r->first_sale_at <= now) {
		if ((rc = tz_date_of(tz, r->first_sale_at, &s, e)))
			return rc;
		long long days = date_to_days(s) - date_to_days(d);
		char sd[16];
		date_format(s, sd, sizeof sd);
		if (o) {
			cJSON_AddStringToObject(o, "first_sale_date", sd);
			cJSON_AddNumberToObject(o, "days_to_first_sale", (double)days);
			cJSON_AddNullToObject(o, "days_in_flight");
			cJSON_AddBoolToObject(o, "sale_before_idea", days < 0);
			return OKDF_OK;
		}
		snprintf(status, sizeof status, "sold %s, %lld d%s", sd, days,
			days < 0 ? " (FLAG: before idea)" : "");
	} else {
		long long flight = date_to_days(today) - date_to_days(d);
		if (o) {
			cJSON_AddNullToObject(o, "first_sale_date");
			cJSON_AddNullToObject(o, "days_to_first_sale");
			cJSON_AddNumberToObject(o, "days_in_flight", (double)flight);
			cJSON_AddBoolToObject(o, "sale_before_idea", 0);
			return OKDF_OK;
		}
		snprintf(status, sizeof status, "in flight, %lld d", flight);
	}
	char title[160], product[80];
	cli_printf(stdout, "%5lld  %-10s  %s  %s  %s\n", r->id, ds,
		cli_cell(r->title, 32, title, sizeof title),
		cli_cell(r->product_id[0] ? r->product_id : "-", 14, product, sizeof product), status);
	return OKDF_OK;
}

static int idea_list(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	int json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc != 2 + json)
		return okdf_err_set(e, OKDF_EINPUT, "usage: okdf idea list [--json]");
	long long now;
	okdf_db *db;
	int rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	char tz[64];
	idea_row *rows = NULL;
	int n = 0;
	if (!(rc = cli_shop_timezone(db, tz, sizeof tz, e)))
		rc = ideas_list(db, &rows, &n, e);
	db_close(db);
	if (rc)
		return rc;
	okdf_date today;
	if ((rc = tz_date_of(tz, now, &today, e))) {
		free(rows);
		return rc;
	}
	cJSON *arr = json ? cJSON_CreateArray() : NULL;
	if (json && !arr) {
		free(rows);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	if (!json)
		cli_printf(stdout, "%5s  %-10s  %-32s  %-14s  %s\n", "id", "idea date", "title",
			"product", "status");
	for (int i = 0; i < n && !rc; i++)
		rc = idea_show(&rows[i], tz, today, now, arr, e);
	free(rows);
	if (arr) {
		if (rc) {
			cJSON_Delete(arr);
			return rc;
		}
		return cli_json_print(arr, e);
	}
	return rc;
}

int cmd_idea(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	static const cli_subcommand subs[] = {
		{ "add", idea_add },
		{ "link", idea_link },
		{ "list", idea_list },
		{ NULL, NULL },
	};
	return cli_run_subcommand(cli, argc, argv, subs, idea_usage, e);
}

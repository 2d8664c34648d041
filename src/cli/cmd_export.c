/* okdf export: the daily series for spreadsheets, as CSV or JSON. */
#include <stdio.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/money.h"
#include "okdf/core/report.h"
#include "okdf/store/db.h"

static const char export_usage[] =
	"usage: okdf export [--window W] [--format csv|json] [--now ISO8601]\n"
	"The daily series, one row per shop day of the window (default 90d; Nd or\n"
	"YYYY-MM-DD..YYYY-MM-DD): revenue, orders, operator hours, RPOH, ad spend\n"
	"and time-to-revenue events (first sales that day and their median TTR).\n"
	"  csv (default): day,currency,gross_sales,refunds,net_revenue,orders,\n"
	"      operator_hours,rpoh,ad_spend,ttr_first_sales,ttr_median_days\n"
	"      money in major units (\"1234.50\"), hours with two decimals, empty\n"
	"      when undefined\n"
	"  json: {currency, currency_exponent, timezone, days: [{day,\n"
	"      gross_sales_minor, refunds_minor, net_revenue_minor, orders,\n"
	"      operator_seconds, rpoh_minor_per_hour, ad_spend_minor,\n"
	"      ttr_first_sales, ttr_median_days}]} (null when undefined)\n";

static void csv_money(long long minor, int exp)
{
	char buf[48];
	money_format(minor, exp, buf, sizeof buf);
	cli_printf(stdout, "%s", buf);
}

static void print_csv(const report_days *d)
{
	cli_printf(stdout, "%s\n", "day,currency,gross_sales,refunds,net_revenue,orders,operator_hours,rpoh,ad_spend,"
		"ttr_first_sales,ttr_median_days");
	for (int i = 0; i < d->n; i++) {
		const report_day *r = &d->days[i];
		char day[16];
		date_format(r->day, day, sizeof day);
		cli_printf(stdout, "%s,%s,", day, d->currency);
		csv_money(r->gross_minor, d->exponent);
		cli_printf(stdout, "%c", ',');
		csv_money(r->refunds_minor, d->exponent);
		cli_printf(stdout, "%c", ',');
		csv_money(r->net_minor, d->exponent);
		/* Hours to two decimals, rounded half up, without floating point. */
		long long centi = (r->operator_seconds * 100 + 1800) / 3600;
		cli_printf(stdout, ",%lld,%lld.%02lld,", r->orders, centi / 100, centi % 100);
		if (r->rpoh.has)
			csv_money(r->rpoh.value, d->exponent);
		cli_printf(stdout, "%c", ',');
		csv_money(r->ad_spend_minor, d->exponent);
		cli_printf(stdout, ",%d,", r->ttr_first_sales);
		if (r->has_ttr_median)
			cli_printf(stdout, "%.1f", r->ttr_median_days);
		cli_printf(stdout, "%c", '\n');
	}
}

static cJSON *days_json(const report_days *d)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "currency", d->currency);
	cJSON_AddNumberToObject(root, "currency_exponent", d->exponent);
	cJSON_AddStringToObject(root, "timezone", d->timezone);
	cJSON *arr = cJSON_AddArrayToObject(root, "days");
	for (int i = 0; arr && i < d->n; i++) {
		const report_day *r = &d->days[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
		char day[16];
		date_format(r->day, day, sizeof day);
		cJSON_AddStringToObject(o, "day", day);
		cJSON_AddNumberToObject(o, "gross_sales_minor", (double)r->gross_minor);
		cJSON_AddNumberToObject(o, "refunds_minor", (double)r->refunds_minor);
		cJSON_AddNumberToObject(o, "net_revenue_minor", (double)r->net_minor);
		cJSON_AddNumberToObject(o, "orders", (double)r->orders);
		cJSON_AddNumberToObject(o, "operator_seconds", (double)r->operator_seconds);
		if (r->rpoh.has)
			cJSON_AddNumberToObject(o, "rpoh_minor_per_hour", (double)r->rpoh.value);
		else
			cJSON_AddNullToObject(o, "rpoh_minor_per_hour");
		cJSON_AddNumberToObject(o, "ad_spend_minor", (double)r->ad_spend_minor);
		cJSON_AddNumberToObject(o, "ttr_first_sales", r->ttr_first_sales);
		if (r->has_ttr_median)
			cJSON_AddNumberToObject(o, "ttr_median_days", r->ttr_median_days);
		else
			cJSON_AddNullToObject(o, "ttr_median_days");
	}
	return root;
}

int cmd_export(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		fputs(export_usage, stdout);
		return OKDF_OK;
	}
	const char *window = "90d", *format = "csv", *now_s = NULL;
	int rc = cli_parse_report_args(argc, argv, "--window", &window, &format, &now_s,
		export_usage, e);
	if (rc)
		return rc;
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return okdf_err_set(e, OKDF_EINPUT, "bad format \"%s\": csv or json", format);
	long long now;
	okdf_db *db;
	if ((rc = cli_open_db_at(cli, now_s, &db, &now, e)))
		return rc;
	report_days d;
	rc = report_daily(db, window, now, &d, e);
	db_close(db);
	if (rc == OKDF_ENOTFOUND)
		return okdf_err_set(e, OKDF_EFAIL, "no shop data synced yet: run okdf sync --once");
	if (rc)
		return rc;
	if (strcmp(format, "csv") == 0)
		print_csv(&d);
	else
		rc = cli_json_print(days_json(&d), e);
	report_days_free(&d);
	return rc;
}

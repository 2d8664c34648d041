/* okdf metrics: the scoreboard for one window, as a table or JSON. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/metrics.h"
#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

static const char metrics_usage[] =
	"usage: okdf metrics [--window W] [--now ISO8601] [--json]\n"
	"Time-to-revenue, revenue per operator hour and the supporting numbers.\n"
	"  --window W   today, 7d, 30d (default), 90d, all, Nd, or YYYY-MM-DD..YYYY-MM-DD\n"
	"               (inclusive shop days in the shop's timezone)\n"
	"  --now T      evaluate as of T (ISO 8601 with zone); default now ($OKDF_NOW)\n"
	"  --json       machine-readable output\n"
	"Exits 1 when no shop data has been synced yet.\n";

/* ---- text ---- */

#define TEXT_LIST_MAX 10

static void fmt_money(const metrics_result *r, const metrics_num *v, char *buf, size_t n)
{
	if (!v->has) {
		snprintf(buf, n, "-");
		return;
	}
	char amount[48];
	money_format_grouped(v->value, r->exponent, amount, sizeof amount);
	snprintf(buf, n, "%s %s", r->currency, amount);
}

static void fmt_bp(const metrics_num *v, int as_times, char *buf, size_t n)
{
	if (!v->has) {
		snprintf(buf, n, "-");
		return;
	}
	/* Hundredths, rounded half away from zero: "3.13x" or "12.35%". */
	long long a = v->value < 0 ? -v->value : v->value;
	long long h = as_times ? (a + 50) / 100 : a;
	snprintf(buf, n, "%s%lld.%02lld%s", v->value < 0 ? "-" : "", h / 100, h % 100,
		as_times ? "x" : "%");
}

static void fmt_hours(long long secs, char *buf, size_t n)
{
	snprintf(buf, n, "%lld:%02lld h", secs / 3600, secs / 60 % 60);
}

static void row(const char *name, const char *value, const char *note)
{
	char cell[128];
	cli_printf(stdout, "  %-26s %20s  %s\n", name, value, cli_fit(note, 28, cell, sizeof cell));
}

/* An ASCII sparkline of the series, scaled to its maximum. */
static void sparkline(const metrics_series *s, char *buf)
{
	static const char levels[] = " .:-=+*#%@";
	long long max = 0;
	for (int i = 0; i < s->n; i++)
		if (s->net_revenue[i].value > max)
			max = s->net_revenue[i].value;
	for (int i = 0; i < s->n; i++) {
		long long v = s->net_revenue[i].value;
		buf[i] = v <= 0 || max == 0 ? '_' : levels[1 + (int)((v * 8) / max)];
	}
	buf[s->n] = '\0';
}

static void print_header(const metrics_result *r)
{
	char a[64], b[64], c[64];
	date_format(r->window.first, a, sizeof a);
	date_format(r->window.last, b, sizeof b);
	okdf_err e = { 0 };
	if (time_format_local(r->now, r->timezone, c, sizeof c, &e))
		snprintf(c, sizeof c, "?");
	cli_printf(stdout, "Metrics  %s: %s .. %s  (%s)\n", r->window.spec, r->window.all ? "start" : a, b,
		r->timezone);
	cli_printf(stdout, "as of %s; money in %s (shop money)\n\n", c, r->currency);
}

/* RPOH with its band; under 1 h of operator time it says how much there was. */
static void print_rpoh(const metrics_result *r)
{
	char a[64], b[64];
	if (r->rpoh.has) {
		metrics_num per = r->rpoh;
		fmt_money(r, &per, a, sizeof a);
		strncat(a, "/h", sizeof a - strlen(a) - 1);
	} else {
		snprintf(a, sizeof a, "-");
	}
	snprintf(b, sizeof b, "band %s (>=500 good)", metrics_band_name(r->rpoh_band));
	if (!r->rpoh.has && r->operator_seconds.value > 0) {
		fmt_hours(r->operator_seconds.value, a, sizeof a);
		snprintf(b, sizeof b, "n/a (%.40s, under 1 h)", a);
		snprintf(a, sizeof a, "-");
	}
	row("Revenue per operator hour", a, r->rpoh.has || r->operator_seconds.value > 0 ? b
		: "no hours recorded");
}

static void print_revenue(const metrics_result *r)
{
	char a[64];
	fmt_money(r, &r->net_revenue, a, sizeof a);
	row("Net revenue", a, "ledger basis");
	fmt_money(r, &r->gross_sales, a, sizeof a);
	row("  order totals", a, "non-cancelled, non-test");
	fmt_money(r, &r->refunds, a, sizeof a);
	row("  refunds", a, "created in the window");
	snprintf(a, sizeof a, "%lld", r->orders.value);
	row("Orders", a, NULL);
	fmt_money(r, &r->aov, a, sizeof a);
	row("AOV", a, "before refunds");
	fmt_hours(r->operator_seconds.value, a, sizeof a);
	row("Operator hours", a, "union per operator");
	print_rpoh(r);
}

static void print_ttr(const metrics_result *r)
{
	char a[64], b[64], c[64], cell[128];
	okdf_err e = { 0 };
	if (r->ttr.has_median)
		snprintf(a, sizeof a, "%.1f days", r->ttr.median_days);
	else
		snprintf(a, sizeof a, "-");
	snprintf(b, sizeof b, "n=%d, band %s", r->ttr.count, metrics_band_name(r->ttr.band));
	row("Time-to-revenue (median)", a, b);
	/* The latest first sales and the oldest ideas in flight; --json has all. */
	int first = r->ttr.n_products > TEXT_LIST_MAX ? r->ttr.n_products - TEXT_LIST_MAX : 0;
	if (first)
		cli_printf(stdout, "    ... %d earlier first sales (--json lists all)\n", first);
	for (int i = first; i < r->ttr.n_products; i++) {
		const metrics_ttr_product *p = &r->ttr.products[i];
		okdf_date d;
		if (tz_date_of(r->timezone, p->first_sale_at, &d, &e))
			continue;
		date_format(d, c, sizeof c);
		cli_printf(stdout, "    %s %5lld d  sold %s%s\n", cli_cell(p->title, 28, cell, sizeof cell),
			p->days, c,
			p->sale_before_idea ? "  FLAG before idea" : "");
	}
	cli_printf(stdout, "  In flight (no sale yet): %d\n", r->ttr.n_in_flight);
	for (int i = 0; i < r->ttr.n_in_flight && i < TEXT_LIST_MAX; i++)
		cli_printf(stdout, "    %s %5lld d elapsed\n",
			cli_cell(r->ttr.in_flight[i].title, 28, cell, sizeof cell),
			r->ttr.in_flight[i].days_elapsed);
	if (r->ttr.n_in_flight > TEXT_LIST_MAX)
		cli_printf(stdout, "    ... %d more (--json lists all)\n", r->ttr.n_in_flight - TEXT_LIST_MAX);
}

/* Cart recovery, repeat purchases, the agent, ads and Klaviyo. */
static void print_channels(const metrics_result *r)
{
	char a[64], b[64];
	fmt_bp(&r->recovery_rate, 0, a, sizeof a);
	fmt_money(r, &r->recovered_minor, b, sizeof b);
	row("Cart recovery (revenue)", a, b);
	fmt_bp(&r->recovery_count_rate, 0, a, sizeof a);
	snprintf(b, sizeof b, "%lld/%lld checkouts", r->recovered_count.value,
		r->abandoned_count.value);
	row("Cart recovery (count)", a, b);
	fmt_bp(&r->repeat_rate, 0, a, sizeof a);
	snprintf(b, sizeof b, "%lld/%lld customers", r->repeat_customers.value,
		r->customers.value);
	row("Repeat purchase rate", a, b);
	fmt_bp(&r->agent_share, 0, a, sizeof a);
	snprintf(b, sizeof b, "%lld/%lld conversations", r->agent_resolved.value,
		r->conversations.value);
	row("Agent resolution share", a, b);
	fmt_money(r, &r->ad_spend, a, sizeof a);
	row("Ad spend", a, r->ad_rows_other_currency ? "other currencies left out" : "Meta");
	fmt_bp(&r->roas, 1, a, sizeof a);
	row("ROAS", a, "purchase value / spend");
	fmt_bp(&r->mer, 1, a, sizeof a);
	row("MER", a, "net revenue / spend");
	fmt_money(r, &r->klaviyo_revenue, a, sizeof a);
	row("Klaviyo-attributed", a, r->klaviyo_timeframe ? "Klaviyo's own attribution"
		: "Klaviyo reports cover 7d and 30d only");
}

static void print_text(const metrics_result *r)
{
	print_header(r);
	print_revenue(r);
	cli_printf(stdout, "\n");
	print_ttr(r);
	cli_printf(stdout, "\n");
	print_channels(r);
	if (r->series.n) {
		char line[METRICS_SERIES_DAYS + 1];
		sparkline(&r->series, line);
		cli_printf(stdout, "\n  Net revenue, last %d days  [%s]\n", r->series.n, line);
	}
}

/* ---- JSON ---- */

static cJSON *json_num(const metrics_num *v)
{
	return v->has ? cJSON_CreateNumber((double)v->value) : cJSON_CreateNull();
}

static cJSON *json_bp(const metrics_num *v)
{
	return v->has ? cJSON_CreateNumber((double)v->value / 10000.0) : cJSON_CreateNull();
}

static cJSON *json_time(long long t, const char *tz)
{
	char buf[40];
	okdf_err e = { 0 };
	if (time_format_local(t, tz, buf, sizeof buf, &e))
		return cJSON_CreateNull();
	return cJSON_CreateString(buf);
}

static cJSON *json_date(okdf_date d)
{
	char buf[16];
	date_format(d, buf, sizeof buf);
	return cJSON_CreateString(buf);
}

static void add_def(cJSON *defs, const char *key, const metrics_num *v)
{
	cJSON_AddStringToObject(defs, key, v->label ? v->label : "");
}

static void add_window(cJSON *o, const metrics_result *r)
{
	cJSON *w = cJSON_AddObjectToObject(o, "window");
	cJSON_AddStringToObject(w, "spec", r->window.spec);
	cJSON_AddItemToObject(w, "from",
		r->window.all ? cJSON_CreateNull() : json_time(r->window.from, r->timezone));
	/* The exclusive end of the last day, or now while the window runs. */
	long long to = r->window.to == r->now + 1 ? r->now : r->window.to;
	cJSON_AddItemToObject(w, "to", json_time(to, r->timezone));
	cJSON_AddItemToObject(w, "first_day", r->window.all ? cJSON_CreateNull()
							   : json_date(r->window.first));
	cJSON_AddItemToObject(w, "last_day", json_date(r->window.last));
	cJSON_AddStringToObject(w, "timezone", r->timezone);
}

static cJSON *json_ttr_product(const metrics_ttr_product *p, const char *tz)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id", p->id);
	cJSON_AddStringToObject(j, "title", p->title);
	cJSON_AddItemToObject(j, "idea_at", json_time(p->idea_at, tz));
	cJSON_AddStringToObject(j, "idea_source", p->idea_recorded ? "idea" : "product_created_at");
	cJSON_AddItemToObject(j, "first_sale_at", json_time(p->first_sale_at, tz));
	cJSON_AddNumberToObject(j, "days", (double)p->days);
	cJSON_AddItemToObject(j, "flag", p->sale_before_idea
			? cJSON_CreateString("sale_before_idea") : cJSON_CreateNull());
	return j;
}

static cJSON *json_in_flight(const metrics_in_flight *f, const char *tz)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "title", f->title);
	cJSON_AddNumberToObject(j, "days_elapsed", (double)f->days_elapsed);
	cJSON_AddItemToObject(j, "idea_id",
		f->idea_id ? cJSON_CreateNumber((double)f->idea_id) : cJSON_CreateNull());
	cJSON_AddItemToObject(j, "product_id",
		f->product_id[0] ? cJSON_CreateString(f->product_id) : cJSON_CreateNull());
	cJSON_AddItemToObject(j, "since", json_time(f->since, tz));
	return j;
}

static void add_ttr(cJSON *o, const metrics_result *r)
{
	cJSON *t = cJSON_AddObjectToObject(o, "ttr");
	cJSON_AddItemToObject(t, "median_days", r->ttr.has_median
			? cJSON_CreateNumber(r->ttr.median_days) : cJSON_CreateNull());
	cJSON_AddNumberToObject(t, "count", r->ttr.count);
	cJSON_AddStringToObject(t, "band", metrics_band_name(r->ttr.band));
	cJSON_AddNumberToObject(t, "flagged", r->ttr.flagged);
	cJSON *ps = cJSON_AddArrayToObject(t, "products");
	for (int i = 0; i < r->ttr.n_products; i++)
		cJSON_AddItemToArray(ps, json_ttr_product(&r->ttr.products[i], r->timezone));
	cJSON *fl = cJSON_AddArrayToObject(t, "in_flight");
	for (int i = 0; i < r->ttr.n_in_flight; i++)
		cJSON_AddItemToArray(fl, json_in_flight(&r->ttr.in_flight[i], r->timezone));
}

/* Cart recovery, repeat purchases, the agent, ads and Klaviyo. */
static void add_channels(cJSON *o, const metrics_result *r)
{
	cJSON *rec = cJSON_AddObjectToObject(o, "recovery");
	cJSON_AddItemToObject(rec, "abandoned_minor", json_num(&r->abandoned_minor));
	cJSON_AddItemToObject(rec, "recovered_minor", json_num(&r->recovered_minor));
	cJSON_AddItemToObject(rec, "rate", json_bp(&r->recovery_rate));
	cJSON_AddItemToObject(rec, "abandoned_count", json_num(&r->abandoned_count));
	cJSON_AddItemToObject(rec, "recovered_count", json_num(&r->recovered_count));
	cJSON_AddItemToObject(rec, "count_rate", json_bp(&r->recovery_count_rate));

	cJSON_AddItemToObject(o, "repeat_purchase_rate", json_bp(&r->repeat_rate));
	cJSON_AddItemToObject(o, "customers", json_num(&r->customers));
	cJSON_AddItemToObject(o, "repeat_customers", json_num(&r->repeat_customers));
	cJSON_AddItemToObject(o, "agent_resolution_share", json_bp(&r->agent_share));
	cJSON_AddItemToObject(o, "conversations", json_num(&r->conversations));
	cJSON_AddItemToObject(o, "agent_resolved", json_num(&r->agent_resolved));

	cJSON *ad = cJSON_AddObjectToObject(o, "ads");
	cJSON_AddItemToObject(ad, "spend_minor", json_num(&r->ad_spend));
	cJSON_AddItemToObject(ad, "purchase_value_minor", json_num(&r->purchase_value));
	cJSON_AddItemToObject(ad, "roas", json_bp(&r->roas));
	cJSON_AddItemToObject(ad, "mer", json_bp(&r->mer));
	cJSON_AddNumberToObject(ad, "rows_other_currency", r->ad_rows_other_currency);

	cJSON *kl = cJSON_AddObjectToObject(o, "klaviyo_attributed");
	if (r->klaviyo_timeframe)
		cJSON_AddStringToObject(kl, "timeframe", r->klaviyo_timeframe);
	else
		cJSON_AddNullToObject(kl, "timeframe");
	cJSON_AddItemToObject(kl, "flows_minor", json_num(&r->klaviyo_flow_revenue));
	cJSON_AddItemToObject(kl, "campaigns_minor", json_num(&r->klaviyo_campaign_revenue));
	cJSON_AddItemToObject(kl, "total_minor", json_num(&r->klaviyo_revenue));
}

static void add_series(cJSON *o, const metrics_series *series)
{
	cJSON *s = cJSON_AddObjectToObject(o, "series");
	cJSON *days = cJSON_AddArrayToObject(s, "days");
	cJSON *net = cJSON_AddArrayToObject(s, "net_revenue_minor");
	cJSON *rp = cJSON_AddArrayToObject(s, "rpoh_minor_per_hour");
	for (int i = 0; i < series->n; i++) {
		cJSON_AddItemToArray(days, json_date(series->days[i]));
		cJSON_AddItemToArray(net, json_num(&series->net_revenue[i]));
		cJSON_AddItemToArray(rp, json_num(&series->rpoh[i]));
	}
}

/* Each number's definition label, keyed by its JSON path. */
static void add_definitions(cJSON *o, const metrics_result *r)
{
	cJSON *defs = cJSON_AddObjectToObject(o, "definitions");
	add_def(defs, "net_revenue_minor", &r->net_revenue);
	add_def(defs, "gross_sales_minor", &r->gross_sales);
	add_def(defs, "refunds_minor", &r->refunds);
	add_def(defs, "orders", &r->orders);
	add_def(defs, "aov_minor", &r->aov);
	cJSON_AddStringToObject(defs, "ttr", r->ttr.label ? r->ttr.label : "");
	add_def(defs, "operator_hours", &r->operator_seconds);
	add_def(defs, "rpoh_minor_per_hour", &r->rpoh);
	add_def(defs, "recovery.rate", &r->recovery_rate);
	add_def(defs, "recovery.count_rate", &r->recovery_count_rate);
	add_def(defs, "repeat_purchase_rate", &r->repeat_rate);
	add_def(defs, "agent_resolution_share", &r->agent_share);
	add_def(defs, "ads.spend_minor", &r->ad_spend);
	add_def(defs, "ads.purchase_value_minor", &r->purchase_value);
	add_def(defs, "ads.roas", &r->roas);
	add_def(defs, "ads.mer", &r->mer);
	add_def(defs, "klaviyo_attributed.flows_minor", &r->klaviyo_flow_revenue);
	add_def(defs, "klaviyo_attributed.campaigns_minor", &r->klaviyo_campaign_revenue);
	add_def(defs, "klaviyo_attributed.total_minor", &r->klaviyo_revenue);
	if (r->series.n) {
		add_def(defs, "series.net_revenue_minor", &r->series.net_revenue[0]);
		add_def(defs, "series.rpoh_minor_per_hour", &r->series.rpoh[0]);
	}
}

static cJSON *build_json(const metrics_result *r)
{
	cJSON *o = cJSON_CreateObject();
	add_window(o, r);
	cJSON_AddItemToObject(o, "now", json_time(r->now, r->timezone));
	cJSON_AddStringToObject(o, "currency", r->currency);
	cJSON_AddNumberToObject(o, "currency_exponent", r->exponent);
	cJSON_AddStringToObject(o, "revenue_basis", "ledger");
	cJSON_AddItemToObject(o, "net_revenue_minor", json_num(&r->net_revenue));
	cJSON_AddItemToObject(o, "gross_sales_minor", json_num(&r->gross_sales));
	cJSON_AddItemToObject(o, "refunds_minor", json_num(&r->refunds));
	cJSON_AddItemToObject(o, "orders", json_num(&r->orders));
	cJSON_AddItemToObject(o, "aov_minor", json_num(&r->aov));
	add_ttr(o, r);
	cJSON_AddNumberToObject(o, "operator_hours",
		(double)r->operator_seconds.value / 3600.0);
	cJSON_AddItemToObject(o, "operator_seconds", json_num(&r->operator_seconds));
	cJSON_AddItemToObject(o, "rpoh_minor_per_hour", json_num(&r->rpoh));
	cJSON_AddStringToObject(o, "rpoh_band", metrics_band_name(r->rpoh_band));
	add_channels(o, r);
	add_series(o, &r->series);
	add_definitions(o, r);
	return o;
}

int cmd_metrics(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", metrics_usage);
		return OKDF_OK;
	}
	const char *window = "30d", *now_opt = NULL;
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--window") == 0 && i + 1 < argc)
			window = argv[++i];
		else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc)
			now_opt = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				metrics_usage);
	}
	long long now;
	int rc = now_opt ? time_parse_iso8601(now_opt, &now, e) : time_now(&now, e);
	if (rc)
		return now_opt ? okdf_err_prefix(e, "--now") : rc;
	/* Check the window's form before the store, so bad input is exit 2 even
	 * before the first sync; the shop's timezone then gives its real bounds. */
	metrics_window w;
	if ((rc = metrics_window_parse(window, "UTC", now, &w, e)))
		return rc;
	okdf_db *db;
	if ((rc = cli_open_db(cli, &db, e)))
		return rc;
	metrics_result r;
	rc = metrics_compute(db, window, now, &r, e);
	db_close(db);
	if (rc)
		return rc;
	if (json)
		rc = cli_json_print(build_json(&r), e);
	else
		print_text(&r);
	metrics_result_free(&r);
	return rc;
}

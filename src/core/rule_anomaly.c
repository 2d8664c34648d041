/* The anomaly rules, judged only as far as a connector's data is complete:
 * a refund spike against the 28 days before it (anomaly.refund_spike),
 * today's revenue against the same weekday of the last four weeks
 * (anomaly.revenue_drop) and a connector that stopped syncing
 * (anomaly.sync_down). Each episode that ends resolves its escalation with
 * a note saying what cleared; they always run. */
#include <math.h>
#include <stdio.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/rollups.h"
#include "okdf/store/rules.h"
#include "okdf/store/shop.h"
#include "rules_private.h"

/* anomaly.refund_spike: the 24 h up to where Shopify's data is complete. */
int rule_refund_spike(rule_ctx *c, okdf_err *e)
{
	long long until;
	int rc = rule_complete_until(c, "shopify", &until, e);
	if (rc || until == 0)
		return rc; /* not judged: episodes and escalations stay as they are */
	rc = episodes_begin(c, "refund_spike", e);
	if (rc)
		return rc;
	/* Bucket 0: the last 24 h; 1..28: the 24-h windows before it. */
	int counts[29];
	rc = refunds_daily_counts(c->db, until, counts, 29, e);
	if (rc)
		return rc;
	double mean = 0, var = 0;
	for (int i = 1; i < 29; i++)
		mean += counts[i];
	mean /= 28;
	for (int i = 1; i < 29; i++)
		var += (counts[i] - mean) * (counts[i] - mean);
	double sigma = sqrt(var / 28);
	double threshold = mean + 2 * sigma;
	if (counts[0] > threshold && counts[0] >= c->cfg->refund_spike_min) {
		long long started;
		int is_new;
		rc = episode_hold(c, "refund_spike", "refunds_24h", &started, &is_new, e);
		if (rc)
			return rc;
		char key[96];
		snprintf(key, sizeof key, "anomaly.refund_spike:refunds_24h:%lld", started);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddNumberToObject(ev, "refunds_24h", counts[0]);
		cJSON_AddNumberToObject(ev, "baseline_mean", round(mean * 100) / 100);
		cJSON_AddNumberToObject(ev, "baseline_sigma", round(sigma * 100) / 100);
		cJSON_AddNumberToObject(ev, "threshold", round(threshold * 100) / 100);
		cJSON_AddNumberToObject(ev, "delta", round((counts[0] - mean) * 100) / 100);
		cJSON_AddNumberToObject(ev, "baseline_days", 28);
		rule_add_time(ev, "since", started);
		rc = rule_raise(c, "anomaly.refund_spike", "high", "shopify/refund_spike", ev, key, e,
			"Refund spike: %d refunds in 24 h (28-day mean %.1f)", counts[0], mean);
		if (rc)
			return rc;
	}
	return anomalies_end(c, "refund_spike",
		"refunds in 24 h are back within the 28-day baseline", e);
}

static int order_revenue(rule_ctx *c, long long from, long long to, long long *minor, int *n,
	okdf_err *e)
{
	sales_rollup *sales;
	long long count = 0, refunds;
	*minor = 0;
	int rc = sales_rollup_open(c->db, &sales, e);
	if (!rc)
		rc = sales_rollup_range(sales, from, to, minor, &count, &refunds, e);
	sales_rollup_close(sales);
	*n = (int)count;
	return rc;
}

#define REVENUE_CLEARED "revenue is back above half of the same weekday's average, " \
	"or the day is over"

/* Today so far and, as its baseline, the same stretch of the same weekday in
 * each of the 4 weeks before it, in the shop's zone. */
struct revenue_day {
	const shop_row *shop;
	okdf_date today;
	long long elapsed; /* seconds since the shop's midnight judged */
	long long today_minor, base_minor;
	int today_orders, base_orders;
	cJSON *weeks; /* each earlier week's revenue */
};

/* Adds the 4 earlier weeks to d. OKDF_EFAIL when a day cannot be placed in
 * the zone or the sum passes 64 bits: no baseline to judge by. */
static int revenue_baseline(rule_ctx *c, struct revenue_day *d, okdf_err *e)
{
	int rc = OKDF_OK;
	for (int k = 1; k <= 4 && !rc; k++) {
		okdf_date day = date_add_days(d->today, -7 * k);
		long long s, minor;
		int n;
		if (tz_day_start(d->shop->timezone, day, &s, e))
			return OKDF_EFAIL;
		rc = order_revenue(c, s, s + d->elapsed, &minor, &n, e);
		if (!rc && money_add(&d->base_minor, minor))
			return OKDF_EFAIL;
		d->base_orders += n;
		cJSON_AddItemToArray(d->weeks, cJSON_CreateNumber((double)minor));
	}
	return rc;
}

/* Holds today's episode and raises it; the evidence takes d->weeks. */
static int revenue_drop_raise(rule_ctx *c, struct revenue_day *d, long long avg_minor,
	okdf_err *e)
{
	__extension__ typedef __int128 wide;
	char day[16], cond[32], key[96];
	date_format(d->today, day, sizeof day);
	snprintf(cond, sizeof cond, "day:%s", day);
	long long started;
	int is_new;
	int rc = episode_hold(c, "revenue_drop", cond, &started, &is_new, e);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "anomaly.revenue_drop:%s:%lld", cond, started);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "shop_day", day);
	cJSON_AddStringToObject(ev, "timezone", d->shop->timezone);
	cJSON_AddStringToObject(ev, "currency", d->shop->currency);
	cJSON_AddNumberToObject(ev, "cut_seconds", (double)d->elapsed);
	cJSON_AddNumberToObject(ev, "today_minor", (double)d->today_minor);
	cJSON_AddNumberToObject(ev, "today_orders", d->today_orders);
	cJSON_AddNumberToObject(ev, "baseline_minor", (double)avg_minor);
	cJSON_AddNumberToObject(ev, "baseline_orders", d->base_orders / 4.0);
	cJSON_AddNumberToObject(ev, "delta_minor", (double)(d->today_minor - avg_minor));
	cJSON_AddItemToObject(ev, "same_weekday_minor", d->weeks);
	d->weeks = NULL;
	int pct = avg_minor ? (int)((wide)d->today_minor * 100 / avg_minor) : 0;
	return rule_raise(c, "anomaly.revenue_drop", "high", "shopify/revenue_drop", ev, key, e,
		"Revenue so far today is %d%% of the same weekday's average", pct);
}

/* anomaly.revenue_drop: today so far, cut where Shopify's data is complete. */
int rule_revenue_drop(rule_ctx *c, okdf_err *e)
{
	long long until;
	int rc = rule_complete_until(c, "shopify", &until, e);
	if (rc || until == 0)
		return rc;
	rc = episodes_begin(c, "revenue_drop", e);
	if (rc)
		return rc;
	shop_row shop;
	int found;
	rc = shop_get(c->db, &shop, &found, e);
	if (rc)
		return rc;
	const char *tz = shop.timezone;
	/* No shop synced yet, or a zone this system lacks: nothing to compare. */
	if (!tz[0] || !tz_valid(tz))
		return anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e);

	struct revenue_day d = { .shop = &shop };
	long long start;
	if (tz_date_of(tz, c->now, &d.today, e) || tz_day_start(tz, d.today, &start, e))
		return anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e);
	/* Today's orders arrive last in a pass: judge today only as far as a
	 * finished pass has brought it, and not at all before one has. */
	if (until <= start)
		return OKDF_OK;
	d.elapsed = until - start;
	rc = order_revenue(c, start, until, &d.today_minor, &d.today_orders, e);
	if (rc)
		return rc;
	d.weeks = cJSON_CreateArray();
	rc = revenue_baseline(c, &d, e);
	if (rc) {
		cJSON_Delete(d.weeks);
		return rc == OKDF_EFAIL ? anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e) : rc;
	}
	long long avg_minor = d.base_minor / 4;
	/* Sums of stored amounts: compared in 128 bits, never wrapped. */
	__extension__ typedef __int128 wide;
	if (d.base_orders >= 4 * c->cfg->revenue_drop_min_orders && d.base_orders > 0 &&
		(wide)d.today_minor * 2 < avg_minor)
		rc = revenue_drop_raise(c, &d, avg_minor, e);
	cJSON_Delete(d.weeks);
	return rc ? rc : anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e);
}

/* anomaly.sync_down */
static int sync_down_raise(void *ctx, const sync_down_row *r)
{
	rule_ctx *c = ((struct scan *)ctx)->c;
	okdf_err *e = ((struct scan *)ctx)->e;
	char cond[96], key[160];
	snprintf(cond, sizeof cond, "connector:%s", r->connector);
	long long started;
	int is_new;
	int rc = episode_hold(c, "sync_down", cond, &started, &is_new, e);
	if (rc)
		return rc;
	long long last = r->last_success_at, interval = r->interval_seconds;
	snprintf(key, sizeof key, "anomaly.sync_down:%s:%lld", cond, started);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "connector", r->connector);
	cJSON_AddStringToObject(ev, "state", r->state);
	rule_add_time(ev, "last_success_at", last);
	cJSON_AddNumberToObject(ev, "interval_seconds", (double)interval);
	cJSON_AddNumberToObject(ev, "intervals_missed",
		(double)((c->now - last) / (interval > 0 ? interval : 1)));
	cJSON_AddNumberToObject(ev, "threshold_intervals", c->cfg->sync_down_intervals);
	if (r->last_error)
		cJSON_AddStringToObject(ev, "last_error", r->last_error);
	long long quiet = c->now - last;
	return rule_raise(c, "anomaly.sync_down", "high", "rules/sync_down", ev, key, e,
		"%s has not synced for %lld %s", r->connector, quiet < 120 ? quiet : quiet / 60,
		quiet < 120 ? "seconds" : "minutes");
}

int rule_sync_down(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "sync_down", e);
	if (rc)
		return rc;
	struct scan x = { c, e };
	rc = connector_health_down_each(c->db, c->now, c->cfg->sync_down_intervals,
		sync_down_raise, &x, e);
	return rc ? rc : anomalies_end(c, "sync_down", "the connector synced again", e);
}

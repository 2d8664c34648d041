/* The metrics engine: computes SPEC section 4's numbers for a window over
 * the store's aggregates (sales, refunds, operator hours, time-to-revenue,
 * cart recovery, repeat customers, agent share, ads and Klaviyo attribution)
 * and the 30-day series, with each number's definition label; the dashboard
 * computes its three windows over one context, sharing the series' day
 * buckets and one scan per table. Window parsing is core/metrics_window.c;
 * the phase checks judging these numbers are core/metric_checks.c. */
#include "okdf/core/metrics.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/idset.h"
#include "okdf/core/money.h"
#include "okdf/store/db.h"
#include "okdf/store/metrics.h"
#include "okdf/store/shop.h"

#include "metrics_private.h"

/* Definition labels, shown beside each number and emitted in --json. */
static const char L_GROSS[] = "order totals (shop money) of non-cancelled, non-test orders "
	"processed in the window";
static const char L_REFUNDS[] = "refunds created in the window on non-cancelled, non-test "
	"orders (a cancelled order counts neither its sale nor its refunds)";
static const char L_NET[] = "net revenue, ledger basis: order totals processed in the window "
	"minus refunds created in the window; cancelled and test orders excluded; shop money";
static const char L_ORDERS[] = "non-cancelled, non-test orders processed in the window";
static const char L_AOV[] = "average order value: order totals / orders, before refunds, "
	"rounded half away from zero";
static const char L_TTR[] = "time-to-revenue: shop calendar days from the idea date (else "
	"the product's Shopify creation) to its first non-cancelled, non-test order; median over "
	"products whose first sale is in the window (even count: mean of the middle two)";
static const char L_HOURS[] = "operator hours: per operator, union of console-active "
	"intervals and manual entries in the window; summed over operators";
static const char L_RPOH[] = "revenue per operator hour: net revenue / operator hours, "
	"minor units per hour; none below 1 operator hour in the window";
static const char L_ABANDONED[] = "value of abandoned checkouts created in the window";
static const char L_RECOVERED[] = "value of those abandoned checkouts completed by now";
static const char L_RECOVERY_RATE[] = "cart recovery by revenue: recovered value / abandoned "
	"value, checkouts created in the window";
static const char L_ABANDONED_COUNT[] = "abandoned checkouts created in the window";
static const char L_RECOVERED_COUNT[] = "of those, completed by now";
static const char L_RECOVERY_COUNT_RATE[] = "cart recovery by count: completed / abandoned "
	"checkouts created in the window";
static const char L_CUSTOMERS[] = "customers with >= 1 non-cancelled, non-test order in the "
	"window (guest orders without a customer left out)";
static const char L_REPEAT_CUSTOMERS[] = "customers with >= 2 such orders in the window";
static const char L_REPEAT_RATE[] = "repeat purchase rate: customers with >= 2 orders in the "
	"window / customers with >= 1 order in the window";
static const char L_CONVERSATIONS[] = "agent conversations created in the window";
static const char L_AGENT_RESOLVED[] = "of those, resolved by the agent: state completed and "
	"never seen by okdf in a state needing a person (escalated, pending-approval, "
	"errored-pending-approval)";
static const char L_AGENT_SHARE[] = "agent resolution share: conversations that reached "
	"completed and that okdf never saw escalated, pending-approval or "
	"errored-pending-approval / all conversations created in the window (builders' test "
	"runs left out)";
static const char L_SPEND[] = "Meta ad spend on the window's days (ad-account days), shop "
	"currency rows only";
static const char L_PURCHASE_VALUE[] = "Meta purchase conversion value (one purchase action "
	"type) on the window's days";
static const char L_ROAS[] = "ROAS: purchase value / ad spend";
static const char L_MER[] = "MER: net revenue / ad spend (revenue over spend)";
static const char L_SERIES_NET[] = "net revenue per shop day, ledger basis";
static const char L_SERIES_RPOH[] = "net revenue / operator hours per shop day; none below "
	"1 operator hour that day";

const char *metrics_band_name(enum metrics_band b)
{
	switch (b) {
	case MBAND_GOOD: return "good";
	case MBAND_WARNING: return "warning";
	case MBAND_BAD: return "bad";
	default: return "-";
	}
}

enum metrics_band metrics_ttr_band(double days)
{
	if (days <= 14.0)
		return MBAND_GOOD;
	return days >= 28.0 ? MBAND_BAD : MBAND_WARNING;
}

static long long pow10ll(int exponent)
{
	long long p = 1;
	for (int i = 0; i < exponent; i++)
		p *= 10;
	return p;
}

enum metrics_band metrics_rpoh_band(long long minor_per_hour, int exponent)
{
	long long unit = pow10ll(exponent);
	if (minor_per_hour >= 500 * unit)
		return MBAND_GOOD;
	return minor_per_hour >= 200 * unit ? MBAND_WARNING : MBAND_BAD;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

double ttr_median(long long *days, int n)
{
	qsort(days, (size_t)n, sizeof *days, cmp_ll);
	if (n % 2)
		return (double)days[n / 2];
	return ((double)days[n / 2 - 1] + (double)days[n / 2]) / 2.0;
}

/* n / d rounded half away from zero; d > 0. */
static metrics_num num(long long v, const char *label)
{
	return (metrics_num){ .value = v, .has = 1, .label = label };
}

static metrics_num ratio(long long n, long long d, long long scale, const char *label)
{
	if (d <= 0)
		return (metrics_num){ .label = label };
	/* 128 bits: n * scale of stored sums can leave 64; a quotient that does
	 * is shown as no value rather than wrapped. */
	__extension__ typedef __int128 wide;
	wide v = (wide)n * scale;
	wide q = v >= 0 ? (v + d / 2) / d : -((-v + d / 2) / d);
	if (q > LLONG_MAX || q < -LLONG_MAX)
		return (metrics_num){ .label = label };
	return num((long long)q, label);
}

/* gross - refunds, checked: no value rather than a wrapped one. */
static metrics_num net(long long gross, long long refunds, const char *label)
{
	long long v;
	if (__builtin_sub_overflow(gross, refunds, &v))
		return (metrics_num){ .label = label };
	return num(v, label);
}

/* Net revenue per operator hour, only over enough hours to mean something. */
static metrics_num rpoh_of(const metrics_num *net_revenue, long long secs, const char *label)
{
	if (!net_revenue->has || secs < METRICS_RPOH_MIN_SECONDS)
		return (metrics_num){ .label = label };
	return ratio(net_revenue->value, secs, 3600, label);
}

/* ---- the computation context: shop, prepared statements, hours ---- */

int metrics_shop(okdf_db *db, char *currency, size_t cn, char *tz, size_t tn, okdf_err *e)
{
	shop_row shop;
	int found;
	int rc = shop_get(db, &shop, &found, e);
	if (!rc && !found)
		return okdf_err_set(e, OKDF_ENOTFOUND,
			"no shop data synced yet: run the Shopify sync first (okdf sync)");
	if (!rc) {
		snprintf(currency, cn, "%s", shop.currency);
		snprintf(tz, tn, "%s", shop.timezone);
	}
	return rc;
}

void mctx_free(struct mctx *c)
{
	sales_rollup_close(c->sales);
	free(c->spans);
	free(c->cands);
	memset(c, 0, sizeof *c);
}

int mctx_open(okdf_db *db, long long now, struct mctx *c, okdf_err *e)
{
	memset(c, 0, sizeof *c);
	c->db = db;
	c->now = now;
	int rc = metrics_shop(db, c->currency, sizeof c->currency, c->tz, sizeof c->tz, e);
	if (rc)
		return rc;
	c->exponent = money_exponent(c->currency);
	if ((rc = tz_date_of(c->tz, now, &c->today, e)))
		return okdf_err_prefix(e, "shop timezone");
	rc = sales_rollup_open(db, &c->sales, e);
	if (rc)
		mctx_free(c);
	return rc;
}

/* Net revenue of [from, to): gross, refunds. */
static int sales(struct mctx *c, long long from, long long to, long long *gross,
	long long *count, long long *refunds, okdf_err *e)
{
	if (c->have_buckets && to == c->bucket_from[METRICS_SERIES_DAYS]) {
		for (int k = 0; k < METRICS_SERIES_DAYS; k++) {
			if (c->bucket_from[k] != from)
				continue;
			*gross = *count = *refunds = 0;
			for (; k < METRICS_SERIES_DAYS; k++)
				if (money_add(gross, c->bucket_gross[k]) ||
					money_add(count, c->bucket_count[k]) ||
					money_add(refunds, c->bucket_refunds[k]))
					return okdf_err_set(e, OKDF_EFAIL,
						"sales sums leave 64 bits: the store holds amounts out of range");
			return OKDF_OK;
		}
	}
	return sales_rollup_range(c->sales, from, to, gross, count, refunds, e);
}

/* Loads merged operator spans covering [from, to) unless already loaded. */
static int ctx_spans(struct mctx *c, long long from, long long to, okdf_err *e)
{
	if (c->spans && c->spans_from <= from && c->spans_to >= to)
		return OKDF_OK;
	free(c->spans);
	c->spans = NULL;
	int rc = hours_spans_load(c->db, from, to, &c->spans, &c->n_spans, e);
	if (!rc) {
		c->spans_from = from;
		c->spans_to = to;
	}
	return rc;
}

static long long days_between(okdf_date a, okdf_date b)
{
	return date_to_days(b) - date_to_days(a);
}

/* Every product and idea with its TTR facts as of now, independent of the
 * window: products (idea date from their earliest linked idea), linked ideas
 * whose product is not synced yet, and ideas without a product. */
static int ttr_load(struct mctx *c, okdf_err *e)
{
	if (c->ttr_loaded)
		return OKDF_OK;
	ttr_fact *facts;
	int n_facts;
	int rc = ttr_facts_list(c->db, &facts, &n_facts, e);
	if (rc)
		return rc;
	free(c->cands);
	c->n_cands = 0;
	c->cands = n_facts ? malloc((size_t)n_facts * sizeof *c->cands) : NULL;
	if (n_facts && !c->cands)
		rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	for (int i = 0; !rc && i < n_facts; i++) {
		const ttr_fact *f = &facts[i];
		struct ttr_cand k = { 0 };
		snprintf(k.id, sizeof k.id, "%s", f->id);
		snprintf(k.title, sizeof k.title, "%s", f->title);
		k.idea_recorded = f->has_idea;
		k.since = f->has_idea ? f->idea_at : f->created_at;
		k.idea_id = f->has_idea ? f->idea_id : 0;
		k.first_sale_at = f->first_sale_at;
		k.sold = f->has_sale && f->first_sale_at <= c->now;
		if (k.since > c->now)
			continue; /* not yet an idea or a product at this "now" */
		/* In flight: every idea and product without a sale, whatever its
		 * status (a DRAFT is the plainest idea not yet at revenue), except
		 * archived products. */
		if (!k.sold && f->archived)
			continue;
		okdf_date since_day, sale_day;
		if ((rc = tz_date_of(c->tz, k.since, &since_day, e)))
			break;
		if (k.sold) {
			if ((rc = tz_date_of(c->tz, k.first_sale_at, &sale_day, e)))
				break;
			k.days = days_between(since_day, sale_day);
		} else {
			k.days = days_between(since_day, c->today);
		}
		c->cands[c->n_cands++] = k;
	}
	free(facts);
	c->ttr_loaded = !rc;
	return rc;
}

static int cmp_product(const void *a, const void *b)
{
	const metrics_ttr_product *x = a, *y = b;
	if (x->first_sale_at != y->first_sale_at)
		return x->first_sale_at < y->first_sale_at ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int cmp_in_flight(const void *a, const void *b)
{
	const metrics_in_flight *x = a, *y = b;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	return strcmp(x->title, y->title);
}

static int ttr_fill(struct mctx *c, const metrics_window *w, metrics_ttr *t, okdf_err *e)
{
	memset(t, 0, sizeof *t);
	t->label = L_TTR;
	int n = c->n_cands ? c->n_cands : 1;
	t->products = calloc((size_t)n, sizeof *t->products);
	t->in_flight = calloc((size_t)n, sizeof *t->in_flight);
	long long *days = malloc((size_t)n * sizeof *days);
	if (!t->products || !t->in_flight || !days) {
		free(days);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	for (int i = 0; i < c->n_cands; i++) {
		const struct ttr_cand *k = &c->cands[i];
		if (!k->sold) {
			metrics_in_flight *f = &t->in_flight[t->n_in_flight++];
			f->idea_id = k->idea_id;
			snprintf(f->product_id, sizeof f->product_id, "%s", k->id);
			snprintf(f->title, sizeof f->title, "%s", k->title);
			f->since = k->since;
			f->days_elapsed = k->days;
			continue;
		}
		if (k->first_sale_at < w->from || k->first_sale_at >= w->to)
			continue;
		metrics_ttr_product *p = &t->products[t->n_products++];
		snprintf(p->id, sizeof p->id, "%s", k->id);
		snprintf(p->title, sizeof p->title, "%s", k->title);
		p->idea_at = k->since;
		p->idea_recorded = k->idea_recorded;
		p->first_sale_at = k->first_sale_at;
		p->days = k->days;
		p->sale_before_idea = k->days < 0;
		if (p->sale_before_idea)
			t->flagged++;
		else
			days[t->count++] = k->days;
	}
	if (t->count) {
		t->has_median = 1;
		t->median_days = ttr_median(days, t->count);
		t->band = metrics_ttr_band(t->median_days);
	}
	free(days);
	qsort(t->products, (size_t)t->n_products, sizeof *t->products, cmp_product);
	qsort(t->in_flight, (size_t)t->n_in_flight, sizeof *t->in_flight, cmp_in_flight);
	return OKDF_OK;
}

static void window_day_strings(struct mctx *c, const metrics_window *w, char *a, char *b)
{
	okdf_date last = w->last;
	if (date_to_days(last) > date_to_days(c->today))
		last = c->today;
	if (w->all)
		snprintf(a, 11, "0000-00-00");
	else
		date_format(w->first, a, 11);
	date_format(last, b, 11);
}

static int ads(struct mctx *c, const metrics_window *w, metrics_result *r, okdf_err *e)
{
	char a[11], b[11];
	window_day_strings(c, w, a, b);
	long long spend, purchase_value;
	int other;
	int rc = ad_insights_sum(c->db, a, b, c->currency, &spend, &purchase_value, &other, e);
	if (rc)
		return rc;
	r->ad_spend = num(spend, L_SPEND);
	r->purchase_value = num(purchase_value, L_PURCHASE_VALUE);
	r->ad_rows_other_currency = other;
	r->roas = ratio(r->purchase_value.value, spend, 10000, L_ROAS);
	r->mer = r->net_revenue.has ? ratio(r->net_revenue.value, spend, 10000, L_MER)
				    : (metrics_num){ .label = L_MER };
	return OKDF_OK;
}

static const char *const klaviyo_labels[2][2] = {
	{ "Klaviyo's own attribution, not okdf's: conversion_value of Placed Order in Klaviyo's"
	  " flow values reports for its timeframe last_7_days (the Klaviyo account's days, today"
	  " left out), in shop currency; overlaps Meta's attribution and net revenue",
	  "Klaviyo's own attribution, not okdf's: conversion_value of Placed Order in Klaviyo's"
	  " campaign values reports for its timeframe last_7_days (the Klaviyo account's days,"
	  " today left out), in shop currency; overlaps Meta's attribution and net revenue" },
	{ "Klaviyo's own attribution, not okdf's: conversion_value of Placed Order in Klaviyo's"
	  " flow values reports for its timeframe last_30_days (the Klaviyo account's days, today"
	  " left out), in shop currency; overlaps Meta's attribution and net revenue",
	  "Klaviyo's own attribution, not okdf's: conversion_value of Placed Order in Klaviyo's"
	  " campaign values reports for its timeframe last_30_days (the Klaviyo account's days,"
	  " today left out), in shop currency; overlaps Meta's attribution and net revenue" },
};
#define L_KLAVIYO_TOTAL "Klaviyo's own attribution: flow plus campaign conversion_value" \
	" (Placed Order) from its values reports; a window without a matching Klaviyo" \
	" timeframe (only 7d and 30d have one) shows none"

/* Klaviyo-attributed revenue: the report of the window's timeframe. */
static int klaviyo(struct mctx *c, const metrics_window *w, metrics_result *r, okdf_err *e)
{
	int t = strcmp(w->spec, "7d") == 0 ? 0 : strcmp(w->spec, "30d") == 0 ? 1 : -1;
	r->klaviyo_flow_revenue = (metrics_num){ .label = klaviyo_labels[t < 0 ? 1 : t][0] };
	r->klaviyo_campaign_revenue = (metrics_num){ .label = klaviyo_labels[t < 0 ? 1 : t][1] };
	r->klaviyo_revenue = (metrics_num){ .label = L_KLAVIYO_TOTAL };
	if (t < 0)
		return OKDF_OK;
	r->klaviyo_timeframe = t ? "last_30_days" : "last_7_days";
	long long v[4];
	int rc = email_stats_sum(c->db, r->klaviyo_timeframe, c->currency, v, e);
	if (rc)
		return rc;
	long long flows = v[0], campaigns = v[2];
	int has_flows = v[1] > 0, has_campaigns = v[3] > 0;
	if (has_flows)
		r->klaviyo_flow_revenue = num(flows, r->klaviyo_flow_revenue.label);
	if (has_campaigns)
		r->klaviyo_campaign_revenue = num(campaigns, r->klaviyo_campaign_revenue.label);
	if (has_flows || has_campaigns)
		r->klaviyo_revenue = num(flows + campaigns, L_KLAVIYO_TOTAL);
	return OKDF_OK;
}

static int series_fill(struct mctx *c, metrics_series *s, okdf_err *e)
{
	memset(s, 0, sizeof *s);
	okdf_date first = date_add_days(c->today, -(METRICS_SERIES_DAYS - 1));
	long long from;
	int rc = tz_day_start(c->tz, first, &from, e);
	if (!rc)
		rc = ctx_spans(c, from, c->now + 1, e);
	for (int i = 0; i < METRICS_SERIES_DAYS && !rc; i++) {
		okdf_date d = date_add_days(first, i);
		long long next;
		if ((rc = tz_day_start(c->tz, date_add_days(d, 1), &next, e)))
			break;
		long long to = next < c->now + 1 ? next : c->now + 1;
		long long gross, count, refunds;
		if ((rc = sales(c, from, to, &gross, &count, &refunds, e)))
			break;
		c->bucket_from[i] = from;
		c->bucket_from[i + 1] = to;
		c->bucket_gross[i] = gross;
		c->bucket_count[i] = count;
		c->bucket_refunds[i] = refunds;
		s->days[i] = d;
		s->net_revenue[i] = net(gross, refunds, L_SERIES_NET);
		long long secs = hours_spans_clip_seconds(c->spans, c->n_spans, from, to);
		s->seconds[i] = secs;
		s->rpoh[i] = rpoh_of(&s->net_revenue[i], secs, L_SERIES_RPOH);
		from = next;
	}
	if (!rc) {
		s->n = METRICS_SERIES_DAYS;
		c->have_buckets = 1;
	}
	return rc;
}

/* Repeat customers, cart recovery and agent share for up to three windows
 * nested by start and sharing one end, from the store's rollups (repeat
 * customers by one scan of the orders when the rollup cannot answer). */
struct window_extras {
	long long customers, repeat_customers;
	long long abandoned, recovered, abandoned_n, recovered_n;
	long long conversations, agent_resolved;
};

#define MAX_NESTED 3

/* Customers seen by the scan (their ids in an idset) and, by idset index,
 * each one's orders counted against each window start. */
struct cust_count {
	idset *ids;
	int (*n)[MAX_NESTED];
	size_t cap;
	const long long *from;
	int n_from;
	okdf_err *e;
};

static int cust_count_order(void *ctx, const char *id, size_t len, long long at)
{
	struct cust_count *t = ctx;
	size_t i;
	int rc = idset_add(t->ids, id, len, &i, t->e);
	if (rc)
		return rc;
	if (i == t->cap) { /* a new id past the counts: double them */
		int (*grown)[MAX_NESTED] = realloc(t->n, 2 * t->cap * sizeof *t->n);
		if (!grown)
			return okdf_err_set(t->e, OKDF_ENOMEM, "out of memory");
		memset(grown + t->cap, 0, t->cap * sizeof *grown);
		t->n = grown;
		t->cap *= 2;
	}
	for (int k = 0; k < t->n_from; k++)
		if (at >= t->from[k])
			t->n[i][k]++;
	return OKDF_OK;
}

/* Customers with >= 1 and >= 2 qualifying orders per window, counted in C
 * over one index range scan: cheaper than a GROUP BY sort per window. */
static int repeat_nested(struct mctx *c, const long long *from, int n, long long to,
	struct window_extras *x, okdf_err *e)
{
	long long lo = from[0];
	for (int k = 1; k < n; k++)
		if (from[k] < lo)
			lo = from[k];
	struct cust_count t = { .ids = idset_new(), .cap = 1024, .from = from, .n_from = n,
		.e = e };
	t.n = calloc(t.cap, sizeof *t.n);
	int rc = t.ids && t.n ? orders_customers_each(c->db, lo, to, cust_count_order, &t, e)
			      : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	size_t n_ids = rc ? 0 : idset_count(t.ids);
	for (size_t i = 0; i < n_ids; i++)
		for (int k = 0; k < n; k++) {
			x[k].customers += t.n[i][k] >= 1;
			x[k].repeat_customers += t.n[i][k] >= 2;
		}
	idset_free(t.ids);
	free(t.n);
	return rc;
}

static int extras_nested(struct mctx *c, const metrics_window *const *w, int n, int parts,
	struct window_extras *x, okdf_err *e)
{
	memset(x, 0, (size_t)n * sizeof *x);
	long long from[MAX_NESTED], to = w[0]->to;
	for (int k = 0; k < MAX_NESTED; k++)
		from[k] = w[k < n ? k : n - 1]->from;
	int rc = OKDF_OK;
	if (parts & PART_REPEAT) {
		long long cust[MAX_NESTED], rep[MAX_NESTED];
		int served;
		rc = customers_rollup_since(c->db, from, n, to, &served, cust, rep, e);
		for (int k = 0; !rc && served && k < n; k++) {
			x[k].customers = cust[k];
			x[k].repeat_customers = rep[k];
		}
		if (!rc && !served)
			rc = repeat_nested(c, from, n, to, x, e);
	}
	for (int k = 0; !rc && k < n; k++) {
		long long v[4];
		if ((parts & PART_RECOVERY) &&
			!(rc = checkouts_rollup_range(c->db, from[k], to, c->now, v, e))) {
			x[k].abandoned = v[0];
			x[k].recovered = v[1];
			x[k].abandoned_n = v[2];
			x[k].recovered_n = v[3];
		}
		if (!rc && (parts & PART_AGENT) &&
			!(rc = conversations_rollup_range(c->db, from[k], to, v, e))) {
			x[k].conversations = v[0];
			x[k].agent_resolved = v[1];
		}
	}
	return rc;
}

/* Recovery, repeat and agent numbers of r from the window's extras. */
static void extras_fill(const struct window_extras *x, metrics_result *r)
{
	r->abandoned_minor = num(x->abandoned, L_ABANDONED);
	r->recovered_minor = num(x->recovered, L_RECOVERED);
	r->recovery_rate = ratio(x->recovered, x->abandoned, 10000, L_RECOVERY_RATE);
	r->abandoned_count = num(x->abandoned_n, L_ABANDONED_COUNT);
	r->recovered_count = num(x->recovered_n, L_RECOVERED_COUNT);
	r->recovery_count_rate = ratio(x->recovered_n, x->abandoned_n, 10000,
		L_RECOVERY_COUNT_RATE);
	r->customers = num(x->customers, L_CUSTOMERS);
	r->repeat_customers = num(x->repeat_customers, L_REPEAT_CUSTOMERS);
	r->repeat_rate = ratio(x->repeat_customers, x->customers, 10000, L_REPEAT_RATE);
	r->conversations = num(x->conversations, L_CONVERSATIONS);
	r->agent_resolved = num(x->agent_resolved, L_AGENT_RESOLVED);
	r->agent_share = ratio(x->agent_resolved, x->conversations, 10000, L_AGENT_SHARE);
}

/* x: the window's extras when already computed (nested), else NULL. */
static int compute(struct mctx *c, const metrics_window *w, int parts,
	const struct window_extras *x, metrics_result *r, okdf_err *e)
{
	memset(r, 0, sizeof *r);
	r->window = *w;
	r->now = c->now;
	snprintf(r->timezone, sizeof r->timezone, "%s", c->tz);
	snprintf(r->currency, sizeof r->currency, "%s", c->currency);
	r->exponent = c->exponent;
	int rc = OKDF_OK;

	/* The series first: its day buckets then serve the window's sales. */
	if ((parts & PART_SERIES) && (rc = series_fill(c, &r->series, e)))
		return rc;
	if (parts & (PART_SALES | PART_HOURS | PART_ADS)) {
		long long gross, count, refunds;
		if ((rc = sales(c, w->from, w->to, &gross, &count, &refunds, e)))
			return rc;
		r->gross_sales = num(gross, L_GROSS);
		r->refunds = num(refunds, L_REFUNDS);
		r->net_revenue = net(gross, refunds, L_NET);
		r->orders = num(count, L_ORDERS);
		r->aov = ratio(gross, count, 1, L_AOV);
	}
	if (parts & PART_HOURS) {
		if ((rc = ctx_spans(c, w->from, w->to, e)))
			return rc;
		long long secs = hours_spans_clip_seconds(c->spans, c->n_spans, w->from, w->to);
		r->operator_seconds = num(secs, L_HOURS);
		r->rpoh = rpoh_of(&r->net_revenue, secs, L_RPOH);
		r->rpoh_band = r->rpoh.has ? metrics_rpoh_band(r->rpoh.value, c->exponent) : MBAND_NONE;
	}
	if (parts & PART_TTR) {
		if ((rc = ttr_load(c, e)) || (rc = ttr_fill(c, w, &r->ttr, e)))
			goto fail;
	}
	if (parts & (PART_RECOVERY | PART_REPEAT | PART_AGENT)) {
		struct window_extras own;
		if (!x) {
			const metrics_window *one[] = { w };
			if ((rc = extras_nested(c, one, 1, parts, &own, e)))
				goto fail;
			x = &own;
		}
		extras_fill(x, r);
	}
	if ((parts & PART_ADS) && ((rc = ads(c, w, r, e)) || (rc = klaviyo(c, w, r, e))))
		goto fail;
	return OKDF_OK;
fail:
	metrics_result_free(r);
	return rc;
}

int mctx_compute(struct mctx *c, const metrics_window *w, int parts, metrics_result *r,
	okdf_err *e)
{
	return compute(c, w, parts, NULL, r, e);
}

void metrics_result_free(metrics_result *r)
{
	free(r->ttr.products);
	free(r->ttr.in_flight);
	r->ttr.products = NULL;
	r->ttr.in_flight = NULL;
	r->ttr.n_products = r->ttr.n_in_flight = 0;
}

int metrics_compute(okdf_db *db, const char *window, long long now, metrics_result *r,
	okdf_err *e)
{
	memset(r, 0, sizeof *r);
	struct mctx c;
	int rc = mctx_open(db, now, &c, e);
	if (rc)
		return rc;
	metrics_window w;
	okdf_date first = date_add_days(c.today, -(METRICS_SERIES_DAYS - 1));
	long long series_from;
	if (!(rc = metrics_window_parse(window, c.tz, now, &w, e)) &&
		!(rc = tz_day_start(c.tz, first, &series_from, e)) &&
		/* One load of operator hours serves the window and the series. */
		!(rc = ctx_spans(&c, w.from < series_from ? w.from : series_from, now + 1, e)))
		rc = compute(&c, &w, PART_ALL, NULL, r, e);
	mctx_free(&c);
	return rc;
}

int metrics_dashboard_compute(okdf_db *db, long long now, metrics_dashboard *d, okdf_err *e)
{
	memset(d, 0, sizeof *d);
	struct mctx c;
	int rc = mctx_open(db, now, &c, e);
	if (rc)
		return rc;
	static const int days[METRICS_DASH_N] = { 1, 7, METRICS_SERIES_DAYS };
	metrics_window w[METRICS_DASH_N];
	for (int i = 0; i < METRICS_DASH_N && !rc; i++)
		rc = metrics_window_days(c.tz, now, days[i], 0, &w[i], e);
	if (!rc)
		snprintf(w[METRICS_DASH_TODAY].spec, sizeof w[0].spec, "today");
	if (!rc)
		rc = ctx_spans(&c, w[METRICS_DASH_30D].from, now + 1, e);
	/* The series first (its day buckets give each window's sales), then one
	 * scan per table for the nested windows' other numbers. */
	if (!rc)
		rc = series_fill(&c, &d->series, e);
	struct window_extras x[METRICS_DASH_N];
	const metrics_window *nested[METRICS_DASH_N] = { &w[0], &w[1], &w[2] };
	if (!rc)
		rc = extras_nested(&c, nested, METRICS_DASH_N,
			PART_RECOVERY | PART_REPEAT | PART_AGENT, x, e);
	for (int i = 0; i < METRICS_DASH_N && !rc; i++)
		rc = compute(&c, &w[i], PART_ALL & ~PART_SERIES, &x[i], &d->window[i], e);
	mctx_free(&c);
	if (rc)
		metrics_dashboard_free(d);
	return rc;
}

void metrics_dashboard_free(metrics_dashboard *d)
{
	for (int i = 0; i < METRICS_DASH_N; i++)
		metrics_result_free(&d->window[i]);
}

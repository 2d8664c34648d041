#include "okdf/core/metrics.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "okdf/core/hours.h"
#include "okdf/core/money.h"
#include "okdf/store/db.h"

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
	"minor units per hour";
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
static const char L_SERIES_RPOH[] = "net revenue / operator hours per shop day";

enum {
	PART_SALES = 1 << 0,
	PART_HOURS = 1 << 1, /* implies PART_SALES for RPOH */
	PART_TTR = 1 << 2,
	PART_RECOVERY = 1 << 3,
	PART_REPEAT = 1 << 4,
	PART_AGENT = 1 << 5,
	PART_ADS = 1 << 6,
	PART_SERIES = 1 << 7,
	PART_ALL = 0xff,
};

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
static long long div_round(long long n, long long d)
{
	return n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d);
}

static metrics_num num(long long v, const char *label)
{
	return (metrics_num){ .value = v, .has = 1, .label = label };
}

static metrics_num ratio(long long n, long long d, long long scale, const char *label)
{
	if (d <= 0)
		return (metrics_num){ .label = label };
	return num(div_round(n * scale, d), label);
}

/* ---- windows ---- */

static int window_bounds(const char *tz, long long now, metrics_window *w, okdf_err *e)
{
	int rc = OKDF_OK;
	long long end;
	if (w->all)
		w->from = 0;
	else if ((rc = tz_day_start(tz, w->first, &w->from, e)))
		return rc;
	if ((rc = tz_day_start(tz, date_add_days(w->last, 1), &end, e)))
		return rc;
	w->to = end < now + 1 ? end : now + 1;
	if (w->to < w->from)
		w->to = w->from;
	return OKDF_OK;
}

/* The window of n shop days ending `ago` days before today. */
static int window_days(const char *tz, long long now, int n, int ago, metrics_window *w,
	okdf_err *e)
{
	memset(w, 0, sizeof *w);
	okdf_date today;
	int rc = tz_date_of(tz, now, &today, e);
	if (rc)
		return rc;
	snprintf(w->spec, sizeof w->spec, "%dd", n);
	w->last = date_add_days(today, -ago);
	w->first = date_add_days(w->last, -(n - 1));
	return window_bounds(tz, now, w, e);
}

int metrics_window_parse(const char *spec, const char *tz, long long now, metrics_window *w,
	okdf_err *e)
{
	memset(w, 0, sizeof *w);
	if (!spec || strlen(spec) >= sizeof w->spec)
		goto bad;
	okdf_date today;
	int rc = tz_date_of(tz, now, &today, e);
	if (rc)
		return rc;
	snprintf(w->spec, sizeof w->spec, "%s", spec);
	w->first = w->last = today;
	const char *dots = strstr(spec, "..");
	if (strcmp(spec, "today") == 0) {
		/* first = last = today */
	} else if (strcmp(spec, "all") == 0) {
		w->all = 1;
		w->first = date_from_days(0);
	} else if (dots) {
		char a[16], b[16];
		size_t la = (size_t)(dots - spec);
		if (la >= sizeof a || strlen(dots + 2) >= sizeof b)
			goto bad;
		memcpy(a, spec, la);
		a[la] = '\0';
		snprintf(b, sizeof b, "%s", dots + 2);
		okdf_err pe = { 0 };
		if (time_parse_date(a, &w->first, &pe) || time_parse_date(b, &w->last, &pe))
			goto bad;
		if (date_to_days(w->last) < date_to_days(w->first))
			return okdf_err_set(e, OKDF_EINPUT, "window \"%s\" ends before it starts", spec);
	} else {
		char *end;
		long n = strtol(spec, &end, 10);
		if (!isdigit((unsigned char)spec[0]) || strcmp(end, "d") != 0 || n < 1 || n > 3660)
			goto bad;
		w->first = date_add_days(today, -(n - 1));
	}
	return window_bounds(tz, now, w, e);
bad:
	return okdf_err_set(e, OKDF_EINPUT,
		"bad window \"%s\": use today, 7d, 30d, 90d, all, Nd or YYYY-MM-DD..YYYY-MM-DD",
		spec ? spec : "");
}

/* ---- the computation context: shop, prepared statements, hours ---- */

struct ttr_cand {
	char id[64];
	char title[128];
	long long idea_id;
	long long since;      /* idea_at, else product created_at */
	int idea_recorded;
	int sold;             /* first sale at or before now */
	long long first_sale_at;
	long long days;       /* sold: idea day to sale day; else idea day to today */
};

struct mctx {
	sqlite3 *db;
	long long now;
	okdf_date today;
	char tz[64];
	char currency[8];
	int exponent;
	sqlite3_stmt *st_orders, *st_refunds;
	hours_span *spans;
	size_t n_spans;
	long long spans_from, spans_to;
	struct ttr_cand *cands;
	int n_cands, ttr_loaded;
	/* Per-day sales of the series; sales() sums them for windows made of
	 * whole series days ending now. bucket_from[METRICS_SERIES_DAYS] is now + 1. */
	int have_buckets;
	long long bucket_from[METRICS_SERIES_DAYS + 1];
	long long bucket_gross[METRICS_SERIES_DAYS], bucket_count[METRICS_SERIES_DAYS];
	long long bucket_refunds[METRICS_SERIES_DAYS];
};

int metrics_shop(sqlite3 *db, char *currency, size_t cn, char *tz, size_t tn, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT currency, iana_timezone FROM shop WHERE id = 1", &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		snprintf(currency, cn, "%s", sqlite3_column_text(st, 0));
		snprintf(tz, tn, "%s", sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (step == SQLITE_DONE)
		return okdf_err_set(e, OKDF_ENOTFOUND,
			"no shop data synced yet: run the Shopify sync first (okdf sync)");
	return step == SQLITE_ROW ? OKDF_OK : db_error(db, e, "reading shop");
}

static void ctx_free(struct mctx *c)
{
	sqlite3_finalize(c->st_orders);
	sqlite3_finalize(c->st_refunds);
	free(c->spans);
	free(c->cands);
	memset(c, 0, sizeof *c);
}

static int ctx_open(sqlite3 *db, long long now, struct mctx *c, okdf_err *e)
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
	rc = db_prepare(db,
		"SELECT COALESCE(SUM(total_minor), 0), COUNT(*) FROM orders"
		" WHERE processed_at >= ?1 AND processed_at < ?2"
		" AND cancelled_at IS NULL AND test = 0", &c->st_orders, e);
	if (!rc)
		rc = db_prepare(db,
			"SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r"
			" JOIN orders o ON o.id = r.order_id"
			" WHERE r.created_at >= ?1 AND r.created_at < ?2"
			" AND o.cancelled_at IS NULL AND o.test = 0", &c->st_refunds, e);
	if (rc)
		ctx_free(c);
	return rc;
}

/* Binds [from, to) (and ?3 when extra is set), steps one row into out[0..n). */
static int range_row(sqlite3 *db, sqlite3_stmt *st, long long from, long long to,
	const long long *extra, long long *out, int n, okdf_err *e)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (extra)
		sqlite3_bind_int64(st, 3, *extra);
	if (sqlite3_step(st) != SQLITE_ROW)
		return db_error(db, e, "computing metrics");
	for (int i = 0; i < n; i++)
		out[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return OKDF_OK;
}

static int range_query(struct mctx *c, const char *sql, long long from, long long to,
	const long long *extra, long long *out, int n, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, sql, &st, e);
	if (rc)
		return rc;
	rc = range_row(c->db, st, from, to, extra, out, n, e);
	sqlite3_finalize(st);
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
			for (; k < METRICS_SERIES_DAYS; k++) {
				*gross += c->bucket_gross[k];
				*count += c->bucket_count[k];
				*refunds += c->bucket_refunds[k];
			}
			return OKDF_OK;
		}
	}
	long long o[2] = { 0, 0 };
	int rc = range_row(c->db, c->st_orders, from, to, NULL, o, 2, e);
	if (!rc)
		rc = range_row(c->db, c->st_refunds, from, to, NULL, refunds, 1, e);
	*gross = o[0];
	*count = o[1];
	return rc;
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

static int cand_push(struct mctx *c, int *cap, struct ttr_cand *k, okdf_err *e)
{
	if (c->n_cands == *cap) {
		int ncap = *cap ? *cap * 2 : 64;
		void *grown = realloc(c->cands, (size_t)ncap * sizeof *c->cands);
		if (!grown)
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		c->cands = grown;
		*cap = ncap;
	}
	c->cands[c->n_cands++] = *k;
	return OKDF_OK;
}

/* Every product and idea with its TTR facts as of now, independent of the
 * window: products (idea date from their earliest linked idea), linked ideas
 * whose product is not synced yet, and ideas without a product. */
static int ttr_load(struct mctx *c, okdf_err *e)
{
	if (c->ttr_loaded)
		return OKDF_OK;
	static const char sql[] =
		"WITH idea_first AS (SELECT product_id, MIN(idea_at) AS idea_at,"
		"  MIN(id) AS idea_id FROM ideas WHERE product_id IS NOT NULL GROUP BY product_id)"
		" SELECT p.id, p.title, p.status, p.created_at, i.idea_at, i.idea_id, f.first_sale_at"
		" FROM products p LEFT JOIN idea_first i ON i.product_id = p.id"
		" LEFT JOIN product_first_sale f ON f.product_id = p.id"
		" UNION ALL"
		" SELECT i.product_id, (SELECT title FROM ideas WHERE id = i.idea_id), NULL, NULL,"
		"  i.idea_at, i.idea_id, f.first_sale_at"
		" FROM idea_first i LEFT JOIN product_first_sale f ON f.product_id = i.product_id"
		" WHERE i.product_id NOT IN (SELECT id FROM products)"
		" UNION ALL"
		" SELECT NULL, title, NULL, NULL, idea_at, id, NULL FROM ideas"
		" WHERE product_id IS NULL";
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, sql, &st, e);
	if (rc)
		return rc;
	int cap = 0, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct ttr_cand k = { 0 };
		const unsigned char *id = sqlite3_column_text(st, 0);
		const unsigned char *title = sqlite3_column_text(st, 1);
		const unsigned char *status = sqlite3_column_text(st, 2);
		snprintf(k.id, sizeof k.id, "%s", id ? (const char *)id : "");
		snprintf(k.title, sizeof k.title, "%s", title ? (const char *)title : "");
		k.idea_recorded = sqlite3_column_type(st, 4) != SQLITE_NULL;
		k.since = sqlite3_column_int64(st, k.idea_recorded ? 4 : 3);
		k.idea_id = k.idea_recorded ? sqlite3_column_int64(st, 5) : 0;
		k.first_sale_at = sqlite3_column_int64(st, 6);
		k.sold = sqlite3_column_type(st, 6) != SQLITE_NULL && k.first_sale_at <= c->now;
		if (k.since > c->now)
			continue; /* not yet an idea or a product at this "now" */
		/* In flight: ideas without a sale, and active products without one. */
		if (!k.sold && !k.idea_recorded &&
			!(status && strcasecmp((const char *)status, "active") == 0))
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
		if ((rc = cand_push(c, &cap, &k, e)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(c->db, e, "reading products and ideas");
	sqlite3_finalize(st);
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
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT COALESCE(SUM(CASE WHEN currency = ?3 THEN spend_minor END), 0),"
		" COALESCE(SUM(CASE WHEN currency = ?3 THEN purchase_value_minor END), 0),"
		" COALESCE(SUM(currency <> ?3), 0)"
		" FROM ad_insights_daily WHERE day >= ?1 AND day <= ?2", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, a);
	db_bind_text(st, 2, b);
	db_bind_text(st, 3, c->currency);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(c->db, e, "reading ad insights");
	} else {
		long long spend = sqlite3_column_int64(st, 0);
		r->ad_spend = num(spend, L_SPEND);
		r->purchase_value = num(sqlite3_column_int64(st, 1), L_PURCHASE_VALUE);
		r->ad_rows_other_currency = sqlite3_column_int(st, 2);
		r->roas = ratio(r->purchase_value.value, spend, 10000, L_ROAS);
		r->mer = r->net_revenue.has ? ratio(r->net_revenue.value, spend, 10000, L_MER)
					    : (metrics_num){ .label = L_MER };
	}
	sqlite3_finalize(st);
	return rc;
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
		s->net_revenue[i] = num(gross - refunds, L_SERIES_NET);
		long long secs = hours_spans_clip_seconds(c->spans, c->n_spans, from, to);
		s->rpoh[i] = ratio(gross - refunds, secs, 3600, L_SERIES_RPOH);
		from = next;
	}
	if (!rc) {
		s->n = METRICS_SERIES_DAYS;
		c->have_buckets = 1;
	}
	return rc;
}

/* Repeat customers, cart recovery and agent share for up to three windows
 * nested by start and sharing one end, each table scanned once. */
struct window_extras {
	long long customers, repeat_customers;
	long long abandoned, recovered, abandoned_n, recovered_n;
	long long conversations, agent_resolved;
};

#define MAX_NESTED 3

struct cust_slot {
	const char *id; /* in the arena, NULL when free */
	unsigned hash;
	int n[MAX_NESTED];
};

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
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
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT customer_id, processed_at FROM orders"
		" WHERE processed_at >= ?1 AND processed_at < ?2"
		" AND cancelled_at IS NULL AND test = 0 AND customer_id IS NOT NULL", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, to);
	size_t cap = 1024, used = 0, arena_cap = 1 << 16, arena_used = 0;
	struct cust_slot *tab = calloc(cap, sizeof *tab);
	char **arenas = NULL;
	int n_arenas = 0;
	char *arena = NULL;
	int step;
	if (!tab)
		rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		long long t = sqlite3_column_int64(st, 1);
		unsigned h = hash_str(id);
		size_t i = h & (cap - 1);
		while (tab[i].id && (tab[i].hash != h || strcmp(tab[i].id, id) != 0))
			i = (i + 1) & (cap - 1);
		if (!tab[i].id) {
			if (!arena || arena_used + len + 1 > arena_cap) {
				size_t sz = len + 1 > arena_cap ? len + 1 : arena_cap;
				char **grown = realloc(arenas, (size_t)(n_arenas + 1) * sizeof *arenas);
				arena = grown ? malloc(sz) : NULL;
				if (grown)
					arenas = grown;
				if (!arena) {
					rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
					break;
				}
				arenas[n_arenas++] = arena;
				arena_used = 0;
			}
			memcpy(arena + arena_used, id, len + 1);
			tab[i].id = arena + arena_used;
			tab[i].hash = h;
			arena_used += len + 1;
			if (++used * 2 > cap) {
				/* Grow to keep the table at most half full. */
				size_t ncap = cap * 2;
				struct cust_slot *nt = calloc(ncap, sizeof *nt);
				if (!nt) {
					rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
					break;
				}
				for (size_t j = 0; j < cap; j++) {
					if (!tab[j].id)
						continue;
					size_t m = tab[j].hash & (ncap - 1);
					while (nt[m].id)
						m = (m + 1) & (ncap - 1);
					nt[m] = tab[j];
				}
				free(tab);
				tab = nt;
				cap = ncap;
				i = h & (cap - 1);
				while (tab[i].hash != h || strcmp(tab[i].id, id) != 0)
					i = (i + 1) & (cap - 1);
			}
		}
		for (int k = 0; k < n; k++)
			if (t >= from[k])
				tab[i].n[k]++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(c->db, e, "counting repeat customers");
	sqlite3_finalize(st);
	for (size_t i = 0; !rc && i < cap; i++) {
		if (!tab[i].id)
			continue;
		for (int k = 0; k < n; k++) {
			x[k].customers += tab[i].n[k] >= 1;
			x[k].repeat_customers += tab[i].n[k] >= 2;
		}
	}
	free(tab);
	for (int k = 0; k < n_arenas; k++)
		free(arenas[k]);
	free(arenas);
	return rc;
}

/* Binds a nested scan's ?1 = lo (earliest start), ?2 = to and each window's
 * start from ?first on, then steps to its one row. */
static int nested_row(struct mctx *c, sqlite3_stmt *st, long long lo, long long to,
	const long long *from, int first, const char *context, okdf_err *e)
{
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, to);
	for (int k = 0; k < MAX_NESTED; k++)
		sqlite3_bind_int64(st, first + k, from[k]);
	return sqlite3_step(st) == SQLITE_ROW ? OKDF_OK : db_error(c->db, e, context);
}

static int extras_nested(struct mctx *c, const metrics_window *const *w, int n, int parts,
	struct window_extras *x, okdf_err *e)
{
	memset(x, 0, (size_t)n * sizeof *x);
	long long from[MAX_NESTED], to = w[0]->to;
	for (int k = 0; k < MAX_NESTED; k++)
		from[k] = w[k < n ? k : n - 1]->from;
	long long lo = from[0] < from[1] ? from[0] : from[1];
	lo = lo < from[2] ? lo : from[2];
	int rc = OKDF_OK;
	if (parts & PART_REPEAT)
		rc = repeat_nested(c, from, n, to, x, e);
	sqlite3_stmt *st;
	if (!rc && (parts & PART_RECOVERY)) {
		/* ?1 earliest start, ?2 end, ?3 now, ?4..?6 each window's start. */
		rc = db_prepare(c->db,
			"SELECT"
			" COALESCE(SUM(CASE WHEN created_at >= ?4 THEN total_minor END), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ?4 AND completed_at <= ?3"
			"  THEN total_minor END), 0),"
			" COALESCE(SUM(created_at >= ?4), 0),"
			" COALESCE(SUM(created_at >= ?4 AND completed_at <= ?3), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ?5 THEN total_minor END), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ?5 AND completed_at <= ?3"
			"  THEN total_minor END), 0),"
			" COALESCE(SUM(created_at >= ?5), 0),"
			" COALESCE(SUM(created_at >= ?5 AND completed_at <= ?3), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ?6 THEN total_minor END), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ?6 AND completed_at <= ?3"
			"  THEN total_minor END), 0),"
			" COALESCE(SUM(created_at >= ?6), 0),"
			" COALESCE(SUM(created_at >= ?6 AND completed_at <= ?3), 0)"
			" FROM abandoned_checkouts WHERE created_at >= ?1 AND created_at < ?2", &st, e);
		if (!rc) {
			sqlite3_bind_int64(st, 3, c->now);
			rc = nested_row(c, st, lo, to, from, 4, "reading abandoned checkouts", e);
			for (int k = 0; !rc && k < n; k++) {
				x[k].abandoned = sqlite3_column_int64(st, 4 * k);
				x[k].recovered = sqlite3_column_int64(st, 4 * k + 1);
				x[k].abandoned_n = sqlite3_column_int64(st, 4 * k + 2);
				x[k].recovered_n = sqlite3_column_int64(st, 4 * k + 3);
			}
			sqlite3_finalize(st);
		}
	}
	if (!rc && (parts & PART_AGENT)) {
		rc = db_prepare(c->db,
			"SELECT COALESCE(SUM(created_at >= ?3), 0),"
			" COALESCE(SUM(created_at >= ?3 AND agent_alone), 0),"
			" COALESCE(SUM(created_at >= ?4), 0),"
			" COALESCE(SUM(created_at >= ?4 AND agent_alone), 0),"
			" COALESCE(SUM(created_at >= ?5), 0),"
			" COALESCE(SUM(created_at >= ?5 AND agent_alone), 0)"
			" FROM (SELECT created_at, state = 'completed' AND NOT EXISTS (SELECT 1"
			"  FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
			"  ('escalated', 'pending-approval', 'errored-pending-approval')) AS agent_alone"
			"  FROM conversations c WHERE created_at >= ?1 AND created_at < ?2)", &st, e);
		if (!rc) {
			rc = nested_row(c, st, lo, to, from, 3, "reading conversations", e);
			for (int k = 0; !rc && k < n; k++) {
				x[k].conversations = sqlite3_column_int64(st, 2 * k);
				x[k].agent_resolved = sqlite3_column_int64(st, 2 * k + 1);
			}
			sqlite3_finalize(st);
		}
	}
	return rc;
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
		r->net_revenue = num(gross - refunds, L_NET);
		r->orders = num(count, L_ORDERS);
		r->aov = ratio(gross, count, 1, L_AOV);
	}
	if (parts & PART_HOURS) {
		if ((rc = ctx_spans(c, w->from, w->to, e)))
			return rc;
		long long secs = hours_spans_clip_seconds(c->spans, c->n_spans, w->from, w->to);
		r->operator_seconds = num(secs, L_HOURS);
		r->rpoh = ratio(r->net_revenue.value, secs, 3600, L_RPOH);
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
	if ((parts & PART_ADS) && (rc = ads(c, w, r, e)))
		goto fail;
	return OKDF_OK;
fail:
	metrics_result_free(r);
	return rc;
}

void metrics_result_free(metrics_result *r)
{
	free(r->ttr.products);
	free(r->ttr.in_flight);
	r->ttr.products = NULL;
	r->ttr.in_flight = NULL;
	r->ttr.n_products = r->ttr.n_in_flight = 0;
}

int metrics_compute(sqlite3 *db, const char *window, long long now, metrics_result *r,
	okdf_err *e)
{
	memset(r, 0, sizeof *r);
	struct mctx c;
	int rc = ctx_open(db, now, &c, e);
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
	ctx_free(&c);
	return rc;
}

int metrics_dashboard_compute(sqlite3 *db, long long now, metrics_dashboard *d, okdf_err *e)
{
	memset(d, 0, sizeof *d);
	struct mctx c;
	int rc = ctx_open(db, now, &c, e);
	if (rc)
		return rc;
	static const int days[METRICS_DASH_N] = { 1, 7, METRICS_SERIES_DAYS };
	metrics_window w[METRICS_DASH_N];
	for (int i = 0; i < METRICS_DASH_N && !rc; i++)
		rc = window_days(c.tz, now, days[i], 0, &w[i], e);
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
	ctx_free(&c);
	if (rc)
		metrics_dashboard_free(d);
	return rc;
}

void metrics_dashboard_free(metrics_dashboard *d)
{
	for (int i = 0; i < METRICS_DASH_N; i++)
		metrics_result_free(&d->window[i]);
}

/* ---- automatic phase checks ---- */

/* Opens the context for a check: OKDF_OK, or 1 with *state = NO_DATA when no
 * shop is synced yet, or a negative status with the error in why. */
static int check_open(sqlite3 *db, long long now, struct mctx *c, int *state, char *why,
	size_t n)
{
	okdf_err e = { 0 };
	int rc = ctx_open(db, now, c, &e);
	if (rc == OKDF_ENOTFOUND) {
		*state = MCHECK_NO_DATA;
		snprintf(why, n, "no shop data synced yet");
		return 1;
	}
	if (rc) {
		snprintf(why, n, "%s", e.msg);
		return rc;
	}
	return OKDF_OK;
}

/* Runs compute over n shop days ending `ago` days ago. */
static int check_window(struct mctx *c, int n_days, int ago, int parts, metrics_result *r,
	char *why, size_t n)
{
	okdf_err e = { 0 };
	metrics_window w;
	int rc = window_days(c->tz, c->now, n_days, ago, &w, &e);
	if (!rc)
		rc = compute(c, &w, parts, NULL, r, &e);
	if (rc)
		snprintf(why, n, "%s", e.msg);
	return rc;
}

/* check_open and check_window for checks that need one window: OKDF_OK with
 * *r computed, 1 with the NO_DATA verdict given, or an error in why. */
static int check_compute(sqlite3 *db, long long now, int n_days, int ago, int parts,
	metrics_result *r, int *state, char *why, size_t n)
{
	struct mctx c;
	int rc = check_open(db, now, &c, state, why, n);
	if (rc)
		return rc;
	rc = check_window(&c, n_days, ago, parts, r, why, n);
	ctx_free(&c);
	return rc;
}

static void pct(long long bp, char *buf, size_t n)
{
	snprintf(buf, n, "%lld.%02lld%%", bp / 100, bp % 100);
}

int metrics_check_baseline(sqlite3 *db, long long now, int *state, char *why, size_t n)
{
	struct mctx c;
	int rc = check_open(db, now, &c, state, why, n);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	long long orders = 0;
	okdf_err e = { 0 };
	metrics_window w_all = { .spec = "all", .all = 1, .from = 0, .to = now + 1 };
	metrics_result all, month;
	rc = range_query(&c, "SELECT EXISTS (SELECT 1 FROM orders WHERE processed_at >= ?1"
		" AND processed_at < ?2 AND test = 0)", 0, now + 1, NULL, &orders, 1, &e);
	if (!rc)
		rc = compute(&c, &w_all, PART_TTR, NULL, &all, &e);
	if (rc) {
		snprintf(why, n, "%s", e.msg);
		ctx_free(&c);
		return rc;
	}
	rc = check_window(&c, METRICS_SERIES_DAYS, 0, PART_HOURS, &month, why, n);
	ctx_free(&c);
	if (rc) {
		metrics_result_free(&all);
		return rc;
	}
	if (!orders) {
		*state = MCHECK_NO_DATA;
		snprintf(why, n, "no orders synced yet");
	} else if (!all.ttr.n_products) {
		*state = MCHECK_FAIL;
		snprintf(why, n, "no product has a first sale yet, so TTR has no baseline");
	} else if (!month.rpoh.has) {
		*state = MCHECK_FAIL;
		snprintf(why, n, "no operator hours recorded in the last 30 days, so RPOH is undefined");
	} else {
		*state = MCHECK_PASS;
		char rpoh[32];
		money_format(month.rpoh.value, month.exponent, rpoh, sizeof rpoh);
		snprintf(why, n, "TTR over %d product(s); 30-day RPOH %s %s/h", all.ttr.n_products,
			rpoh, month.currency);
	}
	metrics_result_free(&all);
	metrics_result_free(&month);
	return OKDF_OK;
}

int metrics_check_cart_recovery(sqlite3 *db, long long now, int *state, char *why, size_t n)
{
	metrics_result r;
	int rc = check_compute(db, now, 30, 7, PART_RECOVERY, &r, state, why, n);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	char p[32];
	if (!r.recovery_rate.has) {
		*state = MCHECK_NO_DATA;
		snprintf(why, n, "no abandoned checkouts in the 30 days ending 7 days ago");
	} else {
		pct(r.recovery_rate.value, p, sizeof p);
		*state = r.recovery_rate.value >= 1000 ? MCHECK_PASS : MCHECK_FAIL;
		snprintf(why, n, "recovered %s of abandoned checkout value (%lld of %lld checkouts), "
			"%s to %04d-%02d-%02d; needs >= 10%%", p, r.recovered_count.value,
			r.abandoned_count.value, r.window.spec, r.window.last.y, r.window.last.m,
			r.window.last.d);
	}
	metrics_result_free(&r);
	return OKDF_OK;
}

int metrics_check_agent_share(sqlite3 *db, long long now, int *state, char *why, size_t n)
{
	metrics_result r;
	int rc = check_compute(db, now, 14, 0, PART_AGENT, &r, state, why, n);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	char p[32];
	if (!r.agent_share.has) {
		*state = MCHECK_NO_DATA;
		snprintf(why, n, "no agent conversations in the last 14 days");
	} else {
		pct(r.agent_share.value, p, sizeof p);
		*state = r.agent_share.value >= 8000 ? MCHECK_PASS : MCHECK_FAIL;
		snprintf(why, n, "agent resolved %s of %lld conversations in 14 days; needs >= 80%%",
			p, r.conversations.value);
	}
	metrics_result_free(&r);
	return OKDF_OK;
}

int metrics_check_ttr_median(sqlite3 *db, long long now, int *state, char *why, size_t n)
{
	metrics_result r;
	int rc = check_compute(db, now, 90, 0, PART_TTR, &r, state, why, n);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	if (!r.ttr.has_median) {
		*state = MCHECK_NO_DATA;
		snprintf(why, n, "no product had its first sale in the last 90 days");
	} else {
		*state = r.ttr.median_days <= 14.0 ? MCHECK_PASS : MCHECK_FAIL;
		snprintf(why, n, "median TTR %.1f days over %d product(s) in 90 days; needs <= 14",
			r.ttr.median_days, r.ttr.count);
	}
	metrics_result_free(&r);
	return OKDF_OK;
}

int metrics_check_rpoh_30d(sqlite3 *db, long long now, int *state, char *why, size_t n)
{
	metrics_result r;
	int rc = check_compute(db, now, METRICS_SERIES_DAYS, 0, PART_HOURS, &r, state, why, n);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	int exponent = r.exponent;
	if (!r.rpoh.has) {
		*state = MCHECK_NO_DATA;
		snprintf(why, n, "no operator hours recorded in the last 30 days");
	} else {
		char v[32];
		money_format(r.rpoh.value, exponent, v, sizeof v);
		*state = r.rpoh.value >= 500 * pow10ll(exponent) ? MCHECK_PASS : MCHECK_FAIL;
		snprintf(why, n, "30-day RPOH %s %s/h over %.1f hours; needs >= 500", v, r.currency,
			(double)r.operator_seconds.value / 3600.0);
	}
	metrics_result_free(&r);
	return OKDF_OK;
}

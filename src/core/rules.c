#include "okdf/core/rules.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/core/money.h"
#include "okdf/core/rule_merge.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/metrics.h"
#include "okdf/store/phases.h"
#include "okdf/store/rollups.h"
#include "okdf/store/rules.h"
#include "okdf/store/settings.h"
#include "okdf/store/shop.h"

#define DAY 86400LL

typedef struct rule_ctx {
	okdf_db *db;
	const okdf_rules_config *cfg;
	long long now;
	rule_merge *merge; /* one escalation per source event */
} rule_ctx;

/* Episodes: begin marks every condition of rule unseen, hold marks one
 * seen (starting it when new), end forgets those not seen this time. */
static int episodes_begin(rule_ctx *c, const char *rule, okdf_err *e)
{
	return rule_episodes_unsee(c->db, rule, e);
}

static int episode_hold(rule_ctx *c, const char *rule, const char *cond, long long *started,
	int *is_new, okdf_err *e)
{
	return rule_episodes_hold(c->db, rule, cond, c->now, started, is_new, e);
}

static int episodes_end(rule_ctx *c, const char *rule, okdf_err *e)
{
	return rule_episodes_forget(c->db, rule, e);
}

struct ended {
	rule_ctx *c;
	const char *rule, *cleared;
	okdf_err *e;
};

static int resolve_ended(void *ctx, const char *cond, long long started)
{
	struct ended *x = ctx;
	char key[256], note[384];
	snprintf(key, sizeof key, "anomaly.%s:%s:%lld", x->rule, cond, started);
	snprintf(note, sizeof note, "Resolved automatically: %s (%s).", x->cleared, cond);
	int resolved;
	return inbox_resolve_cleared(x->c->db, key, note, x->c->now, &resolved, x->e);
}

/* As episodes_end, for an anomaly rule: the escalation of each episode that
 * ended ("anomaly.RULE:CONDITION:STARTED") is resolved with a note saying
 * what cleared. */
static int anomalies_end(rule_ctx *c, const char *rule, const char *cleared, okdf_err *e)
{
	struct ended x = { c, rule, cleared, e };
	int rc = rule_episodes_unseen_each(c->db, rule, resolve_ended, &x, e);
	return rc ? rc : episodes_end(c, rule, e);
}

/* How far a connector's data is complete: the end of its last finished pass
 * (at most now). 0 while it has never finished one (a first sync, killed
 * or still running): nothing of it may be judged. A store no sync wrote
 * (no health row) is complete up to now. */
static int complete_until(rule_ctx *c, const char *connector, long long *until, okdf_err *e)
{
	int found = 0;
	long long last = 0;
	int rc = connector_health_success_get(c->db, connector, &found, &last, e);
	*until = found && last < c->now ? last : c->now;
	return rc;
}

/* rule_state: small remembered values. *value "" when unset. */
static int state_get(rule_ctx *c, const char *key, char *value, size_t n, okdf_err *e)
{
	return rule_state_get(c->db, key, value, n, e);
}

static int state_set(rule_ctx *c, const char *key, const char *value, okdf_err *e)
{
	return rule_state_set(c->db, key, value, c->now, e);
}

/* Raises one escalation; takes ownership of evidence. */
static int rule_raise(rule_ctx *c, const char *kind, const char *severity, const char *source,
	cJSON *evidence, const char *key, okdf_err *e, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static int rule_raise(rule_ctx *c, const char *kind, const char *severity, const char *source,
	cJSON *evidence, const char *key, okdf_err *e, const char *fmt, ...)
{
	char title[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(title, sizeof title, fmt, ap);
	va_end(ap);
	return rule_merge_add(c->merge, kind, severity, source, title, evidence, key, e);
}

static void add_time(cJSON *o, const char *name, long long t)
{
	char buf[32];
	time_format_utc(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, name, buf);
}

struct scan {
	rule_ctx *c;
	okdf_err *e;
};

static int policy_row_raise(void *ctx, const policy_row *r)
{
	rule_ctx *c = ((struct scan *)ctx)->c;
	okdf_err *e = ((struct scan *)ctx)->e;
	char cond[160], key[256];
	snprintf(cond, sizeof cond, "%s:%s", r->account ? "account" : "ad", r->id);
	long long started;
	int is_new;
	int rc = episode_hold(c, "policy", cond, &started, &is_new, e);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "crisis.policy_violation:%s:%lld", cond, started);
	cJSON *ev = cJSON_CreateObject();
	add_time(ev, "since", started);
	if (r->account) {
		cJSON_AddStringToObject(ev, "account_id", r->id);
		cJSON_AddNumberToObject(ev, "account_status", r->account_status);
		cJSON_AddNumberToObject(ev, "baseline_status", 1);
		return rule_raise(c, "crisis.policy_violation", "critical", "meta/policy", ev, key, e,
			"Meta ad account %s is not active (status %d)", r->name, r->account_status);
	}
	cJSON_AddStringToObject(ev, "ad_id", r->id);
	cJSON_AddStringToObject(ev, "campaign_id", r->campaign_id);
	cJSON_AddStringToObject(ev, "effective_status", "DISAPPROVED");
	return rule_raise(c, "crisis.policy_violation", "high", "meta/policy", ev, key, e,
		"Meta ad disapproved: %s", r->name);
}

/* crisis.policy_violation */
static int rule_policy(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "policy", e);
	if (rc)
		return rc;
	struct scan x = { c, e };
	rc = policy_violations_each(c->db, policy_row_raise, &x, e);
	return rc ? rc : episodes_end(c, "policy", e);
}

/* Keywords about harm to a customer point at a recall, not just a bad review. */
static int harm_keyword(const char *kw)
{
	static const char *const harm[] = { "recall", "injur", "allerg", "burn", "rash",
		"unsafe", "hazard", "chok", "poison", "sick", "hospital", "toxic", NULL };
	for (const char *const *h = harm; *h; h++)
		if (strncmp(kw, *h, strlen(*h)) == 0)
			return 1;
	return 0;
}

/* True when kw (lower case) starts a word in text, case-insensitively. */
static int has_word_prefix(const char *text, const char *kw)
{
	size_t k = strlen(kw);
	if (!k)
		return 0;
	for (const char *p = text; *p; p++) {
		if (p != text && isalnum((unsigned char)p[-1]))
			continue;
		if (strncasecmp(p, kw, k) == 0)
			return 1;
	}
	return 0;
}

#define MAX_KEYWORDS 32

static int json_array_has(const cJSON *arr, const char *s)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return 1;
	return 0;
}

struct keyword_group {
	const char *kind, *cond;
	int count;
	cJSON *items, *hits;
};

struct keyword_scan {
	struct keyword_group *groups; /* [0] harm, [1] complaints */
	char **kws;
	int nkw;
};

static int keyword_match(void *ctx, const char *kind, const char *id, const char *text)
{
	struct keyword_scan *x = ctx;
	for (int g = 0; g < 2; g++) {
		struct keyword_group *kg = &x->groups[g];
		int matched = 0;
		for (int k = 0; k < x->nkw; k++) {
			if (harm_keyword(x->kws[k]) != (g == 0) || !has_word_prefix(text, x->kws[k]))
				continue;
			matched = 1;
			if (!json_array_has(kg->hits, x->kws[k]))
				cJSON_AddItemToArray(kg->hits, cJSON_CreateString(x->kws[k]));
		}
		if (!matched)
			continue;
		kg->count++;
		if (cJSON_GetArraySize(kg->items) < 20) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "type", kind);
			cJSON_AddStringToObject(item, "id", id);
			cJSON_AddItemToArray(kg->items, item);
		}
	}
	return OKDF_OK;
}

/* crisis.recall / crisis.negative_review from keywords. */
static int rule_keywords(rule_ctx *c, okdf_err *e)
{
	char list[sizeof c->cfg->keywords];
	snprintf(list, sizeof list, "%s", c->cfg->keywords);
	char *kws[MAX_KEYWORDS];
	int nkw = 0;
	for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok && nkw < MAX_KEYWORDS;
		tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		for (char *p = tok; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (*tok)
			kws[nkw++] = tok;
	}
	int rc = episodes_begin(c, "keywords", e);
	if (rc || !nkw)
		return rc ? rc : episodes_end(c, "keywords", e);

	struct keyword_group groups[2] = {
		{ "crisis.recall", "recall", 0, cJSON_CreateArray(), cJSON_CreateArray() },
		{ "crisis.negative_review", "negative", 0, cJSON_CreateArray(), cJSON_CreateArray() },
	};
	struct keyword_scan x = { groups, kws, nkw };
	rc = customer_texts_each(c->db, c->now, keyword_match, &x, e);
	for (int g = 0; g < 2; g++) {
		if (!rc && groups[g].count >= c->cfg->keyword_min_count) {
			long long started;
			int is_new;
			rc = episode_hold(c, "keywords", groups[g].cond, &started, &is_new, e);
			if (!rc) {
				char key[128];
				snprintf(key, sizeof key, "%s:keywords:%lld", groups[g].kind, started);
				cJSON *ev = cJSON_CreateObject();
				cJSON_AddNumberToObject(ev, "matches_24h", groups[g].count);
				cJSON_AddNumberToObject(ev, "threshold", c->cfg->keyword_min_count);
				cJSON_AddItemToObject(ev, "keywords", groups[g].hits);
				cJSON_AddItemToObject(ev, "items", groups[g].items);
				add_time(ev, "since", started);
				groups[g].hits = groups[g].items = NULL;
				rc = rule_raise(c, groups[g].kind, "critical", "rules/keywords", ev, key, e,
					"%d customer message%s or refund note%s in 24 h mention %s", groups[g].count,
					groups[g].count == 1 ? "" : "s", groups[g].count == 1 ? "" : "s",
					g == 0 ? "harm or a recall" : "complaint keywords");
			}
		}
		cJSON_Delete(groups[g].hits);
		cJSON_Delete(groups[g].items);
	}
	return rc ? rc : episodes_end(c, "keywords", e);
}

struct defect_scan {
	rule_ctx *c;
	okdf_err *e;
	int total;
};

static int defect_raise(void *ctx, const refund_product_row *r)
{
	struct defect_scan *x = ctx;
	char cond[160], key[256];
	snprintf(cond, sizeof cond, "product:%s", r->product_id);
	long long started;
	int is_new;
	int rc = episode_hold(x->c, "defect", cond, &started, &is_new, x->e);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "crisis.recall:defect:%s:%lld", r->product_id, started);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "product_id", r->product_id);
	cJSON_AddNumberToObject(ev, "product_refunds_24h", r->refunds);
	cJSON_AddNumberToObject(ev, "refunds_24h", x->total);
	cJSON_AddItemToObject(ev, "refund_ids", cJSON_Parse(r->refund_ids_json));
	add_time(ev, "since", started);
	return rule_raise(x->c, "crisis.recall", "critical", "shopify/defect", ev, key, x->e,
		"Possible product defect: %d of %d refunds in 24 h are for %s", r->refunds, x->total,
		r->title);
}

/* crisis.recall "possible product defect": refunds concentrated on one product. */
static int rule_defect(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "defect", e);
	if (rc)
		return rc;
	struct defect_scan x = { c, e, 0 };
	rc = refunds_count(c->db, c->now - DAY, c->now, &x.total, e);
	if (rc || x.total < c->cfg->refund_spike_min)
		return rc ? rc : episodes_end(c, "defect", e);
	rc = refund_products_each(c->db, c->now, x.total, defect_raise, &x, e);
	return rc ? rc : episodes_end(c, "defect", e);
}

/* anomaly.refund_spike: the 24 h up to where Shopify's data is complete. */
static int rule_refund_spike(rule_ctx *c, okdf_err *e)
{
	long long until;
	int rc = complete_until(c, "shopify", &until, e);
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
		add_time(ev, "since", started);
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
	store_sales *sales;
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

/* anomaly.revenue_drop: today so far, cut where Shopify's data is complete. */
static int rule_revenue_drop(rule_ctx *c, okdf_err *e)
{
	long long until;
	int rc = complete_until(c, "shopify", &until, e);
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
	const char *tz = shop.timezone, *currency = shop.currency;
	/* No shop synced yet, or a zone this system lacks: nothing to compare. */
	if (!tz[0] || !tz_valid(tz))
		return anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e);

	okdf_date today;
	long long start;
	if (tz_date_of(tz, c->now, &today, e) || tz_day_start(tz, today, &start, e))
		return anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e);
	/* Today's orders arrive last in a pass: judge today only as far as a
	 * finished pass has brought it, and not at all before one has. */
	if (until <= start)
		return OKDF_OK;
	long long elapsed = until - start;
	long long today_minor;
	int today_orders;
	rc = order_revenue(c, start, until, &today_minor, &today_orders, e);
	if (rc)
		return rc;
	long long base_minor = 0;
	int base_orders = 0;
	cJSON *weeks = cJSON_CreateArray();
	for (int k = 1; k <= 4 && !rc; k++) {
		okdf_date d = date_add_days(today, -7 * k);
		long long s, minor;
		int n;
		if (tz_day_start(tz, d, &s, e)) {
			rc = OKDF_EFAIL;
			break;
		}
		rc = order_revenue(c, s, s + elapsed, &minor, &n, e);
		if (!rc && money_add(&base_minor, minor)) {
			rc = OKDF_EFAIL; /* sums beyond 64 bits: no baseline to judge by */
			break;
		}
		base_orders += n;
		cJSON_AddItemToArray(weeks, cJSON_CreateNumber((double)minor));
	}
	if (rc) {
		cJSON_Delete(weeks);
		return rc == OKDF_EFAIL ? anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e) : rc;
	}
	long long avg_minor = base_minor / 4;
	/* Sums of stored amounts: compared in 128 bits, never wrapped. */
	__extension__ typedef __int128 wide;
	if (base_orders >= 4 * c->cfg->revenue_drop_min_orders && base_orders > 0 &&
		(wide)today_minor * 2 < avg_minor) {
		char day[16], cond[32], key[96];
		date_format(today, day, sizeof day);
		snprintf(cond, sizeof cond, "day:%s", day);
		long long started;
		int is_new;
		rc = episode_hold(c, "revenue_drop", cond, &started, &is_new, e);
		if (rc) {
			cJSON_Delete(weeks);
			return rc;
		}
		snprintf(key, sizeof key, "anomaly.revenue_drop:%s:%lld", cond, started);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "shop_day", day);
		cJSON_AddStringToObject(ev, "timezone", tz);
		cJSON_AddStringToObject(ev, "currency", currency);
		cJSON_AddNumberToObject(ev, "cut_seconds", (double)elapsed);
		cJSON_AddNumberToObject(ev, "today_minor", (double)today_minor);
		cJSON_AddNumberToObject(ev, "today_orders", today_orders);
		cJSON_AddNumberToObject(ev, "baseline_minor", (double)avg_minor);
		cJSON_AddNumberToObject(ev, "baseline_orders", base_orders / 4.0);
		cJSON_AddNumberToObject(ev, "delta_minor", (double)(today_minor - avg_minor));
		cJSON_AddItemToObject(ev, "same_weekday_minor", weeks);
		weeks = NULL;
		int pct = avg_minor ? (int)((wide)today_minor * 100 / avg_minor) : 0;
		rc = rule_raise(c, "anomaly.revenue_drop", "high", "shopify/revenue_drop", ev, key, e,
			"Revenue so far today is %d%% of the same weekday's average", pct);
	}
	cJSON_Delete(weeks);
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
	add_time(ev, "last_success_at", last);
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

static int rule_sync_down(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "sync_down", e);
	if (rc)
		return rc;
	struct scan x = { c, e };
	rc = connector_health_down_each(c->db, c->now, c->cfg->sync_down_intervals,
		sync_down_raise, &x, e);
	return rc ? rc : anomalies_end(c, "sync_down", "the connector synced again", e);
}

static int budget_raise_check(void *ctx, const budget_change_row *r)
{
	rule_ctx *c = ((struct scan *)ctx)->c;
	okdf_err *e = ((struct scan *)ctx)->e;
	if (!r->has_previous)
		return OKDF_OK;
	long long now_b = r->daily_budget_minor, prev = r->previous_minor;
	/* Stored budgets are at most MONEY_MAX_MINOR; the products still need 128 bits. */
	__extension__ typedef __int128 wide;
	if (prev <= 0 || (wide)now_b * 100 <= (wide)prev * (100 + c->cfg->budget_raise_pct))
		return OKDF_OK;
	long long raise = (long long)(((wide)now_b - prev) * 100 / prev);
	char key[256];
	snprintf(key, sizeof key, "budget.scale:raise:%s:%lld", r->campaign_id, r->observed_at);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "campaign_id", r->campaign_id);
	cJSON_AddStringToObject(ev, "currency", r->currency);
	cJSON_AddNumberToObject(ev, "previous_minor", (double)prev);
	cJSON_AddNumberToObject(ev, "daily_budget_minor", (double)now_b);
	cJSON_AddNumberToObject(ev, "delta_minor", (double)(now_b - prev));
	cJSON_AddNumberToObject(ev, "raise_pct", (double)raise);
	cJSON_AddNumberToObject(ev, "threshold_pct", c->cfg->budget_raise_pct);
	cJSON_AddNumberToObject(ev, "revert_to_minor", (double)prev);
	add_time(ev, "observed_at", r->observed_at);
	return rule_raise(c, "budget.scale", "high", "meta/budget", ev, key, e,
		"Daily budget of %s raised %lld%% (%lld -> %lld minor units)", r->name,
		raise, prev, now_b);
}

/* budget.scale: a raise above budget_raise_pct vs the previous budget. */
static int rule_budget_raise(rule_ctx *c, okdf_err *e)
{
	struct scan x = { c, e };
	return campaign_budgets_latest_each(c->db, budget_raise_check, &x, e);
}

/* The approved cap: the operator's setting wins over config; 0 = none. */
static int budget_cap(rule_ctx *c, long long *cap, const char **source, okdf_err *e)
{
	*cap = c->cfg->budget_cap_minor;
	*source = "config";
	char value[64];
	int found;
	int rc = setting_get(c->db, "budget_cap_minor", value, sizeof value, &found, e);
	if (!rc && found) {
		char *end;
		errno = 0;
		long long v = strtoll(value, &end, 10);
		if (*end == '\0' && !errno && v > 0) {
			*cap = v;
			*source = "settings";
		}
	}
	return rc;
}

struct cap_scan {
	rule_ctx *c;
	okdf_err *e;
	long long cap;
	const char *source;
};

static int budget_cap_raise(void *ctx, const budget_over_row *r)
{
	struct cap_scan *x = ctx;
	long long cap = x->cap, budget = r->daily_budget_minor;
	long long revert = r->has_revert ? r->revert_minor : cap;
	char cond[160], key[256];
	snprintf(cond, sizeof cond, "campaign:%s", r->campaign_id);
	long long started;
	int is_new;
	int rc = episode_hold(x->c, "budget_cap", cond, &started, &is_new, x->e);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "budget.scale:cap:%s:%lld", r->campaign_id, started);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "campaign_id", r->campaign_id);
	cJSON_AddStringToObject(ev, "currency", r->currency);
	cJSON_AddNumberToObject(ev, "daily_budget_minor", (double)budget);
	cJSON_AddNumberToObject(ev, "cap_minor", (double)cap);
	cJSON_AddStringToObject(ev, "cap_source", x->source);
	cJSON_AddNumberToObject(ev, "delta_minor", (double)(budget - cap));
	cJSON_AddNumberToObject(ev, "revert_to_minor", (double)revert);
	add_time(ev, "since", started);
	return rule_raise(x->c, "budget.scale", "high", "meta/budget", ev, key, x->e,
		"Daily budget of %s is above the approved cap (%lld > %lld minor units)",
		r->name, budget, cap);
}

/* budget.scale: a daily budget above the approved cap. */
static int rule_budget_cap(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "budget_cap", e);
	if (rc)
		return rc;
	struct cap_scan x = { c, e, 0, NULL };
	rc = budget_cap(c, &x.cap, &x.source, e);
	if (rc || x.cap <= 0)
		return rc ? rc : episodes_end(c, "budget_cap", e);
	rc = campaigns_over_cap_each(c->db, x.cap, budget_cap_raise, &x, e);
	return rc ? rc : episodes_end(c, "budget_cap", e);
}

static int spend_spike_check(void *ctx, const spend_day_row *r)
{
	rule_ctx *c = ((struct scan *)ctx)->c;
	okdf_err *e = ((struct scan *)ctx)->e;
	okdf_date d;
	if (time_parse_date(r->day, &d, NULL))
		return OKDF_OK;
	char from[16];
	date_format(date_add_days(d, -7), from, sizeof from);
	long long trailing, spend = r->spend_minor;
	int rc = ad_insights_spend_sum(c->db, r->campaign_id, from, r->day, &trailing, e);
	if (rc)
		return rc;
	/* spend > pct% of trailing / 7, in integers. */
	__extension__ typedef __int128 wide;
	if (trailing <= 0 || (wide)spend * 100 * 7 <= (wide)c->cfg->spend_spike_pct * trailing)
		return OKDF_OK;
	char key[256];
	snprintf(key, sizeof key, "budget.scale:spend:%s:%s", r->campaign_id, r->day);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "campaign_id", r->campaign_id);
	cJSON_AddStringToObject(ev, "day", r->day);
	cJSON_AddStringToObject(ev, "currency", r->currency);
	cJSON_AddNumberToObject(ev, "spend_minor", (double)spend);
	cJSON_AddNumberToObject(ev, "baseline_minor", (double)(trailing / 7));
	cJSON_AddNumberToObject(ev, "delta_minor", (double)(spend - trailing / 7));
	cJSON_AddNumberToObject(ev, "threshold_pct", c->cfg->spend_spike_pct);
	return rule_raise(c, "budget.scale", "high", "meta/spend", ev, key, e,
		"Spend of %s on %s is %lld%% of its 7-day average", r->name, r->day,
		(long long)((wide)spend * 100 * 7 / trailing));
}

/* budget.scale: a day's spend far above the 7 days before it. */
static int rule_spend_spike(rule_ctx *c, okdf_err *e)
{
	okdf_date recent = date_from_days((c->now - 2 * DAY) / DAY);
	char since[16];
	date_format(recent, since, sizeof since);
	struct scan x = { c, e };
	return ad_insights_latest_each(c->db, since, spend_spike_check, &x, e);
}

struct product_scan {
	rule_ctx *c;
	okdf_err *e;
	const char *baseline;
	int any;
};

static int new_product_check(void *ctx, const char *pid, const char *title, long long updated)
{
	struct product_scan *x = ctx;
	rule_ctx *c = x->c;
	x->any = 1;
	char cond[160], key[256];
	snprintf(cond, sizeof cond, "product:%s", pid);
	long long started;
	int is_new;
	int rc = episode_hold(c, "new_product", cond, &started, &is_new, x->e);
	/* A change older than a week is an old product seen late, not a launch. */
	if (rc || !is_new || !x->baseline[0] || updated < c->now - 7 * DAY)
		return rc;
	snprintf(key, sizeof key, "budget.new_product:%s:%lld", pid, started);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "product_id", pid);
	cJSON_AddStringToObject(ev, "status", "active");
	add_time(ev, "updated_at", updated);
	return rule_raise(c, "budget.new_product", "normal", "shopify/products", ev, key, x->e,
		"New product active: %s", title);
}

/* budget.new_product */
static int rule_new_product(rule_ctx *c, okdf_err *e)
{
	char baseline[32];
	int rc = state_get(c, "new_product.baseline", baseline, sizeof baseline, e);
	if (!rc)
		rc = episodes_begin(c, "new_product", e);
	if (rc)
		return rc;
	struct product_scan x = { c, e, baseline, 0 };
	rc = products_active_each(c->db, new_product_check, &x, e);
	if (!rc && x.any && !baseline[0]) {
		char v[32];
		snprintf(v, sizeof v, "%lld", c->now);
		rc = state_set(c, "new_product.baseline", v, e);
	}
	return rc ? rc : episodes_end(c, "new_product", e);
}

/* budget.new_market */
static int rule_new_market(rule_ctx *c, okdf_err *e)
{
	store_new_market *m;
	int n;
	int rc = markets_new_list(c->db, c->now, &m, &n, e);
	for (int i = 0; i < n && !rc; i++) {
		char key[96];
		snprintf(key, sizeof key, "budget.new_market:%s", m[i].country);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "country", m[i].country);
		cJSON_AddStringToObject(ev, "first_order_id", m[i].first_order_id);
		add_time(ev, "first_order_at", m[i].first_at);
		cJSON_AddNumberToObject(ev, "orders", (double)m[i].orders);
		rc = rule_raise(c, "budget.new_market", "normal", "shopify/orders", ev, key, e,
			"First order shipping to a new country: %s", m[i].country);
	}
	free(m);
	return rc;
}

/* brand.positioning */
static int rule_brand(rule_ctx *c, okdf_err *e)
{
	char seen[80], sha[80] = "", path[512] = "";
	int rc = state_get(c, "brand.sha256", seen, sizeof seen, e);
	if (rc)
		return rc;
	rc = brand_brief_get(c->db, sha, sizeof sha, path, sizeof path, e);
	if (rc)
		return rc;
	if (!sha[0] || strcmp(sha, seen) == 0)
		return OKDF_OK;
	if (seen[0]) {
		char key[256];
		snprintf(key, sizeof key, "brand.positioning:%s:%s:%lld", seen, sha, c->now);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "path", path);
		cJSON_AddStringToObject(ev, "previous_sha256", seen);
		cJSON_AddStringToObject(ev, "sha256", sha);
		rc = rule_raise(c, "brand.positioning", "high", "rules/brand", ev, key, e,
			"The brand brief changed: positioning needs review");
	}
	return rc ? rc : state_set(c, "brand.sha256", sha, e);
}

static int approval_raise(void *ctx, const approval_row *r)
{
	rule_ctx *c = ((struct scan *)ctx)->c;
	okdf_err *e = ((struct scan *)ctx)->e;
	char cond[160], key[256];
	snprintf(cond, sizeof cond, "conversation:%s", r->conversation_id);
	long long started;
	int is_new;
	int rc = episode_hold(c, "agent_approval", cond, &started, &is_new, e);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "agent.approval:%s:%lld", r->conversation_id, started);
	int escalated = strcmp(r->state, "escalated") == 0;
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "conversation_id", r->conversation_id);
	cJSON_AddStringToObject(ev, "agent_id", r->agent_id);
	cJSON_AddStringToObject(ev, "agent_name", r->agent_name);
	cJSON_AddStringToObject(ev, "state", r->state);
	add_time(ev, "since", started);
	return rule_raise(c, "agent.approval", escalated ? "high" : "normal", "relevance/tasks", ev,
		key, e, "%s: %s", escalated ? "Agent escalated" : "Agent awaits approval", r->title);
}

/* agent.approval */
static int rule_agent_approval(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "agent_approval", e);
	if (rc)
		return rc;
	struct scan x = { c, e };
	rc = conversations_awaiting_each(c->db, approval_raise, &x, e);
	return rc ? rc : episodes_end(c, "agent_approval", e);
}

typedef int (*rule_fn)(rule_ctx *c, okdf_err *e);

/* category: the operator may switch off crisis, budget and brand rules with
 * `okdf set rules.enabled.CATEGORY 0`; anomaly and agent rules always run. */
static const struct {
	rule_fn fn;
	const char *category;
} rules[] = {
	{ rule_policy, "crisis" }, { rule_keywords, "crisis" }, { rule_defect, "crisis" },
	{ rule_refund_spike, NULL }, { rule_revenue_drop, NULL }, { rule_sync_down, NULL },
	{ rule_budget_raise, "budget" }, { rule_budget_cap, "budget" },
	{ rule_spend_spike, "budget" }, { rule_new_product, "budget" },
	{ rule_new_market, "budget" }, { rule_brand, "brand" }, { rule_agent_approval, NULL },
};

static int category_enabled(rule_ctx *c, const char *category, int *enabled, okdf_err *e)
{
	*enabled = 1;
	if (!category)
		return OKDF_OK;
	char key[48], value[32];
	snprintf(key, sizeof key, "rules.enabled.%s", category);
	int found;
	int rc = setting_get(c->db, key, value, sizeof value, &found, e);
	/* No row reads as "": like any value but "0", the category stays on. */
	if (!rc)
		*enabled = strcmp(value, "0") != 0;
	return rc;
}

int rules_evaluate(okdf_db *db, const okdf_rules_config *cfg, long long now, int *raised,
	okdf_err *e)
{
	*raised = 0;
	rule_ctx c = { db, cfg, now, rule_merge_create() };
	if (!c.merge)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	int rc = db_begin(db, e);
	if (rc) {
		rule_merge_destroy(c.merge);
		return rc;
	}
	for (size_t i = 0; i < sizeof rules / sizeof rules[0] && !rc; i++) {
		int enabled;
		rc = category_enabled(&c, rules[i].category, &enabled, e);
		if (!rc && enabled)
			rc = rules[i].fn(&c, e);
	}
	if (!rc)
		rc = rule_merge_flush(c.merge, db, now, raised, e);
	rule_merge_destroy(c.merge);
	/* Phase 10's check reads this to know the rules are running. */
	char when[32];
	snprintf(when, sizeof when, "%lld", now);
	if (!rc)
		rc = state_set(&c, "evaluated_at", when, e);
	if (!rc)
		rc = db_commit(db, e);
	if (rc) {
		db_rollback(db);
		*raised = 0;
		return rc;
	}
	return OKDF_OK;
}

/* The budget rules over Meta and Shopify data: a daily budget raised too far
 * or above the approved cap, a day's spend far above its week
 * (budget.scale), a product newly active (budget.new_product) and a first
 * order to a new country (budget.new_market). The operator can switch the
 * category off with rules.enabled.budget. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "okdf/core/timeutil.h"
#include "okdf/store/settings.h"
#include "okdf/store/rollups.h"
#include "okdf/store/rules.h"
#include "rules_private.h"

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
	rule_add_time(ev, "observed_at", r->observed_at);
	return rule_raise(c, "budget.scale", "high", "meta/budget", ev, key, e,
		"Daily budget of %s raised %lld%% (%lld -> %lld minor units)", r->name,
		raise, prev, now_b);
}

/* budget.scale: a raise above budget_raise_pct vs the previous budget. */
int rule_budget_raise(rule_ctx *c, okdf_err *e)
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
	rule_add_time(ev, "since", started);
	return rule_raise(x->c, "budget.scale", "high", "meta/budget", ev, key, x->e,
		"Daily budget of %s is above the approved cap (%lld > %lld minor units)",
		r->name, budget, cap);
}

/* budget.scale: a daily budget above the approved cap. */
int rule_budget_cap(rule_ctx *c, okdf_err *e)
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
int rule_spend_spike(rule_ctx *c, okdf_err *e)
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
	rule_add_time(ev, "updated_at", updated);
	return rule_raise(c, "budget.new_product", "normal", "shopify/products", ev, key, x->e,
		"New product active: %s", title);
}

/* budget.new_product */
int rule_new_product(rule_ctx *c, okdf_err *e)
{
	char baseline[32];
	int rc = rule_memo_get(c, "new_product.baseline", baseline, sizeof baseline, e);
	if (!rc)
		rc = episodes_begin(c, "new_product", e);
	if (rc)
		return rc;
	struct product_scan x = { c, e, baseline, 0 };
	rc = products_active_each(c->db, new_product_check, &x, e);
	if (!rc && x.any && !baseline[0]) {
		char v[32];
		snprintf(v, sizeof v, "%lld", c->now);
		rc = rule_memo_set(c, "new_product.baseline", v, e);
	}
	return rc ? rc : episodes_end(c, "new_product", e);
}

/* budget.new_market */
int rule_new_market(rule_ctx *c, okdf_err *e)
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
		rule_add_time(ev, "first_order_at", m[i].first_at);
		cJSON_AddNumberToObject(ev, "orders", (double)m[i].orders);
		rc = rule_raise(c, "budget.new_market", "normal", "shopify/orders", ev, key, e,
			"First order shipping to a new country: %s", m[i].country);
	}
	free(m);
	return rc;
}

/* The automatic phase checks over the store's facts (brief, connectors,
 * products, orders, flows, agents, ads, reviews, escalations), grouped by the
 * phase they belong to, and the registry naming every check: these plus the
 * metric checks of core/metric_checks.c. Each says pass, fail or no data with
 * a one-line reason (here through verdict(), which sanitizes remote text). */
#include "okdf/core/checks.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/metric_checks.h"
#include "okdf/core/phases.h"
#include "okdf/core/text.h"
#include "okdf/store/brief.h"
#include "okdf/store/checks.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"
#include "okdf/store/rollups.h"
#include "okdf/store/settings.h"
#include "okdf/store/shop.h"

#define DAY (24LL * 3600)

/* Connector names as the sync workers write them to connector_health. */
#define CONN_SHOPIFY "shopify"
#define CONN_KLAVIYO "klaviyo"
#define CONN_META "meta"
#define CONN_RELEVANCE "relevance"

/* Used when a connector has not recorded its polling interval. */
#define DEFAULT_INTERVAL_SECONDS 300

static int verdict(check_result *out, check_state state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int verdict(check_result *out, check_state state, const char *fmt, ...)
{
	out->state = state;
	va_list ap;
	va_start(ap, fmt);
	char raw[sizeof out->why];
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* Names and errors come from remote APIs: no control or escape
	 * sequences reach a terminal. */
	text_sanitize(raw, out->why, sizeof out->why, 0);
	return OKDF_OK;
}

/* "45 s", "12 min", "3 h", "5 days". */
static void ago(long long secs, char *buf, size_t n)
{
	if (secs < 0)
		secs = 0;
	if (secs < 120)
		snprintf(buf, n, "%lld s", secs);
	else if (secs < 2 * 3600)
		snprintf(buf, n, "%lld min", secs / 60);
	else if (secs < 2 * DAY)
		snprintf(buf, n, "%lld h", secs / 3600);
	else
		snprintf(buf, n, "%lld days", secs / DAY);
}

typedef struct health {
	int found;
	char state[32];
	int synced; /* has ever succeeded */
	long long last_success_at;
	long long interval;
	char last_error[96];
} health;

static int health_get(okdf_db *db, const char *connector, health *h, okdf_err *e)
{
	memset(h, 0, sizeof *h);
	h->interval = DEFAULT_INTERVAL_SECONDS;
	connector_health_row r;
	int rc = connector_health_get(db, connector, &r, &h->found, e);
	if (rc || !h->found)
		return rc;
	snprintf(h->state, sizeof h->state, "%s", r.state);
	h->synced = r.synced;
	h->last_success_at = r.last_success_at;
	if (r.interval_seconds > 0)
		h->interval = r.interval_seconds;
	snprintf(h->last_error, sizeof h->last_error, "%s", r.last_error);
	return OKDF_OK;
}

static int health_failing(const health *h)
{
	return strcmp(h->state, "failing") == 0 || strcmp(h->state, "unauthorised") == 0
		|| strcmp(h->state, "disabled") == 0;
}

/* The FAIL verdict for a connector in a health_failing state. */
static int connector_failing(check_result *out, const char *name, const health *h)
{
	return verdict(out, CHECK_FAIL, "%s connector is %s%s%s", name, h->state,
		h->last_error[0] ? ": " : "", h->last_error);
}

/* Rows in a table the connector fills (counted by count), and whether it has
 * ever synced: an empty table is "no data" until the connector has run. */
static int table_rows(const check_ctx *c, int (*count)(okdf_db *, long long *, okdf_err *),
	const char *connector, long long *rows, int *synced, okdf_err *e)
{
	int rc = count(c->db, rows, e);
	if (rc)
		return rc;
	health h;
	rc = health_get(c->db, connector, &h, e);
	*synced = h.synced;
	return rc;
}

/* ---- phase 1: brand ---- */

static int check_brief_registered(const check_ctx *c, check_result *out, okdf_err *e)
{
	brief_row b;
	int found;
	int rc = brief_row_get(c->db, &b, &found, e);
	if (rc)
		return rc;
	if (!found)
		return verdict(out, CHECK_FAIL, "no brief registered (okdf brief register PATH)");
	const char *base = strrchr(b.path, '/');
	char when[32];
	ago(c->now - b.registered_at, when, sizeof when);
	return verdict(out, CHECK_PASS, "%s, sha256 %.12s, registered %s ago by %s",
		base ? base + 1 : b.path, b.sha256, when, b.registered_by);
}

/* ---- phase 2: store ---- */

static int check_shopify_token_valid(const check_ctx *c, check_result *out, okdf_err *e)
{
	health h;
	int rc = health_get(c->db, CONN_SHOPIFY, &h, e);
	if (rc)
		return rc;
	if (strcmp(h.state, "unauthorised") == 0)
		return verdict(out, CHECK_FAIL, "Shopify rejected the token%s%s",
			h.last_error[0] ? ": " : "", h.last_error);
	if (!h.synced)
		return verdict(out, CHECK_NO_DATA, "Shopify has not synced yet");
	char when[32];
	ago(c->now - h.last_success_at, when, sizeof when);
	return verdict(out, CHECK_PASS, "token accepted, last sync %s ago", when);
}

static int check_shop_currency_tz(const check_ctx *c, check_result *out, okdf_err *e)
{
	shop_row shop;
	int found;
	int rc = shop_get(c->db, &shop, &found, e);
	if (rc)
		return rc;
	if (!found)
		return verdict(out, CHECK_NO_DATA, "shop settings not synced yet");
	if (shop.currency[0] && shop.timezone[0])
		return verdict(out, CHECK_PASS, "%s, %s", shop.currency, shop.timezone);
	return verdict(out, CHECK_FAIL, "shop currency or timezone is empty");
}

static int check_active_product_priced(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, active, n, undescribed;
	int synced;
	int rc = table_rows(c, products_count, CONN_SHOPIFY, &rows, &synced, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no products synced yet");
	rc = products_count_active(c->db, &active, &n, &undescribed, e);
	if (rc)
		return rc;
	return verdict(out, n ? CHECK_PASS : CHECK_FAIL, "%lld active product%s priced > 0", n,
		n == 1 ? "" : "s");
}

static int check_orders_syncing(const check_ctx *c, check_result *out, okdf_err *e)
{
	health h;
	long long orders;
	int cursors;
	int rc = health_get(c->db, CONN_SHOPIFY, &h, e);
	if (!rc)
		rc = orders_count_all(c->db, &orders, e);
	if (!rc)
		rc = sync_state_exists(c->db, CONN_SHOPIFY, "orders", &cursors, e);
	if (rc)
		return rc;
	if (!h.synced || (!orders && !cursors))
		return verdict(out, CHECK_NO_DATA, "no orders synced yet");
	if (health_failing(&h))
		return connector_failing(out, "Shopify", &h);
	char when[32];
	ago(c->now - h.last_success_at, when, sizeof when);
	if (c->now - h.last_success_at > 2 * h.interval)
		return verdict(out, CHECK_FAIL, "last Shopify sync %s ago, over 2x its interval",
			when);
	return verdict(out, CHECK_PASS, "%lld orders, last Shopify sync %s ago", orders, when);
}

/* ---- phase 3: warehouse ---- */

static int check_connectors_fresh(const check_ctx *c, check_result *out, okdf_err *e)
{
	connector_health_row *rows;
	int n;
	int rc = connector_health_list_enabled(c->db, &rows, &n, e);
	if (rc)
		return rc;
	char stale[160] = "";
	size_t len = 0;
	int n_stale = 0;
	for (int i = 0; i < n; i++) {
		const connector_health_row *r = &rows[i];
		long long interval = r->interval_seconds;
		if (interval <= 0)
			interval = DEFAULT_INTERVAL_SECONDS;
		char when[48] = "never synced";
		if (r->synced) {
			long long age = c->now - r->last_success_at;
			if (age <= 2 * interval)
				continue;
			char span[32];
			ago(age, span, sizeof span);
			snprintf(when, sizeof when, "last %s ago", span);
		}
		n_stale++;
		if (len < sizeof stale)
			len += (size_t)snprintf(stale + len, sizeof stale - len, "%s%s (%s)",
				n_stale > 1 ? ", " : "", r->connector, when);
	}
	free(rows);
	if (!n)
		return verdict(out, CHECK_NO_DATA, "no connector has run yet");
	if (n_stale)
		return verdict(out, CHECK_FAIL, "stale: %s", stale);
	return verdict(out, CHECK_PASS, "%d connector%s synced within 2x %s interval", n,
		n == 1 ? "" : "s", n == 1 ? "its" : "their");
}

/* Days since the first synced (non-test) order; *any = 0 when none. */
static int order_history_days(const check_ctx *c, long long *days, int *any, okdf_err *e)
{
	long long first;
	int rc = orders_first_processed(c->db, any, &first, e);
	*days = *any ? (c->now - first) / DAY : 0;
	return rc;
}

/* Whether the Shopify app is known to lack read_all_orders (the scopes the
 * connector last read): Shopify then shows only the last 60 days of orders. */
static int orders_limited_to_60d(const check_ctx *c, int *limited, okdf_err *e)
{
	*limited = 0;
	char *scopes;
	int found;
	int rc = sync_state_cursor_read(c->db, CONN_SHOPIFY, "access_scopes", &scopes, &found, e);
	if (rc || !found)
		return rc;
	*limited = 1;
	for (const char *p = scopes; p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == 15 && strncmp(p, "read_all_orders", 15) == 0)
			*limited = 0;
		p += len + (p[len] == ',');
	}
	free(scopes);
	return OKDF_OK;
}

/* 28 days of orders, which both the order history and the anomaly
 * baseline need; what names the one judged. */
static int history_28d(const check_ctx *c, check_result *out, const char *what, okdf_err *e)
{
	long long days;
	int any, limited;
	int rc = order_history_days(c, &days, &any, e);
	if (!rc)
		rc = orders_limited_to_60d(c, &limited, e);
	if (rc)
		return rc;
	const char *note = limited ? "; the Shopify app lacks read_all_orders, so Shopify shows only"
		" the last 60 days of orders" : "";
	if (!any)
		return verdict(out, CHECK_NO_DATA, "no orders synced yet%s", note);
	if (days < 28)
		return verdict(out, CHECK_FAIL, "%lld days of %s (28 needed)%s", days, what, note);
	return verdict(out, CHECK_PASS, "%lld days of %s%s", days, what, note);
}

static int check_order_history_28d(const check_ctx *c, check_result *out, okdf_err *e)
{
	return history_28d(c, out, "order history", e);
}

static int check_operator_hours_recorded(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long intervals, manual;
	int rc = activity_intervals_count(c->db, &intervals, e);
	if (!rc)
		rc = manual_hours_count(c->db, &manual, e);
	if (rc)
		return rc;
	if (!intervals && !manual)
		return verdict(out, CHECK_FAIL, "no operator hours recorded yet");
	return verdict(out, CHECK_PASS, "%lld console interval%s, %lld manual entr%s", intervals,
		intervals == 1 ? "" : "s", manual, manual == 1 ? "y" : "ies");
}

/* ---- phase 4: email ---- */

/* A live flow triggered by metric a or b; what says which. */
static int live_flow(const check_ctx *c, check_result *out, const char *a, const char *b,
	const char *what, okdf_err *e)
{
	long long rows, n;
	int synced;
	int rc = table_rows(c, email_flows_count, CONN_KLAVIYO, &rows, &synced, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no Klaviyo flows synced yet");
	if ((rc = email_flows_count_live(c->db, a, b, &n, e)))
		return rc;
	if (!n)
		return verdict(out, CHECK_FAIL, "no live flow triggered by %s", what);
	return verdict(out, CHECK_PASS, "%lld live flow%s triggered by %s", n, n == 1 ? "" : "s",
		what);
}

static int check_flow_started_checkout_live(const check_ctx *c, check_result *out, okdf_err *e)
{
	return live_flow(c, out, "Started Checkout", NULL, "Started Checkout", e);
}

static int check_flow_post_purchase_live(const check_ctx *c, check_result *out, okdf_err *e)
{
	return live_flow(c, out, "Placed Order", "Fulfilled Order",
		"Placed Order or Fulfilled Order", e);
}

static int check_flow_recipients_7d(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, recipients;
	int rc = email_flow_stats_7d(c->db, &rows, &recipients, e);
	if (rc)
		return rc;
	if (!rows)
		return verdict(out, CHECK_NO_DATA, "no flow statistics synced yet");
	return verdict(out, recipients > 0 ? CHECK_PASS : CHECK_FAIL,
		"%lld flow recipient%s in the last 7 days", recipients, recipients == 1 ? "" : "s");
}

/* ---- phase 5: customer-service agent ---- */

static int agents_count_all(okdf_db *db, long long *n, okdf_err *e)
{
	return agents_count(db, NULL, n, e);
}

static int check_cs_agent_exists(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, n;
	int synced;
	int rc = table_rows(c, agents_count_all, CONN_RELEVANCE, &rows, &synced, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no Relevance AI agents synced yet");
	if ((rc = agents_count(c->db, "cs", &n, e)))
		return rc;
	if (!n)
		return verdict(out, CHECK_FAIL, "no customer-service agent among %lld agents", rows);
	return verdict(out, CHECK_PASS, "%lld customer-service agent%s", n, n == 1 ? "" : "s");
}

/* Counts conversations with count (given at) once conversations have
 * synced: OKDF_OK, or 1 with the NO_DATA verdict given, or an error. */
static int conversations_count(const check_ctx *c, check_result *out,
	int (*count)(okdf_db *, long long, long long *, okdf_err *), long long at, long long *n,
	okdf_err *e)
{
	long long rows;
	int synced;
	int rc = table_rows(c, conversations_any, CONN_RELEVANCE, &rows, &synced, e);
	if (rc)
		return rc;
	if (!rows && !synced) {
		verdict(out, CHECK_NO_DATA, "no conversations synced yet");
		return 1;
	}
	return count(c->db, at, n, e);
}

static int check_conversations_50_14d(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long n;
	int rc = conversations_count(c, out, conversations_count_cs_since, c->now - 14 * DAY, &n,
		e);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	if (n < 50)
		return verdict(out, CHECK_FAIL,
			"%lld customer-service conversation%s in 14 days (50 needed)", n,
			n == 1 ? "" : "s");
	return verdict(out, CHECK_PASS, "%lld customer-service conversations in 14 days", n);
}

static int check_no_stuck_conversations(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long n;
	int rc = conversations_count(c, out, conversations_count_waiting, c->now - DAY, &n, e);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	if (n)
		return verdict(out, CHECK_FAIL,
			"%lld conversation%s pending approval or escalated for over 24 h", n,
			n == 1 ? "" : "s");
	return verdict(out, CHECK_PASS, "no conversation waiting on a human for over 24 h");
}

/* ---- phase 6: content ---- */

static int check_content_agent_ran_7d(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, n, last;
	int synced;
	int rc = table_rows(c, agents_count_all, CONN_RELEVANCE, &rows, &synced, e);
	if (!rc)
		rc = agents_count(c->db, "content", &n, e);
	if (!rc)
		rc = agents_last_run(c->db, "content", &last, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no Relevance AI agents synced yet");
	if (!n)
		return verdict(out, CHECK_FAIL, "no content agent");
	if (!last)
		return verdict(out, CHECK_FAIL, "the content agent has never run");
	char when[32];
	ago(c->now - last, when, sizeof when);
	if (c->now - last > 7 * DAY)
		return verdict(out, CHECK_FAIL, "content agent last ran %s ago", when);
	return verdict(out, CHECK_PASS, "content agent ran %s ago", when);
}

static int check_products_have_descriptions(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, active, priced, bare;
	int synced;
	int rc = table_rows(c, products_count, CONN_SHOPIFY, &rows, &synced, e);
	if (!rc)
		rc = products_count_active(c->db, &active, &priced, &bare, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no products synced yet");
	if (!active)
		return verdict(out, CHECK_NO_DATA, "no active products yet");
	if (bare)
		return verdict(out, CHECK_FAIL, "%lld of %lld active products have no description",
			bare, active);
	return verdict(out, CHECK_PASS, "all %lld active products have a description", active);
}

/* ---- phase 7: creative ---- */

static int check_ad_creatives_exist(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, n;
	int synced;
	int rc = table_rows(c, ads_count, CONN_META, &rows, &synced, e);
	if (!rc)
		rc = ads_count_creatives(c->db, &n, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no Meta ads synced yet");
	return verdict(out, n ? CHECK_PASS : CHECK_FAIL, "%lld ad creative%s", n,
		n == 1 ? "" : "s");
}

static int check_no_ads_disapproved(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, n;
	int rc = ads_count(c->db, &rows, e);
	if (!rc)
		rc = ads_count_disapproved(c->db, &n, e);
	if (rc)
		return rc;
	if (!rows)
		return verdict(out, CHECK_NO_DATA, "no Meta ads synced yet");
	return verdict(out, n ? CHECK_FAIL : CHECK_PASS, "%lld of %lld ads DISAPPROVED", n, rows);
}

/* ---- phase 8: paid ---- */

static int check_ad_account_active(const check_ctx *c, check_result *out, okdf_err *e)
{
	char name[128];
	int status, found;
	int rc = ad_accounts_first_inactive(c->db, name, sizeof name, &status, &found, e);
	if (rc)
		return rc;
	if (!found)
		return verdict(out, CHECK_NO_DATA, "no Meta ad account synced yet");
	/* Inactive accounts sort first, so the first row decides. */
	if (status == 1)
		return verdict(out, CHECK_PASS, "ad account %s ACTIVE", name);
	return verdict(out, CHECK_FAIL, "ad account %s has account_status %d, not 1 (ACTIVE)",
		name, status);
}

static int check_active_campaign(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, n;
	int synced;
	int rc = table_rows(c, campaigns_count, CONN_META, &rows, &synced, e);
	if (!rc)
		rc = campaigns_count_active(c->db, &n, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no Meta campaigns synced yet");
	return verdict(out, n ? CHECK_PASS : CHECK_FAIL, "%lld active campaign%s", n,
		n == 1 ? "" : "s");
}

static int parse_minor(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!s[0] || *end || errno || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int check_budgets_within_cap(const check_ctx *c, check_result *out, okdf_err *e)
{
	char value[64];
	int found;
	int rc = setting_get(c->db, "budget_cap_minor", value, sizeof value, &found, e);
	if (rc)
		return rc;
	if (!found)
		return verdict(out, CHECK_NO_DATA,
			"no daily budget cap approved yet (okdf set budget_cap_minor N)");
	long long cap;
	if (parse_minor(value, &cap) != 0)
		return verdict(out, CHECK_FAIL, "budget_cap_minor \"%s\" is not a whole number",
			value);
	/* Deleted and archived campaigns cannot spend. */
	long long rows, over, highest;
	rc = campaigns_count(c->db, &rows, e);
	if (!rc)
		rc = campaigns_budget_over(c->db, cap, &over, &highest, e);
	if (rc)
		return rc;
	if (!rows)
		return verdict(out, CHECK_NO_DATA, "no Meta campaigns synced yet");
	if (over)
		return verdict(out, CHECK_FAIL,
			"%lld campaign%s over the cap: highest daily budget %lld > cap %lld (minor units)",
			over, over == 1 ? "" : "s", highest, cap);
	return verdict(out, CHECK_PASS, "highest daily budget %lld <= cap %lld (minor units)",
		highest, cap);
}

static int check_spend_purchases_syncing(const check_ctx *c, check_result *out, okdf_err *e)
{
	health h;
	long long days, last, purchases;
	int rc = health_get(c->db, CONN_META, &h, e);
	if (!rc)
		rc = ad_insights_daily_summary(c->db, &days, &last, &purchases, e);
	if (rc)
		return rc;
	if (!days)
		return verdict(out, CHECK_NO_DATA, "no Meta spend or purchases synced yet");
	if (h.found && health_failing(&h))
		return connector_failing(out, "Meta", &h);
	char when[32];
	ago(c->now - last, when, sizeof when);
	/* Insights may be polled less often than other resources: allow a day
	 * when the connector has not said how often it polls. */
	long long limit = h.found ? 2 * h.interval : DAY;
	if (c->now - last > limit)
		return verdict(out, CHECK_FAIL, "Meta insights last synced %s ago", when);
	return verdict(out, CHECK_PASS, "%lld day%s of spend, %lld purchases; synced %s ago", days,
		days == 1 ? "" : "s", purchases, when);
}

/* ---- phase 9: feedback ---- */

static int check_anomaly_baseline_28d(const check_ctx *c, check_result *out, okdf_err *e)
{
	return history_28d(c, out, "baseline", e);
}

static int check_weekly_review_8d(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long at;
	char who[64];
	int found;
	int rc = reviews_latest(c->db, &at, who, sizeof who, &found, e);
	if (rc)
		return rc;
	if (!found)
		return verdict(out, CHECK_FAIL, "no weekly review recorded yet (okdf review add)");
	char when[32];
	ago(c->now - at, when, sizeof when);
	return verdict(out, c->now - at <= 8 * DAY ? CHECK_PASS : CHECK_FAIL,
		"last weekly review %s ago by %s", when, who);
}

/* ---- phase 10: escalation ---- */

static int check_escalation_rules_enabled(const check_ctx *c, check_result *out, okdf_err *e)
{
	static const char *const categories[] = { "crisis", "budget", "brand" };
	char disabled[64] = "";
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++) {
		char key[48], value[32];
		int found;
		snprintf(key, sizeof key, "rules.enabled.%s", categories[i]);
		int rc = setting_get(c->db, key, value, sizeof value, &found, e);
		if (rc)
			return rc;
		if (found && strcmp(value, "0") == 0) {
			size_t len = strlen(disabled);
			snprintf(disabled + len, sizeof disabled - len, "%s%s", len ? ", " : "",
				categories[i]);
		}
	}
	if (disabled[0])
		return verdict(out, CHECK_FAIL, "rules disabled for: %s", disabled);
	long long runs;
	int rc = rule_state_count_runs(c->db, &runs, e);
	if (rc)
		return rc;
	if (!runs)
		return verdict(out, CHECK_NO_DATA, "the escalation rules have not run yet");
	return verdict(out, CHECK_PASS, "crisis, budget and brand rules enabled and running");
}

long long checks_escalation_sla(const char *severity)
{
	if (severity && strcmp(severity, "critical") == 0)
		return 3600;
	if (severity && strcmp(severity, "high") == 0)
		return 4 * 3600;
	return DAY;
}

static int check_escalations_acked_in_sla(const check_ctx *c, check_result *out, okdf_err *e)
{
	escalation_answer *rows;
	int n;
	int rc = escalation_answers_since(c->db, c->now - 14 * DAY, &rows, &n, e);
	if (rc)
		return rc;
	long long late = 0, first_late = 0;
	char first_sev[16] = "";
	for (int i = 0; i < n; i++) {
		const escalation_answer *r = &rows[i];
		long long sla = checks_escalation_sla(r->severity);
		/* Unanswered but still inside its SLA is not late yet. */
		long long waited = r->answered_at ? r->answered_at - r->created_at
			: c->now - r->created_at;
		if (waited > sla && !late++) {
			first_late = r->id;
			snprintf(first_sev, sizeof first_sev, "%s", r->severity);
		}
	}
	free(rows);
	if (!n)
		return verdict(out, CHECK_NO_DATA, "no escalations in the last 14 days to judge");
	if (late)
		return verdict(out, CHECK_FAIL,
			"%lld of %d escalations not acknowledged within SLA (first: #%lld, %s)", late, n,
			first_late, first_sev);
	return verdict(out, CHECK_PASS, "%d escalation%s, all acknowledged within SLA", n,
		n == 1 ? "" : "s");
}

/* ---- phase 11: autonomous ---- */

static int check_phases_1_10_complete(const check_ctx *c, check_result *out, okdf_err *e)
{
	if (!c->catalog || !c->phase)
		return verdict(out, CHECK_NO_DATA, "no phase catalog loaded");
	char open[96] = "";
	size_t len = 0;
	int earlier = 0, n_open = 0;
	for (size_t i = 0; i < c->catalog->n; i++) {
		const phase_def *p = &c->catalog->phases[i];
		if (p->number >= c->phase->number)
			continue;
		earlier++;
		phase_progress_row pr;
		int rc = phase_progress_get(c->db, p->id, &pr, e);
		free(pr.override_reason);
		if (rc)
			return rc;
		if (!pr.completed && len < sizeof open)
			len += (size_t)snprintf(open + len, sizeof open - len, "%s%d", n_open++ ? ", " : "",
				p->number);
	}
	if (n_open)
		return verdict(out, CHECK_FAIL, "not complete: phase%s %s", n_open == 1 ? "" : "s",
			open);
	return verdict(out, CHECK_PASS, "all %d earlier phases complete", earlier);
}

static int check_no_stale_critical(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long synced, n;
	int rc = connector_health_count_synced(c->db, &synced, e);
	if (!rc)
		rc = escalations_count_stale_critical(c->db, c->now - DAY, &n, e);
	if (rc)
		return rc;
	if (n)
		return verdict(out, CHECK_FAIL, "%lld critical escalation%s unacknowledged for over 24 h",
			n, n == 1 ? "" : "s");
	/* With nothing synced the rules had nothing to watch. */
	if (!synced)
		return verdict(out, CHECK_NO_DATA, "nothing synced yet for the rules to watch");
	return verdict(out, CHECK_PASS, "no critical escalation unacknowledged for over 24 h");
}

/* The registry. To add a check: write check_<id>, add its line here, and
 * name it in data/phases.json. */
static const check_entry registry[] = {
	{ "brief_registered", check_brief_registered },
	{ "shopify_token_valid", check_shopify_token_valid },
	{ "shop_currency_tz", check_shop_currency_tz },
	{ "active_product_priced", check_active_product_priced },
	{ "orders_syncing", check_orders_syncing },
	{ "connectors_fresh", check_connectors_fresh },
	{ "order_history_28d", check_order_history_28d },
	{ "baseline_ttr_rpoh", metrics_check_baseline },
	{ "operator_hours_recorded", check_operator_hours_recorded },
	{ "flow_started_checkout_live", check_flow_started_checkout_live },
	{ "flow_post_purchase_live", check_flow_post_purchase_live },
	{ "flow_recipients_7d", check_flow_recipients_7d },
	{ "cart_recovery_10pct", metrics_check_cart_recovery },
	{ "cs_agent_exists", check_cs_agent_exists },
	{ "conversations_50_14d", check_conversations_50_14d },
	{ "agent_resolution_80pct", metrics_check_agent_share },
	{ "no_stuck_conversations", check_no_stuck_conversations },
	{ "content_agent_ran_7d", check_content_agent_ran_7d },
	{ "products_have_descriptions", check_products_have_descriptions },
	{ "ad_creatives_exist", check_ad_creatives_exist },
	{ "no_ads_disapproved", check_no_ads_disapproved },
	{ "ad_account_active", check_ad_account_active },
	{ "active_campaign", check_active_campaign },
	{ "budgets_within_cap", check_budgets_within_cap },
	{ "spend_purchases_syncing", check_spend_purchases_syncing },
	{ "anomaly_baseline_28d", check_anomaly_baseline_28d },
	{ "weekly_review_8d", check_weekly_review_8d },
	{ "escalation_rules_enabled", check_escalation_rules_enabled },
	{ "escalations_acked_in_sla", check_escalations_acked_in_sla },
	{ "phases_1_10_complete", check_phases_1_10_complete },
	{ "no_stale_critical", check_no_stale_critical },
	{ "median_ttr_14d", metrics_check_ttr_median },
	{ "rpoh_30d_500", metrics_check_rpoh_30d },
};

#define N_CHECKS (sizeof registry / sizeof registry[0])

const check_entry *checks_find(const char *id)
{
	for (size_t i = 0; i < N_CHECKS; i++)
		if (strcmp(registry[i].id, id) == 0)
			return &registry[i];
	return NULL;
}

const check_entry *checks_all(size_t *n)
{
	*n = N_CHECKS;
	return registry;
}

int checks_evaluate(const check_ctx *ctx, const char *id, check_result *out, okdf_err *e)
{
	const check_entry *c = checks_find(id);
	memset(out, 0, sizeof *out);
	if (!c)
		return okdf_err_set(e, OKDF_EINPUT, "unknown check \"%s\"", id);
	return c->fn(ctx, out, e);
}

const char *check_state_name(check_state s)
{
	switch (s) {
	case CHECK_PASS: return "pass";
	case CHECK_FAIL: return "fail";
	case CHECK_NO_DATA: break;
	}
	return "no_data";
}

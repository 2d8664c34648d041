#include "okdf/core/checks.h"
#include "okdf/core/metrics.h"
#include "okdf/core/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/phases.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"

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

/* Runs sql with ?1 = text (may be NULL), ?2 = a, ?3 = b where the statement
 * uses them, and reads the first column of the first row (0 when NULL or
 * no row). */
static int query_ll(sqlite3 *db, const char *sql, const char *text, long long a, long long b,
	long long *out, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	int params = sqlite3_bind_parameter_count(st);
	if (params >= 1)
		db_bind_text(st, 1, text);
	if (params >= 2)
		sqlite3_bind_int64(st, 2, a);
	if (params >= 3)
		sqlite3_bind_int64(st, 3, b);
	*out = 0;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = db_error(db, e, "evaluating check");
	sqlite3_finalize(st);
	return rc;
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

static int health_get(sqlite3 *db, const char *connector, health *h, okdf_err *e)
{
	memset(h, 0, sizeof *h);
	h->interval = DEFAULT_INTERVAL_SECONDS;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT state, last_success_at, interval_seconds, last_error FROM connector_health"
		" WHERE connector = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		h->found = 1;
		db_col_copy(h->state, sizeof h->state, st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			h->synced = 1;
			h->last_success_at = sqlite3_column_int64(st, 1);
		}
		if (sqlite3_column_type(st, 2) != SQLITE_NULL && sqlite3_column_int64(st, 2) > 0)
			h->interval = sqlite3_column_int64(st, 2);
		db_col_copy(h->last_error, sizeof h->last_error, st, 3);
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading connector health");
	}
	sqlite3_finalize(st);
	return rc;
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

/* Rows in a table the connector fills, and whether it has ever synced:
 * an empty table is "no data" until the connector has run. */
static int table_rows(const check_ctx *c, const char *count_sql, const char *connector,
	long long *rows, int *synced, okdf_err *e)
{
	int rc = query_ll(c->db, count_sql, NULL, 0, 0, rows, e);
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
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, "SELECT currency, iana_timezone FROM shop WHERE id = 1", &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const unsigned char *cur = sqlite3_column_text(st, 0);
		const unsigned char *tz = sqlite3_column_text(st, 1);
		if (cur && cur[0] && tz && tz[0])
			verdict(out, CHECK_PASS, "%s, %s", (const char *)cur, (const char *)tz);
		else
			verdict(out, CHECK_FAIL, "shop currency or timezone is empty");
	} else if (step == SQLITE_DONE) {
		verdict(out, CHECK_NO_DATA, "shop settings not synced yet");
	} else {
		rc = db_error(c->db, e, "reading shop");
	}
	sqlite3_finalize(st);
	return rc;
}

static int check_active_product_priced(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, n;
	int synced;
	int rc = table_rows(c, "SELECT count(*) FROM products", CONN_SHOPIFY, &rows, &synced, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no products synced yet");
	rc = query_ll(c->db, "SELECT count(*) FROM products WHERE upper(status) = 'ACTIVE'"
		" AND min_price_minor > 0", NULL, 0, 0, &n, e);
	if (rc)
		return rc;
	return verdict(out, n ? CHECK_PASS : CHECK_FAIL, "%lld active product%s priced > 0", n,
		n == 1 ? "" : "s");
}

static int check_orders_syncing(const check_ctx *c, check_result *out, okdf_err *e)
{
	health h;
	long long orders, cursors;
	int rc = health_get(c->db, CONN_SHOPIFY, &h, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM orders", NULL, 0, 0, &orders, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM sync_state WHERE connector = ?1"
			" AND resource = 'orders'", CONN_SHOPIFY, 0, 0, &cursors, e);
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
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT connector, last_success_at, interval_seconds FROM connector_health"
		" WHERE state <> 'disabled' ORDER BY connector", &st, e);
	if (rc)
		return rc;
	char stale[160] = "";
	size_t len = 0;
	int n = 0, n_stale = 0, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		const unsigned char *name = sqlite3_column_text(st, 0);
		long long interval = sqlite3_column_int64(st, 2);
		if (interval <= 0)
			interval = DEFAULT_INTERVAL_SECONDS;
		char when[48] = "never synced";
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			long long age = c->now - sqlite3_column_int64(st, 1);
			if (age <= 2 * interval)
				continue;
			char span[32];
			ago(age, span, sizeof span);
			snprintf(when, sizeof when, "last %s ago", span);
		}
		n_stale++;
		if (len < sizeof stale)
			len += (size_t)snprintf(stale + len, sizeof stale - len, "%s%s (%s)",
				n_stale > 1 ? ", " : "", name ? (const char *)name : "?", when);
	}
	if (step != SQLITE_DONE)
		rc = db_error(c->db, e, "reading connector health");
	sqlite3_finalize(st);
	if (rc)
		return rc;
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
	long long n, first;
	int rc = query_ll(c->db, "SELECT count(*) FROM orders WHERE test = 0", NULL, 0, 0, &n, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT min(processed_at) FROM orders WHERE test = 0", NULL, 0,
			0, &first, e);
	*any = n > 0;
	*days = n > 0 ? (c->now - first) / DAY : 0;
	return rc;
}

/* 28 days of orders, which both the order history and the anomaly
 * baseline need; what names the one judged. */
static int history_28d(const check_ctx *c, check_result *out, const char *what, okdf_err *e)
{
	long long days;
	int any;
	int rc = order_history_days(c, &days, &any, e);
	if (rc)
		return rc;
	if (!any)
		return verdict(out, CHECK_NO_DATA, "no orders synced yet");
	if (days < 28)
		return verdict(out, CHECK_FAIL, "%lld days of %s (28 needed)", days, what);
	return verdict(out, CHECK_PASS, "%lld days of %s", days, what);
}

static int check_order_history_28d(const check_ctx *c, check_result *out, okdf_err *e)
{
	return history_28d(c, out, "order history", e);
}

static int check_operator_hours_recorded(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long intervals, manual;
	int rc = query_ll(c->db, "SELECT count(*) FROM activity_intervals", NULL, 0, 0, &intervals,
		e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM manual_hours", NULL, 0, 0, &manual, e);
	if (rc)
		return rc;
	if (!intervals && !manual)
		return verdict(out, CHECK_FAIL, "no operator hours recorded yet");
	return verdict(out, CHECK_PASS, "%lld console interval%s, %lld manual entr%s", intervals,
		intervals == 1 ? "" : "s", manual, manual == 1 ? "y" : "ies");
}

/* ---- phase 4: email ---- */

/* A live flow triggered by the metrics sql names; what says which. */
static int live_flow(const check_ctx *c, check_result *out, const char *sql, const char *what,
	okdf_err *e)
{
	long long rows, n;
	int synced;
	int rc = table_rows(c, "SELECT count(*) FROM email_flows", CONN_KLAVIYO, &rows, &synced,
		e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no Klaviyo flows synced yet");
	if ((rc = query_ll(c->db, sql, NULL, 0, 0, &n, e)))
		return rc;
	if (!n)
		return verdict(out, CHECK_FAIL, "no live flow triggered by %s", what);
	return verdict(out, CHECK_PASS, "%lld live flow%s triggered by %s", n, n == 1 ? "" : "s",
		what);
}

static int check_flow_started_checkout_live(const check_ctx *c, check_result *out, okdf_err *e)
{
	return live_flow(c, out,
		"SELECT count(*) FROM email_flows f JOIN email_metrics m ON m.id = f.trigger_metric_id"
		" WHERE lower(f.status) = 'live' AND m.name = 'Started Checkout'",
		"Started Checkout", e);
}

static int check_flow_post_purchase_live(const check_ctx *c, check_result *out, okdf_err *e)
{
	return live_flow(c, out,
		"SELECT count(*) FROM email_flows f JOIN email_metrics m ON m.id = f.trigger_metric_id"
		" WHERE lower(f.status) = 'live' AND m.name IN ('Placed Order', 'Fulfilled Order')",
		"Placed Order or Fulfilled Order", e);
}

static int check_flow_recipients_7d(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, recipients;
	int rc = query_ll(c->db, "SELECT count(*) FROM email_flow_stats"
		" WHERE timeframe = 'last_7_days'", NULL, 0, 0, &rows, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT sum(recipients) FROM email_flow_stats"
			" WHERE timeframe = 'last_7_days'", NULL, 0, 0, &recipients, e);
	if (rc)
		return rc;
	if (!rows)
		return verdict(out, CHECK_NO_DATA, "no flow statistics synced yet");
	return verdict(out, recipients > 0 ? CHECK_PASS : CHECK_FAIL,
		"%lld flow recipient%s in the last 7 days", recipients, recipients == 1 ? "" : "s");
}

/* ---- phase 5: customer-service agent ---- */

static int check_cs_agent_exists(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, n;
	int synced;
	int rc = table_rows(c, "SELECT count(*) FROM agents", CONN_RELEVANCE, &rows, &synced, e);
	if (rc)
		return rc;
	if (!rows && !synced)
		return verdict(out, CHECK_NO_DATA, "no Relevance AI agents synced yet");
	if ((rc = query_ll(c->db, "SELECT count(*) FROM agents WHERE kind = 'cs'", NULL, 0, 0, &n,
		e)))
		return rc;
	if (!n)
		return verdict(out, CHECK_FAIL, "no customer-service agent among %lld agents", rows);
	return verdict(out, CHECK_PASS, "%lld customer-service agent%s", n, n == 1 ? "" : "s");
}

/* Counts the conversations sql selects (?2 = at) once conversations have
 * synced: OKDF_OK, or 1 with the NO_DATA verdict given, or an error. */
static int conversations_count(const check_ctx *c, check_result *out, const char *sql,
	long long at, long long *n, okdf_err *e)
{
	long long rows;
	int synced;
	int rc = table_rows(c, "SELECT count(*) FROM conversations", CONN_RELEVANCE, &rows,
		&synced, e);
	if (rc)
		return rc;
	if (!rows && !synced) {
		verdict(out, CHECK_NO_DATA, "no conversations synced yet");
		return 1;
	}
	return query_ll(c->db, sql, NULL, at, 0, n, e);
}

static int check_conversations_50_14d(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long n;
	int rc = conversations_count(c, out, "SELECT count(*) FROM conversations"
		" WHERE created_at >= ?2 AND agent_id IN (SELECT id FROM agents WHERE kind = 'cs')",
		c->now - 14 * DAY, &n, e);
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
	int rc = conversations_count(c, out, "SELECT count(*) FROM conversations"
		" WHERE state IN ('pending-approval', 'escalated') AND updated_at < ?2",
		c->now - DAY, &n, e);
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
	int rc = table_rows(c, "SELECT count(*) FROM agents", CONN_RELEVANCE, &rows, &synced, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM agents WHERE kind = 'content'", NULL, 0, 0,
			&n, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT coalesce(max(last_run_at), 0) FROM agents"
			" WHERE kind = 'content'", NULL, 0, 0, &last, e);
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
	long long rows, active, bare;
	int synced;
	int rc = table_rows(c, "SELECT count(*) FROM products", CONN_SHOPIFY, &rows, &synced, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM products WHERE upper(status) = 'ACTIVE'",
			NULL, 0, 0, &active, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM products WHERE upper(status) = 'ACTIVE'"
			" AND has_description = 0", NULL, 0, 0, &bare, e);
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
	int rc = table_rows(c, "SELECT count(*) FROM ads", CONN_META, &rows, &synced, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(DISTINCT creative_id) FROM ads"
			" WHERE creative_id IS NOT NULL AND creative_id <> ''", NULL, 0, 0, &n, e);
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
	int rc = query_ll(c->db, "SELECT count(*) FROM ads", NULL, 0, 0, &rows, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM ads WHERE effective_status = 'DISAPPROVED'",
			NULL, 0, 0, &n, e);
	if (rc)
		return rc;
	if (!rows)
		return verdict(out, CHECK_NO_DATA, "no Meta ads synced yet");
	return verdict(out, n ? CHECK_FAIL : CHECK_PASS, "%lld of %lld ads DISAPPROVED", n, rows);
}

/* ---- phase 8: paid ---- */

static int check_ad_account_active(const check_ctx *c, check_result *out, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT id, coalesce(name, id), account_status FROM ad_accounts"
		" ORDER BY account_status = 1, id", &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		int status = sqlite3_column_int(st, 2);
		/* Inactive accounts sort first, so the first row decides. */
		if (status == 1)
			verdict(out, CHECK_PASS, "ad account %s ACTIVE", name ? name : "?");
		else
			verdict(out, CHECK_FAIL, "ad account %s has account_status %d, not 1 (ACTIVE)",
				name ? name : "?", status);
	} else if (step == SQLITE_DONE) {
		verdict(out, CHECK_NO_DATA, "no Meta ad account synced yet");
	} else {
		rc = db_error(c->db, e, "reading ad accounts");
	}
	sqlite3_finalize(st);
	return rc;
}

static int check_active_campaign(const check_ctx *c, check_result *out, okdf_err *e)
{
	long long rows, n;
	int synced;
	int rc = table_rows(c, "SELECT count(*) FROM campaigns", CONN_META, &rows, &synced, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM campaigns"
			" WHERE coalesce(effective_status, status) = 'ACTIVE'", NULL, 0, 0, &n, e);
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
	rc = query_ll(c->db, "SELECT count(*) FROM campaigns", NULL, 0, 0, &rows, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM campaigns WHERE daily_budget_minor > ?2"
			" AND upper(coalesce(effective_status, status, '')) NOT IN ('DELETED', 'ARCHIVED')",
			NULL, cap, 0, &over, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT coalesce(max(daily_budget_minor), 0) FROM campaigns"
			" WHERE upper(coalesce(effective_status, status, '')) NOT IN ('DELETED', 'ARCHIVED')",
			NULL, 0, 0, &highest, e);
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
		rc = query_ll(c->db, "SELECT count(DISTINCT day) FROM ad_insights_daily", NULL, 0, 0,
			&days, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT coalesce(max(synced_at), 0) FROM ad_insights_daily", NULL,
			0, 0, &last, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT coalesce(sum(purchases), 0) FROM ad_insights_daily", NULL,
			0, 0, &purchases, e);
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
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, "SELECT reviewed_at, operator FROM reviews"
		" ORDER BY reviewed_at DESC, id DESC LIMIT 1", &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		long long at = sqlite3_column_int64(st, 0);
		const unsigned char *who = sqlite3_column_text(st, 1);
		char when[32];
		ago(c->now - at, when, sizeof when);
		verdict(out, c->now - at <= 8 * DAY ? CHECK_PASS : CHECK_FAIL,
			"last weekly review %s ago by %s", when, who ? (const char *)who : "?");
	} else if (step == SQLITE_DONE) {
		verdict(out, CHECK_FAIL, "no weekly review recorded yet (okdf review add)");
	} else {
		rc = db_error(c->db, e, "reading reviews");
	}
	sqlite3_finalize(st);
	return rc;
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
	int rc = query_ll(c->db, "SELECT count(*) FROM rule_state WHERE key = 'evaluated_at'", NULL,
		0, 0, &runs, e);
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
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT id, severity, created_at, coalesce(acknowledged_at, resolved_at)"
		" FROM escalations WHERE created_at >= ? ORDER BY created_at", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, c->now - 14 * DAY);
	long long n = 0, late = 0, first_late = 0;
	char first_sev[16] = "";
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		const unsigned char *sev = sqlite3_column_text(st, 1);
		long long created = sqlite3_column_int64(st, 2);
		long long sla = checks_escalation_sla((const char *)sev);
		long long answered = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0
			: sqlite3_column_int64(st, 3);
		/* Unanswered but still inside its SLA is not late yet. */
		long long waited = answered ? answered - created : c->now - created;
		if (waited > sla && !late++) {
			first_late = sqlite3_column_int64(st, 0);
			snprintf(first_sev, sizeof first_sev, "%s", sev ? (const char *)sev : "?");
		}
	}
	if (step != SQLITE_DONE)
		rc = db_error(c->db, e, "reading escalations");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (!n)
		return verdict(out, CHECK_NO_DATA, "no escalations in the last 14 days to judge");
	if (late)
		return verdict(out, CHECK_FAIL,
			"%lld of %lld escalations not acknowledged within SLA (first: #%lld, %s)", late, n,
			first_late, first_sev);
	return verdict(out, CHECK_PASS, "%lld escalation%s, all acknowledged within SLA", n,
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
	int rc = query_ll(c->db, "SELECT count(*) FROM connector_health"
		" WHERE last_success_at IS NOT NULL", NULL, 0, 0, &synced, e);
	if (!rc)
		rc = query_ll(c->db, "SELECT count(*) FROM escalations WHERE severity = 'critical'"
			" AND acknowledged_at IS NULL AND resolved_at IS NULL"
			" AND state NOT IN ('acknowledged', 'resolved') AND created_at < ?2", NULL,
			c->now - DAY, 0, &n, e);
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

/* Checks computed by the metrics engine (TTR, RPOH, recovery, resolution share). */
typedef int (*metrics_check_fn)(sqlite3 *db, long long now, int *state, char *why, size_t n);

static int from_metrics(const check_ctx *c, check_result *out, okdf_err *e, metrics_check_fn fn)
{
	int state = MCHECK_NO_DATA;
	int rc = fn(c->db, c->now, &state, out->why, sizeof out->why);
	if (rc)
		return okdf_err_set(e, rc, "%s", out->why);
	out->state = state == MCHECK_PASS ? CHECK_PASS
		: state == MCHECK_FAIL ? CHECK_FAIL : CHECK_NO_DATA;
	return OKDF_OK;
}

static int check_baseline_ttr_rpoh(const check_ctx *c, check_result *out, okdf_err *e)
{
	return from_metrics(c, out, e, metrics_check_baseline);
}

static int check_cart_recovery_10pct(const check_ctx *c, check_result *out, okdf_err *e)
{
	return from_metrics(c, out, e, metrics_check_cart_recovery);
}

static int check_agent_resolution_80pct(const check_ctx *c, check_result *out, okdf_err *e)
{
	return from_metrics(c, out, e, metrics_check_agent_share);
}

static int check_median_ttr_14d(const check_ctx *c, check_result *out, okdf_err *e)
{
	return from_metrics(c, out, e, metrics_check_ttr_median);
}

static int check_rpoh_30d_500(const check_ctx *c, check_result *out, okdf_err *e)
{
	return from_metrics(c, out, e, metrics_check_rpoh_30d);
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
	{ "baseline_ttr_rpoh", check_baseline_ttr_rpoh },
	{ "operator_hours_recorded", check_operator_hours_recorded },
	{ "flow_started_checkout_live", check_flow_started_checkout_live },
	{ "flow_post_purchase_live", check_flow_post_purchase_live },
	{ "flow_recipients_7d", check_flow_recipients_7d },
	{ "cart_recovery_10pct", check_cart_recovery_10pct },
	{ "cs_agent_exists", check_cs_agent_exists },
	{ "conversations_50_14d", check_conversations_50_14d },
	{ "agent_resolution_80pct", check_agent_resolution_80pct },
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
	{ "median_ttr_14d", check_median_ttr_14d },
	{ "rpoh_30d_500", check_rpoh_30d_500 },
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

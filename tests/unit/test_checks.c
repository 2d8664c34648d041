/* Automatic checks over hand-built store states: NO_DATA on an empty
 * store (never PASS), then PASS and FAIL for each check the store can
 * answer. Also the OKDF_NOW parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/store/db_private.h"
#include "okdf/core/checks.h"
#include "okdf/core/phases.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

static char dir[] = "/tmp/okdf-test-checks-XXXXXX";
static const long long NOW = 1764000000;
#define DAY 86400LL

struct fixture {
	okdf_db *db;
	phase_catalog *cat;
};

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof *f);
	char path[256];
	snprintf(path, sizeof path, "%s/checks%d.db", dir, n++);
	okdf_err e = { 0 };
	if (db_open(path, &f->db, &e) || phases_load(getenv("OKDF_DATA_DIR"), &f->cat, &e))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	phases_free(f->cat);
	free(f);
	return 0;
}

/* Runs one SQL statement with ?1 bound to now. */
static void sql(struct fixture *f, const char *text)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(f->db), text, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, NOW);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* Evaluates id as a check of the phase that lists it. */
static check_result run(struct fixture *f, const char *id)
{
	const phase_def *phase = NULL;
	for (size_t i = 0; i < f->cat->n && !phase; i++)
		for (size_t j = 0; j < f->cat->phases[i].n_checks; j++)
			if (strcmp(f->cat->phases[i].checks[j].id, id) == 0)
				phase = &f->cat->phases[i];
	check_ctx ctx = { .db = f->db, .now = NOW, .catalog = f->cat, .phase = phase };
	check_result r;
	okdf_err e = { 0 };
	assert_int_equal(checks_evaluate(&ctx, id, &r, &e), OKDF_OK);
	return r;
}

static void expect(struct fixture *f, const char *id, check_state state, const char *why)
{
	check_result r = run(f, id);
	if (r.state != state || (why && strcmp(r.why, why) != 0))
		fail_msg("%s: got %s \"%s\", want %s \"%s\"", id, check_state_name(r.state), r.why,
			check_state_name(state), why ? why : "*");
}

static void test_empty_store_never_passes(void **state)
{
	struct fixture *f = *state;
	size_t n;
	const check_entry *all = checks_all(&n);
	assert_true(n >= 33);
	for (size_t i = 0; i < n; i++) {
		check_result r = run(f, all[i].id);
		if (r.state == CHECK_PASS)
			fail_msg("%s passes on an empty store: %s", all[i].id, r.why);
		assert_true(r.why[0]);
	}
	/* Synced data missing is NO_DATA; the operator's own records are FAIL. */
	expect(f, "shop_currency_tz", CHECK_NO_DATA, "shop settings not synced yet");
	expect(f, "orders_syncing", CHECK_NO_DATA, "no orders synced yet");
	expect(f, "active_product_priced", CHECK_NO_DATA, "no products synced yet");
	expect(f, "flow_recipients_7d", CHECK_NO_DATA, "no flow statistics synced yet");
	expect(f, "budgets_within_cap", CHECK_NO_DATA,
		"no daily budget cap approved yet (okdf set budget_cap_minor N)");
	expect(f, "brief_registered", CHECK_FAIL, "no brief registered (okdf brief register PATH)");
	expect(f, "weekly_review_8d", CHECK_FAIL, "no weekly review recorded yet (okdf review add)");
	expect(f, "operator_hours_recorded", CHECK_FAIL, "no operator hours recorded yet");
	expect(f, "escalation_rules_enabled", CHECK_NO_DATA, "the escalation rules have not run yet");
	expect(f, "no_stale_critical", CHECK_NO_DATA, "nothing synced yet for the rules to watch");
	static const char *const metrics[] = { "baseline_ttr_rpoh", "cart_recovery_10pct",
		"agent_resolution_80pct", "median_ttr_14d", "rpoh_30d_500" };
	for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++)
		expect(f, metrics[i], CHECK_NO_DATA, NULL);
}

/* The metrics engine's checks are wired into the registry. */
static void test_metrics_checks(void **state)
{
	struct fixture *f = *state;
	sql(f, "INSERT INTO shop(id, currency, iana_timezone, synced_at)"
		" VALUES (1, 'USD', 'America/New_York', ?1)");
	sql(f, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor, currency)"
		" VALUES ('o1', ?1 - 864000, ?1 - 864000, ?1 - 864000, 5000, 'USD')");
	expect(f, "baseline_ttr_rpoh", CHECK_FAIL,
		"no product has a first sale yet, so TTR has no baseline");
	sql(f, "INSERT INTO products(id, title, status, created_at, updated_at)"
		" VALUES ('p1', 'Mug', 'ACTIVE', ?1 - 20 * 86400, ?1)");
	sql(f, "INSERT INTO line_items(id, order_id, product_id, quantity) VALUES ('l1', 'o1', 'p1', 1)");
	check_result r = run(f, "median_ttr_14d");
	assert_int_equal(r.state, CHECK_PASS);
}

static void test_unknown_check(void **state)
{
	struct fixture *f = *state;
	check_ctx ctx = { .db = f->db, .now = NOW };
	check_result r;
	okdf_err e = { 0 };
	assert_int_equal(checks_evaluate(&ctx, "nosuch", &r, &e), OKDF_EINPUT);
	assert_string_equal(e.msg, "unknown check \"nosuch\"");
	assert_null(checks_find("nosuch"));
	assert_non_null(checks_find("orders_syncing"));
}

static void test_store_checks(void **state)
{
	struct fixture *f = *state;
	sql(f, "INSERT INTO shop(id, currency, iana_timezone, synced_at)"
		" VALUES (1, 'USD', 'America/New_York', ?1)");
	expect(f, "shop_currency_tz", CHECK_PASS, "USD, America/New_York");

	sql(f, "INSERT INTO connector_health(connector, state, last_success_at, interval_seconds,"
		" updated_at) VALUES ('shopify', 'ok', ?1 - 60, 300, ?1)");
	expect(f, "shopify_token_valid", CHECK_PASS, "token accepted, last sync 60 s ago");
	/* Synced, but no product yet: now it is a failure, not missing data. */
	expect(f, "active_product_priced", CHECK_FAIL, "0 active products priced > 0");
	sql(f, "INSERT INTO products(id, title, status, created_at, updated_at, min_price_minor,"
		" has_description) VALUES ('p1', 'Socks', 'ACTIVE', 0, 0, 0, 1),"
		" ('p2', 'Hat', 'DRAFT', 0, 0, 900, 0)");
	expect(f, "active_product_priced", CHECK_FAIL, "0 active products priced > 0");
	expect(f, "products_have_descriptions", CHECK_PASS,
		"all 1 active products have a description");
	sql(f, "INSERT INTO products(id, title, status, created_at, updated_at, min_price_minor,"
		" has_description) VALUES ('p3', 'Scarf', 'active', 0, 0, 2500, 0)");
	expect(f, "active_product_priced", CHECK_PASS, "1 active product priced > 0");
	expect(f, "products_have_descriptions", CHECK_FAIL,
		"1 of 2 active products have no description");

	expect(f, "orders_syncing", CHECK_NO_DATA, "no orders synced yet");
	sql(f, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor, currency)"
		" VALUES ('o1', ?1 - 10 * 86400, ?1 - 10 * 86400, ?1, 2500, 'USD')");
	expect(f, "orders_syncing", CHECK_PASS, "1 orders, last Shopify sync 60 s ago");
	expect(f, "order_history_28d", CHECK_FAIL, "10 days of order history (28 needed)");
	expect(f, "anomaly_baseline_28d", CHECK_FAIL, "10 days of baseline (28 needed)");
	sql(f, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor, currency)"
		" VALUES ('o0', ?1 - 30 * 86400, ?1 - 30 * 86400, ?1, 2500, 'USD')");
	expect(f, "order_history_28d", CHECK_PASS, "30 days of order history");
	expect(f, "anomaly_baseline_28d", CHECK_PASS, "30 days of baseline");
	/* Test orders are not history. */
	sql(f, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor, currency,"
		" test) VALUES ('ot', ?1 - 90 * 86400, ?1 - 90 * 86400, ?1, 1, 'USD', 1)");
	expect(f, "order_history_28d", CHECK_PASS, "30 days of order history");

	sql(f, "UPDATE connector_health SET state = 'unauthorised', last_error = 'HTTP 401'");
	expect(f, "shopify_token_valid", CHECK_FAIL, "Shopify rejected the token: HTTP 401");
	expect(f, "orders_syncing", CHECK_FAIL, "Shopify connector is unauthorised: HTTP 401");
	sql(f, "UPDATE connector_health SET state = 'ok', last_success_at = ?1 - 3 * 3600");
	expect(f, "orders_syncing", CHECK_FAIL, "last Shopify sync 3 h ago, over 2x its interval");
}

static void test_connectors_fresh(void **state)
{
	struct fixture *f = *state;
	expect(f, "connectors_fresh", CHECK_NO_DATA, "no connector has run yet");
	sql(f, "INSERT INTO connector_health(connector, state, last_success_at, interval_seconds,"
		" updated_at) VALUES ('shopify', 'ok', ?1 - 500, 300, ?1),"
		" ('klaviyo', 'ok', ?1 - 3600, 3600, ?1), ('meta', 'disabled', NULL, 300, ?1)");
	expect(f, "connectors_fresh", CHECK_PASS, "2 connectors synced within 2x their interval");
	sql(f, "INSERT INTO connector_health(connector, state, last_success_at, interval_seconds,"
		" updated_at) VALUES ('relevance', 'failing', NULL, 300, ?1)");
	sql(f, "UPDATE connector_health SET last_success_at = ?1 - 7200, interval_seconds = 600"
		" WHERE connector = 'klaviyo'");
	expect(f, "connectors_fresh", CHECK_FAIL,
		"stale: klaviyo (last 2 h ago), relevance (never synced)");
}

static void test_operator_and_review_checks(void **state)
{
	struct fixture *f = *state;
	sql(f, "INSERT INTO manual_hours(operator, started_at, seconds, created_at)"
		" VALUES ('alice', ?1 - 3600, 3600, ?1)");
	expect(f, "operator_hours_recorded", CHECK_PASS, "0 console intervals, 1 manual entry");
	sql(f, "INSERT INTO reviews(operator, reviewed_at) VALUES ('bob', ?1 - 9 * 86400)");
	expect(f, "weekly_review_8d", CHECK_FAIL, "last weekly review 9 days ago by bob");
	sql(f, "INSERT INTO reviews(operator, reviewed_at) VALUES ('alice', ?1 - 3 * 86400)");
	expect(f, "weekly_review_8d", CHECK_PASS, "last weekly review 3 days ago by alice");
	sql(f, "INSERT INTO brand_brief(id, path, sha256, registered_at, registered_by)"
		" VALUES (1, '/srv/brand/brief.md', 'abcdef0123456789abcdef', ?1 - 600, 'alice')");
	expect(f, "brief_registered", CHECK_PASS,
		"brief.md, sha256 abcdef012345, registered 10 min ago by alice");
}

static void test_email_checks(void **state)
{
	struct fixture *f = *state;
	expect(f, "flow_started_checkout_live", CHECK_NO_DATA, "no Klaviyo flows synced yet");
	sql(f, "INSERT INTO email_metrics(id, name) VALUES ('m1', 'Started Checkout'),"
		" ('m2', 'Placed Order'), ('m3', 'Fulfilled Order')");
	sql(f, "INSERT INTO email_flows(id, name, status, trigger_type, trigger_metric_id,"
		" updated_at) VALUES ('f1', 'Abandoned', 'draft', 'Metric', 'm1', ?1),"
		" ('f2', 'Thanks', 'live', 'Metric', 'm3', ?1)");
	expect(f, "flow_started_checkout_live", CHECK_FAIL,
		"no live flow triggered by Started Checkout");
	expect(f, "flow_post_purchase_live", CHECK_PASS,
		"1 live flow triggered by Placed Order or Fulfilled Order");
	sql(f, "UPDATE email_flows SET status = 'live' WHERE id = 'f1'");
	expect(f, "flow_started_checkout_live", CHECK_PASS,
		"1 live flow triggered by Started Checkout");

	expect(f, "flow_recipients_7d", CHECK_NO_DATA, "no flow statistics synced yet");
	sql(f, "INSERT INTO email_flow_stats(flow_id, timeframe, recipients, fetched_at)"
		" VALUES ('f1', 'last_7_days', 0, ?1), ('f2', 'last_30_days', 40, ?1)");
	expect(f, "flow_recipients_7d", CHECK_FAIL, "0 flow recipients in the last 7 days");
	sql(f, "INSERT INTO email_flow_stats(flow_id, timeframe, recipients, fetched_at)"
		" VALUES ('f2', 'last_7_days', 12, ?1)");
	expect(f, "flow_recipients_7d", CHECK_PASS, "12 flow recipients in the last 7 days");
}

static void test_agent_checks(void **state)
{
	struct fixture *f = *state;
	expect(f, "cs_agent_exists", CHECK_NO_DATA, "no Relevance AI agents synced yet");
	expect(f, "conversations_50_14d", CHECK_NO_DATA, "no conversations synced yet");
	sql(f, "INSERT INTO agents(id, name, kind, last_run_at, updated_at)"
		" VALUES ('a2', 'Writer', 'content', ?1 - 9 * 86400, ?1)");
	expect(f, "cs_agent_exists", CHECK_FAIL, "no customer-service agent among 1 agents");
	expect(f, "content_agent_ran_7d", CHECK_FAIL, "content agent last ran 9 days ago");
	sql(f, "UPDATE agents SET last_run_at = ?1 - 2 * 86400");
	expect(f, "content_agent_ran_7d", CHECK_PASS, "content agent ran 2 days ago");
	sql(f, "INSERT INTO agents(id, name, kind, updated_at) VALUES ('a1', 'Help', 'cs', ?1)");
	expect(f, "cs_agent_exists", CHECK_PASS, "1 customer-service agent");

	/* 49 recent conversations of the CS agent, one old, one of another agent. */
	sql(f, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 49)"
		" INSERT INTO conversations(id, agent_id, state, created_at, updated_at)"
		" SELECT 'c' || i, 'a1', 'completed', ?1 - i * 3600, ?1 FROM n");
	sql(f, "INSERT INTO conversations(id, agent_id, state, created_at, updated_at)"
		" VALUES ('old', 'a1', 'completed', ?1 - 20 * 86400, ?1),"
		" ('other', 'a2', 'completed', ?1 - 3600, ?1)");
	expect(f, "conversations_50_14d", CHECK_FAIL,
		"49 customer-service conversations in 14 days (50 needed)");
	expect(f, "no_stuck_conversations", CHECK_PASS,
		"no conversation waiting on a human for over 24 h");
	sql(f, "INSERT INTO conversations(id, agent_id, state, created_at, updated_at)"
		" VALUES ('stuck', 'a1', 'pending-approval', ?1 - 2 * 86400, ?1 - 25 * 3600),"
		" ('fresh', 'a1', 'escalated', ?1 - 3600, ?1 - 3600)");
	expect(f, "conversations_50_14d", CHECK_PASS,
		"51 customer-service conversations in 14 days");
	expect(f, "no_stuck_conversations", CHECK_FAIL,
		"1 conversation pending approval or escalated for over 24 h");

	/* Agent resolution share over 14 days: 52 conversations ('old' is 20
	 * days back); 49 + 'other' completed and never seen needing a person:
	 * 50/52 = 96.15 %. Ten of them escalated before completing: 40/52 =
	 * 76.92 %, under the 80 % bar. */
	sql(f, "INSERT INTO shop(id, currency, iana_timezone, synced_at)"
		" VALUES (1, 'USD', 'UTC', ?1)");
	expect(f, "agent_resolution_80pct", CHECK_PASS,
		"agent resolved 96.15% of 52 conversations in 14 days; needs >= 80%");
	sql(f, "UPDATE conversations SET state = 'escalated' WHERE id IN ('c1', 'c2', 'c3', 'c4',"
		" 'c5', 'c6', 'c7', 'c8', 'c9', 'c10')");
	sql(f, "UPDATE conversations SET state = 'completed' WHERE state = 'escalated'"
		" AND id LIKE 'c%'");
	expect(f, "agent_resolution_80pct", CHECK_FAIL,
		"agent resolved 76.92% of 52 conversations in 14 days; needs >= 80%");
}

static void test_meta_checks(void **state)
{
	struct fixture *f = *state;
	expect(f, "ad_account_active", CHECK_NO_DATA, "no Meta ad account synced yet");
	sql(f, "INSERT INTO ad_accounts(id, name, account_status, currency, synced_at)"
		" VALUES ('act_1', 'Main', 2, 'USD', ?1)");
	expect(f, "ad_account_active", CHECK_FAIL,
		"ad account Main has account_status 2, not 1 (ACTIVE)");
	sql(f, "UPDATE ad_accounts SET account_status = 1");
	expect(f, "ad_account_active", CHECK_PASS, "ad account Main ACTIVE");

	expect(f, "no_ads_disapproved", CHECK_NO_DATA, "no Meta ads synced yet");
	sql(f, "INSERT INTO ads(id, campaign_id, effective_status, creative_id, updated_at)"
		" VALUES ('ad1', 'c1', 'ACTIVE', 'cr1', ?1), ('ad2', 'c1', 'DISAPPROVED', 'cr2', ?1)");
	expect(f, "ad_creatives_exist", CHECK_PASS, "2 ad creatives");
	expect(f, "no_ads_disapproved", CHECK_FAIL, "1 of 2 ads DISAPPROVED");
	sql(f, "UPDATE ads SET effective_status = 'PAUSED' WHERE id = 'ad2'");
	expect(f, "no_ads_disapproved", CHECK_PASS, "0 of 2 ads DISAPPROVED");

	sql(f, "INSERT INTO campaigns(id, name, status, effective_status, daily_budget_minor,"
		" updated_at) VALUES ('c1', 'Spring', 'PAUSED', 'PAUSED', 25000, ?1),"
		" ('c2', 'Old', 'DELETED', 'DELETED', 900000, ?1)");
	expect(f, "active_campaign", CHECK_FAIL, "0 active campaigns");
	sql(f, "UPDATE campaigns SET effective_status = 'ACTIVE' WHERE id = 'c1'");
	expect(f, "active_campaign", CHECK_PASS, "1 active campaign");
	expect(f, "budgets_within_cap", CHECK_NO_DATA,
		"no daily budget cap approved yet (okdf set budget_cap_minor N)");
	sql(f, "INSERT INTO settings(key, value, set_by, set_at)"
		" VALUES ('budget_cap_minor', '10000', 'alice', ?1)");
	expect(f, "budgets_within_cap", CHECK_FAIL,
		"1 campaign over the cap: highest daily budget 25000 > cap 10000 (minor units)");
	sql(f, "UPDATE settings SET value = '25000' WHERE key = 'budget_cap_minor'");
	expect(f, "budgets_within_cap", CHECK_PASS,
		"highest daily budget 25000 <= cap 25000 (minor units)");

	expect(f, "spend_purchases_syncing", CHECK_NO_DATA, "no Meta spend or purchases synced yet");
	sql(f, "INSERT INTO ad_insights_daily(campaign_id, day, spend_minor, purchases, currency,"
		" synced_at) VALUES ('c1', '2025-11-23', 5000, 3, 'USD', ?1 - 600),"
		" ('c1', '2025-11-24', 2000, 1, 'USD', ?1 - 600)");
	expect(f, "spend_purchases_syncing", CHECK_PASS,
		"2 days of spend, 4 purchases; synced 10 min ago");
	sql(f, "UPDATE ad_insights_daily SET synced_at = ?1 - 2 * 86400");
	expect(f, "spend_purchases_syncing", CHECK_FAIL, "Meta insights last synced 2 days ago");
}

static void test_escalation_checks(void **state)
{
	struct fixture *f = *state;
	expect(f, "escalation_rules_enabled", CHECK_NO_DATA, "the escalation rules have not run yet");
	sql(f, "INSERT INTO rule_state(key, value, updated_at) VALUES ('evaluated_at', ?1, ?1)");
	expect(f, "escalation_rules_enabled", CHECK_PASS,
		"crisis, budget and brand rules enabled and running");
	sql(f, "INSERT INTO settings(key, value, set_by, set_at)"
		" VALUES ('rules.enabled.brand', '0', 'ana', ?1), ('rules.enabled.crisis', '1', 'ana', ?1)");
	expect(f, "escalation_rules_enabled", CHECK_FAIL, "rules disabled for: brand");
	sql(f, "UPDATE settings SET value = '1' WHERE key = 'rules.enabled.brand'");
	expect(f, "escalation_rules_enabled", CHECK_PASS,
		"crisis, budget and brand rules enabled and running");

	expect(f, "escalations_acked_in_sla", CHECK_NO_DATA,
		"no escalations in the last 14 days to judge");
	/* critical acked after 30 min, high resolved after 3 h, normal still
	 * open for 2 h (inside 24 h), and one older than 14 days acked late. */
	sql(f, "INSERT INTO escalations(kind, severity, source, title, dedup_key, state, created_at,"
		" acknowledged_at, resolved_at) VALUES"
		" ('crisis.recall', 'critical', 'rules', 't', 'k1', 'acknowledged', ?1 - 86400,"
		"  ?1 - 86400 + 1800, NULL),"
		" ('budget.scale', 'high', 'rules', 't', 'k2', 'resolved', ?1 - 86400, NULL,"
		"  ?1 - 86400 + 3 * 3600),"
		" ('brand.positioning', 'normal', 'rules', 't', 'k3', 'open', ?1 - 7200, NULL, NULL),"
		" ('crisis.recall', 'critical', 'rules', 't', 'k4', 'acknowledged', ?1 - 20 * 86400,"
		"  ?1 - 19 * 86400, NULL)");
	expect(f, "escalations_acked_in_sla", CHECK_PASS,
		"3 escalations, all acknowledged within SLA");
	sql(f, "INSERT INTO escalations(kind, severity, source, title, dedup_key, state, created_at)"
		" VALUES ('crisis.policy_violation', 'critical', 'rules', 't', 'k5', 'open',"
		" ?1 - 2 * 86400)");
	sql(f, "INSERT INTO connector_health(connector, state, last_success_at, updated_at)"
		" VALUES ('shopify', 'ok', ?1, ?1)");
	expect(f, "escalations_acked_in_sla", CHECK_FAIL,
		"1 of 4 escalations not acknowledged within SLA (first: #5, critical)");
	expect(f, "no_stale_critical", CHECK_FAIL,
		"1 critical escalation unacknowledged for over 24 h");
	sql(f, "UPDATE escalations SET state = 'acknowledged', acknowledged_at = ?1 WHERE id = 5");
	expect(f, "no_stale_critical", CHECK_PASS,
		"no critical escalation unacknowledged for over 24 h");
	assert_int_equal(checks_escalation_sla("critical"), 3600);
	assert_int_equal(checks_escalation_sla("high"), 4 * 3600);
	assert_int_equal(checks_escalation_sla("normal"), 86400);
}

static void test_phases_1_10_complete(void **state)
{
	struct fixture *f = *state;
	expect(f, "phases_1_10_complete", CHECK_FAIL,
		"not complete: phases 1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
	sql(f, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
		" INSERT INTO phase_progress(phase_id, completed_at, completed_by)"
		" SELECT CASE i WHEN 1 THEN 'brand' WHEN 2 THEN 'store' WHEN 3 THEN 'warehouse'"
		" WHEN 4 THEN 'email' WHEN 5 THEN 'cs_agent' WHEN 6 THEN 'content'"
		" WHEN 7 THEN 'creative' WHEN 8 THEN 'paid' WHEN 9 THEN 'feedback'"
		" ELSE 'escalation' END, ?1, 'alice' FROM n WHERE i <> 9");
	expect(f, "phases_1_10_complete", CHECK_FAIL, "not complete: phase 9");
	sql(f, "INSERT INTO phase_progress(phase_id, completed_at, completed_by)"
		" VALUES ('feedback', ?1, 'alice')");
	expect(f, "phases_1_10_complete", CHECK_PASS, "all 10 earlier phases complete");
}

static void test_untrusted_text_is_cleaned(void **state)
{
	struct fixture *f = *state;
	sql(f, "INSERT INTO connector_health(connector, state, last_error, updated_at)"
		" VALUES ('shopify', 'unauthorised', 'bad' || char(27) || '[2Jtoken' || char(155), ?1)");
	check_result r = run(f, "shopify_token_valid");
	assert_int_equal(r.state, CHECK_FAIL);
	/* The shared sanitizer drops an escape sequence whole, parameters too. */
	assert_string_equal(r.why, "Shopify rejected the token: badtoken");
}

static void test_now_env(void **state)
{
	(void)state;
	long long t;
	char buf[32];
	time_format_utc(1764000000, buf, sizeof buf);
	assert_string_equal(buf, "2025-11-24T16:00:00Z");

	okdf_err e = { 0 };
	setenv("OKDF_NOW", "2025-11-24T16:00:00Z", 1);
	assert_int_equal(time_now(&t, &e), OKDF_OK);
	assert_int_equal(t, 1764000000);
	setenv("OKDF_NOW", "soon", 1);
	assert_int_equal(time_now(&t, &e), OKDF_EINPUT);
	unsetenv("OKDF_NOW");
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_store_never_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metrics_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connectors_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_operator_and_review_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_email_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phases_1_10_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_text_is_cleaned, setup, teardown),
		cmocka_unit_test(test_now_env),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return failed;
}

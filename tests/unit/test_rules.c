/* Escalation rules on hand-built store states: each fires, stays quiet just
 * below its threshold, does not duplicate across evaluations, and fires
 * again after its condition cleared and came back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/store/db_private.h"
#include "okdf/core/config.h"
#include "okdf/core/inbox.h"
#include "okdf/core/rules.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

/* 2026-11-26T13:33:20Z, a Thursday; 08:33 in New York. */
#define NOW 1795700000LL
#define DAY 86400LL

static char dir[] = "/tmp/okdf-test-rules-XXXXXX";
static int db_seq;

typedef struct fixture {
	okdf_db *db;
	okdf_config cfg;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char path[256];
	snprintf(path, sizeof path, "%s/t%d.db", dir, db_seq++);
	okdf_err e = { 0 };
	if (db_open(path, &f->db, &e) != OKDF_OK)
		return -1;
	config_defaults(&f->cfg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	db_close(f->db);
	free(f);
	return 0;
}

static void sql(okdf_db *db, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *msg = NULL;
	if (sqlite3_exec(db_sqlite(db), buf, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", buf, msg);
		sqlite3_free(msg);
		fail();
	}
}

static int count(okdf_db *db, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), buf, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int kind_count(okdf_db *db, const char *key_prefix)
{
	return count(db, "SELECT count(*) FROM escalations WHERE dedup_key LIKE '%s%%'", key_prefix);
}

static int eval(fixture *f, long long now)
{
	int raised = -1;
	okdf_err e = { 0 };
	int rc = rules_evaluate(f->db, &f->cfg.rules, now, &raised, &e);
	if (rc)
		fprintf(stderr, "rules_evaluate: %s\n", e.msg);
	assert_int_equal(rc, OKDF_OK);
	return raised;
}

static void resolve_all(fixture *f, const char *key_prefix, long long now)
{
	sqlite3_stmt *st;
	char q[256];
	snprintf(q, sizeof q, "SELECT id FROM escalations WHERE state <> 'resolved'"
		" AND dedup_key LIKE '%s%%'", key_prefix);
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(f->db), q, -1, &st, NULL), SQLITE_OK);
	long long ids[64];
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < 64)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	okdf_operator op = { "tester", "" };
	okdf_err e = { 0 };
	for (int i = 0; i < n; i++)
		assert_int_equal(inbox_resolve(f->db, &op, ids[i], "looked at it", now, &e), OKDF_OK);
}

/* The shared lifecycle of a state-like condition: raised once, not again
 * while it holds (also after it was resolved), raised anew when it cleared
 * and came back. on/off are SQL that set the condition. */
static void cycle(fixture *f, const char *key_prefix, const char *on, const char *off)
{
	sql(f->db, "%s", on);
	int before = kind_count(f->db, key_prefix);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, key_prefix), before + 1);
	eval(f, NOW + 60);
	assert_int_equal(kind_count(f->db, key_prefix), before + 1);
	resolve_all(f, key_prefix, NOW + 90);
	eval(f, NOW + 120);
	assert_int_equal(kind_count(f->db, key_prefix), before + 1);
	sql(f->db, "%s", off);
	eval(f, NOW + 180);
	assert_int_equal(kind_count(f->db, key_prefix), before + 1);
	sql(f->db, "%s", on);
	eval(f, NOW + 240);
	assert_int_equal(kind_count(f->db, key_prefix), before + 2);
}

static char *evidence_of(okdf_db *db, const char *key_prefix)
{
	sqlite3_stmt *st;
	char q[256];
	snprintf(q, sizeof q, "SELECT evidence FROM escalations WHERE dedup_key LIKE '%s%%'"
		" ORDER BY id DESC LIMIT 1", key_prefix);
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static double evidence_number(okdf_db *db, const char *key_prefix, const char *field)
{
	char *s = evidence_of(db, key_prefix);
	cJSON *j = cJSON_Parse(s);
	free(s);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, field);
	assert_true(cJSON_IsNumber(v));
	double d = v->valuedouble;
	cJSON_Delete(j);
	return d;
}

static void test_empty_store_is_quiet(void **state)
{
	fixture *f = *state;
	assert_int_equal(eval(f, NOW), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations"), 0);
}

static void test_policy_account(void **state)
{
	fixture *f = *state;
	sql(f->db, "INSERT INTO ad_accounts(id, name, account_status, currency, synced_at)"
		" VALUES ('act_1', 'Main', 1, 'USD', %lld)", NOW);
	assert_int_equal(eval(f, NOW - 10), 0);
	cycle(f, "crisis.policy_violation:account:act_1",
		"UPDATE ad_accounts SET account_status = 2",
		"UPDATE ad_accounts SET account_status = 1");
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations"
		" WHERE severity = 'critical' AND kind = 'crisis.policy_violation'"), 2);
	/* A new critical escalation is what the UI rings for, and it goes to the webhook. */
	long long id;
	okdf_err e = { 0 };
	assert_int_equal(inbox_latest_critical_id(f->db, &id, &e), OKDF_OK);
	assert_int_equal(id, count(f->db, "SELECT max(id) FROM escalations"));
	assert_int_equal(count(f->db, "SELECT count(*) FROM notify_queue"), 2);
}

static void test_policy_ad_disapproved(void **state)
{
	fixture *f = *state;
	sql(f->db, "INSERT INTO ads(id, campaign_id, name, status, effective_status, updated_at)"
		" VALUES ('ad1', 'c1', 'Hero video', 'ACTIVE', 'WITH_ISSUES', %lld)", NOW);
	assert_int_equal(eval(f, NOW - 10), 0);
	cycle(f, "crisis.policy_violation:ad:ad1",
		"UPDATE ads SET effective_status = 'DISAPPROVED'",
		"UPDATE ads SET effective_status = 'ACTIVE'");
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations WHERE severity = 'high'"),
		2);
}

static void test_keywords_recall_and_review(void **state)
{
	fixture *f = *state;
	f->cfg.rules.keyword_min_count = 2;
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency) VALUES ('o1', %lld, %lld, %lld, 1000, 'USD')", NOW - DAY, NOW - DAY,
		NOW - DAY);
	/* One match is below a minimum of 2; "crash" is not the keyword "rash". */
	sql(f->db, "INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at,"
		" last_message) VALUES ('cv1', 'ag', 'completed', 'Order question', %lld, %lld,"
		" 'My son had an ALLERGIC reaction')", NOW - 3600, NOW - 3600);
	sql(f->db, "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency, note)"
		" VALUES ('r1', 'o1', %lld, 500, 'USD', 'site crash at checkout')", NOW - 600);
	assert_int_equal(eval(f, NOW - 1), 0);
	/* A second harm mention makes 2; an old one (25 h) would not count. */
	sql(f->db, "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency, note)"
		" VALUES ('r0', 'o1', %lld, 500, 'USD', 'burned my hand')", NOW - 25 * 3600);
	assert_int_equal(eval(f, NOW - 1), 0);
	cycle(f, "crisis.recall:keywords",
		"INSERT OR REPLACE INTO refunds(id, order_id, created_at, amount_minor, currency, note)"
		" VALUES ('r2', 'o1', 1795699000, 500, 'USD', 'Rash after one use')",
		"DELETE FROM refunds WHERE id = 'r2'");
	assert_int_equal(kind_count(f->db, "crisis.negative_review"), 0);
	sql(f->db, "INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at,"
		" last_message) VALUES ('cv2', 'ag', 'completed', 'This is a SCAM', %lld, %lld,"
		" 'going viral on tiktok')", NOW, NOW);
	sql(f->db, "INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at,"
		" last_message) VALUES ('cv3', 'ag', 'completed', 'lawsuit', %lld, %lld, '')", NOW, NOW);
	eval(f, NOW + 300);
	assert_int_equal(kind_count(f->db, "crisis.negative_review:keywords"), 1);
	char *ev = evidence_of(f->db, "crisis.negative_review");
	assert_non_null(strstr(ev, "cv2"));
	assert_non_null(strstr(ev, "\"keywords\":[\"viral\",\"scam\",\"lawsuit\"]"));
	free(ev);
}

static void add_refund(okdf_db *db, const char *id, long long at, const char *product)
{
	sql(db, "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency)"
		" VALUES ('%s', 'o1', %lld, 500, 'USD')", id, at);
	if (product)
		sql(db, "INSERT INTO refund_line_items(refund_id, line_item_id, product_id, quantity)"
			" VALUES ('%s', 'li-%s', '%s', 1)", id, id, product);
}

static void order_o1(okdf_db *db)
{
	sql(db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency) VALUES ('o1', %lld, %lld, %lld, 1000, 'USD')", NOW - 40 * DAY,
		NOW - 40 * DAY, NOW - 40 * DAY);
}

static void test_product_defect(void **state)
{
	fixture *f = *state;
	order_o1(f->db);
	sql(f->db, "INSERT INTO products(id, title, status, created_at, updated_at)"
		" VALUES ('p1', 'Kettle', 'active', 0, 0)");
	assert_int_equal(eval(f, NOW - 100), 0); /* the new-product baseline */
	/* Two refunds, both for p1, but under refund_spike_min (3). */
	add_refund(f->db, "r1", NOW - 3000, "p1");
	add_refund(f->db, "r2", NOW - 2000, "p1");
	eval(f, NOW - 50);
	assert_int_equal(kind_count(f->db, "crisis.recall:defect"), 0);
	/* Three refunds: p1 in 2 of them (>= half), p2 in 1 (< half). */
	add_refund(f->db, "r3", NOW - 1000, "p2");
	cycle(f, "crisis.recall:defect:p1:",
		"UPDATE refund_line_items SET product_id = 'p1' WHERE refund_id = 'r2'",
		"UPDATE refund_line_items SET product_id = 'p3' WHERE refund_id = 'r2'");
	assert_int_equal(kind_count(f->db, "crisis.recall:defect:p2"), 0);
	assert_int_equal((int)evidence_number(f->db, "crisis.recall:defect:p1", "refunds_24h"), 3);
}

static void test_refund_spike(void **state)
{
	fixture *f = *state;
	order_o1(f->db);
	/* Baseline alternating 0 and 3 a day: mean 1.5, sigma 1.5, threshold 4.5. */
	for (int d = 1; d <= 28; d++)
		for (int k = 0; k < (d % 2 ? 3 : 0); k++) {
			char id[32];
			snprintf(id, sizeof id, "b%d-%d", d, k);
			add_refund(f->db, id, NOW - d * DAY - 100 - k, NULL);
		}
	add_refund(f->db, "t1", NOW - 100, NULL);
	add_refund(f->db, "t2", NOW - 200, NULL);
	add_refund(f->db, "t3", NOW - 300, NULL);
	add_refund(f->db, "t4", NOW - 400, NULL);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.refund_spike"), 0); /* 4 <= 4.5 */
	cycle(f, "anomaly.refund_spike",
		"INSERT INTO refunds(id, order_id, created_at, amount_minor, currency)"
		" VALUES ('t5', 'o1', 1795699000, 500, 'USD')",
		"DELETE FROM refunds WHERE id = 't5'");
	assert_true(evidence_number(f->db, "anomaly.refund_spike", "threshold") == 4.5);
}

static void test_refund_spike_minimum(void **state)
{
	fixture *f = *state;
	order_o1(f->db);
	/* No baseline at all: 2 refunds is still under the minimum of 3. */
	add_refund(f->db, "t1", NOW - 100, NULL);
	add_refund(f->db, "t2", NOW - 200, NULL);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.refund_spike"), 0);
	add_refund(f->db, "t3", NOW - 300, NULL);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.refund_spike"), 1);
}

static void test_revenue_drop(void **state)
{
	fixture *f = *state;
	const char *tz = "America/New_York";
	sql(f->db, "INSERT INTO shop(id, currency, iana_timezone, synced_at)"
		" VALUES (1, 'USD', '%s', 0)", tz);
	okdf_date today;
	long long start;
	okdf_err e = { 0 };
	assert_int_equal(tz_date_of(tz, NOW, &today, &e), OKDF_OK);
	assert_int_equal(tz_day_start(tz, today, &start, &e), OKDF_OK);
	long long elapsed = NOW - start;
	/* Each of the last 4 same weekdays: 2 orders of 100.00 before this time of day,
	 * and one after it that must not count. */
	for (int k = 1; k <= 4; k++) {
		long long s;
		assert_int_equal(tz_day_start(tz, date_add_days(today, -7 * k), &s, &e), OKDF_OK);
		for (int i = 0; i < 3; i++)
			sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at,"
				" total_minor, currency, shipping_country) VALUES ('w%d-%d', %lld, %lld, %lld,"
				" 10000, 'USD', 'US')", k, i, s, i < 2 ? s + elapsed / 2 : s + elapsed + 3600,
				s);
	}
	f->cfg.rules.revenue_drop_min_orders = 2;
	/* Exactly half of the 200.00 average is not under half. */
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency) VALUES ('t1', %lld, %lld, %lld, 10000, 'USD')", start + 60, start + 60,
		start + 60);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.revenue_drop"), 0);
	/* Too little volume to judge (min 3 orders a day on average). */
	f->cfg.rules.revenue_drop_min_orders = 3;
	sql(f->db, "UPDATE orders SET total_minor = 100 WHERE id = 't1'");
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.revenue_drop"), 0);
	f->cfg.rules.revenue_drop_min_orders = 2;
	cycle(f, "anomaly.revenue_drop",
		"UPDATE orders SET total_minor = 9999 WHERE id = 't1'",
		"UPDATE orders SET total_minor = 20000 WHERE id = 't1'");
	assert_int_equal((int)evidence_number(f->db, "anomaly.revenue_drop", "baseline_minor"),
		20000);
	/* Test orders are not revenue: the drop clears, then comes back. */
	sql(f->db, "UPDATE orders SET total_minor = 50000 WHERE id = 't1'");
	eval(f, NOW + 250);
	assert_int_equal(kind_count(f->db, "anomaly.revenue_drop"), 2);
	sql(f->db, "UPDATE orders SET test = 1 WHERE id = 't1'");
	eval(f, NOW + 260);
	assert_int_equal(kind_count(f->db, "anomaly.revenue_drop"), 3);
}

/* The state and decision note of the newest escalation under key_prefix. */
static void newest(okdf_db *db, const char *key_prefix, char *st_out, char *note, size_t n)
{
	sqlite3_stmt *st;
	char q[256];
	snprintf(q, sizeof q, "SELECT state, coalesce(decision_note, '') FROM escalations"
		" WHERE dedup_key LIKE '%s%%' ORDER BY id DESC LIMIT 1", key_prefix);
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(st_out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(note, n, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
}

static void test_revenue_drop_waits_for_a_finished_pass(void **state)
{
	fixture *f = *state;
	const char *tz = "UTC";
	sql(f->db, "INSERT INTO shop(id, currency, iana_timezone, synced_at)"
		" VALUES (1, 'USD', '%s', 0)", tz);
	okdf_date today;
	long long start;
	okdf_err e = { 0 };
	assert_int_equal(tz_date_of(tz, NOW, &today, &e), OKDF_OK);
	assert_int_equal(tz_day_start(tz, today, &start, &e), OKDF_OK);
	for (int k = 1; k <= 4; k++) {
		long long s;
		assert_int_equal(tz_day_start(tz, date_add_days(today, -7 * k), &s, &e), OKDF_OK);
		for (int i = 0; i < 6; i++)
			sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at,"
				" total_minor, currency) VALUES ('w%d-%d', %lld, %lld, %lld, 10000, 'USD')",
				k, i, s + 60, s + 60, s + 60);
	}
	f->cfg.rules.revenue_drop_min_orders = 2;
	/* A first sync killed mid-way: today's orders are not in yet. No alarm. */
	sql(f->db, "INSERT INTO connector_health(connector, state, interval_seconds, updated_at)"
		" VALUES ('shopify', 'syncing', 300, %lld)", NOW - 600);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.revenue_drop"), 0);
	/* A pass that finished before today began says nothing about today. */
	sql(f->db, "UPDATE connector_health SET state = 'ok', last_success_at = %lld", start - 1);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.revenue_drop"), 0);
	/* Finished today, with nothing sold: a drop, judged up to that pass. */
	sql(f->db, "UPDATE connector_health SET last_success_at = %lld", start + 120);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.revenue_drop"), 1);
	assert_int_equal((int)evidence_number(f->db, "anomaly.revenue_drop", "cut_seconds"), 120);
	/* A later pass in progress changes nothing; its episode is kept. */
	sql(f->db, "UPDATE connector_health SET state = 'syncing'");
	eval(f, NOW + 60);
	char st[32], note[512];
	newest(f->db, "anomaly.revenue_drop", st, note, sizeof st);
	assert_string_equal(st, "open");
	/* Today's orders arrive; the condition clears and the escalation is
	 * resolved with a note, not left open for ever. */
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency) VALUES ('t1', %lld, %lld, %lld, 30000, 'USD')", start + 60, start + 60,
		start + 60);
	sql(f->db, "UPDATE connector_health SET state = 'ok', last_success_at = %lld", NOW + 100);
	eval(f, NOW + 120);
	newest(f->db, "anomaly.revenue_drop", st, note, sizeof note);
	assert_string_equal(st, "resolved");
	assert_non_null(strstr(note, "Resolved automatically"));
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalation_events WHERE action = 'resolve'"
		" AND operator = 'okdf-rules' AND note LIKE 'Resolved automatically: revenue%%'"), 1);
	assert_int_equal(kind_count(f->db, "anomaly.revenue_drop"), 1);
}

static void test_sync_down_in_progress_and_recovery(void **state)
{
	fixture *f = *state;
	/* Last success long ago, but a pass is committing now: not down. */
	sql(f->db, "INSERT INTO connector_health(connector, state, last_success_at,"
		" interval_seconds, updated_at) VALUES ('shopify', 'syncing', %lld, 300, %lld)",
		NOW - 86400, NOW - 30);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.sync_down"), 0);
	/* The pass stopped committing (killed): down. */
	eval(f, NOW + 1000);
	assert_int_equal(kind_count(f->db, "anomaly.sync_down:connector:shopify"), 1);
	/* It syncs again: the escalation resolves itself with a note. */
	sql(f->db, "UPDATE connector_health SET state = 'ok', last_success_at = %lld", NOW + 1100);
	eval(f, NOW + 1200);
	char st[32], note[512];
	newest(f->db, "anomaly.sync_down:connector:shopify", st, note, sizeof note);
	assert_string_equal(st, "resolved");
	assert_non_null(strstr(note, "synced again"));
}

static void test_sync_down(void **state)
{
	fixture *f = *state;
	/* Exactly 3 intervals without success is not yet down. */
	sql(f->db, "INSERT INTO connector_health(connector, state, last_success_at,"
		" interval_seconds, updated_at) VALUES ('meta', 'failing', %lld, 300, %lld)",
		NOW - 900, NOW);
	sql(f->db, "INSERT INTO connector_health(connector, state, last_success_at,"
		" interval_seconds, updated_at) VALUES ('klaviyo', 'disabled', 0, 300, %lld)", NOW);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "anomaly.sync_down"), 0);
	cycle(f, "anomaly.sync_down:connector:meta",
		"UPDATE connector_health SET last_success_at = 1795690000 WHERE connector = 'meta'",
		"UPDATE connector_health SET last_success_at = 1795700170 WHERE connector = 'meta'");
	assert_int_equal(kind_count(f->db, "anomaly.sync_down:connector:klaviyo"), 0);
}

static void test_budget_raise(void **state)
{
	fixture *f = *state;
	sql(f->db, "INSERT INTO campaigns(id, name, status, daily_budget_minor, currency,"
		" updated_at) VALUES ('c1', 'Prospecting', 'ACTIVE', 12000, 'USD', 0)");
	sql(f->db, "INSERT INTO campaign_budget_history VALUES ('c1', %lld, 10000)", NOW - DAY);
	sql(f->db, "INSERT INTO campaign_budget_history VALUES ('c1', %lld, 12000)", NOW - 600);
	eval(f, NOW - 500);
	assert_int_equal(kind_count(f->db, "budget.scale:raise"), 0); /* exactly 20% */
	sql(f->db, "INSERT INTO campaign_budget_history VALUES ('c1', %lld, 15000)", NOW - 400);
	eval(f, NOW - 300);
	assert_int_equal(kind_count(f->db, "budget.scale:raise:c1"), 1);
	assert_int_equal((int)evidence_number(f->db, "budget.scale:raise", "revert_to_minor"),
		12000);
	eval(f, NOW - 200);
	resolve_all(f, "budget.scale", NOW - 150);
	eval(f, NOW - 100);
	assert_int_equal(kind_count(f->db, "budget.scale:raise:c1"), 1);
	/* Reverted, then raised again: a new escalation. */
	sql(f->db, "INSERT INTO campaign_budget_history VALUES ('c1', %lld, 12000)", NOW - 50);
	eval(f, NOW - 40);
	assert_int_equal(kind_count(f->db, "budget.scale:raise:c1"), 1);
	sql(f->db, "INSERT INTO campaign_budget_history VALUES ('c1', %lld, 100000)", NOW - 30);
	eval(f, NOW - 20);
	assert_int_equal(kind_count(f->db, "budget.scale:raise:c1"), 2);
}

static void test_budget_cap(void **state)
{
	fixture *f = *state;
	f->cfg.rules.budget_cap_minor = 90000; /* the approved setting wins over config */
	sql(f->db, "INSERT INTO settings VALUES ('budget_cap_minor', '50000', 'op', 0)");
	sql(f->db, "INSERT INTO campaigns(id, name, status, daily_budget_minor, currency,"
		" updated_at) VALUES ('c1', 'Prospecting', 'ACTIVE', 50000, 'USD', 0)");
	sql(f->db, "INSERT INTO campaign_budget_history VALUES ('c1', %lld, 40000)", NOW - DAY);
	eval(f, NOW - 10);
	assert_int_equal(kind_count(f->db, "budget.scale:cap"), 0);
	cycle(f, "budget.scale:cap:c1",
		"UPDATE campaigns SET daily_budget_minor = 50001",
		"UPDATE campaigns SET daily_budget_minor = 50000");
	assert_int_equal((int)evidence_number(f->db, "budget.scale:cap", "revert_to_minor"), 40000);
	assert_int_equal((int)evidence_number(f->db, "budget.scale:cap", "cap_minor"), 50000);
}

static void add_spend(okdf_db *db, const char *campaign, okdf_date d, long long minor)
{
	char day[16];
	date_format(d, day, sizeof day);
	sql(db, "INSERT OR REPLACE INTO ad_insights_daily(campaign_id, day, spend_minor, currency,"
		" synced_at) VALUES ('%s', '%s', %lld, 'USD', 0)", campaign, day, minor);
}

static void test_spend_spike(void **state)
{
	fixture *f = *state;
	okdf_date today = date_from_days(NOW / DAY);
	for (int k = 1; k <= 7; k++)
		add_spend(f->db, "c2", date_add_days(today, -k), 1000);
	add_spend(f->db, "c2", today, 1500); /* exactly 150% */
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "budget.scale:spend"), 0);
	add_spend(f->db, "c2", today, 1501);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "budget.scale:spend:c2"), 1);
	resolve_all(f, "budget.scale", NOW + 10);
	add_spend(f->db, "c2", today, 3000);
	eval(f, NOW + 20);
	assert_int_equal(kind_count(f->db, "budget.scale:spend:c2"), 1);
	/* The next day's spike is a new one; a normal day raises nothing. */
	add_spend(f->db, "c2", date_add_days(today, 1), 1000);
	eval(f, NOW + DAY);
	assert_int_equal(kind_count(f->db, "budget.scale:spend:c2"), 1);
	add_spend(f->db, "c2", date_add_days(today, 2), 9000);
	eval(f, NOW + 2 * DAY);
	assert_int_equal(kind_count(f->db, "budget.scale:spend:c2"), 2);
}

static void test_new_product(void **state)
{
	fixture *f = *state;
	sql(f->db, "INSERT INTO products(id, title, status, created_at, updated_at)"
		" VALUES ('p1', 'Kettle', 'active', 0, %lld)", NOW - DAY);
	assert_int_equal(eval(f, NOW - 100), 0); /* baseline: p1 was there */
	assert_int_equal(eval(f, NOW - 90), 0);
	/* A draft, and an active product last changed 8 days ago: no launch. */
	sql(f->db, "INSERT INTO products(id, title, status, created_at, updated_at)"
		" VALUES ('p3', 'Draft', 'draft', 0, %lld)", NOW);
	sql(f->db, "INSERT INTO products(id, title, status, created_at, updated_at)"
		" VALUES ('p4', 'Old', 'active', 0, %lld)", NOW - 8 * DAY);
	eval(f, NOW - 80);
	assert_int_equal(kind_count(f->db, "budget.new_product"), 0);
	sql(f->db, "INSERT INTO products(id, title, status, created_at, updated_at)"
		" VALUES ('p2', 'Teapot', 'draft', 0, %lld)", NOW);
	cycle(f, "budget.new_product:p2",
		"UPDATE products SET status = 'active' WHERE id = 'p2'",
		"UPDATE products SET status = 'draft' WHERE id = 'p2'");
	assert_int_equal(kind_count(f->db, "budget.new_product"), 2);
}

static void test_new_market(void **state)
{
	fixture *f = *state;
	/* A fresh shop whose first orders are all recent: no "new" markets yet. */
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency, shipping_country) VALUES ('o1', %lld, %lld, %lld, 100, 'USD', 'US')",
		NOW - 3 * DAY, NOW - 3 * DAY, NOW - 3 * DAY);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "budget.new_market"), 0);
	/* With history older than a week, US is old news; DE is new. */
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency, shipping_country) VALUES ('o0', %lld, %lld, %lld, 100, 'USD', 'US')",
		NOW - 30 * DAY, NOW - 30 * DAY, NOW - 30 * DAY);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "budget.new_market"), 0);
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency, shipping_country, test) VALUES ('ot', %lld, %lld, %lld, 100, 'USD', 'FR',"
		" 1)", NOW - 60, NOW - 60, NOW - 60);
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency, shipping_country) VALUES ('o2', %lld, %lld, %lld, 100, 'USD', 'DE')",
		NOW - 60, NOW - 60, NOW - 60);
	assert_int_equal(eval(f, NOW), 1);
	assert_int_equal(kind_count(f->db, "budget.new_market:DE"), 1);
	assert_int_equal(kind_count(f->db, "budget.new_market:FR"), 0); /* a test order */
	resolve_all(f, "budget.new_market", NOW + 1);
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency, shipping_country) VALUES ('o3', %lld, %lld, %lld, 100, 'USD', 'DE')",
		NOW + 2, NOW + 2, NOW + 2);
	assert_int_equal(eval(f, NOW + 10), 0);
	sql(f->db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor,"
		" currency, shipping_country) VALUES ('o4', %lld, %lld, %lld, 100, 'USD', 'CA')",
		NOW + 20, NOW + 20, NOW + 20);
	assert_int_equal(eval(f, NOW + 30), 1);
}

static void test_brand_positioning(void **state)
{
	fixture *f = *state;
	sql(f->db, "INSERT INTO brand_brief VALUES (1, 'brief.md', 'aaa', 0, 'op')");
	assert_int_equal(eval(f, NOW), 0); /* registering is not a change */
	sql(f->db, "UPDATE brand_brief SET sha256 = 'bbb'");
	assert_int_equal(eval(f, NOW + 10), 1);
	assert_int_equal(eval(f, NOW + 20), 0);
	resolve_all(f, "brand.positioning", NOW + 30);
	assert_int_equal(eval(f, NOW + 40), 0);
	sql(f->db, "UPDATE brand_brief SET sha256 = 'aaa'");
	assert_int_equal(eval(f, NOW + 50), 1);
	assert_int_equal(kind_count(f->db, "brand.positioning"), 2);
}

/* An operator-disabled category is skipped; the run is still recorded. */
static void test_category_disabled(void **state)
{
	fixture *f = *state;
	sql(f->db, "INSERT INTO brand_brief VALUES (1, 'brief.md', 'aaa', 0, 'op')");
	sql(f->db, "INSERT INTO settings(key, value, set_by, set_at)"
		" VALUES ('rules.enabled.brand', '0', 'op', 0)");
	assert_int_equal(eval(f, NOW), 0);
	sql(f->db, "UPDATE brand_brief SET sha256 = 'bbb'");
	assert_int_equal(eval(f, NOW + 10), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM rule_state"
		" WHERE key = 'evaluated_at' AND value = '%lld'", NOW + 10), 1);
	/* Switched back on, the rule takes the current brief as its baseline. */
	sql(f->db, "UPDATE settings SET value = '1' WHERE key = 'rules.enabled.brand'");
	assert_int_equal(eval(f, NOW + 20), 0);
	sql(f->db, "UPDATE brand_brief SET sha256 = 'ccc'");
	assert_int_equal(eval(f, NOW + 30), 1);
}

static void test_agent_approval(void **state)
{
	fixture *f = *state;
	sql(f->db, "INSERT INTO agents(id, name, kind, updated_at) VALUES ('ag1', 'CS', 'cs', 0)");
	sql(f->db, "INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at)"
		" VALUES ('cv1', 'ag1', 'running', 'Refund request #1042', %lld, %lld)", NOW - DAY,
		NOW - DAY);
	eval(f, NOW);
	assert_int_equal(kind_count(f->db, "agent.approval"), 0);
	cycle(f, "agent.approval:cv1",
		"UPDATE conversations SET state = 'pending-approval'",
		"UPDATE conversations SET state = 'completed'");
	sql(f->db, "UPDATE conversations SET state = 'escalated'");
	eval(f, NOW + 400);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations WHERE kind ="
		" 'agent.approval' AND severity = 'high'"), 0); /* same episode, still held */
	sql(f->db, "INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at)"
		" VALUES ('cv2', 'ag1', 'escalated', 'Angry customer', %lld, %lld)", NOW, NOW);
	eval(f, NOW + 500);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations WHERE kind ="
		" 'agent.approval' AND severity = 'high'"), 1);
	char *ev = evidence_of(f->db, "agent.approval:cv2");
	assert_non_null(strstr(ev, "\"agent_id\":\"ag1\""));
	free(ev);
}

/* One conversation matching the recall keywords, the complaint keywords and
 * awaiting an agent approval is one escalation listing the three rules, at
 * the highest severity, of the kind that takes the decision; later passes
 * and a second message in the same conversation keep it one. */
static void test_one_escalation_per_conversation(void **state)
{
	fixture *f = *state;
	f->cfg.rules.keyword_min_count = 1;
	sql(f->db, "INSERT INTO agents(id, name, kind, updated_at) VALUES ('ag1', 'CS', 'cs', 0)");
	sql(f->db, "INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at,"
		" last_message) VALUES ('cv9', 'ag1', 'pending-approval', 'Refund?', %lld, %lld,"
		" 'this is a scam, my son got a rash')", NOW - 600, NOW - 600);
	assert_int_equal(eval(f, NOW), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations WHERE kind ="
		" 'crisis.recall' AND severity = 'critical' AND title LIKE '%%(+2 rules)'"), 1);
	/* The listed agent.approval keeps the decision possible. */
	escalation x;
	okdf_err e = { 0 };
	assert_int_equal(escalation_get(f->db, 1, &x, &e), OKDF_OK);
	assert_string_equal(inbox_deciding_kind(&x), "agent.approval");
	escalation_free(&x);
	okdf_operator op = { "tester", "" };
	assert_int_equal(inbox_decide(f->db, &op, 1, "revert", "no", NOW + 5, &e), OKDF_EINPUT);
	assert_int_equal(inbox_decide(f->db, &op, 1, "approve", "fine", NOW + 5, &e), OKDF_OK);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalation_actions WHERE connector ="
		" 'relevance' AND action = 'agent.approve' AND payload LIKE '%%cv9%%'"), 1);
	assert_int_equal(count(f->db, "SELECT json_array_length(evidence, '$.rules')"
		" FROM escalations"), 3);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations, json_each(evidence,"
		" '$.rules') r WHERE json_extract(r.value, '$.kind') IN ('crisis.recall',"
		" 'crisis.negative_review', 'agent.approval')"), 3);
	char *ev = evidence_of(f->db, "");
	assert_non_null(strstr(ev, "\"conversation_id\":\"cv9\""));
	assert_non_null(strstr(ev, "\"sources\":[\"conversation:cv9\"]"));
	free(ev);
	assert_int_equal(eval(f, NOW + 60), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations"), 1);
	/* A complaint-only escalation first, then the approval joins it. */
	sql(f->db, "INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at,"
		" last_message) VALUES ('cv10', 'ag1', 'running', 'Hm', %lld, %lld, 'what a scam')",
		NOW + 100, NOW + 100);
	sql(f->db, "DELETE FROM conversations WHERE id = 'cv9'");
	resolve_all(f, "", NOW + 110);
	assert_int_equal(eval(f, NOW + 120), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations WHERE kind ="
		" 'crisis.negative_review' AND state = 'open'"), 1);
	sql(f->db, "UPDATE conversations SET state = 'pending-approval' WHERE id = 'cv10'");
	assert_int_equal(eval(f, NOW + 180), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations WHERE state = 'open'"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalations WHERE kind ="
		" 'crisis.negative_review' AND severity = 'critical' AND state = 'open'"
		" AND json_array_length(evidence, '$.rules') = 2"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM escalation_events WHERE action ="
		" 'join'"), 1);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_store_is_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_account, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_ad_disapproved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keywords_recall_and_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_product_defect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refund_spike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refund_spike_minimum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revenue_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revenue_drop_waits_for_a_finished_pass, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_sync_down_in_progress_and_recovery, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_budget_raise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spend_spike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_product, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_market, setup, teardown),
		cmocka_unit_test_setup_teardown(test_brand_positioning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_category_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_approval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_escalation_per_conversation, setup,
			teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return failed;
}

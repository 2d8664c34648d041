/* The inbox lifecycle: dedup, ack, snooze, resolve, decide, SLA, the
 * actions queue, and the audit rows with operator and SSH client. */
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
#include "okdf/core/inbox.h"
#include "okdf/core/operator.h"
#include "okdf/store/audit.h"
#include "okdf/store/db.h"
#include "okdf/store/inbox.h"

#define NOW 1795700000LL

static char dir[] = "/tmp/okdf-test-inbox-XXXXXX";
static int db_seq;

static int setup(void **state)
{
	char path[256];
	snprintf(path, sizeof path, "%s/t%d.db", dir, db_seq++);
	okdf_db *db;
	okdf_err e = { 0 };
	if (db_open(path, &db, &e) != OKDF_OK)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	db_close(*state);
	return 0;
}

static int count(okdf_db *db, const char *q)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static long long raise_one(okdf_db *db, const char *kind, const char *severity,
	const char *evidence, const char *key, long long now)
{
	inbox_new n = { kind, severity, "test", "A title", evidence, key };
	long long id;
	int raised;
	okdf_err e = { 0 };
	assert_int_equal(db_begin(db, &e), OKDF_OK);
	assert_int_equal(inbox_raise(db, &n, NULL, NULL, now, &id, &raised, &e), OKDF_OK);
	assert_int_equal(db_commit(db, &e), OKDF_OK);
	assert_int_equal(raised, 1);
	return id;
}

static void operator_alice(okdf_operator *op)
{
	setenv("OKDF_OPERATOR", "alice", 1);
	setenv("SSH_CONNECTION", "203.0.113.7 50022 10.0.0.1 22", 1);
	operator_current(op);
	unsetenv("SSH_CONNECTION");
}

static void test_raise_dedups_in_every_state(void **state)
{
	okdf_db *db = *state;
	long long id = raise_one(db, "anomaly.sync_down", "high", "{}", "k1", NOW);
	inbox_new n = { "anomaly.sync_down", "high", "test", "again", "{}", "k1" };
	long long again;
	int raised;
	okdf_err e = { 0 };
	assert_int_equal(inbox_raise(db, &n, NULL, NULL, NOW + 1, &again, &raised, &e), OKDF_OK);
	assert_int_equal(raised, 0);
	assert_int_equal(again, id);
	okdf_operator op = { "bob", "" };
	assert_int_equal(inbox_resolve(db, &op, id, "fixed the token", NOW + 2, &e), OKDF_OK);
	assert_int_equal(inbox_raise(db, &n, NULL, NULL, NOW + 3, &again, &raised, &e), OKDF_OK);
	assert_int_equal(raised, 0);
	assert_int_equal(count(db, "SELECT count(*) FROM escalations"), 1);
	/* high goes to the webhook queue; normal does not. */
	raise_one(db, "budget.new_market", "normal", "{}", "k2", NOW);
	assert_int_equal(count(db, "SELECT count(*) FROM notify_queue"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM escalation_events WHERE action = 'raise'"
		" AND operator = 'okdf-rules'"), 2);
}

static void test_lifecycle_and_audit(void **state)
{
	okdf_db *db = *state;
	okdf_operator op;
	operator_alice(&op);
	assert_string_equal(op.name, "alice");
	assert_string_equal(op.client, "203.0.113.7");
	okdf_err e = { 0 };
	long long id;
	assert_int_equal(inbox_escalate(db, &op, "crisis.recall", "Supplier recall of lot 7",
		NULL, "phone call from supplier", NOW, &id, &e), OKDF_OK);
	escalation x;
	assert_int_equal(escalation_get(db, id, &x, &e), OKDF_OK);
	assert_string_equal(x.severity, "critical"); /* crisis.* defaults to critical */
	assert_string_equal(x.state, "open");
	assert_string_equal(x.source, "operator");
	escalation_free(&x);

	/* Snooze: reads snoozed until the time, then open again. */
	assert_int_equal(inbox_snooze(db, &op, id, NOW + 1800, NOW + 10, &e), OKDF_OK);
	assert_int_equal(escalation_get(db, id, &x, &e), OKDF_OK);
	assert_string_equal(inbox_view_state(&x, NOW + 1799), "snoozed");
	assert_string_equal(inbox_view_state(&x, NOW + 1800), "open");
	escalation_free(&x);
	escalation *xs;
	int n;
	assert_int_equal(escalation_list(db, "open", NOW + 100, &xs, &n, &e), OKDF_OK);
	assert_int_equal(n, 0);
	escalation_list_free(xs, n);
	assert_int_equal(escalation_list(db, "open", NOW + 1800, &xs, &n, &e), OKDF_OK);
	assert_int_equal(n, 1);
	escalation_list_free(xs, n);
	assert_int_equal(inbox_snooze(db, &op, id, NOW, NOW + 10, &e), OKDF_EINPUT);

	/* Ack: owner and time; a second ack is refused. */
	okdf_operator bob = { "bob", "198.51.100.2" };
	assert_int_equal(inbox_ack(db, &bob, id, NOW + 2000, &e), OKDF_OK);
	assert_int_equal(inbox_ack(db, &op, id, NOW + 2001, &e), OKDF_EFAIL);
	assert_non_null(strstr(e.msg, "bob"));
	assert_int_equal(escalation_get(db, id, &x, &e), OKDF_OK);
	assert_string_equal(x.owner, "bob");
	assert_int_equal(x.acknowledged_at, NOW + 2000);
	assert_int_equal(x.snoozed_until, 0);
	assert_false(inbox_sla_breached(&x, NOW + 99999)); /* acknowledged within 1 h */
	escalation_free(&x);

	/* Resolve needs a note; a resolved one refuses everything. */
	assert_int_equal(inbox_resolve(db, &op, id, NULL, NOW + 3000, &e), OKDF_EINPUT);
	assert_int_equal(inbox_resolve(db, &op, id, "  ", NOW + 3000, &e), OKDF_EINPUT);
	assert_int_equal(inbox_resolve(db, &op, id, "pulled lot 7", NOW + 3000, &e), OKDF_OK);
	assert_int_equal(inbox_resolve(db, &op, id, "again", NOW + 3001, &e), OKDF_EFAIL);
	assert_int_equal(inbox_ack(db, &op, id, NOW + 3001, &e), OKDF_EFAIL);
	assert_int_equal(inbox_ack(db, &op, 999, NOW + 3001, &e), OKDF_ENOTFOUND);
	assert_int_equal(escalation_get(db, id, &x, &e), OKDF_OK);
	assert_string_equal(x.state, "resolved");
	assert_string_equal(x.decision, "resolved");
	assert_string_equal(x.decision_note, "pulled lot 7");
	assert_int_equal(x.resolved_at, NOW + 3000);
	escalation_free(&x);

	/* Every step in the events and the audit log, with who and from where. */
	escalation_event *ev;
	assert_int_equal(escalation_events_list(db, id, &ev, &n, &e), OKDF_OK);
	assert_int_equal(n, 4);
	const char *actions[] = { "raise", "snooze", "ack", "resolve" };
	for (int i = 0; i < n; i++)
		assert_string_equal(ev[i].action, actions[i]);
	assert_string_equal(ev[0].operator_name, "alice");
	assert_string_equal(ev[0].client, "203.0.113.7");
	assert_string_equal(ev[2].operator_name, "bob");
	assert_string_equal(ev[2].client, "198.51.100.2");
	assert_string_equal(ev[3].note, "pulled lot 7");
	escalation_events_free(ev, n);
	char target[32];
	snprintf(target, sizeof target, "escalation:%lld", id);
	audit_row *rows;
	assert_int_equal(audit_list(db, target, &rows, &n, &e), OKDF_OK);
	assert_int_equal(n, 4);
	assert_string_equal(rows[0].action, "inbox.raise");
	assert_string_equal(rows[0].operator_name, "alice");
	assert_string_equal(rows[0].client, "203.0.113.7");
	assert_string_equal(rows[3].action, "inbox.resolve");
	assert_string_equal(rows[3].detail, "pulled lot 7");
	audit_rows_free(rows, n);
}

static void test_escalate_validation(void **state)
{
	okdf_db *db = *state;
	okdf_operator op = { "alice", "" };
	okdf_err e = { 0 };
	long long id;
	assert_int_equal(inbox_escalate(db, &op, "crisis.bogus", "x", NULL, NULL, NOW, &id, &e),
		OKDF_EINPUT);
	assert_int_equal(inbox_escalate(db, &op, "budget.scale", "x", "urgent", NULL, NOW, &id,
		&e), OKDF_EINPUT);
	assert_int_equal(inbox_escalate(db, &op, "budget.scale", "", NULL, NULL, NOW, &id, &e),
		OKDF_EINPUT);
	assert_int_equal(inbox_escalate(db, &op, "budget.scale", "Big move", NULL, NULL, NOW, &id,
		&e), OKDF_OK);
	escalation x;
	assert_int_equal(escalation_get(db, id, &x, &e), OKDF_OK);
	assert_string_equal(x.severity, "high");
	escalation_free(&x);
	assert_int_equal(inbox_escalate(db, &op, "brand.positioning", "Tone", "normal", NULL, NOW,
		&id, &e), OKDF_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM escalations"), 2);
}

static void test_sla(void **state)
{
	(void)state;
	escalation x = { 0 };
	snprintf(x.severity, sizeof x.severity, "critical");
	x.created_at = NOW;
	assert_false(inbox_sla_breached(&x, NOW + 3600));
	assert_true(inbox_sla_breached(&x, NOW + 3601));
	x.acknowledged_at = NOW + 3600;
	assert_false(inbox_sla_breached(&x, NOW + 99999));
	snprintf(x.severity, sizeof x.severity, "high");
	x.acknowledged_at = 0;
	assert_false(inbox_sla_breached(&x, NOW + 4 * 3600));
	assert_true(inbox_sla_breached(&x, NOW + 4 * 3600 + 1));
	snprintf(x.severity, sizeof x.severity, "normal");
	assert_false(inbox_sla_breached(&x, NOW + 24 * 3600));
	assert_true(inbox_sla_breached(&x, NOW + 24 * 3600 + 1));
	assert_int_equal(inbox_sla_seconds("critical"), 3600);
}

static void test_latest_critical(void **state)
{
	okdf_db *db = *state;
	okdf_err e = { 0 };
	long long latest;
	assert_int_equal(inbox_latest_critical_id(db, &latest, &e), OKDF_OK);
	assert_int_equal(latest, 0);
	long long c1 = raise_one(db, "crisis.recall", "critical", "{}", "a", NOW);
	raise_one(db, "budget.new_market", "normal", "{}", "b", NOW);
	raise_one(db, "anomaly.sync_down", "high", "{}", "c", NOW);
	assert_int_equal(inbox_latest_critical_id(db, &latest, &e), OKDF_OK);
	assert_int_equal(latest, c1);
	/* Later high ones do not move it. */
	raise_one(db, "anomaly.sync_down", "high", "{}", "d", NOW + 60);
	assert_int_equal(inbox_latest_critical_id(db, &latest, &e), OKDF_OK);
	assert_int_equal(latest, c1);
}

static void test_decide(void **state)
{
	okdf_db *db = *state;
	okdf_operator op = { "alice", "203.0.113.7" };
	okdf_err e = { 0 };
	long long b = raise_one(db, "budget.scale", "high",
		"{\"campaign_id\":\"120210000000000001\",\"currency\":\"HUF\","
		"\"revert_to_minor\":5000}", "b1", NOW);
	long long a = raise_one(db, "agent.approval", "normal",
		"{\"conversation_id\":\"conv-1\",\"agent_id\":\"agent-1\"}", "a1", NOW);
	long long r = raise_one(db, "crisis.recall", "critical", "{}", "r1", NOW);
	long long s = raise_one(db, "budget.scale", "high", "{\"campaign_id\":\"c9\"}", "s1", NOW);

	/* Decisions per kind; a note is required. */
	assert_int_equal(inbox_decide(db, &op, b, "approve", "x", NOW, &e), OKDF_EINPUT);
	assert_int_equal(inbox_decide(db, &op, a, "revert", "x", NOW, &e), OKDF_EINPUT);
	assert_int_equal(inbox_decide(db, &op, r, "keep", "x", NOW, &e), OKDF_EINPUT);
	assert_int_equal(inbox_decide(db, &op, b, "revert", NULL, NOW, &e), OKDF_EINPUT);
	assert_int_equal(inbox_decide(db, &op, 999, "revert", "x", NOW, &e), OKDF_ENOTFOUND);
	/* No previous budget known: a revert cannot be carried out. */
	assert_int_equal(inbox_decide(db, &op, s, "revert", "x", NOW, &e), OKDF_EFAIL);
	assert_int_equal(inbox_decide(db, &op, s, "keep", "spend is fine", NOW, &e), OKDF_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM escalation_actions"), 0);

	assert_int_equal(inbox_decide(db, &op, b, "revert", "too fast", NOW + 10, &e), OKDF_OK);
	assert_int_equal(inbox_decide(db, &op, a, "approve", "refund is fine", NOW + 20, &e),
		OKDF_OK);
	assert_int_equal(inbox_decide(db, &op, a, "reject", "again", NOW + 30, &e), OKDF_EFAIL);

	escalation x;
	assert_int_equal(escalation_get(db, b, &x, &e), OKDF_OK);
	assert_string_equal(x.state, "resolved");
	assert_string_equal(x.decision, "revert");
	assert_string_equal(x.owner, "alice");
	escalation_free(&x);

	/* The meta worker claims its action; relevance's is left alone. */
	escalation_action act;
	int found;
	assert_int_equal(escalation_action_claim(db, "meta", &act, &found, &e), OKDF_OK);
	assert_true(found);
	assert_int_equal(act.escalation_id, b);
	assert_string_equal(act.action, "campaign.set_daily_budget");
	assert_string_equal(act.payload,
		"{\"campaign_id\":\"120210000000000001\",\"daily_budget_minor\":5000,"
		"\"currency\":\"HUF\"}");
	assert_string_equal(act.operator_name, "alice");
	escalation_action again;
	assert_int_equal(escalation_action_claim(db, "meta", &again, &found, &e), OKDF_OK);
	assert_false(found);
	/* A failure reopens the escalation with the API's error in its history. */
	assert_int_equal(inbox_action_finished(db, &act, 0,
		"(#100) Invalid parameter", NOW + 40, &e), OKDF_OK);
	escalation_action_free(&act);
	assert_int_equal(escalation_get(db, b, &x, &e), OKDF_OK);
	assert_string_equal(x.state, "acknowledged");
	assert_int_equal(x.resolved_at, 0);
	escalation_free(&x);
	assert_int_equal(count(db, "SELECT count(*) FROM escalation_events WHERE action ="
		" 'action.failed' AND note LIKE '%Invalid parameter%'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM audit_log WHERE action ="
		" 'inbox.action.failed' AND client = '203.0.113.7'"), 1);

	assert_int_equal(escalation_action_claim(db, "relevance", &act, &found, &e), OKDF_OK);
	assert_true(found);
	assert_string_equal(act.action, "agent.approve");
	assert_int_equal(inbox_action_finished(db, &act, 1, "HTTP 200 state running", NOW + 50,
		&e), OKDF_OK);
	escalation_action_free(&act);
	assert_int_equal(escalation_get(db, a, &x, &e), OKDF_OK);
	assert_string_equal(x.state, "resolved");
	escalation_free(&x);
	assert_int_equal(count(db, "SELECT count(*) FROM escalation_actions WHERE state = 'done'"),
		1);
	assert_true(inbox_decision_valid("agent.approval", "reject"));
	assert_false(inbox_decision_valid("budget.new_market", "keep"));
}

static void test_durations(void **state)
{
	(void)state;
	long long s;
	okdf_err e = { 0 };
	assert_int_equal(inbox_parse_duration("30m", &s, &e), OKDF_OK);
	assert_int_equal(s, 1800);
	assert_int_equal(inbox_parse_duration("4h", &s, &e), OKDF_OK);
	assert_int_equal(s, 14400);
	assert_int_equal(inbox_parse_duration("2d", &s, &e), OKDF_OK);
	assert_int_equal(s, 172800);
	assert_int_equal(inbox_parse_duration("90s", &s, &e), OKDF_OK);
	const char *bad[] = { "", "h", "0m", "-5m", "5", "5x", "5mm", "91d", " 5m", "+5m" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(inbox_parse_duration(bad[i], &s, &e), OKDF_EINPUT);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_raise_dedups_in_every_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_and_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalate_validation, setup, teardown),
		cmocka_unit_test(test_sla),
		cmocka_unit_test_setup_teardown(test_latest_critical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decide, setup, teardown),
		cmocka_unit_test(test_durations),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return failed;
}

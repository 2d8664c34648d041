/* Relevance AI against payloads in tests/fixtures/relevance (written from the
 * official SDKs' types; see SOURCES.md): optional fields, builders' test
 * runs, the pending tool run and the declining message; the conversation
 * state history the agent resolution share is built on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "src/store/db_private.h"
#include "okdf/net/json.h"
#include "okdf/store/agents.h"
#include "okdf/store/db.h"
#include "okdf/sync/actions.h"
#include "okdf/sync/relevance.h"
#include "okdf/sync/relevance_pager.h"
#include "okdf/sync/relevance_wire.h"

static cJSON *fixture(const char *name)
{
	const char *dir = getenv("OKDF_FIXTURES");
	assert_non_null(dir);
	char path[1024];
	snprintf(path, sizeof path, "%s/relevance/%s", dir, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	cJSON *j = cJSON_Parse(buf);
	assert_non_null(j);
	return j;
}

static void test_conversations(void **state)
{
	(void)state;
	cJSON *list = fixture("conversations_list.json");
	const cJSON *r = json_path(list, "results");
	assert_int_equal(cJSON_GetArraySize(r), 5);
	store_conversation c;
	okdf_err e = { 0 };
	const long long now = 1800000000;

	/* Every field present. */
	const cJSON *it = cJSON_GetArrayItem(r, 0);
	assert_false(relevance_is_debug_task(it));
	assert_int_equal(relevance_parse_conversation(it, now, &c, &e), OKDF_OK);
	assert_string_equal(c.id, "4c8e2b1a-0f6d-4e3b-9a7c-1d2e3f4a5b01");
	assert_string_equal(c.agent_id, "0b7c5a7e-3f43-4d1e-9a55-5c2f1f0d9a01");
	assert_string_equal(c.state, "pending-approval");
	assert_string_equal(c.title, "Refund request - order #1042");
	assert_true(c.has_created_at);
	assert_int_equal(c.created_at, 1794993300); /* 2026-11-18T09:15:00Z */
	assert_int_equal(c.updated_at, 1794993400); /* 09:16:40 */

	/* A builder's test run. */
	assert_true(relevance_is_debug_task(cJSON_GetArrayItem(r, 1)));

	/* No insert_date, no title: created_at left to the store. */
	it = cJSON_GetArrayItem(r, 2);
	assert_false(relevance_is_debug_task(it));
	assert_int_equal(relevance_parse_conversation(it, now, &c, &e), OKDF_OK);
	assert_false(c.has_created_at);
	assert_null(c.title);
	assert_string_equal(c.state, "completed");
	assert_int_equal(c.updated_at, 1795073400); /* 2026-11-19T07:30:00Z */

	/* No conversation object at all: no state, no dates; updated is now. */
	it = cJSON_GetArrayItem(r, 3);
	assert_int_equal(relevance_parse_conversation(it, now, &c, &e), OKDF_OK);
	assert_null(c.state);
	assert_null(c.agent_id);
	assert_false(c.has_created_at);
	assert_int_equal(c.updated_at, now);

	/* No metadata: only the id. */
	it = cJSON_GetArrayItem(r, 4);
	assert_int_equal(relevance_parse_conversation(it, now, &c, &e), OKDF_OK);
	assert_string_equal(c.id, "4c8e2b1a-0f6d-4e3b-9a7c-1d2e3f4a5b05");
	assert_null(c.state);

	/* Without any id it is refused. */
	cJSON *bad = cJSON_Parse("{\"metadata\":{\"conversation\":{\"state\":\"idle\"}}}");
	assert_int_equal(relevance_parse_conversation(bad, now, &c, &e), OKDF_EINPUT);
	cJSON_Delete(bad);
	/* A malformed date is an error, not a silent gap. */
	bad = cJSON_Parse("{\"knowledge_set\":\"k\",\"metadata\":{\"insert_date\":\"yesterday\"}}");
	assert_int_not_equal(relevance_parse_conversation(bad, now, &c, &e), OKDF_OK);
	cJSON_Delete(bad);
	cJSON_Delete(list);
}

static void test_agents(void **state)
{
	(void)state;
	cJSON *list = fixture("agents_list.json");
	const cJSON *r = json_path(list, "results");
	const cJSON *unnamed = cJSON_GetArrayItem(r, 1);
	assert_null(json_str(unnamed, "name"));
	assert_string_equal(relevance_agent_kind(json_str(cJSON_GetArrayItem(r, 0), "name"),
		json_str(cJSON_GetArrayItem(r, 0), "description")), "cs");
	/* No name: the description decides; neither: other. */
	assert_string_equal(relevance_agent_kind(NULL, json_str(unnamed, "description")), "other");
	assert_string_equal(relevance_agent_kind(NULL, "Handles refund tickets"), "cs");
	assert_string_equal(relevance_agent_kind(NULL, NULL), "other");
	assert_string_equal(relevance_agent_kind("Blog Writer", NULL), "content");
	assert_string_equal(relevance_agent_kind("Ad Creative Generator", "writes copy"), "creative");
	assert_string_equal(relevance_agent_kind("Adam", NULL), "other");

	/* One item as a row: both dates read; without them, updated at now. */
	store_agent ag;
	okdf_err e = { 0 };
	const long long now = 1800000000;
	assert_int_equal(relevance_parse_agent(cJSON_GetArrayItem(r, 0), "a1", now, &ag, &e),
		OKDF_OK);
	assert_string_equal(ag.id, "a1");
	assert_string_equal(ag.name, "Support Agent");
	assert_string_equal(ag.kind, "cs");
	assert_true(ag.has_created_at);
	assert_int_equal(ag.created_at, 1788249600);  /* 2026-09-01T08:00:00Z */
	assert_int_equal(ag.updated_at, 1794738600);  /* 2026-11-15T10:30:00Z */
	assert_int_equal(relevance_parse_agent(unnamed, "a2", now, &ag, &e), OKDF_OK);
	assert_null(ag.name);
	assert_string_equal(ag.kind, "other");
	assert_false(ag.has_created_at);
	assert_int_equal(ag.updated_at, now);
	/* A date that is not one is an error, not a guess. */
	cJSON *bad = cJSON_Parse("{\"name\": \"x\", \"insert_date_\": \"yesterday\"}");
	assert_int_equal(relevance_parse_agent(bad, "a3", now, &ag, &e), OKDF_EINPUT);
	cJSON_Delete(bad);
	cJSON_Delete(list);
}

static void test_pending_run_and_decline(void **state)
{
	(void)state;
	cJSON *view = fixture("task_view_pending.json");
	actions_run_ref run;
	assert_int_equal(actions_pending_run(view, &run), 1);
	assert_string_equal(run.action, "act-refund");
	assert_string_equal(run.request_id, "req-2");
	assert_string_equal(run.title, "Issue refund");
	char text[1024];
	actions_decline_text(&run, "refund is outside the 30-day policy", text, sizeof text);
	assert_string_equal(text, "The operator declined the pending action \"Issue refund\" "
		"(act-refund): do not run it. Reason: refund is outside the 30-day policy");
	/* A view whose tool runs are all done has nothing to approve. */
	cJSON *done = cJSON_Parse("{\"results\":[{\"content\":{\"type\":\"tool-run\","
		"\"tool_run_state\":\"finished\",\"action_details\":{\"action\":\"a\","
		"\"action_request_id\":\"r\"}}}]}");
	assert_int_equal(actions_pending_run(done, &run), 0);
	cJSON_Delete(done);
	cJSON_Delete(view);
}

/* Feeds one page of ids to the pager; returns its verdict. */
static int page_of(relevance_pager *p, const char *const *ids, int n, int *capped)
{
	for (int i = 0; i < n; i++)
		assert_int_not_equal(relevance_pager_add(p, ids[i]), -1);
	return relevance_pager_next(p, capped);
}

static void test_pager(void **state)
{
	(void)state;
	static const char *const a[] = { "k1", "k2" }, *const b[] = { "k3" },
		*const ab[] = { "k2", "k3" }, *const c[] = { "k4", "k5" };
	int capped;
	/* A short page is not the end; a page of nothing new is. */
	relevance_pager *p = relevance_pager_new(10);
	assert_non_null(p);
	assert_int_equal(relevance_pager_page(p), 1);
	assert_int_equal(page_of(p, a, 2, &capped), 1);
	assert_int_equal(relevance_pager_page(p), 2);
	assert_int_equal(page_of(p, b, 1, &capped), 1);
	assert_int_equal(relevance_pager_page(p), 3);
	assert_int_equal(page_of(p, NULL, 0, &capped), 0); /* empty */
	assert_int_equal(capped, 0);
	relevance_pager_free(p);

	/* A service that ignores `page`: page 2 repeats page 1, stop there. */
	p = relevance_pager_new(10);
	assert_int_equal(page_of(p, a, 2, &capped), 1);
	assert_int_equal(page_of(p, a, 2, &capped), 0);
	assert_int_equal(capped, 0);
	assert_int_equal(relevance_pager_page(p), 2);
	relevance_pager_free(p);

	/* A page that overlaps the last one but brings one new id goes on;
	 * an id is new only once. */
	p = relevance_pager_new(10);
	assert_int_equal(page_of(p, a, 2, &capped), 1);
	assert_int_equal(relevance_pager_add(p, "k2"), 0);
	assert_int_equal(relevance_pager_add(p, "k3"), 1);
	assert_int_equal(relevance_pager_add(p, "k3"), 0);
	assert_int_equal(relevance_pager_next(p, &capped), 1);
	assert_int_equal(page_of(p, ab, 2, &capped), 0);
	relevance_pager_free(p);

	/* A service that keeps inventing items is stopped by the cap. */
	p = relevance_pager_new(3);
	assert_int_equal(page_of(p, a, 2, &capped), 1);
	assert_int_equal(page_of(p, b, 1, &capped), 1);
	assert_int_equal(page_of(p, c, 2, &capped), 0);
	assert_int_equal(capped, 1);
	assert_int_equal(relevance_pager_page(p), 3);
	relevance_pager_free(p);

	/* Thousands of ids: the set grows and still knows each one. */
	p = relevance_pager_new(10);
	char id[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "conv-%d", i);
		assert_int_equal(relevance_pager_add(p, id), 1);
	}
	for (int i = 0; i < 5000; i += 7) {
		snprintf(id, sizeof id, "conv-%d", i);
		assert_int_equal(relevance_pager_add(p, id), 0);
	}
	relevance_pager_free(p);
}

static char dir[] = "/tmp/okdf-test-relevance-XXXXXX";

static long long count(okdf_db *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The store keeps every state a conversation was seen in, and a missing
 * insert_date neither invents nor overwrites a creation time. */
static void test_state_history(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof path, "%s/okdf.db", dir);
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	store_agent a = { .id = "a1", .name = NULL, .kind = "other", .updated_at = 5 };
	assert_int_equal(agent_upsert(db, &a, &e), OKDF_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM agents WHERE name IS NULL"), 1);

	store_conversation c = { .id = "k1", .agent_id = "a1", .state = "running",
		.created_at = 100, .has_created_at = 1, .updated_at = 110 };
	assert_int_equal(conversation_upsert(db, &c, &e), OKDF_OK);
	c.state = "pending-approval";
	c.updated_at = 120;
	c.has_created_at = 0; /* a later answer without insert_date */
	assert_int_equal(conversation_upsert(db, &c, &e), OKDF_OK);
	c.state = "completed";
	c.updated_at = 130;
	assert_int_equal(conversation_upsert(db, &c, &e), OKDF_OK);
	assert_int_equal(conversation_upsert(db, &c, &e), OKDF_OK); /* seen again */
	assert_int_equal(count(db, "SELECT count(*) FROM conversation_states"
		" WHERE conversation_id = 'k1'"), 3);
	assert_int_equal(count(db, "SELECT first_seen_at FROM conversation_states"
		" WHERE conversation_id = 'k1' AND state = 'pending-approval'"), 120);
	assert_int_equal(count(db, "SELECT created_at FROM conversations WHERE id = 'k1'"), 100);

	/* New and without insert_date: created is the update time. */
	store_conversation d = { .id = "k2", .agent_id = "a1", .state = "idle", .updated_at = 200 };
	assert_int_equal(conversation_upsert(db, &d, &e), OKDF_OK);
	assert_int_equal(count(db, "SELECT created_at FROM conversations WHERE id = 'k2'"), 200);
	assert_int_equal(count(db, "SELECT count(*) FROM conversation_states"
		" WHERE conversation_id = 'k2' AND state = 'idle'"), 1);
	db_close(db);
	unlink(path);
}

/* A store from before the state history (v4: conversations carried
 * resolved_by_agent) upgrades with its agents and conversations, each
 * conversation's current state becoming its first history entry. */
static void test_upgrade_keeps_rows(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof path, "%s/v4.db", dir);
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open_raw(path, &db, &e), OKDF_OK);
	assert_int_equal(db_migrate_to(db, 4, &e), OKDF_OK);
	assert_int_equal(sqlite3_exec(db_sqlite(db),
		"INSERT INTO agents(id, name, kind, updated_at) VALUES ('a1', 'Support', 'cs', 1);"
		"INSERT INTO conversations(id, agent_id, state, created_at, updated_at,"
		" resolved_by_agent) VALUES ('k1', 'a1', 'escalated', 10, 20, 1),"
		" ('k2', 'a1', 'completed', 30, 40, 0);", NULL, NULL, NULL), SQLITE_OK);
	db_close(db);

	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM agents WHERE name = 'Support'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM conversations"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM pragma_table_info('conversations')"
		" WHERE name = 'resolved_by_agent'"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM conversation_states WHERE"
		" (conversation_id, state, first_seen_at) IN (VALUES ('k1', 'escalated', 20),"
		" ('k2', 'completed', 40))"), 2);
	/* The triggers work on the upgraded store too; names may now be absent. */
	assert_int_equal(sqlite3_exec(db_sqlite(db),
		"UPDATE conversations SET state = 'completed', updated_at = 50 WHERE id = 'k1';"
		"INSERT INTO agents(id, kind, updated_at) VALUES ('a2', 'other', 1);",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM conversation_states"
		" WHERE conversation_id = 'k1'"), 2);
	assert_int_equal(sqlite3_exec(db_sqlite(db), "DELETE FROM conversations WHERE id = 'k1'", NULL, NULL,
		NULL), SQLITE_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM conversation_states"
		" WHERE conversation_id = 'k1'"), 0);
	db_close(db);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The task view's evidence: the customer's last 10 messages (agent and
 * tool steps skipped), a long text cut on a character boundary, the last
 * pending tool run with its parameters as strings and the amount; an
 * escalation's context. */
static void test_view_evidence(void **state)
{
	(void)state;
	cJSON *view = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(view, "results");
	char text[16];
	for (int i = 1; i <= 12; i++) {
		cJSON *step = cJSON_CreateObject();
		cJSON_AddStringToObject(step, "insert_date_", "2026-11-30T17:00:00.000Z");
		cJSON *c = cJSON_AddObjectToObject(step, "content");
		cJSON_AddStringToObject(c, "type", i == 6 ? "agent-message" : "user-message");
		snprintf(text, sizeof text, "m%d", i);
		cJSON_AddStringToObject(c, "text", text);
		cJSON_AddItemToArray(results, step);
	}
	/* 999 ASCII bytes then "é" (2 bytes): the cut at 1000 drops the é. */
	char long_text[1100];
	memset(long_text, 'a', 999);
	strcpy(long_text + 999, "\xc3\xa9zz");
	cJSON *step = cJSON_CreateObject(), *c = cJSON_AddObjectToObject(step, "content");
	cJSON_AddStringToObject(c, "type", "user-message");
	cJSON_AddStringToObject(c, "text", long_text);
	cJSON_AddItemToArray(results, step);
	const char *runs[] = {
		"{\"content\":{\"type\":\"tool-run\",\"tool_run_state\":\"finished\","
		"\"tool_config\":{\"title\":\"Look up order\"},\"params\":{\"resolved\":{\"a\":1}}}}",
		"{\"content\":{\"type\":\"tool-run\",\"tool_run_state\":\"pending\","
		"\"tool_config\":{\"title\":\"Issue refund\"},\"params\":{\"valid\":true,"
		"\"resolved\":{\"order\":\"#1042\",\"refund_amount\":49.5,\"items\":[1,2]}}}}",
	};
	for (int i = 0; i < 2; i++)
		cJSON_AddItemToArray(results, cJSON_Parse(runs[i]));
	relevance_view v;
	okdf_err e = { 0 };
	assert_int_equal(relevance_parse_view(view, &v, &e), OKDF_OK);
	cJSON *msgs = cJSON_Parse(v.messages);
	/* 12 user messages minus m6 (the agent's), plus the long one: 12; the
	 * last 10 are m3 m4 m5 m7 .. m12 and the long one. */
	assert_int_equal(cJSON_GetArraySize(msgs), 10);
	assert_string_equal(json_str(cJSON_GetArrayItem(msgs, 0), "text"), "m3");
	assert_string_equal(json_str(cJSON_GetArrayItem(msgs, 3), "text"), "m7");
	assert_int_equal((long long)json_path(cJSON_GetArrayItem(msgs, 0), "at")->valuedouble,
		1796058000LL); /* 2026-11-30T17:00:00Z */
	const char *cut = json_str(cJSON_GetArrayItem(msgs, 9), "text");
	assert_int_equal(strlen(cut), 999);
	assert_int_equal((long long)json_path(cJSON_GetArrayItem(msgs, 9), "at")->valuedouble, 0);
	cJSON_Delete(msgs);
	assert_string_equal(v.tool, "Issue refund");
	assert_string_equal(v.amount, "49.5");
	assert_string_equal(v.params,
		"{\"order\":\"#1042\",\"refund_amount\":\"49.5\",\"items\":\"[1,2]\"}");
	relevance_view_clear(&v);
	cJSON_Delete(view);

	view = cJSON_Parse("{\"results\":[{\"content\":{\"type\":\"tool-run\","
		"\"tool_run_state\":\"pending\",\"component\":{\"content_type\":\"escalation\","
		"\"options\":{\"context\":\"Customer threatens chargeback\"}}}}]}");
	assert_int_equal(relevance_parse_view(view, &v, &e), OKDF_OK);
	assert_string_equal(v.messages, "[]");
	assert_string_equal(v.tool, "escalation to a person");
	assert_string_equal(v.params, "{\"context\":\"Customer threatens chargeback\"}");
	assert_null(v.amount);
	relevance_view_clear(&v);
	cJSON_Delete(view);

	view = cJSON_Parse("{\"next_cursor\":null}");
	assert_int_equal(relevance_parse_view(view, &v, &e), OKDF_EINPUT);
	cJSON_Delete(view);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pager),
		cmocka_unit_test(test_conversations),
		cmocka_unit_test(test_agents),
		cmocka_unit_test(test_pending_run_and_decline),
		cmocka_unit_test(test_view_evidence),
		cmocka_unit_test(test_state_history),
		cmocka_unit_test(test_upgrade_keeps_rows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* Operator hours: unions, the activity API, manual entries, parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/store/db_private.h"
#include "okdf/core/hours.h"
#include "okdf/store/db.h"

static char dir[] = "/tmp/okdf-test-hours-XXXXXX";

static okdf_db *fresh_db(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	return db;
}

static long long count_rows(okdf_db *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_union(void **state)
{
	(void)state;
	/* [0,100) [50,150) [150,160) [200,300) [210,220): 0-160 and 200-300 = 260. */
	hours_span s[] = { { 200, 300 }, { 0, 100 }, { 150, 160 }, { 50, 150 }, { 210, 220 } };
	assert_int_equal(hours_union_seconds(s, 5, 0, 1000), 260);
	/* Clipped to [120, 250): 120-160 and 200-250 = 90. */
	assert_int_equal(hours_union_seconds(s, 5, 120, 250), 90);
	assert_int_equal(hours_union_seconds(s, 0, 0, 1000), 0);
	assert_int_equal(hours_union_seconds(s, 5, 500, 400), 0);
	hours_span d[] = { { 0, 10 }, { 20, 40 } };
	assert_int_equal(hours_spans_clip_seconds(d, 2, 5, 30), 15);
}

static void test_activity(void **state)
{
	(void)state;
	okdf_db *db = fresh_db("activity.db");
	okdf_err e = { 0 };
	long long t = 1773151200;
	assert_int_equal(hours_activity(db, "ana", t, 5, &e), OKDF_OK);
	assert_int_equal(hours_activity(db, "ana", t + 60, 5, &e), OKDF_OK);
	/* Exactly idle_minutes after the last key: still the same interval. */
	assert_int_equal(hours_activity(db, "ana", t + 60 + 300, 5, &e), OKDF_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM activity_intervals"), 1);
	assert_int_equal(count_rows(db, "SELECT ended_at - started_at FROM activity_intervals"),
		360);
	/* One second more idle: a new interval. */
	assert_int_equal(hours_activity(db, "ana", t + 360 + 301, 5, &e), OKDF_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM activity_intervals"), 2);
	/* Another operator meanwhile gets their own interval. */
	assert_int_equal(hours_activity(db, "bo", t + 700, 5, &e), OKDF_OK);
	assert_int_equal(hours_activity(db, "ana", t + 720, 0, &e), OKDF_OK); /* default 5 */
	assert_int_equal(count_rows(db, "SELECT count(*) FROM activity_intervals"), 3);
	assert_int_equal(count_rows(db,
		"SELECT max(ended_at) - min(started_at) FROM activity_intervals"
		" WHERE operator = 'ana' AND started_at > 1773151200"), 720 - 661);
	db_close(db);
}

static void test_manual(void **state)
{
	(void)state;
	okdf_db *db = fresh_db("manual.db");
	okdf_err e = { 0 };
	long long day = 1773115200, end = day + 86400, id;
	assert_int_equal(hours_add_manual(db, "ana", day, end, 7200, "calls", day, &id, &e),
		OKDF_OK);
	assert_int_equal(hours_add_manual(db, "ana", day, end, 10800, NULL, day, &id, &e), OKDF_OK);
	/* Entries on one day stack, so they add up: 5 h. */
	assert_int_equal(count_rows(db, "SELECT max(started_at) - min(started_at)"
		" FROM manual_hours WHERE operator = 'ana'"), 7200);
	hours_operator *ops;
	int n;
	assert_int_equal(hours_by_operator(db, day, end, &ops, &n, &e), OKDF_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ops[0].manual_seconds, 5 * 3600);
	assert_int_equal(ops[0].total_seconds, 5 * 3600);
	free(ops);
	/* 19.5 h more would exceed the day (19 h would fill it exactly). */
	assert_int_equal(hours_add_manual(db, "ana", day, end, 70200, NULL, day, &id, &e),
		OKDF_EINPUT);
	/* Another operator starts at the day start again. */
	assert_int_equal(hours_add_manual(db, "bo", day, end, 3600, NULL, day, &id, &e), OKDF_OK);
	assert_int_equal(count_rows(db,
		"SELECT started_at - 1773115200 FROM manual_hours WHERE operator = 'bo'"), 0);
	assert_int_equal(hours_add_manual(db, "bo", day, end, 0, NULL, day, &id, &e), OKDF_EINPUT);
	/* Removing an entry: gone from the sums, audited; twice is not found. */
	okdf_operator op = { "cy", "" };
	long long bo_id = count_rows(db, "SELECT id FROM manual_hours WHERE operator = 'bo'");
	assert_int_equal(hours_remove(db, &op, bo_id, day + 10, &e), OKDF_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM manual_hours WHERE operator = 'bo'"),
		0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM audit_log WHERE action = 'hours.rm'"
		" AND operator = 'cy' AND target = 'operator:bo'"), 1);
	assert_int_equal(hours_remove(db, &op, bo_id, day + 10, &e), OKDF_ENOTFOUND);
	db_close(db);
}

static void test_parse(void **state)
{
	(void)state;
	long long s;
	okdf_err e = { 0 };
	assert_int_equal(hours_parse("1.5", &s, &e), OKDF_OK);
	assert_int_equal(s, 5400);
	assert_int_equal(hours_parse("8", &s, &e), OKDF_OK);
	assert_int_equal(s, 28800);
	assert_int_equal(hours_parse("0.0001", &s, &e), OKDF_OK);
	assert_int_equal(s, 0); /* 0.36 s rounds to 0: refused by hours_add_manual */
	assert_int_equal(hours_parse("0.25", &s, &e), OKDF_OK);
	assert_int_equal(s, 900);
	assert_int_equal(hours_parse("24", &s, &e), OKDF_OK);
	/* h:mm, as the screen writes hours. */
	assert_int_equal(hours_parse("1:30", &s, &e), OKDF_OK);
	assert_int_equal(s, 5400);
	assert_int_equal(hours_parse("0:05", &s, &e), OKDF_OK);
	assert_int_equal(s, 300);
	assert_int_equal(hours_parse("24:00", &s, &e), OKDF_OK);
	assert_int_equal(s, 86400);
	static const char *const bad[] = { "", "0", "-1", "24.01", "abc", "1.5h", "1,5",
		"0.00001", "0:00", "1:60", "1:5", "24:01", ":30", "1:30:00", "-1:30", "1:3x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(hours_parse(bad[i], &s, &e), OKDF_EINPUT);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_activity),
		cmocka_unit_test(test_manual),
		cmocka_unit_test(test_parse),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}

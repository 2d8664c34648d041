/* Store: migrations from empty and from every older version, refusal of a
 * newer database, file mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/store/db_private.h"
#include "okdf/store/audit.h"
#include "okdf/store/db.h"

static char dir[] = "/tmp/okdf-test-db-XXXXXX";

static void db_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static int table_exists(okdf_db *db, const char *name)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db),
		"SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", -1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_from_empty(void **state)
{
	(void)state;
	char path[256];
	db_path(path, sizeof path, "sub/dir/empty.db");
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	int v;
	assert_int_equal(db_user_version(db, &v, &e), OKDF_OK);
	assert_int_equal(v, db_schema_version());
	const char *tables[] = { "shop", "products", "orders", "line_items", "refunds",
		"abandoned_checkouts", "customers", "email_flows", "email_flow_stats",
		"ad_accounts", "campaigns", "ads", "ad_insights_daily", "agents",
		"conversations", "ideas", "activity_intervals", "manual_hours",
		"phase_progress", "phase_signoffs", "escalations", "escalation_events",
		"audit_log", "sync_state", "connector_health" };
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		assert_true(table_exists(db, tables[i]));

	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);

	/* What the handle tells those who cannot see SQLite behind it. */
	char real[PATH_MAX];
	assert_non_null(realpath(path, real));
	assert_string_equal(db_file(db), real);
	assert_string_equal(db_engine_version(), sqlite3_libversion());
	assert_false(db_in_transaction(db));
	assert_int_equal(db_begin(db, &e), OKDF_OK);
	assert_true(db_in_transaction(db));
	db_rollback(db);
	assert_false(db_in_transaction(db));
	db_close(db);

	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	/* Reopening an up-to-date database changes nothing. */
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	assert_int_equal(db_user_version(db, &v, &e), OKDF_OK);
	assert_int_equal(v, db_schema_version());
	db_close(db);
}

static void test_from_each_older_version(void **state)
{
	(void)state;
	for (int from = 1; from < db_schema_version(); from++) {
		char path[256], name[32];
		snprintf(name, sizeof name, "v%d.db", from);
		db_path(path, sizeof path, name);
		okdf_db *db;
		okdf_err e = { 0 };
		assert_int_equal(db_open_raw(path, &db, &e), OKDF_OK);
		assert_int_equal(db_migrate_to(db, from, &e), OKDF_OK);
		int v;
		assert_int_equal(db_user_version(db, &v, &e), OKDF_OK);
		assert_int_equal(v, from);
		/* A row written at the old version survives the upgrade. */
		assert_int_equal(sqlite3_exec(db_sqlite(db),
			"INSERT INTO shop(id, currency, iana_timezone, synced_at)"
			" VALUES (1, 'EUR', 'Europe/Berlin', 1)", NULL, NULL, NULL), SQLITE_OK);
		db_close(db);

		assert_int_equal(db_open(path, &db, &e), OKDF_OK);
		assert_int_equal(db_user_version(db, &v, &e), OKDF_OK);
		assert_int_equal(v, db_schema_version());
		assert_true(table_exists(db, "audit_log"));
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), "SELECT currency FROM shop", -1, &st, NULL),
			SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0), "EUR");
		sqlite3_finalize(st);
		db_close(db);
	}
}

static void test_newer_refused_untouched(void **state)
{
	(void)state;
	char path[256];
	db_path(path, sizeof path, "newer.db");
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open_raw(path, &db, &e), OKDF_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_version() + 1);
	assert_int_equal(sqlite3_exec(db_sqlite(db), sql, NULL, NULL, NULL), SQLITE_OK);
	db_close(db);

	assert_int_equal(db_open(path, &db, &e), OKDF_EFAIL);
	assert_non_null(strstr(e.msg, "newer than this okdf"));
	assert_non_null(strstr(e.msg, path));

	assert_int_equal(db_open_raw(path, &db, &e), OKDF_OK);
	assert_false(table_exists(db, "orders"));
	int v;
	assert_int_equal(db_user_version(db, &v, &e), OKDF_OK);
	assert_int_equal(v, db_schema_version() + 1);
	db_close(db);
}

/* A file made by plain sqlite3 calls, so okdf never touched it. */
static void make_plain(const char *path, const char *sql)
{
	sqlite3 *db;
	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void assert_untouched(const char *path, int version, int tables)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "delete");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), version);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st,
		NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), tables);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_impossible_version_refused_untouched(void **state)
{
	(void)state;
	const int versions[] = { -1, -100, -2147483647 - 1 };
	char path[256];
	db_path(path, sizeof path, "negative.db");
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", versions[i]);
		make_plain(path, sql);
		okdf_db *db = NULL;
		okdf_err e = { 0 };
		assert_int_equal(db_open(path, &db, &e), OKDF_EFAIL);
		assert_null(db);
		assert_non_null(strstr(e.msg, "impossible"));
		assert_non_null(strstr(e.msg, path));
		assert_untouched(path, versions[i], 0);
		/* The migration entry point holds the same guard. */
		assert_int_equal(db_open_raw(path, &db, &e), OKDF_OK);
		assert_int_equal(db_migrate_to(db, db_schema_version(), &e), OKDF_EFAIL);
		db_close(db);
	}
}

static void test_foreign_refused_untouched(void **state)
{
	(void)state;
	char path[256];
	db_path(path, sizeof path, "foreign.db");
	make_plain(path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
		"INSERT INTO notes(body) VALUES ('keep me')");
	okdf_db *db = NULL;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_EFAIL);
	assert_non_null(strstr(e.msg, "not an okdf database"));
	assert_untouched(path, 0, 1);

	/* A version in range but none of okdf's tables. */
	make_plain(path, "CREATE TABLE notes(id INTEGER); PRAGMA user_version = 2");
	assert_int_equal(db_open(path, &db, &e), OKDF_EFAIL);
	assert_non_null(strstr(e.msg, "not an okdf database"));
	assert_untouched(path, 2, 1);

	/* Not SQLite at all. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is a text file, long enough to look like something............\n", f);
	fclose(f);
	assert_int_not_equal(db_open(path, &db, &e), OKDF_OK);
	assert_non_null(strstr(e.msg, "not a database"));
}

static void test_audit_roundtrip(void **state)
{
	(void)state;
	char path[256];
	db_path(path, sizeof path, "audit.db");
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	okdf_operator op = { .name = "ana", .client = "203.0.113.9" };
	assert_int_equal(audit_append(db, &op, 1000, "phase.signoff", "phase:brand", "voice", &e), OKDF_OK);
	okdf_operator op2 = { .name = "bo", .client = "" };
	assert_int_equal(audit_append(db, &op2, 1001, "phase.complete", "phase:store", NULL, &e), OKDF_OK);
	audit_row *rows;
	int n;
	assert_int_equal(audit_list(db, "phase:brand", &rows, &n, &e), OKDF_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].operator_name, "ana");
	assert_string_equal(rows[0].client, "203.0.113.9");
	assert_string_equal(rows[0].detail, "voice");
	assert_int_equal(rows[0].at, 1000);
	audit_rows_free(rows, n);
	assert_int_equal(audit_list(db, NULL, &rows, &n, &e), OKDF_OK);
	assert_int_equal(n, 2);
	assert_null(rows[1].detail);
	assert_string_equal(rows[1].client, "");
	audit_rows_free(rows, n);
	db_close(db);
}

static void test_default_path(void **state)
{
	(void)state;
	char buf[256];
	okdf_err e = { 0 };
	setenv("XDG_DATA_HOME", "/x/data", 1);
	assert_int_equal(db_default_path(buf, sizeof buf, &e), OKDF_OK);
	assert_string_equal(buf, "/x/data/okdf/okdf.db");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/op", 1);
	assert_int_equal(db_default_path(buf, sizeof buf, &e), OKDF_OK);
	assert_string_equal(buf, "/home/op/.local/share/okdf/okdf.db");
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_empty),
		cmocka_unit_test(test_from_each_older_version),
		cmocka_unit_test(test_newer_refused_untouched),
		cmocka_unit_test(test_impossible_version_refused_untouched),
		cmocka_unit_test(test_foreign_refused_untouched),
		cmocka_unit_test(test_audit_roundtrip),
		cmocka_unit_test(test_default_path),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}

#include "okdf/store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_private.h"
#include "schema.h"

#define N_STEPS ((int)(sizeof schema_steps / sizeof schema_steps[0]))

int db_schema_version(void)
{
	return N_STEPS;
}

int db_default_path(char *buf, size_t n, okdf_err *e)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	int w;
	if (xdg && xdg[0] == '/') {
		w = snprintf(buf, n, "%s/okdf/okdf.db", xdg);
	} else {
		const char *home = getenv("HOME");
		if (!home || !home[0])
			return okdf_err_set(e, OKDF_EINPUT,
				"cannot find a database path: set --db, XDG_DATA_HOME or HOME");
		w = snprintf(buf, n, "%s/.local/share/okdf/okdf.db", home);
	}
	if (w < 0 || (size_t)w >= n)
		return okdf_err_set(e, OKDF_EINPUT, "database path too long");
	return OKDF_OK;
}

static int mkdir_parents(const char *path, okdf_err *e)
{
	char dir[4096];
	if (strlen(path) >= sizeof dir)
		return okdf_err_set(e, OKDF_EINPUT, "path too long: %s", path);
	strcpy(dir, path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return OKDF_OK;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return okdf_err_set(e, OKDF_EFAIL, "%s: %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", dir, strerror(errno));
	return OKDF_OK;
}

int db_error(okdf_db *db, okdf_err *e, const char *context)
{
	return okdf_err_set(e, OKDF_EDB, "%s: %s", context,
		db && db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
}

sqlite3 *db_sqlite(okdf_db *db)
{
	return db->sql;
}

const char *db_engine_version(void)
{
	return sqlite3_libversion();
}

const char *db_file(okdf_db *db)
{
	const char *f = sqlite3_db_filename(db->sql, "main");
	return f ? f : "";
}

int db_in_transaction(okdf_db *db)
{
	return !sqlite3_get_autocommit(db->sql);
}

static int exec(okdf_db *db, const char *sql, okdf_err *e, const char *context)
{
	char *msg = NULL;
	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
		okdf_err_set(e, OKDF_EDB, "%s: %s", context, msg ? msg : sqlite3_errmsg(db->sql));
		sqlite3_free(msg);
		return OKDF_EDB;
	}
	return OKDF_OK;
}

/* Opens the file (creating it 0600 when new) without touching its contents. */
static int open_conn(const char *path, okdf_db **out, okdf_err *e)
{
	*out = NULL;
	int rc = mkdir_parents(path, e);
	if (rc)
		return rc;
	/* Create the file ourselves so it is 0600 from its first byte. Only when
	 * it is new: closing any descriptor of a database file drops every POSIX
	 * lock this process holds on it, those of open connections included
	 * (sync workers and the UI share one process). */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);

	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		okdf_err_set(e, OKDF_EDB, "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return OKDF_EDB;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_extended_result_codes(db, 1);
	okdf_db *h = malloc(sizeof *h);
	if (!h) {
		sqlite3_close(db);
		return okdf_err_set(e, OKDF_ENOMEM, "%s: out of memory", path);
	}
	h->sql = db;
	*out = h;
	return OKDF_OK;
}

static int set_pragmas(okdf_db *db, const char *path, okdf_err *e)
{
	return exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
		e, path);
}

int db_open_raw(const char *path, okdf_db **out, okdf_err *e)
{
	int rc = open_conn(path, out, e);
	if (!rc && (rc = set_pragmas(*out, path, e)) != OKDF_OK) {
		db_close(*out);
		*out = NULL;
	}
	return rc;
}

/* The one guard on a version read from a file: anything outside
 * 0..N_STEPS is refused before a migration step is looked up. */
static int check_version(int have, okdf_err *e)
{
	if (have > N_STEPS)
		return okdf_err_set(e, OKDF_EFAIL,
			"database schema version %d is newer than this okdf understands (%d); "
			"upgrade okdf, the database was not changed", have, N_STEPS);
	if (have < 0)
		return okdf_err_set(e, OKDF_EFAIL,
			"database schema version %d is impossible: not an okdf database, "
			"it was not changed", have);
	return OKDF_OK;
}

static int count_rows(okdf_db *db, const char *sql, int *n, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_error(db, e, "reading the schema");
	else
		*n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* Refuses, before anything is written, a file okdf did not make: an
 * impossible version, version 0 with objects in it, or a version without
 * okdf's first tables. */
static int check_ours(okdf_db *db, okdf_err *e)
{
	int have, n = 0;
	int rc = db_user_version(db, &have, e);
	if (!rc)
		rc = check_version(have, e);
	if (rc)
		return rc;
	if (have == 0) {
		rc = count_rows(db, "SELECT count(*) FROM sqlite_master", &n, e);
		if (!rc && n > 0)
			rc = okdf_err_set(e, OKDF_EFAIL,
				"not an okdf database (it holds other tables); it was not changed");
		return rc;
	}
	rc = count_rows(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
		" ('shop', 'orders', 'sync_state', 'connector_health')", &n, e);
	if (!rc && n != 4)
		rc = okdf_err_set(e, OKDF_EFAIL,
			"not an okdf database (schema version %d without okdf's tables); "
			"it was not changed", have);
	return rc;
}

int db_user_version(okdf_db *db, int *out, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "PRAGMA user_version", &st, e);
	if (rc)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_error(db, e, "reading schema version");
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return OKDF_OK;
}

int db_data_version(okdf_db *db, long long *out, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "PRAGMA data_version", &st, e);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, e, "reading data version");
	sqlite3_finalize(st);
	return rc;
}

int db_tune_for_sync(okdf_db *db, okdf_err *e)
{
	/* A worker may wait for another's commit (a bulk ingest commits about
	 * once a second, slower under load): it waits rather than fail a pass. */
	sqlite3_busy_timeout(db->sql, 30000);
	if (sqlite3_exec(db->sql, "PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY", NULL, NULL,
		NULL) != SQLITE_OK)
		return db_error(db, e, "setting the page cache");
	return OKDF_OK;
}

int db_migrate_to(okdf_db *db, int target, okdf_err *e)
{
	int have;
	int rc = db_user_version(db, &have, e);
	if (rc)
		return rc;
	rc = check_version(have, e);
	if (rc)
		return rc;
	if (target > N_STEPS)
		target = N_STEPS;
	for (int v = have + 1; v <= target; v++) {
		rc = db_begin(db, e);
		if (rc)
			return rc;
		char context[64];
		snprintf(context, sizeof context, "migration %d", v);
		for (const char *const *sql = schema_steps[v - 1]; *sql && !rc; sql++)
			rc = exec(db, *sql, e, context);
		if (!rc) {
			/* PRAGMA takes no bound parameters; v is our own integer. */
			char sql[64];
			snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
			rc = exec(db, sql, e, context);
		}
		if (rc) {
			db_rollback(db);
			return rc;
		}
		rc = db_commit(db, e);
		if (rc)
			return rc;
	}
	return OKDF_OK;
}

int db_open(const char *path, okdf_db **out, okdf_err *e)
{
	okdf_db *db;
	int rc = open_conn(path, &db, e);
	if (rc)
		return rc;
	rc = check_ours(db, e);
	if (!rc)
		rc = set_pragmas(db, path, e);
	if (!rc)
		rc = db_migrate_to(db, N_STEPS, e);
	if (rc) {
		okdf_err_prefix(e, "%s", path);
		db_close(db);
		return rc;
	}
	*out = db;
	return OKDF_OK;
}

void db_close(okdf_db *db)
{
	if (!db)
		return;
	sqlite3_close(db->sql);
	free(db);
}

int db_begin(okdf_db *db, okdf_err *e)
{
	return exec(db, "BEGIN IMMEDIATE", e, "begin transaction");
}

int db_commit(okdf_db *db, okdf_err *e)
{
	int rc = exec(db, "COMMIT", e, "commit");
	if (rc)
		db_rollback(db);
	return rc;
}

void db_rollback(okdf_db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

int db_savepoint(okdf_db *db, okdf_err *e)
{
	return exec(db, "SAVEPOINT record", e, "savepoint");
}

int db_savepoint_release(okdf_db *db, okdf_err *e)
{
	return exec(db, "RELEASE record", e, "release savepoint");
}

int db_savepoint_undo(okdf_db *db, okdf_err *e)
{
	int rc = exec(db, "ROLLBACK TO record", e, "rollback to savepoint");
	return rc ? rc : db_savepoint_release(db, e);
}

int db_prepare(okdf_db *db, const char *sql, sqlite3_stmt **st, okdf_err *e)
{
	if (sqlite3_prepare_v2(db->sql, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return db_error(db, e, "preparing statement");
	}
	return OKDF_OK;
}

int db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int db_bind_opt_int64(sqlite3_stmt *st, int idx, long long v, int is_null)
{
	if (is_null)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_int64(st, idx, v);
}

int db_step_done(okdf_db *db, sqlite3_stmt *st, okdf_err *e, const char *context)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? OKDF_OK : db_error(db, e, context);
	sqlite3_finalize(st);
	return rc;
}

void db_col_copy(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	snprintf(dst, n, "%s", s ? (const char *)s : "");
}

char *db_col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? strdup((const char *)s) : NULL;
}

int db_read_rows(okdf_db *db, sqlite3_stmt *st, void **items, int *n, size_t item_size,
	int first_cap, db_row_reader read_row, db_rows_freer free_rows, okdf_err *e,
	const char *context)
{
	*items = NULL;
	*n = 0;
	int rc = OKDF_OK, cap = 0, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : first_cap;
			void *grown = realloc(*items, (size_t)cap * item_size);
			if (!grown) {
				rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
				break;
			}
			*items = grown;
		}
		read_row(st, (char *)*items + (size_t)(*n)++ * item_size);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(db, e, context);
	sqlite3_finalize(st);
	if (rc) {
		if (free_rows)
			free_rows(*items, *n);
		else
			free(*items);
		*items = NULL;
		*n = 0;
	}
	return rc;
}

/* The SQLite store: open, pragmas, numbered migrations, transactions. */
#ifndef OKDF_STORE_DB_H
#define OKDF_STORE_DB_H

#include <sqlite3.h>
#include <stddef.h>

#include "okdf/err.h"

/* Highest schema version this binary knows. */
int db_schema_version(void);

/* Default database path: $XDG_DATA_HOME/okdf/okdf.db, else ~/.local/share/okdf/okdf.db.
 * Writes into buf; returns OKDF_OK or OKDF_EINPUT when neither variable is usable. */
int db_default_path(char *buf, size_t n, okdf_err *e);

/* Opens (creating with mode 0600, and its directory, if needed) and migrates.
 * The caller closes *out with db_close. A database newer than this binary
 * is refused untouched. */
int db_open(const char *path, sqlite3 **out, okdf_err *e);

/* A sync worker's connection: 8 MB of page cache (a backfill touches the
 * same index pages page after page; the default 2 MB keeps re-reading them),
 * statement journals in memory (an upsert whose triggers fire writes one per
 * statement, which in a temporary file made a bulk ingest write 13x what it
 * stored), and a 30 s busy timeout instead of 5 s. */
int db_tune_for_sync(sqlite3 *db, okdf_err *e);

/* Opens without migrating; used by tests to build older versions. */
int db_open_raw(const char *path, sqlite3 **out, okdf_err *e);

/* Applies migrations up to `target` (db_schema_version() for all). */
int db_migrate_to(sqlite3 *db, int target, okdf_err *e);

int db_user_version(sqlite3 *db, int *out, okdf_err *e);

/* PRAGMA data_version: changes when another connection commits. */
int db_data_version(sqlite3 *db, long long *out, okdf_err *e);

void db_close(sqlite3 *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int db_begin(sqlite3 *db, okdf_err *e);
int db_commit(sqlite3 *db, okdf_err *e);
void db_rollback(sqlite3 *db);

/* A savepoint inside a transaction, for one record: released when the
 * record is written, undone (and released) when it is not. */
int db_savepoint(sqlite3 *db, okdf_err *e);
int db_savepoint_release(sqlite3 *db, okdf_err *e);
int db_savepoint_undo(sqlite3 *db, okdf_err *e);

/* Prepares sql; on failure fills e with the statement's error. */
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, okdf_err *e);

/* Turns the last error on db into e with a short context. Returns OKDF_EDB. */
int db_error(sqlite3 *db, okdf_err *e, const char *context);

/* Binds a NUL-terminated string, or NULL when s is NULL. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);

/* Binds an int64, or NULL when is_null. */
int db_bind_opt_int64(sqlite3_stmt *st, int idx, long long v, int is_null);

/* Steps a write statement to completion and finalizes it; a failure becomes
 * OKDF_EDB with context. */
int db_step_done(sqlite3 *db, sqlite3_stmt *st, okdf_err *e, const char *context);

/* Copies a text column into dst ("" for NULL), truncating to n. */
void db_col_copy(char *dst, size_t n, sqlite3_stmt *st, int col);

/* A text column as a new string the caller frees, or NULL for NULL. */
char *db_col_dup(sqlite3_stmt *st, int col);

/* Fills one array element from the current row. */
typedef void (*db_row_reader)(sqlite3_stmt *st, void *item);
/* Frees an array of n elements and what they own. */
typedef void (*db_rows_freer)(void *items, int n);

/* Steps a prepared SELECT to the end, growing *items (elements of item_size,
 * first_cap at first, then doubling) and filling each with read_row; finalizes
 * st. On failure, errors with context, frees what was read with free_rows (or
 * free() when NULL) and leaves *items NULL and *n 0. */
int db_read_rows(sqlite3 *db, sqlite3_stmt *st, void **items, int *n, size_t item_size,
	int first_cap, db_row_reader read_row, db_rows_freer free_rows, okdf_err *e,
	const char *context);

#endif

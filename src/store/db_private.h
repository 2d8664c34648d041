/* Private to src/store: what an okdf_db handle is, and the helpers every
 * store file uses to prepare, bind, step and read SQLite statements. Nothing
 * outside src/store includes this (white-box tests may, to look at the file). */
#ifndef OKDF_STORE_DB_PRIVATE_H
#define OKDF_STORE_DB_PRIVATE_H

#include <sqlite3.h>
#include <stddef.h>

#include "okdf/err.h"
#include "okdf/store/db.h"

struct okdf_db {
	sqlite3 *sql;
};

/* The SQLite connection behind db (tests read the file through it). */
sqlite3 *db_sqlite(okdf_db *db);

/* Prepares sql; on failure fills e with the statement's error. */
int db_prepare(okdf_db *db, const char *sql, sqlite3_stmt **st, okdf_err *e);

/* Turns the last error on db into e with a short context. Returns OKDF_EDB. */
int db_error(okdf_db *db, okdf_err *e, const char *context);

/* Binds a NUL-terminated string, or NULL when s is NULL. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);

/* Binds an int64, or NULL when is_null. */
int db_bind_opt_int64(sqlite3_stmt *st, int idx, long long v, int is_null);

/* Steps a write statement to completion and finalizes it; a failure becomes
 * OKDF_EDB with context. */
int db_step_done(okdf_db *db, sqlite3_stmt *st, okdf_err *e, const char *context);

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
int db_read_rows(okdf_db *db, sqlite3_stmt *st, void **items, int *n, size_t item_size,
	int first_cap, db_row_reader read_row, db_rows_freer free_rows, okdf_err *e,
	const char *context);

#endif

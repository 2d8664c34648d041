/* The store's connection: open, pragmas, numbered migrations, transactions.
 * Core, sync and ui hold an okdf_db handle and pass it to store functions;
 * what is behind it (SQLite today) is known only inside src/store. */
#ifndef OKDF_STORE_DB_H
#define OKDF_STORE_DB_H

#include <stddef.h>

#include "okdf/err.h"

/* One connection to the store; not shared between threads. */
typedef struct okdf_db okdf_db;

/* Highest schema version this binary knows. */
int db_schema_version(void);

/* Default database path: $XDG_DATA_HOME/okdf/okdf.db, else ~/.local/share/okdf/okdf.db.
 * Writes into buf; returns OKDF_OK or OKDF_EINPUT when neither variable is usable. */
int db_default_path(char *buf, size_t n, okdf_err *e);

/* Opens (creating with mode 0600, and its directory, if needed) and migrates.
 * The caller closes *out with db_close. A database newer than this binary
 * is refused untouched. */
int db_open(const char *path, okdf_db **out, okdf_err *e);

/* A sync worker's connection: 8 MB of page cache (a backfill touches the
 * same index pages page after page; the default 2 MB keeps re-reading them),
 * statement journals in memory (an upsert whose triggers fire writes one per
 * statement, which in a temporary file made a bulk ingest write 13x what it
 * stored), and a 30 s busy timeout instead of 5 s. */
int db_tune_for_sync(okdf_db *db, okdf_err *e);

/* Opens without migrating; used by tests to build older versions. */
int db_open_raw(const char *path, okdf_db **out, okdf_err *e);

/* Applies migrations up to `target` (db_schema_version() for all). */
int db_migrate_to(okdf_db *db, int target, okdf_err *e);

int db_user_version(okdf_db *db, int *out, okdf_err *e);

/* PRAGMA data_version: changes when another connection commits. */
int db_data_version(okdf_db *db, long long *out, okdf_err *e);

void db_close(okdf_db *db);

/* The file behind db ("" for an in-memory database). */
const char *db_file(okdf_db *db);

/* The engine's own version, for `okdf version`. */
const char *db_engine_version(void);

/* 1 while a transaction is open on db. */
int db_in_transaction(okdf_db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int db_begin(okdf_db *db, okdf_err *e);
int db_commit(okdf_db *db, okdf_err *e);
void db_rollback(okdf_db *db);

/* A savepoint inside a transaction, for one record: released when the
 * record is written, undone (and released) when it is not. */
int db_savepoint(okdf_db *db, okdf_err *e);
int db_savepoint_release(okdf_db *db, okdf_err *e);
int db_savepoint_undo(okdf_db *db, okdf_err *e);

#endif

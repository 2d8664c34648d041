/* A look at a database without changing it: schema version and SQLite's
 * quick_check, through a read-only connection (no migration, no creation). */
#ifndef OKDF_STORE_INTEGRITY_H
#define OKDF_STORE_INTEGRITY_H

#include <stddef.h>

#include "okdf/err.h"

typedef struct db_inspection {
	int user_version;   /* PRAGMA user_version: the schema version */
	int quick_check_ok; /* PRAGMA quick_check answered exactly "ok" */
	char problems[512]; /* the first problems quick_check names, "; "-joined */
} db_inspection;

/* Opens path read-only and fills out. OKDF_ENOTFOUND when there is no such
 * file, OKDF_EDB when SQLite cannot read it. */
int db_inspect(const char *path, db_inspection *out, okdf_err *e);

#endif

/* Manual operator-hours entries as rows: listing and removing them. The
 * interval arithmetic lives in core/hours. */
#ifndef OKDF_STORE_HOURS_H
#define OKDF_STORE_HOURS_H

#include <sqlite3.h>

#include "okdf/err.h"

typedef struct manual_hours_row {
	long long id, started_at, seconds, created_at;
	char operator_name[64];
	char note[256]; /* "" when none */
} manual_hours_row;

/* Entries starting in [from, to), oldest first. The caller frees *rows. */
int manual_hours_list(sqlite3 *db, long long from, long long to, manual_hours_row **rows,
	int *n, okdf_err *e);

/* Reads entry id into *out; OKDF_ENOTFOUND when there is none. */
int manual_hours_get(sqlite3 *db, long long id, manual_hours_row *out, okdf_err *e);

/* Deletes entry id. */
int manual_hours_delete(sqlite3 *db, long long id, okdf_err *e);

#endif

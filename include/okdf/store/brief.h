/* The registered brand brief: one row, its path and SHA-256. */
#ifndef OKDF_STORE_BRIEF_H
#define OKDF_STORE_BRIEF_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct brief_row {
	char path[4096];
	char sha256[65];
	long long registered_at;
	char registered_by[64];
} brief_row;

/* *found = 0 when no brief has been registered. */
int brief_row_get(okdf_db *db, brief_row *out, int *found, okdf_err *e);
int brief_row_put(okdf_db *db, const char *path, const char *sha256, long long at,
	const char *by, okdf_err *e);

#endif

/* The append-only audit log: who did what, when, from where. */
#ifndef OKDF_STORE_AUDIT_H
#define OKDF_STORE_AUDIT_H

#include "okdf/core/operator.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

/* Appends one row. action e.g. "phase.complete"; target e.g. "phase:2";
 * detail free text or NULL. at is UTC epoch seconds. */
int audit_append(okdf_db *db, const okdf_operator *op, long long at, const char *action,
	const char *target, const char *detail, okdf_err *e);

typedef struct audit_row {
	long long id, at;
	char operator_name[64];
	char client[64];
	char action[64];
	char target[128];
	char *detail; /* may be NULL */
} audit_row;

/* Rows whose target equals target (all rows when NULL), oldest first.
 * The caller frees with audit_rows_free. */
int audit_list(okdf_db *db, const char *target, audit_row **rows, int *n, okdf_err *e);
void audit_rows_free(audit_row *rows, int n);

#endif

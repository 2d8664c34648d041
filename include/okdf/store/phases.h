/* Rows the operator records about the setup: phase progress and sign-offs. */
#ifndef OKDF_STORE_PHASES_H
#define OKDF_STORE_PHASES_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct phase_progress_row {
	int completed;
	long long completed_at;
	char completed_by[64];
	char *override_reason; /* NULL unless completed over a refusal; caller frees */
} phase_progress_row;

/* Fills out (completed = 0 when the phase has no row). */
int phase_progress_get(okdf_db *db, const char *phase_id, phase_progress_row *out, okdf_err *e);
int phase_progress_complete(okdf_db *db, const char *phase_id, long long at, const char *by,
	const char *override_reason, okdf_err *e);
int phase_progress_clear(okdf_db *db, const char *phase_id, okdf_err *e);

typedef struct signoff_row {
	char signoff_id[64];
	char operator_name[64];
	long long signed_at;
	char *note; /* may be NULL */
} signoff_row;

/* Sign-offs of one phase, by id. The caller frees with signoff_rows_free. */
int phase_signoffs_get(okdf_db *db, const char *phase_id, signoff_row **rows, int *n,
	okdf_err *e);
void signoff_rows_free(signoff_row *rows, int n);
int phase_signoff_put(okdf_db *db, const char *phase_id, const char *signoff_id,
	const char *by, long long at, const char *note, okdf_err *e);
int phase_signoffs_delete(okdf_db *db, const char *phase_id, okdf_err *e);

#endif

/* Rows the operator records about the setup: phase progress and sign-offs,
 * the registered brand brief, approved settings and weekly reviews. */
#ifndef OKDF_STORE_PHASES_H
#define OKDF_STORE_PHASES_H

#include <stddef.h>

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

typedef struct setting_row {
	char key[64];
	char *value;
	char set_by[64];
	long long set_at;
} setting_row;

/* Copies the value into buf; *found = 0 when the key is unset. */
int setting_get(okdf_db *db, const char *key, char *buf, size_t n, int *found, okdf_err *e);
int setting_put(okdf_db *db, const char *key, const char *value, const char *by, long long at,
	okdf_err *e);
/* All settings, by key. The caller frees with setting_rows_free. */
int settings_list(okdf_db *db, setting_row **rows, int *n, okdf_err *e);
void setting_rows_free(setting_row *rows, int n);

int review_insert(okdf_db *db, const char *by, long long at, const char *note,
	long long *id, okdf_err *e);

#endif

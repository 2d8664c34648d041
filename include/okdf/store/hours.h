/* Operator hours as rows: console activity intervals and manual entries. The
 * interval arithmetic lives in core/hours. */
#ifndef OKDF_STORE_HOURS_H
#define OKDF_STORE_HOURS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct manual_hours_row {
	long long id, started_at, seconds, created_at;
	char operator_name[64];
	char note[256]; /* "" when none */
} manual_hours_row;

/* Entries starting in [from, to), oldest first. The caller frees *rows. */
int manual_hours_list(okdf_db *db, long long from, long long to, manual_hours_row **rows,
	int *n, okdf_err *e);

/* Reads entry id into *out; OKDF_ENOTFOUND when there is none. */
int manual_hours_get(okdf_db *db, long long id, manual_hours_row *out, okdf_err *e);

/* Deletes entry id. */
int manual_hours_delete(okdf_db *db, long long id, okdf_err *e);

/* One span: kind 0 a console interval, 1 a manual entry. A nonzero return
 * stops the walk and is returned. */
typedef int (*hours_span_fn)(void *ctx, const char *operator_name, long long start,
	long long end, int kind, okdf_err *e);

/* Console intervals and manual entries overlapping [from, to), by operator
 * then start, each handed to fn. */
int hours_spans_each(okdf_db *db, long long from, long long to, hours_span_fn fn, void *ctx,
	okdf_err *e);

/* Extends the operator's latest interval to now when now is no more than
 * max_gap seconds after its end; *extended says whether it did. */
int activity_interval_extend(okdf_db *db, const char *operator_name, long long now,
	long long max_gap, int *extended, okdf_err *e);

/* Opens a new zero-length interval at now. */
int activity_interval_insert(okdf_db *db, const char *operator_name, long long now,
	okdf_err *e);

/* End of the operator's last manual entry starting in [day_start, day_end),
 * or day_start when there is none. */
int manual_hours_day_end(okdf_db *db, const char *operator_name, long long day_start,
	long long day_end, long long *end, okdf_err *e);

/* Adds an entry; *id (when id is not NULL) gets its id. */
int manual_hours_insert(okdf_db *db, const char *operator_name, long long started_at,
	long long seconds, const char *note, long long now, long long *id, okdf_err *e);

#endif

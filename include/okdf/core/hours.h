/* Operator hours: console-active intervals recorded on key activity, manual
 * entries for off-tool work, and their per-operator union (overlaps for one
 * operator never count twice; operators are summed). */
#ifndef OKDF_CORE_HOURS_H
#define OKDF_CORE_HOURS_H

#include <stddef.h>

#include "okdf/core/operator.h"
#include "okdf/core/timeutil.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

/* Default for [ui] idle_minutes. */
#define HOURS_IDLE_MINUTES_DEFAULT 5

/* A half-open span [start, end) of UTC epoch seconds. */
typedef struct hours_span {
	long long start, end;
} hours_span;

/* Seconds covered by the union of spans, clipped to [from, to). Sorts spans
 * in place. */
long long hours_union_seconds(hours_span *spans, size_t n, long long from, long long to);

/* Seconds of spans (assumed disjoint within each operator, as
 * hours_spans_load returns them) falling in [from, to). */
long long hours_spans_clip_seconds(const hours_span *spans, size_t n, long long from,
	long long to);

/* Every operator's union of intervals and manual entries overlapping
 * [from, to), merged per operator and concatenated. The caller frees *spans. */
int hours_spans_load(okdf_db *db, long long from, long long to, hours_span **spans, size_t *n,
	okdf_err *e);

/* Called by the UI on key activity: extends the operator's latest interval to
 * now when its end is at most idle_minutes ago, else opens a new one at now.
 * An interval counts up to the last key seen, without an idle tail. */
int hours_activity(okdf_db *db, const char *operator_name, long long now, int idle_minutes,
	okdf_err *e);

/* Records a manual entry of `seconds` for the shop day [day_start, day_end):
 * it starts where the operator's manual entries on that day end (the first
 * at day_start), so entries on one day add up. More than the day holds:
 * OKDF_EINPUT. Writes the new row id into *id when id is not NULL. */
int hours_add_manual(okdf_db *db, const char *operator_name, long long day_start,
	long long day_end, long long seconds, const char *note, long long now, long long *id,
	okdf_err *e);

/* What `okdf hours add` and the UI do: hours_add_manual on shop day *day
 * (today in tz when day is NULL) for op, then the audit row. *id and
 * *out_day receive the new row and the day used. */
int hours_record(okdf_db *db, const okdf_operator *op, const char *tz, const okdf_date *day,
	long long seconds, const char *note, long long now, long long *id, okdf_date *out_day,
	okdf_err *e);

/* Removes manual entry id (anyone's: hours are corrected by whoever sees the
 * mistake), with an audit row naming whose entry it was. */
int hours_remove(okdf_db *db, const okdf_operator *op, long long id, long long now,
	okdf_err *e);

typedef struct hours_operator {
	char name[64];
	long long console_seconds; /* union of console intervals alone */
	long long manual_seconds;  /* union of manual entries alone */
	long long total_seconds;   /* union of both */
} hours_operator;

/* Per operator, by name, for [from, to). The caller frees *ops. */
int hours_by_operator(okdf_db *db, long long from, long long to, hours_operator **ops, int *n,
	okdf_err *e);

/* Parses a positive number of hours, decimal ("1.5", "0.25", "8") or h:mm
 * ("1:30", "0:45"), into seconds, rounded to the nearest second; at most 24
 * hours. */
int hours_parse(const char *s, long long *seconds, okdf_err *e);

#endif

/* A metrics window: whole shop days first..last as a half-open instant range
 * in the shop's timezone, parsed from what an operator types (today, 7d, 30d,
 * 90d, all, Nd, FROM..TO) or counted back from today. */
#ifndef OKDF_CORE_METRICS_WINDOW_H
#define OKDF_CORE_METRICS_WINDOW_H

#include "okdf/core/timeutil.h"
#include "okdf/err.h"

/* A half-open instant range [from, to) covering whole shop days first..last,
 * cut short at now (to = now + 1 when the last day is still running). */
typedef struct metrics_window {
	char spec[32];       /* as given: today, 7d, 30d, 90d, all, FROM..TO */
	int all;             /* "all": from is the epoch, first is 1970-01-01 */
	okdf_date first, last;
	long long from, to;
} metrics_window;

/* Parses spec in zone tz at instant now. Bad spec: OKDF_EINPUT. */
int metrics_window_parse(const char *spec, const char *tz, long long now, metrics_window *w,
	okdf_err *e);

/* The window of n shop days ending `ago` days before today (spec "Nd"). */
int metrics_window_days(const char *tz, long long now, int n, int ago, metrics_window *w,
	okdf_err *e);

#endif

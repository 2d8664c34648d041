/* Metrics windows: turns an operator's window spec, or a count of days back
 * from today, into whole shop days and the instant range [from, to) they
 * cover in the shop's timezone, cut short at now. Knows nothing of what is
 * computed over the window (core/metrics.c does that). */
#include "okdf/core/metrics_window.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int window_bounds(const char *tz, long long now, metrics_window *w, okdf_err *e)
{
	int rc = OKDF_OK;
	long long end;
	if (w->all)
		w->from = 0;
	else if ((rc = tz_day_start(tz, w->first, &w->from, e)))
		return rc;
	if ((rc = tz_day_start(tz, date_add_days(w->last, 1), &end, e)))
		return rc;
	w->to = end < now + 1 ? end : now + 1;
	if (w->to < w->from)
		w->to = w->from;
	return OKDF_OK;
}

int metrics_window_days(const char *tz, long long now, int n, int ago, metrics_window *w,
	okdf_err *e)
{
	memset(w, 0, sizeof *w);
	okdf_date today;
	int rc = tz_date_of(tz, now, &today, e);
	if (rc)
		return rc;
	snprintf(w->spec, sizeof w->spec, "%dd", n);
	w->last = date_add_days(today, -ago);
	w->first = date_add_days(w->last, -(n - 1));
	return window_bounds(tz, now, w, e);
}

int metrics_window_parse(const char *spec, const char *tz, long long now, metrics_window *w,
	okdf_err *e)
{
	memset(w, 0, sizeof *w);
	if (!spec || strlen(spec) >= sizeof w->spec)
		goto bad;
	okdf_date today;
	int rc = tz_date_of(tz, now, &today, e);
	if (rc)
		return rc;
	snprintf(w->spec, sizeof w->spec, "%s", spec);
	w->first = w->last = today;
	const char *dots = strstr(spec, "..");
	if (strcmp(spec, "today") == 0) {
		/* first = last = today */
	} else if (strcmp(spec, "all") == 0) {
		w->all = 1;
		w->first = date_from_days(0);
	} else if (dots) {
		char a[16], b[16];
		size_t la = (size_t)(dots - spec);
		if (la >= sizeof a || strlen(dots + 2) >= sizeof b)
			goto bad;
		memcpy(a, spec, la);
		a[la] = '\0';
		snprintf(b, sizeof b, "%s", dots + 2);
		okdf_err pe = { 0 };
		if (time_parse_date(a, &w->first, &pe) || time_parse_date(b, &w->last, &pe))
			goto bad;
		if (date_to_days(w->last) < date_to_days(w->first))
			return okdf_err_set(e, OKDF_EINPUT, "window \"%s\" ends before it starts", spec);
	} else {
		char *end;
		long n = strtol(spec, &end, 10);
		if (!isdigit((unsigned char)spec[0]) || strcmp(end, "d") != 0 || n < 1 || n > 3660)
			goto bad;
		w->first = date_add_days(today, -(n - 1));
	}
	return window_bounds(tz, now, w, e);
bad:
	return okdf_err_set(e, OKDF_EINPUT,
		"bad window \"%s\": use today, 7d, 30d, 90d, all, Nd or YYYY-MM-DD..YYYY-MM-DD",
		spec ? spec : "");
}

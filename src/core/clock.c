#include "okdf/core/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reads exactly n digits at *p and advances past them. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int parse_epoch(const char *s, long long *out)
{
	if (!*s)
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	if (strlen(s) > 12)
		return -1;
	*out = strtoll(s, NULL, 10);
	return 0;
}

int clock_parse(const char *s, long long *out)
{
	if (!s)
		return -1;
	if (parse_epoch(s, out) == 0)
		return 0;
	const char *p = s;
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-'
		|| digits(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
		}
	}
	long long offset = 0;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
			return -1;
		offset = sign * (oh * 3600LL + om * 60LL);
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (long long)timegm(&tm) - offset;
	return 0;
}

int clock_now(long long *out, okdf_err *e)
{
	const char *fixed = getenv("OKDF_NOW");
	if (fixed && fixed[0]) {
		if (clock_parse(fixed, out) != 0)
			return okdf_err_set(e, OKDF_EINPUT,
				"OKDF_NOW: cannot read \"%s\" (want ISO 8601 or epoch seconds)", fixed);
		return OKDF_OK;
	}
	*out = (long long)time(NULL);
	return OKDF_OK;
}

void clock_format(long long t, char out[CLOCK_ISO_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(out, CLOCK_ISO_LEN, "%lld", t);
		return;
	}
	strftime(out, CLOCK_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

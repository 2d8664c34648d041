#include "okdf/core/timeutil.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

long long date_to_days(okdf_date d)
{
	/* Howard Hinnant's days_from_civil. */
	long long y = d.y - (d.m <= 2);
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

okdf_date date_from_days(long long z)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	okdf_date d;
	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	return d;
}

okdf_date date_add_days(okdf_date d, long long n)
{
	return date_from_days(date_to_days(d) + n);
}

int date_weekday(okdf_date d)
{
	long long z = date_to_days(d);
	return (int)(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_date_prefix(const char *s, okdf_date *d)
{
	if (digits(s, 4, &d->y) || s[4] != '-' || digits(s + 5, 2, &d->m) || s[7] != '-' ||
		digits(s + 8, 2, &d->d))
		return -1;
	if (d->m < 1 || d->m > 12 || d->d < 1 || d->d > days_in_month(d->y, d->m))
		return -1;
	return 0;
}

int time_parse_date(const char *s, okdf_date *out, okdf_err *e)
{
	if (!s || strlen(s) != 10 || parse_date_prefix(s, out))
		return okdf_err_set(e, OKDF_EINPUT, "not a date (YYYY-MM-DD): \"%s\"", s ? s : "");
	return OKDF_OK;
}

int time_parse_iso8601(const char *s, long long *epoch, okdf_err *e)
{
	okdf_date d;
	int hh, mm, ss;
	if (!s || strlen(s) < 19 || parse_date_prefix(s, &d) || (s[10] != 'T' && s[10] != ' ') ||
		digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mm) || s[16] != ':' ||
		digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
		goto bad;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			goto bad;
		while (isdigit((unsigned char)*p))
			p++;
	}
	int offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;
		p++;
		if (digits(p, 2, &oh))
			goto bad;
		p += 2;
		if (*p == ':')
			p++;
		if (digits(p, 2, &om) || oh > 23 || om > 59)
			goto bad;
		p += 2;
		offset = sign * (oh * 3600 + om * 60);
	} else {
		goto bad;
	}
	if (*p)
		goto bad;
	long long t = date_to_days(d) * 86400LL + hh * 3600 + mm * 60 + ss - offset;
	/* The offset must not carry the instant out of years 0000-9999: it
	 * could not be written back as a four-digit year (found by fuzzing). */
	if (t < date_to_days((okdf_date){ 0, 1, 1 }) * 86400LL ||
	    t >= date_to_days((okdf_date){ 10000, 1, 1 }) * 86400LL)
		goto bad;
	*epoch = t;
	return OKDF_OK;
bad:
	return okdf_err_set(e, OKDF_EINPUT, "not an ISO 8601 time with zone: \"%s\"", s ? s : "");
}

int time_now(long long *now, okdf_err *e)
{
	const char *env = getenv("OKDF_NOW");
	if (!env || !*env) {
		*now = (long long)time(NULL);
		return OKDF_OK;
	}
	char *end;
	long long v = strtoll(env, &end, 10);
	if (*end == '\0') {
		*now = v;
		return OKDF_OK;
	}
	int rc = time_parse_iso8601(env, now, e);
	if (rc)
		okdf_err_prefix(e, "OKDF_NOW");
	return rc;
}

void time_format_utc(long long t, char *buf, size_t n)
{
	long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	long long sod = t - days * 86400;
	okdf_date d = date_from_days(days);
	snprintf(buf, n, "%04d-%02d-%02dT%02lld:%02lld:%02lldZ", d.y, d.m, d.d, sod / 3600,
		sod / 60 % 60, sod % 60);
}

void date_format(okdf_date d, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d-%02d", d.y, d.m, d.d);
}

int tz_valid(const char *tz)
{
	if (!tz || !*tz || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	if (strcmp(tz, "UTC") == 0)
		return 1;
	char path[512];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Takes the lock and sets TZ to tz; tz_done releases it. */
static int with_tz(const char *tz, okdf_err *e)
{
	if (!tz_valid(tz))
		return okdf_err_set(e, OKDF_EINPUT, "unknown IANA timezone \"%s\"", tz ? tz : "");
	pthread_mutex_lock(&tz_lock);
	setenv("TZ", tz, 1);
	tzset();
	return OKDF_OK;
}

static void tz_done(void)
{
	pthread_mutex_unlock(&tz_lock);
}

int tz_date_of(const char *tz, long long t, okdf_date *out, okdf_err *e)
{
	int rc = with_tz(tz, e);
	if (rc)
		return rc;
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	tz_done();
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	return OKDF_OK;
}

int tz_offset(const char *tz, long long t, int *offset, okdf_err *e)
{
	int rc = with_tz(tz, e);
	if (rc)
		return rc;
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	tz_done();
	*offset = (int)tm.tm_gmtoff;
	return OKDF_OK;
}

int tz_day_start(const char *tz, okdf_date d, long long *epoch, okdf_err *e)
{
	/* Local midnight is within [UTC midnight - 14 h, + 14 h]: take the first
	 * instant of that range whose local date is d, found by bisection on the
	 * monotone "local date >= d" predicate. */
	long long utc_mid = date_to_days(d) * 86400LL;
	long long lo = utc_mid - 15 * 3600, hi = utc_mid + 15 * 3600;
	long long target = date_to_days(d);
	int rc = with_tz(tz, e);
	if (rc)
		return rc;
	while (lo < hi) {
		long long mid = lo + (hi - lo) / 2;
		time_t tt = (time_t)mid;
		struct tm tm;
		localtime_r(&tt, &tm);
		okdf_date ld = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
		if (date_to_days(ld) >= target)
			hi = mid;
		else
			lo = mid + 1;
	}
	tz_done();
	*epoch = lo;
	return OKDF_OK;
}

int time_format_local(long long t, const char *tz, char *buf, size_t n, okdf_err *e)
{
	int off;
	int rc = tz_offset(tz, t, &off, e);
	if (rc)
		return rc;
	char utc[32];
	time_format_utc(t + off, utc, sizeof utc);
	utc[19] = '\0';
	int a = off < 0 ? -off : off;
	snprintf(buf, n, "%s%c%02d:%02d", utc, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	return OKDF_OK;
}

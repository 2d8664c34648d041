#include "simtime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void sim_time_use_zone(const char *iana)
{
	setenv("TZ", iana, 1);
	tzset();
}

/* t broken down in UTC, for the formatters below. */
static struct tm utc_tm(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return tm;
}

void sim_time_iso_utc(int64_t t, char out[SIM_ISO_LEN])
{
	struct tm tm = utc_tm(t);
	strftime(out, SIM_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void sim_time_iso_offset(int64_t t, char out[SIM_ISO_LEN])
{
	struct tm tm = utc_tm(t);
	strftime(out, SIM_ISO_LEN, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

void sim_time_iso_millis(int64_t t, char out[SIM_ISO_LEN])
{
	struct tm tm = utc_tm(t);
	strftime(out, SIM_ISO_LEN, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
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

int sim_time_parse_date(const char *s, int64_t *out)
{
	int y, mo, d;
	if (strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	*out = (int64_t)timegm(&tm);
	return 0;
}

int sim_time_parse_iso(const char *s, int64_t *out)
{
	int64_t day;
	if (sim_time_parse_date(s, &day))
		return -1;
	if (s[10] == '\0') {
		*out = day;
		return 0;
	}
	int h, mi, se = 0;
	const char *p = s + 11;
	if ((s[10] != 'T' && s[10] != ' ') || digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi))
		return -1;
	p += 5;
	if (*p == ':') {
		if (digits(p + 1, 2, &se))
			return -1;
		p += 3;
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	int64_t t = day + h * 3600 + mi * 60 + se;
	if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh))
			return -1;
		const char *q = p + 3;
		if (*q == ':')
			q++;
		if (digits(q, 2, &om))
			return -1;
		int64_t off = oh * 3600 + om * 60;
		t += *p == '+' ? -off : off;
		p = q + 2;
	} else if (*p == 'Z') {
		p++;
	}
	if (*p != '\0')
		return -1;
	*out = t;
	return 0;
}

void sim_time_local_date(int64_t t, char out[SIM_DATE_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, SIM_DATE_LEN, "%Y-%m-%d", &tm);
}

void sim_time_utc_date(int64_t t, char out[SIM_DATE_LEN])
{
	struct tm tm = utc_tm(t);
	strftime(out, SIM_DATE_LEN, "%Y-%m-%d", &tm);
}

int64_t sim_time_real_now(void)
{
	return (int64_t)time(NULL);
}

double sim_time_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sim_time_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

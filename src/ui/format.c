#include "okdf/ui/format.h"

#include <stdio.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"

void format_money(const metrics_num *v, int exponent, char *buf, size_t n)
{
	if (!v->has)
		snprintf(buf, n, "-");
	else
		money_format_grouped(v->value, exponent, buf, n);
}

void format_percent(const metrics_num *v, char *buf, size_t n)
{
	if (!v->has) {
		snprintf(buf, n, "-");
		return;
	}
	long long a = v->value < 0 ? -v->value : v->value;
	snprintf(buf, n, "%s%lld.%02lld%%", v->value < 0 ? "-" : "", a / 100, a % 100);
}

void format_times(const metrics_num *v, char *buf, size_t n)
{
	if (!v->has) {
		snprintf(buf, n, "-");
		return;
	}
	long long a = v->value < 0 ? -v->value : v->value;
	long long h = (a + 50) / 100;
	snprintf(buf, n, "%s%lld.%02lldx", v->value < 0 ? "-" : "", h / 100, h % 100);
}

void format_hours(long long seconds, char *buf, size_t n)
{
	snprintf(buf, n, "%lld:%02lld", seconds / 3600, seconds / 60 % 60);
}

/* A duration as "40m", "2h", "2h05m", "3d". */
static void format_span(long long s, char *buf, size_t n)
{
	if (s < 0)
		s = -s;
	if (s < 60)
		snprintf(buf, n, "%llds", s);
	else if (s < 3600)
		snprintf(buf, n, "%lldm", s / 60);
	else if (s < 86400 && s % 3600 >= 60)
		snprintf(buf, n, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else if (s < 86400)
		snprintf(buf, n, "%lldh", s / 3600);
	else
		snprintf(buf, n, "%lldd", s / 86400);
}

void format_local_time(const char *tz, long long t, long long now, char *buf, size_t n)
{
	okdf_err e = { 0 };
	char when[48], rel[24];
	if (time_format_zone(t, tz && tz[0] ? tz : "UTC", when, sizeof when, &e) != OKDF_OK)
		time_format_utc(t, when, sizeof when);
	format_span(t - now, rel, sizeof rel);
	snprintf(buf, n, "%s (%s%s%s)", when, t > now ? "in " : "", rel, t > now ? "" : " ago");
}

enum theme_role format_band_role(enum metrics_band b)
{
	switch (b) {
	case MBAND_GOOD: return ROLE_GOOD;
	case MBAND_WARNING: return ROLE_WARNING;
	case MBAND_BAD: return ROLE_BAD;
	default: return ROLE_DIM;
	}
}

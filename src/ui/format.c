#include "okdf/ui/format.h"

#include <stdio.h>

#include "okdf/core/money.h"

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

enum theme_role format_band_role(enum metrics_band b)
{
	switch (b) {
	case MBAND_GOOD: return ROLE_GOOD;
	case MBAND_WARNING: return ROLE_WARNING;
	case MBAND_BAD: return ROLE_BAD;
	default: return ROLE_DIM;
	}
}

/* How the panels write numbers the metrics module computed: money in minor
 * units, basis-point ratios, hours, and the colour of a band. The same
 * rounding as `okdf metrics`, so the screen and the CLI agree. */
#ifndef OKDF_UI_FORMAT_H
#define OKDF_UI_FORMAT_H

#include <stddef.h>

#include "okdf/core/metrics.h"
#include "okdf/ui/theme.h"

/* "1,234.56" (grouped, the currency's decimals) or "-" when !v->has. */
void format_money(const metrics_num *v, int exponent, char *buf, size_t n);

/* Basis points as "12.35%" or "-". */
void format_percent(const metrics_num *v, char *buf, size_t n);

/* Basis points as "3.13x" (hundredths, rounded half away from zero) or "-". */
void format_times(const metrics_num *v, char *buf, size_t n);

/* Seconds as "5:07" (hours:minutes). */
void format_hours(long long seconds, char *buf, size_t n);

/* t in the shop's zone tz ("" = UTC) with its abbreviation, and relative to
 * now: "2026-11-20 12:30 EST (in 2h)", "... (40m ago)". */
void format_local_time(const char *tz, long long t, long long now, char *buf, size_t n);

/* A band's role: good, warning, bad; dim for none. */
enum theme_role format_band_role(enum metrics_band b);

#endif

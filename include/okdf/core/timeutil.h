/* Times: stored as UTC epoch seconds; days cut in the shop's IANA timezone.
 * Timezone conversions go through the process TZ under one mutex, so every
 * caller must use these functions rather than localtime/mktime directly. */
#ifndef OKDF_CORE_TIMEUTIL_H
#define OKDF_CORE_TIMEUTIL_H

#include <stddef.h>

#include "okdf/err.h"

typedef struct okdf_date {
	int y, m, d;
} okdf_date;

/* "now": $OKDF_NOW (ISO 8601 or epoch seconds, in range) when set, else the clock. */
int time_now(long long *now, okdf_err *e);

/* Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HHMM)" (space allowed for T). */
int time_parse_iso8601(const char *s, long long *epoch, okdf_err *e);

/* Parses "YYYY-MM-DD", validating the calendar date. */
int time_parse_date(const char *s, okdf_date *out, okdf_err *e);

/* "2026-11-26T17:06:41Z" into buf (>= 21 bytes). */
void time_format_utc(long long t, char *buf, size_t n);

/* "2026-11-26T12:06:41-05:00": t in zone tz. */
int time_format_local(long long t, const char *tz, char *buf, size_t n, okdf_err *e);

/* "2026-11-26 12:06 EST": t in zone tz, to the minute, with the zone's
 * abbreviation, for people. */
int time_format_zone(long long t, const char *tz, char *buf, size_t n, okdf_err *e);

/* "YYYY-MM-DD" into buf (>= 11 bytes). */
void date_format(okdf_date d, char *buf, size_t n);

/* Days since 1970-01-01 and back (proleptic Gregorian). */
long long date_to_days(okdf_date d);
okdf_date date_from_days(long long days);
okdf_date date_add_days(okdf_date d, long long n);
/* 0 = Sunday .. 6 = Saturday. */
int date_weekday(okdf_date d);

/* True when tz names a zone in the system database (/usr/share/zoneinfo). */
int tz_valid(const char *tz);

/* The calendar date of instant t in zone tz. */
int tz_date_of(const char *tz, long long t, okdf_date *out, okdf_err *e);

/* The instant local midnight begins on date d in zone tz (DST-correct; a
 * midnight skipped by DST resolves to the first valid instant after it). */
int tz_day_start(const char *tz, okdf_date d, long long *epoch, okdf_err *e);

/* UTC offset in seconds of zone tz at instant t. */
int tz_offset(const char *tz, long long t, int *offset, okdf_err *e);

#endif

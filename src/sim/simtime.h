/* Time helpers: ISO 8601 in UTC, calendar days in an IANA zone, monotonic clock.
 *
 * Calendar days in a zone use TZ + tzset + localtime_r. The process sets TZ
 * once at startup (sim_time_use_zone) before any thread starts, and never
 * changes it afterwards, so localtime_r stays thread-safe. */
#ifndef OKDF_SIM_SIMTIME_H
#define OKDF_SIM_SIMTIME_H

#include <stddef.h>
#include <stdint.h>

#define SIM_ISO_LEN 32
#define SIM_DATE_LEN 11

void sim_time_use_zone(const char *iana);
/* "2026-11-20T12:00:00Z" */
void sim_time_iso_utc(int64_t t, char out[SIM_ISO_LEN]);
/* "2026-11-20T12:00:00+00:00" (Klaviyo style) */
void sim_time_iso_offset(int64_t t, char out[SIM_ISO_LEN]);
/* "2026-11-20T12:00:00.000Z" (Relevance style) */
void sim_time_iso_millis(int64_t t, char out[SIM_ISO_LEN]);
/* Parses ISO 8601 with Z, +hh:mm, -hh:mm or no zone (UTC); also a bare date.
 * Returns 0 on success. */
int sim_time_parse_iso(const char *s, int64_t *out);
/* Calendar day (YYYY-MM-DD) of t in the zone set by sim_time_use_zone. */
void sim_time_local_date(int64_t t, char out[SIM_DATE_LEN]);
/* Calendar day of t in UTC shifted by offset seconds. */
void sim_time_utc_date(int64_t t, char out[SIM_DATE_LEN]);
/* Epoch of 00:00 UTC of a YYYY-MM-DD date; 0 on success. */
int sim_time_parse_date(const char *s, int64_t *out);
int64_t sim_time_real_now(void);
double sim_time_monotonic(void);
void sim_time_sleep_ms(long ms);

#endif

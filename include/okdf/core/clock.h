/* "Now", and ISO 8601 UTC times for output. OKDF_NOW (ISO 8601 or epoch
 * seconds) fixes "now" so tests are deterministic. */
#ifndef OKDF_CORE_CLOCK_H
#define OKDF_CORE_CLOCK_H

#include "okdf/err.h"

#define CLOCK_ISO_LEN 32

/* UTC epoch seconds: $OKDF_NOW when set, else the system clock.
 * A malformed OKDF_NOW is OKDF_EINPUT. */
int clock_now(long long *out, okdf_err *e);

/* Parses epoch seconds ("1764000000") or ISO 8601: "YYYY-MM-DD",
 * "YYYY-MM-DDTHH:MM[:SS]" with an optional "Z" or "+HH:MM"/"-HH:MM" offset
 * (no offset means UTC). Returns 0, or -1 when s is not such a time. */
int clock_parse(const char *s, long long *out);

/* "2026-11-26T17:02:00Z". */
void clock_format(long long t, char out[CLOCK_ISO_LEN]);

#endif

/* Money as integer minor units with an ISO 4217 code; never floating point. */
#ifndef OKDF_CORE_MONEY_H
#define OKDF_CORE_MONEY_H

#include <stddef.h>

#include "okdf/err.h"

/* Decimal places of a currency's minor unit: 0 (JPY, KRW, ...), 3 (KWD, BHD,
 * ...), otherwise 2. Unknown codes get 2. */
int money_exponent(const char *currency);

/* The largest amount okdf accepts, in minor units: 10^14 (one trillion in a
 * two-decimal currency). A larger one is bad data; with it, 92,000 maximal
 * amounts still sum within 64 bits. */
#define MONEY_MAX_MINOR 100000000000000LL

/* *acc += v, unless the sum would leave 64 bits: then -1 and *acc is kept.
 * Every sum of numbers from outside goes through it. */
int money_add(long long *acc, long long v);

/* Parses a decimal string ("19.99", "-0.1", "1500", "12.345") into minor
 * units for the given exponent, exactly. Digits beyond the exponent must be
 * zeros ("19.990" is 1999 for USD); anything else, and an amount beyond
 * MONEY_MAX_MINOR either way, is OKDF_EINPUT. */
int money_parse(const char *s, int exponent, long long *minor, okdf_err *e);

/* Formats minor units as a plain decimal ("-1234.56"). Returns chars written
 * as snprintf does. */
int money_format(long long minor, int exponent, char *buf, size_t n);

/* Like money_format with thousands separators ("1,234.56"). */
int money_format_grouped(long long minor, int exponent, char *buf, size_t n);

#endif

/* Money as integer minor units with an ISO 4217 code; never floating point. */
#ifndef OKDF_CORE_MONEY_H
#define OKDF_CORE_MONEY_H

#include <stddef.h>

#include "okdf/err.h"

/* Decimal places of a currency's minor unit: 0 (JPY, KRW, ...), 3 (KWD, BHD,
 * ...), otherwise 2. Unknown codes get 2. */
int money_exponent(const char *currency);

/* Parses a decimal string ("19.99", "-0.1", "1500", "12.345") into minor
 * units for the given exponent, exactly. Digits beyond the exponent must be
 * zeros ("19.990" is 1999 for USD); anything else is OKDF_EINPUT. */
int money_parse(const char *s, int exponent, long long *minor, okdf_err *e);

/* Formats minor units as a plain decimal ("-1234.56"). Returns chars written
 * as snprintf does. */
int money_format(long long minor, int exponent, char *buf, size_t n);

/* Like money_format with thousands separators ("1,234.56"). */
int money_format_grouped(long long minor, int exponent, char *buf, size_t n);

#endif

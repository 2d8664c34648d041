/* Small text encoders: base64 cursors, URL query escaping, money strings. */
#ifndef OKDF_SIM_ENCODE_H
#define OKDF_SIM_ENCODE_H

#include <stddef.h>
#include <stdint.h>

/* Returns a malloc'd NUL-terminated string, or NULL on allocation failure. */
char *sim_base64_encode(const char *data, size_t len);
/* Returns a malloc'd NUL-terminated string, or NULL if not valid base64. */
char *sim_base64_decode(const char *text);
/* Percent-encodes everything except RFC 3986 unreserved characters. Malloc'd. */
char *sim_url_escape(const char *s);
/* Decodes %XX and '+' in place (form bodies). */
void sim_url_unescape(char *s);

#define SIM_MONEY_LEN 32
/* Fixed decimals: 1999 -> "19.99" (exp 2), 1500 -> "1500" (exp 0). */
void sim_money_fixed(int64_t minor, int exponent, char out[SIM_MONEY_LEN]);
/* Shopify's Decimal scalar: trailing zeros trimmed, at least one decimal:
 * 1990 -> "19.9", 2000 -> "20.0", JPY 1500 -> "1500.0". */
void sim_money_shopify(int64_t minor, int exponent, char out[SIM_MONEY_LEN]);

#endif

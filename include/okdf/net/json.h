/* Safe getters over cJSON for vendor payloads: IDs and money stay text until
 * they are parsed exactly; nothing here reads valueint. */
#ifndef OKDF_NET_JSON_H
#define OKDF_NET_JSON_H

#include <cjson/cJSON.h>

#include "okdf/err.h"

/* Member lookup along a dotted path ("extensions.cost.throttleStatus");
 * NULL when any step is missing or not an object. obj may be NULL. */
const cJSON *json_path(const cJSON *obj, const char *path);

/* The string at path, or NULL when absent, null or not a string. */
const char *json_str(const cJSON *obj, const char *path);

/* An integer sent as a string ("3", Shopify UnsignedInt64, Meta counts) or as
 * a JSON number holding an exact integer. OKDF_EINPUT otherwise. */
int json_int64(const cJSON *item, long long *out, okdf_err *e);

/* Money as minor units of currency: a decimal string through money_parse, or
 * a JSON number (Klaviyo statistics) read as decimal text: exact for every
 * decimal of up to 15 significant digits; 1e15 and above are refused. */
int json_money(const cJSON *item, const char *currency, long long *minor, okdf_err *e);

/* The ISO 8601 time at path as epoch seconds; *is_null set when absent/null
 * (is_null may be NULL, then absence is an error). */
int json_time(const cJSON *obj, const char *path, long long *epoch, int *is_null, okdf_err *e);

#endif

/* Money strings and ISO-8601 times: what the parsers accept must survive a
 * round trip through the formatters. The first byte picks the exponent. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"

static const char *const currencies[] = { "JPY", "USD", "KWD", "CLF", "XXX" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int exponent = data[0] % 5;
	char *s = fuzz_cstr(data + 1, size - 1);
	if (!s)
		return 0;
	okdf_err e = { 0 };
	long long minor, again;
	char buf[64];
	if (money_parse(s, exponent, &minor, &e) == OKDF_OK) {
		if (money_format(minor, exponent, buf, sizeof buf) < 0 ||
		    money_parse(buf, exponent, &again, &e) != OKDF_OK || again != minor) {
			fprintf(stderr, "money round trip: '%s' -> %lld -> '%s'\n", s, minor, buf);
			abort();
		}
		(void)money_format_grouped(minor, exponent, buf, sizeof buf);
	}
	(void)money_exponent(s);
	long long t, t2;
	if (time_parse_iso8601(s, &t, &e) == OKDF_OK) {
		time_format_utc(t, buf, sizeof buf);
		if (time_parse_iso8601(buf, &t2, &e) != OKDF_OK || t2 != t) {
			fprintf(stderr, "time round trip: '%s' -> %lld -> '%s'\n", s, t, buf);
			abort();
		}
	}
	okdf_date d;
	if (time_parse_date(s, &d, &e) == OKDF_OK) {
		date_format(d, buf, sizeof buf);
		okdf_date d2;
		if (time_parse_date(buf, &d2, &e) != OKDF_OK ||
		    date_to_days(d2) != date_to_days(d)) {
			fprintf(stderr, "date round trip: '%s' -> '%s'\n", s, buf);
			abort();
		}
	}
	/* The same text as a JSON value, the way the connectors read amounts. */
	cJSON *j = cJSON_Parse(s);
	if (j) {
		(void)json_money(j, currencies[data[0] % 5], &minor, &e);
		(void)json_int64(j, &minor, &e);
		int is_null;
		(void)json_time(j, "t", &t, &is_null, &e);
		cJSON_Delete(j);
	}
	free(s);
	return 0;
}

#include "okdf/net/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"

const cJSON *json_path(const cJSON *obj, const char *path)
{
	const cJSON *cur = obj;
	const char *p = path;
	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (len >= sizeof key || !cJSON_IsObject(cur))
			return NULL;
		memcpy(key, p, len);
		key[len] = '\0';
		cur = cJSON_GetObjectItemCaseSensitive(cur, key);
		p += len + (dot ? 1 : 0);
	}
	return cur;
}

const char *json_str(const cJSON *obj, const char *path)
{
	const cJSON *it = json_path(obj, path);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

int json_int64(const cJSON *item, long long *out, okdf_err *e)
{
	if (cJSON_IsString(item)) {
		const char *s = item->valuestring;
		int neg = *s == '-';
		const char *p = s + neg;
		if (!*p)
			return okdf_err_set(e, OKDF_EINPUT, "not an integer: \"%s\"", s);
		unsigned long long v = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9' || v > (9223372036854775807ULL - (unsigned)(*p - '0')) / 10)
				return okdf_err_set(e, OKDF_EINPUT, "not an integer: \"%s\"", s);
			v = v * 10 + (unsigned)(*p - '0');
		}
		*out = neg ? -(long long)v : (long long)v;
		return OKDF_OK;
	}
	if (cJSON_IsNumber(item)) {
		double d = item->valuedouble;
		/* Exact integers only: beyond 2^53 a double has already lost digits. */
		if (!isfinite(d) || d != floor(d) || fabs(d) >= 9007199254740992.0)
			return okdf_err_set(e, OKDF_EINPUT, "not an exact integer: %.17g", d);
		*out = (long long)d;
		return OKDF_OK;
	}
	return okdf_err_set(e, OKDF_EINPUT, "expected an integer");
}

/* A JSON number as decimal text with `places` fraction digits. cJSON keeps a
 * number only as a double, so the text is the double rounded correctly to
 * that many places (printf %.*f): exact for every decimal of up to 15
 * significant digits, which is every amount a vendor sends as a number.
 * Magnitudes of 1e15 and above are refused. */
static int json_number_decimal(const cJSON *item, int places, char *buf, size_t n,
	okdf_err *e)
{
	if (!cJSON_IsNumber(item))
		return okdf_err_set(e, OKDF_EINPUT, "expected a number");
	double d = item->valuedouble;
	if (!isfinite(d) || fabs(d) >= 1e15)
		return okdf_err_set(e, OKDF_EINPUT, "number out of range: %.17g", d);
	int w = snprintf(buf, n, "%.*f", places, d);
	if (w < 0 || (size_t)w >= n)
		return okdf_err_set(e, OKDF_EINPUT, "number too long");
	return OKDF_OK;
}

int json_money(const cJSON *item, const char *currency, long long *minor, okdf_err *e)
{
	int exp = money_exponent(currency);
	if (cJSON_IsString(item))
		return money_parse(item->valuestring, exp, minor, e);
	if (cJSON_IsNumber(item)) {
		char text[64];
		int rc = json_number_decimal(item, exp, text, sizeof text, e);
		return rc ? rc : money_parse(text, exp, minor, e);
	}
	return okdf_err_set(e, OKDF_EINPUT, "expected an amount");
}

int json_time(const cJSON *obj, const char *path, long long *epoch, int *is_null, okdf_err *e)
{
	const cJSON *it = json_path(obj, path);
	if (!it || cJSON_IsNull(it)) {
		if (is_null) {
			*is_null = 1;
			*epoch = 0;
			return OKDF_OK;
		}
		return okdf_err_set(e, OKDF_EINPUT, "missing time \"%s\"", path);
	}
	if (is_null)
		*is_null = 0;
	if (!cJSON_IsString(it))
		return okdf_err_set(e, OKDF_EINPUT, "\"%s\" is not a time string", path);
	return time_parse_iso8601(it->valuestring, epoch, e);
}

/* What Meta's wire values mean: the API version string, budgets in Meta's
 * units against ISO 4217 minor units, appsecret_proof, the usage headers, an
 * ad's review feedback and one daily insights row. Pure functions over
 * strings, JSON nodes and amounts (no transport, no store writes), which
 * fuzz_meta and the unit tests call directly. */
#include "okdf/sync/meta_wire.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "okdf/core/money.h"
#include "okdf/net/json.h"

int meta_version(const char *configured, char *out, size_t n, okdf_err *e)
{
	const char *p = configured && (configured[0] == 'v' || configured[0] == 'V')
		? configured + 1 : configured;
	const char *q = p;
	while (q && isdigit((unsigned char)*q))
		q++;
	int ok = q && q > p && *q == '.' && isdigit((unsigned char)q[1]);
	for (q = ok ? q + 1 : q; ok && *q; q++)
		ok = isdigit((unsigned char)*q);
	if (!ok || strlen(p) + 2 > n)
		return okdf_err_set(e, OKDF_EINPUT,
			"[meta] api_version \"%s\" is not a Graph API version such as %s",
			configured ? configured : "", META_NEWEST_VERSION);
	snprintf(out, n, "v%s", p);
	return OKDF_OK;
}

int meta_budget_offset(const char *currency)
{
	static const char *const one[] = { "CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY",
		"KRW", "PYG", "TWD", "VND" };
	for (size_t i = 0; currency && i < sizeof one / sizeof one[0]; i++)
		if (strcmp(currency, one[i]) == 0)
			return 1;
	return 100;
}

static long long pow10i(int exp)
{
	long long p = 1;
	while (exp-- > 0)
		p *= 10;
	return p;
}

int meta_budget_to_minor(long long units, const char *currency, long long *minor, okdf_err *e)
{
	long long scaled, offset = meta_budget_offset(currency);
	if (units < 0 || __builtin_mul_overflow(units, pow10i(money_exponent(currency)), &scaled))
		return okdf_err_set(e, OKDF_EINPUT, "budget %lld %s out of range", units,
			currency ? currency : "");
	if (scaled % offset)
		return okdf_err_set(e, OKDF_EINPUT, "budget %lld is not a whole amount of %s minor units",
			units, currency ? currency : "");
	*minor = scaled / offset;
	return OKDF_OK;
}

int meta_budget_from_minor(long long minor, const char *currency, long long *units, okdf_err *e)
{
	long long scaled, unit = pow10i(money_exponent(currency));
	if (minor < 0 || __builtin_mul_overflow(minor, (long long)meta_budget_offset(currency),
		&scaled))
		return okdf_err_set(e, OKDF_EINPUT, "budget %lld out of range", minor);
	if (scaled % unit)
		return okdf_err_set(e, OKDF_EINPUT,
			"%lld minor units of %s cannot be set as a Meta budget (whole %s only)", minor,
			currency ? currency : "", meta_budget_offset(currency) == 1 ? "units" : "cents");
	*units = scaled / unit;
	return OKDF_OK;
}

int meta_appsecret_proof(const char *token, const char *app_secret, char out[65], okdf_err *e)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!HMAC(EVP_sha256(), app_secret, (int)strlen(app_secret), (const unsigned char *)token,
		strlen(token), mac, &len) || len != 32)
		return okdf_err_set(e, OKDF_EFAIL, "cannot compute appsecret_proof");
	for (unsigned int i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
	return OKDF_OK;
}

static void usage_number(const cJSON *obj, const char *key, double *max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsNumber(v) && v->valuedouble > *max)
		*max = v->valuedouble;
}

void meta_usage_parse(const char *buc, const char *account, const char *insights, meta_usage *out)
{
	double pct = 0, regain_min = 0, reset_s = 0;
	cJSON *j = buc ? cJSON_Parse(buc) : NULL;
	const cJSON *biz, *ent;
	cJSON_ArrayForEach(biz, j) {
		cJSON_ArrayForEach(ent, biz) {
			usage_number(ent, "call_count", &pct);
			usage_number(ent, "total_cputime", &pct);
			usage_number(ent, "total_time", &pct);
			usage_number(ent, "estimated_time_to_regain_access", &regain_min);
		}
	}
	cJSON_Delete(j);
	j = account ? cJSON_Parse(account) : NULL;
	usage_number(j, "acc_id_util_pct", &pct);
	usage_number(j, "reset_time_duration", &reset_s);
	cJSON_Delete(j);
	j = insights ? cJSON_Parse(insights) : NULL;
	usage_number(j, "app_id_util_pct", &pct);
	usage_number(j, "acc_id_util_pct", &pct);
	cJSON_Delete(j);
	/* Compared as a double: 1e300 must not reach an int cast. */
	out->pct = pct >= 1000 ? 1000 : (int)pct;
	/* Minutes until a throttled business use case is served again, else the
	 * ad account window's reset (seconds). */
	out->wait_s = regain_min > 0 ? regain_min * 60 : reset_s;
}

/* Adds "[placement] reason: text" lines of one feedback map to buf. */
static void feedback_lines(const cJSON *map, const char *placement, char *buf, size_t n)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, map) {
		size_t used = strlen(buf);
		if (!r->string || !cJSON_IsString(r) || used + 1 >= n)
			continue;
		snprintf(buf + used, n - used, "%s%s%s%s: %s", used ? "\n" : "",
			placement ? placement : "", placement ? " " : "", r->string, r->valuestring);
	}
}

/* Marketing API AdgroupReviewFeedback {global: map<string,string>,
 * placement_specific: {placement: map<string,string>}} as text lines, cut
 * at n bytes; "" when the ad has none. */
void meta_review_feedback_text(const cJSON *feedback, char *buf, size_t n)
{
	buf[0] = '\0';
	feedback_lines(json_path(feedback, "global"), NULL, buf, n);
	const cJSON *p;
	cJSON_ArrayForEach(p, json_path(feedback, "placement_specific"))
		if (p->string && cJSON_IsObject(p))
			feedback_lines(p, p->string, buf, n);
}

/* The value of the one purchase action type in an actions list; 0 when
 * absent (Meta omits zero values). Types overlap, so they are never summed. */
static const cJSON *purchase_action(const cJSON *list, const char *action_type)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, list) {
		const char *type = json_str(a, "action_type");
		if (type && strcmp(type, action_type) == 0)
			return json_path(a, "value");
	}
	return NULL;
}

int meta_parse_insight(const cJSON *row, const char *currency, const char *action_type,
	store_ad_insight *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	out->campaign_id = json_str(row, "campaign_id");
	out->day = json_str(row, "date_start");
	out->currency = currency;
	if (!out->campaign_id || !out->day)
		return okdf_err_set(e, OKDF_EINPUT, "insight row without campaign_id or date_start");
	const cJSON *spend = json_path(row, "spend");
	int rc = spend ? json_money(spend, currency, &out->spend_minor, e) : OKDF_OK;
	const cJSON *n = purchase_action(json_path(row, "actions"), action_type);
	if (!rc && n)
		rc = json_int64(n, &out->purchases, e);
	const cJSON *v = purchase_action(json_path(row, "action_values"), action_type);
	if (!rc && v)
		rc = json_money(v, currency, &out->purchase_value_minor, e);
	return rc ? okdf_err_prefix(e, "insight %s %s", out->campaign_id, out->day) : OKDF_OK;
}

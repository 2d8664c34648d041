/* Meta and Klaviyo connector pieces on recorded payloads (tests/fixtures)
 * and hand-computed values: Meta's budget offsets, versions, appsecret_proof,
 * usage headers and the one purchase action type; Klaviyo's flows, metrics
 * linkage and values reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "okdf/sync/klaviyo.h"
#include "okdf/sync/meta.h"
#include "okdf/sync/meta_wire.h"

static cJSON *fixture(const char *rel)
{
	const char *dir = getenv("OKDF_FIXTURES");
	assert_non_null(dir);
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	cJSON *j = cJSON_Parse(buf);
	if (!j)
		fail_msg("%s is not JSON", path);
	return j;
}

static void test_meta_version(void **state)
{
	(void)state;
	char v[16];
	okdf_err e = { 0 };
	assert_int_equal(meta_version("27.0", v, sizeof v, &e), OKDF_OK);
	assert_string_equal(v, "v27.0");
	assert_int_equal(meta_version("v27.0", v, sizeof v, &e), OKDF_OK);
	assert_string_equal(v, "v27.0");
	assert_int_equal(meta_version("V25.0", v, sizeof v, &e), OKDF_OK);
	assert_string_equal(v, "v25.0");
	static const char *const bad[] = { "", "27", "v27", "latest", "v27.0x", "v.0", "27.",
		"v27.0/act_1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(meta_version(bad[i], v, sizeof v, &e), OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "v27.0"));
	assert_string_equal(META_NEWEST_VERSION, "v27.0");
}

/* Meta units -> ISO minor units and back, in every offset-1 currency and
 * in 2- and 3-decimal offset-100 ones. */
static void test_meta_budget_offsets(void **state)
{
	(void)state;
	static const struct {
		const char *cur;
		long long units, minor; /* "units" as Meta sends them */
	} cases[] = {
		{ "USD", 5000, 5000 },  /* $50.00: cents both ways */
		{ "EUR", 1999, 1999 },
		{ "JPY", 5000, 5000 },  /* 5000 yen: no minor unit */
		{ "KRW", 30000, 30000 },
		{ "VND", 200000, 200000 },
		{ "CLP", 15000, 15000 },
		{ "ISK", 7000, 7000 },
		{ "PYG", 90000, 90000 },
		{ "HUF", 50, 5000 },    /* 50 forint = 5000 fillér */
		{ "TWD", 300, 30000 },
		{ "IDR", 150000, 15000000 },
		{ "COP", 40000, 4000000 },
		{ "CRC", 2500, 250000 },
		{ "KWD", 500, 5000 },   /* 5.00 KWD = 5000 fils */
		{ "BHD", 1234, 12340 },
	};
	okdf_err e = { 0 };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long long minor = -1, units = -1;
		assert_int_equal(meta_budget_to_minor(cases[i].units, cases[i].cur, &minor, &e),
			OKDF_OK);
		if (minor != cases[i].minor)
			fail_msg("%s: %lld units read as %lld minor, want %lld", cases[i].cur,
				cases[i].units, minor, cases[i].minor);
		assert_int_equal(meta_budget_from_minor(cases[i].minor, cases[i].cur, &units, &e),
			OKDF_OK);
		assert_int_equal(units, cases[i].units);
	}
	assert_int_equal(meta_budget_offset("HUF"), 1);
	assert_int_equal(meta_budget_offset("JPY"), 1);
	assert_int_equal(meta_budget_offset("KWD"), 100);
	assert_int_equal(meta_budget_offset("USD"), 100);
	long long out;
	/* 50.50 forint and 5.005 dinar cannot be set: Meta has no such unit. */
	assert_int_equal(meta_budget_from_minor(5050, "HUF", &out, &e), OKDF_EINPUT);
	assert_int_equal(meta_budget_from_minor(5005, "KWD", &out, &e), OKDF_EINPUT);
	assert_int_equal(meta_budget_to_minor(-1, "USD", &out, &e), OKDF_EINPUT);
	assert_int_equal(meta_budget_to_minor(4000000000000000000LL, "HUF", &out, &e), OKDF_EINPUT);
}

static void test_meta_appsecret_proof(void **state)
{
	(void)state;
	char proof[65];
	okdf_err e = { 0 };
	/* RFC 4231 test case 2: key "Jefe". */
	assert_int_equal(meta_appsecret_proof("what do ya want for nothing?", "Jefe", proof, &e),
		OKDF_OK);
	assert_string_equal(proof, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* openssl dgst -sha256 -hmac appsec <<< meta_sim (no newline). */
	assert_int_equal(meta_appsecret_proof("meta_sim", "appsec", proof, &e), OKDF_OK);
	assert_string_equal(proof, "65bc50f42712038650b23c2a05fd130f0e54fa31336920a164431b549e5beb5c");
}

static void test_meta_usage(void **state)
{
	(void)state;
	/* The header shapes Meta documents, one line each in the fixture. */
	const char *dir = getenv("OKDF_FIXTURES");
	char path[4096], line[1024], buc[1024] = "", acct[1024] = "", ins[1024] = "";
	snprintf(path, sizeof path, "%s/meta/usage_headers.txt", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *v = strstr(line, ": ");
		assert_non_null(v);
		*v = '\0';
		char *dst = !strcmp(line, "X-Business-Use-Case-Usage") ? buc
			: !strcmp(line, "X-Ad-Account-Usage") ? acct : ins;
		snprintf(dst, 1024, "%s", v + 2);
	}
	fclose(f);
	meta_usage u;
	meta_usage_parse(buc, acct, ins, &u);
	assert_int_equal(u.pct, 28); /* call_count beats 9.67 and 0 */
	assert_true(u.wait_s == 100); /* no regain time: the account window's reset */
	/* The account header alone can be the highest. */
	meta_usage_parse(NULL, "{\"acc_id_util_pct\":93.5,\"reset_time_duration\":40}", NULL, &u);
	assert_int_equal(u.pct, 93);
	assert_true(u.wait_s == 40);
	/* ...or the insights throttle, and a regain time (minutes) wins. */
	meta_usage_parse("{\"1\":[{\"type\":\"ads_insights\",\"call_count\":10,"
		"\"estimated_time_to_regain_access\":3}]}", "{\"acc_id_util_pct\":5}",
		"{\"app_id_util_pct\":97,\"acc_id_util_pct\":12}", &u);
	assert_int_equal(u.pct, 97);
	assert_true(u.wait_s == 180);
	meta_usage_parse("not json", NULL, "", &u);
	assert_int_equal(u.pct, 0);
	assert_true(u.wait_s == 0);
}

/* One action type, as configured; never a sum across the overlapping ones. */
static void test_meta_purchase_type(void **state)
{
	(void)state;
	cJSON *page = fixture("meta/insights_page.json");
	const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(page, "data"), 0);
	store_ad_insight in;
	okdf_err e = { 0 };
	assert_int_equal(meta_parse_insight(row, "USD", "omni_purchase", &in, &e), OKDF_OK);
	assert_int_equal(in.spend_minor, 12345);
	assert_int_equal(in.purchases, 5);
	assert_int_equal(in.purchase_value_minor, 44975);
	assert_int_equal(meta_parse_insight(row, "USD", "offsite_conversion.fb_pixel_purchase", &in,
		&e), OKDF_OK);
	assert_int_equal(in.purchases, 4);
	assert_int_equal(in.purchase_value_minor, 39980);
	/* A type the row does not carry counts 0 (Meta omits zeros). */
	assert_int_equal(meta_parse_insight(row, "USD", "onsite_web_purchase", &in, &e), OKDF_OK);
	assert_int_equal(in.purchases, 0);
	assert_int_equal(in.purchase_value_minor, 0);
	/* Spend is in major units, also in offset-1 currencies. */
	assert_int_equal(meta_parse_insight(row, "HUF", "omni_purchase", &in, &e), OKDF_OK);
	assert_int_equal(in.spend_minor, 12345);
	cJSON_Delete(page);
}

/* Airbyte's recorded flow and the spec's nullable name and status. */
static void test_klaviyo_flows(void **state)
{
	(void)state;
	cJSON *j = fixture("klaviyo/airbyte_flows.json");
	store_email_flow f;
	okdf_err e = { 0 };
	assert_int_equal(klaviyo_parse_flow(cJSON_GetArrayItem(j, 0), &f, &e), OKDF_OK);
	assert_string_equal(f.id, "flow_001");
	assert_string_equal(f.name, "Welcome Series");
	assert_string_equal(f.status, "live");
	assert_string_equal(f.trigger_type, "List");
	assert_null(f.trigger_metric_id);
	assert_int_equal(f.created_at, 1704103200); /* 2024-01-01T10:00:00+00:00 */
	assert_int_equal(f.updated_at, 1705321800); /* 2024-01-15T12:30:00+00:00 */
	cJSON_Delete(j);
	j = fixture("klaviyo/flows_nullable.json");
	const cJSON *item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "data"), 0);
	assert_int_equal(klaviyo_parse_flow(item, &f, &e), OKDF_OK);
	assert_string_equal(f.id, "XVTP5Q");
	assert_string_equal(f.name, "");
	assert_string_equal(f.status, "");
	assert_string_equal(f.trigger_type, "Unconfigured");
	assert_int_equal(f.updated_at, f.created_at); /* null updated: the creation time */
	cJSON_Delete(j);
	/* Only the id is required. */
	j = cJSON_Parse("{\"type\":\"flow\",\"attributes\":{\"name\":\"x\"}}");
	assert_int_equal(klaviyo_parse_flow(j, &f, &e), OKDF_EINPUT);
	cJSON_Delete(j);
}

struct sums {
	int n;
	char id[4][40];
	long long recipients[4], conversions[4], value[4];
};

static int collect(const char *id, long long recipients, long long conversions,
	long long value_minor, void *arg)
{
	struct sums *s = arg;
	assert_true(s->n < 4);
	snprintf(s->id[s->n], sizeof s->id[0], "%s", id);
	s->recipients[s->n] = recipients;
	s->conversions[s->n] = conversions;
	s->value[s->n++] = value_minor;
	return OKDF_OK;
}

/* Campaign values: one total per campaign_id, conversion_value to minor units. */
static void test_klaviyo_campaign_values(void **state)
{
	(void)state;
	cJSON *j = fixture("klaviyo/campaign_values_page1.json");
	struct sums s = { 0 };
	okdf_err e = { 0 };
	assert_int_equal(klaviyo_sum_values(j, "campaign_id", "USD", collect, &s, &e), OKDF_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.id[0], "01GMRWDSA0ARTAKE1SFX8JGXAY");
	assert_int_equal(s.recipients[0], 1200);
	assert_int_equal(s.conversions[0], 31);
	assert_int_equal(s.value[0], 284155);
	assert_string_equal(s.id[1], "01GJTHNWVG93F3KNX71SJ4FDBB");
	assert_int_equal(s.value[1], 5990);
	/* A page is followed through links.next (page_cursor). */
	const char *next = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "links"), "next")->valuestring;
	assert_non_null(strstr(next, "page_cursor="));
	/* Grouped by the wrong key: every row lacks it. */
	memset(&s, 0, sizeof s);
	assert_int_equal(klaviyo_sum_values(j, "flow_id", "USD", collect, &s, &e), OKDF_EINPUT);
	assert_int_equal(s.n, 0);
	cJSON_Delete(j);
	/* The spec's own example rows carry no conversion statistics: zeros. */
	j = fixture("klaviyo/query_flow_values.property_examples.json");
	cJSON *report = cJSON_CreateObject();
	cJSON_AddItemToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(report, "data"),
		"attributes"), "results", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "examples"), "$.data.attributes.results"), 1));
	memset(&s, 0, sizeof s);
	assert_int_equal(klaviyo_sum_values(report, "flow_id", "USD", collect, &s, &e), OKDF_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.id[0], "XVTP5Q");
	assert_int_equal(s.recipients[0] + s.conversions[0] + s.value[0], 0);
	cJSON_Delete(report);
	cJSON_Delete(j);
}

/* Two messages of one flow: each number becomes minor units first, then
 * they add as integers (0.1 + 0.2 is exactly 30 cents). */
static void test_klaviyo_flow_values(void **state)
{
	(void)state;
	cJSON *report = cJSON_Parse("{\"data\":{\"type\":\"flow-values-report\",\"attributes\":{\"results\":["
		"{\"groupings\":{\"flow_id\":\"A\",\"flow_message_id\":\"m1\",\"send_channel\":\"email\"},"
		"\"statistics\":{\"recipients\":1200,\"conversions\":31,\"conversion_value\":0.1}},"
		"{\"groupings\":{\"flow_id\":\"B\",\"flow_message_id\":\"m3\",\"send_channel\":\"email\"},"
		"\"statistics\":{\"recipients\":5,\"conversions\":0,\"conversion_value\":2841.55}},"
		"{\"groupings\":{\"flow_id\":\"A\",\"flow_message_id\":\"m2\",\"send_channel\":\"sms\"},"
		"\"statistics\":{\"recipients\":10,\"conversions\":1,\"conversion_value\":0.2}}]}}}");
	struct sums s = { 0 };
	okdf_err e = { 0 };
	assert_int_equal(klaviyo_sum_values(report, "flow_id", "USD", collect, &s, &e), OKDF_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.id[0], "A");
	assert_int_equal(s.recipients[0], 1210);
	assert_int_equal(s.conversions[0], 32);
	assert_int_equal(s.value[0], 30);
	assert_int_equal(s.value[1], 284155);
	memset(&s, 0, sizeof s);
	assert_int_equal(klaviyo_sum_values(report, "flow_id", "KWD", collect, &s, &e), OKDF_OK);
	assert_int_equal(s.value[0], 300);
	cJSON_Delete(report);
}

static void test_klaviyo_overflow(void **state)
{
	(void)state;
	/* Two rows of 2^63 - 1 recipients: the sum leaves 64 bits. Nothing is handed
	 * on (no -2 in the store) and the report fails as bad data. */
	cJSON *report = cJSON_Parse("{\"data\":{\"attributes\":{\"results\":["
		"{\"groupings\":{\"flow_id\":\"A\"},\"statistics\":{\"recipients\":\"9223372036854775807\"}},"
		"{\"groupings\":{\"flow_id\":\"A\"},\"statistics\":{\"recipients\":\"9223372036854775807\"}}"
		"]}}}");
	assert_non_null(report);
	struct sums s = { 0 };
	okdf_err e = { 0 };
	assert_int_equal(klaviyo_sum_values(report, "flow_id", "USD", collect, &s, &e), OKDF_EINPUT);
	assert_int_equal(s.n, 0);
	assert_non_null(strstr(e.msg, "overflow"));
	cJSON_Delete(report);
	/* A conversion value beyond the documented maximum amount. */
	report = cJSON_Parse("{\"data\":{\"attributes\":{\"results\":["
		"{\"groupings\":{\"flow_id\":\"A\"},\"statistics\":{\"conversion_value\":1e15}}]}}}");
	assert_int_equal(klaviyo_sum_values(report, "flow_id", "USD", collect, &s, &e), OKDF_EINPUT);
	assert_int_equal(s.n, 0);
	cJSON_Delete(report);
	/* Negative counts are not counts. */
	report = cJSON_Parse("{\"data\":{\"attributes\":{\"results\":["
		"{\"groupings\":{\"flow_id\":\"A\"},\"statistics\":{\"recipients\":-3}}]}}}");
	assert_int_equal(klaviyo_sum_values(report, "flow_id", "USD", collect, &s, &e), OKDF_EINPUT);
	cJSON_Delete(report);
}


/* ad_review_feedback (AdgroupReviewFeedback) as lines: global reasons,
 * then placement-specific ones named by placement; cut at the buffer. */
static void test_meta_review_feedback(void **state)
{
	(void)state;
	cJSON *f = cJSON_Parse("{\"global\":{\"Unrealistic Outcomes\":\"No miracle claims.\"},"
		"\"placement_specific\":{\"instagram\":{\"Text\":\"Too much text.\"}}}");
	char buf[128];
	meta_review_feedback_text(f, buf, sizeof buf);
	assert_string_equal(buf, "Unrealistic Outcomes: No miracle claims.\n"
		"instagram Text: Too much text.");
	char small[12];
	meta_review_feedback_text(f, small, sizeof small);
	assert_string_equal(small, "Unrealistic");
	meta_review_feedback_text(NULL, buf, sizeof buf);
	assert_string_equal(buf, "");
	cJSON_Delete(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meta_version),
		cmocka_unit_test(test_meta_budget_offsets),
		cmocka_unit_test(test_meta_appsecret_proof),
		cmocka_unit_test(test_meta_usage),
		cmocka_unit_test(test_meta_purchase_type),
		cmocka_unit_test(test_meta_review_feedback),
		cmocka_unit_test(test_klaviyo_flows),
		cmocka_unit_test(test_klaviyo_campaign_values),
		cmocka_unit_test(test_klaviyo_flow_values),
		cmocka_unit_test(test_klaviyo_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

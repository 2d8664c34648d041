/* Connector parsers against the vendors' own sample payloads
 * (tests/fixtures) and against hard values: "0.1" strings, JPY and KWD amounts,
 * JSON-number statistics, null product ids, 64-bit ids, duplicate Meta
 * purchase action types. Relevance AI: test_relevance.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "src/store/db_private.h"
#include "okdf/core/money.h"
#include "okdf/net/http.h"
#include "okdf/net/json.h"
#include "okdf/store/db.h"
#include "okdf/sync/meta.h"
#include "okdf/sync/meta_wire.h"
#include "okdf/sync/shopify.h"
#include "okdf/sync/worker.h"

static cJSON *fixture(const char *rel)
{
	const char *dir = getenv("OKDF_FIXTURES");
	assert_non_null(dir);
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	assert_true(feof(f)); /* the whole file fitted */
	fclose(f);
	buf[n] = '\0';
	cJSON *j = cJSON_Parse(buf);
	assert_non_null(j);
	return j;
}

static long long money_of(const char *json, const char *currency)
{
	cJSON *j = cJSON_Parse(json);
	assert_non_null(j);
	long long v = -1;
	okdf_err e = { 0 };
	assert_int_equal(json_money(j, currency, &v, &e), OKDF_OK);
	cJSON_Delete(j);
	return v;
}

static void test_json_money(void **state)
{
	(void)state;
	assert_int_equal(money_of("\"0.1\"", "USD"), 10);
	assert_int_equal(money_of("\"19.99\"", "USD"), 1999);
	assert_int_equal(money_of("\"1500\"", "JPY"), 1500);
	assert_int_equal(money_of("\"1500.0\"", "JPY"), 1500);
	assert_int_equal(money_of("\"12.345\"", "KWD"), 12345);
	assert_int_equal(money_of("\"0.1\"", "KWD"), 100);
	/* JSON numbers (Klaviyo statistics) go through their decimal text. */
	assert_int_equal(money_of("2841.55", "USD"), 284155);
	assert_int_equal(money_of("0.30000000000000004", "USD"), 30);
	assert_int_equal(money_of("0.1", "USD"), 10);
	assert_int_equal(money_of("1.005", "KWD"), 1005);
	assert_int_equal(money_of("195.67", "USD"), 19567);
	okdf_err e = { 0 };
	long long v;
	cJSON *j = cJSON_Parse("\"0.5\"");
	assert_int_equal(json_money(j, "JPY", &v, &e), OKDF_EINPUT); /* yen have no decimals */
	cJSON_Delete(j);
	j = cJSON_Parse("null");
	assert_int_equal(json_money(j, "USD", &v, &e), OKDF_EINPUT);
	cJSON_Delete(j);
}

static void test_json_int64(void **state)
{
	(void)state;
	okdf_err e = { 0 };
	long long v;
	cJSON *j = cJSON_Parse("[\"9223372036854775807\", 5678901234567, \"3\", 9007199254740993,"
			       " 1.5, \"12a\", \"-42\"]");
	assert_int_equal(json_int64(cJSON_GetArrayItem(j, 0), &v, &e), OKDF_OK);
	assert_true(v == 9223372036854775807LL);
	assert_int_equal(json_int64(cJSON_GetArrayItem(j, 1), &v, &e), OKDF_OK);
	assert_true(v == 5678901234567LL);
	assert_int_equal(json_int64(cJSON_GetArrayItem(j, 2), &v, &e), OKDF_OK);
	assert_int_equal(v, 3);
	/* Past 2^53 a JSON number has lost digits already: refused, not rounded. */
	assert_int_equal(json_int64(cJSON_GetArrayItem(j, 3), &v, &e), OKDF_EINPUT);
	assert_int_equal(json_int64(cJSON_GetArrayItem(j, 4), &v, &e), OKDF_EINPUT);
	assert_int_equal(json_int64(cJSON_GetArrayItem(j, 5), &v, &e), OKDF_EINPUT);
	assert_int_equal(json_int64(cJSON_GetArrayItem(j, 6), &v, &e), OKDF_OK);
	assert_int_equal(v, -42);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"a\":{\"b\":{\"c\":\"x\"}},\"n\":null}");
	assert_string_equal(json_str(j, "a.b.c"), "x");
	assert_null(json_str(j, "a.b.d"));
	assert_null(json_str(j, "a.b.c.d"));
	cJSON_Delete(j);
}

/* Shopify's REST order fixtures: every money string through money_parse. */
static void test_shopify_rest_money(void **state)
{
	(void)state;
	cJSON *j = fixture("shopify/rest/order.json");
	const cJSON *o = json_path(j, "order");
	okdf_err e = { 0 };
	long long v;
	assert_int_equal(json_money(json_path(o, "total_price"), json_str(o, "currency"), &v, &e),
		OKDF_OK);
	assert_int_equal(v, 40994);
	const cJSON *li;
	cJSON_ArrayForEach(li, json_path(o, "line_items")) {
		assert_int_equal(json_money(json_path(li, "price"), "USD", &v, &e), OKDF_OK);
		assert_int_equal(v, 19900);
		long long id;
		assert_int_equal(json_int64(json_path(li, "id"), &id, &e), OKDF_OK);
		assert_true(id > 0);
	}
	cJSON_Delete(j);

	j = fixture("shopify/rest/orders_full_91a8fd8.json");
	const cJSON *ord = cJSON_GetArrayItem(json_path(j, "orders"), 0);
	const cJSON *shop = json_path(ord, "total_price_set.shop_money");
	assert_int_equal(json_money(json_path(shop, "amount"), json_str(shop, "currency_code"), &v, &e),
		OKDF_OK);
	assert_int_equal(v, 59894);
	/* Refund line subtotals are JSON numbers in this fixture. */
	const cJSON *rli = json_path(cJSON_GetArrayItem(json_path(ord, "refunds"), 0), "refund_line_items");
	long long sum = 0;
	cJSON_ArrayForEach(li, rli) {
		assert_int_equal(json_money(json_path(li, "subtotal"), "USD", &v, &e), OKDF_OK);
		sum += v;
	}
	assert_int_equal(sum, 19567 + 19566);
	cJSON_Delete(j);
}

static void test_shopify_order_node(void **state)
{
	(void)state;
	char path[] = "/tmp/okdf-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	/* 02:30 UTC is the evening before in New York; ids past 2^53; a line
	 * whose product was deleted (null); KWD presentment with 3 decimals. */
	cJSON *node = cJSON_Parse(
		"{\"id\":\"gid://shopify/Order/9007199254740993\",\"name\":\"#1001\","
		"\"createdAt\":\"2026-11-02T02:30:00Z\",\"processedAt\":\"2026-11-02T02:30:00Z\","
		"\"updatedAt\":\"2026-11-03T10:00:00Z\",\"cancelledAt\":null,\"test\":false,"
		"\"displayFinancialStatus\":\"PARTIALLY_REFUNDED\","
		"\"totalPriceSet\":{\"shopMoney\":{\"amount\":\"0.1\",\"currencyCode\":\"USD\"},"
		"\"presentmentMoney\":{\"amount\":\"0.031\",\"currencyCode\":\"KWD\"}},"
		"\"customer\":null,\"shippingAddress\":null,"
		"\"lineItems\":{\"nodes\":[{\"id\":\"gid://shopify/LineItem/18446744073709551615\","
		"\"title\":\"Gift\",\"quantity\":1,\"product\":null,"
		"\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"0.10\",\"currencyCode\":\"USD\"}}}]},"
		"\"refunds\":[{\"id\":\"gid://shopify/Refund/1\",\"createdAt\":\"2026-11-05T04:59:59Z\","
		"\"note\":null,\"totalRefundedSet\":{\"shopMoney\":{\"amount\":\"0.05\",\"currencyCode\":\"USD\"}},"
		"\"refundLineItems\":{\"nodes\":[{\"lineItem\":{\"id\":\"gid://shopify/LineItem/18446744073709551615\","
		"\"product\":null},\"quantity\":1,\"subtotalSet\":{\"shopMoney\":{\"amount\":\"0.05\","
		"\"currencyCode\":\"USD\"}}}]}}]}");
	assert_non_null(node);
	assert_int_equal(shopify_store_order(db, "America/New_York", node, &e), OKDF_OK);
	/* Written twice: still one of each (idempotent). */
	assert_int_equal(shopify_store_order(db, "America/New_York", node, &e), OKDF_OK);
	sqlite3_stmt *st;
	assert_int_equal(db_prepare(db,
		"SELECT o.id, o.total_minor, o.presentment_total_minor, o.shop_day, o.financial_status,"
		" l.id, l.product_id IS NULL, l.price_minor, r.amount_minor, r.shop_day,"
		" (SELECT count(*) FROM line_items), (SELECT count(*) FROM refund_line_items)"
		" FROM orders o JOIN line_items l ON l.order_id = o.id JOIN refunds r ON r.order_id = o.id",
		&st, &e), OKDF_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "gid://shopify/Order/9007199254740993");
	assert_int_equal(sqlite3_column_int64(st, 1), 10);
	assert_int_equal(sqlite3_column_int64(st, 2), 31);
	assert_string_equal((const char *)sqlite3_column_text(st, 3), "2026-11-01");
	assert_string_equal((const char *)sqlite3_column_text(st, 4), "partially_refunded");
	assert_string_equal((const char *)sqlite3_column_text(st, 5),
		"gid://shopify/LineItem/18446744073709551615");
	assert_int_equal(sqlite3_column_int(st, 6), 1);
	assert_int_equal(sqlite3_column_int64(st, 7), 10);
	assert_int_equal(sqlite3_column_int64(st, 8), 5);
	assert_string_equal((const char *)sqlite3_column_text(st, 9), "2026-11-04");
	assert_int_equal(sqlite3_column_int(st, 10), 1);
	assert_int_equal(sqlite3_column_int(st, 11), 1);
	sqlite3_finalize(st);
	cJSON_Delete(node);
	db_close(db);
	unlink(path);
}

static void test_meta_insight(void **state)
{
	(void)state;
	/* API.md 3.2: the same 4 purchases under three action types. */
	cJSON *row = cJSON_Parse("{\"campaign_id\":\"120210000000000001\",\"spend\":\"123.45\","
		"\"actions\":[{\"action_type\":\"link_click\",\"value\":\"280\"},"
		"{\"action_type\":\"purchase\",\"value\":\"4\"},"
		"{\"action_type\":\"omni_purchase\",\"value\":\"4\"},"
		"{\"action_type\":\"offsite_conversion.fb_pixel_purchase\",\"value\":\"4\"}],"
		"\"action_values\":[{\"action_type\":\"purchase\",\"value\":\"399.80\"},"
		"{\"action_type\":\"offsite_conversion.fb_pixel_purchase\",\"value\":\"399.80\"}],"
		"\"date_start\":\"2024-10-01\",\"date_stop\":\"2024-10-01\"}");
	store_ad_insight in;
	okdf_err e = { 0 };
	assert_int_equal(meta_parse_insight(row, "USD", "offsite_conversion.fb_pixel_purchase", &in, &e), OKDF_OK);
	assert_string_equal(in.campaign_id, "120210000000000001");
	assert_string_equal(in.day, "2024-10-01");
	assert_int_equal(in.spend_minor, 12345);
	assert_int_equal(in.purchases, 4);
	assert_int_equal(in.purchase_value_minor, 39980);
	cJSON_Delete(row);
	/* A yen account, no purchases (Meta omits zero actions). */
	row = cJSON_Parse("{\"campaign_id\":\"1\",\"spend\":\"1500\",\"date_start\":\"2024-10-02\"}");
	assert_int_equal(meta_parse_insight(row, "JPY", "offsite_conversion.fb_pixel_purchase", &in, &e), OKDF_OK);
	assert_int_equal(in.spend_minor, 1500);
	assert_int_equal(in.purchases, 0);
	assert_int_equal(in.purchase_value_minor, 0);
	cJSON_Delete(row);
	row = cJSON_Parse("{\"campaign_id\":\"1\",\"spend\":\"0.1\",\"date_start\":\"2024-10-02\"}");
	assert_int_equal(meta_parse_insight(row, "KWD", "offsite_conversion.fb_pixel_purchase", &in, &e), OKDF_OK);
	assert_int_equal(in.spend_minor, 100);
	cJSON_Delete(row);
}

static void test_redact(void **state)
{
	(void)state;
	char buf[256];
	http_redact_url("https://graph.facebook.com/v21.0/act_1/insights?access_token=EAAB123&after=x",
		buf, sizeof buf);
	assert_string_equal(buf,
		"https://graph.facebook.com/v21.0/act_1/insights?access_token=REDACTED&after=x");
	http_redact_url("http://h/p?a=1&access_token=s", buf, sizeof buf);
	assert_string_equal(buf, "http://h/p?a=1&access_token=REDACTED");
}

static void test_scrub_secret(void **state)
{
	(void)state;
	const char *tok = "shpat_0123456789abcdef0123456789ab";
	char msg[256];
	/* Whole, twice, and cut to a prefix at the end of the message. */
	snprintf(msg, sizeof msg, "bad %s and %s; echo shpat_0123456789", tok, tok);
	sync_scrub_secret(msg, tok);
	assert_null(strstr(msg, "shpat_01"));
	assert_null(strstr(msg, "0123456789"));
	assert_string_equal(msg + strlen(msg) - 21, "echo ****************");
	/* Seven leading characters are not masked: too common to mean the token. */
	snprintf(msg, sizeof msg, "shpat_0 x");
	sync_scrub_secret(msg, tok);
	assert_string_equal(msg, "shpat_0 x");
	/* A short secret is masked whole only. */
	snprintf(msg, sizeof msg, "k=abcde abcd");
	sync_scrub_secret(msg, "abcde");
	assert_string_equal(msg, "k=***** abcd");
	/* The message for health and the terminal: scrubbed and on one line. */
	char out[256];
	okdf_connector_config conf = { 0 };
	snprintf(conf.secret, sizeof conf.secret, "%s", tok);
	sync_clean_message("HTTP 400: \x1b]52;c;eA==\x07x\nshpat_0123456789ab\xff", &conf, out,
		sizeof out);
	assert_string_equal(out, "HTTP 400: x ******************\xef\xbf\xbd");
}

static void test_waits_capped(void **state)
{
	(void)state;
	http_options o = { .connect_timeout_s = 1, .timeout_s = 1, .max_wait_s = 0.2 };
	http_client *c;
	okdf_err e = { 0 };
	assert_int_equal(http_client_new(&o, &c, &e), OKDF_OK);
	double t0 = http_monotonic();
	/* Whatever a server asks for: 1e300 s, infinity, NaN, negative. */
	assert_int_equal(http_sleep(c, 1e300), 0);
	assert_int_equal(http_sleep(c, INFINITY), 0);
	assert_int_equal(http_sleep(c, NAN), 0);
	assert_int_equal(http_sleep(c, -5), 0);
	double took = http_monotonic() - t0;
	assert_true(took >= 0.39 && took < 5);
	assert_true(http_waited_seconds(c) > 0.39 && http_waited_seconds(c) < 0.41);
	http_client_free(c);
	/* The default cap is 900 s. */
	http_options d = { .connect_timeout_s = 1, .timeout_s = 1 };
	atomic_int stop = 1;
	d.shutdown = &stop;
	assert_int_equal(http_client_new(&d, &c, &e), OKDF_OK);
	assert_int_equal(http_sleep(c, 1e9), -1);
	assert_true(http_waited_seconds(c) == 900);
	http_client_free(c);
}

static void test_http_date(void **state)
{
	(void)state;
	http_header h = { (char *)"date", (char *)"Sun, 06 Nov 1994 08:49:37 GMT" };
	http_response r = { .headers = &h, .n_headers = 1 };
	long long t;
	assert_int_equal(http_date(&r, &t), OKDF_OK);
	assert_int_equal(t, 784111777);
	h.value = (char *)"Sunday, 06-Nov-94 08:49:37 GMT";
	assert_int_equal(http_date(&r, &t), OKDF_ENOTFOUND);
	h.value = (char *)"Sun, 06 Nox 1994 08:49:37 GMT";
	assert_int_equal(http_date(&r, &t), OKDF_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_money),
		cmocka_unit_test(test_json_int64),
		cmocka_unit_test(test_shopify_rest_money),
		cmocka_unit_test(test_shopify_order_node),
		cmocka_unit_test(test_meta_insight),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_http_date),
		cmocka_unit_test(test_scrub_secret),
		cmocka_unit_test(test_waits_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

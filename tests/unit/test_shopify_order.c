/* The order mapping shared by paged and bulk Shopify syncs: a refund
 * without createdAt (nullable in the 2026-10 schema) is kept and dated by
 * its order's processedAt. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "okdf/store/db.h"
#include "okdf/sync/shopify.h"

static void test_refund_without_created_at(void **state)
{
	(void)state;
	char path[] = "/tmp/okdf-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	sqlite3 *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	/* Processed 2026-11-02T02:30Z: 2026-11-01 in New York (UTC-5 then). */
	cJSON *node = cJSON_Parse(
		"{\"id\":\"gid://shopify/Order/7\",\"name\":\"#7\","
		"\"createdAt\":\"2026-11-02T02:30:00Z\",\"processedAt\":\"2026-11-02T02:30:00Z\","
		"\"updatedAt\":\"2026-11-03T10:00:00Z\",\"cancelledAt\":null,\"test\":false,"
		"\"displayFinancialStatus\":\"REFUNDED\","
		"\"totalPriceSet\":{\"shopMoney\":{\"amount\":\"12.50\",\"currencyCode\":\"USD\"}},"
		"\"customer\":null,\"shippingAddress\":null,\"lineItems\":{\"nodes\":[]},"
		"\"refunds\":[{\"id\":\"gid://shopify/Refund/70\",\"createdAt\":null,\"note\":null,"
		"\"totalRefundedSet\":{\"shopMoney\":{\"amount\":\"12.5\",\"currencyCode\":\"USD\"}},"
		"\"refundLineItems\":{\"nodes\":[]}},"
		"{\"id\":\"gid://shopify/Refund/71\",\"createdAt\":\"2026-11-06T12:00:00Z\",\"note\":\"x\","
		"\"totalRefundedSet\":{\"shopMoney\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}},"
		"\"refundLineItems\":{\"nodes\":[]}}]}");
	assert_non_null(node);
	assert_int_equal(shopify_store_order(db, "America/New_York", node, &e), OKDF_OK);
	sqlite3_stmt *st;
	assert_int_equal(db_prepare(db,
		"SELECT id, created_at, shop_day, amount_minor FROM refunds ORDER BY id", &st, &e),
		OKDF_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "gid://shopify/Refund/70");
	assert_int_equal(sqlite3_column_int64(st, 1), 1793586600); /* 2026-11-02T02:30:00Z */
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "2026-11-01");
	assert_int_equal(sqlite3_column_int64(st, 3), 1250);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 1), 1793966400); /* 2026-11-06T12:00:00Z */
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "2026-11-06");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	cJSON_Delete(node);
	db_close(db);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refund_without_created_at),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The order mapping shared by paged and bulk Shopify syncs: a refund
 * without createdAt (nullable in the 2026-10 schema) is kept and dated by
 * its order's processedAt; an order with more refunds and refund lines than
 * OrderDetail holds is completed by OrderRefunds and RefundLines pages. The
 * second test answers a paged pass from a loopback listener with
 * hand-written 2026-10 answers: okdf-sim's store never has such an order. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "src/store/db_private.h"
#include "okdf/net/http.h"
#include "okdf/store/db.h"
#include "okdf/sync/connector.h"
#include "okdf/sync/shopify.h"

static void test_refund_without_created_at(void **state)
{
	(void)state;
	char path[] = "/tmp/okdf-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	okdf_db *db;
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

/* ---- a pass over an order with 10 refunds ---------------------------- */

static struct {
	pthread_mutex_t lock;
	int refunds_calls, line_calls, detail_calls;
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct upload {
	char buf[8192];
	size_t len;
};

static cJSON *money(const char *amount)
{
	cJSON *m = cJSON_CreateObject();
	cJSON *s = cJSON_AddObjectToObject(m, "shopMoney");
	cJSON_AddStringToObject(s, "amount", amount);
	cJSON_AddStringToObject(s, "currencyCode", "USD");
	return m;
}

static cJSON *page(cJSON *nodes, int more, const char *end)
{
	cJSON *c = cJSON_CreateObject();
	cJSON *pi = cJSON_AddObjectToObject(c, "pageInfo");
	cJSON_AddBoolToObject(pi, "hasNextPage", more);
	if (end)
		cJSON_AddStringToObject(pi, "endCursor", end);
	else
		cJSON_AddNullToObject(pi, "endCursor");
	cJSON_AddItemToObject(c, "nodes", nodes);
	return c;
}

static cJSON *line_item(const char *id)
{
	cJSON *l = cJSON_CreateObject();
	cJSON_AddStringToObject(l, "id", id);
	cJSON_AddStringToObject(l, "title", "Mug");
	cJSON_AddNumberToObject(l, "quantity", 1);
	cJSON_AddNullToObject(l, "product");
	cJSON_AddItemToObject(l, "originalUnitPriceSet", money("5.00"));
	return l;
}

static cJSON *refund_line(const char *line_id)
{
	cJSON *x = cJSON_CreateObject();
	cJSON *li = cJSON_AddObjectToObject(x, "lineItem");
	cJSON_AddStringToObject(li, "id", line_id);
	cJSON_AddNullToObject(li, "product");
	cJSON_AddNumberToObject(x, "quantity", 1);
	cJSON_AddItemToObject(x, "subtotalSet", money("1.00"));
	return x;
}

/* n refunds; with lines, each with one line and a next page. */
static cJSON *refunds(int n, int lines)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 1; i <= n; i++) {
		char id[64];
		snprintf(id, sizeof id, "gid://shopify/Refund/%d", i);
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "id", id);
		cJSON_AddStringToObject(r, "createdAt", "2026-11-05T12:00:00Z");
		cJSON_AddNullToObject(r, "note");
		cJSON_AddItemToObject(r, "totalRefundedSet", money("1.00"));
		if (lines) {
			cJSON *nodes = cJSON_CreateArray();
			cJSON_AddItemToArray(nodes, refund_line("gid://shopify/LineItem/1"));
			cJSON_AddItemToObject(r, "refundLineItems", page(nodes, 1, "c1"));
		}
		cJSON_AddItemToArray(a, r);
	}
	return a;
}

static cJSON *answer(const char *query, const cJSON *vars)
{
	cJSON *data = cJSON_CreateObject();
	if (strstr(query, "query Shop")) {
		cJSON *s = cJSON_AddObjectToObject(data, "shop");
		cJSON_AddStringToObject(s, "id", "gid://shopify/Shop/1");
		cJSON_AddStringToObject(s, "name", "T");
		cJSON_AddStringToObject(s, "myshopifyDomain", "t.myshopify.com");
		cJSON_AddStringToObject(s, "currencyCode", "USD");
		cJSON_AddStringToObject(s, "ianaTimezone", "America/New_York");
	} else if (strstr(query, "query AppScopes")) {
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "handle", "read_all_orders");
		cJSON *list = cJSON_AddArrayToObject(
			cJSON_AddObjectToObject(data, "currentAppInstallation"), "accessScopes");
		cJSON_AddItemToArray(list, s);
	} else if (strstr(query, "query OrderDetail")) {
		pthread_mutex_lock(&seen.lock);
		seen.detail_calls++;
		pthread_mutex_unlock(&seen.lock);
		cJSON *o = cJSON_AddObjectToObject(data, "order");
		cJSON *lines = cJSON_CreateArray();
		cJSON_AddItemToArray(lines, line_item("gid://shopify/LineItem/1"));
		cJSON_AddItemToArray(lines, line_item("gid://shopify/LineItem/2"));
		cJSON_AddItemToObject(o, "lineItems", page(lines, 0, NULL));
		cJSON_AddItemToObject(o, "refunds", refunds(8, 1));
	} else if (strstr(query, "query OrderRefunds")) {
		pthread_mutex_lock(&seen.lock);
		seen.refunds_calls++;
		pthread_mutex_unlock(&seen.lock);
		cJSON_AddItemToObject(cJSON_AddObjectToObject(data, "order"), "refunds", refunds(10, 0));
	} else if (strstr(query, "query RefundLines")) {
		/* Every refund has two lines, in two pages of one. */
		const cJSON *after = cJSON_GetObjectItemCaseSensitive(vars, "after");
		pthread_mutex_lock(&seen.lock);
		seen.line_calls++;
		pthread_mutex_unlock(&seen.lock);
		cJSON *nodes = cJSON_CreateArray();
		int second = cJSON_IsString(after) && strcmp(after->valuestring, "c1") == 0;
		cJSON_AddItemToArray(nodes, refund_line(second ? "gid://shopify/LineItem/2"
			: "gid://shopify/LineItem/1"));
		cJSON_AddItemToObject(cJSON_AddObjectToObject(data, "refund"), "refundLineItems",
			page(nodes, !second, second ? NULL : "c1"));
	} else if (strstr(query, "query Orders")) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", "gid://shopify/Order/1");
		cJSON_AddStringToObject(o, "name", "#1");
		cJSON_AddStringToObject(o, "createdAt", "2026-11-02T12:00:00Z");
		cJSON_AddStringToObject(o, "processedAt", "2026-11-02T12:00:00Z");
		cJSON_AddStringToObject(o, "updatedAt", "2026-11-06T12:00:00Z");
		cJSON_AddNullToObject(o, "cancelledAt");
		cJSON_AddFalseToObject(o, "test");
		cJSON_AddStringToObject(o, "displayFinancialStatus", "PARTIALLY_REFUNDED");
		cJSON_AddItemToObject(o, "totalPriceSet", money("10.00"));
		cJSON_AddNullToObject(o, "customer");
		cJSON_AddNullToObject(o, "shippingAddress");
		cJSON *lines = cJSON_CreateArray();
		cJSON_AddItemToArray(lines, line_item("gid://shopify/LineItem/1"));
		cJSON_AddItemToObject(o, "lineItems", page(lines, 1, "l1"));
		cJSON_AddItemToObject(o, "refunds", refunds(2, 1));
		cJSON *nodes = cJSON_CreateArray();
		cJSON_AddItemToArray(nodes, o);
		cJSON_AddItemToObject(data, "orders", page(nodes, 0, "o1"));
	} else {
		/* Products, Customers, AbandonedCheckouts: empty pages. */
		const char *root = strstr(query, "query Products") ? "products"
			: strstr(query, "query Customers") ? "customers" : "abandonedCheckouts";
		cJSON_AddItemToObject(data, root, page(cJSON_CreateArray(), 0, NULL));
	}
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "data", data);
	cJSON *cost = cJSON_AddObjectToObject(cJSON_AddObjectToObject(doc, "extensions"), "cost");
	cJSON_AddNumberToObject(cost, "requestedQueryCost", 10);
	cJSON_AddNumberToObject(cost, "actualQueryCost", 10);
	cJSON *ts = cJSON_AddObjectToObject(cost, "throttleStatus");
	cJSON_AddNumberToObject(ts, "maximumAvailable", 2000);
	cJSON_AddNumberToObject(ts, "currentlyAvailable", 1990);
	cJSON_AddNumberToObject(ts, "restoreRate", 100);
	return doc;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *data, size_t *size, void **ctx)
{
	(void)cls;
	(void)url;
	(void)version;
	if (strcmp(method, "POST") != 0)
		return MHD_NO;
	struct upload *u = *ctx;
	if (!u) {
		*ctx = calloc(1, sizeof *u);
		return *ctx ? MHD_YES : MHD_NO;
	}
	if (*size) {
		size_t take = *size < sizeof u->buf - 1 - u->len ? *size : sizeof u->buf - 1 - u->len;
		memcpy(u->buf + u->len, data, take);
		u->len += take;
		*size = 0;
		return MHD_YES;
	}
	cJSON *req = cJSON_Parse(u->buf);
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(req, "query");
	cJSON *doc = cJSON_IsString(q)
		? answer(q->valuestring, cJSON_GetObjectItemCaseSensitive(req, "variables")) : NULL;
	char *text = doc ? cJSON_PrintUnformatted(doc) : strdup("{}");
	cJSON_Delete(doc);
	cJSON_Delete(req);
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text,
		MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", "application/json");
	MHD_add_response_header(r, "X-Shopify-API-Version", "2026-10");
	enum MHD_Result ret = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **ctx,
	enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	free(*ctx);
	*ctx = NULL;
}

static void test_many_refunds_completed(void **state)
{
	(void)state;
	struct sockaddr_in addr = { 0 };
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
		handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	assert_non_null(d);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	okdf_connector_config conf = { .enabled = 1 };
	snprintf(conf.base_url, sizeof conf.base_url, "http://127.0.0.1:%u", (unsigned)info->port);
	snprintf(conf.secret, sizeof conf.secret, "shpat_test");
	snprintf(conf.api_version, sizeof conf.api_version, "2026-10");
	snprintf(conf.account, sizeof conf.account, "t");
	snprintf(conf.backfill, sizeof conf.backfill, "paged");

	char path[] = "/tmp/okdf-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	okdf_err e = { 0 };
	sync_ctx c = { .name = "shopify", .conf = &conf, .wake_fd = -1, .now = 1795000000 };
	assert_int_equal(db_open(path, &c.db, &e), OKDF_OK);
	http_options ho = { .connect_timeout_s = 5, .timeout_s = 10 };
	assert_int_equal(http_client_new(&ho, &c.http, &e), OKDF_OK);
	int rc = shopify_sync(&c, &e);
	if (rc)
		fprintf(stderr, "shopify_sync: %s\n", e.msg);
	assert_int_equal(rc, OKDF_OK);

	/* One OrderDetail, one OrderRefunds, two RefundLines pages per refund. */
	assert_int_equal(seen.detail_calls, 1);
	assert_int_equal(seen.refunds_calls, 1);
	assert_int_equal(seen.line_calls, 20);
	sqlite3_stmt *st;
	assert_int_equal(db_prepare(c.db,
		"SELECT (SELECT count(*) FROM line_items), (SELECT count(*) FROM refunds),"
		" (SELECT count(*) FROM refund_line_items), (SELECT sum(amount_minor) FROM refunds),"
		" (SELECT count(DISTINCT refund_id) FROM refund_line_items)", &st, &e), OKDF_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	assert_int_equal(sqlite3_column_int(st, 1), 10);
	assert_int_equal(sqlite3_column_int(st, 2), 20);
	assert_int_equal(sqlite3_column_int64(st, 3), 1000);
	assert_int_equal(sqlite3_column_int(st, 4), 10);
	sqlite3_finalize(st);
	shopify_free(&c);
	http_client_free(c.http);
	db_close(c.db);
	MHD_stop_daemon(d);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refund_without_created_at),
		cmocka_unit_test(test_many_refunds_completed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Metrics engine: every SPEC section 4 number over hand-built store states,
 * with expectations computed by hand in the comments. Shop: USD,
 * America/New_York (DST starts 2026-03-08, a 23-hour day; ends 2026-11-01,
 * a 25-hour day). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/store/db_private.h"
#include "okdf/core/hours.h"
#include "okdf/core/metric_checks.h"
#include "okdf/core/metrics.h"
#include "okdf/store/db.h"

static char dir[] = "/tmp/okdf-test-metrics-XXXXXX";
static int db_seq;

static long long at(const char *iso)
{
	long long t;
	okdf_err e = { 0 };
	assert_int_equal(time_parse_iso8601(iso, &t, &e), OKDF_OK);
	return t;
}

static okdf_db *fresh_db(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/m%d.db", dir, db_seq++);
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	return db;
}

static void sql(okdf_db *db, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *msg = NULL;
	if (sqlite3_exec(db_sqlite(db), buf, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "SQL failed: %s\n%s\n", msg, buf);
		sqlite3_free(msg);
		fail();
	}
}

static void shop(okdf_db *db)
{
	sql(db, "INSERT INTO shop(id, currency, iana_timezone, synced_at)"
		" VALUES (1, 'USD', 'America/New_York', 0)");
}

static void order(okdf_db *db, const char *id, const char *processed, long long total,
	const char *customer, const char *cancelled, int test)
{
	sql(db, "INSERT INTO orders(id, created_at, processed_at, updated_at, cancelled_at, test,"
		" total_minor, currency, customer_id) VALUES ('%s', %lld, %lld, 0, %s, %d, %lld,"
		" 'USD', %s%s%s)", id, at(processed), at(processed), cancelled ? "1" : "NULL", test,
		total, customer ? "'" : "", customer ? customer : "NULL", customer ? "'" : "");
	if (cancelled)
		sql(db, "UPDATE orders SET cancelled_at = %lld WHERE id = '%s'", at(cancelled), id);
}

static void refund(okdf_db *db, const char *id, const char *order_id, const char *created,
	long long amount)
{
	sql(db, "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency)"
		" VALUES ('%s', '%s', %lld, %lld, 'USD')", id, order_id, at(created), amount);
}

static void interval(okdf_db *db, const char *op, const char *from, const char *to)
{
	sql(db, "INSERT INTO activity_intervals(operator, started_at, ended_at)"
		" VALUES ('%s', %lld, %lld)", op, at(from), at(to));
}

static void manual(okdf_db *db, const char *op, const char *from, long long seconds)
{
	sql(db, "INSERT INTO manual_hours(operator, started_at, seconds, created_at)"
		" VALUES ('%s', %lld, %lld, 0)", op, at(from), seconds);
}

static const char NOW[] = "2026-03-10T12:00:00-04:00";

/* The revenue store: a 7d window at NOW covers 2026-03-04 .. 2026-03-10
 * (from 2026-03-04T00:00-05:00 up to and including NOW). */
static okdf_db *revenue_db(void)
{
	okdf_db *db = fresh_db();
	shop(db);
	/* Just before the window start: out (but in the series, day 03-03). */
	order(db, "o0", "2026-03-03T23:59:59-05:00", 7000, "c1", NULL, 0);
	/* Exactly at the window start (shop midnight): in. */
	order(db, "o1", "2026-03-04T00:00:00-05:00", 10000, "c1", NULL, 0);
	/* Presented in EUR: shop money (5000) counts. Before the DST jump. */
	order(db, "o2", "2026-03-08T01:30:00-05:00", 5000, "c2", NULL, 0);
	sql(db, "UPDATE orders SET presentment_total_minor = 4600, presentment_currency = 'EUR'"
		" WHERE id = 'o2'");
	/* After the DST jump, same shop day 03-08. */
	order(db, "o3", "2026-03-08T03:30:00-04:00", 3000, "c1", NULL, 0);
	/* The last second of the 23-hour day 03-08. */
	order(db, "o8", "2026-03-08T23:59:59-04:00", 100, "c4", NULL, 0);
	/* Cancelled and test orders: out, with their refunds. */
	order(db, "o4", "2026-03-05T10:00:00-05:00", 9999, "c3", "2026-03-06T10:00:00-05:00", 0);
	order(db, "o5", "2026-03-06T10:00:00-05:00", 8888, "c3", NULL, 1);
	/* Exactly now: in (guest, no customer). One second later: out. */
	order(db, "o6", NOW, 2000, NULL, NULL, 0);
	order(db, "o7", "2026-03-10T12:00:01-04:00", 1234, "c1", NULL, 0);

	/* Partial refund of an order outside the window, dated in it: counts. */
	refund(db, "r1", "o0", "2026-03-05T09:00:00-05:00", 2000);
	/* Refund dated before the window: out (series day 03-03). */
	refund(db, "r2", "o2", "2026-03-03T23:00:00-05:00", 500);
	/* Full refund of o3 on its own day 03-09: counts. */
	refund(db, "r3", "o3", "2026-03-09T10:00:00-04:00", 3000);
	refund(db, "r4", "o4", "2026-03-06T11:00:00-05:00", 9999);
	refund(db, "r5", "o5", "2026-03-07T11:00:00-05:00", 8888);
	return db;
}

static void test_revenue_window(void **state)
{
	(void)state;
	okdf_db *db = revenue_db();
	metrics_result r;
	okdf_err e = { 0 };
	assert_int_equal(metrics_compute(db, "7d", at(NOW), &r, &e), OKDF_OK);
	assert_int_equal(r.window.from, at("2026-03-04T00:00:00-05:00"));
	assert_int_equal(r.window.to, at(NOW) + 1);
	assert_string_equal(r.currency, "USD");
	/* o1 10000 + o2 5000 + o3 3000 + o8 100 + o6 2000 */
	assert_int_equal(r.gross_sales.value, 20100);
	assert_int_equal(r.orders.value, 5);
	/* r1 2000 + r3 3000 */
	assert_int_equal(r.refunds.value, 5000);
	assert_int_equal(r.net_revenue.value, 15100);
	assert_non_null(r.net_revenue.label);
	assert_non_null(strstr(r.net_revenue.label, "ledger"));
	/* 20100 / 5 */
	assert_int_equal(r.aov.value, 4020);
	/* c1 (o1, o3), c2 (o2), c4 (o8); the guest is left out: 1 / 3 */
	assert_int_equal(r.customers.value, 3);
	assert_int_equal(r.repeat_customers.value, 1);
	assert_int_equal(r.repeat_rate.value, 3333);
	/* No hours at all: RPOH undefined, never a division by zero. */
	assert_int_equal(r.operator_seconds.value, 0);
	assert_false(r.rpoh.has);
	assert_int_equal(r.rpoh_band, MBAND_NONE);

	/* The series: 30 shop days ending today. */
	assert_int_equal(r.series.n, 30);
	char d[16];
	date_format(r.series.days[29], d, sizeof d);
	assert_string_equal(d, "2026-03-10");
	assert_int_equal(r.series.net_revenue[29].value, 2000);  /* o6 */
	assert_int_equal(r.series.net_revenue[28].value, -3000); /* r3 */
	assert_int_equal(r.series.net_revenue[27].value, 8100);  /* o2 + o3 + o8, 23-hour day */
	assert_int_equal(r.series.net_revenue[26].value, 0);
	assert_int_equal(r.series.net_revenue[25].value, 0);     /* r4, r5 excluded */
	assert_int_equal(r.series.net_revenue[24].value, -2000); /* r1 */
	assert_int_equal(r.series.net_revenue[23].value, 10000); /* o1 */
	assert_int_equal(r.series.net_revenue[22].value, 6500);  /* o0 - r2 */
	assert_false(r.series.rpoh[29].has);
	metrics_result_free(&r);

	/* The DST day alone, by dates: 2026-03-08 is [05:00Z, 04:00Z next day). */
	assert_int_equal(metrics_compute(db, "2026-03-08..2026-03-08", at(NOW), &r, &e), OKDF_OK);
	assert_int_equal(r.window.to - r.window.from, 23 * 3600);
	assert_int_equal(r.gross_sales.value, 8100);
	assert_int_equal(r.orders.value, 3);
	assert_int_equal(r.net_revenue.value, 8100);
	metrics_result_free(&r);
	db_close(db);
}

static void test_today_edges(void **state)
{
	(void)state;
	okdf_db *db = fresh_db();
	shop(db);
	order(db, "a", "2026-03-09T23:59:59-04:00", 100, NULL, NULL, 0);
	order(db, "b", "2026-03-10T00:00:00-04:00", 200, NULL, NULL, 0);
	order(db, "c", "2026-03-10T00:00:01-04:00", 400, NULL, NULL, 0);
	metrics_result r;
	okdf_err e = { 0 };
	/* Now exactly at shop midnight: today holds only the order at that instant. */
	assert_int_equal(metrics_compute(db, "today", at("2026-03-10T00:00:00-04:00"), &r, &e),
		OKDF_OK);
	assert_int_equal(r.gross_sales.value, 200);
	metrics_result_free(&r);
	assert_int_equal(metrics_compute(db, "today", at("2026-03-10T09:00:00-04:00"), &r, &e),
		OKDF_OK);
	assert_int_equal(r.gross_sales.value, 600);
	metrics_result_free(&r);
	/* 2d at 03-10 = 03-09 and 03-10. */
	assert_int_equal(metrics_compute(db, "2d", at("2026-03-10T09:00:00-04:00"), &r, &e),
		OKDF_OK);
	assert_int_equal(r.gross_sales.value, 700);
	metrics_result_free(&r);
	db_close(db);
}

static void test_dst_fall_back(void **state)
{
	(void)state;
	okdf_db *db = fresh_db();
	shop(db);
	order(db, "a", "2026-10-31T23:59:59-04:00", 1, NULL, NULL, 0);
	order(db, "b", "2026-11-01T00:00:00-04:00", 10, NULL, NULL, 0);
	order(db, "c", "2026-11-01T01:30:00-05:00", 100, NULL, NULL, 0); /* second 01:30 */
	order(db, "d", "2026-11-01T23:59:59-05:00", 1000, NULL, NULL, 0);
	order(db, "e", "2026-11-02T00:00:00-05:00", 10000, NULL, NULL, 0);
	metrics_result r;
	okdf_err e = { 0 };
	assert_int_equal(metrics_compute(db, "2026-11-01..2026-11-01",
		at("2026-11-05T12:00:00-05:00"), &r, &e), OKDF_OK);
	assert_int_equal(r.window.to - r.window.from, 25 * 3600);
	assert_int_equal(r.gross_sales.value, 1110);
	assert_int_equal(r.orders.value, 3);
	metrics_result_free(&r);
	/* Series at 2026-11-02: day 11-01 is index 28. */
	assert_int_equal(metrics_compute(db, "today", at("2026-11-02T08:00:00-05:00"), &r, &e),
		OKDF_OK);
	assert_int_equal(r.series.net_revenue[28].value, 1110);
	assert_int_equal(r.series.net_revenue[29].value, 10000);
	assert_int_equal(r.series.net_revenue[27].value, 1);
	metrics_result_free(&r);
	db_close(db);
}

static void test_hours_and_rpoh(void **state)
{
	(void)state;
	okdf_db *db = revenue_db();
	/* ana: 10:00-12:00 and a nested 11:00-11:30, plus manual 11:30-13:00:
	 * union 10:00-13:00 = 3 h. bo: 10:00-11:00 = 1 h. Sum 4 h. */
	interval(db, "ana", "2026-03-09T10:00:00-04:00", "2026-03-09T12:00:00-04:00");
	interval(db, "ana", "2026-03-09T11:00:00-04:00", "2026-03-09T11:30:00-04:00");
	manual(db, "ana", "2026-03-09T11:30:00-04:00", 5400);
	interval(db, "bo", "2026-03-09T10:00:00-04:00", "2026-03-09T11:00:00-04:00");
	/* Outside the 7d window (03-03): not counted in it. */
	interval(db, "bo", "2026-03-03T10:00:00-05:00", "2026-03-03T11:00:00-05:00");
	metrics_result r;
	okdf_err e = { 0 };
	assert_int_equal(metrics_compute(db, "7d", at(NOW), &r, &e), OKDF_OK);
	assert_int_equal(r.operator_seconds.value, 4 * 3600);
	/* 15100 / 4 h = 3775 minor per hour = $37.75/h: bad. */
	assert_true(r.rpoh.has);
	assert_int_equal(r.rpoh.value, 3775);
	assert_int_equal(r.rpoh_band, MBAND_BAD);
	/* Day 03-09: net -3000 over 4 h. Day 03-03: 6500 over 1 h. */
	assert_int_equal(r.series.rpoh[28].value, -750);
	assert_int_equal(r.series.rpoh[22].value, 6500);
	assert_false(r.series.rpoh[27].has);
	metrics_result_free(&r);

	hours_operator *ops;
	int n;
	assert_int_equal(hours_by_operator(db, at("2026-03-09T00:00:00-04:00"),
		at("2026-03-10T00:00:00-04:00"), &ops, &n, &e), OKDF_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ops[0].name, "ana");
	assert_int_equal(ops[0].console_seconds, 2 * 3600);
	assert_int_equal(ops[0].manual_seconds, 5400);
	assert_int_equal(ops[0].total_seconds, 3 * 3600);
	assert_string_equal(ops[1].name, "bo");
	assert_int_equal(ops[1].total_seconds, 3600);
	free(ops);

	/* Clipping at the window edge: 11:30-12:30 of a manual entry in "today"
	 * evaluated at 12:00 counts 30 minutes. */
	manual(db, "cy", "2026-03-10T11:30:00-04:00", 3600);
	assert_int_equal(metrics_compute(db, "today", at(NOW), &r, &e), OKDF_OK);
	assert_int_equal(r.operator_seconds.value, 1800 + 1);
	metrics_result_free(&r);
	db_close(db);
}

static void test_bands(void **state)
{
	(void)state;
	assert_int_equal(metrics_rpoh_band(50000, 2), MBAND_GOOD);
	assert_int_equal(metrics_rpoh_band(49999, 2), MBAND_WARNING);
	assert_int_equal(metrics_rpoh_band(20000, 2), MBAND_WARNING);
	assert_int_equal(metrics_rpoh_band(19999, 2), MBAND_BAD);
	assert_int_equal(metrics_rpoh_band(500, 0), MBAND_GOOD);
	assert_int_equal(metrics_ttr_band(14.0), MBAND_GOOD);
	assert_int_equal(metrics_ttr_band(14.5), MBAND_WARNING);
	assert_int_equal(metrics_ttr_band(27.0), MBAND_WARNING);
	assert_int_equal(metrics_ttr_band(27.5), MBAND_WARNING);
	assert_int_equal(metrics_ttr_band(28.0), MBAND_BAD);
}

static void test_median(void **state)
{
	(void)state;
	long long odd[] = { 26, 10, 20 };
	assert_true(ttr_median(odd, 3) == 20.0);
	long long even[] = { 20, 10 };
	assert_true(ttr_median(even, 2) == 15.0);
	long long half[] = { 3, 1, 4, 2 };
	assert_true(ttr_median(half, 4) == 2.5);
	long long one[] = { 7 };
	assert_true(ttr_median(one, 1) == 7.0);
}

static void product(okdf_db *db, const char *id, const char *status, const char *created)
{
	sql(db, "INSERT INTO products(id, title, status, created_at, updated_at)"
		" VALUES ('%s', 'Product %s', '%s', %lld, 0)", id, id, status, at(created));
}

static void sale(okdf_db *db, const char *order_id, const char *product_id, const char *when,
	int cancelled, int test)
{
	order(db, order_id, when, 1000, NULL, cancelled ? when : NULL, test);
	sql(db, "INSERT INTO line_items(id, order_id, product_id, quantity)"
		" VALUES ('li-%s', '%s', '%s', 1)", order_id, order_id, product_id);
}

static void idea(okdf_db *db, const char *title, const char *when, const char *product_id)
{
	sql(db, "INSERT INTO ideas(title, idea_at, product_id, created_by, created_at)"
		" VALUES ('%s', %lld, %s%s%s, 'ana', 0)", title, at(when), product_id ? "'" : "",
		product_id ? product_id : "NULL", product_id ? "'" : "");
}

static const metrics_ttr_product *find_product(const metrics_ttr *t, const char *id)
{
	for (int i = 0; i < t->n_products; i++)
		if (strcmp(t->products[i].id, id) == 0)
			return &t->products[i];
	return NULL;
}

/* 30d at NOW covers 2026-02-09 .. 2026-03-10. */
static okdf_db *ttr_db(void)
{
	okdf_db *db = fresh_db();
	shop(db);
	/* A: no idea; created 02-01, first sale 02-11: 10 days. */
	product(db, "A", "active", "2026-02-01T10:00:00-05:00");
	sale(db, "a1", "A", "2026-02-11T09:00:00-05:00", 0, 0);
	sale(db, "a2", "A", "2026-03-01T09:00:00-05:00", 0, 0);
	/* B: idea 02-01 wins over creation 02-15; first sale 02-21 late evening: 20. */
	product(db, "B", "active", "2026-02-15T10:00:00-05:00");
	idea(db, "Idea B", "2026-02-01T00:00:00-05:00", "B");
	sale(db, "b1", "B", "2026-02-21T23:30:00-05:00", 0, 0);
	/* C: created 02-10, first sale 03-08 01:00 (before the DST jump): 26. */
	product(db, "C", "active", "2026-02-10T10:00:00-05:00");
	sale(db, "c1", "C", "2026-03-08T01:00:00-05:00", 0, 0);
	/* D: idea dated 03-05 but first sale 03-01: -4, flagged, not in the median. */
	product(db, "D", "active", "2026-02-20T10:00:00-05:00");
	idea(db, "Idea D", "2026-03-05T00:00:00-05:00", "D");
	sale(db, "d1", "D", "2026-03-01T12:00:00-05:00", 0, 0);
	/* E: first sale before the window: not listed. */
	product(db, "E", "active", "2026-01-01T10:00:00-05:00");
	sale(db, "e1", "E", "2026-01-20T10:00:00-05:00", 0, 0);
	sale(db, "e2", "E", "2026-02-20T10:00:00-05:00", 0, 0);
	/* F: only a cancelled order: in flight since 02-25 (13 days). */
	product(db, "F", "active", "2026-02-25T10:00:00-05:00");
	sale(db, "f1", "F", "2026-03-02T10:00:00-05:00", 1, 0);
	/* G: a draft without idea or sale: in flight since 02-25 (13), like F. */
	product(db, "G", "draft", "2026-02-25T10:00:00-05:00");
	/* H: a test order, and a real one after now: in flight since 02-12 (26). */
	product(db, "H", "ACTIVE", "2026-02-12T10:00:00-05:00");
	sale(db, "h1", "H", "2026-03-03T10:00:00-05:00", 0, 1);
	sale(db, "h2", "H", "2026-03-11T10:00:00-04:00", 0, 0);
	/* An idea without a product: in flight since 03-01 (9 days). */
	idea(db, "Unlinked idea", "2026-03-01T00:00:00-05:00", NULL);
	return db;
}

static void test_ttr(void **state)
{
	(void)state;
	okdf_db *db = ttr_db();
	metrics_result r;
	okdf_err e = { 0 };
	assert_int_equal(metrics_compute(db, "30d", at(NOW), &r, &e), OKDF_OK);
	const metrics_ttr *t = &r.ttr;
	assert_int_equal(t->n_products, 4); /* A, B, C, D */
	assert_int_equal(t->count, 3);
	assert_int_equal(t->flagged, 1);
	assert_true(t->has_median);
	assert_true(t->median_days == 20.0);
	assert_int_equal(t->band, MBAND_WARNING);
	const metrics_ttr_product *p = find_product(t, "A");
	assert_non_null(p);
	assert_int_equal(p->days, 10);
	assert_false(p->idea_recorded);
	assert_int_equal(p->first_sale_at, at("2026-02-11T09:00:00-05:00"));
	p = find_product(t, "B");
	assert_non_null(p);
	assert_int_equal(p->days, 20);
	assert_true(p->idea_recorded);
	assert_int_equal(p->idea_at, at("2026-02-01T00:00:00-05:00"));
	p = find_product(t, "C");
	assert_non_null(p);
	assert_int_equal(p->days, 26);
	p = find_product(t, "D");
	assert_non_null(p);
	assert_int_equal(p->days, -4);
	assert_true(p->sale_before_idea);
	assert_null(find_product(t, "E"));

	/* H (02-12), F and G (02-25, by title), the idea (03-01) */
	assert_int_equal(t->n_in_flight, 4);
	assert_string_equal(t->in_flight[0].product_id, "H");
	assert_int_equal(t->in_flight[0].days_elapsed, 26);
	assert_string_equal(t->in_flight[1].product_id, "F");
	assert_int_equal(t->in_flight[1].days_elapsed, 13);
	assert_string_equal(t->in_flight[2].product_id, "G");
	assert_int_equal(t->in_flight[2].days_elapsed, 13);
	assert_string_equal(t->in_flight[3].title, "Unlinked idea");
	assert_string_equal(t->in_flight[3].product_id, "");
	assert_int_equal(t->in_flight[3].days_elapsed, 9);
	metrics_result_free(&r);

	/* Even count: 02-09..03-07 holds A (10) and B (20): median 15.0. */
	assert_int_equal(metrics_compute(db, "2026-02-09..2026-03-07", at(NOW), &r, &e), OKDF_OK);
	assert_int_equal(r.ttr.count, 2);
	assert_true(r.ttr.median_days == 15.0);
	assert_int_equal(r.ttr.band, MBAND_WARNING);
	metrics_result_free(&r);

	/* Cancelling b1 takes B's first sale away: the rollup follows. */
	sql(db, "UPDATE orders SET cancelled_at = 1 WHERE id = 'b1'");
	assert_int_equal(metrics_compute(db, "30d", at(NOW), &r, &e), OKDF_OK);
	assert_int_equal(r.ttr.count, 2);
	assert_true(r.ttr.median_days == 18.0); /* A 10, C 26 */
	assert_int_equal(r.ttr.n_in_flight, 5); /* B joins H, F, G and the idea */
	/* An archived product without a sale is not in flight. */
	sql(db, "UPDATE products SET status = 'ARCHIVED' WHERE id = 'G'");
	metrics_result_free(&r);
	assert_int_equal(metrics_compute(db, "30d", at(NOW), &r, &e), OKDF_OK);
	assert_int_equal(r.ttr.n_in_flight, 4);
	metrics_result_free(&r);
	db_close(db);
}

/* The trigger-kept rollup equals a recomputation after every kind of write. */
static long long rollup_mismatches(okdf_db *db)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db),
		"WITH f AS (SELECT li.product_id AS pid, MIN(o.processed_at) AS fs FROM line_items li"
		" JOIN orders o ON o.id = li.order_id WHERE o.cancelled_at IS NULL AND o.test = 0"
		" AND li.product_id IS NOT NULL GROUP BY li.product_id)"
		" SELECT (SELECT count(*) FROM f LEFT JOIN product_first_sale r ON r.product_id = f.pid"
		"  WHERE r.first_sale_at IS NOT f.fs)"
		" + (SELECT count(*) FROM product_first_sale r LEFT JOIN f ON f.pid = r.product_id"
		"  WHERE f.pid IS NULL)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_first_sale_rollup(void **state)
{
	(void)state;
	okdf_db *db = ttr_db();
	assert_int_equal(rollup_mismatches(db), 0);
	sql(db, "DELETE FROM orders WHERE id = 'a1'"); /* cascades to its line item */
	assert_int_equal(rollup_mismatches(db), 0);
	sql(db, "UPDATE orders SET test = 1 WHERE id = 'c1'");
	assert_int_equal(rollup_mismatches(db), 0);
	sql(db, "UPDATE orders SET test = 0, processed_at = processed_at + 86400 WHERE id = 'c1'");
	assert_int_equal(rollup_mismatches(db), 0);
	sql(db, "UPDATE orders SET cancelled_at = NULL WHERE id = 'f1'");
	assert_int_equal(rollup_mismatches(db), 0);
	sql(db, "DELETE FROM line_items WHERE id = 'li-e1'");
	assert_int_equal(rollup_mismatches(db), 0);
	sql(db, "UPDATE line_items SET product_id = 'G' WHERE id = 'li-e2'");
	assert_int_equal(rollup_mismatches(db), 0);
	sql(db, "UPDATE orders SET processed_at = %lld WHERE id = 'b1'",
		at("2026-01-05T10:00:00-05:00"));
	assert_int_equal(rollup_mismatches(db), 0);
	/* An upsert that changes nothing leaves the rollup alone. */
	sql(db, "INSERT INTO orders(id, created_at, processed_at, updated_at, total_minor, currency)"
		" SELECT id, created_at, processed_at, 5, total_minor, currency FROM orders"
		" WHERE id = 'd1' ON CONFLICT(id) DO UPDATE SET processed_at = excluded.processed_at,"
		" updated_at = excluded.updated_at");
	assert_int_equal(rollup_mismatches(db), 0);
	db_close(db);
}

static void test_recovery_agent_ads(void **state)
{
	(void)state;
	okdf_db *db = revenue_db();
	/* Created in the 7d window: a1 recovered before now, a2 not, a3
	 * completed after now (not yet recovered at NOW). a4 is older. */
	sql(db, "INSERT INTO abandoned_checkouts(id, created_at, updated_at, completed_at,"
		" total_minor, currency) VALUES"
		" ('a1', %lld, 0, %lld, 10000, 'USD'), ('a2', %lld, 0, NULL, 5000, 'USD'),"
		" ('a3', %lld, 0, %lld, 3000, 'USD'), ('a4', %lld, 0, %lld, 9000, 'USD')",
		at("2026-03-05T10:00:00-05:00"), at("2026-03-06T10:00:00-05:00"),
		at("2026-03-06T10:00:00-05:00"), at("2026-03-09T10:00:00-04:00"),
		at("2026-03-11T10:00:00-04:00"), at("2026-03-01T10:00:00-05:00"),
		at("2026-03-02T10:00:00-05:00"));
	/* Resolved by the agent: completed and never seen escalated,
	 * pending-approval or errored-pending-approval. In the 7d window k1, k3
	 * and k6 (running before: no person needed) are; k2 and k7 needed a
	 * person before completing, k4 is escalated now. k5 (agent) is older. */
	sql(db, "INSERT INTO conversations(id, state, created_at, updated_at) VALUES"
		" ('k1', 'completed', %lld, 1), ('k2', 'pending-approval', %lld, 1),"
		" ('k3', 'completed', %lld, 1), ('k4', 'escalated', %lld, 1),"
		" ('k5', 'completed', %lld, 1), ('k6', 'running', %lld, 1),"
		" ('k7', 'errored-pending-approval', %lld, 1)",
		at("2026-03-05T10:00:00-05:00"), at("2026-03-06T10:00:00-05:00"),
		at("2026-03-07T10:00:00-05:00"), at("2026-03-09T10:00:00-04:00"),
		at("2026-03-01T10:00:00-05:00"), at("2026-03-08T10:00:00-05:00"),
		at("2026-03-08T12:00:00-05:00"));
	sql(db, "UPDATE conversations SET state = 'completed', updated_at = 2"
		" WHERE id IN ('k2', 'k6', 'k7')");
	sql(db, "INSERT INTO ad_insights_daily(campaign_id, day, spend_minor, purchases,"
		" purchase_value_minor, currency, synced_at) VALUES"
		" ('m1', '2026-03-04', 1000, 2, 4000, 'USD', 0),"
		" ('m1', '2026-03-10', 500, 0, 0, 'USD', 0),"
		" ('m1', '2026-03-03', 9999, 9, 99999, 'USD', 0),"
		" ('m2', '2026-03-05', 700, 1, 800, 'EUR', 0)");
	metrics_result r;
	okdf_err e = { 0 };
	assert_int_equal(metrics_compute(db, "7d", at(NOW), &r, &e), OKDF_OK);
	assert_int_equal(r.abandoned_minor.value, 18000);
	assert_int_equal(r.recovered_minor.value, 10000);
	assert_int_equal(r.recovery_rate.value, 5556);     /* 10000 / 18000 */
	assert_int_equal(r.abandoned_count.value, 3);
	assert_int_equal(r.recovered_count.value, 1);
	assert_int_equal(r.recovery_count_rate.value, 3333);
	assert_int_equal(r.conversations.value, 6);
	assert_int_equal(r.agent_resolved.value, 3);
	assert_int_equal(r.agent_share.value, 5000);
	assert_int_equal(r.ad_spend.value, 1500);
	assert_int_equal(r.purchase_value.value, 4000);
	assert_int_equal(r.ad_rows_other_currency, 1);
	assert_int_equal(r.roas.value, 26667);              /* 4000 / 1500 */
	assert_int_equal(r.mer.value, 100667);              /* 15100 / 1500 */
	metrics_result_free(&r);

	/* Checks at NOW: recovery over 02-02..03-03 holds a4 (recovered): pass;
	 * agent share over 14 days 4/7 = 57.14 %: fail; no hours: RPOH no data. */
	check_ctx cc = { .db = db, .now = at(NOW) };
	check_result out;
	okdf_err ce = { 0 };
	assert_int_equal(metrics_check_cart_recovery(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_PASS);
	assert_int_equal(metrics_check_agent_share(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_FAIL);
	assert_non_null(strstr(out.why, "57.14%"));
	/* Eight more completed by the agent alone: 12/15 = 80 %, the bar: pass. */
	for (int i = 8; i < 16; i++)
		sql(db, "INSERT INTO conversations(id, state, created_at, updated_at)"
			" VALUES ('k%d', 'completed', %lld, 1)", i, at("2026-03-09T10:00:00-04:00"));
	assert_int_equal(metrics_check_agent_share(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_PASS);
	assert_non_null(strstr(out.why, "80.00%"));
	assert_non_null(strstr(out.why, "of 15 conversations"));
	assert_int_equal(metrics_check_rpoh_30d(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_NO_DATA);
	assert_int_equal(metrics_check_baseline(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_FAIL); /* orders, but no product sold and no hours */
	assert_int_equal(metrics_check_ttr_median(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_NO_DATA);
	db_close(db);
}

static void test_checks_no_shop(void **state)
{
	(void)state;
	okdf_db *db = fresh_db();
	check_fn checks[] = {
		metrics_check_baseline, metrics_check_cart_recovery, metrics_check_agent_share,
		metrics_check_ttr_median, metrics_check_rpoh_30d,
	};
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		check_ctx cc = { .db = db, .now = at(NOW) };
		check_result out = { .state = CHECK_PASS };
		okdf_err ce = { 0 };
		assert_int_equal(checks[i](&cc, &out, &ce), OKDF_OK);
		assert_int_equal(out.state, CHECK_NO_DATA);
	}
	metrics_result r;
	okdf_err e = { 0 };
	assert_int_equal(metrics_compute(db, "7d", at(NOW), &r, &e), OKDF_ENOTFOUND);
	metrics_dashboard d;
	assert_int_equal(metrics_dashboard_compute(db, at(NOW), &d, &e), OKDF_ENOTFOUND);
	db_close(db);
}

static void test_checks_pass(void **state)
{
	(void)state;
	okdf_db *db = ttr_db();
	/* 30-day net: a1, a2, b1, c1, d1, e2 at 1000 each = 6000 minor. Over
	 * 0.1 h that would be $600/h: under the 1 h minimum there is no rate. */
	manual(db, "ana", "2026-03-09T10:00:00-04:00", 360);
	check_ctx cc = { .db = db, .now = at(NOW) };
	check_result out;
	okdf_err ce = { 0 };
	assert_int_equal(metrics_check_rpoh_30d(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_NO_DATA);
	assert_non_null(strstr(out.why, "only 0:06 operator hours"));
	assert_int_equal(metrics_check_baseline(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_FAIL);
	assert_non_null(strstr(out.why, "under 1 h"));
	/* 1 h in all: $60/h, defined (baseline passes) and under 500 (fails). */
	manual(db, "ana", "2026-03-08T10:00:00-04:00", 3240);
	assert_int_equal(metrics_check_rpoh_30d(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_FAIL);
	assert_non_null(strstr(out.why, "60.00"));
	assert_int_equal(metrics_check_baseline(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_PASS);
	/* 90 days: A 10, B 20, C 26, E 19 (01-01 to 01-20): median 19.5: fail. */
	assert_int_equal(metrics_check_ttr_median(&cc, &out, &ce), OKDF_OK);
	assert_int_equal(out.state, CHECK_FAIL);
	assert_non_null(strstr(out.why, "19.5"));
	db_close(db);
}

static void test_dashboard_matches_compute(void **state)
{
	(void)state;
	okdf_db *db = revenue_db();
	interval(db, "ana", "2026-03-09T10:00:00-04:00", "2026-03-09T12:00:00-04:00");
	metrics_dashboard d;
	okdf_err e = { 0 };
	assert_int_equal(metrics_dashboard_compute(db, at(NOW), &d, &e), OKDF_OK);
	static const char *const specs[] = { "today", "7d", "30d" };
	for (int i = 0; i < METRICS_DASH_N; i++) {
		metrics_result r;
		assert_int_equal(metrics_compute(db, specs[i], at(NOW), &r, &e), OKDF_OK);
		assert_string_equal(d.window[i].window.spec, specs[i]);
		assert_int_equal(d.window[i].window.from, r.window.from);
		assert_int_equal(d.window[i].net_revenue.value, r.net_revenue.value);
		assert_int_equal(d.window[i].operator_seconds.value, r.operator_seconds.value);
		assert_int_equal(d.window[i].rpoh.has, r.rpoh.has);
		assert_int_equal(d.window[i].rpoh.value, r.rpoh.value);
		assert_int_equal(d.window[i].repeat_rate.value, r.repeat_rate.value);
		assert_int_equal(d.window[i].ttr.n_in_flight, r.ttr.n_in_flight);
		for (int k = 0; k < METRICS_SERIES_DAYS; k++) {
			assert_int_equal(d.series.net_revenue[k].value, r.series.net_revenue[k].value);
			assert_int_equal(d.series.rpoh[k].has, r.series.rpoh[k].has);
			assert_int_equal(d.series.rpoh[k].value, r.series.rpoh[k].value);
		}
		metrics_result_free(&r);
	}
	assert_int_equal(d.window[METRICS_DASH_TODAY].net_revenue.value, 2000);
	metrics_dashboard_free(&d);
	db_close(db);
}

static void test_window_parse(void **state)
{
	(void)state;
	metrics_window w;
	okdf_err e = { 0 };
	const char *tz = "America/New_York";
	long long now = at(NOW);
	static const char *const bad[] = { "", "7", "d", "0d", "-3d", "7days", "week",
		"2026-03-10..2026-03-01", "2026-02-30..2026-03-01", "2026-03-01..", "..2026-03-01",
		"2026-03-01...2026-03-02", " 7d", "+7d", "7d ", "3661d" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(metrics_window_parse(bad[i], tz, now, &w, &e), OKDF_EINPUT);
	assert_int_equal(metrics_window_parse("90d", tz, now, &w, &e), OKDF_OK);
	char d[16];
	date_format(w.first, d, sizeof d);
	assert_string_equal(d, "2025-12-11");
	assert_int_equal(metrics_window_parse("all", tz, now, &w, &e), OKDF_OK);
	assert_true(w.all);
	assert_int_equal(w.from, 0);
	/* A window wholly in the future is empty, not inverted. */
	assert_int_equal(metrics_window_parse("2026-04-01..2026-04-02", tz, now, &w, &e), OKDF_OK);
	assert_int_equal(w.to, w.from);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revenue_window),
		cmocka_unit_test(test_today_edges),
		cmocka_unit_test(test_dst_fall_back),
		cmocka_unit_test(test_hours_and_rpoh),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_ttr),
		cmocka_unit_test(test_first_sale_rollup),
		cmocka_unit_test(test_recovery_agent_ads),
		cmocka_unit_test(test_checks_no_shop),
		cmocka_unit_test(test_checks_pass),
		cmocka_unit_test(test_dashboard_matches_compute),
		cmocka_unit_test(test_window_parse),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rc;
}

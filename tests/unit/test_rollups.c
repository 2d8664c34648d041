/* The trigger-kept rollups (sales_q, row_counts, market_first_order and
 * product_first_sale) against a full recomputation from the rows, after
 * every kind of write and after a writer SIGKILLed mid-transaction; and
 * sales_rollup_range over hand-computed ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/store/db_private.h"
#include "okdf/store/db.h"
#include "okdf/store/rollups.h"

static char dir[] = "/tmp/okdf-test-rollups-XXXXXX";
static int db_seq;

static okdf_db *open_path(const char *path)
{
	okdf_db *db;
	okdf_err e = { 0 };
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	return db;
}

static okdf_db *fresh_db(char *path, size_t n)
{
	snprintf(path, n, "%s/r%d.db", dir, db_seq++);
	return open_path(path);
}

static void sql(okdf_db *db, const char *fmt, ...)
{
	char buf[4096];
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

static long long one(okdf_db *db, const char *q)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Rows in which each rollup differs from its recomputation (zero rows of
 * sales_q left by removals count as absent). */
static const char recompute_diff[] =
	"WITH fresh AS (SELECT q, sum(g) AS gross, sum(n) AS orders, sum(r) AS refunds FROM ("
	"  SELECT processed_at / 900 AS q, total_minor AS g, 1 AS n, 0 AS r FROM orders"
	"  WHERE cancelled_at IS NULL AND test = 0"
	"  UNION ALL SELECT r.created_at / 900, 0, 0, r.amount_minor FROM refunds r"
	"  JOIN orders o ON o.id = r.order_id WHERE o.cancelled_at IS NULL AND o.test = 0)"
	"  GROUP BY q),"
	" kept AS (SELECT q, gross, orders, refunds FROM sales_q"
	"  WHERE gross <> 0 OR orders <> 0 OR refunds <> 0),"
	" markets AS (SELECT shipping_country AS country, min(processed_at) AS first_at"
	"  FROM orders WHERE cancelled_at IS NULL AND test = 0"
	"  AND coalesce(shipping_country, '') <> '' GROUP BY shipping_country),"
	" firsts AS (SELECT li.product_id, min(o.processed_at) AS first_sale_at"
	"  FROM line_items li JOIN orders o ON o.id = li.order_id"
	"  WHERE li.product_id IS NOT NULL AND o.cancelled_at IS NULL AND o.test = 0"
	"  GROUP BY li.product_id),"
	" checkouts_fresh AS (SELECT created_at / 900, sum(total_minor), count(*),"
	"  sum(CASE WHEN completed_at IS NOT NULL THEN total_minor ELSE 0 END),"
	"  sum(completed_at IS NOT NULL) FROM abandoned_checkouts GROUP BY 1),"
	" checkouts_kept AS (SELECT * FROM checkouts_q WHERE total <> 0 OR n <> 0"
	"  OR rec_total <> 0 OR rec_n <> 0),"
	" conv_fresh AS (SELECT created_at / 900, count(*), sum(state = 'completed' AND NOT EXISTS"
	"  (SELECT 1 FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
	"  ('escalated', 'pending-approval', 'errored-pending-approval'))) FROM conversations c"
	"  GROUP BY 1),"
	" conv_kept AS (SELECT * FROM conversations_q WHERE n <> 0 OR alone <> 0),"
	" ranked AS (SELECT customer_id, processed_at, row_number() OVER (PARTITION BY"
	"  customer_id ORDER BY processed_at DESC) AS rn FROM orders WHERE cancelled_at IS NULL"
	"  AND test = 0 AND customer_id IS NOT NULL),"
	" last2 AS (SELECT customer_id, max(CASE WHEN rn = 1 THEN processed_at END) AS last_at,"
	"  max(CASE WHEN rn = 2 THEN processed_at END) AS prev_at FROM ranked GROUP BY 1),"
	" cust_fresh AS (SELECT q, sum(l), sum(p) FROM (SELECT last_at / 900 AS q, 1 AS l, 0 AS p"
	"  FROM last2 UNION ALL SELECT prev_at / 900, 0, 1 FROM last2 WHERE prev_at IS NOT NULL)"
	"  GROUP BY q),"
	" cust_kept AS (SELECT * FROM customers_q WHERE last_n <> 0 OR prev_n <> 0)"
	" SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept))"
	" + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh))"
	" + (SELECT count(*) FROM (SELECT * FROM markets EXCEPT"
	"   SELECT country, first_at FROM market_first_order))"
	" + (SELECT count(*) FROM (SELECT country, first_at FROM market_first_order"
	"   EXCEPT SELECT * FROM markets))"
	" + (SELECT count(*) FROM (SELECT * FROM firsts EXCEPT"
	"   SELECT product_id, first_sale_at FROM product_first_sale))"
	" + (SELECT count(*) FROM (SELECT product_id, first_sale_at FROM product_first_sale"
	"   EXCEPT SELECT * FROM firsts))"
	" + ((SELECT n FROM row_counts WHERE name = 'orders') <> (SELECT count(*) FROM orders))"
	" + (SELECT count(*) FROM (SELECT * FROM checkouts_fresh EXCEPT SELECT * FROM checkouts_kept))"
	" + (SELECT count(*) FROM (SELECT * FROM checkouts_kept EXCEPT SELECT * FROM checkouts_fresh))"
	" + (SELECT count(*) FROM (SELECT * FROM conv_fresh EXCEPT SELECT * FROM conv_kept))"
	" + (SELECT count(*) FROM (SELECT * FROM conv_kept EXCEPT SELECT * FROM conv_fresh))"
	" + (SELECT count(*) FROM (SELECT * FROM last2 EXCEPT SELECT * FROM customer_last2))"
	" + (SELECT count(*) FROM (SELECT * FROM customer_last2 EXCEPT SELECT * FROM last2))"
	" + (SELECT count(*) FROM (SELECT * FROM cust_fresh EXCEPT SELECT * FROM cust_kept))"
	" + (SELECT count(*) FROM (SELECT * FROM cust_kept EXCEPT SELECT * FROM cust_fresh))";

static void assert_rollups_exact(okdf_db *db)
{
	assert_int_equal(one(db, recompute_diff), 0);
}

/* Order i: processed at T0 + i * 437 s (several per bucket), every 5th
 * cancelled, every 7th a test, country by i % 4 (3: none), two line items. */
#define T0 1790000000LL

static void put_order(okdf_db *db, int i)
{
	static const char *const cc[] = { "'DE'", "'FR'", "'US'", "NULL" };
	long long t = T0 + i * 437LL;
	char customer[16] = "NULL";
	if (i % 10 != 9)
		snprintf(customer, sizeof customer, "'c%d'", i % 9);
	sql(db, "INSERT INTO orders(id, created_at, processed_at, updated_at, cancelled_at, test,"
		" total_minor, currency, shipping_country, customer_id) VALUES ('o%d', %lld, %lld,"
		" %lld, %s, %d, %d, 'USD', %s, %s)", i, t, t, t, i % 5 == 4 ? "1" : "NULL",
		i % 7 == 6, 1000 + i * 13, cc[i % 4], customer);
	/* A checkout every order, completed for every other; a conversation
	 * every third, escalated (then completed) for every sixth. */
	sql(db, "INSERT INTO abandoned_checkouts(id, created_at, updated_at, completed_at,"
		" total_minor, currency) VALUES ('a%d', %lld, %lld, %s, %d, 'USD')", i, t - 50, t,
		i % 2 ? "NULL" : "1790000500", 500 + i);
	if (i % 3 == 0) {
		sql(db, "INSERT INTO conversations(id, agent_id, state, created_at, updated_at)"
			" VALUES ('k%d', 'ag', '%s', %lld, %lld)", i, i % 6 ? "completed" : "escalated",
			t - 20, t);
		if (i % 6 == 0)
			sql(db, "UPDATE conversations SET state = 'completed', updated_at = %lld"
				" WHERE id = 'k%d'", t + 60, i);
	}
	sql(db, "INSERT INTO line_items(id, order_id, product_id, quantity) VALUES"
		" ('l%d-a', 'o%d', 'p%d', 1), ('l%d-b', 'o%d', 'p%d', 1)", i, i, i % 6, i, i, (i + 1) % 6);
	if (i % 3 == 0)
		sql(db, "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency)"
			" VALUES ('r%d', 'o%d', %lld, %d, 'USD')", i, i, t + 86400 + i * 61, 100 + i);
}

static void test_every_write_keeps_rollups_exact(void **state)
{
	(void)state;
	char path[256];
	okdf_db *db = fresh_db(path, sizeof path);
	assert_rollups_exact(db);
	for (int i = 0; i < 120; i++)
		put_order(db, i);
	assert_true(one(db, "SELECT count(*) FROM sales_q WHERE orders > 0") > 10);
	assert_int_equal(one(db, "SELECT count(*) FROM market_first_order"), 3);
	assert_rollups_exact(db);

	/* Cancel, uncancel, test, move in time, change totals and countries. */
	sql(db, "UPDATE orders SET cancelled_at = 5 WHERE id IN ('o0', 'o1', 'o2', 'o3')");
	assert_rollups_exact(db);
	sql(db, "UPDATE orders SET cancelled_at = NULL WHERE id IN ('o4', 'o0')");
	assert_rollups_exact(db);
	sql(db, "UPDATE orders SET test = 1 WHERE id IN ('o9', 'o12')");
	sql(db, "UPDATE orders SET test = 0 WHERE id = 'o6'");
	assert_rollups_exact(db);
	sql(db, "UPDATE orders SET processed_at = processed_at + 86400 * 3 WHERE id IN ('o0', 'o5')");
	sql(db, "UPDATE orders SET processed_at = %lld WHERE id = 'o100'", T0 - 86400);
	assert_rollups_exact(db);
	sql(db, "UPDATE orders SET total_minor = total_minor * 2 WHERE id IN ('o10', 'o11', 'o15')");
	sql(db, "UPDATE orders SET shipping_country = 'JP' WHERE id = 'o21'");
	sql(db, "UPDATE orders SET shipping_country = NULL WHERE id = 'o100'");
	sql(db, "UPDATE orders SET shipping_country = '' WHERE id = 'o8'");
	assert_rollups_exact(db);
	/* Refunds: moved, resized, reassigned, removed, added. */
	sql(db, "UPDATE refunds SET created_at = created_at + 7200 WHERE id = 'r3'");
	sql(db, "UPDATE refunds SET amount_minor = 1 WHERE id = 'r6'");
	sql(db, "UPDATE refunds SET order_id = 'o4' WHERE id = 'r9'");
	sql(db, "DELETE FROM refunds WHERE id IN ('r12', 'r15')");
	sql(db, "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency)"
		" VALUES ('rx', 'o2', %lld, 777, 'USD')", T0 + 99);
	assert_rollups_exact(db);
	/* Checkouts completed, reopened, moved, removed; conversations moved,
	 * escalated late, state history removed, deleted; customers changed. */
	sql(db, "UPDATE abandoned_checkouts SET completed_at = 1790009999 WHERE id IN ('a1', 'a3')");
	sql(db, "UPDATE abandoned_checkouts SET completed_at = NULL WHERE id = 'a2'");
	sql(db, "UPDATE abandoned_checkouts SET created_at = created_at + 4000, total_minor = 9"
		" WHERE id = 'a4'");
	sql(db, "DELETE FROM abandoned_checkouts WHERE id = 'a5'");
	sql(db, "UPDATE conversations SET created_at = created_at + 9000 WHERE id = 'k3'");
	sql(db, "UPDATE conversations SET state = 'pending-approval' WHERE id = 'k9'");
	sql(db, "UPDATE conversations SET state = 'completed' WHERE id = 'k9'");
	sql(db, "DELETE FROM conversation_states WHERE conversation_id = 'k0' AND state = 'escalated'");
	sql(db, "DELETE FROM conversations WHERE id = 'k15'");
	sql(db, "UPDATE conversations SET id = 'k21b' WHERE id = 'k21'");
	assert_rollups_exact(db);
	sql(db, "UPDATE orders SET customer_id = 'c1' WHERE id IN ('o2', 'o13')");
	sql(db, "UPDATE orders SET customer_id = NULL WHERE id = 'o19'");
	sql(db, "UPDATE orders SET customer_id = 'c99' WHERE id = 'o29'");
	/* c0..c8 have a dozen orders each, c99 one. */
	assert_int_equal(one(db, "SELECT count(*) FROM customer_last2 WHERE prev_at IS NOT NULL"), 9);
	assert_rollups_exact(db);
	/* Deletes cascade to line items and refunds; the sync writer's own
	 * upsert path (delete children, insert again) too. */
	sql(db, "DELETE FROM orders WHERE id IN ('o3', 'o21', 'o100', 'o30')");
	assert_rollups_exact(db);
	sql(db, "DELETE FROM refunds WHERE order_id = 'o33'");
	sql(db, "DELETE FROM line_items WHERE order_id = 'o33'");
	sql(db, "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency)"
		" VALUES ('r33', 'o33', %lld, 5, 'USD')", T0 + 5000);
	assert_rollups_exact(db);
	sql(db, "DELETE FROM orders");
	assert_int_equal(one(db, "SELECT count(*) FROM sales_q WHERE gross <> 0 OR orders <> 0"
		" OR refunds <> 0"), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM market_first_order"), 0);
	assert_rollups_exact(db);
	/* The comparison sees a rollup off by one minor unit. */
	put_order(db, 999);
	sql(db, "UPDATE sales_q SET refunds = refunds + 1 WHERE q = (SELECT max(q) FROM sales_q)");
	assert_true(one(db, recompute_diff) >= 1);
	db_close(db);
}

/* Hand-computed: bucket 2,000,000 starts at 1,800,000,000. */
static void test_sales_range_edges(void **state)
{
	(void)state;
	char path[256];
	okdf_db *db = fresh_db(path, sizeof path);
	const long long b = 1800000000LL;
	/* a: 10 s before the bucket; b, c inside it; d at its last second; e in
	 * the next; f cancelled; g a test. */
	sql(db, "INSERT INTO orders(id, created_at, processed_at, updated_at, cancelled_at, test,"
		" total_minor, currency) VALUES"
		" ('a', 0, %lld, 0, NULL, 0, 100, 'USD'), ('b', 0, %lld, 0, NULL, 0, 200, 'USD'),"
		" ('c', 0, %lld, 0, NULL, 0, 400, 'USD'), ('d', 0, %lld, 0, NULL, 0, 800, 'USD'),"
		" ('e', 0, %lld, 0, NULL, 0, 1600, 'USD'), ('f', 0, %lld, 0, 1, 0, 3200, 'USD'),"
		" ('g', 0, %lld, 0, NULL, 1, 6400, 'USD')",
		b - 10, b, b + 300, b + 899, b + 900, b + 1, b + 2);
	sql(db, "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency) VALUES"
		" ('ra', 'a', %lld, 7, 'USD'), ('rb', 'b', %lld, 11, 'USD'),"
		" ('rf', 'f', %lld, 13, 'USD'), ('re', 'e', %lld, 17, 'USD')",
		b + 5, b + 899, b + 6, b + 2000);
	sales_rollup *s;
	okdf_err e = { 0 };
	assert_int_equal(sales_rollup_open(db, &s, &e), OKDF_OK);
	long long g, n, r;
	/* The whole bucket: b + c + d; refunds ra + rb (rf's order is cancelled). */
	assert_int_equal(sales_rollup_range(s, b, b + 900, &g, &n, &r, &e), OKDF_OK);
	assert_int_equal(g, 1400);
	assert_int_equal(n, 3);
	assert_int_equal(r, 18);
	/* Unaligned at both ends: a + the bucket + e; refunds + re. */
	assert_int_equal(sales_rollup_range(s, b - 10, b + 901, &g, &n, &r, &e), OKDF_OK);
	assert_int_equal(g, 3100);
	assert_int_equal(n, 5);
	assert_int_equal(r, 18);
	assert_int_equal(sales_rollup_range(s, b - 10, b + 2001, &g, &n, &r, &e), OKDF_OK);
	assert_int_equal(r, 35);
	/* Inside one bucket: c only; ra only (rb is at b + 899, outside). */
	assert_int_equal(sales_rollup_range(s, b + 1, b + 899, &g, &n, &r, &e), OKDF_OK);
	assert_int_equal(g, 400);
	assert_int_equal(n, 1);
	assert_int_equal(r, 7);
	/* An empty range. */
	assert_int_equal(sales_rollup_range(s, b + 5000, b + 9000, &g, &n, &r, &e), OKDF_OK);
	assert_int_equal(g + n + r, 0);
	sales_rollup_close(s);

	long long count;
	int any;
	long long first;
	assert_int_equal(orders_count_all(db, &count, &e), OKDF_OK);
	assert_int_equal(count, 7);
	assert_int_equal(orders_first_processed(db, &any, &first, &e), OKDF_OK);
	assert_true(any);
	assert_int_equal(first, b - 10);
	sql(db, "DELETE FROM orders");
	assert_int_equal(orders_first_processed(db, &any, &first, &e), OKDF_OK);
	assert_false(any);
	db_close(db);
}

static void test_checkouts_conversations_customers(void **state)
{
	(void)state;
	char path[256];
	okdf_db *db = fresh_db(path, sizeof path);
	const long long b = 1800000000LL, now = b + 5000;
	okdf_err e = { 0 };
	/* x: before the bucket; y completed before now, z after now, both in it;
	 * w in the bucket after. */
	sql(db, "INSERT INTO abandoned_checkouts(id, created_at, updated_at, completed_at,"
		" total_minor, currency) VALUES ('x', %lld, 0, %lld, 10, 'USD'),"
		" ('y', %lld, 0, %lld, 20, 'USD'), ('z', %lld, 0, %lld, 40, 'USD'),"
		" ('w', %lld, 0, NULL, 80, 'USD')", b - 1, b, b + 1, b + 100, b + 2, now + 1, b + 900);
	long long v[4];
	/* [b, b + 900): y and z; only y completed by now. */
	assert_int_equal(checkouts_rollup_range(db, b, b + 900, now, v, &e), OKDF_OK);
	assert_int_equal(v[0], 60);
	assert_int_equal(v[1], 20);
	assert_int_equal(v[2], 2);
	assert_int_equal(v[3], 1);
	/* [b - 1, b + 901): all four; x and y completed by now. */
	assert_int_equal(checkouts_rollup_range(db, b - 1, b + 901, now, v, &e), OKDF_OK);
	assert_int_equal(v[0], 150);
	assert_int_equal(v[1], 30);
	assert_int_equal(v[2], 4);
	assert_int_equal(v[3], 2);
	/* Later, z counts as recovered too. */
	assert_int_equal(checkouts_rollup_range(db, b, b + 900, now + 1, v, &e), OKDF_OK);
	assert_int_equal(v[1], 60);

	/* k1 alone; k2 escalated then completed; k3 still open; k4 outside. */
	sql(db, "INSERT INTO conversations(id, state, created_at, updated_at) VALUES"
		" ('k1', 'completed', %lld, 1), ('k2', 'escalated', %lld, 1),"
		" ('k3', 'running', %lld, 1), ('k4', 'completed', %lld, 1)", b, b + 10, b + 899, b + 900);
	sql(db, "UPDATE conversations SET state = 'completed' WHERE id = 'k2'");
	long long c[2];
	assert_int_equal(conversations_rollup_range(db, b, b + 900, c, &e), OKDF_OK);
	assert_int_equal(c[0], 3);
	assert_int_equal(c[1], 1);
	assert_int_equal(conversations_rollup_range(db, b + 5, b + 1800, c, &e), OKDF_OK);
	assert_int_equal(c[0], 3);
	assert_int_equal(c[1], 1);

	/* c1: orders at b - 900 and b + 10; c2: b + 20; c3: cancelled at b. */
	sql(db, "INSERT INTO orders(id, created_at, processed_at, updated_at, cancelled_at, test,"
		" total_minor, currency, customer_id) VALUES"
		" ('o1', 0, %lld, 0, NULL, 0, 1, 'USD', 'c1'), ('o2', 0, %lld, 0, NULL, 0, 1, 'USD', 'c1'),"
		" ('o3', 0, %lld, 0, NULL, 0, 1, 'USD', 'c2'), ('o4', 0, %lld, 0, 1, 0, 1, 'USD', 'c3')",
		b - 900, b + 10, b + 20, b);
	const long long from[2] = { b - 900, b };
	long long cust[2], rep[2];
	int served;
	assert_int_equal(customers_rollup_since(db, from, 2, now, &served, cust, rep, &e), OKDF_OK);
	assert_true(served);
	assert_int_equal(cust[0], 2);
	assert_int_equal(rep[0], 1);
	assert_int_equal(cust[1], 2);
	assert_int_equal(rep[1], 0);
	/* Ending at c2's order: c2 drops out, c1 stays (counted from its orders). */
	assert_int_equal(customers_rollup_since(db, from, 2, b + 20, &served, cust, rep, &e), OKDF_OK);
	assert_true(served);
	assert_int_equal(cust[0], 1);
	assert_int_equal(rep[0], 1);
	assert_int_equal(cust[1], 1);
	assert_int_equal(rep[1], 0);
	/* Ending at c1's second order: c1 has one order in either window. */
	assert_int_equal(customers_rollup_since(db, from, 2, b + 10, &served, cust, rep, &e), OKDF_OK);
	assert_true(served);
	assert_int_equal(cust[0], 1);
	assert_int_equal(rep[0], 0);
	assert_int_equal(cust[1], 0);
	/* A start off a bucket edge: not served. */
	const long long odd[1] = { b + 1 };
	assert_int_equal(customers_rollup_since(db, odd, 1, now, &served, cust, rep, &e), OKDF_OK);
	assert_false(served);
	db_close(db);
}

static void test_new_markets(void **state)
{
	(void)state;
	char path[256];
	okdf_db *db = fresh_db(path, sizeof path);
	const long long now = 1800000000LL, d = 86400;
	okdf_err e = { 0 };
	store_new_market *m;
	int n;
	/* Only recent orders: no history to call anything new against. */
	sql(db, "INSERT INTO orders(id, created_at, processed_at, updated_at, test, total_minor,"
		" currency, shipping_country) VALUES ('n1', 0, %lld, 0, 0, 1, 'USD', 'NZ')", now - d);
	assert_int_equal(markets_new_list(db, now, &m, &n, &e), OKDF_OK);
	assert_int_equal(n, 0);
	free(m);
	/* DE for 30 days; NZ from 1 day ago (twice), IS only in the future, PT
	 * 3 days ago but cancelled. */
	sql(db, "INSERT INTO orders(id, created_at, processed_at, updated_at, cancelled_at, test,"
		" total_minor, currency, shipping_country) VALUES"
		" ('d1', 0, %lld, 0, NULL, 0, 1, 'USD', 'DE'), ('d2', 0, %lld, 0, NULL, 0, 1, 'USD', 'DE'),"
		" ('n2', 0, %lld, 0, NULL, 0, 1, 'USD', 'NZ'), ('i1', 0, %lld, 0, NULL, 0, 1, 'USD', 'IS'),"
		" ('p1', 0, %lld, 0, 5, 0, 1, 'USD', 'PT')",
		now - 30 * d, now - 2 * d, now - 3600, now + 60, now - 3 * d);
	assert_int_equal(markets_new_list(db, now, &m, &n, &e), OKDF_OK);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].country, "NZ");
	assert_string_equal(m[0].first_order_id, "n1");
	assert_int_equal(m[0].first_at, now - d);
	assert_int_equal(m[0].orders, 2);
	free(m);
	db_close(db);
}

/* A writer killed with SIGKILL inside a transaction: the store reopens with
 * only whole batches committed and every rollup exact. */
#define BATCH 40

static void test_rollups_exact_after_sigkill(void **state)
{
	(void)state;
	char path[256];
	okdf_db *db = fresh_db(path, sizeof path);
	db_close(db);
	int pipefd[2];
	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pipefd[0]);
		okdf_db *w = open_path(path);
		for (int batch = 0;; batch++) {
			sqlite3_exec(db_sqlite(w), "BEGIN", NULL, NULL, NULL);
			for (int k = 0; k < BATCH; k++) {
				int i = batch * BATCH + k;
				put_order(w, i);
				if (i % 11 == 0)
					sql(w, "UPDATE orders SET cancelled_at = 9 WHERE id = 'o%d'", i / 2);
			}
			sqlite3_exec(db_sqlite(w), "COMMIT", NULL, NULL, NULL);
			/* Tell the parent after the third commit, then keep writing. */
			if (batch == 2 && write(pipefd[1], "x", 1) != 1)
				_exit(1);
		}
	}
	close(pipefd[1]);
	char c;
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	/* Writing continuously: the kill lands inside a batch. */
	usleep(30000);
	assert_int_equal(kill(pid, SIGKILL), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	db = open_path(path);
	long long orders = one(db, "SELECT count(*) FROM orders");
	assert_true(orders >= 3 * BATCH);
	assert_int_equal(orders % BATCH, 0);
	assert_rollups_exact(db);
	/* And the store goes on being written exactly. */
	put_order(db, 100000);
	sql(db, "UPDATE orders SET test = 1 WHERE id = 'o1'");
	assert_rollups_exact(db);
	db_close(db);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_write_keeps_rollups_exact),
		cmocka_unit_test(test_sales_range_edges),
		cmocka_unit_test(test_checkouts_conversations_customers),
		cmocka_unit_test(test_new_markets),
		cmocka_unit_test(test_rollups_exact_after_sigkill),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

#include "okdf/store/rollups.h"

#include <stdlib.h>

#include "okdf/store/db.h"
#include "db_private.h"

/* INDEXED BY where a one-sided range on time would otherwise let the
 * planner (no ANALYZE statistics) walk a whole partial index instead. */

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The whole buckets [qa, qb) of [from, to), qa >= qb when there are none. */
static void buckets_of(long long from, long long to, long long *qa, long long *qb)
{
	const long long w = STORE_SALES_Q_SECONDS;
	*qa = -floor_div(-from, w);
	*qb = floor_div(to, w);
}

/* Steps st bound to ?1 = a, ?2 = b (and ?3 = extra when the statement has
 * it) and adds its first n columns to acc; nothing when a >= b. */
static int add_range(okdf_db *db, sqlite3_stmt *st, long long a, long long b, long long extra,
	long long *acc, int n, okdf_err *e)
{
	if (a >= b)
		return OKDF_OK;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, extra);
	int rc = OKDF_OK;
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_error(db, e, "reading a rollup");
	for (int i = 0; i < n && !rc; i++)
		acc[i] += sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return rc;
}

static int one_value(okdf_db *db, const char *sql, long long bind, int *has, long long *v,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, bind);
	*has = 0;
	*v = 0;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*has = 1;
		*v = sqlite3_column_int64(st, 0);
	} else if (step != SQLITE_ROW && step != SQLITE_DONE) {
		rc = db_error(db, e, "reading a rollup");
	}
	sqlite3_finalize(st);
	return rc;
}

struct sales_rollup {
	okdf_db *db;
	sqlite3_stmt *buckets, *orders, *refunds;
};

int sales_rollup_open(okdf_db *db, sales_rollup **out, okdf_err *e)
{
	*out = NULL;
	sales_rollup *s = calloc(1, sizeof *s);
	if (!s)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	s->db = db;
	int rc = db_prepare(db,
		"SELECT COALESCE(SUM(gross), 0), COALESCE(SUM(orders), 0), COALESCE(SUM(refunds), 0)"
		" FROM sales_q WHERE q >= ?1 AND q < ?2", &s->buckets, e);
	if (!rc)
		rc = db_prepare(db,
			"SELECT COALESCE(SUM(total_minor), 0), COUNT(*) FROM orders"
			" WHERE processed_at >= ?1 AND processed_at < ?2"
			" AND cancelled_at IS NULL AND test = 0", &s->orders, e);
	if (!rc)
		rc = db_prepare(db,
			"SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r"
			" JOIN orders o ON o.id = r.order_id"
			" WHERE r.created_at >= ?1 AND r.created_at < ?2"
			" AND o.cancelled_at IS NULL AND o.test = 0", &s->refunds, e);
	if (rc) {
		sales_rollup_close(s);
		return rc;
	}
	*out = s;
	return OKDF_OK;
}

void sales_rollup_close(sales_rollup *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->buckets);
	sqlite3_finalize(s->orders);
	sqlite3_finalize(s->refunds);
	free(s);
}

/* Orders and refunds of [a, b) from the rows. */
static int rows_range(sales_rollup *s, long long a, long long b, long long *acc, okdf_err *e)
{
	if (a >= b)
		return OKDF_OK;
	int rc = add_range(s->db, s->orders, a, b, 0, acc, 2, e);
	return rc ? rc : add_range(s->db, s->refunds, a, b, 0, acc + 2, 1, e);
}

int sales_rollup_range(sales_rollup *s, long long from, long long to, long long *gross,
	long long *count, long long *refunds, okdf_err *e)
{
	const long long w = STORE_SALES_Q_SECONDS;
	long long acc[3] = { 0, 0, 0 };
	long long qa, qb;
	buckets_of(from, to, &qa, &qb);
	int rc;
	if (qa >= qb) {
		rc = rows_range(s, from, to, acc, e);
	} else {
		rc = add_range(s->db, s->buckets, qa, qb, 0, acc, 3, e);
		if (!rc)
			rc = rows_range(s, from, qa * w, acc, e);
		if (!rc)
			rc = rows_range(s, qb * w, to, acc, e);
	}
	*gross = acc[0];
	*count = acc[1];
	*refunds = acc[2];
	return rc;
}

/* A rollup over whole buckets plus the rows of the partial ones at either end. */
static int bucketed(okdf_db *db, const char *buckets_sql, const char *rows_sql, long long from,
	long long to, long long extra, long long *acc, int n, okdf_err *e)
{
	sqlite3_stmt *bq = NULL, *rq = NULL;
	long long qa, qb;
	buckets_of(from, to, &qa, &qb);
	int rc = db_prepare(db, rows_sql, &rq, e);
	if (!rc && qa < qb)
		rc = db_prepare(db, buckets_sql, &bq, e);
	if (!rc && qa >= qb)
		rc = add_range(db, rq, from, to, extra, acc, n, e);
	else if (!rc) {
		rc = add_range(db, bq, qa, qb, extra, acc, n, e);
		if (!rc)
			rc = add_range(db, rq, from, qa * STORE_SALES_Q_SECONDS, extra, acc, n, e);
		if (!rc)
			rc = add_range(db, rq, qb * STORE_SALES_Q_SECONDS, to, extra, acc, n, e);
	}
	sqlite3_finalize(bq);
	sqlite3_finalize(rq);
	return rc;
}

int checkouts_rollup_range(okdf_db *db, long long from, long long to, long long now,
	long long out[4], okdf_err *e)
{
	for (int i = 0; i < 4; i++)
		out[i] = 0;
	int rc = bucketed(db,
		"SELECT COALESCE(SUM(total), 0), COALESCE(SUM(rec_total), 0), COALESCE(SUM(n), 0),"
		" COALESCE(SUM(rec_n), 0) FROM checkouts_q WHERE q >= ?1 AND q < ?2",
		"SELECT COALESCE(SUM(total_minor), 0),"
		" COALESCE(SUM(CASE WHEN completed_at <= ?3 THEN total_minor END), 0),"
		" COUNT(*), COALESCE(SUM(completed_at <= ?3), 0) FROM abandoned_checkouts"
		" WHERE created_at >= ?1 AND created_at < ?2", from, to, now, out, 4, e);
	long long qa, qb;
	buckets_of(from, to, &qa, &qb);
	if (rc || qa >= qb)
		return rc;
	/* The buckets count completions after now as recovered: take them out. */
	sqlite3_stmt *st;
	long long late[2] = { 0, 0 };
	rc = db_prepare(db, "SELECT COALESCE(SUM(total_minor), 0), COUNT(*) FROM abandoned_checkouts"
		" INDEXED BY abandoned_completed WHERE completed_at > ?3"
		" AND created_at >= ?1 AND created_at < ?2", &st, e);
	if (!rc)
		rc = add_range(db, st, qa * STORE_SALES_Q_SECONDS, qb * STORE_SALES_Q_SECONDS, now, late,
			2, e);
	sqlite3_finalize(st);
	out[1] -= late[0];
	out[3] -= late[1];
	return rc;
}

int conversations_rollup_range(okdf_db *db, long long from, long long to, long long out[2],
	okdf_err *e)
{
	out[0] = out[1] = 0;
	return bucketed(db,
		"SELECT COALESCE(SUM(n), 0), COALESCE(SUM(alone), 0) FROM conversations_q"
		" WHERE q >= ?1 AND q < ?2",
		"SELECT COUNT(*), COALESCE(SUM(state = 'completed' AND NOT EXISTS (SELECT 1"
		" FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
		" ('escalated', 'pending-approval', 'errored-pending-approval'))), 0)"
		" FROM conversations c WHERE created_at >= ?1 AND created_at < ?2", from, to, 0, out, 2,
		e);
}

/* Above this many orders after a window's end, a scan of the window is cheaper. */
#define LATE_ORDERS_MAX 10000

int customers_rollup_since(okdf_db *db, const long long *from, int n, long long to,
	int *served, long long *customers, long long *repeat, okdf_err *e)
{
	*served = 0;
	for (int k = 0; k < n; k++)
		if (floor_div(from[k], STORE_SALES_Q_SECONDS) * STORE_SALES_Q_SECONDS != from[k])
			return OKDF_OK;
	int any;
	long long late;
	int rc = one_value(db, "SELECT COUNT(*) FROM (SELECT 1 FROM orders INDEXED BY orders_metrics"
		" WHERE processed_at >= ?1"
		" AND cancelled_at IS NULL AND test = 0 LIMIT 10001)", to, &any, &late, e);
	if (rc || late > LATE_ORDERS_MAX)
		return rc;
	/* The buckets count customers by their last two orders ever; those with
	 * an order at or after the end are counted again from their orders. */
	sqlite3_stmt *sum, *fix;
	if ((rc = db_prepare(db, "SELECT COALESCE(SUM(last_n), 0), COALESCE(SUM(prev_n), 0)"
		" FROM customers_q WHERE q >= ?1", &sum, e)))
		return rc;
	rc = db_prepare(db,
		"WITH late AS (SELECT DISTINCT customer_id AS c FROM orders INDEXED BY orders_metrics"
		"  WHERE processed_at >= ?2"
		"  AND cancelled_at IS NULL AND test = 0 AND customer_id IS NOT NULL),"
		" x AS (SELECT m.last_at, m.prev_at, (SELECT COUNT(*) FROM orders o"
		"  WHERE o.customer_id = late.c AND o.cancelled_at IS NULL AND o.test = 0"
		"  AND o.processed_at >= ?1 AND o.processed_at < ?2) AS n"
		"  FROM late JOIN customer_last2 m ON m.customer_id = late.c)"
		" SELECT COALESCE(SUM((n >= 1) - (last_at >= ?1)), 0),"
		" COALESCE(SUM((n >= 2) - (coalesce(prev_at >= ?1, 0))), 0) FROM x", &fix, e);
	for (int k = 0; k < n && !rc; k++) {
		long long v[2] = { 0, 0 };
		customers[k] = repeat[k] = 0;
		if (from[k] >= to)
			continue;
		sqlite3_bind_int64(sum, 1, from[k] / STORE_SALES_Q_SECONDS);
		if (sqlite3_step(sum) != SQLITE_ROW) {
			rc = db_error(db, e, "reading customers");
			break;
		}
		customers[k] = sqlite3_column_int64(sum, 0);
		repeat[k] = sqlite3_column_int64(sum, 1);
		sqlite3_reset(sum);
		if (late && (rc = add_range(db, fix, from[k], to, 0, v, 2, e)))
			break;
		customers[k] += v[0];
		repeat[k] += v[1];
	}
	sqlite3_finalize(sum);
	sqlite3_finalize(fix);
	*served = !rc;
	return rc;
}

int orders_count_all(okdf_db *db, long long *n, okdf_err *e)
{
	int has;
	return one_value(db, "SELECT n FROM row_counts WHERE name = 'orders'", 0, &has, n, e);
}

int orders_first_processed(okdf_db *db, int *any, long long *first, okdf_err *e)
{
	return one_value(db, "SELECT MIN(processed_at) FROM orders WHERE test = 0", 0, any, first,
		e);
}

int markets_new_list(okdf_db *db, long long now, store_new_market **out, int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	int old;
	long long first;
	/* Any qualifying order from before the 7 days, of any country or none. */
	int rc = one_value(db, "SELECT 1 FROM orders INDEXED BY orders_metrics"
		" WHERE processed_at <= ?1 - 7 * 86400"
		" AND cancelled_at IS NULL AND test = 0 LIMIT 1", now, &old, &first, e);
	if (rc || !old)
		return rc;
	sqlite3_stmt *st;
	rc = db_prepare(db,
		"SELECT m.country, m.first_at,"
		" (SELECT COUNT(*) FROM orders o WHERE o.shipping_country = m.country"
		"  AND o.cancelled_at IS NULL AND o.test = 0 AND o.processed_at <= ?1),"
		" (SELECT f.id FROM orders f WHERE f.shipping_country = m.country"
		"  AND f.cancelled_at IS NULL AND f.test = 0 ORDER BY f.processed_at LIMIT 1)"
		" FROM market_first_order m WHERE m.first_at > ?1 - 7 * 86400 AND m.first_at <= ?1"
		" ORDER BY m.first_at, m.country", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	int cap = 0, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 8;
			store_new_market *g = realloc(*out, (size_t)ncap * sizeof *g);
			if (!g) {
				rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
				break;
			}
			*out = g;
			cap = ncap;
		}
		store_new_market *m = &(*out)[(*n)++];
		db_col_copy(m->country, sizeof m->country, st, 0);
		m->first_at = sqlite3_column_int64(st, 1);
		m->orders = sqlite3_column_int64(st, 2);
		db_col_copy(m->first_order_id, sizeof m->first_order_id, st, 3);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(db, e, "reading new markets");
	sqlite3_finalize(st);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

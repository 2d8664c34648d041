#include "okdf/store/rollups.h"

#include <stdlib.h>

#include "okdf/store/db.h"

struct store_sales {
	sqlite3 *db;
	sqlite3_stmt *buckets, *orders, *refunds;
};

int store_sales_open(sqlite3 *db, store_sales **out, okdf_err *e)
{
	*out = NULL;
	store_sales *s = calloc(1, sizeof *s);
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
		store_sales_close(s);
		return rc;
	}
	*out = s;
	return OKDF_OK;
}

void store_sales_close(store_sales *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->buckets);
	sqlite3_finalize(s->orders);
	sqlite3_finalize(s->refunds);
	free(s);
}

/* Binds [a, b), steps one row and adds its first n columns to acc. */
static int add_row(store_sales *s, sqlite3_stmt *st, long long a, long long b, long long *acc,
	int n, okdf_err *e)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	int rc = OKDF_OK;
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_error(s->db, e, "reading sales");
	for (int i = 0; i < n && !rc; i++)
		acc[i] += sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return rc;
}

/* Orders and refunds of [a, b) from the rows. */
static int rows_range(store_sales *s, long long a, long long b, long long *acc, okdf_err *e)
{
	if (a >= b)
		return OKDF_OK;
	int rc = add_row(s, s->orders, a, b, acc, 2, e);
	return rc ? rc : add_row(s, s->refunds, a, b, acc + 2, 1, e);
}

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int store_sales_range(store_sales *s, long long from, long long to, long long *gross,
	long long *count, long long *refunds, okdf_err *e)
{
	const long long w = STORE_SALES_Q_SECONDS;
	long long acc[3] = { 0, 0, 0 };
	long long qa = -floor_div(-from, w), qb = floor_div(to, w);
	int rc;
	if (qa >= qb) {
		rc = rows_range(s, from, to, acc, e);
	} else {
		rc = add_row(s, s->buckets, qa, qb, acc, 3, e);
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

static int one_value(sqlite3 *db, const char *sql, long long bind, int *has, long long *v,
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

int store_orders_count(sqlite3 *db, long long *n, okdf_err *e)
{
	int has;
	return one_value(db, "SELECT n FROM row_counts WHERE name = 'orders'", 0, &has, n, e);
}

int store_orders_first(sqlite3 *db, int *any, long long *first, okdf_err *e)
{
	return one_value(db, "SELECT MIN(processed_at) FROM orders WHERE test = 0", 0, any, first,
		e);
}

int store_new_markets(sqlite3 *db, long long now, store_new_market **out, int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	int old;
	long long first;
	/* Any qualifying order from before the 7 days, of any country or none. */
	int rc = one_value(db, "SELECT 1 FROM orders WHERE processed_at <= ?1 - 7 * 86400"
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

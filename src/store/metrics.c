/* The metrics engine's reads: each a prepared, bound statement whose rows go
 * out as plain values or structs; the engine in core/metrics.c computes. */
#include "okdf/store/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "okdf/store/db.h"
#include "db_private.h"

int orders_any(okdf_db *db, long long from, long long to, int *any, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT EXISTS (SELECT 1 FROM orders WHERE processed_at >= ?1"
		" AND processed_at < ?2 AND test = 0)", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_error(db, e, "computing metrics");
	else
		*any = sqlite3_column_int64(st, 0) != 0;
	sqlite3_finalize(st);
	return rc;
}

int ttr_facts_list(okdf_db *db, ttr_fact **out, int *n, okdf_err *e)
{
	static const char sql[] =
		"WITH idea_first AS (SELECT product_id, MIN(idea_at) AS idea_at,"
		"  MIN(id) AS idea_id FROM ideas WHERE product_id IS NOT NULL GROUP BY product_id)"
		" SELECT p.id, p.title, p.status, p.created_at, i.idea_at, i.idea_id, f.first_sale_at"
		" FROM products p LEFT JOIN idea_first i ON i.product_id = p.id"
		" LEFT JOIN product_first_sale f ON f.product_id = p.id"
		" UNION ALL"
		" SELECT i.product_id, (SELECT title FROM ideas WHERE id = i.idea_id), NULL, NULL,"
		"  i.idea_at, i.idea_id, f.first_sale_at"
		" FROM idea_first i LEFT JOIN product_first_sale f ON f.product_id = i.product_id"
		" WHERE i.product_id NOT IN (SELECT id FROM products)"
		" UNION ALL"
		" SELECT NULL, title, NULL, NULL, idea_at, id, NULL FROM ideas"
		" WHERE product_id IS NULL";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	int cap = 0, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 64;
			void *grown = realloc(*out, (size_t)ncap * sizeof **out);
			if (!grown) {
				rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
				break;
			}
			*out = grown;
			cap = ncap;
		}
		ttr_fact *f = &(*out)[(*n)++];
		memset(f, 0, sizeof *f);
		const unsigned char *id = sqlite3_column_text(st, 0);
		const unsigned char *title = sqlite3_column_text(st, 1);
		const unsigned char *status = sqlite3_column_text(st, 2);
		snprintf(f->id, sizeof f->id, "%s", id ? (const char *)id : "");
		snprintf(f->title, sizeof f->title, "%s", title ? (const char *)title : "");
		f->archived = status && strcasecmp((const char *)status, "archived") == 0;
		f->created_at = sqlite3_column_int64(st, 3);
		f->has_idea = sqlite3_column_type(st, 4) != SQLITE_NULL;
		f->idea_at = sqlite3_column_int64(st, 4);
		f->idea_id = sqlite3_column_int64(st, 5);
		f->has_sale = sqlite3_column_type(st, 6) != SQLITE_NULL;
		f->first_sale_at = sqlite3_column_int64(st, 6);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(db, e, "reading products and ideas");
	sqlite3_finalize(st);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int ad_insights_sum(okdf_db *db, const char *first, const char *last, const char *currency,
	long long *spend, long long *purchase_value, int *other_currency, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT COALESCE(SUM(CASE WHEN currency = ?3 THEN spend_minor END), 0),"
		" COALESCE(SUM(CASE WHEN currency = ?3 THEN purchase_value_minor END), 0),"
		" COALESCE(SUM(currency <> ?3), 0)"
		" FROM ad_insights_daily WHERE day >= ?1 AND day <= ?2", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, first);
	db_bind_text(st, 2, last);
	db_bind_text(st, 3, currency);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(db, e, "reading ad insights");
	} else {
		*spend = sqlite3_column_int64(st, 0);
		*purchase_value = sqlite3_column_int64(st, 1);
		*other_currency = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

int email_stats_sum(okdf_db *db, const char *timeframe, const char *currency,
	long long out[4], okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT (SELECT COALESCE(SUM(conversion_value_minor), 0) FROM email_flow_stats"
		"  WHERE timeframe = ?1 AND currency = ?2),"
		" (SELECT COUNT(*) FROM email_flow_stats WHERE timeframe = ?1 AND currency = ?2),"
		" (SELECT COALESCE(SUM(conversion_value_minor), 0) FROM email_campaign_stats"
		"  WHERE timeframe = ?1 AND currency = ?2),"
		" (SELECT COUNT(*) FROM email_campaign_stats WHERE timeframe = ?1 AND currency = ?2)",
		&st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, timeframe);
	db_bind_text(st, 2, currency);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(db, e, "reading Klaviyo report statistics");
	} else {
		for (int i = 0; i < 4; i++)
			out[i] = sqlite3_column_int64(st, i);
	}
	sqlite3_finalize(st);
	return rc;
}

int orders_customers_each(okdf_db *db, long long from, long long to, orders_customer_fn fn,
	void *ctx, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT customer_id, processed_at FROM orders"
		" WHERE processed_at >= ?1 AND processed_at < ?2"
		" AND cancelled_at IS NULL AND test = 0 AND customer_id IS NOT NULL", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	int step;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
			(size_t)sqlite3_column_bytes(st, 0), sqlite3_column_int64(st, 1));
	if (!rc && step != SQLITE_DONE)
		rc = db_error(db, e, "counting repeat customers");
	sqlite3_finalize(st);
	return rc;
}

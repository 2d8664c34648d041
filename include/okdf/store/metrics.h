/* The reads the metrics engine computes over (the shop row is store/shop.h):
 * TTR facts of products and ideas, ad and Klaviyo sums, and the one scan of
 * qualifying orders that repeat customers are counted from. */
#ifndef OKDF_STORE_METRICS_H
#define OKDF_STORE_METRICS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

/* *any = 1 when a non-test order was processed in [from, to). */
int orders_any(okdf_db *db, long long from, long long to, int *any, okdf_err *e);

/* One row per product, per linked idea whose product is not synced, and per
 * idea without a product: the facts time-to-revenue is computed from. */
typedef struct ttr_fact {
	char id[64];          /* product id, "" for an idea without one */
	char title[128];
	int archived;         /* the product's status is ARCHIVED */
	long long created_at; /* product created_at, 0 when none */
	int has_idea;         /* idea_at and idea_id are set */
	long long idea_at, idea_id;
	int has_sale;         /* first_sale_at is set */
	long long first_sale_at;
} ttr_fact;

/* *out is malloc'd (free it), *n its length. */
int ttr_facts_list(okdf_db *db, ttr_fact **out, int *n, okdf_err *e);

/* Meta ad insights of the ad-account days [first, last] (YYYY-MM-DD):
 * spend and purchase value of rows in currency, and the rows in any other. */
int ad_insights_sum(okdf_db *db, const char *first, const char *last, const char *currency,
	long long *spend, long long *purchase_value, int *other_currency, okdf_err *e);

/* Klaviyo values reports of timeframe in currency: out[0] flow conversion
 * value, out[1] flow rows, out[2] campaign conversion value, out[3] rows. */
int email_stats_sum(okdf_db *db, const char *timeframe, const char *currency,
	long long out[4], okdf_err *e);

/* Called per non-cancelled, non-test order with a customer processed in
 * [from, to); a nonzero return stops the scan and is returned. id (len
 * bytes) lives until the next call. */
typedef int (*orders_customer_fn)(void *ctx, const char *id, size_t len, long long at);

int orders_customers_each(okdf_db *db, long long from, long long to, orders_customer_fn fn,
	void *ctx, okdf_err *e);

#endif

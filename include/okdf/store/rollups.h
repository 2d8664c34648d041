/* Reads served by the trigger-kept rollups of schema v6 (sales_q,
 * row_counts, market_first_order): cost that stays flat as a store grows. */
#ifndef OKDF_STORE_ROLLUPS_H
#define OKDF_STORE_ROLLUPS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

/* The bucket width of sales_q, seconds. */
#define STORE_SALES_Q_SECONDS 900

typedef struct sales_rollup sales_rollup;

int sales_rollup_open(okdf_db *db, sales_rollup **out, okdf_err *e);
void sales_rollup_close(sales_rollup *s);

/* Non-cancelled, non-test orders processed in [from, to): gross and count;
 * refunds created in [from, to) on such orders. Whole buckets from sales_q,
 * the partial ones at either end from the rows. */
int sales_rollup_range(sales_rollup *s, long long from, long long to, long long *gross,
	long long *count, long long *refunds, okdf_err *e);

/* Abandoned checkouts created in [from, to): out[0] their value, out[1] the
 * value of those completed by now, out[2] and out[3] the same as counts. */
int checkouts_rollup_range(okdf_db *db, long long from, long long to, long long now,
	long long out[4], okdf_err *e);

/* Conversations created in [from, to): out[0] all, out[1] those the agent
 * resolved alone (completed, never escalated or waiting on an approval). */
int conversations_rollup_range(okdf_db *db, long long from, long long to, long long out[2],
	okdf_err *e);

/* Customers with >= 1 and >= 2 non-cancelled, non-test orders in [from, to)
 * for each from[k] (k < n), from the rollup: *served = 0 (nothing read)
 * when a scan of the window is the better way, as when a start is not on a
 * bucket edge or over 10,000 orders come at or after to. */
int customers_rollup_since(okdf_db *db, const long long *from, int n, long long to,
	int *served, long long *customers, long long *repeat, okdf_err *e);

/* Every stored order, cancelled and test ones included. */
int orders_count_all(okdf_db *db, long long *n, okdf_err *e);

/* The earliest processed_at of a non-test order; *any = 0 when none. */
int orders_first_processed(okdf_db *db, int *any, long long *first, okdf_err *e);

typedef struct store_new_market {
	char country[16];
	char first_order_id[128];
	long long first_at;
	long long orders; /* processed up to now */
} store_new_market;

/* Countries whose first non-cancelled, non-test order came in the 7 days up
 * to now, once the store has an order from before those 7 days. *out is
 * malloc'd (free it), *n its length. */
int markets_new_list(okdf_db *db, long long now, store_new_market **out, int *n, okdf_err *e);

#endif

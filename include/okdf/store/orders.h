/* The Shopify tables: shop, products, customers, orders with their line
 * items and refunds, abandoned checkouts. Every write is an idempotent
 * upsert; callers wrap a page of them and its cursor in one transaction. */
#ifndef OKDF_STORE_ORDERS_H
#define OKDF_STORE_ORDERS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

/* Optional values: has_x = 0 stores NULL. Strings may be NULL (NULL stored). */

typedef struct store_shop {
	const char *shop_id, *name, *domain, *currency, *iana_timezone;
	long long synced_at;
} store_shop;

typedef struct store_product {
	const char *id, *title, *status;
	long long created_at, updated_at, published_at;
	int has_published_at;
	int has_description;
	long long min_price_minor;
	int has_min_price;
	const char *currency;
} store_product;

typedef struct store_customer {
	const char *id;
	long long orders_count;
	long long amount_spent_minor;
	int has_amount_spent;
	const char *currency;
	long long created_at, updated_at;
} store_customer;

typedef struct store_order {
	const char *id, *name;
	long long created_at, processed_at, updated_at, cancelled_at;
	int has_cancelled_at;
	int test;
	long long total_minor;
	const char *currency;
	long long presentment_total_minor;
	int has_presentment_total;
	const char *presentment_currency;
	const char *customer_id, *shipping_country, *financial_status;
	const char *shop_day;
} store_order;

typedef struct store_line_item {
	const char *id, *order_id, *product_id, *title;
	long long quantity;
	long long price_minor;
	int has_price;
	const char *currency;
} store_line_item;

typedef struct store_refund {
	const char *id, *order_id;
	long long created_at, amount_minor;
	const char *currency, *note, *shop_day;
} store_refund;

typedef struct store_refund_line_item {
	const char *refund_id, *line_item_id, *product_id;
	long long quantity;
	long long subtotal_minor;
	int has_subtotal;
} store_refund_line_item;

typedef struct store_abandoned_checkout {
	const char *id;
	long long created_at, updated_at, completed_at;
	int has_completed_at;
	long long total_minor;
	const char *currency, *customer_id;
} store_abandoned_checkout;

/* Prepared statements for one connection; open once per pass. */
typedef struct orders_writer orders_writer;

int orders_writer_open(okdf_db *db, orders_writer **out, okdf_err *e);
void orders_writer_close(orders_writer *w);

int shop_put(orders_writer *w, const store_shop *s, okdf_err *e);
int product_upsert(orders_writer *w, const store_product *p, okdf_err *e);
int customer_upsert(orders_writer *w, const store_customer *c, okdf_err *e);
/* Upserts the order and drops its line items and refunds, which the caller
 * then inserts again from the same payload. */
int order_upsert(orders_writer *w, const store_order *o, okdf_err *e);
int line_item_insert(orders_writer *w, const store_line_item *li, okdf_err *e);
int refund_insert(orders_writer *w, const store_refund *r, okdf_err *e);
int refund_line_item_insert(orders_writer *w, const store_refund_line_item *rl,
	okdf_err *e);
int abandoned_checkout_upsert(orders_writer *w, const store_abandoned_checkout *a,
	okdf_err *e);

#endif

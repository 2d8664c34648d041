#include "okdf/store/orders.h"

#include <stdio.h>
#include <stdlib.h>

#include "okdf/store/db.h"
#include "db_private.h"

enum {
	ST_SHOP,
	ST_PRODUCT,
	ST_CUSTOMER,
	ST_ORDER,
	ST_DEL_LINES,
	ST_DEL_REFUNDS,
	ST_LINE,
	ST_REFUND,
	ST_REFUND_LINE,
	ST_CHECKOUT,
	N_ST
};

static const char *const sql[N_ST] = {
	[ST_SHOP] = "INSERT INTO shop (id, shop_id, name, domain, currency, iana_timezone, synced_at)"
		" VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET"
		" shop_id = excluded.shop_id, name = excluded.name, domain = excluded.domain,"
		" currency = excluded.currency, iana_timezone = excluded.iana_timezone,"
		" synced_at = excluded.synced_at",
	[ST_PRODUCT] = "INSERT INTO products (id, title, status, created_at, published_at,"
		" updated_at, has_description, min_price_minor, currency)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET"
		" title = excluded.title, status = excluded.status, created_at = excluded.created_at,"
		" published_at = excluded.published_at, updated_at = excluded.updated_at,"
		" has_description = excluded.has_description,"
		" min_price_minor = excluded.min_price_minor, currency = excluded.currency",
	[ST_CUSTOMER] = "INSERT INTO customers (id, orders_count, amount_spent_minor, currency,"
		" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
		" ON CONFLICT (id) DO UPDATE SET orders_count = excluded.orders_count,"
		" amount_spent_minor = excluded.amount_spent_minor, currency = excluded.currency,"
		" created_at = excluded.created_at, updated_at = excluded.updated_at",
	[ST_ORDER] = "INSERT INTO orders (id, name, created_at, processed_at, updated_at,"
		" cancelled_at, test, total_minor, currency, presentment_total_minor,"
		" presentment_currency, customer_id, shipping_country, financial_status, shop_day)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
		" ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
		" created_at = excluded.created_at, processed_at = excluded.processed_at,"
		" updated_at = excluded.updated_at, cancelled_at = excluded.cancelled_at,"
		" test = excluded.test, total_minor = excluded.total_minor,"
		" currency = excluded.currency,"
		" presentment_total_minor = excluded.presentment_total_minor,"
		" presentment_currency = excluded.presentment_currency,"
		" customer_id = excluded.customer_id, shipping_country = excluded.shipping_country,"
		" financial_status = excluded.financial_status, shop_day = excluded.shop_day",
	[ST_DEL_LINES] = "DELETE FROM line_items WHERE order_id = ?1",
	[ST_DEL_REFUNDS] = "DELETE FROM refunds WHERE order_id = ?1",
	[ST_LINE] = "INSERT INTO line_items (id, order_id, product_id, title, quantity,"
		" price_minor, currency) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id,"
		" product_id = excluded.product_id, title = excluded.title,"
		" quantity = excluded.quantity, price_minor = excluded.price_minor,"
		" currency = excluded.currency",
	[ST_REFUND] = "INSERT INTO refunds (id, order_id, created_at, amount_minor, currency, note,"
		" shop_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id,"
		" created_at = excluded.created_at, amount_minor = excluded.amount_minor,"
		" currency = excluded.currency, note = excluded.note, shop_day = excluded.shop_day",
	[ST_REFUND_LINE] = "INSERT INTO refund_line_items (refund_id, line_item_id, product_id,"
		" quantity, subtotal_minor) VALUES (?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT (refund_id, line_item_id) DO UPDATE SET"
		" product_id = excluded.product_id, quantity = excluded.quantity,"
		" subtotal_minor = excluded.subtotal_minor",
	[ST_CHECKOUT] = "INSERT INTO abandoned_checkouts (id, created_at, updated_at, completed_at,"
		" total_minor, currency, customer_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at,"
		" updated_at = excluded.updated_at, completed_at = excluded.completed_at,"
		" total_minor = excluded.total_minor, currency = excluded.currency,"
		" customer_id = excluded.customer_id",
};

struct orders_writer {
	okdf_db *db;
	sqlite3_stmt *st[N_ST];
};

int orders_writer_open(okdf_db *db, orders_writer **out, okdf_err *e)
{
	orders_writer *w = calloc(1, sizeof *w);
	if (!w)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	w->db = db;
	for (int i = 0; i < N_ST; i++) {
		int rc = db_prepare(db, sql[i], &w->st[i], e);
		if (rc) {
			orders_writer_close(w);
			return rc;
		}
	}
	*out = w;
	return OKDF_OK;
}

void orders_writer_close(orders_writer *w)
{
	if (!w)
		return;
	for (int i = 0; i < N_ST; i++)
		sqlite3_finalize(w->st[i]);
	free(w);
}

static int run(orders_writer *w, int which, okdf_err *e, const char *what)
{
	sqlite3_stmt *st = w->st[which];
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (s != SQLITE_DONE)
		return db_error(w->db, e, what);
	return OKDF_OK;
}

int shop_put(orders_writer *w, const store_shop *s, okdf_err *e)
{
	sqlite3_stmt *st = w->st[ST_SHOP];
	db_bind_text(st, 1, s->shop_id);
	db_bind_text(st, 2, s->name);
	db_bind_text(st, 3, s->domain);
	db_bind_text(st, 4, s->currency);
	db_bind_text(st, 5, s->iana_timezone);
	sqlite3_bind_int64(st, 6, s->synced_at);
	return run(w, ST_SHOP, e, "writing shop");
}

int product_upsert(orders_writer *w, const store_product *p, okdf_err *e)
{
	sqlite3_stmt *st = w->st[ST_PRODUCT];
	db_bind_text(st, 1, p->id);
	db_bind_text(st, 2, p->title);
	db_bind_text(st, 3, p->status);
	sqlite3_bind_int64(st, 4, p->created_at);
	db_bind_opt_int64(st, 5, p->published_at, !p->has_published_at);
	sqlite3_bind_int64(st, 6, p->updated_at);
	sqlite3_bind_int(st, 7, p->has_description ? 1 : 0);
	db_bind_opt_int64(st, 8, p->min_price_minor, !p->has_min_price);
	db_bind_text(st, 9, p->currency);
	return run(w, ST_PRODUCT, e, "writing product");
}

int customer_upsert(orders_writer *w, const store_customer *c, okdf_err *e)
{
	sqlite3_stmt *st = w->st[ST_CUSTOMER];
	db_bind_text(st, 1, c->id);
	sqlite3_bind_int64(st, 2, c->orders_count);
	db_bind_opt_int64(st, 3, c->amount_spent_minor, !c->has_amount_spent);
	db_bind_text(st, 4, c->currency);
	sqlite3_bind_int64(st, 5, c->created_at);
	sqlite3_bind_int64(st, 6, c->updated_at);
	return run(w, ST_CUSTOMER, e, "writing customer");
}

int order_upsert(orders_writer *w, const store_order *o, okdf_err *e)
{
	sqlite3_stmt *st = w->st[ST_ORDER];
	db_bind_text(st, 1, o->id);
	db_bind_text(st, 2, o->name);
	sqlite3_bind_int64(st, 3, o->created_at);
	sqlite3_bind_int64(st, 4, o->processed_at);
	sqlite3_bind_int64(st, 5, o->updated_at);
	db_bind_opt_int64(st, 6, o->cancelled_at, !o->has_cancelled_at);
	sqlite3_bind_int(st, 7, o->test ? 1 : 0);
	sqlite3_bind_int64(st, 8, o->total_minor);
	db_bind_text(st, 9, o->currency);
	db_bind_opt_int64(st, 10, o->presentment_total_minor, !o->has_presentment_total);
	db_bind_text(st, 11, o->presentment_currency);
	db_bind_text(st, 12, o->customer_id);
	db_bind_text(st, 13, o->shipping_country);
	db_bind_text(st, 14, o->financial_status);
	db_bind_text(st, 15, o->shop_day);
	int rc = run(w, ST_ORDER, e, "writing order");
	if (rc)
		return rc;
	db_bind_text(w->st[ST_DEL_LINES], 1, o->id);
	rc = run(w, ST_DEL_LINES, e, "replacing line items");
	if (rc)
		return rc;
	db_bind_text(w->st[ST_DEL_REFUNDS], 1, o->id);
	return run(w, ST_DEL_REFUNDS, e, "replacing refunds");
}

int line_item_insert(orders_writer *w, const store_line_item *li, okdf_err *e)
{
	sqlite3_stmt *st = w->st[ST_LINE];
	db_bind_text(st, 1, li->id);
	db_bind_text(st, 2, li->order_id);
	db_bind_text(st, 3, li->product_id);
	db_bind_text(st, 4, li->title);
	sqlite3_bind_int64(st, 5, li->quantity);
	db_bind_opt_int64(st, 6, li->price_minor, !li->has_price);
	db_bind_text(st, 7, li->currency);
	return run(w, ST_LINE, e, "writing line item");
}

int refund_insert(orders_writer *w, const store_refund *r, okdf_err *e)
{
	sqlite3_stmt *st = w->st[ST_REFUND];
	db_bind_text(st, 1, r->id);
	db_bind_text(st, 2, r->order_id);
	sqlite3_bind_int64(st, 3, r->created_at);
	sqlite3_bind_int64(st, 4, r->amount_minor);
	db_bind_text(st, 5, r->currency);
	db_bind_text(st, 6, r->note);
	db_bind_text(st, 7, r->shop_day);
	return run(w, ST_REFUND, e, "writing refund");
}

int refund_line_item_insert(orders_writer *w, const store_refund_line_item *rl,
	okdf_err *e)
{
	sqlite3_stmt *st = w->st[ST_REFUND_LINE];
	db_bind_text(st, 1, rl->refund_id);
	db_bind_text(st, 2, rl->line_item_id);
	db_bind_text(st, 3, rl->product_id);
	sqlite3_bind_int64(st, 4, rl->quantity);
	db_bind_opt_int64(st, 5, rl->subtotal_minor, !rl->has_subtotal);
	return run(w, ST_REFUND_LINE, e, "writing refund line item");
}

int abandoned_checkout_upsert(orders_writer *w, const store_abandoned_checkout *a,
	okdf_err *e)
{
	sqlite3_stmt *st = w->st[ST_CHECKOUT];
	db_bind_text(st, 1, a->id);
	sqlite3_bind_int64(st, 2, a->created_at);
	sqlite3_bind_int64(st, 3, a->updated_at);
	db_bind_opt_int64(st, 4, a->completed_at, !a->has_completed_at);
	sqlite3_bind_int64(st, 5, a->total_minor);
	db_bind_text(st, 6, a->currency);
	db_bind_text(st, 7, a->customer_id);
	return run(w, ST_CHECKOUT, e, "writing abandoned checkout");
}

#include "shopify_nodes.h"

#include <inttypes.h>
#include <stdio.h>

#include "encode.h"

static void add_gid(cJSON *obj, const char *key, const char *type, int64_t id)
{
	char gid[80];
	snprintf(gid, sizeof gid, "gid://shopify/%s/%" PRId64, type, id);
	cJSON_AddStringToObject(obj, key, gid);
}

static void add_time(cJSON *obj, const char *key, int64_t t)
{
	char iso[SIM_ISO_LEN];
	if (!t) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	sim_time_iso_utc(t, iso);
	cJSON_AddStringToObject(obj, key, iso);
}

static cJSON *money(int64_t minor, int currency)
{
	char amount[SIM_MONEY_LEN];
	const struct sim_currency *c = &sim_currencies[currency];
	sim_money_shopify(minor, c->exponent, amount);
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "amount", amount);
	cJSON_AddStringToObject(m, "currencyCode", c->code);
	return m;
}

static void add_money_bag(cJSON *obj, const char *key, int64_t shop_minor, int64_t pres_minor,
			  int pres_currency)
{
	cJSON *bag = cJSON_AddObjectToObject(obj, key);
	cJSON_AddItemToObject(bag, "shopMoney", money(shop_minor, SIM_SHOP_CURRENCY));
	cJSON_AddItemToObject(bag, "presentmentMoney", money(pres_minor, pres_currency));
}

static void add_shop_bag(cJSON *obj, const char *key, int64_t minor)
{
	add_money_bag(obj, key, minor, minor, SIM_SHOP_CURRENCY);
}

static void add_ref(cJSON *obj, const char *key, const char *type, int64_t id)
{
	cJSON *ref = cJSON_AddObjectToObject(obj, key);
	add_gid(ref, "id", type, id);
}

static void add_page_info_done(cJSON *conn)
{
	cJSON *pi = cJSON_AddObjectToObject(conn, "pageInfo");
	cJSON_AddFalseToObject(pi, "hasNextPage");
	cJSON_AddNullToObject(pi, "endCursor");
}

static void add_line_ref(const struct sim_model *m, cJSON *obj, const struct sim_line *li)
{
	if (li->product >= 0)
		add_ref(obj, "product", "Product", m->products[li->product].id);
	else
		cJSON_AddNullToObject(obj, "product");
}

cJSON *sim_shopify_order_node(const struct sim_model *m, const struct sim_order *o)
{
	cJSON *n = cJSON_CreateObject();
	char name[16];
	add_gid(n, "id", "Order", o->id);
	snprintf(name, sizeof name, "#%d", o->number);
	cJSON_AddStringToObject(n, "name", name);
	add_time(n, "createdAt", o->created);
	add_time(n, "processedAt", o->processed);
	add_time(n, "updatedAt", o->updated);
	add_time(n, "cancelledAt", o->cancelled);
	cJSON_AddBoolToObject(n, "test", o->test);
	cJSON_AddStringToObject(n, "displayFinancialStatus", sim_order_financial_status(o));
	add_money_bag(n, "totalPriceSet", o->total_minor, o->presentment_minor, o->presentment);
	if (o->customer >= 0)
		add_ref(n, "customer", "Customer", m->customers[o->customer].id);
	else
		cJSON_AddNullToObject(n, "customer");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(n, "shippingAddress"), "countryCodeV2",
				o->country);
	cJSON *lines = cJSON_AddObjectToObject(n, "lineItems");
	cJSON *lnodes = cJSON_AddArrayToObject(lines, "nodes");
	for (int i = 0; i < o->n_lines; i++) {
		const struct sim_line *li = &o->lines[i];
		cJSON *l = cJSON_CreateObject();
		add_gid(l, "id", "LineItem", li->id);
		cJSON_AddStringToObject(l, "title", li->title);
		cJSON_AddNumberToObject(l, "quantity", li->quantity);
		add_line_ref(m, l, li);
		add_shop_bag(l, "originalUnitPriceSet", li->unit_minor);
		cJSON_AddItemToArray(lnodes, l);
	}
	add_page_info_done(lines);
	cJSON *refunds = cJSON_AddArrayToObject(n, "refunds");
	for (int r = 0; r < o->n_refunds; r++) {
		const struct sim_refund *rf = &o->refunds[r];
		cJSON *j = cJSON_CreateObject();
		add_gid(j, "id", "Refund", rf->id);
		add_time(j, "createdAt", rf->created);
		if (rf->note)
			cJSON_AddStringToObject(j, "note", rf->note);
		else
			cJSON_AddNullToObject(j, "note");
		add_shop_bag(j, "totalRefundedSet", rf->amount_minor);
		cJSON *rli = cJSON_AddObjectToObject(j, "refundLineItems");
		cJSON *rnodes = cJSON_AddArrayToObject(rli, "nodes");
		for (int i = 0; i < o->n_lines; i++) {
			if (!rf->line_qty[i])
				continue;
			cJSON *x = cJSON_CreateObject();
			cJSON *li = cJSON_AddObjectToObject(x, "lineItem");
			add_gid(li, "id", "LineItem", o->lines[i].id);
			add_line_ref(m, li, &o->lines[i]);
			cJSON_AddNumberToObject(x, "quantity", rf->line_qty[i]);
			add_shop_bag(x, "subtotalSet", rf->line_qty[i] * o->lines[i].unit_minor);
			cJSON_AddItemToArray(rnodes, x);
		}
		add_page_info_done(rli);
		cJSON_AddItemToArray(refunds, j);
	}
	return n;
}

cJSON *sim_shopify_product_node(const struct sim_model *m, uint32_t row)
{
	static const char *const status[] = {"ACTIVE", "DRAFT", "ARCHIVED"};
	const struct sim_product *p = &m->products[row];
	cJSON *n = cJSON_CreateObject();
	add_gid(n, "id", "Product", p->id);
	cJSON_AddStringToObject(n, "title", p->title);
	cJSON_AddStringToObject(n, "status", status[p->status]);
	add_time(n, "createdAt", p->created);
	add_time(n, "publishedAt", p->published);
	add_time(n, "updatedAt", p->updated);
	cJSON_AddStringToObject(n, "description", p->description);
	cJSON *range = cJSON_AddObjectToObject(n, "priceRangeV2");
	cJSON_AddItemToObject(range, "minVariantPrice", money(p->price_minor, SIM_SHOP_CURRENCY));
	cJSON_AddItemToObject(range, "maxVariantPrice", money(p->price_minor, SIM_SHOP_CURRENCY));
	return n;
}

cJSON *sim_shopify_customer_node(const struct sim_model *m, uint32_t row)
{
	const struct sim_customer *c = &m->customers[row];
	cJSON *n = cJSON_CreateObject();
	char count[24];
	add_gid(n, "id", "Customer", c->id);
	/* UnsignedInt64 is serialised as a string. */
	snprintf(count, sizeof count, "%" PRId64, c->orders);
	cJSON_AddStringToObject(n, "numberOfOrders", count);
	cJSON_AddItemToObject(n, "amountSpent", money(c->spent_minor, SIM_SHOP_CURRENCY));
	add_time(n, "createdAt", c->created);
	add_time(n, "updatedAt", c->updated);
	return n;
}

cJSON *sim_shopify_checkout_node(const struct sim_model *m, uint32_t row)
{
	const struct sim_checkout *c = &m->checkouts[row];
	cJSON *n = cJSON_CreateObject();
	char name[24];
	add_gid(n, "id", "AbandonedCheckout", c->id);
	snprintf(name, sizeof name, "#%" PRId64, c->id % 1000000);
	cJSON_AddStringToObject(n, "name", name);
	add_time(n, "createdAt", c->created);
	add_time(n, "updatedAt", c->updated);
	add_time(n, "completedAt", c->completed);
	add_shop_bag(n, "totalPriceSet", c->total_minor);
	if (c->customer >= 0)
		add_ref(n, "customer", "Customer", m->customers[c->customer].id);
	else
		cJSON_AddNullToObject(n, "customer");
	return n;
}

cJSON *sim_shopify_order_row_node(const struct sim_model *m, uint32_t row)
{
	return sim_shopify_order_node(m, &m->orders[row]);
}

cJSON *sim_shopify_shop_node(void)
{
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "id", "gid://shopify/Shop/68123456789");
	cJSON_AddStringToObject(n, "name", "Sim Shop");
	cJSON_AddStringToObject(n, "myshopifyDomain", "sim-shop.myshopify.com");
	cJSON_AddStringToObject(n, "currencyCode", sim_currencies[SIM_SHOP_CURRENCY].code);
	cJSON_AddStringToObject(n, "ianaTimezone", SIM_SHOP_TIMEZONE);
	return n;
}

/* Shopify node mapping: a product, customer, abandoned checkout or order
 * node (the order with its line items and refunds) becomes rows through the
 * orders writer, money in minor units and days in the shop's timezone. An
 * order whose line items or refunds a page cut short is completed first with
 * OrderDetail and the refund queries; a bulk JSONL child line is routed to
 * its order or refund. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/orders.h"
#include "graphql_docs.h"
#include "shopify_private.h"

static int money_of(const cJSON *money, const char *what, long long *minor, const char **cur,
	okdf_err *e)
{
	const char *code = json_str(money, "currencyCode");
	const cJSON *amount = json_path(money, "amount");
	if (!code || !amount)
		return okdf_err_set(e, OKDF_EINPUT, "%s: missing amount or currencyCode", what);
	*cur = code;
	int rc = json_money(amount, code, minor, e);
	return rc ? okdf_err_prefix(e, "%s", what) : OKDF_OK;
}

/* Most rows of a page fall on a few days: the last day's bounds are kept so
 * the timezone database is consulted once per day, not once per row. */
static int shop_day(struct shopify *sh, long long t, char *buf, size_t n, okdf_err *e)
{
	if (!(sh->day_tz[0] && strcmp(sh->day_tz, sh->tz) == 0 && t >= sh->day_start &&
		t < sh->day_end)) {
		okdf_date d;
		int rc = tz_date_of(sh->tz, t, &d, e);
		if (!rc)
			rc = tz_day_start(sh->tz, d, &sh->day_start, e);
		if (!rc)
			rc = tz_day_start(sh->tz, date_add_days(d, 1), &sh->day_end, e);
		if (rc) {
			sh->day_tz[0] = '\0';
			return rc;
		}
		date_format(d, sh->day, sizeof sh->day);
		snprintf(sh->day_tz, sizeof sh->day_tz, "%s", sh->tz);
	}
	snprintf(buf, n, "%s", sh->day);
	return OKDF_OK;
}

static void lower(char *dst, const char *src, size_t n)
{
	size_t i = 0;
	for (; src && src[i] && i + 1 < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static int need_time(const cJSON *node, const char *key, long long *t, okdf_err *e)
{
	return json_time(node, key, t, NULL, e);
}

int shopify_put_product(struct shopify *sh, const cJSON *n, okdf_err *e)
{
	store_product p = { 0 };
	char status[16];
	p.id = json_str(n, "id");
	p.title = json_str(n, "title");
	lower(status, json_str(n, "status"), sizeof status);
	p.status = status;
	if (!p.id || !p.title || !status[0])
		return okdf_err_set(e, OKDF_EINPUT, "product without id, title or status");
	int rc = need_time(n, "createdAt", &p.created_at, e);
	if (!rc)
		rc = need_time(n, "updatedAt", &p.updated_at, e);
	int null_pub = 1;
	if (!rc)
		rc = json_time(n, "publishedAt", &p.published_at, &null_pub, e);
	p.has_published_at = !null_pub;
	const char *desc = json_str(n, "description");
	p.has_description = desc && desc[0];
	const cJSON *min = json_path(n, "priceRangeV2.minVariantPrice");
	if (!rc && min && !cJSON_IsNull(min)) {
		rc = money_of(min, "minVariantPrice", &p.min_price_minor, &p.currency, e);
		p.has_min_price = 1;
	}
	if (!rc)
		rc = product_upsert(sh->w, &p, e);
	return rc ? okdf_err_prefix(e, "product %s", p.id) : OKDF_OK;
}

int shopify_put_customer(struct shopify *sh, const cJSON *n, okdf_err *e)
{
	store_customer cu = { 0 };
	cu.id = json_str(n, "id");
	if (!cu.id)
		return okdf_err_set(e, OKDF_EINPUT, "customer without id");
	int rc = json_int64(json_path(n, "numberOfOrders"), &cu.orders_count, e);
	if (!rc)
		rc = need_time(n, "createdAt", &cu.created_at, e);
	if (!rc)
		rc = need_time(n, "updatedAt", &cu.updated_at, e);
	const cJSON *spent = json_path(n, "amountSpent");
	if (!rc && spent && !cJSON_IsNull(spent)) {
		rc = money_of(spent, "amountSpent", &cu.amount_spent_minor, &cu.currency, e);
		cu.has_amount_spent = 1;
	}
	if (!rc)
		rc = customer_upsert(sh->w, &cu, e);
	return rc ? okdf_err_prefix(e, "customer %s", cu.id) : OKDF_OK;
}

int shopify_put_checkout(struct shopify *sh, const cJSON *n, okdf_err *e)
{
	store_abandoned_checkout a = { 0 };
	a.id = json_str(n, "id");
	if (!a.id)
		return okdf_err_set(e, OKDF_EINPUT, "abandoned checkout without id");
	int rc = need_time(n, "createdAt", &a.created_at, e);
	if (!rc)
		rc = need_time(n, "updatedAt", &a.updated_at, e);
	int null_done = 1;
	if (!rc)
		rc = json_time(n, "completedAt", &a.completed_at, &null_done, e);
	a.has_completed_at = !null_done;
	if (!rc)
		rc = money_of(json_path(n, "totalPriceSet.shopMoney"), "totalPriceSet", &a.total_minor,
			&a.currency, e);
	a.customer_id = json_str(n, "customer.id");
	if (!rc)
		rc = abandoned_checkout_upsert(sh->w, &a, e);
	return rc ? okdf_err_prefix(e, "abandoned checkout %s", a.id) : OKDF_OK;
}

/* One mapping from an order node to rows, shared by the paged path (a whole
 * order node at once) and the bulk path (the order line with its refunds
 * inline, then each line item and refund line as a line of its own). */

static int put_line(struct shopify *sh, const char *order_id, const cJSON *li, okdf_err *e)
{
	store_line_item l = { 0 };
	l.id = json_str(li, "id");
	l.order_id = order_id;
	l.title = json_str(li, "title");
	l.product_id = json_str(li, "product.id"); /* null for custom or deleted products */
	if (!l.id || !order_id)
		return okdf_err_set(e, OKDF_EINPUT, "line item without id or order");
	int rc = json_int64(json_path(li, "quantity"), &l.quantity, e);
	const cJSON *price = json_path(li, "originalUnitPriceSet.shopMoney");
	if (!rc && price) {
		rc = money_of(price, "originalUnitPriceSet", &l.price_minor, &l.currency, e);
		l.has_price = 1;
	}
	if (!rc)
		rc = line_item_insert(sh->w, &l, e);
	return rc ? okdf_err_prefix(e, "line item %s", l.id) : OKDF_OK;
}

static int put_refund_line(struct shopify *sh, const char *refund_id, const cJSON *rl,
	okdf_err *e)
{
	store_refund_line_item x = { 0 };
	const char *cur;
	x.refund_id = refund_id;
	x.line_item_id = json_str(rl, "lineItem.id");
	x.product_id = json_str(rl, "lineItem.product.id");
	if (!x.line_item_id || !refund_id)
		return okdf_err_set(e, OKDF_EINPUT, "refund line without lineItem.id or refund");
	int rc = json_int64(json_path(rl, "quantity"), &x.quantity, e);
	const cJSON *sub = json_path(rl, "subtotalSet.shopMoney");
	if (!rc && sub) {
		rc = money_of(sub, "subtotalSet", &x.subtotal_minor, &cur, e);
		x.has_subtotal = 1;
	}
	if (!rc)
		rc = refund_line_item_insert(sh->w, &x, e);
	return rc ? okdf_err_prefix(e, "refund %s", refund_id) : OKDF_OK;
}

/* Refund.createdAt is nullable: such a refund is kept, dated (and its shop
 * day cut) by the order's processedAt. */
static int put_refund(struct shopify *sh, const char *order_id, long long processed_at,
	const cJSON *rf, okdf_err *e)
{
	store_refund r = { 0 };
	char day[16];
	r.id = json_str(rf, "id");
	r.order_id = order_id;
	r.note = json_str(rf, "note");
	if (!r.id)
		return okdf_err_set(e, OKDF_EINPUT, "refund without id");
	int null_created;
	int rc = json_time(rf, "createdAt", &r.created_at, &null_created, e);
	if (!rc && null_created)
		r.created_at = processed_at;
	if (!rc)
		rc = money_of(json_path(rf, "totalRefundedSet.shopMoney"), "totalRefundedSet",
			&r.amount_minor, &r.currency, e);
	if (!rc)
		rc = shop_day(sh, r.created_at, day, sizeof day, e);
	r.shop_day = day;
	if (!rc)
		rc = refund_insert(sh->w, &r, e);
	return rc ? okdf_err_prefix(e, "refund %s", r.id) : OKDF_OK;
}

/* The order and its inline refunds; drops the line items and refunds stored
 * before, which the caller inserts again. */
static int put_order_head(struct shopify *sh, const cJSON *n, okdf_err *e)
{
	store_order o = { 0 };
	char day[16], status[32];
	o.id = json_str(n, "id");
	o.name = json_str(n, "name");
	if (!o.id)
		return okdf_err_set(e, OKDF_EINPUT, "order without id");
	int rc = need_time(n, "createdAt", &o.created_at, e);
	if (!rc)
		rc = need_time(n, "processedAt", &o.processed_at, e);
	if (!rc)
		rc = need_time(n, "updatedAt", &o.updated_at, e);
	int null_cancel = 1;
	if (!rc)
		rc = json_time(n, "cancelledAt", &o.cancelled_at, &null_cancel, e);
	o.has_cancelled_at = !null_cancel;
	o.test = cJSON_IsTrue(json_path(n, "test"));
	if (!rc)
		rc = money_of(json_path(n, "totalPriceSet.shopMoney"), "totalPriceSet.shopMoney",
			&o.total_minor, &o.currency, e);
	const cJSON *pm = json_path(n, "totalPriceSet.presentmentMoney");
	if (!rc && pm && !cJSON_IsNull(pm)) {
		rc = money_of(pm, "totalPriceSet.presentmentMoney", &o.presentment_total_minor,
			&o.presentment_currency, e);
		o.has_presentment_total = 1;
	}
	o.customer_id = json_str(n, "customer.id");
	o.shipping_country = json_str(n, "shippingAddress.countryCodeV2");
	lower(status, json_str(n, "displayFinancialStatus"), sizeof status);
	o.financial_status = status[0] ? status : NULL;
	if (!rc)
		rc = shop_day(sh, o.processed_at, day, sizeof day, e);
	o.shop_day = day;
	if (!rc)
		rc = order_upsert(sh->w, &o, e);
	const cJSON *rf;
	cJSON_ArrayForEach(rf, json_path(n, "refunds")) {
		if (!rc)
			rc = put_refund(sh, o.id, o.processed_at, rf, e);
	}
	return rc ? okdf_err_prefix(e, "order %s", o.id) : OKDF_OK;
}

int shopify_put_order(struct shopify *sh, const cJSON *n, okdf_err *e)
{
	int rc = put_order_head(sh, n, e);
	if (rc)
		return rc;
	const char *id = json_str(n, "id");
	const cJSON *x, *rf;
	cJSON_ArrayForEach(x, json_path(n, "lineItems.nodes")) {
		if (!rc)
			rc = put_line(sh, id, x, e);
	}
	cJSON_ArrayForEach(rf, json_path(n, "refunds")) {
		cJSON_ArrayForEach(x, json_path(rf, "refundLineItems.nodes")) {
			if (!rc)
				rc = put_refund_line(sh, json_str(rf, "id"), x, e);
		}
	}
	return rc ? okdf_err_prefix(e, "order %s", id ? id : "?") : OKDF_OK;
}

/* Refunds the Orders and OrderDetail documents ask for (refunds(first: N)):
 * a full list may be cut short. */
#define PAGE_REFUNDS 2
#define DETAIL_REFUNDS 8

static int refunds_cut(const cJSON *refunds, int limit)
{
	const cJSON *rf;
	cJSON_ArrayForEach(rf, refunds) {
		if (cJSON_IsTrue(json_path(rf, "refundLineItems.pageInfo.hasNextPage")))
			return 1;
	}
	return cJSON_GetArraySize(refunds) >= limit;
}

/* Every line of one refund, page by page, into lines. */
static int refund_lines(struct shopify *sh, const char *refund_id, cJSON *lines, okdf_err *e)
{
	char *after = NULL;
	int rc = OKDF_OK;
	for (int more = 1; !rc && more;) {
		cJSON *vars = cJSON_CreateObject();
		if (!vars || !cJSON_AddStringToObject(vars, "id", refund_id) ||
			(after && !cJSON_AddStringToObject(vars, "after", after))) {
			cJSON_Delete(vars);
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			break;
		}
		http_response resp;
		rc = shopify_graphql(sh, graphql_refund_lines, vars, 502, &resp, e);
		if (rc)
			break;
		cJSON *conn = (cJSON *)json_path(resp.json, "data.refund.refundLineItems");
		cJSON *nodes = cJSON_GetObjectItemCaseSensitive(conn, "nodes"), *x;
		if (!cJSON_IsArray(nodes)) {
			http_response_free(&resp);
			rc = okdf_err_set(e, OKDF_EINPUT, "refund %s: no refundLineItems", refund_id);
			break;
		}
		while ((x = cJSON_DetachItemFromArray(nodes, 0)))
			cJSON_AddItemToArray(lines, x);
		more = cJSON_IsTrue(json_path(conn, "pageInfo.hasNextPage"));
		free(after);
		after = NULL;
		const char *end = json_str(conn, "pageInfo.endCursor");
		if (more && !(end && (after = strdup(end))))
			rc = okdf_err_set(e, OKDF_EINPUT, "refund %s: lines without endCursor", refund_id);
		http_response_free(&resp);
	}
	free(after);
	return rc;
}

/* An order with more refunds, or refund lines, than OrderDetail holds:
 * every refund (up to Shopify's 250), each with all its lines. */
static int complete_refunds(struct shopify *sh, const char *order_id, cJSON **refunds,
	okdf_err *e)
{
	cJSON *vars = cJSON_CreateObject();
	if (!vars || !cJSON_AddStringToObject(vars, "id", order_id)) {
		cJSON_Delete(vars);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	http_response resp;
	int rc = shopify_graphql(sh, graphql_order_refunds, vars, 752, &resp, e);
	if (rc)
		return rc;
	cJSON *all = cJSON_DetachItemFromObjectCaseSensitive(
		(cJSON *)json_path(resp.json, "data.order"), "refunds");
	http_response_free(&resp);
	if (!cJSON_IsArray(all)) {
		cJSON_Delete(all);
		return okdf_err_set(e, OKDF_EINPUT, "order %s: no refunds", order_id);
	}
	if (cJSON_GetArraySize(all) >= 250) {
		cJSON_Delete(all);
		return okdf_err_set(e, OKDF_EINPUT,
			"order %s: 250 refunds or more, more than Shopify lists; not synced partially",
			order_id);
	}
	cJSON *rf;
	cJSON_ArrayForEach(rf, all) {
		const char *rid = json_str(rf, "id");
		cJSON *lines = cJSON_CreateArray();
		cJSON *wrap = cJSON_AddObjectToObject(rf, "refundLineItems");
		if (!lines || !wrap || !rid) {
			cJSON_Delete(lines);
			rc = rid ? okdf_err_set(e, OKDF_ENOMEM, "out of memory")
				: okdf_err_set(e, OKDF_EINPUT, "refund without id");
			break;
		}
		cJSON_AddItemToObject(wrap, "nodes", lines);
		rc = refund_lines(sh, rid, lines, e);
		if (rc)
			break;
	}
	if (rc) {
		cJSON_Delete(all);
		return rc;
	}
	cJSON_Delete(*refunds);
	*refunds = all;
	return OKDF_OK;
}

/* An order whose nested lists an Orders page cut short gets them whole from
 * OrderDetail, spliced into node before anything is written. */
int shopify_complete_order(struct shopify *sh, cJSON *node, okdf_err *e)
{
	if (!cJSON_IsTrue(json_path(node, "lineItems.pageInfo.hasNextPage")) &&
		!refunds_cut(json_path(node, "refunds"), PAGE_REFUNDS))
		return OKDF_OK;
	const char *id = json_str(node, "id");
	cJSON *lines = cJSON_CreateArray(), *refunds = NULL;
	char *after = NULL;
	int rc = lines ? OKDF_OK : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	for (int more = 1; !rc && more;) {
		cJSON *vars = cJSON_CreateObject();
		if (!vars || !cJSON_AddStringToObject(vars, "id", id ? id : "") ||
			(after && !cJSON_AddStringToObject(vars, "after", after))) {
			cJSON_Delete(vars);
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			break;
		}
		http_response resp;
		rc = shopify_graphql(sh, graphql_order_detail, vars, sh->detail_cost, &resp, e);
		if (rc)
			break;
		const cJSON *req = json_path(resp.json, "extensions.cost.requestedQueryCost");
		if (cJSON_IsNumber(req))
			sh->detail_cost = req->valuedouble;
		cJSON *order = (cJSON *)json_path(resp.json, "data.order");
		cJSON *li = (cJSON *)json_path(order, "lineItems.nodes"), *x;
		if (!cJSON_IsArray(li)) {
			http_response_free(&resp);
			rc = okdf_err_set(e, OKDF_EINPUT, "order %s: no detail", id ? id : "?");
			break;
		}
		while ((x = cJSON_DetachItemFromArray(li, 0)))
			cJSON_AddItemToArray(lines, x);
		if (!refunds)
			refunds = cJSON_DetachItemFromObjectCaseSensitive(order, "refunds");
		more = cJSON_IsTrue(json_path(order, "lineItems.pageInfo.hasNextPage"));
		free(after);
		after = NULL;
		const char *end = json_str(order, "lineItems.pageInfo.endCursor");
		if (more && !(end && (after = strdup(end))))
			rc = okdf_err_set(e, OKDF_EINPUT, "order %s: line items without endCursor",
				id ? id : "?");
		http_response_free(&resp);
	}
	free(after);
	if (!rc && refunds_cut(refunds, DETAIL_REFUNDS))
		rc = complete_refunds(sh, id ? id : "", &refunds, e);
	if (rc) {
		cJSON_Delete(lines);
		cJSON_Delete(refunds);
		return rc;
	}
	cJSON *wrap = cJSON_CreateObject();
	cJSON_AddItemToObject(wrap, "nodes", lines);
	cJSON_ReplaceItemInObjectCaseSensitive(node, "lineItems", wrap);
	cJSON_ReplaceItemInObjectCaseSensitive(node, "refunds", refunds ? refunds : cJSON_CreateArray());
	return OKDF_OK;
}


/* Where a line with __parentId goes: line items name their order, refund
 * lines their refund. */
int shopify_order_child(struct shopify *sh, const char *parent, const cJSON *node, okdf_err *e)
{
	if (strncmp(parent, "gid://shopify/Order/", 20) == 0)
		return put_line(sh, parent, node, e);
	if (strncmp(parent, "gid://shopify/Refund/", 21) == 0)
		return put_refund_line(sh, parent, node, e);
	return okdf_err_set(e, OKDF_EINPUT, "bulk line with an unexpected parent %.80s", parent);
}

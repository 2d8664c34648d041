/* Shopify Admin GraphQL: shop, products, customers, orders (with line items
 * and refunds), abandoned checkouts. Each resource is read in UPDATED_AT (or
 * ID) order filtered by `updated_at:>=` the newest updatedAt of the last full
 * pass; the cursor (filter bound, page cursor, newest seen) is written in
 * the transaction that writes the pages it covers (a few pages are batched
 * into one). Requests are paced from extensions.cost so the bucket covers the
 * next query before it is sent. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/db.h"
#include "okdf/store/orders.h"
#include "okdf/store/sync_state.h"
#include "okdf/sync/shopify.h"
#include "graphql_docs.h"

#define MAX_QUERY_COST 1000.0 /* Shopify refuses single queries above this */

struct shopify;

struct resource {
	const char *name;     /* sync_state.resource */
	const char *doc;
	const char *root;     /* the connection under data */
	int first;            /* initial page size, then learnt from the cost */
	int id_order;         /* sorted by ID, not UPDATED_AT (see sync_resource) */
	int (*store)(struct shopify *sh, const cJSON *node, okdf_err *e);
	/* Network work a node needs before the page's transaction; may be NULL. */
	int (*complete)(struct shopify *sh, cJSON *node, okdf_err *e);
};

struct shopify {
	sync_ctx *c;
	char url[512];
	char token_header[600];
	const char *headers[4];
	store_orders_writer *w;
	char tz[64];
	/* The cost bucket as last reported, and when. */
	int have_bucket;
	double available, maximum, restore_rate, bucket_at;
	double last_requested; /* requestedQueryCost of the last answer */
	int page_first[8];     /* learnt page size per resource */
	double detail_cost;    /* requestedQueryCost of OrderDetail */
	char day[16], day_tz[64]; /* the shop day [day_start, day_end) last computed */
	long long day_start, day_end;
	char body[8192];          /* the request body, printed in place */
};

static void update_bucket(struct shopify *sh, const cJSON *root)
{
	const cJSON *cost = json_path(root, "extensions.cost");
	const cJSON *ts = json_path(cost, "throttleStatus");
	const cJSON *avail = json_path(ts, "currentlyAvailable");
	const cJSON *max = json_path(ts, "maximumAvailable");
	const cJSON *rate = json_path(ts, "restoreRate");
	const cJSON *req = json_path(cost, "requestedQueryCost");
	if (cJSON_IsNumber(req))
		sh->last_requested = req->valuedouble;
	if (!cJSON_IsNumber(avail) || !cJSON_IsNumber(max) || !cJSON_IsNumber(rate) ||
		rate->valuedouble <= 0)
		return;
	sh->have_bucket = 1;
	sh->available = avail->valuedouble;
	sh->maximum = max->valuedouble;
	sh->restore_rate = rate->valuedouble;
	sh->bucket_at = http_monotonic();
}

static int is_throttled_body(const cJSON *root)
{
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(root, "errors");
	const cJSON *it;
	cJSON_ArrayForEach(it, errs) {
		const char *code = json_str(it, "extensions.code");
		if (code && strcmp(code, "THROTTLED") == 0)
			return 1;
	}
	return 0;
}

static http_verdict classify(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	struct shopify *sh = arg;
	*wait_s = http_retry_after(r);
	if (r->json)
		update_bucket(sh, r->json);
	/* A retired version falls forward to the oldest supported one: say so. */
	const char *served = http_header_get(r, "X-Shopify-API-Version");
	if (served && strcmp(served, sh->c->conf->api_version) != 0)
		snprintf(sh->c->note, sizeof sh->c->note,
			"Shopify served API version %s, not the configured %s", served,
			sh->c->conf->api_version);
	if (r->status == 401 || r->status == 403) {
		const char *msg = json_str(r->json, "errors");
		snprintf(why, why_n, "HTTP %ld%s%s", r->status, msg ? ": " : "", msg ? msg : "");
		return HTTP_AUTH;
	}
	if (r->status == 429 || (r->json && is_throttled_body(r->json))) {
		snprintf(why, why_n, "THROTTLED");
		if (*wait_s < 0 && sh->have_bucket) {
			double need = sh->last_requested > 0 ? sh->last_requested : sh->maximum / 2;
			*wait_s = (need - sh->available) / sh->restore_rate;
			if (*wait_s < 0.1)
				*wait_s = 0.1;
		}
		return HTTP_THROTTLED;
	}
	if (r->status >= 500) {
		snprintf(why, why_n, "HTTP %ld", r->status);
		return HTTP_RETRY;
	}
	if (r->status != 200) {
		const char *msg = json_str(r->json, "errors");
		snprintf(why, why_n, "HTTP %ld%s%s", r->status, msg ? ": " : "", msg ? msg : "");
		return HTTP_FAIL;
	}
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(r->json, "errors");
	if (cJSON_GetArraySize(errs) > 0) {
		const char *msg = json_str(cJSON_GetArrayItem(errs, 0), "message");
		snprintf(why, why_n, "GraphQL error: %s", msg ? msg : "(no message)");
		return HTTP_FAIL;
	}
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r->json, "data"))) {
		snprintf(why, why_n, "answer without data");
		return HTTP_FAIL;
	}
	return HTTP_DONE;
}

/* Waits until the bucket, restored since it was last reported, covers cost. */
static int pace(struct shopify *sh, double cost)
{
	if (!sh->have_bucket)
		return OKDF_OK;
	if (cost > sh->maximum)
		cost = sh->maximum;
	double now = http_monotonic();
	double avail = sh->available + (now - sh->bucket_at) * sh->restore_rate;
	if (avail > sh->maximum)
		avail = sh->maximum;
	if (avail >= cost)
		return OKDF_OK;
	return http_sleep(sh->c->http, (cost - avail) / sh->restore_rate) ? OKDF_ENET : OKDF_OK;
}

static int graphql(struct shopify *sh, const char *doc, cJSON *vars, double expected_cost,
	http_response *resp, okdf_err *e)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "query", doc)) {
		cJSON_Delete(body);
		cJSON_Delete(vars);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	if (vars)
		cJSON_AddItemToObject(body, "variables", vars);
	/* Printed into a buffer kept across requests (a fresh one per page made
	 * the allocator consolidate); a body too big for it gets its own. */
	char *text = sh->body;
	if (!cJSON_PrintPreallocated(body, sh->body, (int)sizeof sh->body, 0))
		text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (!text)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	if (pace(sh, expected_cost)) {
		if (text != sh->body)
			free(text);
		return okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
	}
	http_request req = {
		.method = "POST",
		.url = sh->url,
		.headers = sh->headers,
		.body = text,
		.want_json = 1,
		.classify = classify,
		.classify_arg = sh,
	};
	int rc = http_call(sh->c->http, &req, resp, e);
	if (text != sh->body)
		free(text);
	return rc;
}

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

static int put_product(struct shopify *sh, const cJSON *n, okdf_err *e)
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
		rc = store_upsert_product(sh->w, &p, e);
	return rc ? okdf_err_prefix(e, "product %s", p.id) : OKDF_OK;
}

static int put_customer(struct shopify *sh, const cJSON *n, okdf_err *e)
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
		rc = store_upsert_customer(sh->w, &cu, e);
	return rc ? okdf_err_prefix(e, "customer %s", cu.id) : OKDF_OK;
}

static int put_checkout(struct shopify *sh, const cJSON *n, okdf_err *e)
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
		rc = store_upsert_abandoned_checkout(sh->w, &a, e);
	return rc ? okdf_err_prefix(e, "abandoned checkout %s", a.id) : OKDF_OK;
}

static int store_order_lines(struct shopify *sh, const char *order_id, const cJSON *n, okdf_err *e)
{
	const cJSON *li;
	cJSON_ArrayForEach(li, json_path(n, "lineItems.nodes")) {
		store_line_item l = { 0 };
		l.id = json_str(li, "id");
		l.order_id = order_id;
		l.title = json_str(li, "title");
		l.product_id = json_str(li, "product.id"); /* null for custom or deleted products */
		if (!l.id)
			return okdf_err_set(e, OKDF_EINPUT, "line item without id");
		int rc = json_int64(json_path(li, "quantity"), &l.quantity, e);
		const cJSON *price = json_path(li, "originalUnitPriceSet.shopMoney");
		if (!rc && price) {
			rc = money_of(price, "originalUnitPriceSet", &l.price_minor, &l.currency, e);
			l.has_price = 1;
		}
		if (!rc)
			rc = store_insert_line_item(sh->w, &l, e);
		if (rc)
			return okdf_err_prefix(e, "line item %s", l.id);
	}
	return OKDF_OK;
}

static int store_order_refunds(struct shopify *sh, const char *order_id, const cJSON *n,
	okdf_err *e)
{
	const cJSON *refunds = json_path(n, "refunds"), *rf;
	cJSON_ArrayForEach(rf, refunds) {
		store_refund r = { 0 };
		char day[16];
		r.id = json_str(rf, "id");
		r.order_id = order_id;
		r.note = json_str(rf, "note");
		if (!r.id)
			return okdf_err_set(e, OKDF_EINPUT, "refund without id");
		int rc = need_time(rf, "createdAt", &r.created_at, e);
		if (!rc)
			rc = money_of(json_path(rf, "totalRefundedSet.shopMoney"), "totalRefundedSet",
				&r.amount_minor, &r.currency, e);
		if (!rc)
			rc = shop_day(sh, r.created_at, day, sizeof day, e);
		r.shop_day = day;
		if (!rc)
			rc = store_insert_refund(sh->w, &r, e);
		const cJSON *rl;
		cJSON_ArrayForEach(rl, json_path(rf, "refundLineItems.nodes")) {
			if (rc)
				break;
			store_refund_line_item x = { 0 };
			const char *cur;
			x.refund_id = r.id;
			x.line_item_id = json_str(rl, "lineItem.id");
			x.product_id = json_str(rl, "lineItem.product.id");
			if (!x.line_item_id)
				rc = okdf_err_set(e, OKDF_EINPUT, "refund line without lineItem.id");
			if (!rc)
				rc = json_int64(json_path(rl, "quantity"), &x.quantity, e);
			const cJSON *sub = json_path(rl, "subtotalSet.shopMoney");
			if (!rc && sub) {
				rc = money_of(sub, "subtotalSet", &x.subtotal_minor, &cur, e);
				x.has_subtotal = 1;
			}
			if (!rc)
				rc = store_insert_refund_line_item(sh->w, &x, e);
		}
		if (rc)
			return okdf_err_prefix(e, "refund %s", r.id);
	}
	return OKDF_OK;
}

static int put_order(struct shopify *sh, const cJSON *n, okdf_err *e)
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
		rc = store_upsert_order(sh->w, &o, e);
	if (!rc)
		rc = store_order_lines(sh, o.id, n, e);
	if (!rc)
		rc = store_order_refunds(sh, o.id, n, e);
	return rc ? okdf_err_prefix(e, "order %s", o.id) : OKDF_OK;
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

/* An order whose nested lists an Orders page cut short gets them whole from
 * OrderDetail, spliced into node before anything is written. */
static int complete_order(struct shopify *sh, cJSON *node, okdf_err *e)
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
		rc = graphql(sh, graphql_order_detail, vars, sh->detail_cost, &resp, e);
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
		rc = okdf_err_set(e, OKDF_EINPUT,
			"order %s: more than %d refunds or 20 lines in one refund; not synced partially",
			id ? id : "?", DETAIL_REFUNDS - 1);
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

/* The resource cursor: {"since": epoch or absent, "after": page cursor or
 * absent, "max": newest updatedAt seen in the running pass, "start": the
 * server's clock when an ID-ordered pass began}. */
struct cursor {
	long long since, max, start;
	int has_since, has_max, has_start;
	char *after;
};

static void cursor_load(const char *text, struct cursor *cu)
{
	memset(cu, 0, sizeof *cu);
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	okdf_err ignore;
	cu->has_since = json_int64(json_path(j, "since"), &cu->since, &ignore) == OKDF_OK;
	cu->has_max = json_int64(json_path(j, "max"), &cu->max, &ignore) == OKDF_OK;
	cu->has_start = json_int64(json_path(j, "start"), &cu->start, &ignore) == OKDF_OK;
	const char *after = json_str(j, "after");
	cu->after = after ? strdup(after) : NULL;
	cJSON_Delete(j);
}

static char *cursor_text(const struct cursor *cu)
{
	cJSON *j = cJSON_CreateObject();
	char num[32];
	if (!j)
		return NULL;
	/* Epochs as strings: exact whatever cJSON does with numbers. */
	if (cu->has_since) {
		snprintf(num, sizeof num, "%lld", cu->since);
		cJSON_AddStringToObject(j, "since", num);
	}
	if (cu->after)
		cJSON_AddStringToObject(j, "after", cu->after);
	if (cu->has_max) {
		snprintf(num, sizeof num, "%lld", cu->max);
		cJSON_AddStringToObject(j, "max", num);
	}
	if (cu->has_start) {
		snprintf(num, sizeof num, "%lld", cu->start);
		cJSON_AddStringToObject(j, "start", num);
	}
	char *text = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return text;
}

/* Pages fetched but not yet written: flushed together with the cursor that
 * follows the last of them, so one transaction covers several pages. */
#define BATCH_NODES 500
#define BATCH_SECONDS 1.0
#define BATCH_PAGES 64

struct batch {
	http_response pages[BATCH_PAGES];
	cJSON *nodes[BATCH_PAGES];
	int n;
	long nodes_total;
	double started;
};

static void batch_free(struct batch *b)
{
	for (int i = 0; i < b->n; i++)
		http_response_free(&b->pages[i]);
	b->n = 0;
	b->nodes_total = 0;
}

static int batch_flush(struct shopify *sh, const struct resource *res, struct batch *b,
	const struct cursor *cu, okdf_err *e)
{
	sync_ctx *c = sh->c;
	char *text = cursor_text(cu);
	if (!text) {
		batch_free(b);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	int rc = db_begin(c->db, e);
	for (int i = 0; !rc && i < b->n; i++) {
		const cJSON *n;
		cJSON_ArrayForEach(n, b->nodes[i]) {
			if (!rc)
				rc = res->store(sh, n, e);
			c->rows++;
		}
	}
	if (!rc)
		rc = store_sync_cursor_put(c->db, c->name, res->name, text, c->now, e);
	if (!rc)
		rc = db_commit(c->db, e);
	else
		db_rollback(c->db);
	free(text);
	batch_free(b);
	if (!rc)
		sync_ctx_committed(c);
	return rc;
}

static int sync_resource(struct shopify *sh, int idx, const struct resource *res, okdf_err *e)
{
	sync_ctx *c = sh->c;
	char *saved;
	int rc = store_sync_cursor_get(c->db, c->name, res->name, &saved, e);
	if (rc)
		return rc;
	struct cursor cu;
	cursor_load(saved, &cu);
	free(saved);
	if (!sh->page_first[idx])
		sh->page_first[idx] = res->first;
	double per_node = 0;
	struct batch *b = calloc(1, sizeof *b);
	if (!b) {
		free(cu.after);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	for (int last = 0; !last;) {
		int first = sh->page_first[idx];
		cJSON *vars = cJSON_CreateObject();
		if (!vars) {
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			break;
		}
		cJSON_AddNumberToObject(vars, "first", first);
		if (cu.after)
			cJSON_AddStringToObject(vars, "after", cu.after);
		if (cu.has_since) {
			char iso[32], q[64];
			time_format_utc(cu.since, iso, sizeof iso);
			snprintf(q, sizeof q, "updated_at:>='%s'", iso);
			cJSON_AddStringToObject(vars, "query", q);
		}
		double expected = per_node > 0 ? 2 + per_node * first : sh->last_requested;
		http_response resp;
		rc = graphql(sh, res->doc, vars, expected, &resp, e);
		if (rc)
			break;
		char path[64];
		snprintf(path, sizeof path, "data.%s", res->root);
		const cJSON *conn = json_path(resp.json, path);
		cJSON *nodes = (cJSON *)json_path(conn, "nodes");
		const cJSON *more = json_path(conn, "pageInfo.hasNextPage");
		const char *end = json_str(conn, "pageInfo.endCursor");
		if (!cJSON_IsArray(nodes) || !cJSON_IsBool(more) || (cJSON_IsTrue(more) && !end)) {
			http_response_free(&resp);
			rc = okdf_err_set(e, OKDF_EINPUT, "answer without nodes or pageInfo");
			break;
		}
		/* Learn the cost of one node from what Shopify asked for this page. */
		const cJSON *req = json_path(resp.json, "extensions.cost.requestedQueryCost");
		if (cJSON_IsNumber(req) && first > 0)
			per_node = (req->valuedouble - 2) / first;
		cJSON *n;
		cJSON_ArrayForEach(n, nodes) {
			long long updated;
			int null_u;
			if (!rc && res->complete)
				rc = res->complete(sh, n, e);
			if (!rc && json_time(n, "updatedAt", &updated, &null_u, e) == OKDF_OK && !null_u &&
				(!cu.has_max || updated > cu.max)) {
				cu.max = updated;
				cu.has_max = 1;
			}
		}
		if (rc) {
			http_response_free(&resp);
			break;
		}
		/* In ID order a row updated during the pass may sit behind the page
		 * cursor already; the next pass must start no later than this one
		 * began, by the server's clock. */
		if (res->id_order && !cu.after && !cu.has_start)
			cu.has_start = http_date(&resp, &cu.start) == OKDF_OK;
		last = !cJSON_IsTrue(more);
		free(cu.after);
		cu.after = last ? NULL : strdup(end);
		if (!last && !cu.after) {
			http_response_free(&resp);
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			break;
		}
		if (last && cu.has_max) {
			/* Next pass: from the newest row seen (>=, so ties are re-read, not lost). */
			cu.since = cu.has_start && cu.start < cu.max ? cu.start : cu.max;
			cu.has_since = 1;
		}
		if (last)
			cu.has_start = 0;
		if (b->n == 0)
			b->started = http_monotonic();
		b->pages[b->n] = resp;
		b->nodes[b->n++] = nodes;
		b->nodes_total += cJSON_GetArraySize(nodes);
		if (last || b->n == BATCH_PAGES || b->nodes_total >= BATCH_NODES ||
			http_monotonic() - b->started >= BATCH_SECONDS) {
			rc = batch_flush(sh, res, b, &cu, e);
			if (rc)
				break;
		}
		if (per_node > 0) {
			double budget = MAX_QUERY_COST;
			if (sh->have_bucket && sh->maximum / 2 < budget)
				budget = sh->maximum / 2;
			int f = (int)((budget - 2) / per_node);
			sh->page_first[idx] = f < 1 ? 1 : f > 250 ? 250 : f;
		}
	}
	if (b->n) {
		/* What was fetched before the failure is whole pages: keep it. */
		okdf_err ignore;
		if (batch_flush(sh, res, b, &cu, &ignore) != OKDF_OK && !rc)
			rc = okdf_err_set(e, ignore.code, "%s", ignore.msg);
	}
	free(b);
	free(cu.after);
	return rc ? okdf_err_prefix(e, "%s", res->name) : OKDF_OK;
}

static int sync_shop(struct shopify *sh, okdf_err *e)
{
	http_response resp;
	int rc = graphql(sh, graphql_shop, NULL, 2, &resp, e);
	if (rc)
		return okdf_err_prefix(e, "shop");
	const cJSON *shop = json_path(resp.json, "data.shop");
	store_shop s = {
		.shop_id = json_str(shop, "id"),
		.name = json_str(shop, "name"),
		.domain = json_str(shop, "myshopifyDomain"),
		.currency = json_str(shop, "currencyCode"),
		.iana_timezone = json_str(shop, "ianaTimezone"),
		.synced_at = sh->c->now,
	};
	if (!s.currency || !s.iana_timezone) {
		rc = okdf_err_set(e, OKDF_EINPUT, "shop: no currencyCode or ianaTimezone");
	} else if (!tz_valid(s.iana_timezone)) {
		rc = okdf_err_set(e, OKDF_EINPUT, "shop: unknown timezone \"%s\"", s.iana_timezone);
	} else {
		snprintf(sh->tz, sizeof sh->tz, "%s", s.iana_timezone);
		rc = db_begin(sh->c->db, e);
		if (!rc)
			rc = store_put_shop(sh->w, &s, e);
		if (!rc)
			rc = db_commit(sh->c->db, e);
		else
			db_rollback(sh->c->db);
		if (!rc) {
			sh->c->rows++;
			sync_ctx_committed(sh->c);
		}
	}
	http_response_free(&resp);
	return rc;
}

static const struct resource resources[] = {
	{ "products", graphql_products, "products", 100, 0, put_product, NULL },
	{ "customers", graphql_customers, "customers", 100, 0, put_customer, NULL },
	{ "orders", graphql_orders, "orders", 5, 0, put_order, complete_order },
	{ "abandoned_checkouts", graphql_abandoned_checkouts, "abandonedCheckouts", 100, 1,
		put_checkout, NULL },
};

int shopify_sync(sync_ctx *c, okdf_err *e)
{
	const okdf_connector_config *conf = c->conf;
	if (!conf->account[0] && !conf->base_url[0])
		return okdf_err_set(e, OKDF_EINPUT, "[shopify] shop is not set");
	if (!conf->secret[0])
		return okdf_err_set(e, OKDF_EINPUT,
			"no access token: set [shopify] access_token or OKDF_SHOPIFY_ACCESS_TOKEN");
	struct shopify *sh = c->state;
	if (!sh) {
		sh = calloc(1, sizeof *sh);
		if (!sh)
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		sh->detail_cost = MAX_QUERY_COST;
		c->state = sh;
	}
	sh->c = c;
	char origin[300], path[128];
	const char *shop = conf->account[0] ? conf->account : "shop";
	/* A bare shop name means <shop>.myshopify.com; a full domain is used as given. */
	snprintf(origin, sizeof origin, strchr(shop, '.') ? "https://%s" : "https://%s.myshopify.com",
		shop);
	snprintf(path, sizeof path, "/admin/api/%s/graphql.json", conf->api_version);
	int rc = sync_url(c, origin, path, sh->url, sizeof sh->url, e);
	if (rc)
		return rc;
	snprintf(sh->token_header, sizeof sh->token_header, "X-Shopify-Access-Token: %s",
		conf->secret);
	sh->headers[0] = sh->token_header;
	sh->headers[1] = "Content-Type: application/json";
	sh->headers[2] = "Accept: application/json";
	sh->headers[3] = NULL;
	rc = store_orders_writer_open(c->db, &sh->w, e);
	if (rc)
		return rc;
	rc = sync_shop(sh, e);
	for (size_t i = 0; !rc && i < sizeof resources / sizeof resources[0]; i++)
		rc = sync_resource(sh, (int)i, &resources[i], e);
	store_orders_writer_close(sh->w);
	sh->w = NULL;
	return rc;
}

int shopify_store_order(sqlite3 *db, const char *tz, const cJSON *node, okdf_err *e)
{
	struct shopify sh = { 0 };
	snprintf(sh.tz, sizeof sh.tz, "%s", tz);
	int rc = store_orders_writer_open(db, &sh.w, e);
	if (rc)
		return rc;
	rc = put_order(&sh, node, e);
	store_orders_writer_close(sh.w);
	return rc;
}

void shopify_free(sync_ctx *c)
{
	free(c->state);
	c->state = NULL;
}

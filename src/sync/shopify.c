/* Shopify Admin GraphQL: shop, products, customers, orders (with line items
 * and refunds), abandoned checkouts. Each resource is read in UPDATED_AT (or
 * ID) order filtered by `updated_at:>=` the newest updatedAt of the last full
 * pass; the cursor (filter bound, page cursor, newest seen) is written in
 * the transaction that writes the pages it covers (a few pages are batched
 * into one). Requests are paced from extensions.cost so the bucket covers the
 * next query before it is sent. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/db.h"
#include "okdf/store/orders.h"
#include "okdf/store/sync_state.h"
#include "okdf/sync/shopify.h"
#include "graphql_docs.h"

#define MAX_QUERY_COST 1000.0 /* Shopify refuses single queries above this */
#define GRANT_CAUSE_MAX 256     /* a refused grant's OAuth error and description */

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
	/* The bulk query for a backfill (NULL: always paged), and where a JSONL
	 * child line (one with __parentId) goes; NULL when there are none. */
	const char *bulk_doc;
	int (*bulk_child)(struct shopify *sh, const char *parent, const cJSON *node, okdf_err *e);
};

struct shopify {
	sync_ctx *c;
	char url[512];
	/* Client credentials (Dev Dashboard apps): the token is kept here, in
	 * memory only, and asked for again before it expires. */
	int grant;
	char grant_url[512];
	char token[512];
	double token_renew_at; /* monotonic; 0 = only when refused */
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

/* YYYY-MM or "unstable": all a version header may put in a message. */
static int is_version(const char *v)
{
	if (strcmp(v, "unstable") == 0)
		return 1;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? v[i] != '-' : !isdigit((unsigned char)v[i]))
			return 0;
	return v[7] == '\0';
}

/* Copies the [A-Za-z0-9_] prefix of s: all of an error code or field name
 * that goes into a warning. */
static void word_of(const char *s, char *out, size_t n)
{
	size_t i = 0;
	for (; s && (isalnum((unsigned char)s[i]) || s[i] == '_') && i + 1 < n; i++)
		out[i] = s[i];
	out[i] = '\0';
}

static void partial_warning(struct shopify *sh, const cJSON *errs)
{
	const cJSON *first = cJSON_GetArrayItem(errs, 0);
	char code[48], field[48];
	word_of(json_str(first, "extensions.code"), code, sizeof code);
	const cJSON *path = json_path(first, "path");
	const cJSON *last = cJSON_GetArrayItem(path, cJSON_GetArraySize(path) - 1);
	word_of(cJSON_IsString(last) ? last->valuestring : NULL, field, sizeof field);
	sync_ctx_warn(sh->c, "Shopify withheld %s%s (%s); the rest of the answer was kept",
		field[0] ? "the field " : "some fields", field, code[0] ? code : "no code");
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
	if (served && strcmp(served, sh->c->conf->api_version) != 0 && !is_version(served))
		served = "(not a version)";
	if (served && strcmp(served, sh->c->conf->api_version) != 0)
		sync_ctx_warn(sh->c, "Shopify served API version %s, not the configured %s",
			served, sh->c->conf->api_version);
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
	if (cJSON_GetArraySize(errs) > 0 &&
		cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r->json, "data"))) {
		/* data and errors together (e.g. ACCESS_DENIED on protected
		 * customer fields): what was given is kept, the rest is said. */
		partial_warning(sh, errs);
		return HTTP_DONE;
	}
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

static void set_token_header(struct shopify *sh, const char *token)
{
	snprintf(sh->token_header, sizeof sh->token_header, "X-Shopify-Access-Token: %s", token);
}

/* The token endpoint's verdict: an OAuth error (RFC 6749 5.2, e.g.
 * invalid_client) is a refusal, its error and description kept in arg. */
static http_verdict classify_grant(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	char *cause = arg;
	*wait_s = http_retry_after(r);
	if (r->status == 429 || r->status >= 500) {
		snprintf(why, why_n, "HTTP %ld", r->status);
		return HTTP_RETRY;
	}
	const char *err = json_str(r->json, "error");
	if (r->status != 200 || err) {
		const char *desc = json_str(r->json, "error_description");
		char status[32];
		snprintf(status, sizeof status, "HTTP %ld", r->status);
		snprintf(cause, GRANT_CAUSE_MAX, "%s%s%s%s", err ? err : status, desc ? " (" : "",
			desc ? desc : "", desc ? ")" : "");
		snprintf(why, why_n, "%s", cause);
		return HTTP_AUTH;
	}
	if (!json_str(r->json, "access_token")) {
		snprintf(why, why_n, "token answer without access_token");
		return HTTP_FAIL;
	}
	return HTTP_DONE;
}

int shopify_client_token(http_client *http, const char *grant_url, const char *client_id,
	const char *client_secret, char *token, size_t n, double *expires_in, okdf_err *e)
{
	char *id = http_escape(http, client_id);
	char *secret = http_escape(http, client_secret);
	char *body = NULL;
	size_t len = (id ? strlen(id) : 0) + (secret ? strlen(secret) : 0) + 80;
	if (id && secret && (body = malloc(len)))
		snprintf(body, len, "grant_type=client_credentials&client_id=%s&client_secret=%s", id,
			secret);
	free(id);
	if (secret) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	if (!body)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	static const char *const headers[] = {
		"Content-Type: application/x-www-form-urlencoded", "Accept: application/json", NULL,
	};
	char cause[GRANT_CAUSE_MAX] = "";
	http_request req = {
		.method = "POST",
		.url = grant_url,
		.headers = headers,
		.body = body,
		.want_json = 1,
		.classify = classify_grant,
		.classify_arg = cause,
	};
	http_response resp;
	int rc = http_call(http, &req, &resp, e);
	explicit_bzero(body, strlen(body));
	free(body);
	if (rc == OKDF_EAUTH && cause[0])
		return okdf_err_set(e, rc, "Shopify refused the client credentials grant: %s", cause);
	if (rc)
		return rc;
	cJSON *tok = cJSON_GetObjectItemCaseSensitive(resp.json, "access_token");
	const cJSON *ttl = json_path(resp.json, "expires_in");
	*expires_in = cJSON_IsNumber(ttl) && ttl->valuedouble > 0 ? ttl->valuedouble : 0;
	size_t tlen = strlen(tok->valuestring);
	if (tlen < n)
		memcpy(token, tok->valuestring, tlen + 1);
	explicit_bzero(tok->valuestring, tlen);
	http_response_free(&resp);
	if (tlen >= n)
		return okdf_err_set(e, OKDF_EINPUT, "token answer: access_token too long");
	return OKDF_OK;
}

/* POST /admin/oauth/access_token (client credentials grant). */
static int fetch_token(struct shopify *sh, okdf_err *e)
{
	const okdf_connector_config *conf = sh->c->conf;
	double asked = http_monotonic(), ttl = 0;
	int rc = shopify_client_token(sh->c->http, sh->grant_url, conf->client_id,
		conf->client_secret, sh->token, sizeof sh->token, &ttl, e);
	if (rc == OKDF_EAUTH) {
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e->msg);
		return okdf_err_set(e, rc,
			"%s; check [shopify] client_id and client_secret (the app's Settings in the Dev "
			"Dashboard) and that the app is installed on the shop", why);
	}
	if (rc)
		return rc;
	set_token_header(sh, sh->token);
	/* Renewed a fifth of its life (at most 5 minutes) before it runs out. */
	sh->token_renew_at = 0;
	if (ttl > 0) {
		double margin = ttl / 5 < 300 ? ttl / 5 : 300;
		sh->token_renew_at = asked + ttl - margin;
	}
	return OKDF_OK;
}

static int ensure_token(struct shopify *sh, okdf_err *e)
{
	if (!sh->grant)
		return OKDF_OK;
	if (sh->token[0] && (sh->token_renew_at == 0 || http_monotonic() < sh->token_renew_at))
		return OKDF_OK;
	return fetch_token(sh, e);
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
	int rc;
	for (int renewed = 0;; renewed = 1) {
		rc = ensure_token(sh, e);
		if (!rc)
			rc = http_call(sh->c->http, &req, resp, e);
		/* A granted token refused early (revoked, or expired sooner than
		 * said): ask for a new one once before giving up. */
		if (rc != OKDF_EAUTH || !sh->grant || renewed || !sh->token[0])
			break;
		explicit_bzero(sh->token, sizeof sh->token);
	}
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
		rc = store_insert_line_item(sh->w, &l, e);
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
		rc = store_insert_refund_line_item(sh->w, &x, e);
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
		rc = store_insert_refund(sh->w, &r, e);
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
		rc = store_upsert_order(sh->w, &o, e);
	const cJSON *rf;
	cJSON_ArrayForEach(rf, json_path(n, "refunds")) {
		if (!rc)
			rc = put_refund(sh, o.id, o.processed_at, rf, e);
	}
	return rc ? okdf_err_prefix(e, "order %s", o.id) : OKDF_OK;
}

static int put_order(struct shopify *sh, const cJSON *n, okdf_err *e)
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
		rc = graphql(sh, graphql_refund_lines, vars, 502, &resp, e);
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
	int rc = graphql(sh, graphql_order_refunds, vars, 752, &resp, e);
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

/* The resource cursor: {"since": epoch or absent, "after": page cursor or
 * absent, "max": newest updatedAt seen in the running pass, "start": the
 * server's clock when an ID-ordered pass began, "bulk": a bulk operation under
 * way: its "id", "created" (its createdAt), "size" (bytes of its downloaded
 * result, absent before the download) and "offset" (bytes of that result
 * written to the database), "synced": okdf's clock when the last full pass
 * ended}. */
struct cursor {
	long long since, max, start;
	int has_since, has_max, has_start;
	char *after;
	char *bulk_id;
	long long bulk_created, bulk_size, bulk_offset;
	int has_bulk_size;
	long long synced; /* okdf's clock when the last full pass ended; 0 = unknown */
};

static void num_of(const cJSON *j, const char *path, long long *v, int *has)
{
	okdf_err ignore;
	int ok = json_int64(json_path(j, path), v, &ignore) == OKDF_OK;
	if (has)
		*has = ok;
	else if (!ok)
		*v = 0;
}

static void add_num(cJSON *j, const char *key, long long v)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", v);
	cJSON_AddStringToObject(j, key, num);
}

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
	const char *bulk = json_str(j, "bulk.id");
	cu->bulk_id = bulk ? strdup(bulk) : NULL;
	num_of(j, "bulk.created", &cu->bulk_created, NULL);
	num_of(j, "bulk.size", &cu->bulk_size, &cu->has_bulk_size);
	num_of(j, "bulk.offset", &cu->bulk_offset, NULL);
	num_of(j, "synced", &cu->synced, NULL);
	cJSON_Delete(j);
}

static void cursor_free(struct cursor *cu)
{
	free(cu->after);
	free(cu->bulk_id);
	cu->after = cu->bulk_id = NULL;
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
	if (cu->synced)
		add_num(j, "synced", cu->synced);
	if (cu->bulk_id) {
		cJSON *b = cJSON_AddObjectToObject(j, "bulk");
		cJSON_AddStringToObject(b, "id", cu->bulk_id);
		add_num(b, "created", cu->bulk_created);
		if (cu->has_bulk_size)
			add_num(b, "size", cu->bulk_size);
		add_num(b, "offset", cu->bulk_offset);
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

struct record_arg {
	struct shopify *sh;
	const struct resource *res;
};

static int store_node(void *arg, const cJSON *node, okdf_err *e)
{
	struct record_arg *a = arg;
	return a->res->store(a->sh, node, e);
}

static int batch_flush(struct shopify *sh, const struct resource *res, struct batch *b,
	const struct cursor *cu, okdf_err *e)
{
	struct record_arg arg = { sh, res };
	sync_ctx *c = sh->c;
	char *text = cursor_text(cu);
	if (!text) {
		batch_free(b);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	/* First without a savepoint per record (they cost a third of the ingest
	 * time); a batch holding a record that cannot be read is written again,
	 * record by record, so that one is quarantined. */
	long long rows0 = c->rows;
	int rc;
	for (c->records_unguarded = 1;; c->records_unguarded = 0) {
		rc = db_begin(c->db, e);
		for (int i = 0; !rc && i < b->n; i++) {
			const cJSON *n;
			cJSON_ArrayForEach(n, b->nodes[i]) {
				if (!rc)
					rc = sync_store_record(c, res->name, n, NULL, store_node, &arg, e);
				c->rows++;
			}
		}
		if (!rc)
			rc = store_sync_cursor_put(c->db, c->name, res->name, text, c->now, e);
		if (!rc)
			rc = db_commit(c->db, e);
		else
			db_rollback(c->db);
		if (rc != OKDF_EINPUT || !c->records_unguarded)
			break;
		okdf_err_clear(e);
		c->rows = rows0;
	}
	c->records_unguarded = 0;
	free(text);
	batch_free(b);
	if (!rc)
		sync_ctx_committed(c);
	return rc;
}

/* ---- bulk backfill ----------------------------------------------------
 * The first sync of a resource, and a resync after more than BULK_RESYNC_AGE,
 * runs as one bulk operation: bulkOperationRunQuery, polled by id until it
 * ends, its JSONL result downloaded to a file beside the database and
 * written line by line in large transactions. The operation id, the result's
 * size and how far it has been written live in the cursor, in the same
 * transactions as the rows: a killed okdf resumes the same operation. */

#define BULK_RESYNC_AGE (3 * 86400LL)
#define BULK_TXN_LINES 20000
#define BULK_TXN_SECONDS 1.0
#define BULK_MAX_LINE (16 << 20)
#define BULK_BUSY_WAIT_S 900.0 /* another app's bulk query: wait this long at most */
#define BULK_POLL_CAP_S 5.0

/* Where a line with __parentId goes: line items name their order, refund
 * lines their refund. */
static int order_child(struct shopify *sh, const char *parent, const cJSON *node, okdf_err *e)
{
	if (strncmp(parent, "gid://shopify/Order/", 20) == 0)
		return put_line(sh, parent, node, e);
	if (strncmp(parent, "gid://shopify/Refund/", 21) == 0)
		return put_refund_line(sh, parent, node, e);
	return okdf_err_set(e, OKDF_EINPUT, "bulk line with an unexpected parent %.80s", parent);
}

static int wants_bulk(const sync_ctx *c, const struct resource *res, const struct cursor *cu)
{
	if (!res->bulk_doc || strcmp(c->conf->backfill, "paged") == 0)
		return 0;
	if (cu->bulk_id)
		return 1;
	if (cu->after || cu->has_start)
		return 0; /* a paged pass under way ends paged */
	/* Never synced, or not for days (a quiet store's newest row may be
	 * old; what counts is when okdf last read the resource whole). */
	return !cu->has_since || (cu->synced && c->now - cu->synced > BULK_RESYNC_AGE);
}

/* The bulk document with its "everything" bound replaced by the cursor's. */
static char *bulk_query_text(const struct resource *res, const struct cursor *cu)
{
	static const char marker[] = "1970-01-01T00:00:00Z";
	char *q = strdup(res->bulk_doc);
	char *at = q ? strstr(q, marker) : NULL;
	if (at && cu->has_since) {
		char iso[32];
		time_format_utc(cu->since, iso, sizeof iso);
		if (strlen(iso) == sizeof marker - 1)
			memcpy(at, iso, sizeof marker - 1);
	}
	return q;
}

static int save_cursor(struct shopify *sh, const struct resource *res, const struct cursor *cu,
	okdf_err *e)
{
	char *text = cursor_text(cu);
	if (!text)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	sync_ctx *c = sh->c;
	int rc = db_begin(c->db, e);
	if (!rc)
		rc = store_sync_cursor_put(c->db, c->name, res->name, text, c->now, e);
	if (!rc)
		rc = db_commit(c->db, e);
	else
		db_rollback(c->db);
	free(text);
	return rc;
}

/* Forgets the operation; the rows it wrote stay (every write is an upsert). */
static void bulk_forget(struct cursor *cu)
{
	free(cu->bulk_id);
	cu->bulk_id = NULL;
	cu->bulk_created = cu->bulk_size = cu->bulk_offset = 0;
	cu->has_bulk_size = 0;
}

static int bulk_adopt(struct cursor *cu, const char *id, const cJSON *op, okdf_err *e)
{
	bulk_forget(cu);
	cu->bulk_id = strdup(id);
	if (!cu->bulk_id)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	int null_c;
	okdf_err ignore;
	if (json_time(op, "createdAt", &cu->bulk_created, &null_c, &ignore) != OKDF_OK || null_c)
		cu->bulk_created = 0;
	return OKDF_OK;
}

/* okdf's own operation (the same query text, e.g. started just before a
 * crash) is taken over. *adopted = 1 then. */
static int bulk_take_over(struct shopify *sh, const char *query, struct cursor *cu, int *adopted,
	okdf_err *e)
{
	*adopted = 0;
	http_response resp;
	int rc = graphql(sh, graphql_bulk_current, NULL, 1, &resp, e);
	if (rc)
		return rc;
	const cJSON *op = json_path(resp.json, "data.currentBulkOperation");
	const char *id = json_str(op, "id"), *status = json_str(op, "status");
	const char *q = json_str(op, "query");
	if (id && status && q && strcmp(q, query) == 0 &&
		(!strcmp(status, "CREATED") || !strcmp(status, "RUNNING") ||
			!strcmp(status, "COMPLETED"))) {
		rc = bulk_adopt(cu, id, op, e);
		*adopted = rc == OKDF_OK;
	}
	http_response_free(&resp);
	return rc;
}

/* Starts the operation and records its id. *fallback = 1 when Shopify
 * refused it for good: the pass pages instead. */
static int bulk_start(struct shopify *sh, const struct resource *res, struct cursor *cu,
	int *fallback, okdf_err *e)
{
	char *query = bulk_query_text(res, cu);
	if (!query)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	double waited = 0, delay = 2;
	/* okdf's own operation, started before a crash could record its id, is
	 * taken over instead of starting another. */
	int adopted = 0;
	int rc = bulk_take_over(sh, query, cu, &adopted, e);
	for (; !rc && !adopted;) {
		cJSON *vars = cJSON_CreateObject();
		if (!vars || !cJSON_AddStringToObject(vars, "query", query)) {
			cJSON_Delete(vars);
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			break;
		}
		http_response resp;
		rc = graphql(sh, graphql_bulk_run, vars, 10, &resp, e);
		if (rc)
			break;
		const cJSON *payload = json_path(resp.json, "data.bulkOperationRunQuery");
		const cJSON *op = json_path(payload, "bulkOperation");
		const char *id = json_str(op, "id");
		const cJSON *ue = cJSON_GetArrayItem(json_path(payload, "userErrors"), 0);
		const char *code = json_str(ue, "code");
		if (id && !ue) {
			rc = bulk_adopt(cu, id, op, e);
			http_response_free(&resp);
			break;
		}
		int busy = code && (!strcmp(code, "OPERATION_IN_PROGRESS") ||
			!strcmp(code, "LIMIT_REACHED"));
		if (!busy) {
			char word[48];
			word_of(code, word, sizeof word);
			sync_ctx_warn(sh->c, "bulk query of %s refused (%s); synced page by page",
				res->name, word[0] ? word : "no operation");
			*fallback = 1;
			http_response_free(&resp);
			break;
		}
		http_response_free(&resp);
		rc = bulk_take_over(sh, query, cu, &adopted, e);
		if (rc || adopted)
			break;
		if (waited >= BULK_BUSY_WAIT_S) {
			sync_ctx_warn(sh->c, "another bulk query of this app kept running for %.0f s; %s "
				"synced page by page", waited, res->name);
			*fallback = 1;
			break;
		}
		if (http_sleep(sh->c->http, delay)) {
			rc = okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
			break;
		}
		waited += delay;
		delay = delay * 2 > 30 ? 30 : delay * 2;
	}
	free(query);
	if (!rc && cu->bulk_id)
		rc = save_cursor(sh, res, cu, e);
	return rc;
}

/* Polls until the operation has ended; *resp holds the last answer. */
static int bulk_poll(struct shopify *sh, const struct cursor *cu, http_response *resp,
	okdf_err *e)
{
	double delay = 0.25;
	for (;;) {
		cJSON *vars = cJSON_CreateObject();
		if (!vars || !cJSON_AddStringToObject(vars, "id", cu->bulk_id)) {
			cJSON_Delete(vars);
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		}
		int rc = graphql(sh, graphql_bulk_operation, vars, 1, resp, e);
		if (rc)
			return rc;
		const char *status = json_str(resp->json, "data.bulkOperation.status");
		if (!status || (strcmp(status, "CREATED") && strcmp(status, "RUNNING") &&
			strcmp(status, "CANCELING")))
			return OKDF_OK;
		http_response_free(resp);
		if (http_sleep(sh->c->http, delay))
			return okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
		delay = delay * 1.5 > BULK_POLL_CAP_S ? BULK_POLL_CAP_S : delay * 1.5;
	}
}

static int bulk_path(const struct shopify *sh, const struct resource *res, char *buf, size_t n,
	okdf_err *e)
{
	const char *db = sqlite3_db_filename(sh->c->db, "main");
	if (!db || !db[0])
		return okdf_err_set(e, OKDF_EINPUT, "a bulk backfill needs a database file");
	int w = snprintf(buf, n, "%s.shopify-%s.jsonl", db, res->name);
	if (w < 0 || (size_t)w >= n)
		return okdf_err_set(e, OKDF_EINPUT, "database path too long");
	return OKDF_OK;
}

/* One JSONL line: a root node (the resource's own mapping) or a child. */
static int bulk_line(struct shopify *sh, const struct resource *res, const char *line, size_t len,
	struct cursor *cu, okdf_err *e)
{
	cJSON *node = cJSON_ParseWithLength(line, len);
	if (!node || !cJSON_IsObject(node)) {
		cJSON_Delete(node);
		return okdf_err_set(e, OKDF_EINPUT, "bulk result: a line that is not a JSON object");
	}
	int rc;
	const char *parent = json_str(node, "__parentId");
	if (parent) {
		rc = res->bulk_child ? res->bulk_child(sh, parent, node, e)
			: okdf_err_set(e, OKDF_EINPUT, "bulk result: unexpected child line");
	} else {
		rc = res->store(sh, node, e);
		long long updated;
		int null_u;
		okdf_err ignore;
		if (!rc && json_time(node, "updatedAt", &updated, &null_u, &ignore) == OKDF_OK &&
			!null_u && (!cu->has_max || updated > cu->max)) {
			cu->max = updated;
			cu->has_max = 1;
		}
	}
	cJSON_Delete(node);
	sh->c->rows++;
	return rc;
}

/* Writes the downloaded result from cu->bulk_offset on, committing the
 * offset with the rows. */
static int bulk_ingest(struct shopify *sh, const struct resource *res, const char *path,
	struct cursor *cu, okdf_err *e)
{
	sync_ctx *c = sh->c;
	FILE *f = fopen(path, "r");
	if (!f)
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(errno));
	int rc = fseeko(f, (off_t)cu->bulk_offset, SEEK_SET) == 0 ? OKDF_OK
		: okdf_err_set(e, OKDF_EFAIL, "%s: cannot seek", path);
	char *line = NULL;
	size_t cap = 0;
	long lines = 0;
	double started = http_monotonic();
	int open = 0, stopped = 0;
	for (ssize_t len; !rc && (len = getline(&line, &cap, f)) >= 0;) {
		if (!open) {
			rc = db_begin(c->db, e);
			if (rc)
				break;
			open = 1;
			started = http_monotonic();
		}
		size_t n = (size_t)len;
		if (n > BULK_MAX_LINE) {
			rc = okdf_err_set(e, OKDF_EINPUT, "bulk result: a line of %zu bytes", n);
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n > 0)
			rc = bulk_line(sh, res, line, n, cu, e);
		cu->bulk_offset += len;
		if (!rc && (++lines % BULK_TXN_LINES == 0 ||
			http_monotonic() - started >= BULK_TXN_SECONDS)) {
			char *text = cursor_text(cu);
			rc = text ? store_sync_cursor_put(c->db, c->name, res->name, text, c->now, e)
				: okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			free(text);
			if (!rc)
				rc = db_commit(c->db, e);
			if (!rc) {
				open = 0;
				sync_ctx_committed(c);
			}
		}
		/* SIGTERM: what is written so far is committed with its offset. */
		if (!rc && http_sleep(c->http, 0)) {
			stopped = 1;
			break;
		}
	}
	if (!rc && ferror(f))
		rc = okdf_err_set(e, OKDF_EFAIL, "%s: read error", path);
	free(line);
	fclose(f);
	if (!rc && open) {
		char *text = cursor_text(cu);
		rc = text ? store_sync_cursor_put(c->db, c->name, res->name, text, c->now, e)
			: okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		free(text);
		if (!rc)
			rc = db_commit(c->db, e);
		if (!rc)
			sync_ctx_committed(c);
	} else if (rc && open) {
		db_rollback(c->db);
	}
	if (!rc && stopped)
		rc = okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
	return rc;
}

/* Downloads url (unless the file of this result is already whole) and
 * writes it. OKDF_ENOTFOUND when the storage refused the URL. */
static int bulk_fetch(struct shopify *sh, const struct resource *res, const char *url,
	long long expected, struct cursor *cu, okdf_err *e)
{
	char path[4200];
	int rc = bulk_path(sh, res, path, sizeof path, e);
	if (rc)
		return rc;
	struct stat st;
	if (!(cu->has_bulk_size && stat(path, &st) == 0 && (long long)st.st_size == cu->bulk_size)) {
		long long bytes;
		long status;
		/* A body cut short still ends cleanly: fileSize tells. */
		for (int tries = 1;; tries++) {
			rc = http_download(sh->c->http, url, path, &bytes, &status, e);
			if (rc || expected < 0 || bytes == expected)
				break;
			unlink(path);
			if (tries == 3)
				return okdf_err_set(e, OKDF_ENET,
					"bulk result: %lld bytes downloaded, fileSize says %lld", bytes,
					expected);
		}
		if (rc)
			return rc;
		if (cu->has_bulk_size && bytes != cu->bulk_size) {
			unlink(path);
			return okdf_err_set(e, OKDF_EINPUT,
				"bulk result changed size (%lld, was %lld bytes)", bytes, cu->bulk_size);
		}
		cu->bulk_size = bytes;
		cu->has_bulk_size = 1;
		rc = save_cursor(sh, res, cu, e);
		if (rc)
			return rc;
	}
	rc = bulk_ingest(sh, res, path, cu, e);
	if (!rc)
		unlink(path);
	if (rc == OKDF_EINPUT) {
		/* A result okdf cannot read would fail the same way every pass:
		 * the next one starts a new operation. */
		unlink(path);
		bulk_forget(cu);
		okdf_err ignore;
		save_cursor(sh, res, cu, &ignore);
	}
	return rc;
}

/* The bound the paged passes continue from: the operation read every row
 * as it was when it began, so from its createdAt on (a row changed while it
 * ran may have been read before the change); without one, the newest
 * updatedAt written. */
static void bulk_done(struct shopify *sh, struct cursor *cu)
{
	if (cu->bulk_created > 0 || cu->has_max) {
		cu->since = cu->bulk_created > 0 ? cu->bulk_created : cu->max;
		cu->has_since = 1;
	}
	cu->synced = sh->c->now;
	bulk_forget(cu);
}

/* Runs (or resumes) the bulk backfill of res. *fallback = 1 when the pass
 * must page instead; the cursor then keeps its old bound. */
static int bulk_resource(struct shopify *sh, const struct resource *res, struct cursor *cu,
	int *fallback, okdf_err *e)
{
	*fallback = 0;
	int restarts = 0;
	const char *db = sqlite3_db_filename(sh->c->db, "main");
	if (!db || !db[0]) {
		*fallback = 1; /* a database without a file has nowhere to put the result */
		return OKDF_OK;
	}
	for (;;) {
		int rc = OKDF_OK;
		if (!cu->bulk_id) {
			char path[4200];
			if (bulk_path(sh, res, path, sizeof path, e) == OKDF_OK)
				unlink(path); /* a result of an operation forgotten */
			rc = bulk_start(sh, res, cu, fallback, e);
			if (rc || *fallback)
				return rc;
		}
		http_response resp;
		rc = bulk_poll(sh, cu, &resp, e);
		if (rc)
			return rc;
		const cJSON *op = json_path(resp.json, "data.bulkOperation");
		const char *status = json_str(op, "status");
		const char *url = json_str(op, "url");
		const char *partial = json_str(op, "partialDataUrl");
		if (status && strcmp(status, "COMPLETED") == 0) {
			long long size = -1;
			okdf_err ignore;
			if (json_int64(json_path(op, "fileSize"), &size, &ignore) != OKDF_OK)
				size = -1;
			/* No url: nothing matched. */
			rc = url ? bulk_fetch(sh, res, url, size, cu, e) : OKDF_OK;
			http_response_free(&resp);
			if (rc == OKDF_ENOTFOUND && restarts++ == 0) {
				/* The result's URL expired (they live 7 days): a new operation. */
				bulk_forget(cu);
				rc = save_cursor(sh, res, cu, e);
				if (rc)
					return rc;
				continue;
			}
			if (rc)
				return rc;
			bulk_done(sh, cu);
			return save_cursor(sh, res, cu, e);
		}
		if (status && strcmp(status, "FAILED") == 0) {
			char code[48];
			word_of(json_str(op, "errorCode"), code, sizeof code);
			sync_ctx_warn(sh->c, "bulk query of %s failed (%s)%s; synced page by page",
				res->name, code[0] ? code : "no errorCode",
				partial ? ", its partial result written" : "");
			/* What it managed to read is sound rows; the bound stays. */
			rc = partial ? bulk_fetch(sh, res, partial, -1, cu, e) : OKDF_OK;
			http_response_free(&resp);
			if (rc && rc != OKDF_ENOTFOUND)
				return rc;
			bulk_forget(cu);
			*fallback = 1;
			return save_cursor(sh, res, cu, e);
		}
		/* CANCELED, EXPIRED, or an id Shopify no longer knows: start again once. */
		char ended[48];
		word_of(status, ended, sizeof ended);
		http_response_free(&resp);
		bulk_forget(cu);
		rc = save_cursor(sh, res, cu, e);
		if (rc)
			return rc;
		if (restarts++ > 0) {
			sync_ctx_warn(sh->c, "bulk query of %s ended %s; synced page by page", res->name,
				ended[0] ? ended : "unknown");
			*fallback = 1;
			return OKDF_OK;
		}
	}
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
	if (wants_bulk(c, res, &cu)) {
		int fallback;
		rc = bulk_resource(sh, res, &cu, &fallback, e);
		if (rc) {
			cursor_free(&cu);
			return okdf_err_prefix(e, "%s (bulk)", res->name);
		}
	}
	if (!sh->page_first[idx])
		sh->page_first[idx] = res->first;
	double per_node = 0;
	struct batch *b = calloc(1, sizeof *b);
	if (!b) {
		cursor_free(&cu);
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
			cu.synced = c->now;
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
			/* Clamped as a double: a wild cost must not overflow the cast. */
			double f = (budget - 2) / per_node;
			sh->page_first[idx] = !(f >= 1) ? 1 : f > 250 ? 250 : (int)f;
		}
	}
	if (b->n) {
		/* What was fetched before the failure is whole pages: keep it. */
		okdf_err ignore;
		if (batch_flush(sh, res, b, &cu, &ignore) != OKDF_OK && !rc)
			rc = okdf_err_set(e, ignore.code, "%s", ignore.msg);
	}
	free(b);
	cursor_free(&cu);
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

/* The app's access scopes, kept for phase 3's history check; without
 * read_all_orders Shopify shows only the last 60 days of orders. */
static int sync_scopes(struct shopify *sh, okdf_err *e)
{
	http_response resp;
	int rc = graphql(sh, graphql_app_scopes, NULL, 2, &resp, e);
	if (rc)
		return okdf_err_prefix(e, "access scopes");
	const cJSON *list = json_path(resp.json, "data.currentAppInstallation.accessScopes"), *it;
	char scopes[2048] = "";
	size_t len = 0;
	int all_orders = 0;
	if (!cJSON_IsArray(list)) {
		http_response_free(&resp);
		return okdf_err_set(e, OKDF_EINPUT, "access scopes: answer without accessScopes");
	}
	cJSON_ArrayForEach(it, list) {
		char h[64];
		word_of(json_str(it, "handle"), h, sizeof h);
		if (!h[0])
			continue;
		all_orders |= strcmp(h, "read_all_orders") == 0;
		int w = snprintf(scopes + len, sizeof scopes - len, "%s%s", len ? "," : "", h);
		if (w > 0 && (size_t)w < sizeof scopes - len)
			len += (size_t)w;
	}
	http_response_free(&resp);
	if (!all_orders)
		sync_ctx_warn(sh->c, "the app lacks the read_all_orders scope: Shopify shows only the "
			"last 60 days of orders");
	sync_ctx *c = sh->c;
	rc = db_begin(c->db, e);
	if (!rc)
		rc = store_sync_cursor_put(c->db, c->name, "access_scopes", scopes, c->now, e);
	if (!rc)
		rc = db_commit(c->db, e);
	else
		db_rollback(c->db);
	return rc;
}

static const struct resource resources[] = {
	{ "products", graphql_products, "products", 100, 0, put_product, NULL,
		graphql_bulk_products, NULL },
	{ "customers", graphql_customers, "customers", 100, 0, put_customer, NULL,
		graphql_bulk_customers, NULL },
	{ "orders", graphql_orders, "orders", 5, 0, put_order, complete_order,
		graphql_bulk_orders, order_child },
	{ "abandoned_checkouts", graphql_abandoned_checkouts, "abandonedCheckouts", 100, 1,
		put_checkout, NULL, graphql_bulk_abandoned_checkouts, NULL },
};

int shopify_sync(sync_ctx *c, okdf_err *e)
{
	const okdf_connector_config *conf = c->conf;
	if (!conf->account[0] && !conf->base_url[0])
		return okdf_err_set(e, OKDF_EINPUT, "[shopify] shop is not set");
	if (strcmp(conf->backfill, "bulk") != 0 && strcmp(conf->backfill, "paged") != 0)
		return okdf_err_set(e, OKDF_EINPUT, "[shopify] backfill must be bulk or paged, not \"%s\"",
			conf->backfill);
	int grant = conf->client_id[0] || conf->client_secret[0];
	if (grant && !(conf->client_id[0] && conf->client_secret[0]))
		return okdf_err_set(e, OKDF_EINPUT,
			"[shopify] needs both client_id and client_secret (or "
			"OKDF_SHOPIFY_CLIENT_SECRET)");
	if (grant && conf->secret[0])
		return okdf_err_set(e, OKDF_EINPUT,
			"[shopify] takes access_token or client_id + client_secret, not both");
	if (!grant && !conf->secret[0])
		return okdf_err_set(e, OKDF_EINPUT,
			"no credentials: set [shopify] access_token (or OKDF_SHOPIFY_ACCESS_TOKEN), or "
			"client_id + client_secret (or OKDF_SHOPIFY_CLIENT_SECRET)");
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
	sh->grant = grant;
	if (grant) {
		rc = sync_url(c, origin, "/admin/oauth/access_token", sh->grant_url,
			sizeof sh->grant_url, e);
		if (rc)
			return rc;
	} else {
		set_token_header(sh, conf->secret);
	}
	sh->headers[0] = sh->token_header;
	sh->headers[1] = "Content-Type: application/json";
	sh->headers[2] = "Accept: application/json";
	sh->headers[3] = NULL;
	rc = store_orders_writer_open(c->db, &sh->w, e);
	if (rc)
		return rc;
	rc = sync_shop(sh, e);
	if (!rc)
		rc = sync_scopes(sh, e);
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
	if (c->state)
		explicit_bzero(c->state, sizeof(struct shopify));
	free(c->state);
	c->state = NULL;
}

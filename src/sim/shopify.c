#include "shopify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graphql_scan.h"
#include "shopify_nodes.h"
#include "shopify_search.h"
#include "scopes.h"

#define MAX_SINGLE_QUERY_COST 1000
#define MAX_PAGE 250

static bool shopify_matches(const char *path)
{
	return !strncmp(path, "/admin/api/", 11);
}

static bool shopify_authorized(const struct sim_request *rq)
{
	const char *token = sim_request_header(rq, "X-Shopify-Access-Token");
	return token && !strcmp(token, SIM_SHOPIFY_TOKEN);
}

static int shopify_unauthorized(struct sim_reply *rp)
{
	return sim_reply_literal(rp, 401,
				 "{\"errors\":\"[API] Invalid API key or access token (unrecognized "
				 "login or wrong password)\"}");
}

static cJSON *cost_extension(struct sim_ctx *ctx, double requested, double actual, bool has_actual)
{
	cJSON *ext = cJSON_CreateObject();
	cJSON *cost = cJSON_AddObjectToObject(ext, "cost");
	cJSON_AddNumberToObject(cost, "requestedQueryCost", requested);
	if (has_actual)
		cJSON_AddNumberToObject(cost, "actualQueryCost", actual);
	else
		cJSON_AddNullToObject(cost, "actualQueryCost");
	cJSON *ts = cJSON_AddObjectToObject(cost, "throttleStatus");
	struct sim_cost_bucket *b = &ctx->shopify_bucket;
	cJSON_AddNumberToObject(ts, "maximumAvailable", b->maximum);
	cJSON_AddNumberToObject(ts, "currentlyAvailable", (double)(long)b->available);
	cJSON_AddNumberToObject(ts, "restoreRate", b->restore_rate);
	return ext;
}

static int throttled_reply(struct sim_ctx *ctx, double requested, struct sim_reply *rp)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *err = cJSON_CreateObject();
	cJSON_AddStringToObject(err, "message", "Throttled");
	cJSON *ext = cJSON_AddObjectToObject(err, "extensions");
	cJSON_AddStringToObject(ext, "code", "THROTTLED");
	cJSON_AddStringToObject(ext, "documentation", "https://shopify.dev/api/usage/rate-limits");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "errors"), err);
	cJSON_AddItemToObject(doc, "extensions", cost_extension(ctx, requested, 0, false));
	return sim_reply_json(rp, 200, doc);
}

static int error_reply(struct sim_reply *rp, const char *message, const char *code)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *err = cJSON_CreateObject();
	cJSON_AddStringToObject(err, "message", message);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(err, "extensions"), "code", code);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "errors"), err);
	return sim_reply_json(rp, 200, doc);
}

static double requested_cost_of(const struct sim_request *rq);

static int shopify_fault(struct sim_ctx *ctx, const struct sim_request *rq, enum sim_fault kind,
			 struct sim_reply *rp)
{
	switch (kind) {
	case SIM_FAULT_SERVER_ERROR:
		return sim_reply_literal(rp, 500, "{\"errors\":\"Internal Server Error\"}");
	case SIM_FAULT_RATE_LIMITED:
		sim_reply_header(rp, "Retry-After", "0.5");
		return sim_reply_literal(rp, 429,
					 "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce "
					 "request rates to resume uninterrupted service.\"}");
	case SIM_FAULT_THROTTLE_BODY:
		sim_bucket_refill(&ctx->shopify_bucket);
		return throttled_reply(ctx, requested_cost_of(rq), rp);
	}
	return -1;
}

/* ---- connections ------------------------------------------------------ */

struct table_desc {
	const char *root;
	enum sim_table table;
	cJSON *(*node)(const struct sim_model *m, uint32_t row);
	const char *const *sort_keys; /* valid enum values, NULL-terminated */
	const char *sort_enum;
};

static const char *const product_sorts[] = {"CREATED_AT", "ID", "INVENTORY_TOTAL", "PRODUCT_TYPE",
					     "PUBLISHED_AT", "RELEVANCE", "TITLE", "UPDATED_AT",
					     "VENDOR", NULL};
static const char *const order_sorts[] = {"CREATED_AT", "CUSTOMER_NAME", "DESTINATION",
					   "FINANCIAL_STATUS", "FULFILLMENT_STATUS", "ID",
					   "ORDER_NUMBER", "PO_NUMBER", "PROCESSED_AT", "RELEVANCE",
					   "TOTAL_ITEMS_QUANTITY", "TOTAL_PRICE", "UPDATED_AT", NULL};
static const char *const customer_sorts[] = {"CREATED_AT", "ID", "LOCATION", "NAME", "RELEVANCE",
					      "UPDATED_AT", NULL};
static const char *const checkout_sorts[] = {"CHECKOUT_ID", "CREATED_AT", "CUSTOMER_NAME", "ID",
					      "RELEVANCE", "TOTAL_PRICE", NULL};

static const struct table_desc tables[] = {
	{"products", SIM_T_PRODUCTS, sim_shopify_product_node, product_sorts, "ProductSortKeys"},
	{"orders", SIM_T_ORDERS, sim_shopify_order_row_node, order_sorts, "OrderSortKeys"},
	{"customers", SIM_T_CUSTOMERS, sim_shopify_customer_node, customer_sorts, "CustomerSortKeys"},
	{"abandonedCheckouts", SIM_T_CHECKOUTS, sim_shopify_checkout_node, checkout_sorts,
	 "AbandonedCheckoutSortKeys"},
};

struct page_request {
	long first;
	bool by_updated;
	bool has_after;
	int64_t after_id, after_updated;
	struct sim_time_filter filters[4];
	int n_filters;
};

/* First position in the ordering strictly after (updated, id). */
static size_t seek_after(struct sim_model *m, enum sim_table t, bool by_updated, int64_t updated,
			 int64_t id)
{
	struct sim_updated_index *ix = sim_model_index(m, t);
	size_t lo = 0, hi = by_updated ? ix->n : sim_model_count(m, t);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		uint32_t row = by_updated ? ix->rows[mid] : (uint32_t)mid;
		int64_t mu, mid_id;
		sim_model_row_key(m, t, row, &mu, &mid_id);
		bool before = by_updated ? (mu < updated || (mu == updated && mid_id <= id)) : mid_id <= id;
		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Pre-printed text of a row, printing it on a miss; NULL when out of memory. */
static const char *node_text(struct sim_ctx *ctx, const struct table_desc *td, uint32_t row)
{
	struct sim_node_cache *cache = &ctx->shopify_nodes[td->table];
	int64_t updated, id;
	sim_model_row_key(&ctx->model, td->table, row, &updated, &id);
	const char *text = sim_node_cache_get(cache, row, updated);
	if (text)
		return text;
	cJSON *node = td->node(&ctx->model, row);
	char *printed = node ? cJSON_PrintUnformatted(node) : NULL;
	cJSON_Delete(node);
	if (!printed || sim_node_cache_put(cache, row, updated, printed))
		return NULL;
	return printed;
}

/* One page of a connection. With `raw`, nodes are the cached printed texts
 * (no edges then); otherwise freshly built trees. */
static cJSON *connection(struct sim_ctx *ctx, const struct table_desc *td,
			 const struct page_request *pr, bool edges, bool raw, size_t *returned)
{
	struct sim_model *m = &ctx->model;
	struct sim_updated_index *ix = sim_model_index(m, td->table);
	size_t n = pr->by_updated ? ix->n : sim_model_count(m, td->table);
	size_t pos = pr->has_after
			     ? seek_after(m, td->table, pr->by_updated, pr->after_updated, pr->after_id)
			     : 0;
	/* A lower bound on updated_at lets the UPDATED_AT order skip ahead. */
	for (int i = 0; i < pr->n_filters && pr->by_updated; i++) {
		const struct sim_time_filter *f = &pr->filters[i];
		if (f->field == 'u' && f->op[0] == '>') {
			size_t lb = seek_after(m, td->table, true, f->t - 1, INT64_MAX);
			if (lb > pos)
				pos = lb;
		}
	}
	cJSON *conn = cJSON_CreateObject();
	cJSON *nodes = cJSON_AddArrayToObject(conn, "nodes");
	cJSON *edge_list = edges ? cJSON_AddArrayToObject(conn, "edges") : NULL;
	int64_t last_id = 0, last_updated = 0;
	size_t count = 0;
	bool more = false;
	for (; pos < n; pos++) {
		uint32_t row = pr->by_updated ? ix->rows[pos] : (uint32_t)pos;
		if (!sim_shopify_row_matches(m, td->table, row, pr->filters, pr->n_filters))
			continue;
		if ((long)count == pr->first) {
			more = true;
			break;
		}
		sim_model_row_key(m, td->table, row, &last_updated, &last_id);
		const char *text = raw ? node_text(ctx, td, row) : NULL;
		if (raw && !text) {
			cJSON_Delete(conn);
			return NULL;
		}
		cJSON *node = raw ? cJSON_CreateRaw(text) : td->node(m, row);
		if (edge_list) {
			cJSON *e = cJSON_CreateObject();
			char *cur = sim_shopify_cursor(last_id, last_updated);
			cJSON_AddStringToObject(e, "cursor", cur ? cur : "");
			free(cur);
			cJSON_AddItemToObject(e, "node", cJSON_Duplicate(node, true));
			cJSON_AddItemToArray(edge_list, e);
		}
		cJSON_AddItemToArray(nodes, node);
		count++;
	}
	cJSON *pi = cJSON_AddObjectToObject(conn, "pageInfo");
	cJSON_AddBoolToObject(pi, "hasNextPage", more);
	cJSON_AddBoolToObject(pi, "hasPreviousPage", pr->has_after);
	if (count) {
		char *cur = sim_shopify_cursor(last_id, last_updated);
		cJSON_AddStringToObject(pi, "endCursor", cur ? cur : "");
		free(cur);
	} else {
		cJSON_AddNullToObject(pi, "endCursor");
	}
	*returned = count;
	return conn;
}

static const struct table_desc *find_table(const char *root)
{
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (!strcmp(tables[i].root, root))
			return &tables[i];
	return NULL;
}

static bool has_child(const struct gql_document *doc, const struct gql_field *f, const char *name)
{
	for (int c = f->child; c >= 0; c = doc->fields[c].next)
		if (!strcmp(doc->fields[c].name, name))
			return true;
	return false;
}

/* Validates one connection's arguments; fills pr or an error message. */
static bool page_args(const struct gql_field *root, const struct table_desc *td, const cJSON *vars,
		      struct page_request *pr, char *err, size_t err_size)
{
	char v[512];
	memset(pr, 0, sizeof *pr);
	if (root->first < 0) {
		snprintf(err, err_size, "you must provide one of first or last");
		return false;
	}
	if (root->first > MAX_PAGE) {
		snprintf(err, err_size, "The first argument must be at most %d, got %ld", MAX_PAGE,
			 root->first);
		return false;
	}
	pr->first = root->first;
	if (gql_arg(root, "sortKey", vars, v, sizeof v)) {
		bool valid = false;
		for (const char *const *k = td->sort_keys; *k; k++)
			valid |= !strcmp(*k, v);
		if (!valid) {
			snprintf(err, err_size,
				 "Argument 'sortKey' on Field '%s' has an invalid value (%.40s). Expected "
				 "type '%s'.",
				 td->root, v, td->sort_enum);
			return false;
		}
		pr->by_updated = !strcmp(v, "UPDATED_AT");
	}
	if (gql_arg(root, "after", vars, v, sizeof v)) {
		if (sim_shopify_read_cursor(v, &pr->after_id, &pr->after_updated)) {
			snprintf(err, err_size, "Invalid cursor for current pagination sort.");
			return false;
		}
		pr->has_after = true;
	}
	if (gql_arg(root, "query", vars, v, sizeof v))
		pr->n_filters = sim_shopify_parse_search(v, pr->filters, 4);
	return true;
}

static int max_cost_reply(struct sim_reply *rp, double requested)
{
	char msg[160];
	cJSON *out = cJSON_CreateObject();
	cJSON *e = cJSON_CreateObject();
	snprintf(msg, sizeof msg, "Query cost is %.0f, which exceeds the single query max cost limit (%d).",
		 requested, MAX_SINGLE_QUERY_COST);
	cJSON_AddStringToObject(e, "message", msg);
	cJSON *ext = cJSON_AddObjectToObject(e, "extensions");
	cJSON_AddStringToObject(ext, "code", "MAX_COST_EXCEEDED");
	cJSON_AddNumberToObject(ext, "cost", requested);
	cJSON_AddNumberToObject(ext, "maxCost", MAX_SINGLE_QUERY_COST);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(out, "errors"), e);
	return sim_reply_json(rp, 200, out);
}

#define MAX_ROOTS 8

/* ordersCount, productsCount, ...: the table a count root counts, or NULL. */
static const struct table_desc *count_table(const char *root)
{
	char name[48];
	size_t n = strlen(root);
	if (n <= 5 || n >= sizeof name || strcmp(root + n - 5, "Count") != 0)
		return NULL;
	memcpy(name, root, n - 5);
	name[n - 5] = '\0';
	return find_table(name);
}

static cJSON *count_node(struct sim_ctx *ctx, const struct table_desc *td,
			 const struct gql_field *root, const cJSON *vars)
{
	struct sim_time_filter filters[4];
	char q[512];
	int nf = gql_arg(root, "query", vars, q, sizeof q) ? sim_shopify_parse_search(q, filters, 4) : 0;
	size_t rows = sim_model_count(&ctx->model, td->table), count = 0;
	for (size_t row = 0; row < rows; row++)
		count += sim_shopify_row_matches(&ctx->model, td->table, (uint32_t)row, filters, nf);
	cJSON *n = cJSON_CreateObject();
	cJSON_AddNumberToObject(n, "count", (double)count);
	cJSON_AddStringToObject(n, "precision", "EXACT");
	return n;
}

static int run_document(struct sim_ctx *ctx, const struct sim_request *rq, const cJSON *vars,
			const struct gql_document *doc, struct sim_reply *rp)
{
	char err[256];
	struct page_request prs[MAX_ROOTS];
	int n_roots = 0;
	for (int i = doc->root; i >= 0; i = doc->fields[i].next, n_roots++) {
		const struct gql_field *r = &doc->fields[i];
		if (n_roots == MAX_ROOTS)
			return error_reply(rp, "Too many root fields in one query", "tooManyRoots");
		if (!strcmp(r->name, "shop") || !strcmp(r->name, "__typename") || count_table(r->name) ||
		    !strcmp(r->name, "currentAppInstallation"))
			continue;
		if (!strcmp(r->name, "order")) {
			char id[128];
			if (!gql_arg(r, "id", vars, id, sizeof id)) {
				snprintf(err, sizeof err,
					 "Field 'order' is missing required arguments: id");
				return error_reply(rp, err, "missingRequiredArguments");
			}
			continue;
		}
		const struct table_desc *td = find_table(r->name);
		if (!td) {
			snprintf(err, sizeof err, "Field '%s' doesn't exist on type 'QueryRoot'", r->name);
			return error_reply(rp, err, "undefinedField");
		}
		if (!page_args(r, td, vars, &prs[n_roots], err, sizeof err))
			return error_reply(rp, err, "argumentLiteralsIncompatible");
	}
	double requested = gql_requested_cost(doc);
	bool throttle = !ctx->opt.no_throttle;
	sim_bucket_refill(&ctx->shopify_bucket);
	if (throttle && requested > MAX_SINGLE_QUERY_COST)
		return max_cost_reply(rp, requested);
	/* Admission needs the requested cost; the charge is the actual cost. */
	if (throttle && ctx->shopify_bucket.available < requested) {
		if (rq->commit)
			ctx->shopify_throttled++;
		return throttled_reply(ctx, requested, rp);
	}
	/* Unthrottled (the ingest benchmark), nodes come pre-printed and the
	 * actual cost is estimated from the requested cost of each node. */
	bool raw = !throttle && !gql_uses_edges(doc);
	double estimated = 0;
	cJSON *out = cJSON_CreateObject();
	cJSON *data = cJSON_AddObjectToObject(out, "data");
	int k = 0;
	for (int i = doc->root; i >= 0; i = doc->fields[i].next, k++) {
		const struct gql_field *r = &doc->fields[i];
		if (!strcmp(r->name, "__typename")) {
			cJSON_AddStringToObject(data, "__typename", "QueryRoot");
		} else if (!strcmp(r->name, "shop")) {
			cJSON_AddItemToObject(data, "shop", sim_shopify_shop_node());
			estimated += gql_node_requested_cost(doc, i);
		} else if (!strcmp(r->name, "currentAppInstallation")) {
			cJSON_AddItemToObject(data, r->name, sim_shopify_app_installation(ctx));
			estimated += gql_node_requested_cost(doc, i);
		} else if (count_table(r->name)) {
			cJSON_AddItemToObject(data, r->name, count_node(ctx, count_table(r->name), r, vars));
			estimated += gql_node_requested_cost(doc, i);
		} else if (!strcmp(r->name, "order")) {
			/* QueryRoot.order(id:): one order by gid, null when unknown. Its
			 * nested lists come whole (hasNextPage false). */
			char id[128] = "";
			gql_arg(r, "id", vars, id, sizeof id);
			const char *num = strrchr(id, '/');
			int64_t want = num ? strtoll(num + 1, NULL, 10) : -1;
			const struct sim_order *found = NULL;
			for (size_t o = 0; o < ctx->model.n_orders && !found; o++)
				if (ctx->model.orders[o].id == want)
					found = &ctx->model.orders[o];
			if (found)
				cJSON_AddItemToObject(data, "order",
						      sim_shopify_order_node(&ctx->model, found));
			else
				cJSON_AddNullToObject(data, "order");
			estimated += gql_node_requested_cost(doc, i);
		} else {
			size_t returned = 0;
			cJSON *conn = connection(ctx, find_table(r->name), &prs[k],
						 has_child(doc, r, "edges"), raw, &returned);
			if (!conn) {
				cJSON_Delete(out);
				return -1;
			}
			cJSON_AddItemToObject(data, r->name, conn);
			estimated += 2 + (double)returned * gql_node_requested_cost(doc, i);
		}
	}
	if (!raw && gql_add_edges(doc, data)) {
		cJSON_Delete(out);
		return -1;
	}
	double actual = raw ? estimated : gql_actual_cost(doc, data);
	if (throttle && rq->commit) {
		sim_bucket_charge(&ctx->shopify_bucket, actual);
		ctx->shopify_cost_spent += actual;
	}
	cJSON_AddItemToObject(out, "extensions", cost_extension(ctx, requested, actual, true));
	return sim_reply_json(rp, 200, out);
}

/* Requested cost of the request's query (0 when it has none). */
static double requested_cost_of(const struct sim_request *rq)
{
	cJSON *body = cJSON_ParseWithLength(rq->body, rq->body_len);
	const cJSON *query = cJSON_GetObjectItemCaseSensitive(body, "query");
	struct gql_document *doc = malloc(sizeof *doc);
	double cost = 0;
	if (doc && cJSON_IsString(query) &&
	    gql_scan(query->valuestring, cJSON_GetObjectItemCaseSensitive(body, "variables"), doc) == 0)
		cost = gql_requested_cost(doc);
	free(doc);
	cJSON_Delete(body);
	return cost;
}

static int shopify_handle(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	char version[16] = "";
	const char *v = rq->path + 11;
	const char *slash = strchr(v, '/');
	if (slash && (size_t)(slash - v) < sizeof version)
		memcpy(version, v, (size_t)(slash - v));
	sim_reply_header(rp, "X-Shopify-API-Version", "%s", version[0] ? version : "2025-01");
	if (!slash || strcmp(slash, "/graphql.json") != 0)
		return sim_reply_literal(rp, 404, "{\"errors\":\"Not Found\"}");
	if (strcmp(rq->method, "POST") != 0)
		return sim_reply_literal(rp, 405, "{\"errors\":\"Method Not Allowed\"}");
	cJSON *body = cJSON_ParseWithLength(rq->body, rq->body_len);
	const cJSON *query = cJSON_GetObjectItemCaseSensitive(body, "query");
	if (!cJSON_IsString(query)) {
		cJSON_Delete(body);
		return sim_reply_literal(rp, 400,
					 "{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}");
	}
	const cJSON *vars = cJSON_GetObjectItemCaseSensitive(body, "variables");
	struct gql_document *doc = malloc(sizeof *doc);
	int rc;
	if (!doc)
		rc = -1;
	else if (gql_scan(query->valuestring, vars, doc) || doc->root < 0)
		rc = error_reply(rp, "syntax error, unexpected end of file", "parseError");
	else
		rc = run_document(ctx, rq, vars, doc, rp);
	free(doc);
	cJSON_Delete(body);
	return rc;
}

int sim_shopify_prewarm(struct sim_ctx *ctx)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		size_t n = sim_model_count(&ctx->model, tables[t].table);
		for (size_t row = 0; row < n; row++)
			if (!node_text(ctx, &tables[t], (uint32_t)row))
				return -1;
	}
	return 0;
}

void sim_shopify_cache_free(struct sim_ctx *ctx)
{
	for (size_t t = 0; t < sizeof ctx->shopify_nodes / sizeof ctx->shopify_nodes[0]; t++)
		sim_node_cache_free(&ctx->shopify_nodes[t]);
}

const struct sim_service sim_shopify_service = {
	.name = "shopify",
	.matches = shopify_matches,
	.authorized = shopify_authorized,
	.unauthorized = shopify_unauthorized,
	.fault = shopify_fault,
	.handle = shopify_handle,
};

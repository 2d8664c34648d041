#include "shopify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "graphql_scan.h"

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

static int shopify_fault(struct sim_ctx *ctx, enum sim_fault kind, struct sim_reply *rp)
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
		return throttled_reply(ctx, 0, rp);
	}
	return -1;
}

/* ---- JSON node builders ---------------------------------------------- */

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

static cJSON *product_node(const struct sim_model *m, uint32_t row)
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

static cJSON *customer_node(const struct sim_model *m, uint32_t row)
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

static cJSON *checkout_node(const struct sim_model *m, uint32_t row)
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

static cJSON *order_node_row(const struct sim_model *m, uint32_t row)
{
	return sim_shopify_order_node(m, &m->orders[row]);
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
	{"products", SIM_T_PRODUCTS, product_node, product_sorts, "ProductSortKeys"},
	{"orders", SIM_T_ORDERS, order_node_row, order_sorts, "OrderSortKeys"},
	{"customers", SIM_T_CUSTOMERS, customer_node, customer_sorts, "CustomerSortKeys"},
	{"abandonedCheckouts", SIM_T_CHECKOUTS, checkout_node, checkout_sorts,
	 "AbandonedCheckoutSortKeys"},
};

/* One term of Shopify search syntax on a timestamp field. */
struct time_filter {
	char field; /* 'u' updated_at, 'c' created_at, 'p' processed_at */
	char op[3];
	int64_t t;
};

static int parse_search(const char *q, struct time_filter *f, int max)
{
	int n = 0;
	const char *p = q;
	while (*p && n < max) {
		while (*p == ' ' || *p == '(' || *p == ')')
			p++;
		const char *term = p;
		while (*p && *p != ' ') {
			if (*p == '\'' || *p == '"') {
				char quote = *p++;
				while (*p && *p != quote)
					p++;
			}
			if (*p)
				p++;
		}
		size_t len = (size_t)(p - term);
		char buf[128];
		if (len == 0 || len >= sizeof buf)
			continue;
		memcpy(buf, term, len);
		buf[len] = '\0';
		char *colon = strchr(buf, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char field = !strcmp(buf, "updated_at")	  ? 'u'
			     : !strcmp(buf, "created_at")   ? 'c'
			     : !strcmp(buf, "processed_at") ? 'p'
							    : 0;
		if (!field)
			continue;
		char *v = colon + 1;
		struct time_filter *tf = &f[n];
		size_t ol = 0;
		while ((*v == '>' || *v == '<' || *v == '=') && ol < 2)
			tf->op[ol++] = *v++;
		tf->op[ol] = '\0';
		if (ol == 0)
			strcpy(tf->op, "=");
		if (*v == '\'' || *v == '"') {
			v++;
			size_t vl = strlen(v);
			if (vl)
				v[vl - 1] = '\0';
		}
		tf->field = field;
		if (sim_time_parse_iso(v, &tf->t) == 0)
			n++;
	}
	return n;
}

static void row_times(const struct sim_model *m, enum sim_table t, uint32_t row, int64_t *updated,
		      int64_t *created, int64_t *processed)
{
	switch (t) {
	case SIM_T_PRODUCTS:
		*updated = m->products[row].updated;
		*created = *processed = m->products[row].created;
		return;
	case SIM_T_ORDERS:
		*updated = m->orders[row].updated;
		*created = m->orders[row].created;
		*processed = m->orders[row].processed;
		return;
	case SIM_T_CUSTOMERS:
		*updated = m->customers[row].updated;
		*created = *processed = m->customers[row].created;
		return;
	case SIM_T_CHECKOUTS:
		*updated = m->checkouts[row].updated;
		*created = *processed = m->checkouts[row].created;
		return;
	}
}

static bool row_matches(const struct sim_model *m, enum sim_table t, uint32_t row,
			const struct time_filter *f, int nf)
{
	int64_t u = 0, c = 0, p = 0;
	row_times(m, t, row, &u, &c, &p);
	for (int i = 0; i < nf; i++) {
		int64_t v = f[i].field == 'u' ? u : f[i].field == 'c' ? c : p;
		const char *op = f[i].op;
		bool ok = !strcmp(op, ">")    ? v > f[i].t
			  : !strcmp(op, ">=") ? v >= f[i].t
			  : !strcmp(op, "<")  ? v < f[i].t
			  : !strcmp(op, "<=") ? v <= f[i].t
					      : v == f[i].t;
		if (!ok)
			return false;
	}
	return true;
}

/* Opaque cursor: base64 of {"last_id":ID,"last_value":"UPDATED"} like
 * Shopify's own; last_value is the updated time (epoch) for UPDATED_AT. */
static char *make_cursor(int64_t id, int64_t updated)
{
	char json[96];
	int n = snprintf(json, sizeof json, "{\"last_id\":%" PRId64 ",\"last_value\":\"%" PRId64 "\"}",
			 id, updated);
	return sim_base64_encode(json, (size_t)n);
}

static int read_cursor(const char *cursor, int64_t *id, int64_t *updated)
{
	char *json = sim_base64_decode(cursor);
	cJSON *doc = json ? cJSON_Parse(json) : NULL;
	free(json);
	const cJSON *jid = cJSON_GetObjectItemCaseSensitive(doc, "last_id");
	const cJSON *jv = cJSON_GetObjectItemCaseSensitive(doc, "last_value");
	int rc = -1;
	if (cJSON_IsNumber(jid) && cJSON_IsString(jv)) {
		*id = (int64_t)jid->valuedouble;
		*updated = strtoll(jv->valuestring, NULL, 10);
		rc = 0;
	}
	cJSON_Delete(doc);
	return rc;
}

struct page_request {
	long first;
	bool by_updated;
	bool has_after;
	int64_t after_id, after_updated;
	struct time_filter filters[4];
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

static cJSON *connection(struct sim_ctx *ctx, const struct table_desc *td,
			 const struct page_request *pr, bool edges, size_t *returned)
{
	struct sim_model *m = &ctx->model;
	struct sim_updated_index *ix = sim_model_index(m, td->table);
	size_t n = pr->by_updated ? ix->n : sim_model_count(m, td->table);
	size_t pos = pr->has_after
			     ? seek_after(m, td->table, pr->by_updated, pr->after_updated, pr->after_id)
			     : 0;
	/* A lower bound on updated_at lets the UPDATED_AT order skip ahead. */
	for (int i = 0; i < pr->n_filters && pr->by_updated; i++) {
		const struct time_filter *f = &pr->filters[i];
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
		if (!row_matches(m, td->table, row, pr->filters, pr->n_filters))
			continue;
		if ((long)count == pr->first) {
			more = true;
			break;
		}
		sim_model_row_key(m, td->table, row, &last_updated, &last_id);
		cJSON *node = td->node(m, row);
		if (edge_list) {
			cJSON *e = cJSON_CreateObject();
			char *cur = make_cursor(last_id, last_updated);
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
		char *cur = make_cursor(last_id, last_updated);
		cJSON_AddStringToObject(pi, "endCursor", cur ? cur : "");
		free(cur);
	} else {
		cJSON_AddNullToObject(pi, "endCursor");
	}
	*returned = count;
	return conn;
}

static cJSON *shop_node(void)
{
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "id", "gid://shopify/Shop/68123456789");
	cJSON_AddStringToObject(n, "name", "Sim Shop");
	cJSON_AddStringToObject(n, "myshopifyDomain", "sim-shop.myshopify.com");
	cJSON_AddStringToObject(n, "currencyCode", sim_currencies[SIM_SHOP_CURRENCY].code);
	cJSON_AddStringToObject(n, "ianaTimezone", SIM_SHOP_TIMEZONE);
	return n;
}

static const struct table_desc *find_table(const char *root)
{
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (!strcmp(tables[i].root, root))
			return &tables[i];
	return NULL;
}

/* Validates one connection's arguments; fills pr or an error message. */
static bool page_args(const struct gql_root *root, const struct table_desc *td, const cJSON *vars,
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
	if (gql_arg(root->args, "sortKey", vars, v, sizeof v)) {
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
	if (gql_arg(root->args, "after", vars, v, sizeof v)) {
		if (read_cursor(v, &pr->after_id, &pr->after_updated)) {
			snprintf(err, err_size, "Invalid cursor for current pagination sort.");
			return false;
		}
		pr->has_after = true;
	}
	if (gql_arg(root->args, "query", vars, v, sizeof v))
		pr->n_filters = parse_search(v, pr->filters, 4);
	return true;
}

static int run_document(struct sim_ctx *ctx, const struct sim_request *rq, const cJSON *vars,
			const struct gql_document *doc, struct sim_reply *rp)
{
	char err[256];
	struct page_request prs[GQL_MAX_ROOTS];
	for (int i = 0; i < doc->n_roots; i++) {
		const struct gql_root *r = &doc->roots[i];
		if (!strcmp(r->name, "shop") || !strcmp(r->name, "__typename"))
			continue;
		if (!strcmp(r->name, "order")) {
			char id[128];
			if (!gql_arg(r->args, "id", vars, id, sizeof id)) {
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
		if (!page_args(r, td, vars, &prs[i], err, sizeof err))
			return error_reply(rp, err, "argumentLiteralsIncompatible");
	}
	double requested = gql_total_cost(doc);
	bool throttle = !ctx->opt.no_throttle;
	sim_bucket_refill(&ctx->shopify_bucket);
	if (throttle && requested > MAX_SINGLE_QUERY_COST) {
		cJSON *out = cJSON_CreateObject();
		cJSON *e = cJSON_CreateObject();
		snprintf(err, sizeof err,
			 "Query cost is %.0f, which exceeds the single query max cost limit (%d).",
			 requested, MAX_SINGLE_QUERY_COST);
		cJSON_AddStringToObject(e, "message", err);
		cJSON *ext = cJSON_AddObjectToObject(e, "extensions");
		cJSON_AddStringToObject(ext, "code", "MAX_COST_EXCEEDED");
		cJSON_AddNumberToObject(ext, "cost", requested);
		cJSON_AddNumberToObject(ext, "maxCost", MAX_SINGLE_QUERY_COST);
		cJSON_AddItemToArray(cJSON_AddArrayToObject(out, "errors"), e);
		return sim_reply_json(rp, 200, out);
	}
	if (throttle && ctx->shopify_bucket.available < requested) {
		if (rq->commit)
			ctx->shopify_throttled++;
		return throttled_reply(ctx, requested, rp);
	}
	cJSON *out = cJSON_CreateObject();
	cJSON *data = cJSON_AddObjectToObject(out, "data");
	double actual = 0;
	for (int i = 0; i < doc->n_roots; i++) {
		const struct gql_root *r = &doc->roots[i];
		if (!strcmp(r->name, "__typename")) {
			cJSON_AddStringToObject(data, "__typename", "QueryRoot");
			continue;
		}
		if (!strcmp(r->name, "shop")) {
			cJSON_AddItemToObject(data, "shop", shop_node());
			actual += r->cost;
			continue;
		}
		if (!strcmp(r->name, "order")) {
			/* QueryRoot.order(id:): one order by gid, null when unknown. Its
			 * nested lists come whole (hasNextPage false). */
			char id[128];
			gql_arg(r->args, "id", vars, id, sizeof id);
			const char *num = strrchr(id, '/');
			int64_t want = num ? strtoll(num + 1, NULL, 10) : -1;
			const struct sim_order *found = NULL;
			for (size_t k = 0; k < ctx->model.n_orders && !found; k++)
				if (ctx->model.orders[k].id == want)
					found = &ctx->model.orders[k];
			if (found)
				cJSON_AddItemToObject(data, "order",
						      sim_shopify_order_node(&ctx->model, found));
			else
				cJSON_AddNullToObject(data, "order");
			actual += r->cost;
			continue;
		}
		size_t returned;
		cJSON *conn = connection(ctx, find_table(r->name), &prs[i], doc->uses_edges, &returned);
		cJSON_AddItemToObject(data, r->name, conn);
		/* Nested connections are charged at their requested size. */
		actual += 2 + (double)returned * r->node_cost;
	}
	if (throttle && rq->commit) {
		sim_bucket_charge(&ctx->shopify_bucket, actual);
		ctx->shopify_cost_spent += actual;
	}
	cJSON_AddItemToObject(out, "extensions", cost_extension(ctx, requested, actual, true));
	return sim_reply_json(rp, 200, out);
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
	else if (gql_scan(query->valuestring, vars, doc) || doc->n_roots == 0)
		rc = error_reply(rp, "syntax error, unexpected end of file", "parseError");
	else
		rc = run_document(ctx, rq, vars, doc, rp);
	free(doc);
	cJSON_Delete(body);
	return rc;
}

const struct sim_service sim_shopify_service = {
	.name = "shopify",
	.matches = shopify_matches,
	.authorized = shopify_authorized,
	.unauthorized = shopify_unauthorized,
	.fault = shopify_fault,
	.handle = shopify_handle,
};

#include "shopify_bulk.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shopify.h"
#include "shopify_nodes.h"
#include "shopify_search.h"
#include "simtime.h"

#define MAX_OPS 64

enum op_status { OP_CREATED, OP_RUNNING, OP_COMPLETED, OP_FAILED, OP_CANCELED, OP_EXPIRED };
static const char *const status_names[] = {"CREATED",  "RUNNING",  "COMPLETED",
					   "FAILED",   "CANCELED", "EXPIRED"};

struct op {
	int64_t num;
	bool foreign; /* another client's (the in-progress fault) */
	enum sim_table table;
	char *query;
	struct sim_time_filter filters[4];
	int nf;
	bool grouped;
	int64_t created_at, completed_at; /* simulated time */
	double started_mono, due, completed_mono; /* real time */
	enum op_status status;
	const char *error_code;
	char path[64], partial_path[64];
	long long objects, roots, size, partial_size;
};

static struct {
	struct op ops[MAX_OPS];
	int n;
	int64_t next_num;
	double rate, url_ttl;
	const char *fault;
	long jobs, served, with_credential;
	uint64_t key; /* signs result URLs */
} st;

int sim_shopify_bulk_init(struct sim_ctx *ctx)
{
	st.rate = ctx->opt.bulk_rate;
	st.url_ttl = (double)ctx->opt.bulk_url_ttl;
	st.fault = ctx->opt.bulk_fault;
	st.next_num = 4412345678901;
	st.key = (uint64_t)sim_time_real_now() * 0x9e3779b97f4a7c15ULL | 1;
	if (st.fault && !strcmp(st.fault, "in-progress")) {
		/* Another client's bulk query, running for the first 3 seconds. */
		struct op *o = &st.ops[st.n++];
		o->num = st.next_num++;
		o->foreign = true;
		o->table = SIM_T_PRODUCTS;
		o->query = strdup("{ products { edges { node { id handle } } } }");
		o->created_at = sim_model_now(&ctx->model);
		o->started_mono = sim_time_monotonic();
		o->due = o->started_mono + 3.0;
		o->status = OP_RUNNING;
		if (!o->query)
			return -1;
	}
	return 0;
}

void sim_shopify_bulk_free(void)
{
	for (int i = 0; i < st.n; i++) {
		if (st.ops[i].path[0])
			unlink(st.ops[i].path);
		if (st.ops[i].partial_path[0])
			unlink(st.ops[i].partial_path);
		free(st.ops[i].query);
	}
	st.n = 0;
}

void sim_shopify_bulk_counts(long *jobs, long *served, long *with_credential)
{
	*jobs = st.jobs;
	*served = st.served;
	*with_credential = st.with_credential;
}

bool sim_shopify_bulk_root(const char *name)
{
	return !strcmp(name, "bulkOperationRunQuery") || !strcmp(name, "bulkOperation") ||
	       !strcmp(name, "currentBulkOperation");
}

static struct op *find_op(int64_t num)
{
	for (int i = 0; i < st.n; i++)
		if (st.ops[i].num == num)
			return &st.ops[i];
	return NULL;
}

/* ---- the JSONL result ---------------------------------------------------- */

static int put_line(FILE *f, cJSON *node, long long *objects)
{
	char *text = cJSON_PrintUnformatted(node);
	if (!text)
		return -1;
	int rc = fputs(text, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;
	free(text);
	(*objects)++;
	return rc;
}

/* The nested connections of an order as lines of their own; refunds (a
 * list) stay inline without their refundLineItems connection. */
static cJSON *split_order(cJSON *order)
{
	cJSON *children = cJSON_CreateArray();
	const char *oid = cJSON_GetObjectItemCaseSensitive(order, "id")->valuestring;
	cJSON *lines = cJSON_DetachItemFromObjectCaseSensitive(order, "lineItems");
	cJSON *n;
	cJSON *nodes = cJSON_GetObjectItemCaseSensitive(lines, "nodes");
	while (nodes && (n = cJSON_DetachItemFromArray(nodes, 0))) {
		cJSON_AddStringToObject(n, "__parentId", oid);
		cJSON_AddItemToArray(children, n);
	}
	cJSON_Delete(lines);
	cJSON *rf;
	cJSON_ArrayForEach(rf, cJSON_GetObjectItemCaseSensitive(order, "refunds")) {
		const char *rid = cJSON_GetObjectItemCaseSensitive(rf, "id")->valuestring;
		cJSON *rl = cJSON_DetachItemFromObjectCaseSensitive(rf, "refundLineItems");
		cJSON *rn = cJSON_GetObjectItemCaseSensitive(rl, "nodes");
		while (rn && (n = cJSON_DetachItemFromArray(rn, 0))) {
			cJSON_AddStringToObject(n, "__parentId", rid);
			cJSON_AddItemToArray(children, n);
		}
		cJSON_Delete(rl);
	}
	return children;
}

static int flush_children(FILE *f, cJSON *children, long long *objects)
{
	cJSON *n;
	int rc = 0;
	cJSON_ArrayForEach(n, children)
		if (!rc)
			rc = put_line(f, n, objects);
	cJSON_Delete(children);
	return rc;
}

/* Writes the result file; with limit >= 0 only the first limit root objects
 * (the partial result of a failed job). Without groupObjects a node's
 * children follow the next root object, so a child is never next to its
 * parent when another root object exists. */
static int write_result(struct sim_ctx *ctx, struct op *o, long long limit, char *path,
			long long *size, long long *objects, long long *roots)
{
	snprintf(path, 64, "/tmp/okdf-sim-bulk-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	const struct sim_model *m = &ctx->model;
	size_t n = sim_model_count(m, o->table);
	cJSON *held = NULL;
	int rc = 0;
	*objects = *roots = 0;
	for (size_t row = 0; row < n && !rc; row++) {
		if (!sim_shopify_row_matches(m, o->table, (uint32_t)row, o->filters, o->nf) ||
		    !sim_shopify_visible(ctx, o->table, (uint32_t)row))
			continue;
		if (limit >= 0 && *roots >= limit)
			break;
		cJSON *node = o->table == SIM_T_ORDERS	   ? sim_shopify_order_row_node(m, (uint32_t)row)
			      : o->table == SIM_T_PRODUCTS  ? sim_shopify_product_node(m, (uint32_t)row)
			      : o->table == SIM_T_CUSTOMERS ? sim_shopify_customer_node(m, (uint32_t)row)
							    : sim_shopify_checkout_node(m, (uint32_t)row);
		cJSON *children = o->table == SIM_T_ORDERS ? split_order(node) : cJSON_CreateArray();
		rc = put_line(f, node, objects);
		(*roots)++;
		cJSON_Delete(node);
		if (!rc && held)
			rc = flush_children(f, held, objects);
		held = NULL;
		if (o->grouped && !rc)
			rc = flush_children(f, children, objects);
		else
			held = children;
	}
	if (held && !rc)
		rc = flush_children(f, held, objects);
	else
		cJSON_Delete(held);
	if (fflush(f) != 0)
		rc = -1;
	struct stat sb;
	*size = fstat(fd, &sb) == 0 ? (long long)sb.st_size : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Counts what a job will read: its duration follows from --bulk-rate. */
static long long count_objects(struct sim_ctx *ctx, const struct op *o)
{
	const struct sim_model *m = &ctx->model;
	size_t n = sim_model_count(m, o->table);
	long long count = 0;
	for (size_t row = 0; row < n; row++) {
		if (!sim_shopify_row_matches(m, o->table, (uint32_t)row, o->filters, o->nf) ||
		    !sim_shopify_visible(ctx, o->table, (uint32_t)row))
			continue;
		count++;
		if (o->table == SIM_T_ORDERS) {
			const struct sim_order *od = &m->orders[row];
			count += od->n_lines;
			for (int r = 0; r < od->n_refunds; r++)
				for (int i = 0; i < od->n_lines; i++)
					count += od->refunds[r].line_qty[i] != 0;
		}
	}
	return count;
}

/* Moves a job along real time: RUNNING, then COMPLETED (the result written
 * at that moment) or FAILED as the fault says; results expire url_ttl
 * after completion. */
static void advance(struct sim_ctx *ctx, struct op *o)
{
	double now = sim_time_monotonic();
	if (o->status == OP_CREATED)
		o->status = OP_RUNNING;
	if (o->status == OP_RUNNING && now >= o->due) {
		/* It finished at due, however late someone looks. */
		o->completed_at = o->created_at + (int64_t)(o->due - o->started_mono);
		o->completed_mono = o->due;
		if (o->foreign) {
			o->status = OP_COMPLETED;
			return;
		}
		const char *fault = o->table == SIM_T_ORDERS ? st.fault : NULL;
		long long objs, roots;
		if (fault && (!strcmp(fault, "ACCESS_DENIED") || !strcmp(fault, "TIMEOUT") ||
			      !strcmp(fault, "INTERNAL_SERVER_ERROR"))) {
			o->status = OP_FAILED;
			o->error_code = fault;
			/* A job that ran out of time leaves what it had read. */
			if (!strcmp(fault, "TIMEOUT") &&
			    write_result(ctx, o, 1 + (long long)count_objects(ctx, o) / 8, o->partial_path,
					 &o->partial_size, &objs, &roots))
				o->partial_path[0] = '\0';
			return;
		}
		if (write_result(ctx, o, -1, o->path, &o->size, &o->objects, &o->roots)) {
			o->status = OP_FAILED;
			o->error_code = "INTERNAL_SERVER_ERROR";
			o->path[0] = '\0';
			return;
		}
		o->status = OP_COMPLETED;
		if (o->roots == 0) { /* nothing matched: no url */
			unlink(o->path);
			o->path[0] = '\0';
		}
	}
	if ((o->status == OP_COMPLETED || o->status == OP_FAILED) && o->completed_mono > 0 &&
	    now - o->completed_mono > st.url_ttl && !o->foreign) {
		o->status = o->status == OP_COMPLETED ? OP_EXPIRED : o->status;
		if (o->path[0])
			unlink(o->path);
		if (o->partial_path[0])
			unlink(o->partial_path);
		o->path[0] = o->partial_path[0] = '\0';
	}
}

static uint64_t sign(int64_t num, long long expires, bool partial)
{
	uint64_t h = st.key ^ (uint64_t)num * 0x100000001b3ULL;
	h ^= (uint64_t)expires + (partial ? 0x5bd1e995ULL : 0);
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static void add_url(struct sim_ctx *ctx, cJSON *obj, const char *key, const struct op *o,
		    bool partial)
{
	long long expires = sim_time_real_now() + (long long)(st.url_ttl - (sim_time_monotonic() -
									 o->completed_mono));
	char url[256];
	snprintf(url, sizeof url,
		 "%s/bulk-results/%" PRId64 "%s.jsonl?expires=%lld&signature=%016" PRIx64,
		 ctx->base_url, o->num, partial ? "-partial" : "", expires, sign(o->num, expires, partial));
	cJSON_AddStringToObject(obj, key, url);
}

static cJSON *op_node(struct sim_ctx *ctx, struct op *o)
{
	char gid[64], iso[SIM_ISO_LEN], num[32];
	cJSON *n = cJSON_CreateObject();
	snprintf(gid, sizeof gid, "gid://shopify/BulkOperation/%" PRId64, o->num);
	cJSON_AddStringToObject(n, "id", gid);
	cJSON_AddStringToObject(n, "status", status_names[o->status]);
	if (o->error_code)
		cJSON_AddStringToObject(n, "errorCode", o->error_code);
	else
		cJSON_AddNullToObject(n, "errorCode");
	sim_time_iso_utc(o->created_at, iso);
	cJSON_AddStringToObject(n, "createdAt", iso);
	if (o->completed_at) {
		sim_time_iso_utc(o->completed_at, iso);
		cJSON_AddStringToObject(n, "completedAt", iso);
	} else {
		cJSON_AddNullToObject(n, "completedAt");
	}
	/* UnsignedInt64 is serialised as a string. */
	snprintf(num, sizeof num, "%lld", o->objects);
	cJSON_AddStringToObject(n, "objectCount", num);
	snprintf(num, sizeof num, "%lld", o->roots);
	cJSON_AddStringToObject(n, "rootObjectCount", num);
	if (o->status == OP_COMPLETED && o->path[0]) {
		snprintf(num, sizeof num, "%lld", o->size);
		cJSON_AddStringToObject(n, "fileSize", num);
		add_url(ctx, n, "url", o, false);
	} else {
		cJSON_AddNullToObject(n, "fileSize");
		cJSON_AddNullToObject(n, "url");
	}
	if (o->status == OP_FAILED && o->partial_path[0])
		add_url(ctx, n, "partialDataUrl", o, true);
	else
		cJSON_AddNullToObject(n, "partialDataUrl");
	cJSON_AddStringToObject(n, "query", o->query ? o->query : "");
	cJSON_AddStringToObject(n, "type", "QUERY");
	return n;
}

static cJSON *user_error(cJSON *payload, const char *message, const char *code)
{
	cJSON *errs = cJSON_AddArrayToObject(payload, "userErrors");
	cJSON *ue = cJSON_CreateObject();
	cJSON *field = cJSON_AddArrayToObject(ue, "field");
	cJSON_AddItemToArray(field, cJSON_CreateString("query"));
	cJSON_AddStringToObject(ue, "message", message);
	cJSON_AddStringToObject(ue, "code", code);
	cJSON_AddItemToArray(errs, ue);
	cJSON_AddNullToObject(payload, "bulkOperation");
	return payload;
}

static bool running(const struct op *o)
{
	return o->status == OP_CREATED || o->status == OP_RUNNING;
}

static cJSON *run_query(struct sim_ctx *ctx, const struct gql_field *f, const cJSON *vars,
			bool commit, char *err, size_t err_size)
{
	char grouped[16];
	if (!gql_arg(f, "groupObjects", vars, grouped, sizeof grouped)) {
		snprintf(err, err_size,
			 "Field 'bulkOperationRunQuery' is missing required arguments: groupObjects");
		return NULL;
	}
	char *query = malloc(65536);
	if (!query || !gql_arg(f, "query", vars, query, 65536)) {
		free(query);
		snprintf(err, err_size,
			 "Field 'bulkOperationRunQuery' is missing required arguments: query");
		return NULL;
	}
	cJSON *payload = cJSON_CreateObject();
	struct gql_document *doc = malloc(sizeof *doc);
	int live = 0;
	for (int i = 0; i < st.n; i++) {
		advance(ctx, &st.ops[i]);
		live += running(&st.ops[i]);
	}
	/* The in-progress fault restores the limit of one bulk query at a time
	 * that applied before 2026-01; from then on five may run. */
	int limit = st.fault && !strcmp(st.fault, "in-progress") ? 1 : 5;
	const struct gql_field *root = NULL;
	if (doc && gql_scan(query, NULL, doc) == 0 && doc->root >= 0 &&
	    doc->fields[doc->root].next < 0)
		root = &doc->fields[doc->root];
	enum sim_table table = SIM_T_ORDERS;
	bool known = root && (!strcmp(root->name, "orders") || !strcmp(root->name, "products") ||
			      !strcmp(root->name, "customers") ||
			      !strcmp(root->name, "abandonedCheckouts"));
	if (known)
		table = !strcmp(root->name, "orders")	    ? SIM_T_ORDERS
			: !strcmp(root->name, "products")  ? SIM_T_PRODUCTS
			: !strcmp(root->name, "customers") ? SIM_T_CUSTOMERS
							   : SIM_T_CHECKOUTS;
	if (!known) {
		user_error(payload,
			   "Invalid bulk query: the query must select exactly one top-level "
			   "connection field (orders, products, customers or abandonedCheckouts in "
			   "this simulator)",
			   "INVALID");
	} else if (live >= limit) {
		user_error(payload,
			   "A bulk query operation for this app and shop is already in progress.",
			   "OPERATION_IN_PROGRESS");
	} else if (st.n == MAX_OPS && commit) {
		user_error(payload, "Too many bulk operations.", "LIMIT_REACHED");
	} else if (commit) {
		struct op *o = &st.ops[st.n++];
		memset(o, 0, sizeof *o);
		o->num = st.next_num++;
		o->table = table;
		o->query = strdup(query);
		char q[512];
		o->nf = gql_arg(root, "query", NULL, q, sizeof q)
				? sim_shopify_parse_search(q, o->filters, 4)
				: 0;
		o->grouped = !strcmp(grouped, "true");
		o->created_at = sim_model_now(&ctx->model);
		long long objects = count_objects(ctx, o);
		o->started_mono = sim_time_monotonic();
		o->due = o->started_mono + (st.rate > 0 ? (double)objects / st.rate : 0) + 0.2;
		o->status = OP_CREATED;
		st.jobs++;
		cJSON_AddItemToObject(payload, "bulkOperation", op_node(ctx, o));
		cJSON_AddArrayToObject(payload, "userErrors");
	} else {
		cJSON_AddNullToObject(payload, "bulkOperation");
		cJSON_AddArrayToObject(payload, "userErrors");
	}
	free(doc);
	free(query);
	return payload;
}

cJSON *sim_shopify_bulk_field(struct sim_ctx *ctx, const struct gql_field *f, const cJSON *vars,
			      bool commit, char *err, size_t err_size)
{
	if (!strcmp(f->name, "bulkOperationRunQuery"))
		return run_query(ctx, f, vars, commit, err, err_size);
	if (!strcmp(f->name, "currentBulkOperation")) {
		struct op *newest = NULL;
		for (int i = 0; i < st.n; i++) {
			advance(ctx, &st.ops[i]);
			newest = &st.ops[i];
		}
		return newest ? op_node(ctx, newest) : cJSON_CreateNull();
	}
	char id[128];
	if (!gql_arg(f, "id", vars, id, sizeof id)) {
		snprintf(err, err_size, "Field 'bulkOperation' is missing required arguments: id");
		return NULL;
	}
	const char *slash = strrchr(id, '/');
	struct op *o = slash && !strncmp(id, "gid://shopify/BulkOperation/", 28)
			       ? find_op(strtoll(slash + 1, NULL, 10))
			       : NULL;
	if (!o || o->foreign)
		return cJSON_CreateNull();
	advance(ctx, o);
	return op_node(ctx, o);
}

/* ---- storage: GET /bulk-results/NUM[-partial].jsonl?expires=&signature= ---- */

static bool storage_matches(const char *path)
{
	return !strncmp(path, "/bulk-results/", 14);
}

/* The storage checks only its signature; it rejects no header, but counts
 * (and reports on stderr) every request that carried a credential. */
static bool storage_authorized(const struct sim_request *rq)
{
	(void)rq;
	return true;
}

static int storage_error(struct sim_reply *rp, unsigned status, const char *code,
			 const char *details)
{
	char xml[512];
	snprintf(xml, sizeof xml,
		 "<?xml version='1.0' encoding='UTF-8'?><Error><Code>%s</Code><Message>%s</Message>"
		 "<Details>%s</Details></Error>",
		 code, status == 400 ? "Invalid argument." : "Access denied.", details);
	rp->body = strdup(xml);
	rp->len = rp->body ? strlen(xml) : 0;
	rp->status = status;
	rp->content_type = "application/xml; charset=UTF-8";
	return rp->body ? 0 : -1;
}

static int storage_fault(struct sim_ctx *ctx, const struct sim_request *rq, enum sim_fault kind,
			 struct sim_reply *rp)
{
	(void)ctx;
	(void)rq;
	(void)kind;
	return storage_error(rp, 503, "ServiceUnavailable", "Please retry.");
}

static int storage_handle(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	if (sim_request_header(rq, "X-Shopify-Access-Token") ||
	    sim_request_header(rq, "Authorization")) {
		st.with_credential++;
		fprintf(stderr, "okdf-sim: a bulk result was requested WITH a credential header\n");
	}
	if (strcmp(rq->method, "GET") != 0)
		return storage_error(rp, 405, "MethodNotAllowed", "GET only.");
	char *end;
	int64_t num = strtoll(rq->path + 14, &end, 10);
	bool partial = !strncmp(end, "-partial", 8);
	const char *expires_s = sim_request_arg(rq, "expires");
	const char *sig_s = sim_request_arg(rq, "signature");
	struct op *o = find_op(num);
	long long expires = expires_s ? strtoll(expires_s, NULL, 10) : 0;
	char want[24];
	snprintf(want, sizeof want, "%016" PRIx64, sign(num, expires, partial));
	if (!o || !sig_s || strcmp(sig_s, want) != 0)
		return storage_error(rp, 403, "SignatureDoesNotMatch",
				     "The request signature we calculated does not match.");
	if (o)
		advance(ctx, o);
	const char *path = partial ? o->partial_path : o->path;
	if (sim_time_real_now() > expires || !path[0])
		return storage_error(rp, 400, "ExpiredToken",
				     "The provided token has expired.");
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return storage_error(rp, 404, "NoSuchKey", "The specified key does not exist.");
	rp->has_fd = true;
	rp->fd = fd;
	rp->fd_size = (uint64_t)(partial ? o->partial_size : o->size);
	rp->status = 200;
	rp->content_type = "application/jsonl";
	if (rq->commit)
		st.served++;
	return 0;
}

const struct sim_service sim_shopify_storage_service = {
	.name = "storage",
	.matches = storage_matches,
	.authorized = storage_authorized,
	.unauthorized = NULL,
	.fault = storage_fault,
	.handle = storage_handle,
};

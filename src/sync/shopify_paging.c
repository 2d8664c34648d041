/* Shopify cursors and paging: a resource is read in UPDATED_AT (or ID)
 * order filtered by `updated_at:>=` the newest updatedAt of the last full
 * pass. The cursor (filter bound, page cursor, newest seen, a bulk operation
 * under way) is written in the transaction that writes the pages it covers,
 * a few pages batched into one; the page size is learnt from what Shopify
 * says a node costs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/db.h"
#include "okdf/store/sync_state.h"
#include "shopify_private.h"

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

char *shopify_cursor_text(const struct cursor *cu)
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
	char *text = shopify_cursor_text(cu);
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
			rc = sync_cursor_put(c->db, c->name, res->name, text, c->now, e);
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

/* One page of a resource as Shopify answered it. */
struct page {
	http_response resp;
	cJSON *nodes;    /* inside resp */
	const char *end; /* pageInfo.endCursor, inside resp */
	int last;        /* no page follows */
};

/* The variables of the next page's query; NULL when out of memory. */
static cJSON *page_vars(int first, const struct cursor *cu)
{
	cJSON *vars = cJSON_CreateObject();
	if (!vars)
		return NULL;
	cJSON_AddNumberToObject(vars, "first", first);
	if (cu->after)
		cJSON_AddStringToObject(vars, "after", cu->after);
	if (cu->has_since) {
		char iso[32], q[64];
		time_format_utc(cu->since, iso, sizeof iso);
		snprintf(q, sizeof q, "updated_at:>='%s'", iso);
		cJSON_AddStringToObject(vars, "query", q);
	}
	return vars;
}

/* Fetches the page of first nodes after the cursor, paced by what a node
 * costs (*per_node, learnt again from what Shopify asked for this page). */
static int page_fetch(struct shopify *sh, const struct resource *res, int first,
	const struct cursor *cu, double *per_node, struct page *p, okdf_err *e)
{
	cJSON *vars = page_vars(first, cu);
	if (!vars)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	double expected = *per_node > 0 ? 2 + *per_node * first : sh->last_requested;
	int rc = shopify_graphql(sh, res->doc, vars, expected, &p->resp, e);
	if (rc)
		return rc;
	char path[64];
	snprintf(path, sizeof path, "data.%s", res->root);
	const cJSON *conn = json_path(p->resp.json, path);
	p->nodes = (cJSON *)json_path(conn, "nodes");
	const cJSON *more = json_path(conn, "pageInfo.hasNextPage");
	p->end = json_str(conn, "pageInfo.endCursor");
	if (!cJSON_IsArray(p->nodes) || !cJSON_IsBool(more) || (cJSON_IsTrue(more) && !p->end)) {
		http_response_free(&p->resp);
		return okdf_err_set(e, OKDF_EINPUT, "answer without nodes or pageInfo");
	}
	p->last = !cJSON_IsTrue(more);
	const cJSON *req = json_path(p->resp.json, "extensions.cost.requestedQueryCost");
	if (cJSON_IsNumber(req) && first > 0)
		*per_node = (req->valuedouble - 2) / first;
	return OKDF_OK;
}

/* Completes the nodes that need more requests and keeps the newest
 * updatedAt seen in the pass. */
static int page_scan(struct shopify *sh, const struct resource *res, cJSON *nodes,
	struct cursor *cu, okdf_err *e)
{
	int rc = OKDF_OK;
	cJSON *n;
	cJSON_ArrayForEach(n, nodes) {
		long long updated;
		int null_u;
		if (!rc && res->complete)
			rc = res->complete(sh, n, e);
		if (!rc && json_time(n, "updatedAt", &updated, &null_u, e) == OKDF_OK && !null_u &&
			(!cu->has_max || updated > cu->max)) {
			cu->max = updated;
			cu->has_max = 1;
		}
	}
	return rc;
}

/* Moves the cursor past the page; after the last one, the pass is over. */
static int cursor_advance(struct cursor *cu, const struct resource *res, const struct page *p,
	long long now, okdf_err *e)
{
	/* In ID order a row updated during the pass may sit behind the page
	 * cursor already; the next pass must start no later than this one
	 * began, by the server's clock. */
	if (res->id_order && !cu->after && !cu->has_start)
		cu->has_start = http_date(&p->resp, &cu->start) == OKDF_OK;
	free(cu->after);
	cu->after = p->last ? NULL : strdup(p->end);
	if (!p->last && !cu->after)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	if (p->last && cu->has_max) {
		/* Next pass: from the newest row seen (>=, so ties are re-read, not lost). */
		cu->since = cu->has_start && cu->start < cu->max ? cu->start : cu->max;
		cu->has_since = 1;
	}
	if (p->last)
		cu->synced = now;
	if (p->last)
		cu->has_start = 0;
	return OKDF_OK;
}

/* Takes the page (and its response) into the batch, flushed with the cursor
 * at the last page or when the batch is full or old enough. */
static int batch_add(struct shopify *sh, const struct resource *res, struct batch *b,
	const struct page *p, const struct cursor *cu, okdf_err *e)
{
	if (b->n == 0)
		b->started = http_monotonic();
	b->pages[b->n] = p->resp;
	b->nodes[b->n++] = p->nodes;
	b->nodes_total += cJSON_GetArraySize(p->nodes);
	if (p->last || b->n == BATCH_PAGES || b->nodes_total >= BATCH_NODES ||
		http_monotonic() - b->started >= BATCH_SECONDS)
		return batch_flush(sh, res, b, cu, e);
	return OKDF_OK;
}

/* The page size the cost budget allows: half the bucket, at most
 * MAX_QUERY_COST, within Shopify's 1..250. */
static int page_size(const struct shopify *sh, double per_node)
{
	double budget = MAX_QUERY_COST;
	if (sh->have_bucket && sh->maximum / 2 < budget)
		budget = sh->maximum / 2;
	/* Clamped as a double: a wild cost must not overflow the cast. */
	double f = (budget - 2) / per_node;
	return !(f >= 1) ? 1 : f > 250 ? 250 : (int)f;
}

int shopify_sync_resource(struct shopify *sh, int idx, const struct resource *res, okdf_err *e)
{
	sync_ctx *c = sh->c;
	char *saved;
	int rc = sync_cursor_get(c->db, c->name, res->name, &saved, e);
	if (rc)
		return rc;
	struct cursor cu;
	cursor_load(saved, &cu);
	free(saved);
	if (shopify_wants_bulk(c, res, &cu)) {
		int fallback;
		rc = shopify_bulk_resource(sh, res, &cu, &fallback, e);
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
		struct page p;
		rc = page_fetch(sh, res, sh->page_first[idx], &cu, &per_node, &p, e);
		if (rc)
			break;
		rc = page_scan(sh, res, p.nodes, &cu, e);
		if (!rc)
			rc = cursor_advance(&cu, res, &p, c->now, e);
		if (rc) {
			http_response_free(&p.resp);
			break;
		}
		last = p.last;
		rc = batch_add(sh, res, b, &p, &cu, e);
		if (rc)
			break;
		if (per_node > 0)
			sh->page_first[idx] = page_size(sh, per_node);
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

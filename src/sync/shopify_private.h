/* What the Shopify connector's files share and nothing else sees: the
 * connector's state across passes (struct shopify), the table of resources it
 * reads, the resource cursor kept in sync_state, and the functions one of its
 * files offers the others. shopify.c runs a pass; shopify_transport.c sends
 * GraphQL paced by the cost bucket; shopify_token.c holds the client
 * credentials token; shopify_nodes.c turns nodes into rows; shopify_paging.c
 * reads a resource page by page; shopify_bulk.c backfills it through a bulk
 * operation. */
#ifndef OKDF_SYNC_SHOPIFY_PRIVATE_H
#define OKDF_SYNC_SHOPIFY_PRIVATE_H

#include <stddef.h>

#include "okdf/store/orders.h"
#include "okdf/sync/shopify.h"

#define MAX_QUERY_COST 1000.0 /* Shopify refuses single queries above this */

struct shopify;

struct resource {
	const char *name;     /* sync_state.resource */
	const char *doc;
	const char *root;     /* the connection under data */
	int first;            /* initial page size, then learnt from the cost */
	int id_order;         /* sorted by ID, not UPDATED_AT (see shopify_paging.c) */
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
	orders_writer *w;
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

/* shopify_transport.c: POSTs doc with vars (taken) to the shop's GraphQL
 * endpoint once the bucket covers expected_cost; a refused granted token is
 * renewed once. */
int shopify_graphql(struct shopify *sh, const char *doc, cJSON *vars, double expected_cost,
	http_response *resp, okdf_err *e);
/* Copies the [A-Za-z0-9_] prefix of s: all of an error code or field name
 * that goes into a warning. */
void shopify_word_of(const char *s, char *out, size_t n);

/* shopify_token.c */
void shopify_set_token_header(struct shopify *sh, const char *token);
/* Asks for a client credentials token when there is none or it is due. */
int shopify_ensure_token(struct shopify *sh, okdf_err *e);

/* shopify_nodes.c: the resources' store, complete and bulk_child hooks. */
int shopify_put_product(struct shopify *sh, const cJSON *n, okdf_err *e);
int shopify_put_customer(struct shopify *sh, const cJSON *n, okdf_err *e);
int shopify_put_checkout(struct shopify *sh, const cJSON *n, okdf_err *e);
int shopify_put_order(struct shopify *sh, const cJSON *n, okdf_err *e);
int shopify_complete_order(struct shopify *sh, cJSON *node, okdf_err *e);
int shopify_order_child(struct shopify *sh, const char *parent, const cJSON *node, okdf_err *e);

/* shopify_paging.c */
/* The cursor as stored in sync_state; NULL when out of memory. */
char *shopify_cursor_text(const struct cursor *cu);
/* Reads resource idx of the table from its cursor on, in batches of pages. */
int shopify_sync_resource(struct shopify *sh, int idx, const struct resource *res, okdf_err *e);

/* shopify_bulk.c: whether this pass backfills res through a bulk operation
 * (the first sync, or a resync after days away; never with backfill =
 * paged). */
int shopify_wants_bulk(const sync_ctx *c, const struct resource *res, const struct cursor *cu);
/* Runs (or resumes) the bulk backfill of res. *fallback = 1 when the pass
 * must page instead; the cursor then keeps its old bound. */
int shopify_bulk_resource(struct shopify *sh, const struct resource *res, struct cursor *cu,
	int *fallback, okdf_err *e);

#endif

/* Shopify bulk operations: bulkOperationRunQuery, bulkOperation(id),
 * currentBulkOperation, and the JSONL results on a storage path of their
 * own (in production another host, signed URLs). */
#ifndef OKDF_SIM_SHOPIFY_BULK_H
#define OKDF_SIM_SHOPIFY_BULK_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "context.h"
#include "graphql_scan.h"

extern const struct sim_service sim_shopify_storage_service;

/* Options: objects per second a job reads (--bulk-rate), result URL
 * lifetime (--bulk-url-ttl) and a fault (--bulk-fault, NULL for none). */
int sim_shopify_bulk_init(struct sim_ctx *ctx);
/* Deletes the result files. */
void sim_shopify_bulk_free(void);

/* True for the root fields this module answers. */
bool sim_shopify_bulk_root(const char *name);
/* The value of one such root field (caller holds the model lock), or NULL
 * with a GraphQL error message in err. */
cJSON *sim_shopify_bulk_field(struct sim_ctx *ctx, const struct gql_field *f, const cJSON *vars,
			      bool commit, char *err, size_t err_size);

/* For the shutdown summary. */
void sim_shopify_bulk_counts(long *jobs, long *served, long *with_credential);

#endif

/* Shopify Admin GraphQL API: POST /admin/api/{version}/graphql.json. */
#ifndef OKDF_SIM_SHOPIFY_H
#define OKDF_SIM_SHOPIFY_H

#include <cjson/cJSON.h>

#include "context.h"

extern const struct sim_service sim_shopify_service;

/* Prints every Shopify node into ctx->shopify_nodes ahead of the first
 * request (--no-throttle). Returns 0, or -1 when out of memory. */
int sim_shopify_prewarm(struct sim_ctx *ctx);
void sim_shopify_cache_free(struct sim_ctx *ctx);

/* Whether the app's scopes let it see the row (orders older than 60 days
 * need read_all_orders). */
bool sim_shopify_visible(struct sim_ctx *ctx, enum sim_table t, uint32_t row);

#endif

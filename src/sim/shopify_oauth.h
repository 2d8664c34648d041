/* Shopify's token endpoint for Dev Dashboard apps: the client credentials
 * grant, POST /admin/oauth/access_token, and the expiring tokens it issues. */
#ifndef OKDF_SIM_SHOPIFY_OAUTH_H
#define OKDF_SIM_SHOPIFY_OAUTH_H

#include <stdbool.h>

#include "context.h"

#define SIM_SHOPIFY_CLIENT_ID "sim-client-id"
#define SIM_SHOPIFY_CLIENT_SECRET "shpss_sim"
#define SIM_SHOPIFY_SCOPES "read_products,read_customers,read_orders,read_all_orders"

extern const struct sim_service sim_shopify_oauth_service;

/* Tokens live ttl_s seconds of real time (expires_in says so), or only
 * revoke_s when that is nonzero (a fault: revoked early). */
void sim_shopify_oauth_init(long ttl_s, long revoke_s, const char *scopes);
/* True for a granted token that has not expired (an expired one is counted). */
bool sim_shopify_oauth_token_valid(const char *token);
/* For the shutdown summary. */
void sim_shopify_oauth_counts(long *granted, long *expired_refused);

#endif

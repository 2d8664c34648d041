/* Shopify Admin GraphQL API: POST /admin/api/{version}/graphql.json. */
#ifndef OKDF_SIM_SHOPIFY_H
#define OKDF_SIM_SHOPIFY_H

#include <cjson/cJSON.h>

#include "context.h"

extern const struct sim_service sim_shopify_service;

/* One order node exactly as the orders connection returns it (for dumps). */
cJSON *sim_shopify_order_node(const struct sim_model *m, const struct sim_order *o);

#endif

/* Shopify Admin GraphQL (2025-01) nodes built from the model: the superset
 * of the fields okdf reads, in the schema's names and scalar forms. */
#ifndef OKDF_SIM_SHOPIFY_NODES_H
#define OKDF_SIM_SHOPIFY_NODES_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "model.h"

cJSON *sim_shopify_shop_node(void);
cJSON *sim_shopify_order_node(const struct sim_model *m, const struct sim_order *o);
cJSON *sim_shopify_order_row_node(const struct sim_model *m, uint32_t row);
cJSON *sim_shopify_product_node(const struct sim_model *m, uint32_t row);
cJSON *sim_shopify_customer_node(const struct sim_model *m, uint32_t row);
cJSON *sim_shopify_checkout_node(const struct sim_model *m, uint32_t row);

#endif

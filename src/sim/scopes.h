/* Credentials that lack a scope or permission, and the endpoints okdf doctor
 * reads them from, answered as each vendor does: --scopes (the Shopify app's
 * granted scopes, QueryRoot.currentAppInstallation)
 * and --missing-scope (Klaviyo flows:read, metrics:read; Meta permissions in
 * /me/permissions). */
#ifndef OKDF_SIM_SCOPES_H
#define OKDF_SIM_SCOPES_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "context.h"

/* What a Shopify app installed for okdf is granted by default. */
#define SIM_SHOPIFY_SCOPES "read_products,read_customers,read_orders,read_all_orders"

/* Adds one scope to o->missing_scopes; -1 when the list is full. */
int sim_scope_remove(struct sim_options *o, const char *scope);
bool sim_scope_granted(const struct sim_ctx *ctx, const char *scope);

/* Klaviyo: true when the path needs a scope the key lacks; *rc is then the
 * reply written (403 permission_denied). */
bool sim_klaviyo_scope_denied(const struct sim_ctx *ctx, const char *path,
			      struct sim_reply *rp, int *rc);

/* Meta: GET /{version}/me/permissions. */
int sim_meta_permissions(const struct sim_ctx *ctx, struct sim_reply *rp);
/* Meta: a token with neither ads_read nor ads_management reads no ad account. */
bool sim_meta_ads_denied(const struct sim_ctx *ctx);

/* Shopify: QueryRoot.currentAppInstallation { accessScopes { handle } }. */
cJSON *sim_shopify_app_installation(const struct sim_ctx *ctx);

#endif

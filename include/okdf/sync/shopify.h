/* Shopify Admin GraphQL connector. */
#ifndef OKDF_SYNC_SHOPIFY_H
#define OKDF_SYNC_SHOPIFY_H

#include <cjson/cJSON.h>

#include "okdf/store/db.h"
#include "okdf/sync/connector.h"

/* Runs one pass. OKDF_EAUTH when the vendor rejects the credentials. */
int shopify_sync(sync_ctx *c, okdf_err *e);
/* Frees what the connector kept in c->state across passes. */
void shopify_free(sync_ctx *c);

/* Writes one Orders node (the order, its line items and refunds; shop days
 * cut in tz) through the same code a pass uses. */
int shopify_store_order(okdf_db *db, const char *tz, const cJSON *node, okdf_err *e);

/* The client credentials grant of a Dev Dashboard app: POSTs client_id and
 * client_secret to grant_url (the shop's /admin/oauth/access_token) and
 * copies the access token into token[n]; *expires_in is its lifetime in
 * seconds (0 when not said). A refused grant is OKDF_EAUTH whose message
 * names the OAuth error (e.g. invalid_client) and its description. */
int shopify_client_token(http_client *http, const char *grant_url, const char *client_id,
	const char *client_secret, char *token, size_t n, double *expires_in, okdf_err *e);

#endif

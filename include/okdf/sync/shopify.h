/* Shopify Admin GraphQL connector. */
#ifndef OKDF_SYNC_SHOPIFY_H
#define OKDF_SYNC_SHOPIFY_H

#include "okdf/sync/connector.h"

/* Runs one pass. OKDF_EAUTH when the vendor rejects the credentials. */
int shopify_sync(sync_ctx *c, okdf_err *e);
/* Frees what the connector kept in c->state across passes. */
void shopify_free(sync_ctx *c);

#endif

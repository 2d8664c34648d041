/* Relevance AI connector: agents and conversations. */
#ifndef OKDF_SYNC_RELEVANCE_H
#define OKDF_SYNC_RELEVANCE_H

#include "okdf/sync/connector.h"

/* Runs one pass. OKDF_EAUTH when the vendor rejects the credentials. */
int relevance_sync(sync_ctx *c, okdf_err *e);
/* Frees what the connector kept in c->state across passes. */
void relevance_free(sync_ctx *c);

#endif

/* Meta Marketing API connector. */
#ifndef OKDF_SYNC_META_H
#define OKDF_SYNC_META_H

#include "okdf/sync/connector.h"

/* Runs one pass. OKDF_EAUTH when the vendor rejects the credentials,
 * OKDF_EVERSION when it no longer serves [meta] api_version (#2635). */
int meta_sync(sync_ctx *c, okdf_err *e);

/* Frees what the connector kept in c->state across passes. */
void meta_free(sync_ctx *c);

#endif

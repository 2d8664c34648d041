/* Meta Marketing API connector. */
#ifndef OKDF_SYNC_META_H
#define OKDF_SYNC_META_H

#include <cjson/cJSON.h>

#include "okdf/store/ads.h"
#include "okdf/sync/connector.h"

/* Runs one pass. OKDF_EAUTH when the vendor rejects the credentials. */
int meta_sync(sync_ctx *c, okdf_err *e);
/* Frees what the connector kept in c->state across passes. */
void meta_free(sync_ctx *c);

/* One daily insights row: spend (major-unit string) and the purchases and
 * purchase value of the single action type offsite_conversion.fb_pixel_purchase. */
int meta_parse_insight(const cJSON *row, const char *currency, store_ad_insight *out, okdf_err *e);

#endif

/* Klaviyo connector: metrics, flows, flow-values reports. */
#ifndef OKDF_SYNC_KLAVIYO_H
#define OKDF_SYNC_KLAVIYO_H

#include <cjson/cJSON.h>

#include "okdf/store/email.h"
#include "okdf/sync/connector.h"

/* Runs one pass. OKDF_EAUTH when the vendor rejects the credentials. */
int klaviyo_sync(sync_ctx *c, okdf_err *e);
/* Frees what the connector kept in c->state across passes. */
void klaviyo_free(sync_ctx *c);

/* Sums the results of a values report (flows or campaigns) into totals per
 * groupings.<key> ("flow_id", "campaign_id"): calls each(id, recipients,
 * conversions, conversion_value_minor) once per id, in first appearance
 * order. Values are converted to minor units (of currency) per row, then
 * added as integers. */
int klaviyo_sum_values(const cJSON *report, const char *key, const char *currency,
	int (*each)(const char *id, long long recipients, long long conversions,
		long long value_minor, void *arg),
	void *arg, okdf_err *e);

/* One GET /api/flows data item (trigger_metric_id left NULL: it comes from
 * the metrics' flow-triggers, asked for with include=flow-triggers). Strings
 * point into it; a null name or status (nullable in the spec) is "". */
int klaviyo_parse_flow(const cJSON *item, store_email_flow *out, okdf_err *e);

#endif

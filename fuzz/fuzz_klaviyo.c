/* Klaviyo pages: a flow-values report summed per flow, and every item of a
 * GET /api/flows page ({"data":[...]}) parsed as a flow. */
#include "fuzz.h"

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "okdf/net/json.h"
#include "okdf/sync/klaviyo.h"

static int each(const char *flow_id, long long recipients, long long conversions,
	long long value_minor, void *arg)
{
	(void)recipients;
	(void)conversions;
	(void)value_minor;
	if (!flow_id)
		abort(); /* every sum names its flow */
	++*(int *)arg;
	return OKDF_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	cJSON *j = cJSON_Parse(text);
	free(text);
	if (!j)
		return 0;
	okdf_err e = { 0 };
	int n = 0;
	(void)klaviyo_sum_values(j, "flow_id", "USD", each, &n, &e);
	(void)klaviyo_sum_values(j, "campaign_id", "KWD", each, &n, &e);
	const cJSON *items = json_path(j, "data");
	const cJSON *item;
	store_email_flow f;
	if (cJSON_IsArray(items))
		cJSON_ArrayForEach(item, items)
			(void)klaviyo_parse_flow(item, &f, &e);
	cJSON_Delete(j);
	return 0;
}

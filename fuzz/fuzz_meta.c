/* A Meta insights page ({"data":[rows]}): every row parsed in a two-, a
 * zero- and a three-decimal currency. */
#include "fuzz.h"

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "okdf/net/json.h"
#include "okdf/sync/meta_wire.h"

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
	store_ad_insight in;
	const cJSON *rows = json_path(j, "data");
	const cJSON *row;
	if (cJSON_IsArray(rows))
		cJSON_ArrayForEach(row, rows) {
			(void)meta_parse_insight(row, "USD", "omni_purchase", &in, &e);
			(void)meta_parse_insight(row, "JPY", "offsite_conversion.fb_pixel_purchase", &in, &e);
			(void)meta_parse_insight(row, "KWD", "omni_purchase", &in, &e);
		}
	cJSON_Delete(j);
	return 0;
}

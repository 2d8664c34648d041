/* A Relevance AI list page ({"results":[...]}): every result parsed as a
 * conversation and fed to a pager by id, as a pass does, and an agent kind
 * guessed from any name and description it carries. */
#include "fuzz.h"

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "okdf/net/json.h"
#include "okdf/sync/relevance_pager.h"
#include "okdf/sync/relevance_wire.h"

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
	store_conversation c;
	relevance_pager *pg = relevance_pager_new(3);
	if (!pg)
		abort();
	const cJSON *results = json_path(j, "results");
	const cJSON *item;
	if (cJSON_IsArray(results))
		cJSON_ArrayForEach(item, results) {
			if (relevance_parse_conversation(item, 1795700000LL, &c, &e) == OKDF_OK &&
			    relevance_pager_add(pg, c.id) < 0)
				abort();
			(void)relevance_is_debug_task(item);
			const char *name = json_str(item, "name");
			if (name && !relevance_agent_kind(name, json_str(item, "description")))
				abort(); /* every agent gets a kind */
		}
	int capped;
	(void)relevance_pager_next(pg, &capped);
	relevance_pager_free(pg);
	cJSON_Delete(j);
	return 0;
}

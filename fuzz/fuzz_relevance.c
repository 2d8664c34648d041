/* A Relevance AI conversations/list page ({"results":[...]}): every result
 * parsed as a conversation, and agent-kind guessed from any name and
 * description it carries. */
#include "fuzz.h"

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "okdf/net/json.h"
#include "okdf/sync/relevance.h"

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
	const cJSON *results = json_path(j, "results");
	const cJSON *item;
	if (cJSON_IsArray(results))
		cJSON_ArrayForEach(item, results) {
			(void)relevance_parse_conversation(item, &c, &e);
			const char *name = json_str(item, "name");
			if (name && !relevance_agent_kind(name, json_str(item, "description")))
				abort(); /* every agent gets a kind */
		}
	cJSON_Delete(j);
	return 0;
}

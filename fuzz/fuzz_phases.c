/* data/phases.json: the catalog loader, then lookups by number and id. */
#include "fuzz.h"

#include <stdlib.h>

#include "okdf/core/phases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	phase_catalog *cat = NULL;
	okdf_err e = { 0 };
	if (phases_parse(text, "fuzz", &cat, &e) == OKDF_OK) {
		for (size_t i = 0; i < cat->n; i++) {
			const phase_def *p = &cat->phases[i];
			if (phases_by_number(cat, p->number) == NULL || phases_by_id(cat, p->id) == NULL ||
			    phases_index(cat, p) != i)
				abort(); /* every loaded phase is found again */
		}
		phases_free(cat);
	}
	free(text);
	return 0;
}

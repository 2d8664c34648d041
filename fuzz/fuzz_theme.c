/* Theme files, then every role resolved as the UI would on 8 and 256
 * colours. */
#include "fuzz.h"

#include <stdlib.h>

#include "okdf/ui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	theme t;
	okdf_err e = { 0 };
	if (theme_parse(text, "fuzz", &t, &e) == OKDF_OK) {
		for (int r = 0; r < ROLE_COUNT; r++) {
			(void)theme_resolve(&t, (enum theme_role)r, 8, 1);
			(void)theme_resolve(&t, (enum theme_role)r, 256, 1);
		}
	}
	free(text);
	return 0;
}

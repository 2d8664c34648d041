/* config.ini as okdf reads it (inih, then every key's own parser). */
#include "fuzz.h"

#include "okdf/core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	if (!path)
		return 0;
	okdf_config c;
	okdf_err e = { 0 };
	(void)config_load(path, &c, &e);
	return 0;
}

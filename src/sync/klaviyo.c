#include "okdf/sync/klaviyo.h"

int klaviyo_sync(sync_ctx *c, okdf_err *e)
{
	(void)c;
	return okdf_err_set(e, OKDF_EFAIL, "not yet");
}

void klaviyo_free(sync_ctx *c)
{
	(void)c;
}

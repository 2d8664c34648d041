#include "okdf/sync/relevance.h"

int relevance_sync(sync_ctx *c, okdf_err *e)
{
	(void)c;
	return okdf_err_set(e, OKDF_EFAIL, "not yet");
}

void relevance_free(sync_ctx *c)
{
	(void)c;
}

#include "okdf/sync/connector.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void sync_ctx_committed(sync_ctx *c)
{
	if (c->wake_fd < 0)
		return;
	/* A full pipe already holds a wake-up: EAGAIN is fine. */
	ssize_t w = write(c->wake_fd, "s", 1);
	(void)w;
}

void sync_ctx_warn(sync_ctx *c, const char *fmt, ...)
{
	char w[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w, sizeof w, fmt, ap);
	va_end(ap);
	if (strstr(c->note, w))
		return;
	size_t len = strlen(c->note);
	snprintf(c->note + len, sizeof c->note - len, "%s%s", len ? "; " : "", w);
}

int sync_url(const sync_ctx *c, const char *production_origin, const char *path, char *buf,
	size_t n, okdf_err *e)
{
	const char *origin = c->conf->base_url[0] ? c->conf->base_url : production_origin;
	size_t ol = strlen(origin);
	while (ol > 0 && origin[ol - 1] == '/')
		ol--;
	int w = snprintf(buf, n, "%.*s%s", (int)ol, origin, path);
	if (w < 0 || (size_t)w >= n)
		return okdf_err_set(e, OKDF_EINPUT, "%s: URL too long", c->name);
	return OKDF_OK;
}

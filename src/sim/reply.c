#include "reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sim_reply_header(struct sim_reply *rp, const char *name, const char *fmt, ...)
{
	if (rp->n_headers == SIM_MAX_HEADERS)
		return;
	struct sim_header *h = &rp->headers[rp->n_headers++];
	snprintf(h->name, sizeof h->name, "%s", name);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(h->value, sizeof h->value, fmt, ap);
	va_end(ap);
}

int sim_reply_json(struct sim_reply *rp, unsigned status, cJSON *doc)
{
	char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	if (!text)
		return -1;
	free(rp->body);
	rp->body = text;
	rp->len = strlen(text);
	rp->status = status;
	return 0;
}

int sim_reply_literal(struct sim_reply *rp, unsigned status, const char *json)
{
	return sim_reply_json(rp, status, cJSON_Parse(json));
}

void sim_reply_clear(struct sim_reply *rp)
{
	if (rp->has_fd)
		close(rp->fd);
	free(rp->body);
	memset(rp, 0, sizeof *rp);
}

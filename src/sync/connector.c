#include "okdf/sync/connector.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/db.h"
#include "okdf/store/sync_state.h"
#include "okdf/sync/worker.h"

void sync_ctx_committed(sync_ctx *c)
{
	long long now;
	okdf_err ignore;
	if (c->db && time_now(&now, &ignore) == OKDF_OK)
		connector_health_touch(c->db, c->name, now, &ignore);
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

static int quarantine(sync_ctx *c, const char *resource, const char *id, const cJSON *node,
	const char *why, okdf_err *e)
{
	int rc = db_savepoint_undo(c->db, e);
	if (rc)
		return rc;
	char msg[sizeof e->msg];
	sync_clean_message(why, c->conf, msg, sizeof msg);
	char *payload = cJSON_PrintUnformatted(node);
	if (!payload)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	rc = quarantine_put(c->db, c->name, resource, id ? id : "(no id)", msg, payload,
		c->now, e);
	free(payload);
	if (!rc) {
		c->quarantined++;
		c->pass_quarantined++;
	}
	return rc;
}

int sync_store_record(sync_ctx *c, const char *resource, const cJSON *node,
	const char *record_id, sync_record_fn store, void *arg, okdf_err *e)
{
	const char *id = record_id ? record_id : json_str(node, "id");
	int rc;
	if (c->records_unguarded) {
		rc = store(arg, node, e);
	} else {
		rc = db_savepoint(c->db, e);
		if (rc)
			return rc;
		okdf_err re = { 0 };
		rc = store(arg, node, &re);
		if (rc == OKDF_EINPUT) /* data okdf cannot use: set it aside, keep the rest */
			return quarantine(c, resource, id, node, re.msg, e);
		if (rc) {
			okdf_err ignore;
			db_savepoint_undo(c->db, &ignore);
			*e = re;
			return rc;
		}
		rc = db_savepoint_release(c->db, e);
	}
	if (!rc && c->quarantined > 0 && id)
		rc = quarantine_clear(c->db, c->name, resource, id, e);
	return rc;
}

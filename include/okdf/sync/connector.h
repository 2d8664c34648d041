/* What a connector gets from its worker for one pass. A pass fetches every
 * resource to completion; each page is written with its advanced cursor in
 * one transaction. */
#ifndef OKDF_SYNC_CONNECTOR_H
#define OKDF_SYNC_CONNECTOR_H

#include <cjson/cJSON.h>

#include "okdf/core/config.h"
#include "okdf/err.h"
#include "okdf/net/http.h"
#include "okdf/store/db.h"

typedef struct sync_ctx {
	const char *name;                  /* "shopify", "klaviyo", "meta", "relevance" */
	const okdf_connector_config *conf; /* this connector's section */
	okdf_db *db;                       /* this worker's own connection */
	http_client *http;                 /* this worker's own easy handle */
	int wake_fd;                       /* one byte after every commit; -1 = none */
	long long now;                     /* pass start, time_now() */
	long long rows;                    /* rows written by this pass */
	char note[256];                    /* warnings for the operator, e.g. a version fallback;
	                                    * kept in connector_health.warning after the pass */
	void *state;                       /* connector memory kept across passes */
	long long quarantined;             /* this connector's records in quarantine */
	long long pass_quarantined;        /* records this pass set aside */
	int records_unguarded;             /* sync_store_record: no savepoint, errors returned */
} sync_ctx;

/* Writes the wake-up byte; call after every commit. */
void sync_ctx_committed(sync_ctx *c);

/* Parses and writes one record (node) inside the open transaction. */
typedef int (*sync_record_fn)(void *arg, const cJSON *node, okdf_err *e);

/* Writes one record with store under a savepoint. A record store refuses
 * as bad data (OKDF_EINPUT) is undone alone and kept in quarantine (its id:
 * record_id, or NULL for the node's "id"; its error; its JSON) and OKDF_OK
 * is returned, so the page, its cursor and the pass go on; any other
 * failure is returned. A record that is written leaves quarantine.
 * With records_unguarded set, store runs bare and its errors are returned:
 * the caller redoes the transaction guarded. */
int sync_store_record(sync_ctx *c, const char *resource, const cJSON *node,
	const char *record_id, sync_record_fn store, void *arg, okdf_err *e);
/* Appends one warning to c->note ("; " between warnings), once: the same
 * text twice in a pass is kept once. */
void sync_ctx_warn(sync_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Builds origin + path into buf: base_url (scheme, host, port) when set,
 * else the production origin. */
int sync_url(const sync_ctx *c, const char *production_origin, const char *path, char *buf,
	size_t n, okdf_err *e);

#endif

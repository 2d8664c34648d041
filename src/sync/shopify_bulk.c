/* Shopify bulk operations. The first sync of a resource, and a resync after
 * more than BULK_RESYNC_AGE, runs as one bulk operation (or takes over one
 * already running): bulkOperationRunQuery, polled by id until it ends, its
 * JSONL result downloaded to a file beside the database and written line by
 * line in large transactions. The operation id, the result's size and how far
 * it has been written live in the cursor, in the same transactions as the
 * rows: a killed okdf resumes the same operation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/db.h"
#include "okdf/store/sync_state.h"
#include "graphql_docs.h"
#include "shopify_private.h"

#define BULK_RESYNC_AGE (3 * 86400LL)
#define BULK_TXN_LINES 20000
#define BULK_TXN_SECONDS 1.0
#define BULK_MAX_LINE (16 << 20)
#define BULK_BUSY_WAIT_S 900.0 /* another app's bulk query: wait this long at most */
#define BULK_POLL_CAP_S 5.0

int shopify_wants_bulk(const sync_ctx *c, const struct resource *res, const struct cursor *cu)
{
	if (!res->bulk_doc || strcmp(c->conf->backfill, "paged") == 0)
		return 0;
	if (cu->bulk_id)
		return 1;
	if (cu->after || cu->has_start)
		return 0; /* a paged pass under way ends paged */
	/* Never synced, or not for days (a quiet store's newest row may be
	 * old; what counts is when okdf last read the resource whole). */
	return !cu->has_since || (cu->synced && c->now - cu->synced > BULK_RESYNC_AGE);
}

/* The bulk document with its "everything" bound replaced by the cursor's. */
static char *bulk_query_text(const struct resource *res, const struct cursor *cu)
{
	static const char marker[] = "1970-01-01T00:00:00Z";
	char *q = strdup(res->bulk_doc);
	char *at = q ? strstr(q, marker) : NULL;
	if (at && cu->has_since) {
		char iso[32];
		time_format_utc(cu->since, iso, sizeof iso);
		if (strlen(iso) == sizeof marker - 1)
			memcpy(at, iso, sizeof marker - 1);
	}
	return q;
}

static int save_cursor(struct shopify *sh, const struct resource *res, const struct cursor *cu,
	okdf_err *e)
{
	char *text = shopify_cursor_text(cu);
	if (!text)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	sync_ctx *c = sh->c;
	int rc = db_begin(c->db, e);
	if (!rc)
		rc = sync_cursor_put(c->db, c->name, res->name, text, c->now, e);
	if (!rc)
		rc = db_commit(c->db, e);
	else
		db_rollback(c->db);
	free(text);
	return rc;
}

/* Forgets the operation; the rows it wrote stay (every write is an upsert). */
static void bulk_forget(struct cursor *cu)
{
	free(cu->bulk_id);
	cu->bulk_id = NULL;
	cu->bulk_created = cu->bulk_size = cu->bulk_offset = 0;
	cu->has_bulk_size = 0;
}

static int bulk_adopt(struct cursor *cu, const char *id, const cJSON *op, okdf_err *e)
{
	bulk_forget(cu);
	cu->bulk_id = strdup(id);
	if (!cu->bulk_id)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	int null_c;
	okdf_err ignore;
	if (json_time(op, "createdAt", &cu->bulk_created, &null_c, &ignore) != OKDF_OK || null_c)
		cu->bulk_created = 0;
	return OKDF_OK;
}

/* okdf's own operation (the same query text, e.g. started just before a
 * crash) is taken over. *adopted = 1 then. */
static int bulk_take_over(struct shopify *sh, const char *query, struct cursor *cu, int *adopted,
	okdf_err *e)
{
	*adopted = 0;
	http_response resp;
	int rc = shopify_graphql(sh, graphql_bulk_current, NULL, 1, &resp, e);
	if (rc)
		return rc;
	const cJSON *op = json_path(resp.json, "data.currentBulkOperation");
	const char *id = json_str(op, "id"), *status = json_str(op, "status");
	const char *q = json_str(op, "query");
	if (id && status && q && strcmp(q, query) == 0 &&
		(!strcmp(status, "CREATED") || !strcmp(status, "RUNNING") ||
			!strcmp(status, "COMPLETED"))) {
		rc = bulk_adopt(cu, id, op, e);
		*adopted = rc == OKDF_OK;
	}
	http_response_free(&resp);
	return rc;
}

/* Starts the operation and records its id. *fallback = 1 when Shopify
 * refused it for good: the pass pages instead. */
static int bulk_start(struct shopify *sh, const struct resource *res, struct cursor *cu,
	int *fallback, okdf_err *e)
{
	char *query = bulk_query_text(res, cu);
	if (!query)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	double waited = 0, delay = 2;
	/* okdf's own operation, started before a crash could record its id, is
	 * taken over instead of starting another. */
	int adopted = 0;
	int rc = bulk_take_over(sh, query, cu, &adopted, e);
	for (; !rc && !adopted;) {
		cJSON *vars = cJSON_CreateObject();
		if (!vars || !cJSON_AddStringToObject(vars, "query", query)) {
			cJSON_Delete(vars);
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			break;
		}
		http_response resp;
		rc = shopify_graphql(sh, graphql_bulk_run, vars, 10, &resp, e);
		if (rc)
			break;
		const cJSON *payload = json_path(resp.json, "data.bulkOperationRunQuery");
		const cJSON *op = json_path(payload, "bulkOperation");
		const char *id = json_str(op, "id");
		const cJSON *ue = cJSON_GetArrayItem(json_path(payload, "userErrors"), 0);
		const char *code = json_str(ue, "code");
		if (id && !ue) {
			rc = bulk_adopt(cu, id, op, e);
			http_response_free(&resp);
			break;
		}
		int busy = code && (!strcmp(code, "OPERATION_IN_PROGRESS") ||
			!strcmp(code, "LIMIT_REACHED"));
		if (!busy) {
			char word[48];
			shopify_word_of(code, word, sizeof word);
			sync_ctx_warn(sh->c, "bulk query of %s refused (%s); synced page by page",
				res->name, word[0] ? word : "no operation");
			*fallback = 1;
			http_response_free(&resp);
			break;
		}
		http_response_free(&resp);
		rc = bulk_take_over(sh, query, cu, &adopted, e);
		if (rc || adopted)
			break;
		if (waited >= BULK_BUSY_WAIT_S) {
			sync_ctx_warn(sh->c, "another bulk query of this app kept running for %.0f s; %s "
				"synced page by page", waited, res->name);
			*fallback = 1;
			break;
		}
		if (http_sleep(sh->c->http, delay)) {
			rc = okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
			break;
		}
		waited += delay;
		delay = delay * 2 > 30 ? 30 : delay * 2;
	}
	free(query);
	if (!rc && cu->bulk_id)
		rc = save_cursor(sh, res, cu, e);
	return rc;
}

/* Polls until the operation has ended; *resp holds the last answer. */
static int bulk_poll(struct shopify *sh, const struct cursor *cu, http_response *resp,
	okdf_err *e)
{
	double delay = 0.25;
	for (;;) {
		cJSON *vars = cJSON_CreateObject();
		if (!vars || !cJSON_AddStringToObject(vars, "id", cu->bulk_id)) {
			cJSON_Delete(vars);
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		}
		int rc = shopify_graphql(sh, graphql_bulk_operation, vars, 1, resp, e);
		if (rc)
			return rc;
		const char *status = json_str(resp->json, "data.bulkOperation.status");
		if (!status || (strcmp(status, "CREATED") && strcmp(status, "RUNNING") &&
			strcmp(status, "CANCELING")))
			return OKDF_OK;
		http_response_free(resp);
		if (http_sleep(sh->c->http, delay))
			return okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
		delay = delay * 1.5 > BULK_POLL_CAP_S ? BULK_POLL_CAP_S : delay * 1.5;
	}
}

static int bulk_path(const struct shopify *sh, const struct resource *res, char *buf, size_t n,
	okdf_err *e)
{
	const char *db = db_file(sh->c->db);
	if (!db[0])
		return okdf_err_set(e, OKDF_EINPUT, "a bulk backfill needs a database file");
	int w = snprintf(buf, n, "%s.shopify-%s.jsonl", db, res->name);
	if (w < 0 || (size_t)w >= n)
		return okdf_err_set(e, OKDF_EINPUT, "database path too long");
	return OKDF_OK;
}

/* One JSONL line: a root node (the resource's own mapping) or a child. */
static int bulk_line(struct shopify *sh, const struct resource *res, const char *line, size_t len,
	struct cursor *cu, okdf_err *e)
{
	cJSON *node = cJSON_ParseWithLength(line, len);
	if (!node || !cJSON_IsObject(node)) {
		cJSON_Delete(node);
		return okdf_err_set(e, OKDF_EINPUT, "bulk result: a line that is not a JSON object");
	}
	int rc;
	const char *parent = json_str(node, "__parentId");
	if (parent) {
		rc = res->bulk_child ? res->bulk_child(sh, parent, node, e)
			: okdf_err_set(e, OKDF_EINPUT, "bulk result: unexpected child line");
	} else {
		rc = res->store(sh, node, e);
		long long updated;
		int null_u;
		okdf_err ignore;
		if (!rc && json_time(node, "updatedAt", &updated, &null_u, &ignore) == OKDF_OK &&
			!null_u && (!cu->has_max || updated > cu->max)) {
			cu->max = updated;
			cu->has_max = 1;
		}
	}
	cJSON_Delete(node);
	sh->c->rows++;
	return rc;
}

/* Writes the downloaded result from cu->bulk_offset on, committing the
 * offset with the rows. */
static int bulk_ingest(struct shopify *sh, const struct resource *res, const char *path,
	struct cursor *cu, okdf_err *e)
{
	sync_ctx *c = sh->c;
	FILE *f = fopen(path, "r");
	if (!f)
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(errno));
	int rc = fseeko(f, (off_t)cu->bulk_offset, SEEK_SET) == 0 ? OKDF_OK
		: okdf_err_set(e, OKDF_EFAIL, "%s: cannot seek", path);
	char *line = NULL;
	size_t cap = 0;
	long lines = 0;
	double started = http_monotonic();
	int open = 0, stopped = 0;
	for (ssize_t len; !rc && (len = getline(&line, &cap, f)) >= 0;) {
		if (!open) {
			rc = db_begin(c->db, e);
			if (rc)
				break;
			open = 1;
			started = http_monotonic();
		}
		size_t n = (size_t)len;
		if (n > BULK_MAX_LINE) {
			rc = okdf_err_set(e, OKDF_EINPUT, "bulk result: a line of %zu bytes", n);
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n > 0)
			rc = bulk_line(sh, res, line, n, cu, e);
		cu->bulk_offset += len;
		if (!rc && (++lines % BULK_TXN_LINES == 0 ||
			http_monotonic() - started >= BULK_TXN_SECONDS)) {
			char *text = shopify_cursor_text(cu);
			rc = text ? sync_cursor_put(c->db, c->name, res->name, text, c->now, e)
				: okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			free(text);
			if (!rc)
				rc = db_commit(c->db, e);
			if (!rc) {
				open = 0;
				sync_ctx_committed(c);
			}
		}
		/* SIGTERM: what is written so far is committed with its offset. */
		if (!rc && http_sleep(c->http, 0)) {
			stopped = 1;
			break;
		}
	}
	if (!rc && ferror(f))
		rc = okdf_err_set(e, OKDF_EFAIL, "%s: read error", path);
	free(line);
	fclose(f);
	if (!rc && open) {
		char *text = shopify_cursor_text(cu);
		rc = text ? sync_cursor_put(c->db, c->name, res->name, text, c->now, e)
			: okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		free(text);
		if (!rc)
			rc = db_commit(c->db, e);
		if (!rc)
			sync_ctx_committed(c);
	} else if (rc && open) {
		db_rollback(c->db);
	}
	if (!rc && stopped)
		rc = okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
	return rc;
}

/* Downloads url (unless the file of this result is already whole) and
 * writes it. OKDF_ENOTFOUND when the storage refused the URL. */
static int bulk_fetch(struct shopify *sh, const struct resource *res, const char *url,
	long long expected, struct cursor *cu, okdf_err *e)
{
	char path[4200];
	int rc = bulk_path(sh, res, path, sizeof path, e);
	if (rc)
		return rc;
	struct stat st;
	if (!(cu->has_bulk_size && stat(path, &st) == 0 && (long long)st.st_size == cu->bulk_size)) {
		long long bytes;
		long status;
		/* A body cut short still ends cleanly: fileSize tells. */
		for (int tries = 1;; tries++) {
			rc = http_download(sh->c->http, url, path, &bytes, &status, e);
			if (rc || expected < 0 || bytes == expected)
				break;
			unlink(path);
			if (tries == 3)
				return okdf_err_set(e, OKDF_ENET,
					"bulk result: %lld bytes downloaded, fileSize says %lld", bytes,
					expected);
		}
		if (rc)
			return rc;
		if (cu->has_bulk_size && bytes != cu->bulk_size) {
			unlink(path);
			return okdf_err_set(e, OKDF_EINPUT,
				"bulk result changed size (%lld, was %lld bytes)", bytes, cu->bulk_size);
		}
		cu->bulk_size = bytes;
		cu->has_bulk_size = 1;
		rc = save_cursor(sh, res, cu, e);
		if (rc)
			return rc;
	}
	rc = bulk_ingest(sh, res, path, cu, e);
	if (!rc)
		unlink(path);
	if (rc == OKDF_EINPUT) {
		/* A result okdf cannot read would fail the same way every pass:
		 * the next one starts a new operation. */
		unlink(path);
		bulk_forget(cu);
		okdf_err ignore;
		save_cursor(sh, res, cu, &ignore);
	}
	return rc;
}

/* The bound the paged passes continue from: the operation read every row
 * as it was when it began, so from its createdAt on (a row changed while it
 * ran may have been read before the change); without one, the newest
 * updatedAt written. */
static void bulk_done(struct shopify *sh, struct cursor *cu)
{
	if (cu->bulk_created > 0 || cu->has_max) {
		cu->since = cu->bulk_created > 0 ? cu->bulk_created : cu->max;
		cu->has_since = 1;
	}
	cu->synced = sh->c->now;
	bulk_forget(cu);
}

/* Runs (or resumes) the bulk backfill of res. *fallback = 1 when the pass
 * must page instead; the cursor then keeps its old bound. */
int shopify_bulk_resource(struct shopify *sh, const struct resource *res, struct cursor *cu,
	int *fallback, okdf_err *e)
{
	*fallback = 0;
	int restarts = 0;
	const char *db = db_file(sh->c->db);
	if (!db[0]) {
		*fallback = 1; /* a database without a file has nowhere to put the result */
		return OKDF_OK;
	}
	for (;;) {
		int rc = OKDF_OK;
		if (!cu->bulk_id) {
			char path[4200];
			if (bulk_path(sh, res, path, sizeof path, e) == OKDF_OK)
				unlink(path); /* a result of an operation forgotten */
			rc = bulk_start(sh, res, cu, fallback, e);
			if (rc || *fallback)
				return rc;
		}
		http_response resp;
		rc = bulk_poll(sh, cu, &resp, e);
		if (rc)
			return rc;
		const cJSON *op = json_path(resp.json, "data.bulkOperation");
		const char *status = json_str(op, "status");
		const char *url = json_str(op, "url");
		const char *partial = json_str(op, "partialDataUrl");
		if (status && strcmp(status, "COMPLETED") == 0) {
			long long size = -1;
			okdf_err ignore;
			if (json_int64(json_path(op, "fileSize"), &size, &ignore) != OKDF_OK)
				size = -1;
			/* No url: nothing matched. */
			rc = url ? bulk_fetch(sh, res, url, size, cu, e) : OKDF_OK;
			http_response_free(&resp);
			if (rc == OKDF_ENOTFOUND && restarts++ == 0) {
				/* The result's URL expired (they live 7 days): a new operation. */
				bulk_forget(cu);
				rc = save_cursor(sh, res, cu, e);
				if (rc)
					return rc;
				continue;
			}
			if (rc)
				return rc;
			bulk_done(sh, cu);
			return save_cursor(sh, res, cu, e);
		}
		if (status && strcmp(status, "FAILED") == 0) {
			char code[48];
			shopify_word_of(json_str(op, "errorCode"), code, sizeof code);
			sync_ctx_warn(sh->c, "bulk query of %s failed (%s)%s; synced page by page",
				res->name, code[0] ? code : "no errorCode",
				partial ? ", its partial result written" : "");
			/* What it managed to read is sound rows; the bound stays. */
			rc = partial ? bulk_fetch(sh, res, partial, -1, cu, e) : OKDF_OK;
			http_response_free(&resp);
			if (rc && rc != OKDF_ENOTFOUND)
				return rc;
			bulk_forget(cu);
			*fallback = 1;
			return save_cursor(sh, res, cu, e);
		}
		/* CANCELED, EXPIRED, or an id Shopify no longer knows: start again once. */
		char ended[48];
		shopify_word_of(status, ended, sizeof ended);
		http_response_free(&resp);
		bulk_forget(cu);
		rc = save_cursor(sh, res, cu, e);
		if (rc)
			return rc;
		if (restarts++ > 0) {
			sync_ctx_warn(sh->c, "bulk query of %s ended %s; synced page by page", res->name,
				ended[0] ? ended : "unknown");
			*fallback = 1;
			return OKDF_OK;
		}
	}
}

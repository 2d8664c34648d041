/* Relevance AI: agents and their conversations (tasks) with state. Lists are
 * page-numbered with no total, and the service may serve fewer items than
 * page_size asks, so a short page proves nothing: a list ends at the first
 * page that brings no item not already seen in this listing. Volumes are
 * small and every pass re-reads them whole, one transaction per page. The
 * paging guard is relevance_pager.c; what list items and task views mean is
 * relevance_wire.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/net/json.h"
#include "okdf/store/agents.h"
#include "okdf/store/db.h"
#include "okdf/store/sync_state.h"
#include "okdf/sync/relevance.h"
#include "okdf/sync/relevance_pager.h"
#include "okdf/sync/relevance_wire.h"

#define PAGE_SIZE 100
/* A service that ignores `page` repeats a page and is stopped by the rule
 * above; one that keeps inventing items is stopped here. */
#define MAX_PAGES 1000
/* Task views read per pass: the conversations waiting for a person. */
#define MAX_VIEWS 50

struct relevance {
	sync_ctx *c;
	char origin[256];
	char auth[700];
	cJSON *agent_ids;
	long long no_state; /* conversations left out for want of a state */
	int views_failed;   /* task views that could not be read this pass */
};

static http_verdict classify(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	(void)arg;
	*wait_s = http_retry_after(r);
	if (r->status >= 200 && r->status < 300)
		return HTTP_DONE;
	const char *msg = json_str(r->json, "message");
	snprintf(why, why_n, "HTTP %ld%s%s", r->status, msg ? ": " : "", msg ? msg : "");
	if (r->status == 401 || r->status == 403)
		return HTTP_AUTH;
	if (r->status == 429)
		return HTTP_THROTTLED;
	if (r->status >= 500)
		return HTTP_RETRY;
	return HTTP_FAIL;
}

static int call(struct relevance *rv, const char *method, const char *url, const char *body,
	http_response *resp, okdf_err *e)
{
	const char *headers[] = { rv->auth, "Content-Type: application/json",
		"Accept: application/json", NULL };
	http_request req = {
		.method = method,
		.url = url,
		.headers = headers,
		.body = body,
		.want_json = 1,
		.classify = classify,
	};
	return http_call(rv->c->http, &req, resp, e);
}

/* One listing, page after page until a page brings nothing new: POST
 * url with a page body (post), or GET url + "&page_size=..&page=..". Each
 * new item goes to item(); ids come from id_path (or alt_path). */
struct listing {
	const char *what, *resource, *url, *id_path, *alt_path;
	int post;
	int (*item)(struct relevance *rv, const cJSON *item, const char *id, void *arg,
		okdf_err *e);
	void *arg;
};

struct item_arg {
	struct relevance *rv;
	const struct listing *l;
	const char *id;
};

static int list_item(void *arg, const cJSON *it, okdf_err *e)
{
	const struct item_arg *a = arg;
	return a->l->item(a->rv, it, a->id, a->l->arg, e);
}

static int list_all(struct relevance *rv, const struct listing *l, okdf_err *e)
{
	sync_ctx *c = rv->c;
	relevance_pager *pager = relevance_pager_new(MAX_PAGES);
	int rc = pager ? OKDF_OK : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	int more = 1, capped = 0;
	while (!rc && more) {
		int page = relevance_pager_page(pager);
		char url[2600], body[64];
		if (l->post) {
			snprintf(url, sizeof url, "%s", l->url);
			snprintf(body, sizeof body, "{\"page_size\":%d,\"page\":%d}", PAGE_SIZE,
				page);
		} else {
			snprintf(url, sizeof url, "%s&page_size=%d&page=%d", l->url, PAGE_SIZE, page);
		}
		http_response resp;
		rc = call(rv, l->post ? "POST" : "GET", url, l->post ? body : NULL, &resp, e);
		if (rc)
			break;
		const cJSON *results = json_path(resp.json, "results"), *it;
		if (!cJSON_IsArray(results))
			rc = okdf_err_set(e, OKDF_EINPUT, "answer without results");
		if (!rc)
			rc = db_begin(c->db, e);
		cJSON_ArrayForEach(it, results) {
			if (rc)
				break;
			const char *id = json_str(it, l->id_path);
			if (!id && l->alt_path)
				id = json_str(it, l->alt_path);
			if (!id)
				continue; /* nothing to store it under */
			int added = relevance_pager_add(pager, id);
			if (added < 0)
				rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			else if (added) {
				/* An item okdf cannot read is quarantined; the page goes on. */
				struct item_arg a = { rv, l, id };
				rc = sync_store_record(c, l->resource, it, id, list_item, &a, e);
			}
		}
		http_response_free(&resp);
		if (rc) {
			db_rollback(c->db);
			break;
		}
		rc = db_commit(c->db, e);
		if (!rc)
			sync_ctx_committed(c);
		more = relevance_pager_next(pager, &capped);
	}
	if (!rc && capped)
		snprintf(c->note, sizeof c->note,
			"%s: stopped after %d pages that each brought new items", l->what,
			MAX_PAGES);
	relevance_pager_free(pager);
	return rc;
}

static int store_agent_item(struct relevance *rv, const cJSON *a, const char *id, void *arg,
	okdf_err *e)
{
	(void)arg;
	sync_ctx *c = rv->c;
	store_agent ag;
	int rc = relevance_parse_agent(a, id, c->now, &ag, e);
	if (!rc)
		rc = agent_upsert(c->db, &ag, e);
	if (!rc && !cJSON_AddItemToArray(rv->agent_ids, cJSON_CreateString(id)))
		rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	c->rows++;
	return rc ? okdf_err_prefix(e, "agent %s", id) : OKDF_OK;
}

static int sync_agents(struct relevance *rv, okdf_err *e)
{
	char url[512];
	snprintf(url, sizeof url, "%s/latest/agents/list", rv->origin);
	struct listing l = { .what = "agents", .resource = "agents", .url = url, .id_path = "agent_id", .post = 1,
		.item = store_agent_item };
	return list_all(rv, &l, e) ? okdf_err_prefix(e, "agents") : OKDF_OK;
}

static int store_conversation_item(struct relevance *rv, const cJSON *it, const char *id,
	void *arg, okdf_err *e)
{
	(void)id;
	sync_ctx *c = rv->c;
	if (relevance_is_debug_task(it))
		return OKDF_OK; /* a builder's test run, not a customer */
	store_conversation cv;
	int rc = relevance_parse_conversation(it, c->now, &cv, e);
	if (rc)
		return rc;
	if (!cv.state) {
		rv->no_state++;
		return OKDF_OK;
	}
	if (!cv.agent_id)
		cv.agent_id = arg;
	c->rows++;
	return conversation_upsert(c->db, &cv, e);
}

/* Test runs stored by an okdf that did not leave them out. */
static int drop_test_run(struct relevance *rv, const cJSON *it, const char *id, void *arg,
	okdf_err *e)
{
	(void)arg;
	if (!relevance_is_debug_task(it))
		return OKDF_OK; /* the service did not filter: keep the customer's */
	return conversation_delete(rv->c->db, id, e);
}

/* The agent's tasks: its customers' (debug 0), or its builders' test runs
 * (debug 1), which are only deleted from the store. */
static int sync_conversations(struct relevance *rv, const char *agent_id, int debug,
	okdf_err *e)
{
	sync_ctx *c = rv->c;
	/* The agent, and test runs or not: the filters the SDKs send. */
	cJSON *filters = cJSON_CreateArray(), *f = cJSON_CreateObject(), *d = cJSON_CreateObject();
	cJSON_AddItemToArray(filters, f);
	cJSON_AddItemToArray(filters, d);
	cJSON_AddStringToObject(f, "field", "conversation.agent_id");
	cJSON_AddStringToObject(f, "filter_type", "exact_match");
	cJSON_AddStringToObject(f, "condition", "==");
	cJSON_AddItemToObject(f, "condition_value", cJSON_CreateStringArray(&agent_id, 1));
	cJSON_AddStringToObject(d, "field", "conversation.is_debug_mode_task");
	cJSON_AddStringToObject(d, "filter_type", "exact_match");
	cJSON_AddStringToObject(d, "condition", debug ? "==" : "!=");
	cJSON_AddTrueToObject(d, "condition_value");
	char *ftext = cJSON_PrintUnformatted(filters);
	cJSON_Delete(filters);
	char *fesc = ftext ? http_escape(c->http, ftext) : NULL;
	char *sesc = http_escape(c->http, "[{\"insert_date\":\"asc\"}]");
	free(ftext);
	int rc = fesc && sesc ? OKDF_OK : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	char url[2048], what[128];
	if (!rc && (size_t)snprintf(url, sizeof url,
		"%s/latest/agents/conversations/list?filters=%s&sort=%s", rv->origin, fesc,
		sesc) >= sizeof url)
		rc = okdf_err_set(e, OKDF_EINPUT, "agent id too long: %s", agent_id);
	snprintf(what, sizeof what, "%s of agent %s", debug ? "test runs" : "conversations",
		agent_id);
	struct listing l = { .what = what, .resource = "conversations", .url = url,
		.id_path = "knowledge_set",
		.alt_path = "metadata.knowledge_set",
		.item = debug ? drop_test_run : store_conversation_item, .arg = (void *)agent_id };
	if (!rc)
		rc = list_all(rv, &l, e);
	free(fesc);
	free(sesc);
	return rc ? okdf_err_prefix(e, "%s", what) : OKDF_OK;
}

/* s cut to at most max bytes, not inside a UTF-8 sequence; NULL: no memory. */
static int store_view(struct relevance *rv, const store_conversation_ref *r,
	const cJSON *view, okdf_err *e)
{
	sync_ctx *c = rv->c;
	relevance_view v;
	int rc = relevance_parse_view(view, &v, e);
	if (rc)
		return rc;
	store_conversation_evidence ev = { .conversation_id = r->id, .messages = v.messages,
		.tool = v.tool, .params = v.params, .amount = v.amount, .fetched_at = c->now };
	if (!(rc = db_begin(c->db, e))) {
		if ((rc = conversation_evidence_put(c->db, &ev, e)))
			db_rollback(c->db);
		else
			rc = db_commit(c->db, e);
	}
	relevance_view_clear(&v);
	return rc;
}

/* The task view of each conversation waiting for a person: what the
 * customer wrote and what the agent asks to do. A view that cannot be read
 * (the task gone, the service failing) is counted; the pass goes on. */
static int sync_evidence(struct relevance *rv, okdf_err *e)
{
	sync_ctx *c = rv->c;
	store_conversation_ref *refs;
	int n;
	int rc = conversations_needing_person_list(c->db, MAX_VIEWS, &refs, &n, e);
	for (int i = 0; !rc && i < n; i++) {
		char *ea = http_escape(c->http, refs[i].agent_id);
		char *ec = http_escape(c->http, refs[i].id);
		char url[1024];
		http_response resp;
		if (!ea || !ec) {
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		} else {
			snprintf(url, sizeof url, "%s/latest/agents/%s/tasks/%s/view", rv->origin, ea,
				ec);
			okdf_err ve = { 0 };
			int vrc = call(rv, "POST", url, "{\"page_size\":1000}", &resp, &ve);
			if (vrc == OKDF_EAUTH) {
				*e = ve;
				rc = vrc;
			} else if (vrc) {
				rv->views_failed++;
			} else {
				if (store_view(rv, &refs[i], resp.json, &ve) == OKDF_ENOMEM)
					rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
				else if (ve.code)
					rv->views_failed++;
				http_response_free(&resp);
			}
		}
		free(ea);
		free(ec);
	}
	free(refs);
	if (!rc && !(rc = db_begin(c->db, e))) {
		if ((rc = conversation_evidence_prune(c->db, e)))
			db_rollback(c->db);
		else
			rc = db_commit(c->db, e);
	}
	return rc ? okdf_err_prefix(e, "task views") : OKDF_OK;
}

int relevance_sync(sync_ctx *c, okdf_err *e)
{
	const okdf_connector_config *conf = c->conf;
	if (!conf->account[0])
		return okdf_err_set(e, OKDF_EINPUT, "[relevance] project_id is not set");
	if (!conf->secret[0])
		return okdf_err_set(e, OKDF_EINPUT,
			"no API key: set [relevance] api_key or OKDF_RELEVANCE_API_KEY");
	if (!conf->region[0] && !conf->base_url[0])
		return okdf_err_set(e, OKDF_EINPUT, "[relevance] region is not set");
	struct relevance rv = { .c = c };
	char prod[128];
	snprintf(prod, sizeof prod, "https://api-%s.stack.tryrelevance.com", conf->region);
	int rc = sync_url(c, prod, "", rv.origin, sizeof rv.origin, e);
	if (rc)
		return rc;
	/* Raw "project:key", no Bearer: what Relevance's own SDKs send. */
	snprintf(rv.auth, sizeof rv.auth, "Authorization: %s:%s", conf->account, conf->secret);
	rv.agent_ids = cJSON_CreateArray();
	if (!rv.agent_ids)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	rc = sync_agents(&rv, e);
	const cJSON *id;
	cJSON_ArrayForEach(id, rv.agent_ids) {
		if (rc)
			break;
		rc = sync_conversations(&rv, id->valuestring, 0, e);
	}
	if (!rc)
		rc = sync_evidence(&rv, e);
	/* Once per store: drop test runs an older okdf stored as conversations. */
	char *purged = NULL;
	if (!rc)
		rc = sync_cursor_get(c->db, "relevance", "test_runs_dropped", &purged, e);
	cJSON_ArrayForEach(id, rv.agent_ids) {
		if (rc || purged)
			break;
		rc = sync_conversations(&rv, id->valuestring, 1, e);
	}
	if (!rc && !purged) {
		rc = db_begin(c->db, e);
		if (!rc && (rc = sync_cursor_put(c->db, "relevance", "test_runs_dropped", "1",
			c->now, e)))
			db_rollback(c->db);
		else if (!rc)
			rc = db_commit(c->db, e);
	}
	free(purged);
	cJSON_Delete(rv.agent_ids);
	if (!rc && rv.views_failed && !c->note[0])
		snprintf(c->note, sizeof c->note, "%d task view%s could not be read",
			rv.views_failed, rv.views_failed == 1 ? "" : "s");
	if (!rc && rv.no_state && !c->note[0])
		snprintf(c->note, sizeof c->note, "%lld conversation%s without a state left out",
			rv.no_state, rv.no_state == 1 ? "" : "s");
	return rc;
}

void relevance_free(sync_ctx *c)
{
	(void)c;
}

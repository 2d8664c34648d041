/* Relevance AI: agents and their conversations (tasks) with state. Lists are
 * page-numbered with no total, so a short page ends them; volumes are small
 * and every pass re-reads them whole, one transaction per page. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/net/json.h"
#include "okdf/store/agents.h"
#include "okdf/store/db.h"
#include "okdf/sync/relevance.h"

#define PAGE_SIZE 100

struct relevance {
	sync_ctx *c;
	char origin[256];
	char auth[700];
	cJSON *agent_ids;
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

static int contains_word(const char *hay, const char *const *words)
{
	char low[512];
	size_t i = 0;
	for (; hay && hay[i] && i + 1 < sizeof low; i++)
		low[i] = (char)tolower((unsigned char)hay[i]);
	low[i] = '\0';
	for (; *words; words++) {
		size_t wl = strlen(*words);
		for (const char *p = strstr(low, *words); p; p = strstr(p + 1, *words)) {
			int start = p == low || !isalnum((unsigned char)p[-1]);
			int end = !isalnum((unsigned char)p[wl]);
			if (start && end)
				return 1;
		}
	}
	return 0;
}

const char *relevance_agent_kind(const char *name, const char *description)
{
	/* Whole words, name first: "Ad Creative Writer" is creative, not content. */
	static const char *const cs[] = { "cs", "support", "customer", "service", "helpdesk",
		"inbox", "refund", "refunds", "returns", "ticket", "tickets", NULL };
	static const char *const creative[] = { "creative", "creatives", "ad", "ads", "image",
		"images", "video", "design", "ugc", NULL };
	static const char *const content[] = { "content", "blog", "seo", "copy", "copywriter",
		"writer", "social", "newsletter", "email", "product descriptions", NULL };
	const char *texts[] = { name, description };
	for (int i = 0; i < 2; i++) {
		if (contains_word(texts[i], cs))
			return "cs";
		if (contains_word(texts[i], creative))
			return "creative";
		if (contains_word(texts[i], content))
			return "content";
	}
	return "other";
}

static int opt_time(const cJSON *obj, const char *path, long long *t, int *has, okdf_err *e)
{
	int is_null;
	int rc = json_time(obj, path, t, &is_null, e);
	*has = !rc && !is_null;
	return rc;
}

static int sync_agents(struct relevance *rv, okdf_err *e)
{
	sync_ctx *c = rv->c;
	char url[512];
	snprintf(url, sizeof url, "%s/latest/agents/list", rv->origin);
	int rc = OKDF_OK;
	for (int page = 1; !rc; page++) {
		char body[64];
		snprintf(body, sizeof body, "{\"page_size\":%d,\"page\":%d}", PAGE_SIZE, page);
		http_response resp;
		rc = call(rv, "POST", url, body, &resp, e);
		if (rc)
			break;
		const cJSON *results = json_path(resp.json, "results"), *a;
		if (!cJSON_IsArray(results))
			rc = okdf_err_set(e, OKDF_EINPUT, "agents/list: answer without results");
		if (!rc)
			rc = db_begin(c->db, e);
		cJSON_ArrayForEach(a, results) {
			if (rc)
				break;
			store_agent ag = {
				.id = json_str(a, "agent_id"),
				.name = json_str(a, "name"),
				.updated_at = c->now,
			};
			if (!ag.id || !ag.name) {
				rc = okdf_err_set(e, OKDF_EINPUT, "agent without agent_id or name");
				break;
			}
			ag.kind = relevance_agent_kind(ag.name, json_str(a, "description"));
			long long t;
			int has;
			rc = opt_time(a, "insert_date_", &ag.created_at, &ag.has_created_at, e);
			if (!rc)
				rc = opt_time(a, "update_date_", &t, &has, e);
			if (!rc && has)
				ag.updated_at = t;
			if (!rc)
				rc = store_upsert_agent(c->db, &ag, e);
			if (!rc)
				cJSON_AddItemToArray(rv->agent_ids, cJSON_CreateString(ag.id));
			c->rows++;
		}
		int last = cJSON_GetArraySize(results) < PAGE_SIZE;
		http_response_free(&resp);
		if (rc) {
			db_rollback(c->db);
			break;
		}
		rc = db_commit(c->db, e);
		if (!rc)
			sync_ctx_committed(c);
		if (last)
			break;
	}
	return rc ? okdf_err_prefix(e, "agents") : OKDF_OK;
}

int relevance_parse_conversation(const cJSON *item, store_conversation *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	const cJSON *meta = json_path(item, "metadata");
	out->id = json_str(item, "knowledge_set");
	if (!out->id)
		out->id = json_str(meta, "knowledge_set");
	out->agent_id = json_str(meta, "conversation.agent_id");
	out->state = json_str(meta, "conversation.state");
	out->title = json_str(meta, "conversation.title");
	if (!out->id || !out->state)
		return okdf_err_set(e, OKDF_EINPUT, "conversation without knowledge_set or state");
	const char *by = json_str(meta, "conversation.resolved_by");
	out->resolved_by_agent = by && strcmp(by, "agent") == 0;
	int rc = json_time(meta, "insert_date", &out->created_at, NULL, e);
	if (!rc)
		rc = json_time(meta, "update_date", &out->updated_at, NULL, e);
	return rc ? okdf_err_prefix(e, "conversation %s", out->id) : OKDF_OK;
}

struct conversation_arg {
	sync_ctx *c;
	const char *agent_id;
};

static int put_conversation(void *arg, const cJSON *it, okdf_err *e)
{
	const struct conversation_arg *a = arg;
	store_conversation cv;
	int rc = relevance_parse_conversation(it, &cv, e);
	if (!rc && !cv.agent_id)
		cv.agent_id = a->agent_id;
	return rc ? rc : store_upsert_conversation(a->c->db, &cv, e);
}

static int sync_conversations(struct relevance *rv, const char *agent_id, okdf_err *e)
{
	sync_ctx *c = rv->c;
	cJSON *filters = cJSON_CreateArray(), *f = cJSON_CreateObject();
	cJSON_AddItemToArray(filters, f);
	cJSON_AddStringToObject(f, "field", "conversation.agent_id");
	cJSON_AddStringToObject(f, "filter_type", "exact_match");
	cJSON_AddStringToObject(f, "condition", "==");
	cJSON_AddItemToObject(f, "condition_value", cJSON_CreateStringArray(&agent_id, 1));
	char *ftext = cJSON_PrintUnformatted(filters);
	cJSON_Delete(filters);
	char *fesc = ftext ? http_escape(c->http, ftext) : NULL;
	char *sesc = http_escape(c->http, "[{\"insert_date\":\"asc\"}]");
	free(ftext);
	int rc = fesc && sesc ? OKDF_OK : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	for (int page = 1; !rc; page++) {
		char url[2048];
		snprintf(url, sizeof url,
			"%s/latest/agents/conversations/list?filters=%s&sort=%s&page_size=%d&page=%d",
			rv->origin, fesc, sesc, PAGE_SIZE, page);
		http_response resp;
		rc = call(rv, "GET", url, NULL, &resp, e);
		if (rc)
			break;
		const cJSON *results = json_path(resp.json, "results"), *it;
		if (!cJSON_IsArray(results))
			rc = okdf_err_set(e, OKDF_EINPUT, "conversations/list: answer without results");
		if (!rc)
			rc = db_begin(c->db, e);
		struct conversation_arg ca = { c, agent_id };
		cJSON_ArrayForEach(it, results) {
			if (rc)
				break;
			const char *ks = json_str(it, "knowledge_set");
			rc = sync_store_record(c, "conversations", it,
				ks ? ks : json_str(it, "metadata.knowledge_set"), put_conversation, &ca, e);
			c->rows++;
		}
		int last = cJSON_GetArraySize(results) < PAGE_SIZE;
		http_response_free(&resp);
		if (rc) {
			db_rollback(c->db);
			break;
		}
		rc = db_commit(c->db, e);
		if (!rc)
			sync_ctx_committed(c);
		if (last)
			break;
	}
	free(fesc);
	free(sesc);
	return rc ? okdf_err_prefix(e, "conversations of agent %s", agent_id) : OKDF_OK;
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
		rc = sync_conversations(&rv, id->valuestring, e);
	}
	cJSON_Delete(rv.agent_ids);
	return rc;
}

void relevance_free(sync_ctx *c)
{
	(void)c;
}

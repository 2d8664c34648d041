/* Relevance AI: agents and their conversations (tasks) with state. Lists are
 * page-numbered with no total, and the service may serve fewer items than
 * page_size asks, so a short page proves nothing: a list ends at the first
 * page that brings no item not already seen in this listing. Volumes are
 * small and every pass re-reads them whole, one transaction per page. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/net/json.h"
#include "okdf/store/agents.h"
#include "okdf/store/db.h"
#include "okdf/store/sync_state.h"
#include "okdf/sync/relevance.h"

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

/* The ids one listing has seen (open addressing, at most half full), the
 * current page and whether it brought one not seen before. */
struct relevance_pager {
	char **slot;
	size_t cap, n;
	int page, max_pages, fresh;
};

relevance_pager *relevance_pager_new(int max_pages)
{
	relevance_pager *p = calloc(1, sizeof *p);
	if (p) {
		p->page = 1;
		p->max_pages = max_pages;
	}
	return p;
}

void relevance_pager_free(relevance_pager *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->cap; i++)
		free(p->slot[i]);
	free(p->slot);
	free(p);
}

int relevance_pager_page(const relevance_pager *p)
{
	return p->page;
}

static size_t id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return (size_t)h;
}

static char **id_find(char **slot, size_t cap, const char *id)
{
	size_t i = id_hash(id) & (cap - 1);
	while (slot[i] && strcmp(slot[i], id) != 0)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

int relevance_pager_add(relevance_pager *p, const char *id)
{
	if (2 * (p->n + 1) > p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		char **slot = calloc(cap, sizeof *slot);
		if (!slot)
			return -1;
		for (size_t i = 0; i < p->cap; i++)
			if (p->slot[i])
				*id_find(slot, cap, p->slot[i]) = p->slot[i];
		free(p->slot);
		p->slot = slot;
		p->cap = cap;
	}
	char **at = id_find(p->slot, p->cap, id);
	if (*at)
		return 0;
	if (!(*at = strdup(id)))
		return -1;
	p->n++;
	p->fresh = 1;
	return 1;
}

int relevance_pager_next(relevance_pager *p, int *capped)
{
	*capped = 0;
	if (!p->fresh)
		return 0;
	if (p->page >= p->max_pages) {
		*capped = 1;
		return 0;
	}
	p->page++;
	p->fresh = 0;
	return 1;
}

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
	store_agent ag = {
		.id = id,
		.name = json_str(a, "name"),
		.updated_at = c->now,
	};
	ag.kind = relevance_agent_kind(ag.name, json_str(a, "description"));
	long long t;
	int has;
	int rc = opt_time(a, "insert_date_", &ag.created_at, &ag.has_created_at, e);
	if (!rc)
		rc = opt_time(a, "update_date_", &t, &has, e);
	if (!rc && has)
		ag.updated_at = t;
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

int relevance_is_debug_task(const cJSON *item)
{
	return cJSON_IsTrue(json_path(item, "metadata.conversation.is_debug_mode_task"));
}

int relevance_parse_conversation(const cJSON *item, long long now, store_conversation *out,
	okdf_err *e)
{
	memset(out, 0, sizeof *out);
	const cJSON *meta = json_path(item, "metadata");
	out->id = json_str(item, "knowledge_set");
	if (!out->id)
		out->id = json_str(meta, "knowledge_set");
	out->agent_id = json_str(meta, "conversation.agent_id");
	out->state = json_str(meta, "conversation.state");
	out->title = json_str(meta, "conversation.title");
	if (!out->id)
		return okdf_err_set(e, OKDF_EINPUT, "conversation without knowledge_set");
	int has_update;
	int rc = opt_time(meta, "insert_date", &out->created_at, &out->has_created_at, e);
	if (!rc)
		rc = opt_time(meta, "update_date", &out->updated_at, &has_update, e);
	if (!rc && !has_update)
		out->updated_at = out->has_created_at ? out->created_at : now;
	return rc ? okdf_err_prefix(e, "conversation %s", out->id) : OKDF_OK;
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
static char *clip(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return strndup(s, n);
}

static int view_add_message(cJSON *list, const cJSON *step, const char *text)
{
	long long at = 0;
	int is_null;
	okdf_err ignored = { 0 };
	if (json_time(step, "insert_date_", &at, &is_null, &ignored) != OKDF_OK || is_null)
		at = 0; /* a message without a readable time is still the customer's */
	char *t = clip(text, RELEVANCE_VIEW_TEXT);
	cJSON *m = cJSON_CreateObject();
	if (!t || !m || !cJSON_AddNumberToObject(m, "at", (double)at) ||
		!cJSON_AddStringToObject(m, "text", t) || !cJSON_AddItemToArray(list, m)) {
		free(t);
		cJSON_Delete(m);
		return -1;
	}
	free(t);
	if (cJSON_GetArraySize(list) > RELEVANCE_VIEW_MESSAGES)
		cJSON_DeleteItemFromArray(list, 0);
	return 0;
}

/* A parameter's value as text: strings as they are, the rest as JSON. */
static char *param_text(const cJSON *v)
{
	if (cJSON_IsString(v))
		return clip(v->valuestring, RELEVANCE_VIEW_TEXT);
	char *json = cJSON_PrintUnformatted(v);
	char *t = json ? clip(json, RELEVANCE_VIEW_TEXT) : NULL;
	cJSON_free(json);
	return t;
}

static int view_pending(relevance_view *out, const cJSON *content)
{
	const char *title = json_str(content, "tool_config.title");
	const char *kind = json_str(content, "component.content_type");
	cJSON *params = cJSON_CreateObject();
	char *amount = NULL;
	int rc = params ? 0 : -1;
	const cJSON *p;
	/* JS SDK message/tool.ts: params{resolved, valid}. */
	cJSON_ArrayForEach(p, json_path(content, "params.resolved")) {
		if (rc || cJSON_GetArraySize(params) >= RELEVANCE_VIEW_PARAMS)
			break;
		char *t = p->string ? param_text(p) : NULL;
		if (!t || !cJSON_AddStringToObject(params, p->string, t))
			rc = -1;
		char low[64];
		size_t i = 0;
		for (; p->string && p->string[i] && i + 1 < sizeof low; i++)
			low[i] = (char)tolower((unsigned char)p->string[i]);
		low[i] = '\0';
		if (!rc && !amount && strstr(low, "amount") && (cJSON_IsNumber(p) ||
			cJSON_IsString(p)) && !(amount = strdup(t)))
			rc = -1;
		free(t);
	}
	const char *context = json_str(content, "component.options.context");
	if (!rc && !title && kind && strcmp(kind, "escalation") == 0 && context) {
		char *t = clip(context, RELEVANCE_VIEW_TEXT);
		if (!t || !cJSON_AddStringToObject(params, "context", t))
			rc = -1;
		free(t);
	}
	char *ptext = !rc && cJSON_GetArraySize(params) ? cJSON_PrintUnformatted(params) : NULL;
	char *tool = rc ? NULL : title ? clip(title, RELEVANCE_VIEW_TEXT)
		: kind && strcmp(kind, "escalation") == 0 ? strdup("escalation to a person")
		: strdup("tool run");
	cJSON_Delete(params);
	if (rc || !tool) {
		free(amount);
		free(tool);
		cJSON_free(ptext);
		return -1;
	}
	free(out->tool);
	free(out->params);
	free(out->amount);
	out->tool = tool;
	out->params = ptext ? strdup(ptext) : NULL;
	out->amount = amount;
	int lost = ptext && !out->params;
	cJSON_free(ptext);
	return lost ? -1 : 0;
}

int relevance_parse_view(const cJSON *view, relevance_view *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	const cJSON *steps = json_path(view, "results"), *step;
	if (!cJSON_IsArray(steps))
		return okdf_err_set(e, OKDF_EINPUT, "task view without results");
	cJSON *messages = cJSON_CreateArray();
	int rc = messages ? 0 : -1;
	cJSON_ArrayForEach(step, steps) {
		if (rc)
			break;
		const cJSON *content = json_path(step, "content");
		const char *type = json_str(content, "type");
		const char *text = json_str(content, "text");
		const char *state = json_str(content, "tool_run_state");
		if (type && strcmp(type, "user-message") == 0 && text)
			rc = view_add_message(messages, step, text);
		else if (type && strcmp(type, "tool-run") == 0 && state &&
			strcmp(state, "pending") == 0)
			rc = view_pending(out, content); /* the last one wins */
	}
	if (!rc && !(out->messages = cJSON_PrintUnformatted(messages)))
		rc = -1;
	cJSON_Delete(messages);
	if (rc) {
		relevance_view_clear(out);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	return OKDF_OK;
}

void relevance_view_clear(relevance_view *v)
{
	cJSON_free(v->messages);
	free(v->tool);
	free(v->params);
	free(v->amount);
	memset(v, 0, sizeof *v);
}

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

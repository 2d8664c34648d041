#include "relevance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PAGE_SIZE 20
#define RUN_SECONDS 2.0 /* a confirmed or continued run completes after this */

static bool relevance_matches(const char *path)
{
	return !strncmp(path, "/latest/", 8);
}

static bool relevance_authorized(const struct sim_request *rq)
{
	const char *auth = sim_request_header(rq, "Authorization");
	return auth && !strcmp(auth, SIM_RELEVANCE_AUTH);
}

static int rel_error(struct sim_reply *rp, unsigned status, const char *message, const char *type)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "message", message);
	cJSON_AddStringToObject(doc, "error_type", type);
	cJSON_AddStringToObject(doc, "error_audience", "user");
	return sim_reply_json(rp, status, doc);
}

static int relevance_unauthorized(struct sim_reply *rp)
{
	return rel_error(rp, 401, "Unauthorized: invalid project or API key", "unauthorized");
}

static int relevance_fault(struct sim_ctx *ctx, const struct sim_request *rq, enum sim_fault kind,
			struct sim_reply *rp)
{
	(void)ctx;
	(void)rq;
	if (kind == SIM_FAULT_SERVER_ERROR)
		return rel_error(rp, 500, "Internal server error", "internal_error");
	sim_reply_header(rp, "Retry-After", "1");
	return rel_error(rp, 429, "Too many requests", "rate_limited");
}

static void add_iso(cJSON *obj, const char *key, int64_t t)
{
	char iso[SIM_ISO_LEN];
	sim_time_iso_millis(t, iso);
	cJSON_AddStringToObject(obj, key, iso);
}

/* Paging and filters come as query arguments (GET) or a JSON body (POST). */
struct list_params {
	long page_size, page;
	cJSON *filters; /* owned */
	cJSON *sort;    /* owned */
};

static cJSON *param_json(const struct sim_request *rq, const cJSON *body, const char *name)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(body, name);
	if (b)
		return cJSON_IsString(b) ? cJSON_Parse(b->valuestring) : cJSON_Duplicate(b, true);
	const char *q = sim_request_arg(rq, name);
	return q ? cJSON_Parse(q) : NULL;
}

static long param_long(const struct sim_request *rq, const cJSON *body, const char *name, long dflt)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(body, name);
	if (cJSON_IsNumber(b))
		return (long)b->valuedouble;
	if (cJSON_IsString(b))
		return strtol(b->valuestring, NULL, 10);
	const char *q = sim_request_arg(rq, name);
	return q ? strtol(q, NULL, 10) : dflt;
}

/* A page_size above the cap is served at the cap, without a word. */
static bool read_list_params(const struct sim_ctx *ctx, const struct sim_request *rq,
			     struct list_params *lp)
{
	cJSON *body = rq->body_len ? cJSON_ParseWithLength(rq->body, rq->body_len) : NULL;
	lp->page_size = param_long(rq, body, "page_size", DEFAULT_PAGE_SIZE);
	lp->page = param_long(rq, body, "page", 1);
	lp->filters = param_json(rq, body, "filters");
	lp->sort = param_json(rq, body, "sort");
	cJSON_Delete(body);
	bool ok = lp->page_size >= 1 && lp->page >= 1;
	if (lp->page_size > ctx->opt.relevance_page_cap)
		lp->page_size = ctx->opt.relevance_page_cap;
	if (ctx->opt.relevance_ignore_page)
		lp->page = 1;
	return ok;
}

static void free_list_params(struct list_params *lp)
{
	cJSON_Delete(lp->filters);
	cJSON_Delete(lp->sort);
}

static cJSON *agent_json(const struct sim_agent *a)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "agent_id", a->id);
	if (a->name)
		cJSON_AddStringToObject(j, "name", a->name);
	cJSON_AddStringToObject(j, "description", a->description);
	cJSON_AddStringToObject(j, "emoji", "");
	cJSON_AddStringToObject(j, "project", SIM_RELEVANCE_PROJECT);
	cJSON_AddFalseToObject(j, "public");
	cJSON_AddStringToObject(j, "model", a->model);
	add_iso(j, "insert_date_", a->created);
	add_iso(j, "update_date_", a->updated);
	cJSON_AddStringToObject(j, "action_behaviour", "always-ask");
	cJSON_AddNumberToObject(j, "autonomy_limit", 10);
	return j;
}

static int list_agents(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	struct list_params lp;
	bool ok = read_list_params(ctx, rq, &lp);
	free_list_params(&lp);
	if (!ok)
		return rel_error(rp, 422, "page_size and page must be >= 1", "validation_error");
	const struct sim_model *m = &ctx->model;
	cJSON *doc = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(doc, "results");
	size_t from = (size_t)((lp.page - 1) * lp.page_size);
	for (size_t i = from; i < m->n_agents && i < from + (size_t)lp.page_size; i++)
		cJSON_AddItemToArray(results, agent_json(&m->agents[i]));
	return sim_reply_json(rp, 200, doc);
}

static const struct sim_agent *find_agent(const struct sim_model *m, const char *id, int *index)
{
	for (size_t i = 0; i < m->n_agents; i++) {
		if (!strcmp(m->agents[i].id, id)) {
			if (index)
				*index = (int)i;
			return &m->agents[i];
		}
	}
	return NULL;
}

/* True when the value (a string, or a bool when value is NULL) is listed in
 * a filter's condition_value (one value or an array). */
static bool condition_has(const cJSON *cv, const char *value, bool flag)
{
	if (!cJSON_IsArray(cv)) {
		if (value)
			return cJSON_IsString(cv) && !strcmp(cv->valuestring, value);
		return cJSON_IsBool(cv) && cJSON_IsTrue(cv) == flag;
	}
	const cJSON *v;
	cJSON_ArrayForEach(v, cv)
		if (condition_has(v, value, flag))
			return true;
	return false;
}

static bool conversation_passes(const struct sim_model *m, const struct sim_conversation *c,
				const cJSON *filters)
{
	const cJSON *f;
	cJSON_ArrayForEach(f, filters)
	{
		const cJSON *field = cJSON_GetObjectItemCaseSensitive(f, "field");
		const cJSON *cond = cJSON_GetObjectItemCaseSensitive(f, "condition");
		const cJSON *cv = cJSON_GetObjectItemCaseSensitive(f, "condition_value");
		if (!cJSON_IsString(field))
			continue;
		bool negate = cJSON_IsString(cond) && !strcmp(cond->valuestring, "!=");
		const char *actual = NULL;
		bool known = true;
		if (!strcmp(field->valuestring, "conversation.agent_id"))
			actual = m->agents[c->agent].id;
		else if (!strcmp(field->valuestring, "conversation.state"))
			actual = c->state;
		else if (strcmp(field->valuestring, "conversation.is_debug_mode_task") != 0)
			known = false;
		if (known && condition_has(cv, actual, c->debug) == negate)
			return false;
	}
	return true;
}

struct sort_ctx {
	const struct sim_model *m;
	bool by_update, descending;
};

static int conv_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *s = arg;
	const struct sim_conversation *x = &s->m->conversations[*(const size_t *)a];
	const struct sim_conversation *y = &s->m->conversations[*(const size_t *)b];
	int64_t kx = s->by_update ? x->updated : x->created;
	int64_t ky = s->by_update ? y->updated : y->created;
	int r = kx < ky ? -1 : kx > ky ? 1 : strcmp(x->id, y->id);
	return s->descending ? -r : r;
}

static void read_sort(const cJSON *sort, struct sort_ctx *sc)
{
	sc->by_update = false;
	sc->descending = true;
	const cJSON *first = cJSON_IsArray(sort) ? cJSON_GetArrayItem(sort, 0) : NULL;
	const cJSON *key = first ? first->child : NULL;
	if (!key || !key->string)
		return;
	sc->by_update = !strncmp(key->string, "update_date", 11);
	sc->descending = !(cJSON_IsString(key) && !strcmp(key->valuestring, "asc"));
}

static cJSON *conversation_json(const struct sim_model *m, const struct sim_conversation *c)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "knowledge_set", c->id);
	cJSON *meta = cJSON_AddObjectToObject(j, "metadata");
	cJSON_AddStringToObject(meta, "_id", c->id);
	cJSON_AddStringToObject(meta, "project", SIM_RELEVANCE_PROJECT);
	cJSON_AddStringToObject(meta, "knowledge_set", c->id);
	if (!c->no_insert_date)
		add_iso(meta, "insert_date", c->created);
	add_iso(meta, "update_date", c->updated);
	cJSON *conv = cJSON_AddObjectToObject(meta, "conversation");
	cJSON_AddStringToObject(conv, "agent_id", m->agents[c->agent].id);
	cJSON_AddStringToObject(conv, "title", c->title);
	cJSON_AddStringToObject(conv, "state", c->state);
	cJSON_AddBoolToObject(conv, "has_errored", !strcmp(c->state, "errored-pending-approval"));
	cJSON_AddStringToObject(conv, "created_by_user_id", "sim-api-key");
	cJSON_AddBoolToObject(conv, "is_debug_mode_task", c->debug);
	cJSON *sm = cJSON_AddObjectToObject(conv, "state_metadata");
	if (!strcmp(c->state, "errored-pending-approval"))
		cJSON_AddStringToObject(sm, "unrecoverable_error_type", "max-tool-retries");
	return j;
}

static int list_conversations(struct sim_ctx *ctx, const struct sim_request *rq,
			      struct sim_reply *rp)
{
	struct list_params lp;
	if (!read_list_params(ctx, rq, &lp)) {
		free_list_params(&lp);
		return rel_error(rp, 422, "page_size and page must be >= 1", "validation_error");
	}
	const struct sim_model *m = &ctx->model;
	size_t *order = malloc((m->n_conversations + 1) * sizeof *order);
	if (!order) {
		free_list_params(&lp);
		return -1;
	}
	size_t n = 0;
	for (size_t i = 0; i < m->n_conversations; i++)
		if (conversation_passes(m, &m->conversations[i], lp.filters))
			order[n++] = i;
	struct sort_ctx sc = {.m = m};
	read_sort(lp.sort, &sc);
	qsort_r(order, n, sizeof *order, conv_cmp, &sc);
	cJSON *doc = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(doc, "results");
	size_t from = (size_t)((lp.page - 1) * lp.page_size);
	for (size_t i = from; i < n && i < from + (size_t)lp.page_size; i++)
		cJSON_AddItemToArray(results, conversation_json(m, &m->conversations[order[i]]));
	free(order);
	free_list_params(&lp);
	return sim_reply_json(rp, 200, doc);
}

static struct sim_conversation *find_conversation(struct sim_model *m, const char *id)
{
	for (size_t i = 0; i < m->n_conversations; i++)
		if (!strcmp(m->conversations[i].id, id))
			return &m->conversations[i];
	return NULL;
}

static cJSON *step(cJSON *results, const struct sim_conversation *c, int n, int64_t when,
		   const char *type)
{
	cJSON *s = cJSON_CreateObject();
	char id[SIM_UUID_LEN + 8];
	snprintf(id, sizeof id, "%s-%d", c->id, n);
	cJSON_AddStringToObject(s, "item_id", id);
	add_iso(s, "insert_date_", when);
	cJSON *content = cJSON_AddObjectToObject(s, "content");
	cJSON_AddStringToObject(content, "type", type);
	cJSON_AddItemToArray(results, s);
	return content;
}

/* The resolved parameters of a pending tool run (JS SDK message/tool.ts:
 * params{resolved, valid}); the values are the simulator's own. */
static void tool_params(cJSON *content, const struct sim_conversation *c)
{
	cJSON *params = cJSON_AddObjectToObject(content, "params");
	cJSON *res = cJSON_AddObjectToObject(params, "resolved");
	const char *hash = strrchr(c->title, '#');
	int order_no = hash ? atoi(hash + 1) : 0;
	if (hash)
		cJSON_AddStringToObject(res, "order_name", hash);
	if (!strcmp(c->tool_title, "Issue refund")) {
		cJSON_AddNumberToObject(res, "amount", 19.99 + order_no % 60);
		cJSON_AddStringToObject(res, "currency", "USD");
		cJSON_AddStringToObject(res, "reason", "Item arrived damaged");
	} else if (!strcmp(c->tool_title, "Send replacement")) {
		cJSON_AddNumberToObject(res, "quantity", 1);
		cJSON_AddStringToObject(res, "shipping", "express");
	} else if (!strcmp(c->tool_title, "Apply 20% discount")) {
		cJSON_AddNumberToObject(res, "discount_percent", 20);
	} else {
		cJSON_AddStringToObject(res, "headline", c->title);
		cJSON_AddStringToObject(res, "placement", "instagram_feed");
	}
	cJSON_AddBoolToObject(params, "valid", true);
	cJSON_AddObjectToObject(content, "output");
	cJSON_AddArrayToObject(content, "errors");
}

static int view_task(struct sim_ctx *ctx, const char *agent_id, const char *conv_id,
		     struct sim_reply *rp)
{
	struct sim_model *m = &ctx->model;
	struct sim_conversation *c = find_conversation(m, conv_id);
	if (!c || strcmp(m->agents[c->agent].id, agent_id) != 0)
		return rel_error(rp, 404, "Task not found", "not_found");
	cJSON *doc = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(doc, "results");
	cJSON *content = step(results, c, 1, c->created, "user-message");
	cJSON_AddStringToObject(content, "text", c->title);
	const char *st = c->state;
	if (!strcmp(st, "pending-approval") || !strcmp(st, "errored-pending-approval") ||
	    !strcmp(st, "escalated")) {
		content = step(results, c, 7, c->created + 20, "user-message");
		cJSON_AddStringToObject(content, "text",
					"Any news on this? I need an answer today, please.");
	}
	if (!strcmp(st, "errored-pending-approval")) {
		content = step(results, c, 2, c->created + 30, "agent-error");
		cJSON *err = cJSON_CreateObject();
		cJSON_AddStringToObject(err, "body", "Tool failed: the order system timed out");
		cJSON_AddItemToArray(cJSON_AddArrayToObject(content, "errors"), err);
	}
	if (c->tool_title) {
		bool pending = !c->declined_with[0] && (!strcmp(st, "pending-approval") ||
							 !strcmp(st, "errored-pending-approval"));
		bool declined = c->declined_with[0] || !strcmp(st, "cancelled");
		content = step(results, c, 3, c->created + 60, "tool-run");
		cJSON_AddBoolToObject(content, "requires_confirmation", true);
		cJSON_AddStringToObject(content, "tool_run_state",
					pending			     ? "pending"
					: declined		     ? "cancelled"
					: !strcmp(st, "running")     ? "running"
								     : "finished");
		cJSON *tc = cJSON_AddObjectToObject(content, "tool_config");
		cJSON_AddStringToObject(tc, "type", "tool");
		cJSON_AddStringToObject(tc, "id", "sim-tool-1");
		cJSON_AddStringToObject(tc, "title", c->tool_title);
		tool_params(content, c);
		cJSON *ad = cJSON_AddObjectToObject(content, "action_details");
		cJSON_AddStringToObject(ad, "action", "sim-action-run");
		cJSON_AddStringToObject(ad, "action_request_id", c->action_request_id);
		if (!pending) {
			cJSON *conf = cJSON_AddObjectToObject(content, "confirmation");
			cJSON_AddBoolToObject(conf, "confirmed", !declined);
			cJSON_AddStringToObject(conf, "by", "user");
		}
	}
	if (c->declined_with[0]) {
		content = step(results, c, 6, c->updated, "user-message");
		cJSON_AddStringToObject(content, "text", c->declined_with);
	}
	if (!strcmp(st, "escalated")) {
		content = step(results, c, 4, c->created + 90, "tool-run");
		cJSON_AddStringToObject(content, "tool_run_state", "pending");
		cJSON *comp = cJSON_AddObjectToObject(content, "component");
		cJSON_AddStringToObject(comp, "content_type", "escalation");
		cJSON *opts = cJSON_AddObjectToObject(comp, "options");
		cJSON_AddStringToObject(opts, "context", c->title);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(opts, "response"), "state",
					"awaiting-response");
	}
	if (!strcmp(st, "completed")) {
		content = step(results, c, 5, c->updated, "agent-message");
		cJSON_AddStringToObject(content, "text", "All sorted - anything else I can help with?");
	}
	cJSON_AddNullToObject(doc, "next_cursor");
	return sim_reply_json(rp, 200, doc);
}

static int trigger_reply(struct sim_reply *rp, const char *conv_id, const char *agent_id)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *job = cJSON_AddObjectToObject(doc, "job_info");
	char job_id[SIM_UUID_LEN + 8];
	snprintf(job_id, sizeof job_id, "job-%.24s", conv_id);
	cJSON_AddStringToObject(job, "job_id", job_id);
	cJSON_AddStringToObject(job, "studio_id", "sim-agent-studio");
	cJSON_AddStringToObject(doc, "conversation_id", conv_id);
	cJSON_AddStringToObject(doc, "agent_id", agent_id);
	cJSON_AddStringToObject(doc, "state", "starting-up");
	return sim_reply_json(rp, 200, doc);
}

static bool awaits_approval(const struct sim_conversation *c)
{
	return c->tool_title && !c->declined_with[0] &&
	       (!strcmp(c->state, "pending-approval") || !strcmp(c->state, "errored-pending-approval"));
}

/* An action-confirm message (Python SDK approve_task) runs the pending tool. */
static int confirm_action(struct sim_ctx *ctx, const struct sim_request *rq,
			  struct sim_conversation *c, const cJSON *msg, struct sim_reply *rp)
{
	const char *agent_id = ctx->model.agents[c->agent].id;
	const cJSON *req_id = cJSON_GetObjectItemCaseSensitive(msg, "action_request_id");
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(msg, "action");
	if (!awaits_approval(c))
		return rel_error(rp, 422, "Task has no action waiting for approval", "validation_error");
	if (!cJSON_IsString(req_id) || strcmp(req_id->valuestring, c->action_request_id) != 0)
		return rel_error(rp, 422, "Unknown action_request_id for this task", "validation_error");
	if (!cJSON_IsString(action) || strcmp(action->valuestring, "sim-action-run") != 0)
		return rel_error(rp, 422, "Unknown action for this task", "validation_error");
	if (rq->commit) {
		c->updated = sim_model_now(&ctx->model);
		c->state = "running";
		c->complete_at = sim_time_monotonic() + RUN_SECONDS;
	}
	return trigger_reply(rp, c->id, agent_id);
}

static int trigger(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	struct sim_model *m = &ctx->model;
	cJSON *body = cJSON_ParseWithLength(rq->body, rq->body_len);
	const cJSON *agent_id = cJSON_GetObjectItemCaseSensitive(body, "agent_id");
	const cJSON *conv_id = cJSON_GetObjectItemCaseSensitive(body, "conversation_id");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(body, "message");
	const cJSON *role = cJSON_GetObjectItemCaseSensitive(msg, "role");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(msg, "content");
	int agent = -1, rc;
	if (!cJSON_IsString(agent_id) || !cJSON_IsObject(msg) || !cJSON_IsString(role)) {
		rc = rel_error(rp, 422, "agent_id and message{role} are required", "validation_error");
	} else if (strcmp(role->valuestring, "user") != 0 &&
		   strcmp(role->valuestring, "action-confirm") != 0) {
		/* The roles the official SDKs send; anything else is refused. */
		rc = rel_error(rp, 422, "Invalid message role", "validation_error");
	} else if (!find_agent(m, agent_id->valuestring, &agent)) {
		rc = rel_error(rp, 404, "Agent not found", "not_found");
	} else if (cJSON_IsString(conv_id)) {
		struct sim_conversation *c = find_conversation(m, conv_id->valuestring);
		const char *r = role->valuestring;
		if (!c || c->agent != agent) {
			rc = rel_error(rp, 404, "Task not found", "not_found");
		} else if (!strcmp(r, "action-confirm")) {
			rc = confirm_action(ctx, rq, c, msg, rp);
		} else if (!cJSON_IsString(text)) {
			rc = rel_error(rp, 422, "message.content is required", "validation_error");
		} else {
			/* A user message continues the task; one sent while a tool run
			 * waits for approval sets that run aside (README: a guess). */
			if (rq->commit) {
				if (awaits_approval(c))
					snprintf(c->declined_with, sizeof c->declined_with, "%s",
						 text->valuestring);
				c->state = "running";
				c->updated = sim_model_now(m);
				c->complete_at = sim_time_monotonic() + RUN_SECONDS;
			}
			rc = trigger_reply(rp, c->id, agent_id->valuestring);
		}
	} else if (strcmp(role->valuestring, "user") != 0) {
		rc = rel_error(rp, 422, "action-confirm needs a conversation_id", "validation_error");
	} else {
		const char *title = cJSON_IsString(text) ? text->valuestring : "New task";
		if (rq->commit && sim_model_add_conversation(m, agent, title, "running", sim_model_now(m))) {
			rc = -1;
		} else if (rq->commit) {
			struct sim_conversation *c = &m->conversations[m->n_conversations - 1];
			c->complete_at = sim_time_monotonic() + RUN_SECONDS;
			rc = trigger_reply(rp, c->id, agent_id->valuestring);
		} else {
			rc = trigger_reply(rp, "00000000-0000-4000-a000-000000000000", agent_id->valuestring);
		}
	}
	cJSON_Delete(body);
	return rc;
}

static int relevance_handle(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	struct sim_model *m = &ctx->model;
	sim_model_settle_conversations(m);
	const char *p = rq->path + 8;
	bool post = !strcmp(rq->method, "POST");
	if (!strcmp(p, "agents/list") && post)
		return list_agents(ctx, rq, rp);
	if (!strcmp(p, "agents/conversations/list"))
		return list_conversations(ctx, rq, rp);
	if (!strcmp(p, "agents/trigger") && post)
		return trigger(ctx, rq, rp);
	char agent_id[SIM_UUID_LEN + 1], conv_id[SIM_UUID_LEN + 1], tail[16];
	if (sscanf(p, "agents/%37[^/]/tasks/%37[^/]/%15s", agent_id, conv_id, tail) == 3) {
		if (!strcmp(tail, "view") && post)
			return view_task(ctx, agent_id, conv_id, rp);
		if (!strcmp(tail, "metadata")) {
			struct sim_conversation *c = find_conversation(m, conv_id);
			if (!c || strcmp(m->agents[c->agent].id, agent_id) != 0)
				return rel_error(rp, 404, "Task not found", "not_found");
			cJSON *doc = cJSON_CreateObject();
			cJSON *conv = conversation_json(m, c);
			cJSON_AddItemToObject(doc, "metadata", cJSON_DetachItemFromObject(conv, "metadata"));
			cJSON_Delete(conv);
			return sim_reply_json(rp, 200, doc);
		}
	}
	if (sscanf(p, "agents/%37[^/]/%15s", agent_id, tail) == 2 && !strcmp(tail, "get")) {
		const struct sim_agent *a = find_agent(m, agent_id, NULL);
		if (!a)
			return rel_error(rp, 404, "Agent not found", "not_found");
		cJSON *doc = cJSON_CreateObject();
		cJSON_AddItemToObject(doc, "agent", agent_json(a));
		return sim_reply_json(rp, 200, doc);
	}
	return rel_error(rp, 404, "Not found", "not_found");
}

const struct sim_service sim_relevance_service = {
	.name = "relevance",
	.matches = relevance_matches,
	.authorized = relevance_authorized,
	.unauthorized = relevance_unauthorized,
	.fault = relevance_fault,
	.handle = relevance_handle,
};

#include "okdf/sync/actions.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/inbox.h"
#include "okdf/sync/meta_wire.h"
#include "okdf/sync/worker.h"
#include "okdf/sync/meta.h"

/* 2xx: done. Otherwise the vendor's own message in why; retries only where
 * repeating the call is harmless (arg non-NULL). */
static http_verdict classify(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	*wait_s = http_retry_after(r);
	if (r->status >= 200 && r->status < 300)
		return HTTP_DONE;
	const char *msg = json_str(r->json, "error.message");
	if (!msg)
		msg = json_str(r->json, "message");
	snprintf(why, why_n, "HTTP %ld%s%s", r->status, msg ? ": " : "", msg ? msg : "");
	int idempotent = arg != NULL;
	if (r->status == 401 || r->status == 403)
		return HTTP_AUTH;
	long long code = -1;
	okdf_err ignore;
	if (json_int64(json_path(r->json, "error.code"), &code, &ignore))
		code = -1;
	if (code == 190)
		return HTTP_AUTH;
	if (idempotent && (r->status == 429 || code == 4 || code == 17 || code == 613 ||
		code == 80004))
		return HTTP_THROTTLED;
	if (idempotent && (r->status >= 500 || cJSON_IsTrue(json_path(r->json, "error.is_transient"))))
		return HTTP_RETRY;
	return HTTP_FAIL;
}

/* POST url with body; on success result gets a short summary of the answer,
 * on failure the vendor's error. Returns 1 on success. */
static int post(sync_ctx *c, const char *url, const char *const *headers, const char *body,
	int idempotent, char *result, size_t n, http_response *resp)
{
	static const int yes = 1;
	http_request req = {
		.method = "POST",
		.url = url,
		.headers = headers,
		.body = body,
		.want_json = 1,
		.classify = classify,
		.classify_arg = idempotent ? (void *)&yes : NULL,
	};
	okdf_err e = { 0 };
	memset(resp, 0, sizeof *resp);
	if (http_call(c->http, &req, resp, &e) != OKDF_OK) {
		snprintf(result, n, "%s", e.msg[0] ? e.msg : "request failed");
		return 0;
	}
	return 1;
}

static int set_daily_budget(sync_ctx *c, const cJSON *payload, char *result, size_t n)
{
	const char *campaign = json_str(payload, "campaign_id");
	const char *currency = json_str(payload, "currency");
	long long budget = 0, units = 0;
	okdf_err e = { 0 };
	if (!campaign || !currency || json_int64(json_path(payload, "daily_budget_minor"), &budget,
		&e) || budget <= 0) {
		snprintf(result, n, "the queued action names no campaign, budget or currency");
		return 0;
	}
	/* Stored in ISO minor units; Meta takes its own per-currency offset unit. */
	char version[16], proof[65] = "";
	if (meta_budget_from_minor(budget, currency, &units, &e) ||
		meta_version(c->conf->api_version, version, sizeof version, &e) ||
		(c->conf->app_secret[0] &&
			meta_appsecret_proof(c->conf->secret, c->conf->app_secret, proof, &e))) {
		snprintf(result, n, "%s", e.msg);
		return 0;
	}
	if (!c->conf->secret[0]) {
		snprintf(result, n, "no Meta access token configured");
		return 0;
	}
	char url[1024], path[512];
	char *id = http_escape(c->http, campaign);
	char *token = http_escape(c->http, c->conf->secret);
	int ok = 0;
	if (id && token) {
		snprintf(path, sizeof path, "/%s/%s", version, id);
		if (sync_url(c, "https://graph.facebook.com", path, url, sizeof url, &e) == OKDF_OK) {
			size_t blen = strlen(token) + 160;
			char *body = malloc(blen);
			if (body) {
				snprintf(body, blen, "daily_budget=%lld&access_token=%s%s%s", units, token,
					proof[0] ? "&appsecret_proof=" : "", proof);
				const char *headers[] = {
					"Content-Type: application/x-www-form-urlencoded",
					"Accept: application/json", NULL };
				http_response resp;
				ok = post(c, url, headers, body, 1, result, n, &resp);
				if (ok)
					snprintf(result, n,
						"HTTP %ld: daily budget of campaign %s set to %lld %s minor units",
						resp.status, campaign, budget, currency);
				http_response_free(&resp);
				free(body);
			} else {
				snprintf(result, n, "out of memory");
			}
		} else {
			snprintf(result, n, "%s", e.msg);
		}
	} else {
		snprintf(result, n, "out of memory");
	}
	free(id);
	free(token);
	return ok;
}

int actions_pending_run(const cJSON *view, actions_run_ref *p)
{
	const cJSON *step;
	int found = 0;
	cJSON_ArrayForEach(step, json_path(view, "results")) {
		const cJSON *content = json_path(step, "content");
		const char *type = json_str(content, "type");
		const char *state = json_str(content, "tool_run_state");
		const char *a = json_str(content, "action_details.action");
		const char *r = json_str(content, "action_details.action_request_id");
		const char *t = json_str(content, "tool_config.title");
		if (type && strcmp(type, "tool-run") == 0 && state && strcmp(state, "pending") == 0 &&
			a && r) {
			snprintf(p->action, sizeof p->action, "%s", a);
			snprintf(p->request_id, sizeof p->request_id, "%s", r);
			snprintf(p->title, sizeof p->title, "%s", t ? t : "");
			found = 1; /* the last one wins: steps come oldest first */
		}
	}
	return found;
}

void actions_decline_text(const actions_run_ref *p, const char *note, char *buf, size_t n)
{
	snprintf(buf, n, "The operator declined the pending action%s%s%s (%s): do not run it. "
		"Reason: %s", p->title[0] ? " \"" : "", p->title, p->title[0] ? "\"" : "",
		p->action, note && note[0] ? note : "none given");
}

static int confirm_task(sync_ctx *c, const cJSON *payload, int approve, char *result, size_t n)
{
	const char *agent = json_str(payload, "agent_id");
	const char *conv = json_str(payload, "conversation_id");
	if (!agent || !conv) {
		snprintf(result, n, "the queued action names no agent task");
		return 0;
	}
	if (!c->conf->secret[0] || !c->conf->account[0]) {
		snprintf(result, n, "no Relevance AI project_id and api_key configured");
		return 0;
	}
	char origin[300], url[1024], path[512], auth[800];
	okdf_err e = { 0 };
	snprintf(origin, sizeof origin, "https://api-%s.stack.tryrelevance.com",
		c->conf->region[0] ? c->conf->region : "bcbe5a");
	snprintf(auth, sizeof auth, "Authorization: %s:%s", c->conf->account, c->conf->secret);
	const char *headers[] = { auth, "Content-Type: application/json",
		"Accept: application/json", NULL };
	char *ea = http_escape(c->http, agent), *ec = http_escape(c->http, conv);
	int ok = 0;
	http_response resp;
	memset(&resp, 0, sizeof resp);
	actions_run_ref run;
	char text[1024];
	if (!ea || !ec) {
		snprintf(result, n, "out of memory");
		goto out;
	}
	snprintf(path, sizeof path, "/latest/agents/%s/tasks/%s/view", ea, ec);
	if (sync_url(c, origin, path, url, sizeof url, &e)) {
		snprintf(result, n, "%s", e.msg);
		goto out;
	}
	if (!post(c, url, headers, "{\"page_size\":1000}", 1, result, n, &resp))
		goto out;
	if (!actions_pending_run(resp.json, &run)) {
		snprintf(result, n, "the task has no action waiting for approval any more");
		goto out;
	}
	http_response_free(&resp);

	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "agent_id", agent);
	cJSON_AddStringToObject(body, "conversation_id", conv);
	cJSON *msg = cJSON_AddObjectToObject(body, "message");
	if (approve) {
		/* Python SDK tasks.trigger_task_from_action. */
		cJSON_AddStringToObject(msg, "role", "action-confirm");
		cJSON_AddStringToObject(msg, "action", run.action);
		cJSON_AddStringToObject(msg, "action_request_id", run.request_id);
		cJSON_AddObjectToObject(msg, "action_params_override");
	} else {
		actions_decline_text(&run, json_str(payload, "note"), text, sizeof text);
		cJSON_AddStringToObject(msg, "role", "user");
		cJSON_AddStringToObject(msg, "content", text);
	}
	char *json = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (!json) {
		snprintf(result, n, "out of memory");
		goto out;
	}
	if (sync_url(c, origin, "/latest/agents/trigger", url, sizeof url, &e)) {
		snprintf(result, n, "%s", e.msg);
	} else if (post(c, url, headers, json, 0, result, n, &resp)) {
		const char *state = json_str(resp.json, "state");
		snprintf(result, n, "HTTP %ld: %s for action %s, task %s", resp.status,
			approve ? "action-confirm sent" : "declining message sent", run.request_id,
			state ? state : "accepted");
		ok = 1;
	}
	free(json);
out:
	http_response_free(&resp);
	free(ea);
	free(ec);
	return ok;
}

int actions_run(sync_ctx *c, int *done, okdf_err *e)
{
	*done = 0;
	/* A shutdown leaves the rest pending for the next run. */
	while (http_sleep(c->http, 0) == 0) {
		escalation_action a;
		int found;
		int rc = escalation_action_claim(c->db, c->name, &a, &found, e);
		if (rc || !found)
			return rc;
		cJSON *payload = cJSON_Parse(a.payload ? a.payload : "{}");
		char result[1024] = "";
		int ok = 0;
		if (strcmp(a.action, "campaign.set_daily_budget") == 0 && strcmp(c->name, "meta") == 0)
			ok = set_daily_budget(c, payload, result, sizeof result);
		else if (strcmp(c->name, "relevance") == 0 && (strcmp(a.action, "agent.approve") == 0 ||
			strcmp(a.action, "agent.reject") == 0))
			ok = confirm_task(c, payload, strcmp(a.action, "agent.approve") == 0, result,
				sizeof result);
		else
			snprintf(result, sizeof result, "%s cannot carry out %s", c->name, a.action);
		cJSON_Delete(payload);
		long long now;
		if (time_now(&now, e))
			now = c->now;
		/* The result may quote the server: secrets masked, one clean line. */
		char clean[sizeof result];
		sync_clean_message(result, c->conf, clean, sizeof clean);
		rc = inbox_action_finished(c->db, &a, ok, clean, now, e);
		escalation_action_free(&a);
		if (rc)
			return rc;
		(*done)++;
	}
	return OKDF_OK;
}

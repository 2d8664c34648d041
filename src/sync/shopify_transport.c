/* Shopify transport and cost pacing: a GraphQL request is sent once the
 * cost bucket, as extensions.cost last reported it and restored since, covers
 * what the query is expected to cost; each answer is classified (auth,
 * THROTTLED with the wait the bucket implies, server error, GraphQL error, or
 * data with partial errors kept under a warning) and the served API version
 * checked against the configured one. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/net/json.h"
#include "shopify_private.h"

static void update_bucket(struct shopify *sh, const cJSON *root)
{
	const cJSON *cost = json_path(root, "extensions.cost");
	const cJSON *ts = json_path(cost, "throttleStatus");
	const cJSON *avail = json_path(ts, "currentlyAvailable");
	const cJSON *max = json_path(ts, "maximumAvailable");
	const cJSON *rate = json_path(ts, "restoreRate");
	const cJSON *req = json_path(cost, "requestedQueryCost");
	if (cJSON_IsNumber(req))
		sh->last_requested = req->valuedouble;
	if (!cJSON_IsNumber(avail) || !cJSON_IsNumber(max) || !cJSON_IsNumber(rate) ||
		rate->valuedouble <= 0)
		return;
	sh->have_bucket = 1;
	sh->available = avail->valuedouble;
	sh->maximum = max->valuedouble;
	sh->restore_rate = rate->valuedouble;
	sh->bucket_at = http_monotonic();
}

static int is_throttled_body(const cJSON *root)
{
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(root, "errors");
	const cJSON *it;
	cJSON_ArrayForEach(it, errs) {
		const char *code = json_str(it, "extensions.code");
		if (code && strcmp(code, "THROTTLED") == 0)
			return 1;
	}
	return 0;
}

/* YYYY-MM or "unstable": all a version header may put in a message. */
static int is_version(const char *v)
{
	if (strcmp(v, "unstable") == 0)
		return 1;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? v[i] != '-' : !isdigit((unsigned char)v[i]))
			return 0;
	return v[7] == '\0';
}

/* Copies the [A-Za-z0-9_] prefix of s: all of an error code or field name
 * that goes into a warning. */
void shopify_word_of(const char *s, char *out, size_t n)
{
	size_t i = 0;
	for (; s && (isalnum((unsigned char)s[i]) || s[i] == '_') && i + 1 < n; i++)
		out[i] = s[i];
	out[i] = '\0';
}

static void partial_warning(struct shopify *sh, const cJSON *errs)
{
	const cJSON *first = cJSON_GetArrayItem(errs, 0);
	char code[48], field[48];
	shopify_word_of(json_str(first, "extensions.code"), code, sizeof code);
	const cJSON *path = json_path(first, "path");
	const cJSON *last = cJSON_GetArrayItem(path, cJSON_GetArraySize(path) - 1);
	shopify_word_of(cJSON_IsString(last) ? last->valuestring : NULL, field, sizeof field);
	sync_ctx_warn(sh->c, "Shopify withheld %s%s (%s); the rest of the answer was kept",
		field[0] ? "the field " : "some fields", field, code[0] ? code : "no code");
}

static http_verdict classify(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	struct shopify *sh = arg;
	*wait_s = http_retry_after(r);
	if (r->json)
		update_bucket(sh, r->json);
	/* A retired version falls forward to the oldest supported one: say so. */
	const char *served = http_header_get(r, "X-Shopify-API-Version");
	if (served && strcmp(served, sh->c->conf->api_version) != 0 && !is_version(served))
		served = "(not a version)";
	if (served && strcmp(served, sh->c->conf->api_version) != 0)
		sync_ctx_warn(sh->c, "Shopify served API version %s, not the configured %s",
			served, sh->c->conf->api_version);
	if (r->status == 401 || r->status == 403) {
		const char *msg = json_str(r->json, "errors");
		snprintf(why, why_n, "HTTP %ld%s%s", r->status, msg ? ": " : "", msg ? msg : "");
		return HTTP_AUTH;
	}
	if (r->status == 429 || (r->json && is_throttled_body(r->json))) {
		snprintf(why, why_n, "THROTTLED");
		if (*wait_s < 0 && sh->have_bucket) {
			double need = sh->last_requested > 0 ? sh->last_requested : sh->maximum / 2;
			*wait_s = (need - sh->available) / sh->restore_rate;
			if (*wait_s < 0.1)
				*wait_s = 0.1;
		}
		return HTTP_THROTTLED;
	}
	if (r->status >= 500) {
		snprintf(why, why_n, "HTTP %ld", r->status);
		return HTTP_RETRY;
	}
	if (r->status != 200) {
		const char *msg = json_str(r->json, "errors");
		snprintf(why, why_n, "HTTP %ld%s%s", r->status, msg ? ": " : "", msg ? msg : "");
		return HTTP_FAIL;
	}
	const cJSON *errs = cJSON_GetObjectItemCaseSensitive(r->json, "errors");
	if (cJSON_GetArraySize(errs) > 0 &&
		cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r->json, "data"))) {
		/* data and errors together (e.g. ACCESS_DENIED on protected
		 * customer fields): what was given is kept, the rest is said. */
		partial_warning(sh, errs);
		return HTTP_DONE;
	}
	if (cJSON_GetArraySize(errs) > 0) {
		const char *msg = json_str(cJSON_GetArrayItem(errs, 0), "message");
		snprintf(why, why_n, "GraphQL error: %s", msg ? msg : "(no message)");
		return HTTP_FAIL;
	}
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r->json, "data"))) {
		snprintf(why, why_n, "answer without data");
		return HTTP_FAIL;
	}
	return HTTP_DONE;
}

/* Waits until the bucket, restored since it was last reported, covers cost. */
static int pace(struct shopify *sh, double cost)
{
	if (!sh->have_bucket)
		return OKDF_OK;
	if (cost > sh->maximum)
		cost = sh->maximum;
	double now = http_monotonic();
	double avail = sh->available + (now - sh->bucket_at) * sh->restore_rate;
	if (avail > sh->maximum)
		avail = sh->maximum;
	if (avail >= cost)
		return OKDF_OK;
	return http_sleep(sh->c->http, (cost - avail) / sh->restore_rate) ? OKDF_ENET : OKDF_OK;
}

int shopify_graphql(struct shopify *sh, const char *doc, cJSON *vars, double expected_cost,
	http_response *resp, okdf_err *e)
{
	cJSON *body = cJSON_CreateObject();
	if (!body || !cJSON_AddStringToObject(body, "query", doc)) {
		cJSON_Delete(body);
		cJSON_Delete(vars);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	if (vars)
		cJSON_AddItemToObject(body, "variables", vars);
	/* Printed into a buffer kept across requests (a fresh one per page made
	 * the allocator consolidate); a body too big for it gets its own. */
	char *text = sh->body;
	if (!cJSON_PrintPreallocated(body, sh->body, (int)sizeof sh->body, 0))
		text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (!text)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	if (pace(sh, expected_cost)) {
		if (text != sh->body)
			free(text);
		return okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
	}
	http_request req = {
		.method = "POST",
		.url = sh->url,
		.headers = sh->headers,
		.body = text,
		.want_json = 1,
		.classify = classify,
		.classify_arg = sh,
	};
	int rc;
	for (int renewed = 0;; renewed = 1) {
		rc = shopify_ensure_token(sh, e);
		if (!rc)
			rc = http_call(sh->c->http, &req, resp, e);
		/* A granted token refused early (revoked, or expired sooner than
		 * said): ask for a new one once before giving up. */
		if (rc != OKDF_EAUTH || !sh->grant || renewed || !sh->token[0])
			break;
		explicit_bzero(sh->token, sizeof sh->token);
	}
	if (text != sh->body)
		free(text);
	return rc;
}

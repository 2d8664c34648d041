/* The client credentials token of a Dev Dashboard app: asked for at the
 * shop's /admin/oauth/access_token, kept in memory only, renewed before it
 * expires, and turned into the X-Shopify-Access-Token header; an OAuth error
 * from the token endpoint is a refusal worded for the operator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/net/json.h"
#include "shopify_private.h"

#define GRANT_CAUSE_MAX 256 /* a refused grant's OAuth error and description */

void shopify_set_token_header(struct shopify *sh, const char *token)
{
	snprintf(sh->token_header, sizeof sh->token_header, "X-Shopify-Access-Token: %s", token);
}

/* The token endpoint's verdict: an OAuth error (RFC 6749 5.2, e.g.
 * invalid_client) is a refusal, its error and description kept in arg. */
static http_verdict classify_grant(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	char *cause = arg;
	*wait_s = http_retry_after(r);
	if (r->status == 429 || r->status >= 500) {
		snprintf(why, why_n, "HTTP %ld", r->status);
		return HTTP_RETRY;
	}
	const char *err = json_str(r->json, "error");
	if (r->status != 200 || err) {
		const char *desc = json_str(r->json, "error_description");
		char status[32];
		snprintf(status, sizeof status, "HTTP %ld", r->status);
		snprintf(cause, GRANT_CAUSE_MAX, "%s%s%s%s", err ? err : status, desc ? " (" : "",
			desc ? desc : "", desc ? ")" : "");
		snprintf(why, why_n, "%s", cause);
		return HTTP_AUTH;
	}
	if (!json_str(r->json, "access_token")) {
		snprintf(why, why_n, "token answer without access_token");
		return HTTP_FAIL;
	}
	return HTTP_DONE;
}

int shopify_client_token(http_client *http, const char *grant_url, const char *client_id,
	const char *client_secret, char *token, size_t n, double *expires_in, okdf_err *e)
{
	char *id = http_escape(http, client_id);
	char *secret = http_escape(http, client_secret);
	char *body = NULL;
	size_t len = (id ? strlen(id) : 0) + (secret ? strlen(secret) : 0) + 80;
	if (id && secret && (body = malloc(len)))
		snprintf(body, len, "grant_type=client_credentials&client_id=%s&client_secret=%s", id,
			secret);
	free(id);
	if (secret) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	if (!body)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	static const char *const headers[] = {
		"Content-Type: application/x-www-form-urlencoded", "Accept: application/json", NULL,
	};
	char cause[GRANT_CAUSE_MAX] = "";
	http_request req = {
		.method = "POST",
		.url = grant_url,
		.headers = headers,
		.body = body,
		.want_json = 1,
		.classify = classify_grant,
		.classify_arg = cause,
	};
	http_response resp;
	int rc = http_call(http, &req, &resp, e);
	explicit_bzero(body, strlen(body));
	free(body);
	if (rc == OKDF_EAUTH && cause[0])
		return okdf_err_set(e, rc, "Shopify refused the client credentials grant: %s", cause);
	if (rc)
		return rc;
	cJSON *tok = cJSON_GetObjectItemCaseSensitive(resp.json, "access_token");
	const cJSON *ttl = json_path(resp.json, "expires_in");
	*expires_in = cJSON_IsNumber(ttl) && ttl->valuedouble > 0 ? ttl->valuedouble : 0;
	size_t tlen = strlen(tok->valuestring);
	if (tlen < n)
		memcpy(token, tok->valuestring, tlen + 1);
	explicit_bzero(tok->valuestring, tlen);
	http_response_free(&resp);
	if (tlen >= n)
		return okdf_err_set(e, OKDF_EINPUT, "token answer: access_token too long");
	return OKDF_OK;
}

/* POST /admin/oauth/access_token (client credentials grant). */
static int fetch_token(struct shopify *sh, okdf_err *e)
{
	const okdf_connector_config *conf = sh->c->conf;
	double asked = http_monotonic(), ttl = 0;
	int rc = shopify_client_token(sh->c->http, sh->grant_url, conf->client_id,
		conf->client_secret, sh->token, sizeof sh->token, &ttl, e);
	if (rc == OKDF_EAUTH) {
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e->msg);
		return okdf_err_set(e, rc,
			"%s; check [shopify] client_id and client_secret (the app's Settings in the Dev "
			"Dashboard) and that the app is installed on the shop", why);
	}
	if (rc)
		return rc;
	shopify_set_token_header(sh, sh->token);
	/* Renewed a fifth of its life (at most 5 minutes) before it runs out. */
	sh->token_renew_at = 0;
	if (ttl > 0) {
		double margin = ttl / 5 < 300 ? ttl / 5 : 300;
		sh->token_renew_at = asked + ttl - margin;
	}
	return OKDF_OK;
}

int shopify_ensure_token(struct shopify *sh, okdf_err *e)
{
	if (!sh->grant)
		return OKDF_OK;
	if (sh->token[0] && (sh->token_renew_at == 0 || http_monotonic() < sh->token_renew_at))
		return OKDF_OK;
	return fetch_token(sh, e);
}

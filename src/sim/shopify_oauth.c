#include "shopify_oauth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prng.h"
#include "simtime.h"

/* Recently granted tokens; the oldest is forgotten first. */
#define MAX_TOKENS 256

struct token {
	char value[40];
	double expires; /* sim_time_monotonic */
};

static struct {
	pthread_mutex_t lock;
	struct token tokens[MAX_TOKENS];
	int next;
	long ttl, revoke;
	char scopes[256];
	struct sim_prng rng;
	long granted, expired;
} st = { .lock = PTHREAD_MUTEX_INITIALIZER, .ttl = 86399 };

void sim_shopify_oauth_init(long ttl_s, long revoke_s, const char *scopes)
{
	st.ttl = ttl_s;
	st.revoke = revoke_s;
	snprintf(st.scopes, sizeof st.scopes, "%s", scopes);
	sim_prng_seed(&st.rng, (uint64_t)sim_time_real_now(), 7);
}

bool sim_shopify_oauth_token_valid(const char *token)
{
	bool ok = false;
	pthread_mutex_lock(&st.lock);
	for (int i = 0; i < MAX_TOKENS; i++) {
		if (!st.tokens[i].value[0] || strcmp(st.tokens[i].value, token) != 0)
			continue;
		ok = sim_time_monotonic() < st.tokens[i].expires;
		if (!ok)
			st.expired++;
		break;
	}
	pthread_mutex_unlock(&st.lock);
	return ok;
}

void sim_shopify_oauth_counts(long *granted, long *expired_refused)
{
	pthread_mutex_lock(&st.lock);
	*granted = st.granted;
	*expired_refused = st.expired;
	pthread_mutex_unlock(&st.lock);
}

static bool oauth_matches(const char *path)
{
	return !strcmp(path, "/admin/oauth/access_token");
}

/* The endpoint authenticates by the form's client_id and client_secret. */
static bool oauth_authorized(const struct sim_request *rq)
{
	(void)rq;
	return true;
}

static int oauth_error(struct sim_reply *rp, unsigned status, const char *error,
		       const char *description)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "error", error);
	cJSON_AddStringToObject(doc, "error_description", description);
	return sim_reply_json(rp, status, doc);
}

static int invalid_client(struct sim_reply *rp)
{
	return oauth_error(rp, 401, "invalid_client",
			   "Client authentication failed due to unknown client, no client "
			   "authentication included, or unsupported authentication method.");
}

static int oauth_fault(struct sim_ctx *ctx, const struct sim_request *rq, enum sim_fault kind,
		       struct sim_reply *rp)
{
	(void)ctx;
	(void)rq;
	if (kind == SIM_FAULT_RATE_LIMITED) {
		sim_reply_header(rp, "Retry-After", "1");
		return sim_reply_literal(rp, 429, "{\"errors\":\"Too Many Requests\"}");
	}
	return sim_reply_literal(rp, 500, "{\"errors\":\"Internal Server Error\"}");
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The decoded value of name in an application/x-www-form-urlencoded body;
 * false when absent or malformed. */
static bool form_value(const char *body, size_t len, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = body, *end = body + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		if ((size_t)(stop - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			size_t w = 0;
			for (const char *q = p + nl + 1; q < stop; q++) {
				int c = (unsigned char)*q;
				if (c == '+') {
					c = ' ';
				} else if (c == '%') {
					if (stop - q < 3 || hexval(q[1]) < 0 || hexval(q[2]) < 0)
						return false;
					c = hexval(q[1]) * 16 + hexval(q[2]);
					q += 2;
				}
				if (w + 1 >= n)
					return false;
				out[w++] = (char)c;
			}
			out[w] = '\0';
			return true;
		}
		p = stop + 1;
	}
	return false;
}

static int oauth_handle(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	(void)ctx;
	if (strcmp(rq->method, "POST") != 0)
		return sim_reply_literal(rp, 405, "{\"errors\":\"Method Not Allowed\"}");
	const char *type = sim_request_header(rq, "Content-Type");
	if (!type || strncmp(type, "application/x-www-form-urlencoded", 33) != 0)
		return oauth_error(rp, 400, "invalid_request",
				   "The request is missing a required parameter.");
	char grant[64], id[128], secret[128];
	if (!form_value(rq->body, rq->body_len, "grant_type", grant, sizeof grant))
		return oauth_error(rp, 400, "invalid_request",
				   "The request is missing a required parameter.");
	if (strcmp(grant, "client_credentials") != 0)
		return oauth_error(rp, 400, "unsupported_grant_type",
				   "The authorization grant type is not supported by the "
				   "authorization server.");
	if (!form_value(rq->body, rq->body_len, "client_id", id, sizeof id) ||
	    !form_value(rq->body, rq->body_len, "client_secret", secret, sizeof secret) ||
	    strcmp(id, SIM_SHOPIFY_CLIENT_ID) != 0 || strcmp(secret, SIM_SHOPIFY_CLIENT_SECRET) != 0)
		return invalid_client(rp);
	if (!rq->commit)
		return sim_reply_literal(rp, 200, "{}");
	char value[40];
	pthread_mutex_lock(&st.lock);
	snprintf(value, sizeof value, "shpat_%016llx%016llx",
		 (unsigned long long)sim_prng_next(&st.rng), (unsigned long long)sim_prng_next(&st.rng));
	struct token *t = &st.tokens[st.next];
	st.next = (st.next + 1) % MAX_TOKENS;
	snprintf(t->value, sizeof t->value, "%s", value);
	t->expires = sim_time_monotonic() + (double)(st.revoke ? st.revoke : st.ttl);
	st.granted++;
	pthread_mutex_unlock(&st.lock);
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "access_token", value);
	cJSON_AddStringToObject(doc, "scope", st.scopes);
	cJSON_AddNumberToObject(doc, "expires_in", (double)st.ttl);
	return sim_reply_json(rp, 200, doc);
}

/* Named "shopify" so that --auth-fail shopify refuses the grant too. */
const struct sim_service sim_shopify_oauth_service = {
	.name = "shopify",
	.matches = oauth_matches,
	.authorized = oauth_authorized,
	.unauthorized = invalid_client,
	.fault = oauth_fault,
	.handle = oauth_handle,
};

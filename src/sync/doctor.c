/* Live service checks for okdf doctor. Each call is one read-only request
 * whose status and body are judged here; nothing is retried but 429/5xx. */
#include "okdf/sync/doctor.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "okdf/net/http.h"
#include "okdf/net/json.h"
#include "okdf/sync/connector.h"
#include "okdf/sync/meta.h"
#include "okdf/sync/meta_wire.h"
#include "okdf/sync/shopify.h"

/* December 2026: the newest stable versions okdf is tested against. */
#define SHOPIFY_NEWEST "2026-10"
#define KLAVIYO_NEWEST "2026-10-15"
#define META_NEWEST "v27.0"

struct probe {
	http_client *http;
	doctor_report *r;
	const char *area;
	int rc; /* OKDF_ENOMEM once doctor_add fails */
};

struct answer {
	long status;
	cJSON *json;        /* parsed body or NULL */
	char served[64];    /* a version header, when the call names one */
	char net_error[1024]; /* transport failure: no status */
};

static void add(struct probe *p, const char *name, doctor_level level, const char *fix,
	const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add(struct probe *p, const char *name, doctor_level level, const char *fix,
	const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (doctor_add(p->r, p->area, name, level, fix, "%s", detail) && !p->rc)
		p->rc = OKDF_ENOMEM;
}

static http_verdict classify(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	(void)arg;
	*wait_s = http_retry_after(r);
	snprintf(why, why_n, "HTTP %ld", r->status);
	if (r->status == 429)
		return HTTP_THROTTLED;
	if (r->status >= 500)
		return HTTP_RETRY;
	return HTTP_DONE;
}

/* One request; the answer's status, JSON body and version header. */
static void ask(struct probe *p, const char *method, const char *url, const char *const *headers,
	const char *body, const char *version_header, struct answer *a)
{
	memset(a, 0, sizeof *a);
	http_request req = {
		.method = method,
		.url = url,
		.headers = headers,
		.body = body,
		.classify = classify,
	};
	http_response resp;
	okdf_err e = { 0 };
	if (http_call(p->http, &req, &resp, &e) != OKDF_OK) {
		snprintf(a->net_error, sizeof a->net_error, "%s", e.msg[0] ? e.msg : "no answer");
		return;
	}
	a->status = resp.status;
	if (resp.body)
		a->json = cJSON_ParseWithLength(resp.body, resp.len);
	const char *v = version_header ? http_header_get(&resp, version_header) : NULL;
	if (v)
		snprintf(a->served, sizeof a->served, "%s", v);
	http_response_free(&resp);
}

static void answer_free(struct answer *a)
{
	cJSON_Delete(a->json);
	a->json = NULL;
}

/* A transport failure, reported once as the service's reachability. */
static int unreachable(struct probe *p, const struct answer *a, const char *fix)
{
	if (!a->net_error[0])
		return 0;
	add(p, "reachable", DOCTOR_FAIL, fix, "no answer: %s", a->net_error);
	return 1;
}

/* Seconds from now to the start (UTC) of day y-m-d. */
static double until(int y, int m, int d, long long now)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	return (double)timegm(&tm) - (double)now;
}

/* The version line from a documented end of support: fail once past it,
 * warn within 60 days of it, else ok. */
static void lifetime(struct probe *p, const char *version, const char *served, int y, int m,
	int d, long long now, const char *fix)
{
	double left = until(y, m, d, now);
	if (left <= 0)
		add(p, "version", DOCTOR_FAIL, fix, "%s is past its end of support (%04d-%02d-%02d)",
			version, y, m, d);
	else if (left < 60 * 86400.0)
		add(p, "version", DOCTOR_WARN, fix, "%s%s; supported until %04d-%02d-%02d", version,
			served, y, m, d);
	else
		add(p, "version", DOCTOR_OK, NULL, "%s%s; supported until %04d-%02d-%02d", version,
			served, y, m, d);
}

/* ---- Shopify ---------------------------------------------------------- */

static int has_scope(const cJSON *scopes, const char *want)
{
	/* write_X grants read_X too. */
	char alt[64] = "";
	if (strncmp(want, "read_", 5) == 0)
		snprintf(alt, sizeof alt, "write_%s", want + 5);
	const cJSON *s;
	cJSON_ArrayForEach(s, scopes) {
		const char *h = json_str(s, "handle");
		if (h && (strcmp(h, want) == 0 || (alt[0] && strcmp(h, alt) == 0)))
			return 1;
	}
	return 0;
}

static const char *shopify_error(const cJSON *j)
{
	const cJSON *errs = json_path(j, "errors");
	if (cJSON_IsString(errs))
		return errs->valuestring;
	const char *m = json_str(cJSON_GetArrayItem(errs, 0), "message");
	return m ? m : "";
}

/* The shop, version and scopes checks with the token header tok. */
static void shopify_live(struct probe *p, const okdf_connector_config *c, long long now,
	const char *url, const char *tok, int grant, const char *cred_fix)
{
	const char *who = grant ? "granted token" : "access token";
	const char *headers[] = { tok, "Content-Type: application/json", "Accept: application/json",
		NULL };
	struct answer a;
	ask(p, "POST", url, headers, "{\"query\":\"{ shop { name } }\"}", "X-Shopify-API-Version", &a);
	if (unreachable(p, &a, "check [shopify] shop (NAME for NAME.myshopify.com) and the network")) {
		answer_free(&a);
		return;
	}
	const char *name = json_str(a.json, "data.shop.name");
	if (a.status == 401 || a.status == 403) {
		add(p, "credentials", DOCTOR_FAIL, cred_fix, "the %s was refused (HTTP %ld): %s", who,
			a.status, shopify_error(a.json));
		answer_free(&a);
		return;
	}
	if (a.status != 200 || !name) {
		add(p, "credentials", DOCTOR_FAIL,
			a.status == 404 ? "check [shopify] shop" : "check [shopify] and the shop's status",
			"shop query answered HTTP %ld: %s", a.status, shopify_error(a.json));
		answer_free(&a);
		return;
	}
	add(p, "credentials", DOCTOR_OK, NULL, "%s%s accepted by shop \"%s\"",
		grant ? "client credentials granted; " : "", who, name);
	if (!a.served[0])
		add(p, "version", DOCTOR_WARN, NULL, "no X-Shopify-API-Version header in the answer");
	else if (strcmp(a.served, c->api_version) != 0) {
		/* Shopify supports each quarterly version for 12 months. */
		int y, m, len = 0;
		char ended[48] = "";
		if (sscanf(c->api_version, "%4d-%2d%n", &y, &m, &len) == 2 && len == 7 &&
		    m >= 1 && m <= 12)
			snprintf(ended, sizeof ended, " (its support ended %04d-%02d-01)", y + 1, m);
		add(p, "version", DOCTOR_FAIL,
			"set [shopify] api_version = " SHOPIFY_NEWEST " (the newest stable version)",
			"api_version %s is not served%s: Shopify answered as %s", c->api_version, ended,
			a.served);
	} else {
		/* Shopify supports each quarterly version for 12 months. */
		int y, m, len = 0;
		if (sscanf(c->api_version, "%4d-%2d%n", &y, &m, &len) == 2 && len == 7 &&
		    !c->api_version[len] && m >= 1 && m <= 12)
			lifetime(p, c->api_version, " served", y + 1, m, 1, now,
				"set [shopify] api_version = " SHOPIFY_NEWEST " (the newest stable version)");
		else
			add(p, "version", DOCTOR_OK, NULL, "%s served", a.served);
	}
	answer_free(&a);

	ask(p, "POST", url, headers,
		"{\"query\":\"{ currentAppInstallation { accessScopes { handle } } }\"}", NULL, &a);
	const cJSON *scopes = json_path(a.json, "data.currentAppInstallation.accessScopes");
	if (a.net_error[0] || a.status != 200 || !cJSON_IsArray(scopes)) {
		add(p, "scopes", DOCTOR_WARN, NULL, "could not read the token's scopes: %s",
			a.net_error[0] ? a.net_error : shopify_error(a.json));
		answer_free(&a);
		return;
	}
	static const char *const needed[] = { "read_orders", "read_products", "read_customers" };
	char missing[256] = "";
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++)
		if (!has_scope(scopes, needed[i]))
			snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
				missing[0] ? ", " : "", needed[i]);
	if (missing[0])
		add(p, "scopes", DOCTOR_FAIL, "add the missing scopes to the app and reinstall it",
			"the token lacks %s", missing);
	else if (!has_scope(scopes, "read_all_orders"))
		add(p, "scopes", DOCTOR_WARN,
			"request read_all_orders for the app (Shopify approves it per app)",
			"no read_all_orders: Shopify shows only the last 60 days of orders");
	else
		add(p, "scopes", DOCTOR_OK, NULL,
			"read_orders, read_all_orders, read_products, read_customers granted");
	answer_free(&a);
}

static void check_shopify(struct probe *p, const okdf_connector_config *c, long long now)
{
	int grant = c->client_id[0] || c->client_secret[0];
	const char *cred_fix = grant
		? "in the Dev Dashboard, open the app's Settings: copy its client ID and secret into "
		  "[shopify] client_id and client_secret (or OKDF_SHOPIFY_CLIENT_SECRET), and install "
		  "the app on the shop"
		: "create an Admin API access token with read_orders, read_all_orders, "
		  "read_products and read_customers, then set [shopify] access_token "
		  "(or OKDF_SHOPIFY_ACCESS_TOKEN)";
	if (!c->account[0] && !c->base_url[0]) {
		add(p, "credentials", DOCTOR_FAIL, "set [shopify] shop (NAME for NAME.myshopify.com)",
			"[shopify] needs shop");
		return;
	}
	if (grant && c->secret[0]) {
		add(p, "credentials", DOCTOR_FAIL,
			"keep either access_token or client_id + client_secret in [shopify]",
			"[shopify] takes access_token or client_id + client_secret, not both");
		return;
	}
	if (grant ? !(c->client_id[0] && c->client_secret[0]) : !c->secret[0]) {
		add(p, "credentials", DOCTOR_FAIL, cred_fix, grant
			? "[shopify] needs both client_id and client_secret"
			: "[shopify] needs access_token, or client_id and client_secret");
		return;
	}
	char origin[300], path[128], url[600], tok[600];
	snprintf(origin, sizeof origin,
		strchr(c->account, '.') ? "https://%s" : "https://%s.myshopify.com", c->account);
	snprintf(path, sizeof path, "/admin/api/%s/graphql.json", c->api_version);
	sync_ctx sc = { .name = "shopify", .conf = c };
	okdf_err e = { 0 };
	if (sync_url(&sc, origin, path, url, sizeof url, &e)) {
		add(p, "config", DOCTOR_FAIL, "shorten [shopify] shop or base_url", "%s", e.msg);
		return;
	}
	char token[512];
	if (grant) {
		char grant_url[600];
		double ttl;
		int rc = sync_url(&sc, origin, "/admin/oauth/access_token", grant_url, sizeof grant_url,
			&e);
		if (!rc)
			rc = shopify_client_token(p->http, grant_url, c->client_id, c->client_secret, token,
				sizeof token, &ttl, &e);
		if (rc == OKDF_EAUTH) {
			add(p, "credentials", DOCTOR_FAIL, cred_fix, "%s", e.msg);
			return;
		}
		if (rc) {
			add(p, rc == OKDF_ENET ? "reachable" : "credentials", DOCTOR_FAIL,
				"check [shopify] shop (NAME for NAME.myshopify.com) and the network",
				"client credentials grant failed: %s", e.msg);
			return;
		}
	} else {
		snprintf(token, sizeof token, "%s", c->secret);
	}
	snprintf(tok, sizeof tok, "X-Shopify-Access-Token: %s", token);
	explicit_bzero(token, sizeof token);
	shopify_live(p, c, now, url, tok, grant, cred_fix);
	explicit_bzero(tok, sizeof tok);
}

/* ---- Klaviyo ---------------------------------------------------------- */

static const char *klaviyo_error(const cJSON *j, const char *field)
{
	const char *s = json_str(cJSON_GetArrayItem(json_path(j, "errors"), 0), field);
	return s ? s : "";
}

/* Klaviyo keeps a revision stable for a year, deprecated the second,
 * then retires it. */
static void klaviyo_revision_age(struct probe *p, const char *rev, long long now)
{
	struct tm tm = { 0 };
	const char *end = strptime(rev, "%Y-%m-%d", &tm);
	if (!end || (*end && *end != '.')) {
		add(p, "version", DOCTOR_FAIL, "set [klaviyo] revision = " KLAVIYO_NEWEST,
			"revision \"%s\" is not YYYY-MM-DD", rev);
		return;
	}
	double days = ((double)now - (double)timegm(&tm)) / 86400.0;
	if (days > 730)
		add(p, "version", DOCTOR_FAIL, "set [klaviyo] revision = " KLAVIYO_NEWEST,
			"revision %s is over two years old: retired", rev);
	else if (days > 365)
		add(p, "version", DOCTOR_WARN, "set [klaviyo] revision = " KLAVIYO_NEWEST,
			"revision %s is over a year old: deprecated, retired a year after that", rev);
	else
		add(p, "version", DOCTOR_OK, NULL, "revision %s is current (stable for a year)", rev);
}

static void check_klaviyo(struct probe *p, const okdf_connector_config *c, long long now)
{
	const char *cred_fix = "in Klaviyo, Settings > API keys: create a private key with "
		"accounts:read, campaigns:read, flows:read and metrics:read, then set [klaviyo] api_key "
		"(or OKDF_KLAVIYO_API_KEY)";
	if (!c->secret[0]) {
		add(p, "credentials", DOCTOR_FAIL, cred_fix, "[klaviyo] needs api_key");
		return;
	}
	klaviyo_revision_age(p, c->api_version, now);
	char origin[300], auth[600], rev[96];
	sync_ctx sc = { .name = "klaviyo", .conf = c };
	okdf_err e = { 0 };
	if (sync_url(&sc, "https://a.klaviyo.com", "", origin, sizeof origin, &e)) {
		add(p, "config", DOCTOR_FAIL, "shorten [klaviyo] base_url", "%s", e.msg);
		return;
	}
	snprintf(auth, sizeof auth, "Authorization: Klaviyo-API-Key %s", c->secret);
	snprintf(rev, sizeof rev, "revision: %s", c->api_version);
	const char *headers[] = { auth, rev, "Accept: application/vnd.api+json", NULL };
	static const struct {
		const char *scope, *path;
		doctor_level missing;
		const char *why;
	} probes[] = {
		{ "accounts:read", "/api/accounts/", DOCTOR_WARN,
			"; the currency then comes from the shop" },
		{ "flows:read", "/api/flows/", DOCTOR_FAIL, "" },
		{ "metrics:read", "/api/metrics/", DOCTOR_FAIL, "" },
	};
	char granted[128] = "";
	int credentials_said = 0;
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		char url[600];
		snprintf(url, sizeof url, "%s%s", origin, probes[i].path);
		struct answer a;
		ask(p, "GET", url, headers, NULL, NULL, &a);
		if (unreachable(p, &a, "check the network (or [klaviyo] base_url)")) {
			answer_free(&a);
			return;
		}
		if (a.status == 401) {
			add(p, "credentials", DOCTOR_FAIL, cred_fix, "the key was refused (HTTP 401): %s",
				klaviyo_error(a.json, "detail"));
			answer_free(&a);
			return;
		}
		if (!credentials_said && (a.status == 200 || a.status == 403)) {
			add(p, "credentials", DOCTOR_OK, NULL, "private key accepted");
			credentials_said = 1;
		}
		/* A refused revision names the header as its error's source. */
		const char *param = json_str(cJSON_GetArrayItem(json_path(a.json, "errors"), 0),
			"source.parameter");
		if (a.status == 410 || (a.status == 400 && param && !strcmp(param, "revision"))) {
			add(p, "version", DOCTOR_FAIL, "set [klaviyo] revision = " KLAVIYO_NEWEST,
				"revision %s refused (HTTP %ld): %s", c->api_version, a.status,
				klaviyo_error(a.json, "detail"));
			answer_free(&a);
			return;
		}
		if (a.status == 403) {
			char why[200];
			snprintf(why, sizeof why, "the key lacks %s (HTTP 403 %s)%s", probes[i].scope,
				klaviyo_error(a.json, "code"), probes[i].why);
			add(p, "scopes", probes[i].missing,
				"edit the private key in Klaviyo (Settings > API keys) to add the scope",
				"%s", why);
		} else if (a.status == 200) {
			snprintf(granted + strlen(granted), sizeof granted - strlen(granted), "%s%s",
				granted[0] ? ", " : "", probes[i].scope);
		} else {
			add(p, "scopes", DOCTOR_FAIL, NULL, "GET %s answered HTTP %ld: %s",
				probes[i].path, a.status, klaviyo_error(a.json, "detail"));
		}
		answer_free(&a);
	}
	if (granted[0])
		add(p, "scopes", DOCTOR_OK, NULL, "%s granted", granted);
}

/* ---- Meta ------------------------------------------------------------- */

/* End of support of the Marketing API versions okdf knows (Meta's versions
 * page, December 2026); an older one ended by v24.0's date at the latest. */
static const struct {
	int major;
	int y, m, d;
} meta_ends[] = {
	{ 24, 2026, 11, 10 },
	{ 25, 2027, 2, 23 },
};

static void meta_lifetime(struct probe *p, const char *version, const char *served,
	long long now)
{
	int major = atoi(version + 1);
	const char *fix = "set [meta] api_version = " META_NEWEST;
	for (size_t i = 0; i < sizeof meta_ends / sizeof meta_ends[0]; i++) {
		if (major > meta_ends[i].major)
			continue;
		lifetime(p, version, served, meta_ends[i].y, meta_ends[i].m, meta_ends[i].d, now,
			fix);
		return;
	}
	add(p, "version", DOCTOR_OK, NULL, "%s%s", version, served);
}

/* What every call of the Meta checks sends: the versioned origin, the
 * headers and the app secret proof (empty when the app needs none). */
struct meta_call {
	char version[40], origin[300], signed_q[96];
	const char *const *headers;
	const char *cred_fix;
};

/* ads_read for the sync, ads_management for budget reverts. */
static void meta_scopes(struct probe *p, const cJSON *perms, const char *cred_fix)
{
	int ads_read = 0, ads_management = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, perms) {
		const char *perm = json_str(it, "permission"), *status = json_str(it, "status");
		if (!perm || !status || strcmp(status, "granted") != 0)
			continue;
		ads_read |= strcmp(perm, "ads_read") == 0;
		ads_management |= strcmp(perm, "ads_management") == 0;
	}
	/* ads_management includes reading. */
	if (!ads_read && !ads_management)
		add(p, "scopes", DOCTOR_FAIL, cred_fix, "the token lacks ads_read");
	else if (!ads_management)
		add(p, "scopes", DOCTOR_WARN,
			"add ads_management to the system user's token to let okdf revert budgets",
			"ads_read granted; no ads_management: budget reverts will be refused");
	else
		add(p, "scopes", DOCTOR_OK, NULL, "ads_read and ads_management granted");
}

/* me/permissions: the token, the version served and the scopes. 0 when the
 * token is accepted and the ad account can be asked for next. */
static int meta_token(struct probe *p, const struct meta_call *m, long long now)
{
	char url[800];
	snprintf(url, sizeof url, "%s/%s/me/permissions%s%s", m->origin, m->version,
		m->signed_q[0] ? "?" : "", m->signed_q);
	struct answer a;
	ask(p, "GET", url, m->headers, NULL, "facebook-api-version", &a);
	if (unreachable(p, &a, "check the network (or [meta] base_url)")) {
		answer_free(&a);
		return -1;
	}
	long long code = 0;
	const cJSON *ec = json_path(a.json, "error.code");
	if (cJSON_IsNumber(ec))
		code = (long long)ec->valuedouble;
	const char *msg = json_str(a.json, "error.message");
	const cJSON *perms = json_path(a.json, "data");
	if (code == 2635)
		add(p, "version", DOCTOR_FAIL, "set [meta] api_version = " META_NEWEST,
			"api_version %s is expired (#2635): %s", m->version, msg ? msg : "");
	else if (code == 190 || a.status == 401)
		add(p, "credentials", DOCTOR_FAIL, m->cred_fix, "the token was refused (#%lld): %s",
			code, msg ? msg : "");
	else if (a.status != 200 || !cJSON_IsArray(perms))
		/* #100 is also how an app that requires the app secret refuses an
		 * unsigned or wrongly signed call. */
		add(p, "credentials", DOCTOR_FAIL, code == 100
			? "check [meta] access_token; if the app requires the app secret, set [meta] "
			  "app_secret (or OKDF_META_APP_SECRET) to the app's secret (App settings > Basic)"
			: m->cred_fix, "me/permissions answered HTTP %ld (#%lld): %s",
			a.status, code, msg ? msg : "");
	else {
		add(p, "credentials", DOCTOR_OK, NULL, "token accepted");
		char served[96] = " served";
		if (a.served[0] && strcmp(a.served, m->version) != 0)
			snprintf(served, sizeof served, " asked, %s served", a.served);
		meta_lifetime(p, m->version, served, now);
		meta_scopes(p, perms, m->cred_fix);
		answer_free(&a);
		return 0;
	}
	answer_free(&a);
	return -1;
}

/* The ad account: readable, and active. */
static void meta_ad_account(struct probe *p, const struct meta_call *m, const char *account)
{
	char url[800];
	snprintf(url, sizeof url, "%s/%s/%s%s?fields=name,account_status,currency%s%s", m->origin,
		m->version, strncmp(account, "act_", 4) == 0 ? "" : "act_", account,
		m->signed_q[0] ? "&" : "", m->signed_q);
	struct answer a;
	ask(p, "GET", url, m->headers, NULL, NULL, &a);
	const char *name = json_str(a.json, "name");
	const cJSON *st = json_path(a.json, "account_status");
	if (a.status != 200 || !name) {
		const char *msg = json_str(a.json, "error.message");
		add(p, "ad_account", DOCTOR_FAIL,
			"check [meta] ad_account_id and assign the system user to the ad account",
			"ad account %s not readable (HTTP %ld): %s", account, a.status,
			a.net_error[0] ? a.net_error : msg ? msg : "");
	} else if (!cJSON_IsNumber(st) || st->valuedouble != 1) {
		add(p, "ad_account", DOCTOR_WARN, "see the account in Ads Manager",
			"ad account \"%s\" is not active (account_status %g)", name,
			cJSON_IsNumber(st) ? st->valuedouble : -1.0);
	} else {
		const char *cur = json_str(a.json, "currency");
		add(p, "ad_account", DOCTOR_OK, NULL, "\"%s\" active, %s", name, cur ? cur : "?");
	}
	answer_free(&a);
}

static void check_meta(struct probe *p, const okdf_connector_config *c, long long now)
{
	const char *cred_fix = "in Business Settings > Users > System users, generate a token "
		"with ads_read (ads_management for budget reverts) for the app, then set "
		"[meta] access_token (or OKDF_META_ACCESS_TOKEN)";
	if (!c->secret[0] || !c->account[0]) {
		add(p, "credentials", DOCTOR_FAIL, cred_fix, "[meta] needs access_token and ad_account_id");
		return;
	}
	struct meta_call m = { .cred_fix = cred_fix };
	snprintf(m.version, sizeof m.version, "%s%s", c->api_version[0] == 'v' ? "" : "v",
		c->api_version);
	sync_ctx sc = { .name = "meta", .conf = c };
	okdf_err e = { 0 };
	if (sync_url(&sc, "https://graph.facebook.com", "", m.origin, sizeof m.origin, &e)) {
		add(p, "config", DOCTOR_FAIL, "shorten [meta] base_url", "%s", e.msg);
		return;
	}
	/* An app with "Require App Secret" refuses calls without the proof. */
	if (c->app_secret[0]) {
		char proof[65] = "";
		if (meta_appsecret_proof(c->secret, c->app_secret, proof, &e)) {
			add(p, "config", DOCTOR_FAIL, NULL, "%s", e.msg);
			return;
		}
		snprintf(m.signed_q, sizeof m.signed_q, "appsecret_proof=%s", proof);
	}
	char auth[600];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->secret);
	const char *headers[] = { auth, "Accept: application/json", NULL };
	m.headers = headers;
	if (meta_token(p, &m, now) == 0)
		meta_ad_account(p, &m, c->account);
}

/* ---- Relevance AI ----------------------------------------------------- */

static void check_relevance(struct probe *p, const okdf_connector_config *c)
{
	const char *cred_fix = "in Relevance AI, Integrations > API keys: create a key and copy "
		"the project id and region shown with it into [relevance] (key also "
		"OKDF_RELEVANCE_API_KEY)";
	if (!c->secret[0] || !c->account[0] || (!c->region[0] && !c->base_url[0])) {
		add(p, "credentials", DOCTOR_FAIL, cred_fix,
			"[relevance] needs project_id, api_key and region");
		return;
	}
	char prod[128], origin[300], auth[700], url[400];
	snprintf(prod, sizeof prod, "https://api-%s.stack.tryrelevance.com", c->region);
	sync_ctx sc = { .name = "relevance", .conf = c };
	okdf_err e = { 0 };
	if (sync_url(&sc, prod, "", origin, sizeof origin, &e)) {
		add(p, "config", DOCTOR_FAIL, "shorten [relevance] base_url", "%s", e.msg);
		return;
	}
	snprintf(auth, sizeof auth, "Authorization: %s:%s", c->account, c->secret);
	snprintf(url, sizeof url, "%s/latest/agents/list", origin);
	const char *headers[] = { auth, "Content-Type: application/json", "Accept: application/json",
		NULL };
	struct answer a;
	ask(p, "POST", url, headers, "{\"page_size\":1,\"page\":1}", NULL, &a);
	if (unreachable(p, &a, "check [relevance] region (api-REGION.stack.tryrelevance.com)")) {
		answer_free(&a);
		return;
	}
	const char *msg = json_str(a.json, "message");
	if (a.status == 401 || a.status == 403)
		add(p, "credentials", DOCTOR_FAIL, cred_fix, "the key was refused (HTTP %ld): %s",
			a.status, msg ? msg : "");
	else if (a.status != 200 || !cJSON_IsArray(json_path(a.json, "results")))
		add(p, "credentials", DOCTOR_FAIL, cred_fix, "agents/list answered HTTP %ld: %s",
			a.status, msg ? msg : "");
	else
		add(p, "credentials", DOCTOR_OK, NULL, "key accepted; agents/list answered");
	answer_free(&a);
}

int sync_doctor_services(const okdf_config *cfg, long long now, doctor_report *r, okdf_err *e)
{
	int rc = http_global_init(e);
	if (rc)
		return rc;
	http_options o = {
		.connect_timeout_s = cfg->http_connect_timeout,
		.timeout_s = cfg->http_timeout < 30 ? cfg->http_timeout : 30,
		.max_attempts = 2,
		.max_throttle_waits = 2,
		.backoff_base_s = 1,
		.backoff_cap_s = 5,
	};
	struct probe p = { .r = r };
	rc = http_client_new(&o, &p.http, e);
	if (rc)
		return rc;
	if (cfg->shopify.enabled) {
		p.area = "shopify";
		check_shopify(&p, &cfg->shopify, now);
	}
	if (cfg->klaviyo.enabled) {
		p.area = "klaviyo";
		check_klaviyo(&p, &cfg->klaviyo, now);
	}
	if (cfg->meta.enabled) {
		p.area = "meta";
		check_meta(&p, &cfg->meta, now);
	}
	if (cfg->relevance.enabled) {
		p.area = "relevance";
		check_relevance(&p, &cfg->relevance);
	}
	http_client_free(p.http);
	if (p.rc)
		return okdf_err_set(e, p.rc, "out of memory");
	return OKDF_OK;
}

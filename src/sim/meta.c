#include "meta.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "encode.h"
#include "scopes.h"

#define DEFAULT_LIMIT 25
#define MAX_LIMIT 500
#define USAGE_CALLS_PER_MINUTE 300
/* Graph API versions served in December 2026: v25.0 (until 2027-02-23),
 * v26.0, v27.0; v24.0 and older answer #2635. */
#define OLDEST_VERSION 25
#define NEWEST_VERSION 27

/* ISO 4217 decimals of the currencies an ad account may use. */
static int currency_exponent(const char *code)
{
	static const char *const zero[] = {"CLP", "ISK", "JPY", "KRW", "PYG", "VND", "UGX",
					   "XAF", "XOF", NULL};
	static const char *const three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", NULL};
	for (const char *const *p = zero; *p; p++)
		if (!strcmp(code, *p))
			return 0;
	for (const char *const *p = three; *p; p++)
		if (!strcmp(code, *p))
			return 3;
	return 2;
}

/* Meta's budget unit: 1/offset of the currency (marketing-api/currencies). */
static int64_t budget_offset(const char *code)
{
	static const char *const one[] = {"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY",
					  "KRW", "PYG", "TWD", "VND", NULL};
	for (const char *const *p = one; *p; p++)
		if (!strcmp(code, *p))
			return 1;
	return 100;
}

static int64_t pow10_64(int e)
{
	int64_t p = 1;
	while (e-- > 0)
		p *= 10;
	return p;
}

/* Model amounts are ISO minor units; budgets go out in Meta's offset units. */
static int64_t budget_out(const struct sim_model *m, int64_t minor)
{
	return minor * budget_offset(m->ad_currency) / pow10_64(currency_exponent(m->ad_currency));
}

static bool meta_matches(const char *path)
{
	if (path[0] != '/' || path[1] != 'v' || !isdigit((unsigned char)path[2]))
		return false;
	const char *p = path + 2;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '.';
}

/* A parameter from the query string or, for POSTs, a form-encoded body. */
static bool graph_param(const struct sim_request *rq, const char *name, char *out, size_t size)
{
	const char *q = sim_request_arg(rq, name);
	if (q) {
		snprintf(out, size, "%s", q);
		return true;
	}
	char *body = rq->body_len ? strndup(rq->body, rq->body_len) : NULL;
	bool found = false;
	for (char *save = NULL, *pair = body ? strtok_r(body, "&", &save) : NULL; pair && !found;
	     pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (!eq)
			continue;
		*eq = '\0';
		sim_url_unescape(pair);
		if (!strcmp(pair, name)) {
			sim_url_unescape(eq + 1);
			snprintf(out, size, "%s", eq + 1);
			found = true;
		}
	}
	free(body);
	return found;
}

static bool meta_authorized(const struct sim_request *rq)
{
	char token[128];
	const char *auth = sim_request_header(rq, "Authorization");
	if (graph_param(rq, "access_token", token, sizeof token))
		return !strcmp(token, SIM_META_TOKEN);
	return auth && !strcmp(auth, "Bearer " SIM_META_TOKEN);
}

static int graph_error(struct sim_reply *rp, unsigned status, const char *message, const char *type,
		       int code, int subcode, bool transient)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *e = cJSON_AddObjectToObject(doc, "error");
	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddStringToObject(e, "type", type);
	cJSON_AddNumberToObject(e, "code", code);
	if (subcode)
		cJSON_AddNumberToObject(e, "error_subcode", subcode);
	if (transient)
		cJSON_AddTrueToObject(e, "is_transient");
	cJSON_AddStringToObject(e, "fbtrace_id", "ASIMfbtrace0001");
	return sim_reply_json(rp, status, doc);
}

static int meta_unauthorized(struct sim_reply *rp)
{
	sim_reply_header(rp, "WWW-Authenticate",
			 "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token - "
			 "Cannot parse access token\"");
	return graph_error(rp, 400, "Invalid OAuth access token - Cannot parse access token",
			   "OAuthException", 190, 0, false);
}

static int meta_fault(struct sim_ctx *ctx, const struct sim_request *rq, enum sim_fault kind,
			struct sim_reply *rp)
{
	(void)ctx;
	(void)rq;
	switch (kind) {
	case SIM_FAULT_SERVER_ERROR:
		return graph_error(rp, 500, "An unexpected error has occurred. Please retry your request later.",
				   "OAuthException", 2, 0, true);
	case SIM_FAULT_RATE_LIMITED:
		return graph_error(rp, 400, "(#17) User request limit reached", "OAuthException", 17,
				   2446079, true);
	case SIM_FAULT_THROTTLE_BODY:
		return graph_error(rp, 400,
				   "(#80004) There have been too many calls to this ad-account. Wait a bit "
				   "and try again.",
				   "OAuthException", 80004, 2446079, true);
	}
	return -1;
}

/* Usage headers rise with calls in the current minute; a full minute throttles. */
static bool usage_headers(struct sim_ctx *ctx, const struct sim_request *rq, const char *type,
			  struct sim_reply *rp)
{
	struct sim_window_limit *w = &ctx->meta_usage;
	bool room = sim_window_has_room(w);
	if (room && rq->commit)
		sim_window_take(w);
	int pct = w->used * 100 / w->limit;
	int regain = room ? 0 : 1;
	sim_reply_header(rp, "X-Business-Use-Case-Usage",
			 "{\"%s\":[{\"type\":\"%s\",\"call_count\":%d,\"total_cputime\":%d,"
			 "\"total_time\":%d,\"estimated_time_to_regain_access\":%d,"
			 "\"ads_api_access_tier\":\"standard_access\"}]}",
			 SIM_META_ACCOUNT, type, pct, pct / 2, pct / 2, regain);
	sim_reply_header(rp, "X-Ad-Account-Usage",
			 "{\"acc_id_util_pct\":%d,\"reset_time_duration\":%d,"
			 "\"ads_api_access_tier\":\"standard_access\"}",
			 pct, sim_window_reset_in(w));
	if (!strcmp(type, "ads_insights"))
		sim_reply_header(rp, "X-FB-Ads-Insights-Throttle",
				 "{\"app_id_util_pct\":%d,\"acc_id_util_pct\":%d,"
				 "\"ads_api_access_tier\":\"standard_access\"}",
				 pct / 2, pct);
	return room;
}

/* Splits "a,b,c" and checks every name is known; fills err on the first unknown. */
static bool fields_valid(const char *fields, const char *const *known, const char *node,
			 char *err, size_t err_size)
{
	if (!fields)
		return true;
	const char *p = fields;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *brace = memchr(p, '{', n); /* creative{id} */
		size_t name_len = brace ? (size_t)(brace - p) : n;
		bool ok = name_len == 0;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strlen(*k) == name_len && !strncmp(*k, p, name_len);
		if (!ok) {
			snprintf(err, err_size, "(#100) Tried accessing nonexisting field (%.*s) on node type (%s)",
				 (int)name_len, p, node);
			return false;
		}
		if (brace) { /* skip to the closing brace's following comma */
			const char *close = strchr(brace, '}');
			end = close ? strchr(close, ',') : NULL;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return true;
}

static bool wants(const char *fields, const char *name)
{
	if (!fields)
		return false;
	size_t n = strlen(name);
	for (const char *p = strstr(fields, name); p; p = strstr(p + 1, name)) {
		bool start = p == fields || p[-1] == ',';
		bool stop = p[n] == '\0' || p[n] == ',' || p[n] == '{';
		if (start && stop)
			return true;
	}
	return false;
}

static void add_money_fixed(const struct sim_model *m, cJSON *obj, const char *key, int64_t minor)
{
	char s[SIM_MONEY_LEN];
	sim_money_fixed(minor, currency_exponent(m->ad_currency), s);
	cJSON_AddStringToObject(obj, key, s);
}

static void add_int_string(cJSON *obj, const char *key, int64_t v)
{
	char s[24];
	snprintf(s, sizeof s, "%" PRId64, v);
	cJSON_AddStringToObject(obj, key, s);
}

static void add_meta_time(cJSON *obj, const char *key, int64_t t)
{
	char iso[SIM_ISO_LEN];
	sim_time_iso_utc(t, iso);
	iso[19] = '\0';
	char out[SIM_ISO_LEN + 8];
	snprintf(out, sizeof out, "%s+0000", iso);
	cJSON_AddStringToObject(obj, key, out);
}

/* Absolute next URL: the request's own parameters plus after=cursor. */
static char *next_url(struct sim_ctx *ctx, const struct sim_request *rq, const char *after)
{
	static const char *const keep[] = {"access_token", "fields", "level", "time_increment",
					   "time_range", "date_preset", "limit", "filtering", NULL};
	size_t cap = 2048;
	char *url = malloc(cap);
	if (!url)
		return NULL;
	int n = snprintf(url, cap, "%s%s?", ctx->base_url, rq->path);
	for (const char *const *k = keep; *k; k++) {
		const char *v = sim_request_arg(rq, *k);
		char *esc = v ? sim_url_escape(v) : NULL;
		if (esc && (size_t)n < cap)
			n += snprintf(url + n, cap - (size_t)n, "%s=%s&", *k, esc);
		free(esc);
	}
	char *esc = sim_url_escape(after);
	if (esc && (size_t)n < cap)
		snprintf(url + n, cap - (size_t)n, "after=%s", esc);
	free(esc);
	return url;
}

static char *index_cursor(size_t i)
{
	char plain[32];
	int n = snprintf(plain, sizeof plain, "sim:%zu", i);
	return sim_base64_encode(plain, (size_t)n);
}

/* Reads limit/after; returns false with an error reply on bad values. */
static bool page_window(const struct sim_request *rq, size_t *start, size_t *limit,
			struct sim_reply *rp, int *rc)
{
	const char *l = sim_request_arg(rq, "limit");
	const char *after = sim_request_arg(rq, "after");
	long lim = l ? strtol(l, NULL, 10) : DEFAULT_LIMIT;
	*limit = (size_t)(lim < 1 ? 1 : lim > MAX_LIMIT ? MAX_LIMIT : lim);
	*start = 0;
	if (after) {
		char *plain = sim_base64_decode(after);
		size_t idx;
		if (!plain || sscanf(plain, "sim:%zu", &idx) != 1) {
			free(plain);
			*rc = graph_error(rp, 400, "(#100) Invalid cursor", "OAuthException", 100, 0, false);
			return false;
		}
		free(plain);
		*start = idx + 1;
	}
	return true;
}

static void add_paging(struct sim_ctx *ctx, const struct sim_request *rq, cJSON *doc, size_t first,
		       size_t last, bool any, bool more)
{
	cJSON *paging = cJSON_AddObjectToObject(doc, "paging");
	if (!any)
		return;
	cJSON *cursors = cJSON_AddObjectToObject(paging, "cursors");
	char *before = index_cursor(first), *after = index_cursor(last);
	cJSON_AddStringToObject(cursors, "before", before ? before : "");
	cJSON_AddStringToObject(cursors, "after", after ? after : "");
	if (more && after) {
		char *url = next_url(ctx, rq, after);
		if (url)
			cJSON_AddStringToObject(paging, "next", url);
		free(url);
	}
	free(before);
	free(after);
}

/* One Graph edge listed a page at a time: which of its n items the request
 * keeps (arg carries the request's filter) and the node each kept item becomes. */
struct edge_items {
	size_t n;
	bool (*keep)(const struct sim_model *m, size_t i, const void *arg);
	cJSON *(*node)(const struct sim_model *m, size_t i, const char *fields);
	const void *arg;
};

/* Replies with the page of kept items after the request's cursor, with paging. */
static int reply_page(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp,
		      const char *fields, const struct edge_items *items)
{
	size_t start, limit;
	int rc = 0;
	if (!page_window(rq, &start, &limit, rp, &rc))
		return rc;
	cJSON *doc = cJSON_CreateObject();
	cJSON *data = cJSON_AddArrayToObject(doc, "data");
	size_t emitted = 0, first = 0, last = 0;
	bool more = false;
	for (size_t i = start; i < items->n; i++) {
		if (!items->keep(&ctx->model, i, items->arg))
			continue;
		if (emitted == limit) {
			more = true;
			break;
		}
		if (!emitted)
			first = i;
		last = i;
		cJSON_AddItemToArray(data, items->node(&ctx->model, i, fields));
		emitted++;
	}
	add_paging(ctx, rq, doc, first, last, emitted > 0, more);
	return sim_reply_json(rp, 200, doc);
}

/* filtering=[{"field":"effective_status","operator":"IN","value":[...]}]:
 * the status fields with IN, NOT_IN and EQUAL are what a dashboard sends. */
static bool passes_filtering(const cJSON *filtering, const char *status, const char *effective)
{
	const cJSON *f;
	cJSON_ArrayForEach(f, filtering)
	{
		const cJSON *field = cJSON_GetObjectItemCaseSensitive(f, "field");
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(f, "operator");
		const cJSON *value = cJSON_GetObjectItemCaseSensitive(f, "value");
		if (!cJSON_IsString(field) || !cJSON_IsString(op))
			continue;
		const char *actual = NULL, *name = field->valuestring;
		if (!strcmp(name, "effective_status") || !strcmp(name, "campaign.effective_status") ||
		    !strcmp(name, "ad.effective_status"))
			actual = effective;
		else if (!strcmp(name, "status") || !strcmp(name, "campaign.status") ||
			 !strcmp(name, "ad.status"))
			actual = status;
		if (!actual)
			continue;
		bool listed = cJSON_IsString(value) && !strcmp(value->valuestring, actual);
		const cJSON *v;
		if (cJSON_IsArray(value))
			cJSON_ArrayForEach(v, value)
				listed |= cJSON_IsString(v) && !strcmp(v->valuestring, actual);
		bool negate = !strcmp(op->valuestring, "NOT_IN") || !strcmp(op->valuestring, "NOT_EQUAL");
		if (listed == negate)
			return false;
	}
	return true;
}

static cJSON *campaign_node(const struct sim_model *m, const struct sim_campaign *c,
			    const char *fields)
{
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "id", c->id);
	if (wants(fields, "name"))
		cJSON_AddStringToObject(n, "name", c->name);
	if (wants(fields, "status"))
		cJSON_AddStringToObject(n, "status", c->status);
	if (wants(fields, "effective_status"))
		cJSON_AddStringToObject(n, "effective_status", c->effective_status);
	if (wants(fields, "objective"))
		cJSON_AddStringToObject(n, "objective", "OUTCOME_SALES");
	if (wants(fields, "daily_budget"))
		add_int_string(n, "daily_budget", budget_out(m, c->daily_budget_minor));
	if (wants(fields, "created_time"))
		add_meta_time(n, "created_time", c->created);
	if (wants(fields, "updated_time"))
		add_meta_time(n, "updated_time", c->created + 86400);
	return n;
}

static const char *const campaign_fields[] = {"id", "name", "status", "effective_status",
					      "objective", "daily_budget", "created_time",
					      "updated_time", NULL};

/* Campaigns and ads: checked fields, then a page filtered by status. */
static int list_by_status(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp,
			  const char *const *allowed, const char *type, struct edge_items items)
{
	const char *fields = sim_request_arg(rq, "fields");
	char err[200];
	if (!fields_valid(fields, allowed, type, err, sizeof err))
		return graph_error(rp, 400, err, "OAuthException", 100, 0, false);
	const char *filtering_arg = sim_request_arg(rq, "filtering");
	cJSON *filtering = filtering_arg ? cJSON_Parse(filtering_arg) : NULL;
	items.arg = filtering;
	int rc = reply_page(ctx, rq, rp, fields, &items);
	cJSON_Delete(filtering);
	return rc;
}

static bool campaign_passes(const struct sim_model *m, size_t i, const void *filtering)
{
	return passes_filtering(filtering, m->campaigns[i].status, m->campaigns[i].effective_status);
}

static cJSON *campaign_item(const struct sim_model *m, size_t i, const char *fields)
{
	return campaign_node(m, &m->campaigns[i], fields);
}

static int list_campaigns(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	const struct edge_items items = {ctx->model.n_campaigns, campaign_passes, campaign_item, NULL};
	return list_by_status(ctx, rq, rp, campaign_fields, "Campaign", items);
}

static const char *const ad_fields[] = {"id",		"name",		"campaign_id",
					"adset_id",	"status",	"effective_status",
					"creative",	"created_time", "ad_review_feedback",
					NULL};

static bool ad_passes(const struct sim_model *m, size_t i, const void *filtering)
{
	return passes_filtering(filtering, m->ads[i].status, m->ads[i].effective_status);
}

static cJSON *ad_node(const struct sim_model *m, size_t i, const char *fields)
{
	const struct sim_ad *ad = &m->ads[i];
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "id", ad->id);
	if (wants(fields, "name"))
		cJSON_AddStringToObject(n, "name", ad->name);
	if (wants(fields, "campaign_id"))
		cJSON_AddStringToObject(n, "campaign_id", m->campaigns[ad->campaign].id);
	if (wants(fields, "adset_id"))
		cJSON_AddStringToObject(n, "adset_id", ad->adset_id);
	if (wants(fields, "status"))
		cJSON_AddStringToObject(n, "status", ad->status);
	if (wants(fields, "effective_status"))
		cJSON_AddStringToObject(n, "effective_status", ad->effective_status);
	if (wants(fields, "creative"))
		cJSON_AddStringToObject(cJSON_AddObjectToObject(n, "creative"), "id", ad->creative_id);
	if (wants(fields, "created_time"))
		add_meta_time(n, "created_time", m->campaigns[ad->campaign].created);
	/* AdgroupReviewFeedback {global: map<string,string>, placement_specific};
	 * absent while the ad has no feedback (README). */
	if (wants(fields, "ad_review_feedback") && !strcmp(ad->effective_status, "DISAPPROVED"))
		cJSON_AddStringToObject(
		    cJSON_AddObjectToObject(cJSON_AddObjectToObject(n, "ad_review_feedback"), "global"),
		    "Unrealistic Outcomes",
		    "Your ad promises results that are unlikely to happen. Ads can't make claims about "
		    "results that are exaggerated or unrealistic.");
	return n;
}

static int list_ads(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	const struct edge_items items = {ctx->model.n_ads, ad_passes, ad_node, NULL};
	return list_by_status(ctx, rq, rp, ad_fields, "Ad", items);
}

static void add_action(cJSON *arr, const char *type, const char *value)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "action_type", type);
	cJSON_AddStringToObject(a, "value", value);
	cJSON_AddItemToArray(arr, a);
}

static cJSON *insight_row(const struct sim_model *m, const struct sim_insight *in, const char *fields)
{
	const struct sim_campaign *c = &m->campaigns[in->campaign];
	cJSON *r = cJSON_CreateObject();
	char s[SIM_MONEY_LEN];
	if (wants(fields, "account_id"))
		cJSON_AddStringToObject(r, "account_id", SIM_META_ACCOUNT);
	if (wants(fields, "campaign_id"))
		cJSON_AddStringToObject(r, "campaign_id", c->id);
	if (wants(fields, "campaign_name"))
		cJSON_AddStringToObject(r, "campaign_name", c->name);
	if (wants(fields, "spend"))
		add_money_fixed(m, r, "spend", in->spend_minor);
	if (wants(fields, "impressions"))
		add_int_string(r, "impressions", in->impressions);
	if (wants(fields, "clicks"))
		add_int_string(r, "clicks", in->clicks);
	/* The same purchases under three surfaces, on purpose: never sum them. */
	static const char *const purchase_types[] = {"purchase", "omni_purchase",
						     SIM_META_PURCHASE_TYPE};
	if (wants(fields, "actions") && (in->clicks > 0 || in->purchases > 0)) {
		cJSON *acts = cJSON_AddArrayToObject(r, "actions");
		snprintf(s, sizeof s, "%" PRId64, in->clicks);
		if (in->clicks > 0)
			add_action(acts, "link_click", s);
		snprintf(s, sizeof s, "%" PRId64, in->purchases);
		for (int i = 0; i < 3 && in->purchases > 0; i++)
			add_action(acts, purchase_types[i], s);
	}
	if (wants(fields, "action_values") && in->purchase_value_minor > 0) {
		cJSON *vals = cJSON_AddArrayToObject(r, "action_values");
		sim_money_fixed(in->purchase_value_minor, currency_exponent(m->ad_currency), s);
		for (int i = 0; i < 3; i++)
			add_action(vals, purchase_types[i], s);
	}
	if (wants(fields, "purchase_roas") && in->purchase_value_minor > 0 && in->spend_minor > 0) {
		snprintf(s, sizeof s, "%.3f", (double)in->purchase_value_minor / (double)in->spend_minor);
		add_action(cJSON_AddArrayToObject(r, "purchase_roas"), "omni_purchase", s);
	}
	cJSON_AddStringToObject(r, "date_start", in->date);
	cJSON_AddStringToObject(r, "date_stop", in->date);
	return r;
}

static void shift_date(const char *date, int days, char out[SIM_DATE_LEN])
{
	int64_t t = 0;
	sim_time_parse_date(date, &t);
	sim_time_utc_date(t + (int64_t)days * 86400, out);
}

/* Date range from time_range (wins) or date_preset, in the account's days. */
static bool insight_range(const struct sim_model *m, const struct sim_request *rq,
			  char since[SIM_DATE_LEN], char until[SIM_DATE_LEN])
{
	char tr_buf[256], preset_buf[64];
	const char *tr = graph_param(rq, "time_range", tr_buf, sizeof tr_buf) ? tr_buf : NULL;
	if (tr) {
		cJSON *j = cJSON_Parse(tr);
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "since");
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, "until");
		int64_t t;
		bool ok = cJSON_IsString(s) && cJSON_IsString(u) && !sim_time_parse_date(s->valuestring, &t) &&
			  !sim_time_parse_date(u->valuestring, &t) && strlen(s->valuestring) == 10 &&
			  strlen(u->valuestring) == 10 && strcmp(s->valuestring, u->valuestring) <= 0;
		if (ok) {
			snprintf(since, SIM_DATE_LEN, "%s", s->valuestring);
			snprintf(until, SIM_DATE_LEN, "%s", u->valuestring);
		}
		cJSON_Delete(j);
		return ok;
	}
	const char *preset = graph_param(rq, "date_preset", preset_buf, sizeof preset_buf) ? preset_buf
											 : NULL;
	static const struct {
		const char *name;
		int from, to; /* days before today */
	} presets[] = {
		{"today", 0, 0},	{"yesterday", 1, 1},   {"last_3d", 3, 1},   {"last_7d", 7, 1},
		{"last_14d", 14, 1},	{"last_28d", 28, 1},   {"last_30d", 30, 1}, {"last_90d", 90, 1},
		{"maximum", 3650, 0},
	};
	if (!preset)
		preset = "last_30d";
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
		if (!strcmp(preset, presets[i].name)) {
			shift_date(m->ad_today, -presets[i].from, since);
			shift_date(m->ad_today, -presets[i].to, until);
			return true;
		}
	}
	return false;
}

static const char *const insight_fields[] = {
	"account_id", "campaign_id", "campaign_name", "spend", "impressions", "clicks", "actions",
	"action_values", "purchase_roas", "date_start", "date_stop", NULL,
};

struct date_range {
	const char *since, *until;
};

static bool insight_in_range(const struct sim_model *m, size_t i, const void *arg)
{
	const struct date_range *r = arg;
	const char *date = m->insights[i].date;
	return strcmp(date, r->since) >= 0 && strcmp(date, r->until) <= 0;
}

static cJSON *insight_item(const struct sim_model *m, size_t i, const char *fields)
{
	return insight_row(m, &m->insights[i], fields);
}

static size_t rows_in_range(const struct sim_model *m, const struct date_range *r)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n_insights; i++)
		n += insight_in_range(m, i, r);
	return n;
}

/* The query of an insights request (query string or form body), checked as
 * Graph checks it. Returns 0, or the error reply's status in *rc. */
static bool insight_query(const struct sim_model *m, const struct sim_request *rq, char *fields,
			  size_t fields_size, char since[SIM_DATE_LEN], char until[SIM_DATE_LEN],
			  struct sim_reply *rp, int *rc)
{
	char level[32], inc[16], err[200];
	bool has_fields = graph_param(rq, "fields", fields, fields_size);
	if (!has_fields)
		fields[0] = '\0';
	if (has_fields && !fields_valid(fields, insight_fields, "AdsInsights", err, sizeof err)) {
		*rc = graph_error(rp, 400, err, "OAuthException", 100, 0, false);
		return false;
	}
	if (!graph_param(rq, "level", level, sizeof level) || strcmp(level, "campaign") != 0 ||
	    !graph_param(rq, "time_increment", inc, sizeof inc) || strcmp(inc, "1") != 0) {
		*rc = graph_error(rp, 400,
				  "(#100) The simulator serves level=campaign with time_increment=1 only",
				  "OAuthException", 100, 0, false);
		return false;
	}
	if (!insight_range(m, rq, since, until)) {
		*rc = graph_error(rp, 400, "(#100) Invalid time_range or date_preset", "OAuthException",
				  100, 0, false);
		return false;
	}
	return true;
}

static int list_insights(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	const struct sim_model *m = &ctx->model;
	char fields[256], since[SIM_DATE_LEN], until[SIM_DATE_LEN];
	int rc = 0;
	if (!insight_query(m, rq, fields, sizeof fields, since, until, rp, &rc))
		return rc;
	const struct date_range range = {since, until};
	/* Too much data for a synchronous answer: Graph's code 1 (the amount is
	 * a guess; Meta publishes no figure). */
	if (rows_in_range(m, &range) > (size_t)ctx->opt.meta_insights_max_rows)
		return graph_error(rp, 500,
				   "Please reduce the amount of data you're asking for, then retry your request",
				   "OAuthException", 1, 0, false);
	const struct edge_items items = {m->n_insights, insight_in_range, insight_item, &range};
	return reply_page(ctx, rq, rp, fields[0] ? fields : NULL, &items);
}

/* POST /act_{id}/insights: an asynchronous report run over the same query. */
static int start_report_run(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	struct sim_meta_run run = {0};
	int rc = 0;
	if (!insight_query(&ctx->model, rq, run.fields, sizeof run.fields, run.since, run.until, rp,
			   &rc))
		return rc;
	snprintf(run.id, sizeof run.id, "%lld", 6021000000000000LL + ctx->meta_n_runs);
	if (rq->commit)
		ctx->meta_runs[ctx->meta_n_runs++ % SIM_META_MAX_RUNS] = run;
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "report_run_id", run.id);
	return sim_reply_json(rp, 200, doc);
}

static struct sim_meta_run *find_run(struct sim_ctx *ctx, const char *id, size_t len)
{
	int n = ctx->meta_n_runs < SIM_META_MAX_RUNS ? ctx->meta_n_runs : SIM_META_MAX_RUNS;
	for (int i = 0; i < n; i++)
		if (strlen(ctx->meta_runs[i].id) == len && !strncmp(ctx->meta_runs[i].id, id, len))
			return &ctx->meta_runs[i];
	return NULL;
}

/* GET /{report_run_id}: the job runs on the first read and is complete
 * from the second (a real job takes seconds to minutes). */
static int report_run_status(const struct sim_request *rq, struct sim_meta_run *run,
			     struct sim_reply *rp)
{
	if (rq->commit && run->polls < 2)
		run->polls++;
	bool done = run->polls >= 2;
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "id", run->id);
	cJSON_AddStringToObject(n, "account_id", SIM_META_ACCOUNT);
	cJSON_AddStringToObject(n, "async_status", done ? "Job Completed" : "Job Running");
	cJSON_AddNumberToObject(n, "async_percent_completion", done ? 100 : 50);
	cJSON_AddStringToObject(n, "date_start", run->since);
	cJSON_AddStringToObject(n, "date_stop", run->until);
	return sim_reply_json(rp, 200, n);
}

static int report_run_insights(struct sim_ctx *ctx, const struct sim_request *rq,
			       const struct sim_meta_run *run, struct sim_reply *rp)
{
	if (run->polls < 2)
		return graph_error(rp, 400, "(#100) The report run is not complete yet", "OAuthException",
				   100, 0, false);
	const struct date_range range = {run->since, run->until};
	const struct edge_items items = {ctx->model.n_insights, insight_in_range, insight_item, &range};
	return reply_page(ctx, rq, rp, run->fields[0] ? run->fields : NULL, &items);
}

static const char *const account_fields[] = {"id", "account_id", "name", "account_status",
					     "currency", "timezone_name",
					     "timezone_offset_hours_utc", NULL};

static int get_account(const struct sim_model *m, const struct sim_request *rq,
		       struct sim_reply *rp)
{
	const char *fields = sim_request_arg(rq, "fields");
	char err[200];
	if (!fields_valid(fields, account_fields, "AdAccount", err, sizeof err))
		return graph_error(rp, 400, err, "OAuthException", 100, 0, false);
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "id", "act_" SIM_META_ACCOUNT);
	if (!fields || wants(fields, "account_id"))
		cJSON_AddStringToObject(n, "account_id", SIM_META_ACCOUNT);
	if (wants(fields, "name"))
		cJSON_AddStringToObject(n, "name", "Sim Ads");
	if (wants(fields, "account_status"))
		cJSON_AddNumberToObject(n, "account_status", 1);
	if (wants(fields, "currency"))
		cJSON_AddStringToObject(n, "currency", m->ad_currency);
	if (wants(fields, "timezone_name"))
		cJSON_AddStringToObject(n, "timezone_name", SIM_AD_TIMEZONE);
	if (wants(fields, "timezone_offset_hours_utc"))
		cJSON_AddNumberToObject(n, "timezone_offset_hours_utc", -8);
	return sim_reply_json(rp, 200, n);
}

static struct sim_campaign *find_campaign(struct sim_model *m, const char *id)
{
	for (size_t i = 0; i < m->n_campaigns; i++)
		if (!strcmp(m->campaigns[i].id, id))
			return &m->campaigns[i];
	return NULL;
}

static int campaign_object(struct sim_ctx *ctx, const struct sim_request *rq, const char *id,
			   struct sim_reply *rp)
{
	struct sim_campaign *c = find_campaign(&ctx->model, id);
	char msg[256];
	if (!c) {
		snprintf(msg, sizeof msg,
			 "Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due "
			 "to missing permissions, or does not support this operation.",
			 strcmp(rq->method, "POST") ? "get" : "post", id);
		return graph_error(rp, 400, msg, "GraphMethodException", 100, 33, false);
	}
	if (strcmp(rq->method, "POST") != 0)
		return sim_reply_json(rp, 200,
				      campaign_node(&ctx->model, c, sim_request_arg(rq, "fields")));
	char budget[32];
	char *end = NULL;
	long long v = graph_param(rq, "daily_budget", budget, sizeof budget) ? strtoll(budget, &end, 10) : -1;
	if (v <= 0 || !end || *end != '\0')
		return graph_error(rp, 400, "(#100) Invalid parameter: daily_budget must be a positive integer in the currency's offset units",
				   "OAuthException", 100, 1885272, false);
	const struct sim_model *m = &ctx->model;
	if (rq->commit)
		c->daily_budget_minor = v * pow10_64(currency_exponent(m->ad_currency)) /
					budget_offset(m->ad_currency);
	return sim_reply_literal(rp, 200, "{\"success\":true}");
}

/* appsecret_proof: hex HMAC-SHA256 of the access token keyed with the app secret. */
static bool proof_valid(const char *secret, const char *proof)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)SIM_META_TOKEN,
		  strlen(SIM_META_TOKEN), mac, &len))
		return false;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	for (unsigned int i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", mac[i]);
	return strlen(proof) == 2 * len && !strcmp(hex, proof);
}

static int meta_handle(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	const char *rest = strchr(rq->path + 1, '/');
	if (!rest)
		return graph_error(rp, 400, "Unknown path components", "OAuthException", 2500, 0, false);
	rest++;
	int major = atoi(rq->path + 2);
	char msg[256];
	if (major < OLDEST_VERSION) {
		snprintf(msg, sizeof msg,
			 "(#2635) You are calling a deprecated version of the Ads API. Please update to "
			 "the latest version: v%d.0.", NEWEST_VERSION);
		return graph_error(rp, 400, msg, "OAuthException", 2635, 0, false);
	}
	if (major > NEWEST_VERSION) {
		snprintf(msg, sizeof msg, "Unknown path components: /v%d.0", major);
		return graph_error(rp, 400, msg, "OAuthException", 2500, 0, false);
	}
	char proof[160];
	if (ctx->opt.meta_app_secret) {
		if (!graph_param(rq, "appsecret_proof", proof, sizeof proof))
			return graph_error(rp, 400, "API calls from the server require an appsecret_proof argument",
					   "GraphMethodException", 100, 0, false);
		if (!proof_valid(ctx->opt.meta_app_secret, proof))
			return graph_error(rp, 400, "Invalid appsecret_proof provided in the API argument",
					   "GraphMethodException", 100, 0, false);
	}
	bool insights = strstr(rest, "/insights") != NULL;
	if (!usage_headers(ctx, rq, insights ? "ads_insights" : "ads_management", rp))
		return graph_error(rp, 400,
				   insights ? "(#80000) There have been too many calls from this ad-account."
					    : "(#80004) There have been too many calls to this ad-account.",
				   "OAuthException", insights ? 80000 : 80004, 2446079, true);
	const char *act = "act_" SIM_META_ACCOUNT;
	size_t alen = strlen(act);
	if (!strcmp(rest, "me/permissions") && !strcmp(rq->method, "GET"))
		return sim_meta_permissions(ctx, rp);
	if (!strncmp(rest, "act_", 4) && sim_meta_ads_denied(ctx))
		return graph_error(rp, 400,
				   "(#200) Ad account owner has NOT grant ads_management or ads_read "
				   "permission",
				   "OAuthException", 200, 0, false);
	if (!strncmp(rest, "act_", 4)) {
		if (strncmp(rest, act, alen) != 0 || (rest[alen] && rest[alen] != '/'))
			return graph_error(rp, 400,
					   "(#100) Ad account owner has NOT grant ads_management or ads_read "
					   "permission",
					   "OAuthException", 100, 0, false);
		const char *edge = rest + alen;
		bool get = !strcmp(rq->method, "GET");
		if (get && (!*edge || !strcmp(edge, "/")))
			return get_account(&ctx->model, rq, rp);
		if (get && !strcmp(edge, "/campaigns"))
			return list_campaigns(ctx, rq, rp);
		if (get && !strcmp(edge, "/ads"))
			return list_ads(ctx, rq, rp);
		if (get && !strcmp(edge, "/insights"))
			return list_insights(ctx, rq, rp);
		if (!strcmp(rq->method, "POST") && !strcmp(edge, "/insights"))
			return start_report_run(ctx, rq, rp);
		return graph_error(rp, 400, "Unknown path components", "OAuthException", 2500, 0, false);
	}
	const char *slash = strchr(rest, '/');
	struct sim_meta_run *run = find_run(ctx, rest, slash ? (size_t)(slash - rest) : strlen(rest));
	bool get = !strcmp(rq->method, "GET");
	if (run && get && !slash)
		return report_run_status(rq, run, rp);
	if (run && get && !strcmp(slash, "/insights"))
		return report_run_insights(ctx, rq, run, rp);
	if (slash)
		return graph_error(rp, 400, "Unknown path components", "OAuthException", 2500, 0, false);
	return campaign_object(ctx, rq, rest, rp);
}

const struct sim_service sim_meta_service = {
	.name = "meta",
	.matches = meta_matches,
	.authorized = meta_authorized,
	.unauthorized = meta_unauthorized,
	.fault = meta_fault,
	.handle = meta_handle,
};

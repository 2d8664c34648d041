#include "klaviyo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encode.h"
#include "scopes.h"

#define JSONAPI "application/vnd.api+json"
#define MAX_FLOW_PAGE 50

struct metric_desc {
	const char *id, *name, *integration_id, *integration, *category;
};

static const struct metric_desc metrics[] = {
	{"SIMPO1", "Placed Order", "0eMvjm", "Shopify", "eCommerce"},
	{"SIMSC1", "Started Checkout", "0eMvjm", "Shopify", "eCommerce"},
	{"SIMFO1", "Fulfilled Order", "0eMvjm", "Shopify", "eCommerce"},
	{"SIMVP1", "Viewed Product", "0eMvjm", "Shopify", "eCommerce"},
	{"SIMRE1", "Received Email", "0rG4eQ", "Klaviyo", "Internal"},
	{"SIMOE1", "Opened Email", "0rG4eQ", "Klaviyo", "Internal"},
};
#define N_METRICS (sizeof metrics / sizeof metrics[0])

const struct sim_flow_desc sim_klaviyo_flows[] = {
	{"FLWAC1", "Abandoned Cart Reminder", "live", "Metric", "SIMSC1", 2},
	{"FLWPP1", "Post-Purchase Thank You", "live", "Metric", "SIMPO1", 1},
	{"FLWWS1", "Welcome Series", "live", "Added to List", NULL, 2},
	{"FLWBA1", "Browse Abandonment", "draft", "Metric", "SIMVP1", 1},
	{"FLWWB1", "Winback - 90 days", "manual", "Date Based", NULL, 1},
	/* Name and status are nullable in the spec: a flow begun through the API. */
	{"FLWNL1", NULL, NULL, "Unconfigured", NULL, 0},
};
const size_t sim_klaviyo_n_flows = sizeof sim_klaviyo_flows / sizeof sim_klaviyo_flows[0];

static const char *const statistics[] = {
	"average_order_value", "bounce_rate", "bounced", "click_rate", "click_to_open_rate",
	"clicks", "clicks_unique", "conversion_rate", "conversion_uniques", "conversion_value",
	"conversions", "delivered", "delivery_rate", "failed", "open_rate", "opens",
	"opens_unique", "recipients", "revenue_per_recipient", "spam_complaints",
	"unsubscribe_rate", "unsubscribes", NULL,
};

static bool klaviyo_matches(const char *path)
{
	return !strncmp(path, "/api/", 5);
}

static bool klaviyo_authorized(const struct sim_request *rq)
{
	const char *auth = sim_request_header(rq, "Authorization");
	return auth && !strcmp(auth, "Klaviyo-API-Key " SIM_KLAVIYO_KEY);
}

static int jsonapi_error(struct sim_reply *rp, unsigned status, const char *code, const char *title,
			 const char *detail, const char *pointer)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *e = cJSON_CreateObject();
	char id[40];
	snprintf(id, sizeof id, "5im0000-%03u-%s", status, code);
	cJSON_AddStringToObject(e, "id", id);
	cJSON_AddNumberToObject(e, "status", status);
	cJSON_AddStringToObject(e, "code", code);
	cJSON_AddStringToObject(e, "title", title);
	cJSON_AddStringToObject(e, "detail", detail);
	cJSON *src = cJSON_AddObjectToObject(e, "source");
	cJSON_AddStringToObject(src, pointer[0] == '/' ? "pointer" : "parameter", pointer);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "errors"), e);
	rp->content_type = JSONAPI;
	return sim_reply_json(rp, status, doc);
}

static int klaviyo_unauthorized(struct sim_reply *rp)
{
	return jsonapi_error(rp, 401, "not_authenticated",
			     "Authentication credentials were not provided.",
			     "Missing or invalid private key.", "/data/");
}

static int throttled(struct sim_reply *rp, int retry_after)
{
	sim_reply_header(rp, "Retry-After", "%d", retry_after);
	char detail[96];
	snprintf(detail, sizeof detail, "Request was throttled. Expected available in %d second%s.",
		 retry_after, retry_after == 1 ? "" : "s");
	return jsonapi_error(rp, 429, "throttled", "Request was throttled.", detail, "/data/");
}

static int klaviyo_fault(struct sim_ctx *ctx, const struct sim_request *rq, enum sim_fault kind,
			struct sim_reply *rp)
{
	(void)ctx;
	(void)rq;
	if (kind == SIM_FAULT_SERVER_ERROR)
		return jsonapi_error(rp, 500, "error", "A server error occurred.",
				     "A server error occurred.", "/data/");
	return throttled(rp, 1);
}

void sim_klaviyo_init_limits(struct sim_ctx *ctx)
{
	const char *strict = getenv("OKDF_SIM_KLAVIYO_STRICT");
	bool relaxed = strict && !strcmp(strict, "0");
	sim_window_init(&ctx->klaviyo_reports_burst, relaxed ? 50 : 1, 1);
	sim_window_init(&ctx->klaviyo_reports_steady, relaxed ? 1000 : 2, 60);
	sim_window_init(&ctx->klaviyo_reports_daily, relaxed ? 100000 : 225, 86400);
	sim_window_init(&ctx->klaviyo_other_burst, relaxed ? 350 : 10, 1);
	sim_window_init(&ctx->klaviyo_other_steady, relaxed ? 3500 : 150, 60);
}

/* Applies a burst/steady(/daily) set; 0 when admitted, else the 429 reply. */
static int admit(struct sim_window_limit *const *w, int n, bool commit, struct sim_reply *rp,
		 bool *rejected)
{
	*rejected = false;
	for (int i = 0; i < n; i++) {
		if (!sim_window_has_room(w[i])) {
			*rejected = true;
			int wait = sim_window_reset_in(w[i]);
			return throttled(rp, wait > 60 ? 60 : wait);
		}
	}
	if (commit)
		for (int i = 0; i < n; i++)
			sim_window_take(w[i]);
	const struct sim_window_limit *steady = w[1];
	sim_reply_header(rp, "RateLimit-Limit", "%d", steady->limit);
	sim_reply_header(rp, "RateLimit-Remaining", "%d", steady->limit - steady->used);
	sim_reply_header(rp, "RateLimit-Reset", "%d", sim_window_reset_in(steady));
	return 0;
}

static void add_link(cJSON *obj, const char *key, struct sim_ctx *ctx, const char *path)
{
	char url[512];
	snprintf(url, sizeof url, "%s%s", ctx->base_url, path);
	cJSON_AddStringToObject(obj, key, url);
}

static void add_time_offset(cJSON *obj, const char *key, int64_t t)
{
	char iso[SIM_ISO_LEN];
	sim_time_iso_offset(t, iso);
	cJSON_AddStringToObject(obj, key, iso);
}

static cJSON *flow_item(struct sim_ctx *ctx, size_t i);

static int get_metrics(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	const char *filter = sim_request_arg(rq, "filter");
	const char *include = sim_request_arg(rq, "include");
	if (include && strcmp(include, "flow-triggers") != 0)
		return jsonapi_error(rp, 400, "invalid", "Invalid input.",
				     "'include' must be one of: flow-triggers.", "include");
	bool linkage = include != NULL;
	int64_t created = ctx->model.base_now - (int64_t)(ctx->model.days + 200) * 86400;
	cJSON *doc = cJSON_CreateObject();
	cJSON *data = cJSON_AddArrayToObject(doc, "data");
	char path[128];
	for (size_t i = 0; i < N_METRICS; i++) {
		const struct metric_desc *md = &metrics[i];
		/* Only equals(integration.name|category,"X") filters exist. */
		if (filter && !(strstr(filter, "integration.name") && strstr(filter, md->integration)) &&
		    !(strstr(filter, "integration.category") && strstr(filter, md->category)))
			continue;
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "type", "metric");
		cJSON_AddStringToObject(item, "id", md->id);
		cJSON *attr = cJSON_AddObjectToObject(item, "attributes");
		cJSON_AddStringToObject(attr, "name", md->name);
		add_time_offset(attr, "created", created);
		add_time_offset(attr, "updated", created);
		cJSON *integ = cJSON_AddObjectToObject(attr, "integration");
		cJSON_AddStringToObject(integ, "object", "integration");
		cJSON_AddStringToObject(integ, "id", md->integration_id);
		cJSON_AddStringToObject(integ, "name", md->integration);
		cJSON_AddStringToObject(integ, "category", md->category);
		/* The trigger link lives on the metric: flow-triggers lists its flows,
		 * and JSON:API sends resource linkage only for what include asked. */
		cJSON *rel = cJSON_AddObjectToObject(cJSON_AddObjectToObject(item, "relationships"),
						     "flow-triggers");
		cJSON *rdata = linkage ? cJSON_AddArrayToObject(rel, "data") : NULL;
		for (size_t f = 0; linkage && f < sim_klaviyo_n_flows; f++) {
			const char *tm = sim_klaviyo_flows[f].trigger_metric;
			if (tm && !strcmp(tm, md->id)) {
				cJSON *ref = cJSON_CreateObject();
				cJSON_AddStringToObject(ref, "type", "flow");
				cJSON_AddStringToObject(ref, "id", sim_klaviyo_flows[f].id);
				cJSON_AddItemToArray(rdata, ref);
			}
		}
		cJSON *rlinks = cJSON_AddObjectToObject(rel, "links");
		snprintf(path, sizeof path, "/api/metrics/%s/relationships/flow-triggers/", md->id);
		add_link(rlinks, "self", ctx, path);
		snprintf(path, sizeof path, "/api/metrics/%s/flow-triggers/", md->id);
		add_link(rlinks, "related", ctx, path);
		snprintf(path, sizeof path, "/api/metrics/%s/", md->id);
		add_link(cJSON_AddObjectToObject(item, "links"), "self", ctx, path);
		cJSON_AddItemToArray(data, item);
	}
	/* include=flow-triggers adds the triggered flows as included resources. */
	if (linkage) {
		cJSON *included = cJSON_AddArrayToObject(doc, "included");
		for (size_t f = 0; f < sim_klaviyo_n_flows; f++) {
			const char *tm = sim_klaviyo_flows[f].trigger_metric;
			bool listed = false;
			for (size_t i = 0; tm && i < N_METRICS && !listed; i++)
				listed = !strcmp(metrics[i].id, tm) &&
					 (!filter || (strstr(filter, metrics[i].integration) != NULL) ||
					  strstr(filter, metrics[i].category) != NULL);
			if (listed)
				cJSON_AddItemToArray(included, flow_item(ctx, f));
		}
	}
	cJSON *links = cJSON_AddObjectToObject(doc, "links");
	add_link(links, "self", ctx, "/api/metrics/");
	cJSON_AddNullToObject(links, "next");
	cJSON_AddNullToObject(links, "prev");
	rp->content_type = JSONAPI;
	return sim_reply_json(rp, 200, doc);
}

/* GET /api/accounts/: the one account behind the private key, with the
 * currency its reports are in (Klaviyo's Accounts API, preferred_currency). */
static int get_accounts(struct sim_ctx *ctx, struct sim_reply *rp)
{
	if (ctx->opt.klaviyo_no_accounts)
		return jsonapi_error(rp, 403, "permission_denied",
				     "You do not have permission to perform this action.",
				     "This API key is missing required scopes: accounts:read.", "/data/");
	cJSON *doc = cJSON_CreateObject();
	cJSON *item = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "data"), item);
	cJSON_AddStringToObject(item, "type", "account");
	cJSON_AddStringToObject(item, "id", "SIMACCT");
	cJSON *attr = cJSON_AddObjectToObject(item, "attributes");
	cJSON_AddFalseToObject(attr, "test_account");
	cJSON *contact = cJSON_AddObjectToObject(attr, "contact_information");
	cJSON_AddStringToObject(contact, "default_sender_name", "Sim Shop");
	cJSON_AddStringToObject(contact, "default_sender_email", "hello@sim-shop.example");
	cJSON_AddStringToObject(contact, "organization_name", "Sim Shop");
	cJSON_AddStringToObject(attr, "industry", "Retail");
	cJSON_AddStringToObject(attr, "timezone", SIM_SHOP_TIMEZONE);
	cJSON_AddStringToObject(attr, "preferred_currency", sim_currencies[SIM_SHOP_CURRENCY].code);
	cJSON_AddStringToObject(attr, "public_api_key", "SimPub");
	cJSON_AddStringToObject(attr, "locale", "en-US");
	add_link(cJSON_AddObjectToObject(item, "links"), "self", ctx, "/api/accounts/SIMACCT/");
	cJSON *links = cJSON_AddObjectToObject(doc, "links");
	add_link(links, "self", ctx, "/api/accounts/");
	cJSON_AddNullToObject(links, "next");
	cJSON_AddNullToObject(links, "prev");
	rp->content_type = JSONAPI;
	return sim_reply_json(rp, 200, doc);
}

static cJSON *flow_item(struct sim_ctx *ctx, size_t i)
{
	const struct sim_flow_desc *fd = &sim_klaviyo_flows[i];
	int64_t created = ctx->model.base_now - (int64_t)(ctx->model.days + 60 - (int)i * 20) * 86400;
	char path[128];
	cJSON *item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "type", "flow");
	cJSON_AddStringToObject(item, "id", fd->id);
	cJSON *attr = cJSON_AddObjectToObject(item, "attributes");
	if (fd->name)
		cJSON_AddStringToObject(attr, "name", fd->name);
	else
		cJSON_AddNullToObject(attr, "name");
	if (fd->status)
		cJSON_AddStringToObject(attr, "status", fd->status);
	else
		cJSON_AddNullToObject(attr, "status");
	cJSON_AddFalseToObject(attr, "archived");
	add_time_offset(attr, "created", created);
	add_time_offset(attr, "updated", created + 86400 * 3);
	cJSON_AddStringToObject(attr, "trigger_type", fd->trigger_type);
	cJSON *rels = cJSON_AddObjectToObject(item, "relationships");
	cJSON *actions = cJSON_AddObjectToObject(rels, "flow-actions");
	cJSON *alinks = cJSON_AddObjectToObject(actions, "links");
	snprintf(path, sizeof path, "/api/flows/%s/relationships/flow-actions/", fd->id);
	add_link(alinks, "self", ctx, path);
	snprintf(path, sizeof path, "/api/flows/%s/flow-actions/", fd->id);
	add_link(alinks, "related", ctx, path);
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(rels, "tags"), "data");
	snprintf(path, sizeof path, "/api/flows/%s/", fd->id);
	add_link(cJSON_AddObjectToObject(item, "links"), "self", ctx, path);
	return item;
}

static int get_flows(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	const char *size_arg = sim_request_arg(rq, "page[size]");
	const char *cursor = sim_request_arg(rq, "page[cursor]");
	const char *filter = sim_request_arg(rq, "filter");
	long size = size_arg ? strtol(size_arg, NULL, 10) : MAX_FLOW_PAGE;
	if (size < 1 || size > MAX_FLOW_PAGE)
		return jsonapi_error(rp, 400, "invalid", "Invalid input.",
				     "Page size must be between 1 and 50.", "page[size]");
	long offset = 0;
	if (cursor) {
		char *plain = sim_base64_decode(cursor);
		if (!plain || sscanf(plain, "next::offset::%ld", &offset) != 1 || offset < 0) {
			free(plain);
			return jsonapi_error(rp, 400, "invalid", "Invalid input.",
					     "Invalid cursor provided.", "page[cursor]");
		}
		free(plain);
	}
	cJSON *doc = cJSON_CreateObject();
	cJSON *data = cJSON_AddArrayToObject(doc, "data");
	long seen = 0, emitted = 0;
	bool more = false;
	for (size_t i = 0; i < sim_klaviyo_n_flows; i++) {
		/* equals(status,"live") is the one filter the dashboard needs. */
		if (filter && strstr(filter, "status") &&
		    (!sim_klaviyo_flows[i].status || !strstr(filter, sim_klaviyo_flows[i].status)))
			continue;
		if (seen++ < offset)
			continue;
		if (emitted == size) {
			more = true;
			break;
		}
		cJSON_AddItemToArray(data, flow_item(ctx, i));
		emitted++;
	}
	cJSON *links = cJSON_AddObjectToObject(doc, "links");
	add_link(links, "self", ctx, "/api/flows/");
	if (more) {
		char plain[64], path[384];
		int n = snprintf(plain, sizeof plain, "next::offset::%ld", offset + size);
		char *cur = sim_base64_encode(plain, (size_t)n);
		char *esc_cur = cur ? sim_url_escape(cur) : NULL;
		char *esc_filter = filter ? sim_url_escape(filter) : NULL;
		snprintf(path, sizeof path, "/api/flows/?page%%5Bcursor%%5D=%s&page%%5Bsize%%5D=%ld%s%s",
			 esc_cur ? esc_cur : "", size, esc_filter ? "&filter=" : "",
			 esc_filter ? esc_filter : "");
		add_link(links, "next", ctx, path);
		free(cur);
		free(esc_cur);
		free(esc_filter);
	} else {
		cJSON_AddNullToObject(links, "next");
	}
	cJSON_AddNullToObject(links, "prev");
	rp->content_type = JSONAPI;
	return sim_reply_json(rp, 200, doc);
}

/* Midnight (shop zone) of the day containing t. */
static int64_t local_midnight(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static int64_t local_days_before(int64_t midnight, int days)
{
	time_t tt = (time_t)midnight;
	struct tm tm;
	localtime_r(&tt, &tm);
	tm.tm_mday -= days;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* Klaviyo ignores the offset of a custom timeframe: read it as shop-local. */
static int parse_local(const char *s, int64_t *out)
{
	struct tm tm = {0};
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec) < 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm);
	return 0;
}

static int timeframe_window(const struct sim_model *m, const cJSON *tf, int64_t *from, int64_t *to)
{
	int64_t now = sim_model_now(m);
	int64_t today = local_midnight(now);
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(tf, "key");
	if (cJSON_IsString(key)) {
		static const struct {
			const char *key;
			int days;
		} spans[] = {
			{"last_7_days", 7},	{"last_30_days", 30},	{"last_90_days", 90},
			{"last_3_months", 91},	{"last_12_months", 365}, {"last_365_days", 365},
			{"this_week", 7},	{"last_week", 7},	{"this_month", 30},
			{"last_month", 30},	{"this_year", 365},	{"last_year", 365},
		};
		const char *k = key->valuestring;
		*to = today;
		if (!strcmp(k, "today")) {
			*from = today;
			*to = now;
			return 0;
		}
		if (!strcmp(k, "yesterday")) {
			*from = local_days_before(today, 1);
			return 0;
		}
		for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
			if (!strcmp(k, spans[i].key)) {
				*from = local_days_before(today, spans[i].days);
				return 0;
			}
		}
		return -1;
	}
	const cJSON *start = cJSON_GetObjectItemCaseSensitive(tf, "start");
	const cJSON *end = cJSON_GetObjectItemCaseSensitive(tf, "end");
	if (!cJSON_IsString(start) || !cJSON_IsString(end) || parse_local(start->valuestring, from) ||
	    parse_local(end->valuestring, to) || *to <= *from || *to - *from > 366 * 86400)
		return -1;
	return 0;
}

struct flow_stats {
	int64_t recipients, conversions, value_minor;
};

/* Sends and conversions derived from the store, so the dashboard's recovery
 * numbers line up with Shopify's checkouts and orders. */
static void compute_stats(const struct sim_model *m, int64_t from, int64_t to,
			  struct flow_stats st[][2])
{
	memset(st, 0, sizeof(struct flow_stats) * 2 * sim_klaviyo_n_flows);
	for (size_t i = 0; i < m->n_checkouts; i++) {
		const struct sim_checkout *c = &m->checkouts[i];
		if (c->created >= from && c->created < to) {
			st[0][0].recipients++;
			if (i % 10 < 7)
				st[0][1].recipients++;
		}
		if (c->completed && c->completed >= from && c->completed < to) {
			struct flow_stats *s = &st[0][i % 3 == 0 ? 1 : 0];
			s->conversions++;
			s->value_minor += c->total_minor;
		}
	}
	for (size_t i = 0; i < m->n_orders; i++) {
		const struct sim_order *o = &m->orders[i];
		if (o->test || o->processed < from || o->processed >= to)
			continue;
		st[1][0].recipients++;
		if (o->id % 25 == 0 && !o->cancelled) {
			st[1][0].conversions++;
			st[1][0].value_minor += o->total_minor;
		}
	}
	for (size_t i = 0; i < m->n_customers; i++) {
		const struct sim_customer *c = &m->customers[i];
		if (c->created >= from && c->created < to) {
			st[2][0].recipients++;
			st[2][1].recipients += i % 2;
			if (i % 20 == 0) {
				st[2][1].conversions++;
				st[2][1].value_minor += 4500;
			}
		}
	}
	int64_t days = (to - from) / 86400;
	st[4][0].recipients = days * 3;
	st[4][0].conversions = days / 10;
	st[4][0].value_minor = days / 10 * 5200;
}

static bool valid_statistic(const char *s)
{
	for (const char *const *p = statistics; *p; p++)
		if (!strcmp(*p, s))
			return true;
	return false;
}

static double stat_value(const char *name, const struct flow_stats *s)
{
	double rec = (double)s->recipients, conv = (double)s->conversions;
	double value = (double)s->value_minor / 100.0;
	if (!strcmp(name, "recipients"))
		return rec;
	if (!strcmp(name, "delivered"))
		return (double)(s->recipients * 98 / 100);
	if (!strcmp(name, "conversions") || !strcmp(name, "conversion_uniques"))
		return conv;
	if (!strcmp(name, "conversion_value"))
		return value;
	if (!strcmp(name, "conversion_rate"))
		return rec > 0 ? conv / rec : 0;
	if (!strcmp(name, "revenue_per_recipient"))
		return rec > 0 ? value / rec : 0;
	if (!strcmp(name, "average_order_value"))
		return conv > 0 ? value / conv : 0;
	if (!strcmp(name, "opens") || !strcmp(name, "opens_unique"))
		return (double)(s->recipients * 45 / 100);
	if (!strcmp(name, "open_rate"))
		return rec > 0 ? 0.45 : 0;
	if (!strcmp(name, "clicks") || !strcmp(name, "clicks_unique"))
		return (double)(s->recipients * 6 / 100);
	if (!strcmp(name, "click_rate"))
		return rec > 0 ? 0.06 : 0;
	return 0;
}

static bool list_has(const cJSON *list, const char *value)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, list)
		if (cJSON_IsString(v) && !strcmp(v->valuestring, value))
			return true;
	return false;
}

/* Campaigns sent from the account, each on a day before now; conversions are
 * the orders of the five days after the send whose id falls in its share. */
static const struct {
	const char *id, *name;
	int sent_days_ago, rem;
} campaigns[] = {
	{"01SIMCMP000000000000000001", "November Newsletter", 5, 7},
	{"01SIMCMP000000000000000002", "Black Friday Early Access", 20, 19},
	{"01SIMCMP000000000000000003", "Autumn Lookbook", 45, 31},
};
#define N_CAMPAIGNS (sizeof campaigns / sizeof campaigns[0])

static void campaign_stats(const struct sim_model *m, int64_t from, int64_t to,
			   struct flow_stats st[N_CAMPAIGNS], bool sent[N_CAMPAIGNS])
{
	int64_t today = local_midnight(sim_model_now(m));
	for (size_t c = 0; c < N_CAMPAIGNS; c++) {
		memset(&st[c], 0, sizeof st[c]);
		int64_t at = local_days_before(today, campaigns[c].sent_days_ago) + 10 * 3600;
		sent[c] = at >= from && at < to;
		if (!sent[c])
			continue;
		st[c].recipients = (int64_t)m->n_customers;
		for (size_t i = 0; i < m->n_orders; i++) {
			const struct sim_order *o = &m->orders[i];
			if (o->test || o->cancelled || o->processed < at || o->processed >= at + 5 * 86400 ||
			    o->id % 40 != campaigns[c].rem)
				continue;
			st[c].conversions++;
			st[c].value_minor += o->total_minor;
		}
	}
}

static void add_result(cJSON *results, const char *key, const char *id, const char *msg_key,
		       const char *msg_id, const cJSON *stats, const struct flow_stats *st)
{
	cJSON *r = cJSON_CreateObject();
	cJSON *g = cJSON_AddObjectToObject(r, "groupings");
	cJSON_AddStringToObject(g, key, id);
	cJSON_AddStringToObject(g, "send_channel", "email");
	cJSON_AddStringToObject(g, msg_key, msg_id);
	cJSON *sv = cJSON_AddObjectToObject(r, "statistics");
	const cJSON *s;
	cJSON_ArrayForEach(s, stats)
		cJSON_AddNumberToObject(sv, s->valuestring, stat_value(s->valuestring, st));
	cJSON_AddItemToArray(results, r);
}

static void add_ref(cJSON *list, const char *type, const char *id)
{
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "type", type);
	cJSON_AddStringToObject(ref, "id", id);
	cJSON_AddItemToArray(list, ref);
}

/* POST /api/flow-values-reports/ and /api/campaign-values-reports/: one
 * row per message; page_cursor pages through the rows. */
static int post_values(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp,
		       bool campaign)
{
	struct sim_window_limit *const limits[] = {&ctx->klaviyo_reports_burst,
						   &ctx->klaviyo_reports_steady,
						   &ctx->klaviyo_reports_daily};
	bool rejected;
	int rc = admit(limits, 3, rq->commit, rp, &rejected);
	if (rejected || rc)
		return rc;
	const char *kind = campaign ? "campaign-values-report" : "flow-values-report";
	const char *key = campaign ? "campaign_id" : "flow_id";
	const char *msg_key = campaign ? "campaign_message_id" : "flow_message_id";
	const char *path = campaign ? "/api/campaign-values-reports/" : "/api/flow-values-reports/";
	cJSON *body = cJSON_ParseWithLength(rq->body, rq->body_len);
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(body, "data");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(data, "type");
	const cJSON *attr = cJSON_GetObjectItemCaseSensitive(data, "attributes");
	const cJSON *stats = cJSON_GetObjectItemCaseSensitive(attr, "statistics");
	const cJSON *tf = cJSON_GetObjectItemCaseSensitive(attr, "timeframe");
	const cJSON *metric = cJSON_GetObjectItemCaseSensitive(attr, "conversion_metric_id");
	const cJSON *group_by = cJSON_GetObjectItemCaseSensitive(attr, "group_by");
	const char *cursor = sim_request_arg(rq, "page_cursor");
	const char *problem = NULL, *pointer = "/data";
	char detail[128];
	const cJSON *s;
	int64_t from = 0, to = 0;
	long offset = 0;
	if (cursor) {
		char *plain = sim_base64_decode(cursor);
		if (!plain || sscanf(plain, "report::offset::%ld", &offset) != 1 || offset < 0) {
			problem = "Invalid cursor provided.";
			pointer = "page_cursor";
		}
		free(plain);
	}
	if (problem) {
	} else if (!cJSON_IsString(type) || strcmp(type->valuestring, kind) != 0) {
		snprintf(detail, sizeof detail, "'type' must be '%s'.", kind);
		problem = detail;
		pointer = "/data/type";
	} else if (!cJSON_IsArray(stats) || cJSON_GetArraySize(stats) == 0) {
		problem = "'statistics' is a required field.";
		pointer = "/data/attributes/statistics";
	} else if (!cJSON_IsObject(tf) || timeframe_window(&ctx->model, tf, &from, &to)) {
		problem = "'timeframe' must be a valid key or a start/end range of at most one year.";
		pointer = "/data/attributes/timeframe";
	} else if (!cJSON_IsString(metric)) {
		problem = "'conversion_metric_id' is a required field.";
		pointer = "/data/attributes/conversion_metric_id";
	} else if (group_by && !(list_has(group_by, key) && list_has(group_by, msg_key))) {
		snprintf(detail, sizeof detail, "'group_by' must include '%s' and '%s'.", key, msg_key);
		problem = detail;
		pointer = "/data/attributes/group_by";
	} else {
		cJSON_ArrayForEach(s, stats)
		{
			if (!cJSON_IsString(s) || !valid_statistic(s->valuestring)) {
				problem = "Invalid statistic requested.";
				pointer = "/data/attributes/statistics";
			}
		}
		bool known = false;
		for (size_t i = 0; i < N_METRICS; i++)
			known |= !problem && !strcmp(metrics[i].id, metric->valuestring);
		if (!problem && !known) {
			problem = "Metric not found for conversion_metric_id.";
			pointer = "/data/attributes/conversion_metric_id";
		}
	}
	if (problem) {
		cJSON_Delete(body);
		return jsonapi_error(rp, 400, "invalid", "Invalid input.", problem, pointer);
	}
	/* Every row of the report, then the page the cursor points at. */
	cJSON *all = cJSON_CreateArray();
	cJSON *owners = cJSON_CreateArray(), *messages = cJSON_CreateArray();
	char msg_id[48];
	if (campaign) {
		struct flow_stats st[N_CAMPAIGNS];
		bool sent[N_CAMPAIGNS];
		campaign_stats(&ctx->model, from, to, st, sent);
		for (size_t c = 0; c < N_CAMPAIGNS; c++) {
			if (!sent[c])
				continue;
			snprintf(msg_id, sizeof msg_id, "%sM", campaigns[c].id);
			add_result(all, key, campaigns[c].id, msg_key, msg_id, stats, &st[c]);
			add_ref(owners, "campaign", campaigns[c].id);
			add_ref(messages, "campaign-message", msg_id);
		}
	} else {
		struct flow_stats st[sizeof sim_klaviyo_flows / sizeof sim_klaviyo_flows[0]][2];
		compute_stats(&ctx->model, from, to, st);
		for (size_t f = 0; f < sim_klaviyo_n_flows; f++) {
			const struct sim_flow_desc *fd = &sim_klaviyo_flows[f];
			if (!fd->status || !strcmp(fd->status, "draft"))
				continue; /* drafts never send */
			add_ref(owners, "flow", fd->id);
			for (int msg = 0; msg < fd->n_messages; msg++) {
				snprintf(msg_id, sizeof msg_id, "01SIM%s0000000000000M%d", fd->id, msg + 1);
				add_result(all, key, fd->id, msg_key, msg_id, stats, &st[f][msg]);
				add_ref(messages, "flow-message", msg_id);
			}
		}
	}
	cJSON *doc = cJSON_CreateObject();
	cJSON *out = cJSON_AddObjectToObject(doc, "data");
	cJSON_AddStringToObject(out, "type", kind);
	cJSON *results = cJSON_AddArrayToObject(cJSON_AddObjectToObject(out, "attributes"), "results");
	long n = cJSON_GetArraySize(all), size = ctx->opt.klaviyo_report_page;
	for (long i = offset; i < n && i < offset + size; i++)
		cJSON_AddItemToArray(results, cJSON_Duplicate(cJSON_GetArrayItem(all, (int)i), 1));
	cJSON *rels = cJSON_AddObjectToObject(out, "relationships");
	cJSON_AddItemToObject(cJSON_AddObjectToObject(rels, campaign ? "campaigns" : "flows"), "data",
			      owners);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(rels, campaign ? "campaign-messages"
								      : "flow-messages"),
			      "data", messages);
	cJSON *links = cJSON_AddObjectToObject(doc, "links");
	add_link(links, "self", ctx, path);
	if (offset + size < n) {
		char plain[64], next[256];
		int len = snprintf(plain, sizeof plain, "report::offset::%ld", offset + size);
		char *cur = sim_base64_encode(plain, (size_t)len);
		char *esc = cur ? sim_url_escape(cur) : NULL;
		snprintf(next, sizeof next, "%s?page_cursor=%s", path, esc ? esc : "");
		add_link(links, "next", ctx, next);
		free(cur);
		free(esc);
	}
	cJSON_Delete(all);
	cJSON_Delete(body);
	rp->content_type = JSONAPI;
	return sim_reply_json(rp, 200, doc);
}

static bool path_is(const char *path, const char *want)
{
	size_t n = strlen(want);
	return !strncmp(path, want, n) && (path[n] == '\0' || (path[n] == '/' && path[n + 1] == '\0'));
}

static int klaviyo_handle(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp)
{
	if (!sim_request_header(rq, "revision"))
		return jsonapi_error(rp, 400, "invalid", "Invalid input.",
				     "The 'revision' header is required.", "revision");
	bool get = !strcmp(rq->method, "GET"), post = !strcmp(rq->method, "POST");
	int denied_rc;
	if (sim_klaviyo_scope_denied(ctx, rq->path, rp, &denied_rc))
		return denied_rc;
	if (post && path_is(rq->path, "/api/flow-values-reports"))
		return post_values(ctx, rq, rp, false);
	if (post && path_is(rq->path, "/api/campaign-values-reports"))
		return post_values(ctx, rq, rp, true);
	if (!get || (!path_is(rq->path, "/api/metrics") && !path_is(rq->path, "/api/flows") &&
		     !path_is(rq->path, "/api/accounts")))
		return jsonapi_error(rp, 404, "not_found", "Not found.",
				     "The requested resource was not found.", "/data/");
	struct sim_window_limit *const limits[] = {&ctx->klaviyo_other_burst,
						   &ctx->klaviyo_other_steady};
	bool rejected;
	int rc = admit(limits, 2, rq->commit, rp, &rejected);
	if (rejected || rc)
		return rc;
	if (path_is(rq->path, "/api/accounts"))
		return get_accounts(ctx, rp);
	return path_is(rq->path, "/api/metrics") ? get_metrics(ctx, rq, rp) : get_flows(ctx, rq, rp);
}

const struct sim_service sim_klaviyo_service = {
	.name = "klaviyo",
	.matches = klaviyo_matches,
	.authorized = klaviyo_authorized,
	.unauthorized = klaviyo_unauthorized,
	.fault = klaviyo_fault,
	.handle = klaviyo_handle,
};

/* Meta Marketing API: the ad account, campaigns (with budget history), ads,
 * and daily campaign insights. Insights for recent days keep changing, so
 * every pass re-fetches a trailing window and replaces it whole; the first
 * pass backfills a year. Throttling arrives as HTTP 400 with is_transient. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/ads.h"
#include "okdf/store/db.h"
#include "okdf/store/sync_state.h"
#include "okdf/sync/meta.h"

#define TRAILING_DAYS 28  /* Meta's longest attribution window */
#define BACKFILL_DAYS 365
/* One purchase action type, never a sum across types: the pixel's purchases
 * are the ones that match the shop's own orders. */
#define PURCHASE_TYPE "offsite_conversion.fb_pixel_purchase"

struct meta {
	sync_ctx *c;
	char origin[256];
	char account[160]; /* "act_<id>" */
	char currency[8];
	char tz[64];
	int usage_pct; /* highest percentage in the last usage headers */
};

/* The highest call_count/total_cputime/total_time in X-Business-Use-Case-Usage,
 * and its estimated_time_to_regain_access (minutes). */
static void read_usage(const http_response *r, int *pct, double *regain_min)
{
	*pct = 0;
	*regain_min = 0;
	const char *h = http_header_get(r, "X-Business-Use-Case-Usage");
	cJSON *j = h ? cJSON_Parse(h) : NULL;
	const cJSON *biz, *ent;
	cJSON_ArrayForEach(biz, j) {
		cJSON_ArrayForEach(ent, biz) {
			static const char *const keys[] = { "call_count", "total_cputime", "total_time" };
			for (size_t i = 0; i < 3; i++) {
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(ent, keys[i]);
				/* Compared as a double: 1e300 must not reach an int cast. */
				if (cJSON_IsNumber(v) && v->valuedouble > *pct)
					*pct = v->valuedouble >= 1000 ? 1000 : (int)v->valuedouble;
			}
			const cJSON *rg = cJSON_GetObjectItemCaseSensitive(ent,
				"estimated_time_to_regain_access");
			if (cJSON_IsNumber(rg) && rg->valuedouble > *regain_min)
				*regain_min = rg->valuedouble;
		}
	}
	cJSON_Delete(j);
}

static http_verdict classify(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	struct meta *m = arg;
	double regain;
	read_usage(r, &m->usage_pct, &regain);
	*wait_s = http_retry_after(r);
	if (r->status >= 200 && r->status < 300)
		return HTTP_DONE;
	const cJSON *err = json_path(r->json, "error");
	long long code = -1;
	okdf_err ignore;
	if (json_int64(json_path(err, "code"), &code, &ignore))
		code = -1;
	const char *msg = json_str(err, "message");
	snprintf(why, why_n, "HTTP %ld%s%s", r->status, msg ? ": " : "", msg ? msg : "");
	/* 190: token invalid or expired; 10 and 200-299: permission missing. */
	if (code == 190 || code == 10 || (code >= 200 && code <= 299) || r->status == 401 ||
		r->status == 403)
		return HTTP_AUTH;
	if (code == 4 || code == 17 || code == 32 || code == 613 || code == 80000 ||
		code == 80004 || r->status == 429) {
		if (*wait_s < 0 && regain > 0)
			*wait_s = regain * 60;
		return HTTP_THROTTLED;
	}
	if (cJSON_IsTrue(json_path(err, "is_transient")) || code == 1 || code == 2 ||
		r->status >= 500)
		return HTTP_RETRY;
	return HTTP_FAIL;
}

static int get(struct meta *m, const char *url, http_response *resp, okdf_err *e)
{
	/* Near the quota: spread the remaining calls instead of hitting the wall. */
	if (m->usage_pct >= 90 && http_sleep(m->c->http, (double)(m->usage_pct - 85)))
		return okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
	char auth[600];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", m->c->conf->secret);
	const char *headers[] = { auth, "Accept: application/json", NULL };
	http_request req = {
		.method = "GET",
		.url = url,
		.headers = headers,
		.want_json = 1,
		.classify = classify,
		.classify_arg = m,
	};
	return http_call(m->c->http, &req, resp, e);
}

/* Fetches path (with query) and every paging.next after it; calls each(item)
 * for every element of data. */
static int get_all(struct meta *m, const char *path_query,
	int (*each)(struct meta *m, const cJSON *item, void *arg, okdf_err *e), void *arg,
	okdf_err *e)
{
	char first[2048];
	int w = snprintf(first, sizeof first, "%s%s", m->origin, path_query);
	if (w < 0 || (size_t)w >= sizeof first)
		return okdf_err_set(e, OKDF_EINPUT, "URL too long");
	char *url = strdup(first);
	int rc = url ? OKDF_OK : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	while (!rc && url) {
		http_response resp;
		rc = get(m, url, &resp, e);
		free(url);
		url = NULL;
		if (rc)
			break;
		const cJSON *data = json_path(resp.json, "data"), *it;
		if (!cJSON_IsArray(data))
			rc = okdf_err_set(e, OKDF_EINPUT, "answer without a data list");
		cJSON_ArrayForEach(it, data) {
			if (rc)
				break;
			rc = each(m, it, arg, e);
		}
		const char *next = json_str(resp.json, "paging.next");
		if (!rc && next) {
			url = strdup(next); /* opaque: followed verbatim */
			if (!url)
				rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		}
		http_response_free(&resp);
	}
	free(url);
	return rc;
}

static int sync_account(struct meta *m, okdf_err *e)
{
	char url[1024];
	snprintf(url, sizeof url, "%s/%s/%s?fields=name,account_status,currency,timezone_name",
		m->origin, m->c->conf->api_version, m->account);
	http_response resp;
	int rc = get(m, url, &resp, e);
	if (rc)
		return okdf_err_prefix(e, "ad account");
	store_ad_account a = {
		.id = json_str(resp.json, "id"),
		.name = json_str(resp.json, "name"),
		.currency = json_str(resp.json, "currency"),
		.timezone_name = json_str(resp.json, "timezone_name"),
		.synced_at = m->c->now,
	};
	if (!rc && (!a.id || !a.currency || !a.timezone_name || !tz_valid(a.timezone_name)))
		rc = okdf_err_set(e, OKDF_EINPUT,
			"ad account: missing id, currency or a known timezone_name");
	if (!rc)
		rc = json_int64(json_path(resp.json, "account_status"), &a.account_status, e);
	if (!rc) {
		snprintf(m->currency, sizeof m->currency, "%s", a.currency);
		snprintf(m->tz, sizeof m->tz, "%s", a.timezone_name);
		rc = db_begin(m->c->db, e);
		if (!rc)
			rc = store_upsert_ad_account(m->c->db, &a, e);
		if (!rc)
			rc = db_commit(m->c->db, e);
		else
			db_rollback(m->c->db);
		if (!rc) {
			m->c->rows++;
			sync_ctx_committed(m->c);
		}
	}
	http_response_free(&resp);
	return rc ? okdf_err_prefix(e, "ad account") : OKDF_OK;
}

static int put_campaign(struct meta *m, const cJSON *it, void *arg, okdf_err *e)
{
	(void)arg;
	store_campaign c = {
		.id = json_str(it, "id"),
		.account_id = m->account,
		.name = json_str(it, "name"),
		.status = json_str(it, "status"),
		.effective_status = json_str(it, "effective_status"),
		.currency = m->currency,
		.updated_at = m->c->now,
	};
	if (!c.id)
		return okdf_err_set(e, OKDF_EINPUT, "campaign without id");
	long long t;
	int null_t;
	if (json_time(it, "updated_time", &t, &null_t, e) == OKDF_OK && !null_t)
		c.updated_at = t;
	const cJSON *budget = json_path(it, "daily_budget");
	if (budget && !cJSON_IsNull(budget)) {
		/* Already in minor units, as a string ("5000" = 50.00). */
		int rc = json_int64(budget, &c.daily_budget_minor, e);
		if (!rc && (c.daily_budget_minor < 0 || c.daily_budget_minor > MONEY_MAX_MINOR))
			rc = okdf_err_set(e, OKDF_EINPUT, "out of range: %lld", c.daily_budget_minor);
		if (rc)
			return okdf_err_prefix(e, "campaign %s daily_budget", c.id);
		c.has_daily_budget = 1;
	}
	m->c->rows++;
	return store_upsert_campaign(m->c->db, &c, m->c->now, e);
}

static int put_ad(struct meta *m, const cJSON *it, void *arg, okdf_err *e)
{
	(void)arg;
	store_ad a = {
		.id = json_str(it, "id"),
		.campaign_id = json_str(it, "campaign_id"),
		.adset_id = json_str(it, "adset_id"),
		.name = json_str(it, "name"),
		.status = json_str(it, "status"),
		.effective_status = json_str(it, "effective_status"),
		.creative_id = json_str(it, "creative.id"),
		.updated_at = m->c->now,
	};
	if (!a.id)
		return okdf_err_set(e, OKDF_EINPUT, "ad without id");
	m->c->rows++;
	return store_upsert_ad(m->c->db, &a, e);
}

/* The value of the one purchase action type in an actions list; 0 when
 * absent (Meta omits zero values). */
static const cJSON *purchase_action(const cJSON *list)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, list) {
		const char *type = json_str(a, "action_type");
		if (type && strcmp(type, PURCHASE_TYPE) == 0)
			return json_path(a, "value");
	}
	return NULL;
}

int meta_parse_insight(const cJSON *row, const char *currency, store_ad_insight *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	out->campaign_id = json_str(row, "campaign_id");
	out->day = json_str(row, "date_start");
	out->currency = currency;
	if (!out->campaign_id || !out->day)
		return okdf_err_set(e, OKDF_EINPUT, "insight row without campaign_id or date_start");
	const cJSON *spend = json_path(row, "spend");
	int rc = spend ? json_money(spend, currency, &out->spend_minor, e) : OKDF_OK;
	const cJSON *n = purchase_action(json_path(row, "actions"));
	if (!rc && n)
		rc = json_int64(n, &out->purchases, e);
	const cJSON *v = purchase_action(json_path(row, "action_values"));
	if (!rc && v)
		rc = json_money(v, currency, &out->purchase_value_minor, e);
	return rc ? okdf_err_prefix(e, "insight %s %s", out->campaign_id, out->day) : OKDF_OK;
}

struct rows {
	cJSON *list; /* rows kept until the window is complete */
};

static int keep_row(struct meta *m, const cJSON *it, void *arg, okdf_err *e)
{
	(void)m;
	struct rows *r = arg;
	cJSON *copy = cJSON_Duplicate(it, 1);
	if (!copy)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	cJSON_AddItemToArray(r->list, copy);
	return OKDF_OK;
}

static int put_insight(void *arg, const cJSON *it, okdf_err *e)
{
	struct meta *m = arg;
	store_ad_insight in;
	int rc = meta_parse_insight(it, m->currency, &in, e);
	in.synced_at = m->c->now;
	return rc ? rc : store_upsert_ad_insight(m->c->db, &in, e);
}

static int sync_insights(struct meta *m, okdf_err *e)
{
	sync_ctx *c = m->c;
	char *done;
	int rc = store_sync_cursor_get(c->db, c->name, "insights", &done, e);
	if (rc)
		return rc;
	okdf_date today;
	rc = tz_date_of(m->tz, c->now, &today, e);
	if (rc) {
		free(done);
		return rc;
	}
	okdf_date from = date_add_days(today, done ? -(TRAILING_DAYS - 1) : -BACKFILL_DAYS);
	free(done);
	char since[16], until[16];
	date_format(from, since, sizeof since);
	date_format(today, until, sizeof until);
	char pq[1024];
	/* time_range is JSON in the query: {"since":"...","until":"..."} escaped. */
	snprintf(pq, sizeof pq,
		"/%s/%s/insights?level=campaign&fields=campaign_id,spend,actions,action_values"
		"&time_increment=1&time_range=%%7B%%22since%%22%%3A%%22%s%%22%%2C%%22until%%22%%3A"
		"%%22%s%%22%%7D&limit=500",
		c->conf->api_version, m->account, since, until);
	struct rows rows = { cJSON_CreateArray() };
	if (!rows.list)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	rc = get_all(m, pq, keep_row, &rows, e);
	if (!rc)
		rc = db_begin(c->db, e);
	if (!rc) {
		rc = store_clear_ad_insights(c->db, since, until, e);
		const cJSON *it;
		cJSON_ArrayForEach(it, rows.list) {
			if (rc)
				break;
			/* Insight rows have no id of their own: campaign and day name one. */
			char rid[160];
			const char *cid = json_str(it, "campaign_id"), *day = json_str(it, "date_start");
			snprintf(rid, sizeof rid, "%s:%s", cid ? cid : "?", day ? day : "?");
			rc = sync_store_record(c, "insights", it, rid, put_insight, m, e);
			c->rows++;
		}
		if (!rc)
			rc = store_sync_cursor_put(c->db, c->name, "insights", until, c->now, e);
		if (!rc)
			rc = db_commit(c->db, e);
		else
			db_rollback(c->db);
		if (!rc)
			sync_ctx_committed(c);
	}
	cJSON_Delete(rows.list);
	return rc ? okdf_err_prefix(e, "insights") : OKDF_OK;
}

struct list_arg {
	struct meta *m;
	int (*each)(struct meta *m, const cJSON *item, void *arg, okdf_err *e);
};

static int list_item(void *arg, const cJSON *it, okdf_err *e)
{
	struct list_arg *a = arg;
	return a->each(a->m, it, NULL, e);
}

/* Campaigns or ads: every page in one transaction (a few hundred rows). */
static int sync_list(struct meta *m, const char *what, const char *fields,
	int (*each)(struct meta *m, const cJSON *item, void *arg, okdf_err *e), okdf_err *e)
{
	char pq[512];
	snprintf(pq, sizeof pq, "/%s/%s/%s?fields=%s&limit=200", m->c->conf->api_version,
		m->account, what, fields);
	struct rows rows = { cJSON_CreateArray() };
	if (!rows.list)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	int rc = get_all(m, pq, keep_row, &rows, e);
	if (!rc)
		rc = db_begin(m->c->db, e);
	if (!rc) {
		struct list_arg la = { m, each };
		const cJSON *it;
		cJSON_ArrayForEach(it, rows.list) {
			if (rc)
				break;
			rc = sync_store_record(m->c, what, it, NULL, list_item, &la, e);
		}
		if (!rc)
			rc = db_commit(m->c->db, e);
		else
			db_rollback(m->c->db);
		if (!rc)
			sync_ctx_committed(m->c);
	}
	cJSON_Delete(rows.list);
	return rc ? okdf_err_prefix(e, "%s", what) : OKDF_OK;
}

int meta_sync(sync_ctx *c, okdf_err *e)
{
	const okdf_connector_config *conf = c->conf;
	if (!conf->account[0])
		return okdf_err_set(e, OKDF_EINPUT, "[meta] ad_account_id is not set");
	if (!conf->secret[0])
		return okdf_err_set(e, OKDF_EINPUT,
			"no access token: set [meta] access_token or OKDF_META_ACCESS_TOKEN");
	struct meta m = { .c = c };
	int rc = sync_url(c, "https://graph.facebook.com", "", m.origin, sizeof m.origin, e);
	if (rc)
		return rc;
	snprintf(m.account, sizeof m.account, "%s%s",
		strncmp(conf->account, "act_", 4) == 0 ? "" : "act_", conf->account);
	rc = sync_account(&m, e);
	if (!rc)
		rc = sync_list(&m, "campaigns", "id,name,status,effective_status,daily_budget,updated_time",
			put_campaign, e);
	if (!rc)
		rc = sync_list(&m, "ads",
			"id,name,campaign_id,adset_id,status,effective_status,creative",
			put_ad, e);
	if (!rc)
		rc = sync_insights(&m, e);
	return rc;
}

void meta_free(sync_ctx *c)
{
	(void)c;
}

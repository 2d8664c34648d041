/* Meta Marketing API: the ad account, campaigns (with budget history), ads,
 * and daily campaign insights. Insights for recent days keep changing, so
 * every pass re-fetches a trailing window and replaces it whole; the first
 * pass backfills a year through an asynchronous report run. Throttling
 * arrives as HTTP 400 with is_transient. What the wire values mean (budget
 * units, usage headers, insights rows) is in meta_wire.c. */
#include <ctype.h>
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
#include "okdf/sync/meta_wire.h"

#define TRAILING_DAYS 28  /* Meta's longest attribution window */
#define BACKFILL_DAYS 365
#define INSIGHT_FIELDS "campaign_id,spend,actions,action_values"
#define REPORT_POLLS 400  /* report run status checks before giving up (about an hour) */

struct meta {
	sync_ctx *c;
	char origin[256];
	char version[16];  /* "v27.0" */
	char account[160]; /* "act_<id>" */
	char currency[8];
	char tz[64];
	char proof[65];    /* appsecret_proof, "" without [meta] app_secret */
	meta_usage usage;  /* from the last answer's usage headers */
	int expired;       /* the last answer was #2635: this API version is no longer served */
	char expired_msg[256];
	int in_insights;   /* a synchronous insights request is under way */
	int too_much;      /* ...and Meta answered code 1: ask for less */
};

static void read_usage(const http_response *r, meta_usage *u)
{
	meta_usage_parse(http_header_get(r, "X-Business-Use-Case-Usage"),
		http_header_get(r, "X-Ad-Account-Usage"),
		http_header_get(r, "X-FB-Ads-Insights-Throttle"), u);
}

static http_verdict classify(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	struct meta *m = arg;
	read_usage(r, &m->usage);
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
	if (code == 2635) {
		m->expired = 1;
		snprintf(m->expired_msg, sizeof m->expired_msg, "%s", msg ? msg : "");
		return HTTP_FAIL;
	}
	if (code == 1 && m->in_insights) {
		m->too_much = 1; /* "Please reduce the amount of data": repeating cannot help */
		return HTTP_FAIL;
	}
	/* 190: token invalid or expired; 10 and 200-299: permission missing. */
	if (code == 190 || code == 10 || (code >= 200 && code <= 299) || r->status == 401 ||
		r->status == 403)
		return HTTP_AUTH;
	if (code == 4 || code == 17 || code == 32 || code == 613 || code == 80000 ||
		code == 80004 || r->status == 429) {
		if (*wait_s < 0 && m->usage.wait_s > 0)
			*wait_s = m->usage.wait_s;
		return HTTP_THROTTLED;
	}
	if (cJSON_IsTrue(json_path(err, "is_transient")) || code == 1 || code == 2 ||
		r->status >= 500)
		return HTTP_RETRY;
	return HTTP_FAIL;
}

/* #2635: the configured version is past its end of life (OKDF_EVERSION, a
 * failing connector). The message names it and the fix: the version Meta's
 * message names, else the newest. */
static int expired_error(const struct meta *m, okdf_err *e)
{
	char named[24] = "";
	for (const char *p = m->expired_msg; *p; p++) {
		char v[16];
		if ((*p == 'v' || *p == 'V') && isdigit((unsigned char)p[1]) &&
			(p == m->expired_msg || !isalnum((unsigned char)p[-1])) &&
			sscanf(p + 1, "%8[0-9.]", v) == 1 && strchr(v, '.')) {
			size_t l = strlen(v);
			while (l && v[l - 1] == '.')
				v[--l] = '\0';
			char cand[24];
			snprintf(cand, sizeof cand, "v%s", v);
			if (strcmp(cand, m->version) != 0)
				snprintf(named, sizeof named, "%s", cand);
		}
	}
	return okdf_err_set(e, OKDF_EVERSION,
		"Meta no longer serves API version %s (error #2635): set [meta] api_version = %s "
		"in the config and sync again", m->version, named[0] ? named : META_NEWEST_VERSION);
}

/* Near the quota: spread the remaining calls instead of hitting the wall. */
static int pace(struct meta *m, okdf_err *e)
{
	if (m->usage.pct >= 90 && http_sleep(m->c->http, (double)(m->usage.pct - 85)))
		return okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
	return OKDF_OK;
}

/* url with appsecret_proof added when an app secret is set and the URL (a
 * paging.next) does not carry it yet. Caller frees. */
static char *signed_url(const struct meta *m, const char *url)
{
	if (!m->proof[0] || strstr(url, "appsecret_proof="))
		return strdup(url);
	size_t n = strlen(url) + sizeof m->proof + 32;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, "%s%cappsecret_proof=%s", url, strchr(url, '?') ? '&' : '?', m->proof);
	return out;
}

static int call(struct meta *m, const char *method, const char *url, const char *body,
	http_response *resp, okdf_err *e)
{
	int rc = pace(m, e);
	if (rc)
		return rc;
	char auth[600];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", m->c->conf->secret);
	const char *headers[] = { auth, "Accept: application/json",
		body ? "Content-Type: application/x-www-form-urlencoded" : NULL, NULL };
	char *full = signed_url(m, url);
	if (!full)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	http_request req = {
		.method = method,
		.url = full,
		.headers = headers,
		.body = body,
		.want_json = 1,
		.classify = classify,
		.classify_arg = m,
	};
	m->expired = 0;
	rc = http_call(m->c->http, &req, resp, e);
	free(full);
	if (rc && m->expired)
		rc = expired_error(m, e);
	return rc;
}

static int get(struct meta *m, const char *url, http_response *resp, okdf_err *e)
{
	return call(m, "GET", url, NULL, resp, e);
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
		m->origin, m->version, m->account);
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
			rc = ad_account_upsert(m->c->db, &a, e);
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
		/* Meta's own unit: 1/offset of the currency (cents, or whole
		 * yen, forint...), stored as ISO minor units like every amount. */
		long long units;
		int rc = json_int64(budget, &units, e);
		if (!rc)
			rc = meta_budget_to_minor(units, m->currency, &c.daily_budget_minor, e);
		if (!rc && c.daily_budget_minor > MONEY_MAX_MINOR)
			rc = okdf_err_set(e, OKDF_EINPUT, "out of range: %lld", c.daily_budget_minor);
		if (rc)
			return okdf_err_prefix(e, "campaign %s daily_budget", c.id);
		c.has_daily_budget = 1;
	}
	m->c->rows++;
	return campaign_upsert(m->c->db, &c, m->c->now, e);
}

static int put_ad(struct meta *m, const cJSON *it, void *arg, okdf_err *e)
{
	(void)arg;
	char feedback[1900];
	meta_review_feedback_text(json_path(it, "ad_review_feedback"), feedback, sizeof feedback);
	store_ad a = {
		.id = json_str(it, "id"),
		.campaign_id = json_str(it, "campaign_id"),
		.adset_id = json_str(it, "adset_id"),
		.name = json_str(it, "name"),
		.status = json_str(it, "status"),
		.effective_status = json_str(it, "effective_status"),
		.creative_id = json_str(it, "creative.id"),
		.review_feedback = feedback[0] ? feedback : NULL,
		.updated_at = m->c->now,
	};
	if (!a.id)
		return okdf_err_set(e, OKDF_EINPUT, "ad without id");
	m->c->rows++;
	return ad_upsert(m->c->db, &a, e);
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
	int rc = meta_parse_insight(it, m->currency, m->c->conf->action_type, &in, e);
	in.synced_at = m->c->now;
	return rc ? rc : ad_insight_upsert(m->c->db, &in, e);
}

/* time_range={"since":"...","until":"..."} URL-escaped, with the rest of the
 * insights parameters. */
static void insight_params(okdf_date from, okdf_date to, char *buf, size_t n)
{
	char since[16], until[16];
	date_format(from, since, sizeof since);
	date_format(to, until, sizeof until);
	snprintf(buf, n, "level=campaign&fields=" INSIGHT_FIELDS "&time_increment=1"
		"&time_range=%%7B%%22since%%22%%3A%%22%s%%22%%2C%%22until%%22%%3A%%22%s%%22%%7D",
		since, until);
}

/* Synchronous insights for [from, to]; on code 1 ("reduce the amount of
 * data") the range is halved instead of asked again, down to single days. */
static int insights_sync(struct meta *m, okdf_date from, okdf_date to, struct rows *rows,
	okdf_err *e)
{
	char params[512], pq[768];
	insight_params(from, to, params, sizeof params);
	snprintf(pq, sizeof pq, "/%s/%s/insights?%s&limit=500", m->version, m->account, params);
	int kept = cJSON_GetArraySize(rows->list);
	m->in_insights = 1;
	m->too_much = 0;
	int rc = get_all(m, pq, keep_row, rows, e);
	m->in_insights = 0;
	long long days = date_to_days(to) - date_to_days(from) + 1;
	if (rc && m->too_much && days > 1) {
		while (cJSON_GetArraySize(rows->list) > kept) /* a partial first try */
			cJSON_DeleteItemFromArray(rows->list, kept);
		okdf_date mid = date_add_days(from, days / 2 - 1);
		rc = insights_sync(m, from, mid, rows, e);
		if (!rc)
			rc = insights_sync(m, date_add_days(mid, 1), to, rows, e);
	}
	return rc;
}

/* An asynchronous report run: POST the query, poll the run until Meta says
 * it is complete, then read its insights pages. *failed when Meta gave up
 * on the job ("Job Failed" or "Job Skipped"). */
static int insights_async(struct meta *m, okdf_date from, okdf_date to, struct rows *rows,
	int *failed, okdf_err *e)
{
	char params[512], url[1024];
	*failed = 0;
	insight_params(from, to, params, sizeof params);
	snprintf(url, sizeof url, "%s/%s/%s/insights", m->origin, m->version, m->account);
	http_response resp;
	int rc = call(m, "POST", url, params, &resp, e);
	if (rc)
		return okdf_err_prefix(e, "starting a report run");
	char run[64];
	const char *id = json_str(resp.json, "report_run_id");
	snprintf(run, sizeof run, "%s", id ? id : "");
	http_response_free(&resp);
	if (!run[0] || strspn(run, "0123456789") != strlen(run))
		return okdf_err_set(e, OKDF_EINPUT, "report run answer without a numeric report_run_id");
	double wait = 1;
	for (int poll = 0;; poll++) {
		if (poll == REPORT_POLLS)
			return okdf_err_set(e, OKDF_ENET, "report run %s still not complete after %d checks",
				run, poll);
		snprintf(url, sizeof url, "%s/%s/%s?fields=async_status,async_percent_completion",
			m->origin, m->version, run);
		rc = get(m, url, &resp, e);
		if (rc)
			return okdf_err_prefix(e, "report run %s", run);
		const char *status = json_str(resp.json, "async_status");
		int complete = status && strcmp(status, "Job Completed") == 0;
		*failed = status && (strcmp(status, "Job Failed") == 0 ||
			strcmp(status, "Job Skipped") == 0);
		http_response_free(&resp);
		if (!status)
			return okdf_err_set(e, OKDF_EINPUT, "report run %s without async_status", run);
		if (*failed)
			return OKDF_OK;
		if (complete)
			break;
		if (http_sleep(m->c->http, wait))
			return okdf_err_set(e, OKDF_ENET, "interrupted by shutdown");
		wait = wait * 2 > 10 ? 10 : wait * 2;
	}
	char pq[128];
	snprintf(pq, sizeof pq, "/%s/%s/insights?limit=500", m->version, run);
	return get_all(m, pq, keep_row, rows, e);
}

static int sync_insights(struct meta *m, okdf_err *e)
{
	sync_ctx *c = m->c;
	char *done;
	int rc = sync_cursor_get(c->db, c->name, "insights", &done, e);
	if (rc)
		return rc;
	okdf_date today;
	rc = tz_date_of(m->tz, c->now, &today, e);
	int backfill = !done;
	free(done);
	if (rc)
		return rc;
	okdf_date from = date_add_days(today, backfill ? -BACKFILL_DAYS : -(TRAILING_DAYS - 1));
	char since[16], until[16];
	date_format(from, since, sizeof since);
	date_format(today, until, sizeof until);
	struct rows rows = { cJSON_CreateArray() };
	if (!rows.list)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	/* A year of daily rows is too much for one synchronous request on a
	 * large account: the backfill runs as a report; a failed report falls
	 * back to ranges halved until Meta accepts them. */
	int failed = 1;
	if (backfill)
		rc = insights_async(m, from, today, &rows, &failed, e);
	if (!rc && failed) {
		cJSON_Delete(rows.list);
		rows.list = cJSON_CreateArray();
		rc = rows.list ? insights_sync(m, from, today, &rows, e)
			: okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = db_begin(c->db, e);
	if (!rc) {
		rc = ad_insights_clear(c->db, since, until, e);
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
			rc = sync_cursor_put(c->db, c->name, "insights", until, c->now, e);
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
	snprintf(pq, sizeof pq, "/%s/%s/%s?fields=%s&limit=200", m->version,
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
	int rc = meta_version(conf->api_version, m.version, sizeof m.version, e);
	if (!rc && conf->app_secret[0])
		rc = meta_appsecret_proof(conf->secret, conf->app_secret, m.proof, e);
	if (!rc)
		rc = sync_url(c, "https://graph.facebook.com", "", m.origin, sizeof m.origin, e);
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
			"id,name,campaign_id,adset_id,status,effective_status,creative,"
			"ad_review_feedback",
			put_ad, e);
	if (!rc)
		rc = sync_insights(&m, e);
	return rc;
}

void meta_free(sync_ctx *c)
{
	(void)c;
}

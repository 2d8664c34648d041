#include "okdf/core/rules.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/core/rule_merge.h"
#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/rollups.h"

#define DAY 86400LL

typedef struct rule_ctx {
	sqlite3 *db;
	const okdf_rules_config *cfg;
	long long now;
	rule_merge *merge; /* one escalation per source event */
} rule_ctx;

static const char *col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? (const char *)s : "";
}

/* Runs a write statement with ?1 = a, and ?2 = b, ?3 = now where it uses them. */
static int rule_write(rule_ctx *c, const char *sql, const char *a, const char *b,
	const char *context, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, sql, &st, e);
	if (rc)
		return rc;
	int params = sqlite3_bind_parameter_count(st);
	db_bind_text(st, 1, a);
	if (params >= 2)
		db_bind_text(st, 2, b);
	if (params >= 3)
		sqlite3_bind_int64(st, 3, c->now);
	return db_step_done(c->db, st, e, context);
}

/* Episodes: begin marks every condition of rule unseen, hold marks one
 * seen (starting it when new), end forgets those not seen this time. */
static int episodes_begin(rule_ctx *c, const char *rule, okdf_err *e)
{
	return rule_write(c, "UPDATE rule_episodes SET seen = 0 WHERE rule = ?", rule, NULL,
		"rule episodes", e);
}

static int episode_hold(rule_ctx *c, const char *rule, const char *cond, long long *started,
	int *is_new, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"UPDATE rule_episodes SET seen = 1 WHERE rule = ? AND condition = ?"
		" RETURNING started_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, rule);
	db_bind_text(st, 2, cond);
	int step = sqlite3_step(st);
	*is_new = step == SQLITE_DONE;
	if (step == SQLITE_ROW) {
		*started = sqlite3_column_int64(st, 0);
		step = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_error(c->db, e, "rule episodes");
	if (!*is_new)
		return OKDF_OK;
	*started = c->now;
	return rule_write(c,
		"INSERT INTO rule_episodes(rule, condition, started_at, seen) VALUES (?, ?, ?, 1)",
		rule, cond, "rule episodes", e);
}

static int episodes_end(rule_ctx *c, const char *rule, okdf_err *e)
{
	return rule_write(c, "DELETE FROM rule_episodes WHERE rule = ? AND seen = 0", rule, NULL,
		"rule episodes", e);
}

/* As episodes_end, for an anomaly rule: the escalation of each episode that
 * ended ("anomaly.RULE:CONDITION:STARTED") is resolved with a note saying
 * what cleared. */
static int anomalies_end(rule_ctx *c, const char *rule, const char *cleared, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT condition, started_at FROM rule_episodes WHERE rule = ? AND seen = 0", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, rule);
	int step;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cond = (const char *)sqlite3_column_text(st, 0);
		char key[256], note[384];
		snprintf(key, sizeof key, "anomaly.%s:%s:%lld", rule, cond ? cond : "",
			(long long)sqlite3_column_int64(st, 1));
		snprintf(note, sizeof note, "Resolved automatically: %s (%s).", cleared,
			cond ? cond : "");
		int resolved;
		rc = inbox_resolve_cleared(c->db, key, note, c->now, &resolved, e);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(c->db, e, "rule episodes");
	sqlite3_finalize(st);
	return rc ? rc : episodes_end(c, rule, e);
}

/* How far a connector's data is complete: the end of its last finished pass
 * (at most now). 0 while it has never finished one (a first sync, killed
 * or still running): nothing of it may be judged. A store no sync wrote
 * (no health row) is complete up to now. */
static int complete_until(rule_ctx *c, const char *connector, long long *until, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT coalesce(last_success_at, 0) FROM connector_health WHERE connector = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	int step = sqlite3_step(st);
	*until = c->now;
	if (step == SQLITE_ROW && sqlite3_column_int64(st, 0) < c->now)
		*until = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? OKDF_OK
		: db_error(c->db, e, "reading connector health");
}

/* Runs sql with ?1 = key and copies the first column of its first row into
 * value: "" when there is no row (or it is NULL). */
static int query_value(rule_ctx *c, const char *sql, const char *key, char *value, size_t n,
	const char *context, okdf_err *e)
{
	value[0] = '\0';
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, sql, &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, key);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		db_col_copy(value, n, st, 0);
	else if (step != SQLITE_DONE)
		rc = db_error(c->db, e, context);
	sqlite3_finalize(st);
	return rc;
}

/* Ends a loop over st's rows: a step that stopped short of the end is an
 * error (unless one is already in rc), and st is finalized. */
static int rows_done(rule_ctx *c, sqlite3_stmt *st, int step, int rc, const char *context,
	okdf_err *e)
{
	if (!rc && step != SQLITE_DONE)
		rc = db_error(c->db, e, context);
	sqlite3_finalize(st);
	return rc;
}

/* Copies the two text columns of a one-row table ("" when it has no row). */
static int query_pair(rule_ctx *c, const char *sql, char *a, size_t an, char *b, size_t bn,
	const char *context, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, sql, &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		db_col_copy(a, an, st, 0);
		db_col_copy(b, bn, st, 1);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_error(c->db, e, context);
	return OKDF_OK;
}

/* Runs sql with ?1 = from, ?2 = to and reads the first n int64 columns of its row. */
static int query_range(rule_ctx *c, const char *sql, long long from, long long to,
	long long *out, int n, const char *context, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, sql, &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			out[i] = sqlite3_column_int64(st, i);
	} else {
		rc = db_error(c->db, e, context);
	}
	sqlite3_finalize(st);
	return rc;
}

/* rule_state: small remembered values. *value "" when unset. */
static int state_get(rule_ctx *c, const char *key, char *value, size_t n, okdf_err *e)
{
	return query_value(c, "SELECT value FROM rule_state WHERE key = ?", key, value, n,
		"rule state", e);
}

static int state_set(rule_ctx *c, const char *key, const char *value, okdf_err *e)
{
	return rule_write(c,
		"INSERT INTO rule_state(key, value, updated_at) VALUES (?, ?, ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
		" updated_at = excluded.updated_at", key, value, "rule state", e);
}

/* Raises one escalation; takes ownership of evidence. */
static int rule_raise(rule_ctx *c, const char *kind, const char *severity, const char *source,
	cJSON *evidence, const char *key, okdf_err *e, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static int rule_raise(rule_ctx *c, const char *kind, const char *severity, const char *source,
	cJSON *evidence, const char *key, okdf_err *e, const char *fmt, ...)
{
	char title[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(title, sizeof title, fmt, ap);
	va_end(ap);
	return rule_merge_add(c->merge, kind, severity, source, title, evidence, key, e);
}

static void add_time(cJSON *o, const char *name, long long t)
{
	char buf[32];
	time_format_utc(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, name, buf);
}

/* crisis.policy_violation */
static int rule_policy(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "policy", e);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = db_prepare(c->db,
		"SELECT 'account', id, coalesce(name, id), account_status, NULL FROM ad_accounts"
		" WHERE account_status <> 1"
		" UNION ALL SELECT 'ad', id, coalesce(name, id), NULL, campaign_id FROM ads"
		" WHERE effective_status = 'DISAPPROVED'", &st, e);
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int account = strcmp(col_text(st, 0), "account") == 0;
		const char *id = col_text(st, 1);
		char cond[160], key[256];
		snprintf(cond, sizeof cond, "%s:%s", account ? "account" : "ad", id);
		long long started;
		int is_new;
		rc = episode_hold(c, "policy", cond, &started, &is_new, e);
		if (rc)
			break;
		snprintf(key, sizeof key, "crisis.policy_violation:%s:%lld", cond, started);
		cJSON *ev = cJSON_CreateObject();
		add_time(ev, "since", started);
		if (account) {
			cJSON_AddStringToObject(ev, "account_id", id);
			cJSON_AddNumberToObject(ev, "account_status", sqlite3_column_int(st, 3));
			cJSON_AddNumberToObject(ev, "baseline_status", 1);
			rc = rule_raise(c, "crisis.policy_violation", "critical", "meta/policy", ev, key, e,
				"Meta ad account %s is not active (status %d)", col_text(st, 2),
				sqlite3_column_int(st, 3));
		} else {
			cJSON_AddStringToObject(ev, "ad_id", id);
			cJSON_AddStringToObject(ev, "campaign_id", col_text(st, 4));
			cJSON_AddStringToObject(ev, "effective_status", "DISAPPROVED");
			rc = rule_raise(c, "crisis.policy_violation", "high", "meta/policy", ev, key, e,
				"Meta ad disapproved: %s", col_text(st, 2));
		}
	}
	rc = rows_done(c, st, step, rc, "policy rule", e);
	return rc ? rc : episodes_end(c, "policy", e);
}

/* Keywords about harm to a customer point at a recall, not just a bad review. */
static int harm_keyword(const char *kw)
{
	static const char *const harm[] = { "recall", "injur", "allerg", "burn", "rash",
		"unsafe", "hazard", "chok", "poison", "sick", "hospital", "toxic", NULL };
	for (const char *const *h = harm; *h; h++)
		if (strncmp(kw, *h, strlen(*h)) == 0)
			return 1;
	return 0;
}

/* True when kw (lower case) starts a word in text, case-insensitively. */
static int has_word_prefix(const char *text, const char *kw)
{
	size_t k = strlen(kw);
	if (!k)
		return 0;
	for (const char *p = text; *p; p++) {
		if (p != text && isalnum((unsigned char)p[-1]))
			continue;
		if (strncasecmp(p, kw, k) == 0)
			return 1;
	}
	return 0;
}

#define MAX_KEYWORDS 32

static int json_array_has(const cJSON *arr, const char *s)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return 1;
	return 0;
}

struct keyword_group {
	const char *kind, *cond;
	int count;
	cJSON *items, *hits;
};

/* crisis.recall / crisis.negative_review from keywords. */
static int rule_keywords(rule_ctx *c, okdf_err *e)
{
	char list[sizeof c->cfg->keywords];
	snprintf(list, sizeof list, "%s", c->cfg->keywords);
	char *kws[MAX_KEYWORDS];
	int nkw = 0;
	for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok && nkw < MAX_KEYWORDS;
		tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		for (char *p = tok; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (*tok)
			kws[nkw++] = tok;
	}
	int rc = episodes_begin(c, "keywords", e);
	if (rc || !nkw)
		return rc ? rc : episodes_end(c, "keywords", e);

	struct keyword_group groups[2] = {
		{ "crisis.recall", "recall", 0, cJSON_CreateArray(), cJSON_CreateArray() },
		{ "crisis.negative_review", "negative", 0, cJSON_CreateArray(), cJSON_CreateArray() },
	};
	sqlite3_stmt *st;
	rc = db_prepare(c->db,
		"SELECT 'conversation', id, coalesce(title, '') || ' ' || coalesce(last_message, '')"
		" FROM conversations WHERE updated_at > ?1 - 86400 AND updated_at <= ?1"
		" UNION ALL SELECT 'refund', id, note FROM refunds"
		" WHERE note IS NOT NULL AND created_at > ?1 - 86400 AND created_at <= ?1", &st, e);
	int step = SQLITE_DONE;
	if (!rc) {
		sqlite3_bind_int64(st, 1, c->now);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *text = col_text(st, 2);
			for (int g = 0; g < 2; g++) {
				int matched = 0;
				for (int k = 0; k < nkw; k++) {
					if (harm_keyword(kws[k]) != (g == 0) || !has_word_prefix(text, kws[k]))
						continue;
					matched = 1;
					if (!json_array_has(groups[g].hits, kws[k]))
						cJSON_AddItemToArray(groups[g].hits, cJSON_CreateString(kws[k]));
				}
				if (!matched)
					continue;
				groups[g].count++;
				if (cJSON_GetArraySize(groups[g].items) < 20) {
					cJSON *item = cJSON_CreateObject();
					cJSON_AddStringToObject(item, "type", col_text(st, 0));
					cJSON_AddStringToObject(item, "id", col_text(st, 1));
					cJSON_AddItemToArray(groups[g].items, item);
				}
			}
		}
		rc = rows_done(c, st, step, rc, "keyword rule", e);
	}
	for (int g = 0; g < 2; g++) {
		if (!rc && groups[g].count >= c->cfg->keyword_min_count) {
			long long started;
			int is_new;
			rc = episode_hold(c, "keywords", groups[g].cond, &started, &is_new, e);
			if (!rc) {
				char key[128];
				snprintf(key, sizeof key, "%s:keywords:%lld", groups[g].kind, started);
				cJSON *ev = cJSON_CreateObject();
				cJSON_AddNumberToObject(ev, "matches_24h", groups[g].count);
				cJSON_AddNumberToObject(ev, "threshold", c->cfg->keyword_min_count);
				cJSON_AddItemToObject(ev, "keywords", groups[g].hits);
				cJSON_AddItemToObject(ev, "items", groups[g].items);
				add_time(ev, "since", started);
				groups[g].hits = groups[g].items = NULL;
				rc = rule_raise(c, groups[g].kind, "critical", "rules/keywords", ev, key, e,
					"%d customer message%s or refund note%s in 24 h mention %s", groups[g].count,
					groups[g].count == 1 ? "" : "s", groups[g].count == 1 ? "" : "s",
					g == 0 ? "harm or a recall" : "complaint keywords");
			}
		}
		cJSON_Delete(groups[g].hits);
		cJSON_Delete(groups[g].items);
	}
	return rc ? rc : episodes_end(c, "keywords", e);
}

static int count_refunds(rule_ctx *c, long long from, long long to, int *n, okdf_err *e)
{
	long long count = 0;
	int rc = query_range(c,
		"SELECT count(*) FROM refunds WHERE created_at > ? AND created_at <= ?", from, to,
		&count, 1, "counting refunds", e);
	if (!rc)
		*n = (int)count;
	return rc;
}

/* crisis.recall "possible product defect": refunds concentrated on one product. */
static int rule_defect(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "defect", e);
	if (rc)
		return rc;
	int total = 0;
	rc = count_refunds(c, c->now - DAY, c->now, &total, e);
	if (rc || total < c->cfg->refund_spike_min)
		return rc ? rc : episodes_end(c, "defect", e);
	sqlite3_stmt *st;
	rc = db_prepare(c->db,
		"SELECT li.product_id, coalesce(p.title, li.product_id), count(DISTINCT r.id),"
		" json_group_array(DISTINCT r.id)"
		" FROM refunds r JOIN refund_line_items li ON li.refund_id = r.id"
		" LEFT JOIN products p ON p.id = li.product_id"
		" WHERE r.created_at > ?1 - 86400 AND r.created_at <= ?1 AND li.product_id IS NOT NULL"
		" GROUP BY li.product_id HAVING 2 * count(DISTINCT r.id) >= ?2", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, c->now);
	sqlite3_bind_int(st, 2, total);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *pid = col_text(st, 0);
		char cond[160], key[256];
		snprintf(cond, sizeof cond, "product:%s", pid);
		long long started;
		int is_new;
		rc = episode_hold(c, "defect", cond, &started, &is_new, e);
		if (rc)
			break;
		snprintf(key, sizeof key, "crisis.recall:defect:%s:%lld", pid, started);
		int n = sqlite3_column_int(st, 2);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "product_id", pid);
		cJSON_AddNumberToObject(ev, "product_refunds_24h", n);
		cJSON_AddNumberToObject(ev, "refunds_24h", total);
		cJSON_AddItemToObject(ev, "refund_ids", cJSON_Parse(col_text(st, 3)));
		add_time(ev, "since", started);
		rc = rule_raise(c, "crisis.recall", "critical", "shopify/defect", ev, key, e,
			"Possible product defect: %d of %d refunds in 24 h are for %s", n, total,
			col_text(st, 1));
	}
	rc = rows_done(c, st, step, rc, "defect rule", e);
	return rc ? rc : episodes_end(c, "defect", e);
}

/* anomaly.refund_spike: the 24 h up to where Shopify's data is complete. */
static int rule_refund_spike(rule_ctx *c, okdf_err *e)
{
	long long until;
	int rc = complete_until(c, "shopify", &until, e);
	if (rc || until == 0)
		return rc; /* not judged: episodes and escalations stay as they are */
	rc = episodes_begin(c, "refund_spike", e);
	if (rc)
		return rc;
	/* Bucket 0: the last 24 h; 1..28: the 24-h windows before it. */
	int counts[29] = { 0 };
	sqlite3_stmt *st;
	rc = db_prepare(c->db,
		"SELECT (?1 - created_at) / 86400 AS b, count(*) FROM refunds"
		" WHERE created_at > ?1 - 29 * 86400 AND created_at <= ?1 GROUP BY b", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, until);
	int step = SQLITE_DONE;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long b = sqlite3_column_int64(st, 0);
		if (b >= 0 && b < 29)
			counts[b] = sqlite3_column_int(st, 1);
	}
	rc = rows_done(c, st, step, rc, "refund spike rule", e);
	if (rc)
		return rc;
	double mean = 0, var = 0;
	for (int i = 1; i < 29; i++)
		mean += counts[i];
	mean /= 28;
	for (int i = 1; i < 29; i++)
		var += (counts[i] - mean) * (counts[i] - mean);
	double sigma = sqrt(var / 28);
	double threshold = mean + 2 * sigma;
	if (counts[0] > threshold && counts[0] >= c->cfg->refund_spike_min) {
		long long started;
		int is_new;
		rc = episode_hold(c, "refund_spike", "refunds_24h", &started, &is_new, e);
		if (rc)
			return rc;
		char key[96];
		snprintf(key, sizeof key, "anomaly.refund_spike:refunds_24h:%lld", started);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddNumberToObject(ev, "refunds_24h", counts[0]);
		cJSON_AddNumberToObject(ev, "baseline_mean", round(mean * 100) / 100);
		cJSON_AddNumberToObject(ev, "baseline_sigma", round(sigma * 100) / 100);
		cJSON_AddNumberToObject(ev, "threshold", round(threshold * 100) / 100);
		cJSON_AddNumberToObject(ev, "delta", round((counts[0] - mean) * 100) / 100);
		cJSON_AddNumberToObject(ev, "baseline_days", 28);
		add_time(ev, "since", started);
		rc = rule_raise(c, "anomaly.refund_spike", "high", "shopify/refund_spike", ev, key, e,
			"Refund spike: %d refunds in 24 h (28-day mean %.1f)", counts[0], mean);
		if (rc)
			return rc;
	}
	return anomalies_end(c, "refund_spike",
		"refunds in 24 h are back within the 28-day baseline", e);
}

static int order_revenue(rule_ctx *c, long long from, long long to, long long *minor, int *n,
	okdf_err *e)
{
	store_sales *sales;
	long long count = 0, refunds;
	*minor = 0;
	int rc = store_sales_open(c->db, &sales, e);
	if (!rc)
		rc = store_sales_range(sales, from, to, minor, &count, &refunds, e);
	store_sales_close(sales);
	*n = (int)count;
	return rc;
}

#define REVENUE_CLEARED "revenue is back above half of the same weekday's average, " \
	"or the day is over"

/* anomaly.revenue_drop: today so far, cut where Shopify's data is complete. */
static int rule_revenue_drop(rule_ctx *c, okdf_err *e)
{
	long long until;
	int rc = complete_until(c, "shopify", &until, e);
	if (rc || until == 0)
		return rc;
	rc = episodes_begin(c, "revenue_drop", e);
	if (rc)
		return rc;
	char tz[128] = "";
	char currency[8] = "";
	rc = query_pair(c, "SELECT iana_timezone, currency FROM shop WHERE id = 1", tz, sizeof tz,
		currency, sizeof currency, "revenue drop rule", e);
	if (rc)
		return rc;
	/* No shop synced yet, or a zone this system lacks: nothing to compare. */
	if (!tz[0] || !tz_valid(tz))
		return anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e);

	okdf_date today;
	long long start;
	if (tz_date_of(tz, c->now, &today, e) || tz_day_start(tz, today, &start, e))
		return anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e);
	/* Today's orders arrive last in a pass: judge today only as far as a
	 * finished pass has brought it, and not at all before one has. */
	if (until <= start)
		return OKDF_OK;
	long long elapsed = until - start;
	long long today_minor;
	int today_orders;
	rc = order_revenue(c, start, until, &today_minor, &today_orders, e);
	if (rc)
		return rc;
	long long base_minor = 0;
	int base_orders = 0;
	cJSON *weeks = cJSON_CreateArray();
	for (int k = 1; k <= 4 && !rc; k++) {
		okdf_date d = date_add_days(today, -7 * k);
		long long s, minor;
		int n;
		if (tz_day_start(tz, d, &s, e)) {
			rc = OKDF_EFAIL;
			break;
		}
		rc = order_revenue(c, s, s + elapsed, &minor, &n, e);
		if (!rc && money_add(&base_minor, minor)) {
			rc = OKDF_EFAIL; /* sums beyond 64 bits: no baseline to judge by */
			break;
		}
		base_orders += n;
		cJSON_AddItemToArray(weeks, cJSON_CreateNumber((double)minor));
	}
	if (rc) {
		cJSON_Delete(weeks);
		return rc == OKDF_EFAIL ? anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e) : rc;
	}
	long long avg_minor = base_minor / 4;
	/* Sums of stored amounts: compared in 128 bits, never wrapped. */
	__extension__ typedef __int128 wide;
	if (base_orders >= 4 * c->cfg->revenue_drop_min_orders && base_orders > 0 &&
		(wide)today_minor * 2 < avg_minor) {
		char day[16], cond[32], key[96];
		date_format(today, day, sizeof day);
		snprintf(cond, sizeof cond, "day:%s", day);
		long long started;
		int is_new;
		rc = episode_hold(c, "revenue_drop", cond, &started, &is_new, e);
		if (rc) {
			cJSON_Delete(weeks);
			return rc;
		}
		snprintf(key, sizeof key, "anomaly.revenue_drop:%s:%lld", cond, started);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "shop_day", day);
		cJSON_AddStringToObject(ev, "timezone", tz);
		cJSON_AddStringToObject(ev, "currency", currency);
		cJSON_AddNumberToObject(ev, "cut_seconds", (double)elapsed);
		cJSON_AddNumberToObject(ev, "today_minor", (double)today_minor);
		cJSON_AddNumberToObject(ev, "today_orders", today_orders);
		cJSON_AddNumberToObject(ev, "baseline_minor", (double)avg_minor);
		cJSON_AddNumberToObject(ev, "baseline_orders", base_orders / 4.0);
		cJSON_AddNumberToObject(ev, "delta_minor", (double)(today_minor - avg_minor));
		cJSON_AddItemToObject(ev, "same_weekday_minor", weeks);
		weeks = NULL;
		int pct = avg_minor ? (int)((wide)today_minor * 100 / avg_minor) : 0;
		rc = rule_raise(c, "anomaly.revenue_drop", "high", "shopify/revenue_drop", ev, key, e,
			"Revenue so far today is %d%% of the same weekday's average", pct);
	}
	cJSON_Delete(weeks);
	return rc ? rc : anomalies_end(c, "revenue_drop", REVENUE_CLEARED, e);
}

/* anomaly.sync_down */
static int rule_sync_down(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "sync_down", e);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	/* A pass in progress (syncing, and committing within the threshold) is
	 * not down, however long ago the last one finished. */
	rc = db_prepare(c->db,
		"SELECT connector, last_success_at, coalesce(interval_seconds, 300), last_error, state"
		" FROM connector_health WHERE state <> 'disabled' AND last_success_at IS NOT NULL"
		" AND ?1 - last_success_at > ?2 * coalesce(interval_seconds, 300)"
		" AND NOT (state = 'syncing' AND ?1 - updated_at <= ?2 * coalesce(interval_seconds, 300))",
		&st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, c->now);
	sqlite3_bind_int(st, 2, c->cfg->sync_down_intervals);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = col_text(st, 0);
		long long last = sqlite3_column_int64(st, 1);
		long long interval = sqlite3_column_int64(st, 2);
		char cond[96], key[160];
		snprintf(cond, sizeof cond, "connector:%s", name);
		long long started;
		int is_new;
		rc = episode_hold(c, "sync_down", cond, &started, &is_new, e);
		if (rc)
			break;
		snprintf(key, sizeof key, "anomaly.sync_down:%s:%lld", cond, started);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "connector", name);
		cJSON_AddStringToObject(ev, "state", col_text(st, 4));
		add_time(ev, "last_success_at", last);
		cJSON_AddNumberToObject(ev, "interval_seconds", (double)interval);
		cJSON_AddNumberToObject(ev, "intervals_missed",
			(double)((c->now - last) / (interval > 0 ? interval : 1)));
		cJSON_AddNumberToObject(ev, "threshold_intervals", c->cfg->sync_down_intervals);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			cJSON_AddStringToObject(ev, "last_error", col_text(st, 3));
		long long quiet = c->now - last;
		rc = rule_raise(c, "anomaly.sync_down", "high", "rules/sync_down", ev, key, e,
			"%s has not synced for %lld %s", name, quiet < 120 ? quiet : quiet / 60,
			quiet < 120 ? "seconds" : "minutes");
	}
	rc = rows_done(c, st, step, rc, "sync down rule", e);
	return rc ? rc : anomalies_end(c, "sync_down", "the connector synced again", e);
}

/* budget.scale: a raise above budget_raise_pct vs the previous budget. */
static int rule_budget_raise(rule_ctx *c, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT h.campaign_id, h.observed_at, h.daily_budget_minor,"
		" (SELECT p.daily_budget_minor FROM campaign_budget_history p"
		"  WHERE p.campaign_id = h.campaign_id AND p.observed_at < h.observed_at"
		"  ORDER BY p.observed_at DESC LIMIT 1),"
		" coalesce(c.name, h.campaign_id), coalesce(c.currency, '')"
		" FROM campaign_budget_history h LEFT JOIN campaigns c ON c.id = h.campaign_id"
		" WHERE h.observed_at = (SELECT max(observed_at) FROM campaign_budget_history m"
		"  WHERE m.campaign_id = h.campaign_id)", &st, e);
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 3) == SQLITE_NULL)
			continue;
		long long now_b = sqlite3_column_int64(st, 2), prev = sqlite3_column_int64(st, 3);
		/* Stored budgets are at most MONEY_MAX_MINOR; the products still need 128 bits. */
		__extension__ typedef __int128 wide;
		if (prev <= 0 || (wide)now_b * 100 <= (wide)prev * (100 + c->cfg->budget_raise_pct))
			continue;
		long long raise = (long long)(((wide)now_b - prev) * 100 / prev);
		const char *cid = col_text(st, 0);
		long long observed = sqlite3_column_int64(st, 1);
		char key[256];
		snprintf(key, sizeof key, "budget.scale:raise:%s:%lld", cid, observed);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "campaign_id", cid);
		cJSON_AddStringToObject(ev, "currency", col_text(st, 5));
		cJSON_AddNumberToObject(ev, "previous_minor", (double)prev);
		cJSON_AddNumberToObject(ev, "daily_budget_minor", (double)now_b);
		cJSON_AddNumberToObject(ev, "delta_minor", (double)(now_b - prev));
		cJSON_AddNumberToObject(ev, "raise_pct", (double)raise);
		cJSON_AddNumberToObject(ev, "threshold_pct", c->cfg->budget_raise_pct);
		cJSON_AddNumberToObject(ev, "revert_to_minor", (double)prev);
		add_time(ev, "observed_at", observed);
		rc = rule_raise(c, "budget.scale", "high", "meta/budget", ev, key, e,
			"Daily budget of %s raised %lld%% (%lld -> %lld minor units)", col_text(st, 4),
			raise, prev, now_b);
	}
	return rows_done(c, st, step, rc, "budget raise rule", e);
}

/* The approved cap: the operator's setting wins over config; 0 = none. */
static int budget_cap(rule_ctx *c, long long *cap, const char **source, okdf_err *e)
{
	*cap = c->cfg->budget_cap_minor;
	*source = "config";
	sqlite3_stmt *st;
	int rc = db_prepare(c->db, "SELECT value FROM settings WHERE key = 'budget_cap_minor'",
		&st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		char *end;
		errno = 0;
		long long v = strtoll(col_text(st, 0), &end, 10);
		if (*end == '\0' && !errno && v > 0) {
			*cap = v;
			*source = "settings";
		}
	} else if (step != SQLITE_DONE) {
		rc = db_error(c->db, e, "reading settings");
	}
	sqlite3_finalize(st);
	return rc;
}

/* budget.scale: a daily budget above the approved cap. */
static int rule_budget_cap(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "budget_cap", e);
	if (rc)
		return rc;
	long long cap;
	const char *source;
	rc = budget_cap(c, &cap, &source, e);
	if (rc || cap <= 0)
		return rc ? rc : episodes_end(c, "budget_cap", e);
	sqlite3_stmt *st;
	rc = db_prepare(c->db,
		"SELECT c.id, coalesce(c.name, c.id), c.daily_budget_minor, coalesce(c.currency, ''),"
		" (SELECT h.daily_budget_minor FROM campaign_budget_history h"
		"  WHERE h.campaign_id = c.id AND h.daily_budget_minor <= ?1"
		"  ORDER BY h.observed_at DESC LIMIT 1)"
		" FROM campaigns c WHERE c.daily_budget_minor > ?1"
		" AND coalesce(c.status, '') NOT IN ('DELETED', 'ARCHIVED')", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, cap);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cid = col_text(st, 0);
		long long budget = sqlite3_column_int64(st, 2);
		long long revert = sqlite3_column_type(st, 4) == SQLITE_NULL ? cap
			: sqlite3_column_int64(st, 4);
		char cond[160], key[256];
		snprintf(cond, sizeof cond, "campaign:%s", cid);
		long long started;
		int is_new;
		rc = episode_hold(c, "budget_cap", cond, &started, &is_new, e);
		if (rc)
			break;
		snprintf(key, sizeof key, "budget.scale:cap:%s:%lld", cid, started);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "campaign_id", cid);
		cJSON_AddStringToObject(ev, "currency", col_text(st, 3));
		cJSON_AddNumberToObject(ev, "daily_budget_minor", (double)budget);
		cJSON_AddNumberToObject(ev, "cap_minor", (double)cap);
		cJSON_AddStringToObject(ev, "cap_source", source);
		cJSON_AddNumberToObject(ev, "delta_minor", (double)(budget - cap));
		cJSON_AddNumberToObject(ev, "revert_to_minor", (double)revert);
		add_time(ev, "since", started);
		rc = rule_raise(c, "budget.scale", "high", "meta/budget", ev, key, e,
			"Daily budget of %s is above the approved cap (%lld > %lld minor units)",
			col_text(st, 1), budget, cap);
	}
	rc = rows_done(c, st, step, rc, "budget cap rule", e);
	return rc ? rc : episodes_end(c, "budget_cap", e);
}

/* budget.scale: a day's spend far above the 7 days before it. */
static int rule_spend_spike(rule_ctx *c, okdf_err *e)
{
	okdf_date recent = date_from_days((c->now - 2 * DAY) / DAY);
	char since[16];
	date_format(recent, since, sizeof since);
	sqlite3_stmt *st;
	int rc = db_prepare(c->db,
		"SELECT i.campaign_id, i.day, i.spend_minor, i.currency, coalesce(c.name, i.campaign_id)"
		" FROM ad_insights_daily i LEFT JOIN campaigns c ON c.id = i.campaign_id"
		" WHERE i.day >= ? AND i.day = (SELECT max(day) FROM ad_insights_daily m"
		"  WHERE m.campaign_id = i.campaign_id)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, since);
	sqlite3_stmt *sum;
	rc = db_prepare(c->db,
		"SELECT coalesce(sum(spend_minor), 0) FROM ad_insights_daily"
		" WHERE campaign_id = ? AND day >= ? AND day < ?", &sum, e);
	if (rc) {
		sqlite3_finalize(st);
		return rc;
	}
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cid = col_text(st, 0), *day = col_text(st, 1);
		long long spend = sqlite3_column_int64(st, 2);
		okdf_date d;
		if (time_parse_date(day, &d, NULL))
			continue;
		char from[16];
		date_format(date_add_days(d, -7), from, sizeof from);
		sqlite3_reset(sum);
		db_bind_text(sum, 1, cid);
		db_bind_text(sum, 2, from);
		db_bind_text(sum, 3, day);
		if (sqlite3_step(sum) != SQLITE_ROW) {
			rc = db_error(c->db, e, "spend spike rule");
			break;
		}
		long long trailing = sqlite3_column_int64(sum, 0);
		/* spend > pct% of trailing / 7, in integers. */
		__extension__ typedef __int128 wide;
		if (trailing <= 0 || (wide)spend * 100 * 7 <= (wide)c->cfg->spend_spike_pct * trailing)
			continue;
		char key[256];
		snprintf(key, sizeof key, "budget.scale:spend:%s:%s", cid, day);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "campaign_id", cid);
		cJSON_AddStringToObject(ev, "day", day);
		cJSON_AddStringToObject(ev, "currency", col_text(st, 3));
		cJSON_AddNumberToObject(ev, "spend_minor", (double)spend);
		cJSON_AddNumberToObject(ev, "baseline_minor", (double)(trailing / 7));
		cJSON_AddNumberToObject(ev, "delta_minor", (double)(spend - trailing / 7));
		cJSON_AddNumberToObject(ev, "threshold_pct", c->cfg->spend_spike_pct);
		rc = rule_raise(c, "budget.scale", "high", "meta/spend", ev, key, e,
			"Spend of %s on %s is %lld%% of its 7-day average", col_text(st, 4), day,
			(long long)((wide)spend * 100 * 7 / trailing));
	}
	rc = rows_done(c, st, step, rc, "spend spike rule", e);
	sqlite3_finalize(sum);
	return rc;
}

/* budget.new_product */
static int rule_new_product(rule_ctx *c, okdf_err *e)
{
	char baseline[32];
	int rc = state_get(c, "new_product.baseline", baseline, sizeof baseline, e);
	if (!rc)
		rc = episodes_begin(c, "new_product", e);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = db_prepare(c->db,
		"SELECT id, title, updated_at FROM products"
		" WHERE lower(status) = 'active'", &st, e);
	if (rc)
		return rc;
	int step = SQLITE_DONE, any = 0;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		any = 1;
		const char *pid = col_text(st, 0);
		char cond[160], key[256];
		snprintf(cond, sizeof cond, "product:%s", pid);
		long long started;
		int is_new;
		rc = episode_hold(c, "new_product", cond, &started, &is_new, e);
		long long updated = sqlite3_column_int64(st, 2);
		/* A change older than a week is an old product seen late, not a launch. */
		if (rc || !is_new || !baseline[0] || updated < c->now - 7 * DAY)
			continue;
		snprintf(key, sizeof key, "budget.new_product:%s:%lld", pid, started);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "product_id", pid);
		cJSON_AddStringToObject(ev, "status", "active");
		add_time(ev, "updated_at", updated);
		rc = rule_raise(c, "budget.new_product", "normal", "shopify/products", ev, key, e,
			"New product active: %s", col_text(st, 1));
	}
	rc = rows_done(c, st, step, rc, "new product rule", e);
	if (!rc && any && !baseline[0]) {
		char v[32];
		snprintf(v, sizeof v, "%lld", c->now);
		rc = state_set(c, "new_product.baseline", v, e);
	}
	return rc ? rc : episodes_end(c, "new_product", e);
}

/* budget.new_market */
static int rule_new_market(rule_ctx *c, okdf_err *e)
{
	store_new_market *m;
	int n;
	int rc = store_new_markets(c->db, c->now, &m, &n, e);
	for (int i = 0; i < n && !rc; i++) {
		char key[96];
		snprintf(key, sizeof key, "budget.new_market:%s", m[i].country);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "country", m[i].country);
		cJSON_AddStringToObject(ev, "first_order_id", m[i].first_order_id);
		add_time(ev, "first_order_at", m[i].first_at);
		cJSON_AddNumberToObject(ev, "orders", (double)m[i].orders);
		rc = rule_raise(c, "budget.new_market", "normal", "shopify/orders", ev, key, e,
			"First order shipping to a new country: %s", m[i].country);
	}
	free(m);
	return rc;
}

/* brand.positioning */
static int rule_brand(rule_ctx *c, okdf_err *e)
{
	char seen[80], sha[80] = "", path[512] = "";
	int rc = state_get(c, "brand.sha256", seen, sizeof seen, e);
	if (rc)
		return rc;
	rc = query_pair(c, "SELECT sha256, path FROM brand_brief WHERE id = 1", sha, sizeof sha,
		path, sizeof path, "brand rule", e);
	if (rc)
		return rc;
	if (!sha[0] || strcmp(sha, seen) == 0)
		return OKDF_OK;
	if (seen[0]) {
		char key[256];
		snprintf(key, sizeof key, "brand.positioning:%s:%s:%lld", seen, sha, c->now);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "path", path);
		cJSON_AddStringToObject(ev, "previous_sha256", seen);
		cJSON_AddStringToObject(ev, "sha256", sha);
		rc = rule_raise(c, "brand.positioning", "high", "rules/brand", ev, key, e,
			"The brand brief changed: positioning needs review");
	}
	return rc ? rc : state_set(c, "brand.sha256", sha, e);
}

/* agent.approval */
static int rule_agent_approval(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "agent_approval", e);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = db_prepare(c->db,
		"SELECT c.id, coalesce(c.agent_id, ''), c.state, coalesce(c.title, c.id),"
		" coalesce(a.name, '') FROM conversations c LEFT JOIN agents a ON a.id = c.agent_id"
		" WHERE c.state IN ('pending-approval', 'escalated')", &st, e);
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cid = col_text(st, 0), *state = col_text(st, 2);
		char cond[160], key[256];
		snprintf(cond, sizeof cond, "conversation:%s", cid);
		long long started;
		int is_new;
		rc = episode_hold(c, "agent_approval", cond, &started, &is_new, e);
		if (rc)
			break;
		snprintf(key, sizeof key, "agent.approval:%s:%lld", cid, started);
		int escalated = strcmp(state, "escalated") == 0;
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "conversation_id", cid);
		cJSON_AddStringToObject(ev, "agent_id", col_text(st, 1));
		cJSON_AddStringToObject(ev, "agent_name", col_text(st, 4));
		cJSON_AddStringToObject(ev, "state", state);
		add_time(ev, "since", started);
		rc = rule_raise(c, "agent.approval", escalated ? "high" : "normal", "relevance/tasks", ev,
			key, e, "%s: %s", escalated ? "Agent escalated" : "Agent awaits approval",
			col_text(st, 3));
	}
	rc = rows_done(c, st, step, rc, "agent approval rule", e);
	return rc ? rc : episodes_end(c, "agent_approval", e);
}

typedef int (*rule_fn)(rule_ctx *c, okdf_err *e);

/* category: the operator may switch off crisis, budget and brand rules with
 * `okdf set rules.enabled.CATEGORY 0`; anomaly and agent rules always run. */
static const struct {
	rule_fn fn;
	const char *category;
} rules[] = {
	{ rule_policy, "crisis" }, { rule_keywords, "crisis" }, { rule_defect, "crisis" },
	{ rule_refund_spike, NULL }, { rule_revenue_drop, NULL }, { rule_sync_down, NULL },
	{ rule_budget_raise, "budget" }, { rule_budget_cap, "budget" },
	{ rule_spend_spike, "budget" }, { rule_new_product, "budget" },
	{ rule_new_market, "budget" }, { rule_brand, "brand" }, { rule_agent_approval, NULL },
};

static int category_enabled(rule_ctx *c, const char *category, int *enabled, okdf_err *e)
{
	*enabled = 1;
	if (!category)
		return OKDF_OK;
	char key[48], value[32];
	snprintf(key, sizeof key, "rules.enabled.%s", category);
	int rc = query_value(c, "SELECT value FROM settings WHERE key = ?", key, value, sizeof value,
		"rule settings", e);
	/* No row reads as "": like any value but "0", the category stays on. */
	if (!rc)
		*enabled = strcmp(value, "0") != 0;
	return rc;
}

int rules_evaluate(sqlite3 *db, const okdf_rules_config *cfg, long long now, int *raised,
	okdf_err *e)
{
	*raised = 0;
	rule_ctx c = { db, cfg, now, rule_merge_create() };
	if (!c.merge)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	int rc = db_begin(db, e);
	if (rc) {
		rule_merge_destroy(c.merge);
		return rc;
	}
	for (size_t i = 0; i < sizeof rules / sizeof rules[0] && !rc; i++) {
		int enabled;
		rc = category_enabled(&c, rules[i].category, &enabled, e);
		if (!rc && enabled)
			rc = rules[i].fn(&c, e);
	}
	if (!rc)
		rc = rule_merge_flush(c.merge, db, now, raised, e);
	rule_merge_destroy(c.merge);
	/* Phase 10's check reads this to know the rules are running. */
	char when[32];
	snprintf(when, sizeof when, "%lld", now);
	if (!rc)
		rc = state_set(&c, "evaluated_at", when, e);
	if (!rc)
		rc = db_commit(db, e);
	if (rc) {
		db_rollback(db);
		*raised = 0;
		return rc;
	}
	return OKDF_OK;
}

#include "okdf/store/checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

/* Steps st (bound by the caller) and reads the first row's columns into
 * out[0..n) (0 for NULL, all 0 when no row); finalizes st. */
static int read_ints(okdf_db *db, sqlite3_stmt *st, long long *out, int n, okdf_err *e)
{
	int rc = OKDF_OK;
	for (int i = 0; i < n; i++)
		out[i] = 0;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		for (int i = 0; i < n; i++)
			out[i] = sqlite3_column_int64(st, i);
	else if (step != SQLITE_DONE)
		rc = db_error(db, e, "evaluating check");
	sqlite3_finalize(st);
	return rc;
}

/* A statement without parameters whose first row holds n integers. */
static int query_ints(okdf_db *db, const char *sql, long long *out, int n, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	return rc ? rc : read_ints(db, st, out, n, e);
}

/* The same with ?1 bound to v. */
static int query_ints_at(okdf_db *db, const char *sql, long long v, long long *out, int n,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, v);
	return read_ints(db, st, out, n, e);
}

int connector_health_get(okdf_db *db, const char *connector, connector_health_row *out,
	int *found, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	*found = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT connector, state, last_success_at, interval_seconds, last_error"
		" FROM connector_health WHERE connector = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		db_col_copy(out->connector, sizeof out->connector, st, 0);
		db_col_copy(out->state, sizeof out->state, st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			out->synced = 1;
			out->last_success_at = sqlite3_column_int64(st, 2);
		}
		out->interval_seconds = sqlite3_column_int64(st, 3);
		db_col_copy(out->last_error, sizeof out->last_error, st, 4);
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading connector health");
	}
	sqlite3_finalize(st);
	return rc;
}

static void read_enabled(sqlite3_stmt *st, void *item)
{
	connector_health_row *r = item;
	memset(r, 0, sizeof *r);
	db_col_copy(r->connector, sizeof r->connector, st, 0);
	db_col_copy(r->state, sizeof r->state, st, 1);
	if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
		r->synced = 1;
		r->last_success_at = sqlite3_column_int64(st, 2);
	}
	r->interval_seconds = sqlite3_column_int64(st, 3);
}

int connector_health_list_enabled(okdf_db *db, connector_health_row **rows, int *n,
	okdf_err *e)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT connector, state, last_success_at, interval_seconds FROM connector_health"
		" WHERE state <> 'disabled' ORDER BY connector", &st, e);
	if (rc)
		return rc;
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **rows, 8, read_enabled, NULL, e,
		"reading connector health");
	*rows = items;
	return rc;
}

int connector_health_count_synced(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM connector_health"
		" WHERE last_success_at IS NOT NULL", n, 1, e);
}

int sync_state_exists(okdf_db *db, const char *connector, const char *resource, int *exists,
	okdf_err *e)
{
	*exists = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT EXISTS (SELECT 1 FROM sync_state WHERE connector = ?1"
		" AND resource = ?2)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, resource);
	long long v = 0;
	rc = read_ints(db, st, &v, 1, e);
	*exists = v != 0;
	return rc;
}

int sync_state_cursor_read(okdf_db *db, const char *connector, const char *resource,
	char **cursor, int *found, okdf_err *e)
{
	*cursor = NULL;
	*found = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT cursor FROM sync_state WHERE connector = ?1"
		" AND resource = ?2", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, resource);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		*cursor = db_col_dup(st, 0);
		if (!*cursor && sqlite3_column_type(st, 0) != SQLITE_NULL)
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading a sync cursor");
	}
	sqlite3_finalize(st);
	return rc;
}

int products_count(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM products", n, 1, e);
}

int products_count_active(okdf_db *db, long long *active, long long *priced,
	long long *undescribed, okdf_err *e)
{
	long long v[3] = { 0 };
	int rc = query_ints(db, "SELECT count(*), coalesce(sum(min_price_minor > 0), 0),"
		" coalesce(sum(has_description = 0), 0) FROM products"
		" WHERE upper(status) = 'ACTIVE'", v, 3, e);
	*active = v[0];
	*priced = v[1];
	*undescribed = v[2];
	return rc;
}

int activity_intervals_count(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM activity_intervals", n, 1, e);
}

int manual_hours_count(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM manual_hours", n, 1, e);
}

int email_flows_count(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM email_flows", n, 1, e);
}

int email_flows_count_live(okdf_db *db, const char *metric_a, const char *metric_b,
	long long *n, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT count(*) FROM email_flows f JOIN email_metrics m ON m.id = f.trigger_metric_id"
		" WHERE lower(f.status) = 'live' AND (m.name = ?1 OR m.name = ?2)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, metric_a);
	db_bind_text(st, 2, metric_b);
	return read_ints(db, st, n, 1, e);
}

int email_flow_stats_7d(okdf_db *db, long long *rows, long long *recipients, okdf_err *e)
{
	long long v[2] = { 0 };
	int rc = query_ints(db, "SELECT count(*), coalesce(sum(recipients), 0)"
		" FROM email_flow_stats WHERE timeframe = 'last_7_days'", v, 2, e);
	*rows = v[0];
	*recipients = v[1];
	return rc;
}

int agents_count(okdf_db *db, const char *kind, long long *n, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT count(*) FROM agents WHERE ?1 IS NULL OR kind = ?1", &st,
		e);
	if (rc)
		return rc;
	db_bind_text(st, 1, kind);
	return read_ints(db, st, n, 1, e);
}

int agents_last_run(okdf_db *db, const char *kind, long long *at, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT coalesce(max(last_run_at), 0) FROM agents WHERE kind = ?1",
		&st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, kind);
	return read_ints(db, st, at, 1, e);
}

int conversations_any(okdf_db *db, long long *any, okdf_err *e)
{
	return query_ints(db, "SELECT EXISTS (SELECT 1 FROM conversations)", any, 1, e);
}

int conversations_count_cs_since(okdf_db *db, long long since, long long *n, okdf_err *e)
{
	return query_ints_at(db, "SELECT count(*) FROM conversations"
		" WHERE created_at >= ?1 AND agent_id IN (SELECT id FROM agents WHERE kind = 'cs')",
		since, n, 1, e);
}

int conversations_count_waiting(okdf_db *db, long long before, long long *n, okdf_err *e)
{
	return query_ints_at(db, "SELECT count(*) FROM conversations"
		" WHERE state IN ('pending-approval', 'escalated') AND updated_at < ?1", before, n, 1,
		e);
}

int ads_count(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM ads", n, 1, e);
}

int ads_count_creatives(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(DISTINCT creative_id) FROM ads"
		" WHERE creative_id IS NOT NULL AND creative_id <> ''", n, 1, e);
}

int ads_count_disapproved(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM ads WHERE effective_status = 'DISAPPROVED'",
		n, 1, e);
}

int ad_accounts_first_inactive(okdf_db *db, char *name, size_t name_n, int *status,
	int *found, okdf_err *e)
{
	name[0] = '\0';
	*status = 0;
	*found = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT coalesce(name, id, '?'), account_status FROM ad_accounts"
		" ORDER BY account_status = 1, id", &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		db_col_copy(name, name_n, st, 0);
		*status = sqlite3_column_int(st, 1);
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading ad accounts");
	}
	sqlite3_finalize(st);
	return rc;
}

int campaigns_count(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM campaigns", n, 1, e);
}

int campaigns_count_active(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM campaigns"
		" WHERE coalesce(effective_status, status) = 'ACTIVE'", n, 1, e);
}

int campaigns_budget_over(okdf_db *db, long long cap, long long *over, long long *highest,
	okdf_err *e)
{
	long long v[2] = { 0 };
	int rc = query_ints_at(db,
		"SELECT coalesce(sum(daily_budget_minor > ?1), 0), coalesce(max(daily_budget_minor), 0)"
		" FROM campaigns"
		" WHERE upper(coalesce(effective_status, status, '')) NOT IN ('DELETED', 'ARCHIVED')",
		cap, v, 2, e);
	*over = v[0];
	*highest = v[1];
	return rc;
}

int ad_insights_daily_summary(okdf_db *db, long long *days, long long *last_synced,
	long long *purchases, okdf_err *e)
{
	long long v[3] = { 0 };
	int rc = query_ints(db, "SELECT count(DISTINCT day), coalesce(max(synced_at), 0),"
		" coalesce(sum(purchases), 0) FROM ad_insights_daily", v, 3, e);
	*days = v[0];
	*last_synced = v[1];
	*purchases = v[2];
	return rc;
}

int reviews_latest(okdf_db *db, long long *at, char *who, size_t who_n, int *found,
	okdf_err *e)
{
	*at = 0;
	who[0] = '\0';
	*found = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT reviewed_at, coalesce(operator, '?') FROM reviews"
		" ORDER BY reviewed_at DESC, id DESC LIMIT 1", &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		*at = sqlite3_column_int64(st, 0);
		db_col_copy(who, who_n, st, 1);
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading reviews");
	}
	sqlite3_finalize(st);
	return rc;
}

int rule_state_count_runs(okdf_db *db, long long *n, okdf_err *e)
{
	return query_ints(db, "SELECT count(*) FROM rule_state WHERE key = 'evaluated_at'", n, 1,
		e);
}

static void read_answer(sqlite3_stmt *st, void *item)
{
	escalation_answer *r = item;
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	const unsigned char *sev = sqlite3_column_text(st, 1);
	snprintf(r->severity, sizeof r->severity, "%s", sev ? (const char *)sev : "?");
	r->created_at = sqlite3_column_int64(st, 2);
	r->answered_at = sqlite3_column_int64(st, 3);
}

int escalation_answers_since(okdf_db *db, long long since, escalation_answer **rows, int *n,
	okdf_err *e)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT id, severity, created_at, coalesce(acknowledged_at, resolved_at)"
		" FROM escalations WHERE created_at >= ? ORDER BY created_at", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, since);
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **rows, 16, read_answer, NULL, e,
		"reading escalations");
	*rows = items;
	return rc;
}

int escalations_count_stale_critical(okdf_db *db, long long before, long long *n,
	okdf_err *e)
{
	return query_ints_at(db, "SELECT count(*) FROM escalations WHERE severity = 'critical'"
		" AND acknowledged_at IS NULL AND resolved_at IS NULL"
		" AND state NOT IN ('acknowledged', 'resolved') AND created_at < ?1", before, n, 1, e);
}

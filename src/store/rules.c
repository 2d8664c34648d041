/* The rules engine's statements: rule episodes and state, and each rule's
 * read over the synced tables, prepared and bound; core/rules.c decides. */
#include "okdf/store/rules.h"

#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

static const char *col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? (const char *)s : "";
}

/* Ends a loop over st's rows: a step that stopped short of the end is an
 * error (unless one is already in rc), and st is finalized. */
static int rows_done(okdf_db *db, sqlite3_stmt *st, int step, int rc, const char *context,
	okdf_err *e)
{
	if (!rc && step != SQLITE_DONE)
		rc = db_error(db, e, context);
	sqlite3_finalize(st);
	return rc;
}

/* Runs a write with ?1 = a, ?2 = b (when b) and ?3 = now (when now >= 0). */
static int rule_write(okdf_db *db, const char *sql, const char *a, const char *b,
	long long now, const char *context, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, a);
	if (b)
		db_bind_text(st, 2, b);
	if (now >= 0)
		sqlite3_bind_int64(st, 3, now);
	return db_step_done(db, st, e, context);
}

int rule_episodes_unsee(okdf_db *db, const char *rule, okdf_err *e)
{
	return rule_write(db, "UPDATE rule_episodes SET seen = 0 WHERE rule = ?", rule, NULL, -1,
		"rule episodes", e);
}

int rule_episodes_hold(okdf_db *db, const char *rule, const char *cond, long long now,
	long long *started, int *is_new, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
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
		return db_error(db, e, "rule episodes");
	if (!*is_new)
		return OKDF_OK;
	*started = now;
	return rule_write(db,
		"INSERT INTO rule_episodes(rule, condition, started_at, seen) VALUES (?, ?, ?, 1)",
		rule, cond, now, "rule episodes", e);
}

int rule_episodes_forget(okdf_db *db, const char *rule, okdf_err *e)
{
	return rule_write(db, "DELETE FROM rule_episodes WHERE rule = ? AND seen = 0", rule, NULL,
		-1, "rule episodes", e);
}

int rule_episodes_unseen_each(okdf_db *db, const char *rule,
	int (*fn)(void *ctx, const char *cond, long long started), void *ctx, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT condition, started_at FROM rule_episodes WHERE rule = ? AND seen = 0", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, rule);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, col_text(st, 0), sqlite3_column_int64(st, 1));
	return rows_done(db, st, step, rc, "rule episodes", e);
}

int rule_state_get(okdf_db *db, const char *key, char *value, size_t n, okdf_err *e)
{
	value[0] = '\0';
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT value FROM rule_state WHERE key = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, key);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		db_col_copy(value, n, st, 0);
	else if (step != SQLITE_DONE)
		rc = db_error(db, e, "rule state");
	sqlite3_finalize(st);
	return rc;
}

int rule_state_set(okdf_db *db, const char *key, const char *value, long long now, okdf_err *e)
{
	return rule_write(db,
		"INSERT INTO rule_state(key, value, updated_at) VALUES (?, ?, ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
		" updated_at = excluded.updated_at", key, value, now, "rule state", e);
}

int connector_health_success_get(okdf_db *db, const char *connector, int *found,
	long long *last_success, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT coalesce(last_success_at, 0) FROM connector_health WHERE connector = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	int step = sqlite3_step(st);
	*found = step == SQLITE_ROW;
	*last_success = *found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? OKDF_OK
		: db_error(db, e, "reading connector health");
}

int policy_violations_each(okdf_db *db, int (*fn)(void *ctx, const policy_row *r), void *ctx,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT 'account', id, coalesce(name, id), account_status, NULL FROM ad_accounts"
		" WHERE account_status <> 1"
		" UNION ALL SELECT 'ad', id, coalesce(name, id), NULL, campaign_id FROM ads"
		" WHERE effective_status = 'DISAPPROVED'", &st, e);
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		policy_row r = {
			.account = strcmp(col_text(st, 0), "account") == 0,
			.id = col_text(st, 1), .name = col_text(st, 2),
			.account_status = sqlite3_column_int(st, 3), .campaign_id = col_text(st, 4),
		};
		rc = fn(ctx, &r);
	}
	return rows_done(db, st, step, rc, "policy rule", e);
}

int customer_texts_each(okdf_db *db, long long now,
	int (*fn)(void *ctx, const char *kind, const char *id, const char *text), void *ctx,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT 'conversation', id, coalesce(title, '') || ' ' || coalesce(last_message, '')"
		" FROM conversations WHERE updated_at > ?1 - 86400 AND updated_at <= ?1"
		" UNION ALL SELECT 'refund', id, note FROM refunds"
		" WHERE note IS NOT NULL AND created_at > ?1 - 86400 AND created_at <= ?1", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, col_text(st, 0), col_text(st, 1), col_text(st, 2));
	return rows_done(db, st, step, rc, "keyword rule", e);
}

int refunds_count(okdf_db *db, long long from, long long to, int *n, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT count(*) FROM refunds WHERE created_at > ? AND created_at <= ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (int)sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, e, "counting refunds");
	sqlite3_finalize(st);
	return rc;
}

int refunds_daily_counts(okdf_db *db, long long to, int *counts, int n_buckets, okdf_err *e)
{
	memset(counts, 0, (size_t)n_buckets * sizeof *counts);
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT (?1 - created_at) / 86400 AS b, count(*) FROM refunds"
		" WHERE created_at > ?1 - ?2 * 86400 AND created_at <= ?1 GROUP BY b", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int(st, 2, n_buckets);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long b = sqlite3_column_int64(st, 0);
		if (b >= 0 && b < n_buckets)
			counts[b] = sqlite3_column_int(st, 1);
	}
	return rows_done(db, st, step, OKDF_OK, "refund spike rule", e);
}

int refund_products_each(okdf_db *db, long long now, int total,
	int (*fn)(void *ctx, const refund_product_row *r), void *ctx, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT li.product_id, coalesce(p.title, li.product_id), count(DISTINCT r.id),"
		" json_group_array(DISTINCT r.id)"
		" FROM refunds r JOIN refund_line_items li ON li.refund_id = r.id"
		" LEFT JOIN products p ON p.id = li.product_id"
		" WHERE r.created_at > ?1 - 86400 AND r.created_at <= ?1 AND li.product_id IS NOT NULL"
		" GROUP BY li.product_id HAVING 2 * count(DISTINCT r.id) >= ?2", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, total);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		refund_product_row r = {
			.product_id = col_text(st, 0), .title = col_text(st, 1),
			.refunds = sqlite3_column_int(st, 2), .refund_ids_json = col_text(st, 3),
		};
		rc = fn(ctx, &r);
	}
	return rows_done(db, st, step, rc, "defect rule", e);
}

int connector_health_down_each(okdf_db *db, long long now, int intervals,
	int (*fn)(void *ctx, const sync_down_row *r), void *ctx, okdf_err *e)
{
	sqlite3_stmt *st;
	/* A pass in progress (syncing, and committing within the threshold) is
	 * not down, however long ago the last one finished. */
	int rc = db_prepare(db,
		"SELECT connector, last_success_at, coalesce(interval_seconds, 300), last_error, state"
		" FROM connector_health WHERE state <> 'disabled' AND last_success_at IS NOT NULL"
		" AND ?1 - last_success_at > ?2 * coalesce(interval_seconds, 300)"
		" AND NOT (state = 'syncing' AND ?1 - updated_at <= ?2 * coalesce(interval_seconds, 300))",
		&st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, intervals);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		sync_down_row r = {
			.connector = col_text(st, 0), .state = col_text(st, 4),
			.last_success_at = sqlite3_column_int64(st, 1),
			.interval_seconds = sqlite3_column_int64(st, 2),
			.last_error = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : col_text(st, 3),
		};
		rc = fn(ctx, &r);
	}
	return rows_done(db, st, step, rc, "sync down rule", e);
}

int campaign_budgets_latest_each(okdf_db *db,
	int (*fn)(void *ctx, const budget_change_row *r), void *ctx, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
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
		budget_change_row r = {
			.campaign_id = col_text(st, 0), .name = col_text(st, 4),
			.currency = col_text(st, 5), .observed_at = sqlite3_column_int64(st, 1),
			.daily_budget_minor = sqlite3_column_int64(st, 2),
			.has_previous = sqlite3_column_type(st, 3) != SQLITE_NULL,
			.previous_minor = sqlite3_column_int64(st, 3),
		};
		rc = fn(ctx, &r);
	}
	return rows_done(db, st, step, rc, "budget raise rule", e);
}

int campaigns_over_cap_each(okdf_db *db, long long cap,
	int (*fn)(void *ctx, const budget_over_row *r), void *ctx, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
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
		budget_over_row r = {
			.campaign_id = col_text(st, 0), .name = col_text(st, 1),
			.currency = col_text(st, 3), .daily_budget_minor = sqlite3_column_int64(st, 2),
			.has_revert = sqlite3_column_type(st, 4) != SQLITE_NULL,
			.revert_minor = sqlite3_column_int64(st, 4),
		};
		rc = fn(ctx, &r);
	}
	return rows_done(db, st, step, rc, "budget cap rule", e);
}

int ad_insights_latest_each(okdf_db *db, const char *since,
	int (*fn)(void *ctx, const spend_day_row *r), void *ctx, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT i.campaign_id, i.day, i.spend_minor, i.currency, coalesce(c.name, i.campaign_id)"
		" FROM ad_insights_daily i LEFT JOIN campaigns c ON c.id = i.campaign_id"
		" WHERE i.day >= ? AND i.day = (SELECT max(day) FROM ad_insights_daily m"
		"  WHERE m.campaign_id = i.campaign_id)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, since);
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		spend_day_row r = {
			.campaign_id = col_text(st, 0), .day = col_text(st, 1),
			.currency = col_text(st, 3), .name = col_text(st, 4),
			.spend_minor = sqlite3_column_int64(st, 2),
		};
		rc = fn(ctx, &r);
	}
	return rows_done(db, st, step, rc, "spend spike rule", e);
}

int ad_insights_spend_sum(okdf_db *db, const char *campaign_id, const char *from,
	const char *to, long long *sum, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT coalesce(sum(spend_minor), 0) FROM ad_insights_daily"
		" WHERE campaign_id = ? AND day >= ? AND day < ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, campaign_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	if (sqlite3_step(st) == SQLITE_ROW)
		*sum = sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, e, "spend spike rule");
	sqlite3_finalize(st);
	return rc;
}

int products_active_each(okdf_db *db,
	int (*fn)(void *ctx, const char *id, const char *title, long long updated_at), void *ctx,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT id, title, updated_at FROM products WHERE lower(status) = 'active'", &st, e);
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, col_text(st, 0), col_text(st, 1), sqlite3_column_int64(st, 2));
	return rows_done(db, st, step, rc, "new product rule", e);
}

int brand_brief_get(okdf_db *db, char *sha256, size_t sn, char *path, size_t pn, okdf_err *e)
{
	sha256[0] = path[0] = '\0';
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT sha256, path FROM brand_brief WHERE id = 1", &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		db_col_copy(sha256, sn, st, 0);
		db_col_copy(path, pn, st, 1);
	}
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? OKDF_OK : db_error(db, e, "brand rule");
}

int conversations_awaiting_each(okdf_db *db, int (*fn)(void *ctx, const approval_row *r),
	void *ctx, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT c.id, coalesce(c.agent_id, ''), c.state, coalesce(c.title, c.id),"
		" coalesce(a.name, '') FROM conversations c LEFT JOIN agents a ON a.id = c.agent_id"
		" WHERE c.state IN ('pending-approval', 'escalated')", &st, e);
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		approval_row r = {
			.conversation_id = col_text(st, 0), .agent_id = col_text(st, 1),
			.state = col_text(st, 2), .title = col_text(st, 3), .agent_name = col_text(st, 4),
		};
		rc = fn(ctx, &r);
	}
	return rows_done(db, st, step, rc, "agent approval rule", e);
}

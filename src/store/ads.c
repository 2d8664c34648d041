#include "okdf/store/ads.h"

#include "okdf/store/db.h"
#include "db_private.h"

int ad_account_upsert(okdf_db *db, const store_ad_account *a, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO ad_accounts (id, name, account_status, currency, timezone_name,"
		" synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET"
		" name = excluded.name, account_status = excluded.account_status,"
		" currency = excluded.currency, timezone_name = excluded.timezone_name,"
		" synced_at = excluded.synced_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, a->id);
	db_bind_text(st, 2, a->name);
	sqlite3_bind_int64(st, 3, a->account_status);
	db_bind_text(st, 4, a->currency);
	db_bind_text(st, 5, a->timezone_name);
	sqlite3_bind_int64(st, 6, a->synced_at);
	return db_step_done(db, st, e, "writing ad account");
}

int campaign_upsert(okdf_db *db, const store_campaign *c, long long observed_at,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO campaigns (id, account_id, name, status, effective_status,"
		" daily_budget_minor, currency, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id,"
		" name = excluded.name, status = excluded.status,"
		" effective_status = excluded.effective_status,"
		" daily_budget_minor = excluded.daily_budget_minor, currency = excluded.currency,"
		" updated_at = excluded.updated_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, c->id);
	db_bind_text(st, 2, c->account_id);
	db_bind_text(st, 3, c->name);
	db_bind_text(st, 4, c->status);
	db_bind_text(st, 5, c->effective_status);
	db_bind_opt_int64(st, 6, c->daily_budget_minor, !c->has_daily_budget);
	db_bind_text(st, 7, c->currency);
	sqlite3_bind_int64(st, 8, c->updated_at);
	rc = db_step_done(db, st, e, "writing campaign");
	if (rc || !c->has_daily_budget)
		return rc;
	/* Append only when the budget moved since the last observation. */
	rc = db_prepare(db,
		"INSERT INTO campaign_budget_history (campaign_id, observed_at, daily_budget_minor)"
		" SELECT ?1, ?2, ?3 WHERE ?3 IS NOT (SELECT daily_budget_minor"
		"  FROM campaign_budget_history WHERE campaign_id = ?1"
		"  ORDER BY observed_at DESC LIMIT 1)"
		" ON CONFLICT (campaign_id, observed_at) DO UPDATE"
		" SET daily_budget_minor = excluded.daily_budget_minor", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, c->id);
	sqlite3_bind_int64(st, 2, observed_at);
	sqlite3_bind_int64(st, 3, c->daily_budget_minor);
	return db_step_done(db, st, e, "writing budget history");
}

int ad_upsert(okdf_db *db, const store_ad *a, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO ads (id, campaign_id, adset_id, name, status, effective_status,"
		" creative_id, updated_at, review_feedback) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT (id) DO UPDATE SET campaign_id = excluded.campaign_id,"
		" adset_id = excluded.adset_id, name = excluded.name, status = excluded.status,"
		" effective_status = excluded.effective_status,"
		" creative_id = excluded.creative_id, updated_at = excluded.updated_at,"
		" review_feedback = excluded.review_feedback", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, a->id);
	db_bind_text(st, 2, a->campaign_id);
	db_bind_text(st, 3, a->adset_id);
	db_bind_text(st, 4, a->name);
	db_bind_text(st, 5, a->status);
	db_bind_text(st, 6, a->effective_status);
	db_bind_text(st, 7, a->creative_id);
	sqlite3_bind_int64(st, 8, a->updated_at);
	db_bind_text(st, 9, a->review_feedback);
	return db_step_done(db, st, e, "writing ad");
}

int ad_insights_clear(okdf_db *db, const char *since, const char *until, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "DELETE FROM ad_insights_daily WHERE day BETWEEN ?1 AND ?2", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, since);
	db_bind_text(st, 2, until);
	return db_step_done(db, st, e, "replacing insights");
}

int ad_insight_upsert(okdf_db *db, const store_ad_insight *i, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO ad_insights_daily (campaign_id, day, spend_minor, purchases,"
		" purchase_value_minor, currency, synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (campaign_id, day) DO UPDATE SET spend_minor = excluded.spend_minor,"
		" purchases = excluded.purchases,"
		" purchase_value_minor = excluded.purchase_value_minor,"
		" currency = excluded.currency, synced_at = excluded.synced_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, i->campaign_id);
	db_bind_text(st, 2, i->day);
	sqlite3_bind_int64(st, 3, i->spend_minor);
	sqlite3_bind_int64(st, 4, i->purchases);
	sqlite3_bind_int64(st, 5, i->purchase_value_minor);
	db_bind_text(st, 6, i->currency);
	sqlite3_bind_int64(st, 7, i->synced_at);
	return db_step_done(db, st, e, "writing insight");
}

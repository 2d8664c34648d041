#include "okdf/store/email.h"

#include "okdf/store/db.h"
#include "db_private.h"

int email_metric_upsert(okdf_db *db, const char *id, const char *name,
	const char *integration, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO email_metrics (id, name, integration) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
		" integration = excluded.integration", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, integration);
	return db_step_done(db, st, e, "writing email metric");
}

int email_flow_upsert(okdf_db *db, const store_email_flow *f, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO email_flows (id, name, status, trigger_type, trigger_metric_id,"
		" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status,"
		" trigger_type = excluded.trigger_type,"
		" trigger_metric_id = excluded.trigger_metric_id,"
		" created_at = excluded.created_at, updated_at = excluded.updated_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, f->id);
	db_bind_text(st, 2, f->name);
	db_bind_text(st, 3, f->status);
	db_bind_text(st, 4, f->trigger_type);
	db_bind_text(st, 5, f->trigger_metric_id);
	db_bind_opt_int64(st, 6, f->created_at, !f->has_created_at);
	sqlite3_bind_int64(st, 7, f->updated_at);
	return db_step_done(db, st, e, "writing email flow");
}

/* Flow and campaign statistics share their columns; only the table and the
 * id column differ. */
static int stats_upsert(okdf_db *db, const char *sql, const char *id, const char *timeframe,
	long long recipients, long long conversions, long long value_minor, const char *currency,
	long long fetched_at, okdf_err *e, const char *context)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, timeframe);
	sqlite3_bind_int64(st, 3, recipients);
	sqlite3_bind_int64(st, 4, conversions);
	sqlite3_bind_int64(st, 5, value_minor);
	db_bind_text(st, 6, currency);
	sqlite3_bind_int64(st, 7, fetched_at);
	return db_step_done(db, st, e, context);
}

static int stats_clear(okdf_db *db, const char *sql, const char *timeframe, okdf_err *e,
	const char *context)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, timeframe);
	return db_step_done(db, st, e, context);
}

int email_flow_stats_upsert(okdf_db *db, const store_email_flow_stats *s, okdf_err *e)
{
	return stats_upsert(db,
		"INSERT INTO email_flow_stats (flow_id, timeframe, recipients, conversions,"
		" conversion_value_minor, currency, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (flow_id, timeframe) DO UPDATE SET recipients = excluded.recipients,"
		" conversions = excluded.conversions,"
		" conversion_value_minor = excluded.conversion_value_minor,"
		" currency = excluded.currency, fetched_at = excluded.fetched_at",
		s->flow_id, s->timeframe, s->recipients, s->conversions, s->conversion_value_minor,
		s->currency, s->fetched_at, e, "writing flow statistics");
}

int email_flow_stats_clear(okdf_db *db, const char *timeframe, okdf_err *e)
{
	return stats_clear(db, "DELETE FROM email_flow_stats WHERE timeframe = ?1", timeframe, e,
		"clearing flow statistics");
}

int email_campaign_stats_upsert(okdf_db *db, const store_email_campaign_stats *s,
	okdf_err *e)
{
	return stats_upsert(db,
		"INSERT INTO email_campaign_stats (campaign_id, timeframe, recipients, conversions,"
		" conversion_value_minor, currency, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (campaign_id, timeframe) DO UPDATE SET recipients = excluded.recipients,"
		" conversions = excluded.conversions,"
		" conversion_value_minor = excluded.conversion_value_minor,"
		" currency = excluded.currency, fetched_at = excluded.fetched_at",
		s->campaign_id, s->timeframe, s->recipients, s->conversions, s->conversion_value_minor,
		s->currency, s->fetched_at, e, "writing campaign statistics");
}

int email_campaign_stats_clear(okdf_db *db, const char *timeframe, okdf_err *e)
{
	return stats_clear(db, "DELETE FROM email_campaign_stats WHERE timeframe = ?1", timeframe,
		e, "clearing campaign statistics");
}

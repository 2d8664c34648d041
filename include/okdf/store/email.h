/* Klaviyo tables: metrics, flows and per-flow report statistics. */
#ifndef OKDF_STORE_EMAIL_H
#define OKDF_STORE_EMAIL_H

#include "okdf/err.h"
#include "okdf/store/db.h"

int email_metric_upsert(okdf_db *db, const char *id, const char *name,
	const char *integration, okdf_err *e);

typedef struct store_email_flow {
	const char *id, *name, *status, *trigger_type, *trigger_metric_id;
	long long created_at, updated_at;
	int has_created_at;
} store_email_flow;

int email_flow_upsert(okdf_db *db, const store_email_flow *f, okdf_err *e);

typedef struct store_email_flow_stats {
	const char *flow_id, *timeframe;
	long long recipients, conversions, conversion_value_minor;
	const char *currency;
	long long fetched_at;
} store_email_flow_stats;

int email_flow_stats_upsert(okdf_db *db, const store_email_flow_stats *s, okdf_err *e);

/* Drops every stats row of timeframe, so a report replaces the last one. */
int email_flow_stats_clear(okdf_db *db, const char *timeframe, okdf_err *e);

typedef struct store_email_campaign_stats {
	const char *campaign_id, *timeframe;
	long long recipients, conversions, conversion_value_minor;
	const char *currency;
	long long fetched_at;
} store_email_campaign_stats;

int email_campaign_stats_upsert(okdf_db *db, const store_email_campaign_stats *s,
	okdf_err *e);

/* Drops every campaign stats row of timeframe. */
int email_campaign_stats_clear(okdf_db *db, const char *timeframe, okdf_err *e);

#endif

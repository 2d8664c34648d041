/* Meta tables: ad accounts, campaigns with their budget history, ads, daily
 * campaign insights. */
#ifndef OKDF_STORE_ADS_H
#define OKDF_STORE_ADS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct store_ad_account {
	const char *id, *name, *currency, *timezone_name;
	long long account_status;
	long long synced_at;
} store_ad_account;

int ad_account_upsert(okdf_db *db, const store_ad_account *a, okdf_err *e);

typedef struct store_campaign {
	const char *id, *account_id, *name, *status, *effective_status, *currency;
	long long daily_budget_minor;
	int has_daily_budget;
	long long updated_at;
} store_campaign;

/* Upserts c and, when its daily budget differs from the last one recorded,
 * appends (id, observed_at, budget) to campaign_budget_history. */
int campaign_upsert(okdf_db *db, const store_campaign *c, long long observed_at,
	okdf_err *e);

typedef struct store_ad {
	const char *id, *campaign_id, *adset_id, *name, *status, *effective_status, *creative_id;
	const char *review_feedback; /* "reason: text" lines, bounded; NULL when none */
	long long updated_at;
} store_ad;

int ad_upsert(okdf_db *db, const store_ad *a, okdf_err *e);

typedef struct store_ad_insight {
	const char *campaign_id, *day, *currency;
	long long spend_minor, purchases, purchase_value_minor;
	long long synced_at;
} store_ad_insight;

/* Deletes the insight rows of days [since, until] (YYYY-MM-DD): Meta omits
 * zero days, so a re-fetched window replaces what was stored for it. */
int ad_insights_clear(okdf_db *db, const char *since, const char *until, okdf_err *e);
int ad_insight_upsert(okdf_db *db, const store_ad_insight *i, okdf_err *e);

#endif

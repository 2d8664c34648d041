/* What the rules engine reads and remembers: rule episodes and state, and
 * one named query per rule over the synced tables. Row callbacks get text
 * that lives until they return ("" for NULL); a nonzero return stops the
 * scan and is returned. */
#ifndef OKDF_STORE_RULES_H
#define OKDF_STORE_RULES_H

#include "okdf/err.h"
#include "okdf/store/db.h"

/* Episodes: unsee marks every condition of rule unseen, hold marks one seen
 * (starting it at now when new), forget drops those left unseen. */
int rule_episodes_unsee(okdf_db *db, const char *rule, okdf_err *e);
int rule_episodes_hold(okdf_db *db, const char *rule, const char *cond, long long now,
	long long *started, int *is_new, okdf_err *e);
int rule_episodes_forget(okdf_db *db, const char *rule, okdf_err *e);
/* Each unseen episode of rule, before forget. */
int rule_episodes_unseen_each(okdf_db *db, const char *rule,
	int (*fn)(void *ctx, const char *cond, long long started), void *ctx, okdf_err *e);

/* rule_state: small remembered values; *value "" when unset. */
int rule_state_get(okdf_db *db, const char *key, char *value, size_t n, okdf_err *e);
int rule_state_set(okdf_db *db, const char *key, const char *value, long long now, okdf_err *e);

/* A connector's last_success_at (0 when never); *found = 0 without a health row. */
int connector_health_success_get(okdf_db *db, const char *connector, int *found,
	long long *last_success, okdf_err *e);

typedef struct policy_row {
	int account;             /* an ad account not active, else a disapproved ad */
	const char *id, *name;   /* name falls back to id */
	int account_status;
	const char *campaign_id; /* of the ad */
} policy_row;

/* Ad accounts with account_status <> 1, then DISAPPROVED ads. */
int policy_violations_each(okdf_db *db, int (*fn)(void *ctx, const policy_row *r), void *ctx,
	okdf_err *e);

/* Conversation texts (title and last message) updated, and refund notes
 * created, in (now - 24 h, now]: kind "conversation" or "refund". */
int customer_texts_each(okdf_db *db, long long now,
	int (*fn)(void *ctx, const char *kind, const char *id, const char *text), void *ctx,
	okdf_err *e);

/* Refunds created in (from, to]. */
int refunds_count(okdf_db *db, long long from, long long to, int *n, okdf_err *e);

/* Refunds created in (from, to] by 24-h bucket back from to: counts[b] for
 * b in [0, n_buckets). */
int refunds_daily_counts(okdf_db *db, long long to, int *counts, int n_buckets, okdf_err *e);

typedef struct refund_product_row {
	const char *product_id, *title; /* title falls back to the id */
	int refunds;                    /* distinct refunds */
	const char *refund_ids_json;    /* JSON array of their ids */
} refund_product_row;

/* Products on at least half of the total refunds of (now - 24 h, now]. */
int refund_products_each(okdf_db *db, long long now, int total,
	int (*fn)(void *ctx, const refund_product_row *r), void *ctx, okdf_err *e);

typedef struct sync_down_row {
	const char *connector, *state;
	long long last_success_at, interval_seconds;
	const char *last_error; /* NULL when none */
} sync_down_row;

/* Connectors (not disabled, synced once) quiet for over intervals of their
 * interval at now, and not mid-pass within that threshold. */
int connector_health_down_each(okdf_db *db, long long now, int intervals,
	int (*fn)(void *ctx, const sync_down_row *r), void *ctx, okdf_err *e);

typedef struct budget_change_row {
	const char *campaign_id, *name, *currency;
	long long observed_at, daily_budget_minor;
	int has_previous;
	long long previous_minor;
} budget_change_row;

/* Each campaign's latest budget observation and the one before it. */
int campaign_budgets_latest_each(okdf_db *db,
	int (*fn)(void *ctx, const budget_change_row *r), void *ctx, okdf_err *e);

typedef struct budget_over_row {
	const char *campaign_id, *name, *currency;
	long long daily_budget_minor;
	int has_revert;
	long long revert_minor; /* the latest observed budget within the cap */
} budget_over_row;

/* Campaigns (not deleted or archived) with a daily budget above cap. */
int campaigns_over_cap_each(okdf_db *db, long long cap,
	int (*fn)(void *ctx, const budget_over_row *r), void *ctx, okdf_err *e);

typedef struct spend_day_row {
	const char *campaign_id, *day, *currency, *name;
	long long spend_minor;
} spend_day_row;

/* Each campaign's latest insights day, when on or after since (YYYY-MM-DD). */
int ad_insights_latest_each(okdf_db *db, const char *since,
	int (*fn)(void *ctx, const spend_day_row *r), void *ctx, okdf_err *e);

/* A campaign's spend on the days [from, to). */
int ad_insights_spend_sum(okdf_db *db, const char *campaign_id, const char *from,
	const char *to, long long *sum, okdf_err *e);

/* Products whose status is active. */
int products_active_each(okdf_db *db,
	int (*fn)(void *ctx, const char *id, const char *title, long long updated_at), void *ctx,
	okdf_err *e);

/* The recorded brand brief; both "" when none. */
int brand_brief_get(okdf_db *db, char *sha256, size_t sn, char *path, size_t pn, okdf_err *e);

typedef struct approval_row {
	const char *conversation_id, *agent_id, *state, *title, *agent_name;
} approval_row;

/* Conversations pending approval or escalated, with their agent's name. */
int conversations_awaiting_each(okdf_db *db, int (*fn)(void *ctx, const approval_row *r),
	void *ctx, okdf_err *e);

#endif

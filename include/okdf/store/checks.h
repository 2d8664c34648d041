/* The facts the phase checks judge, read from the synced tables: counts,
 * connector health, the latest row of a few tables. Plain SQL; the verdicts
 * and their why-lines live in core/checks. */
#ifndef OKDF_STORE_CHECKS_H
#define OKDF_STORE_CHECKS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct connector_health_row {
	char connector[32];
	char state[32];
	int synced;                /* last_success_at is set */
	long long last_success_at;
	long long interval_seconds; /* 0 when not recorded */
	char last_error[96];
} connector_health_row;

/* The connector's health row; *found 0 (and *out zeroed) when it has none. */
int connector_health_get(okdf_db *db, const char *connector, connector_health_row *out,
	int *found, okdf_err *e);
/* Connectors not disabled, by name (last_error left empty). The caller frees *rows. */
int connector_health_list_enabled(okdf_db *db, connector_health_row **rows, int *n,
	okdf_err *e);
/* Connectors that have ever synced. */
int connector_health_count_synced(okdf_db *db, long long *n, okdf_err *e);

/* Whether a cursor row exists for connector and resource. */
int sync_state_exists(okdf_db *db, const char *connector, const char *resource, int *exists,
	okdf_err *e);
/* The cursor text (NULL when the row or its cursor is missing; the caller
 * frees it); *found says whether the row exists. */
int sync_state_cursor_read(okdf_db *db, const char *connector, const char *resource,
	char **cursor, int *found, okdf_err *e);

int products_count(okdf_db *db, long long *n, okdf_err *e);
/* Active products; of them, priced above zero; of them, without a description. */
int products_count_active(okdf_db *db, long long *active, long long *priced,
	long long *undescribed, okdf_err *e);

int activity_intervals_count(okdf_db *db, long long *n, okdf_err *e);
int manual_hours_count(okdf_db *db, long long *n, okdf_err *e);

int email_flows_count(okdf_db *db, long long *n, okdf_err *e);
/* Live flows triggered by the metric named metric_a or metric_b (b may be NULL). */
int email_flows_count_live(okdf_db *db, const char *metric_a, const char *metric_b,
	long long *n, okdf_err *e);
/* Flow statistics rows of the last 7 days and their recipients. */
int email_flow_stats_7d(okdf_db *db, long long *rows, long long *recipients, okdf_err *e);

/* Agents of kind (all when kind is NULL). */
int agents_count(okdf_db *db, const char *kind, long long *n, okdf_err *e);
/* The last run of an agent of kind, 0 when none has run. */
int agents_last_run(okdf_db *db, const char *kind, long long *at, okdf_err *e);

int conversations_any(okdf_db *db, long long *any, okdf_err *e);
/* Customer-service conversations created at or after since. */
int conversations_count_cs_since(okdf_db *db, long long since, long long *n, okdf_err *e);
/* Conversations pending approval or escalated, last updated before before. */
int conversations_count_waiting(okdf_db *db, long long before, long long *n, okdf_err *e);

int ads_count(okdf_db *db, long long *n, okdf_err *e);
int ads_count_creatives(okdf_db *db, long long *n, okdf_err *e);
int ads_count_disapproved(okdf_db *db, long long *n, okdf_err *e);

/* The ad account that decides the check: an inactive one first, else the
 * first by id; *found 0 when none has synced. */
int ad_accounts_first_inactive(okdf_db *db, char *name, size_t name_n, int *status,
	int *found, okdf_err *e);

int campaigns_count(okdf_db *db, long long *n, okdf_err *e);
int campaigns_count_active(okdf_db *db, long long *n, okdf_err *e);
/* Campaigns that can spend (not deleted or archived) with a daily budget
 * over cap, and the highest daily budget among them all (0 when none). */
int campaigns_budget_over(okdf_db *db, long long cap, long long *over, long long *highest,
	okdf_err *e);

/* Days with insights, their latest synced_at and summed purchases (0 when none). */
int ad_insights_daily_summary(okdf_db *db, long long *days, long long *last_synced,
	long long *purchases, okdf_err *e);

/* The latest review's time and operator; *found 0 when none. */
int reviews_latest(okdf_db *db, long long *at, char *who, size_t who_n, int *found,
	okdf_err *e);

/* How many times the escalation rules have recorded a run. */
int rule_state_count_runs(okdf_db *db, long long *n, okdf_err *e);

typedef struct escalation_answer {
	long long id, created_at;
	long long answered_at; /* acknowledged, else resolved; 0 = neither */
	char severity[16];
} escalation_answer;

/* Escalations created at or after since, oldest first. The caller frees *rows. */
int escalation_answers_since(okdf_db *db, long long since, escalation_answer **rows, int *n,
	okdf_err *e);
/* Critical escalations neither acknowledged nor resolved, created before before. */
int escalations_count_stale_critical(okdf_db *db, long long before, long long *n,
	okdf_err *e);

#endif

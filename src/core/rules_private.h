/* What the rule files share and nothing else sees: the context of one
 * evaluation (rule_ctx), the episode and raise helpers of rules.c, and the
 * rules each group file offers the table in rules.c. rules.c runs the table
 * and keeps episodes; rule_crisis.c, rule_anomaly.c, rule_budget.c,
 * rule_brand.c and rule_agent.c hold the rules of one category each. */
#ifndef OKDF_CORE_RULES_PRIVATE_H
#define OKDF_CORE_RULES_PRIVATE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "okdf/core/rule_merge.h"
#include "okdf/core/rules.h"
#include "okdf/store/db.h"

#define DAY 86400LL

typedef struct rule_ctx {
	okdf_db *db;
	const okdf_rules_config *cfg;
	long long now;
	rule_merge *merge; /* one escalation per source event */
} rule_ctx;

/* What a store scan's callback needs: the context and where errors go. */
struct scan {
	rule_ctx *c;
	okdf_err *e;
};

/* Episodes: begin marks every condition of rule unseen, hold marks one
 * seen (starting it when new), end forgets those not seen this time. */
int episodes_begin(rule_ctx *c, const char *rule, okdf_err *e);
int episode_hold(rule_ctx *c, const char *rule, const char *cond, long long *started,
	int *is_new, okdf_err *e);
int episodes_end(rule_ctx *c, const char *rule, okdf_err *e);
/* As episodes_end, for an anomaly rule: the escalation of each episode that
 * ended ("anomaly.RULE:CONDITION:STARTED") is resolved with a note saying
 * what cleared. */
int anomalies_end(rule_ctx *c, const char *rule, const char *cleared, okdf_err *e);

/* How far a connector's data is complete: the end of its last finished pass
 * (at most now). 0 while it has never finished one (a first sync, killed
 * or still running): nothing of it may be judged. A store no sync wrote
 * (no health row) is complete up to now. */
int rule_complete_until(rule_ctx *c, const char *connector, long long *until, okdf_err *e);

/* rule_state: small remembered values. *value "" when unset. */
int rule_memo_get(rule_ctx *c, const char *key, char *value, size_t n, okdf_err *e);
int rule_memo_set(rule_ctx *c, const char *key, const char *value, okdf_err *e);

/* Raises one escalation; takes ownership of evidence. */
int rule_raise(rule_ctx *c, const char *kind, const char *severity, const char *source,
	cJSON *evidence, const char *key, okdf_err *e, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* Adds t to o as an ISO-8601 UTC string. */
void rule_add_time(cJSON *o, const char *name, long long t);

/* The rules, by category (see rules.h for what each raises). */
int rule_policy(rule_ctx *c, okdf_err *e);
int rule_keywords(rule_ctx *c, okdf_err *e);
int rule_defect(rule_ctx *c, okdf_err *e);
int rule_refund_spike(rule_ctx *c, okdf_err *e);
int rule_revenue_drop(rule_ctx *c, okdf_err *e);
int rule_sync_down(rule_ctx *c, okdf_err *e);
int rule_budget_raise(rule_ctx *c, okdf_err *e);
int rule_budget_cap(rule_ctx *c, okdf_err *e);
int rule_spend_spike(rule_ctx *c, okdf_err *e);
int rule_new_product(rule_ctx *c, okdf_err *e);
int rule_new_market(rule_ctx *c, okdf_err *e);
int rule_brand(rule_ctx *c, okdf_err *e);
int rule_agent_approval(rule_ctx *c, okdf_err *e);

#endif

/* The rules engine: the table of rules with their categories, one
 * evaluation in one transaction (rules_evaluate), and what every rule shares:
 * episodes (a condition that holds, remembered with when it started, the
 * start being part of its dedup key), the resolution of anomaly episodes
 * that ended, the remembered values of rule_state, and raising through the
 * merge of one escalation per source event. The rules themselves live in
 * rule_crisis.c, rule_anomaly.c, rule_budget.c, rule_brand.c and
 * rule_agent.c. */
#include "okdf/core/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/core/rule_merge.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/settings.h"
#include "okdf/store/rules.h"
#include "rules_private.h"

int episodes_begin(rule_ctx *c, const char *rule, okdf_err *e)
{
	return rule_episodes_unsee(c->db, rule, e);
}

int episode_hold(rule_ctx *c, const char *rule, const char *cond, long long *started,
	int *is_new, okdf_err *e)
{
	return rule_episodes_hold(c->db, rule, cond, c->now, started, is_new, e);
}

int episodes_end(rule_ctx *c, const char *rule, okdf_err *e)
{
	return rule_episodes_forget(c->db, rule, e);
}

struct ended {
	rule_ctx *c;
	const char *rule, *cleared;
	okdf_err *e;
};

static int resolve_ended(void *ctx, const char *cond, long long started)
{
	struct ended *x = ctx;
	char key[256], note[384];
	snprintf(key, sizeof key, "anomaly.%s:%s:%lld", x->rule, cond, started);
	snprintf(note, sizeof note, "Resolved automatically: %s (%s).", x->cleared, cond);
	int resolved;
	return inbox_resolve_cleared(x->c->db, key, note, x->c->now, &resolved, x->e);
}

int anomalies_end(rule_ctx *c, const char *rule, const char *cleared, okdf_err *e)
{
	struct ended x = { c, rule, cleared, e };
	int rc = rule_episodes_unseen_each(c->db, rule, resolve_ended, &x, e);
	return rc ? rc : episodes_end(c, rule, e);
}

int rule_complete_until(rule_ctx *c, const char *connector, long long *until, okdf_err *e)
{
	int found = 0;
	long long last = 0;
	int rc = connector_health_success_get(c->db, connector, &found, &last, e);
	*until = found && last < c->now ? last : c->now;
	return rc;
}

int rule_memo_get(rule_ctx *c, const char *key, char *value, size_t n, okdf_err *e)
{
	return rule_state_get(c->db, key, value, n, e);
}

int rule_memo_set(rule_ctx *c, const char *key, const char *value, okdf_err *e)
{
	return rule_state_set(c->db, key, value, c->now, e);
}

int rule_raise(rule_ctx *c, const char *kind, const char *severity, const char *source,
	cJSON *evidence, const char *key, okdf_err *e, const char *fmt, ...)
{
	char title[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(title, sizeof title, fmt, ap);
	va_end(ap);
	return rule_merge_add(c->merge, kind, severity, source, title, evidence, key, e);
}

void rule_add_time(cJSON *o, const char *name, long long t)
{
	char buf[32];
	time_format_utc(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, name, buf);
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
	int found;
	int rc = setting_get(c->db, key, value, sizeof value, &found, e);
	/* No row reads as "": like any value but "0", the category stays on. */
	if (!rc)
		*enabled = strcmp(value, "0") != 0;
	return rc;
}

int rules_evaluate(okdf_db *db, const okdf_rules_config *cfg, long long now, int *raised,
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
		rc = rule_memo_set(&c, "evaluated_at", when, e);
	if (!rc)
		rc = db_commit(db, e);
	if (rc) {
		db_rollback(db);
		*raised = 0;
		return rc;
	}
	return OKDF_OK;
}

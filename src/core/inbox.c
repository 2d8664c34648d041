#include "okdf/core/inbox.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/timeutil.h"
#include "okdf/store/audit.h"
#include "okdf/store/db.h"
#include "okdf/store/notify_queue.h"

const char *const inbox_kinds[] = {
	"crisis.negative_review",
	"crisis.recall",
	"crisis.policy_violation",
	"budget.scale",
	"budget.new_market",
	"budget.new_product",
	"brand.positioning",
	"anomaly.refund_spike",
	"anomaly.revenue_drop",
	"anomaly.sync_down",
	"agent.approval",
	NULL,
};

/* Who the rules engine is in events and the audit log. */
static const okdf_operator rules_operator = { "okdf-rules", "" };

int inbox_kind_valid(const char *kind)
{
	for (const char *const *k = inbox_kinds; *k; k++)
		if (strcmp(*k, kind) == 0)
			return 1;
	return 0;
}

/* critical, high, normal. */
static int inbox_severity_valid(const char *severity)
{
	return strcmp(severity, "critical") == 0 || strcmp(severity, "high") == 0 ||
		strcmp(severity, "normal") == 0;
}

long long inbox_sla_seconds(const char *severity)
{
	if (strcmp(severity, "critical") == 0)
		return 3600;
	if (strcmp(severity, "high") == 0)
		return 4 * 3600;
	return 24 * 3600;
}

int inbox_sla_breached(const escalation *x, long long now)
{
	long long answered = x->acknowledged_at ? x->acknowledged_at : now;
	return answered - x->created_at > inbox_sla_seconds(x->severity);
}

const char *inbox_view_state(const escalation *x, long long now)
{
	if (strcmp(x->state, "snoozed") == 0 && x->snoozed_until <= now)
		return "open";
	return x->state;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* One escalation event plus one audit row for the same action. */
static int record(okdf_db *db, const okdf_operator *op, long long id, long long now,
	const char *action, const char *note, okdf_err *e)
{
	int rc = escalation_event_append(db, id, now, op->name, op->client, action, note, e);
	if (rc)
		return rc;
	char audit_action[64], target[32];
	snprintf(audit_action, sizeof audit_action, "inbox.%s", action);
	snprintf(target, sizeof target, "escalation:%lld", id);
	return audit_append(db, op, now, audit_action, target, note, e);
}

int inbox_raise(okdf_db *db, const inbox_new *n, const okdf_operator *by, const char *note,
	long long now, long long *id, int *raised, okdf_err *e)
{
	if (!by)
		by = &rules_operator;
	int rc = escalation_insert(db, n->kind, n->severity, n->source, n->title,
		n->evidence_json, n->dedup_key, now, id, raised, e);
	if (rc || !*raised)
		return rc;
	char what[512];
	snprintf(what, sizeof what, "%s %s: %s", n->severity, n->kind, n->title);
	rc = record(db, by, *id, now, "raise", note ? note : what, e);
	if (rc)
		return rc;
	if (strcmp(n->severity, "critical") == 0 || strcmp(n->severity, "high") == 0) {
		char text[600];
		snprintf(text, sizeof text, "[okdf %s] #%lld %s: %s", n->severity, *id, n->kind,
			n->title);
		rc = notify_queue_add(db, *id, text, now, e);
	}
	return rc;
}

int inbox_rule_joined(okdf_db *db, long long id, const char *kind, const char *severity,
	const char *title, const char *evidence_json, const char *note, long long now, okdf_err *e)
{
	int rc = escalation_set_content(db, id, kind, severity, title, evidence_json, e);
	return rc ? rc : record(db, &rules_operator, id, now, "join", note, e);
}

int inbox_escalate(okdf_db *db, const okdf_operator *op, const char *kind,
	const char *title, const char *severity, const char *note, long long now,
	long long *id, okdf_err *e)
{
	if (!inbox_kind_valid(kind))
		return okdf_err_set(e, OKDF_EINPUT, "unknown kind '%s'", kind);
	if (blank(title))
		return okdf_err_set(e, OKDF_EINPUT, "a title is required");
	if (!severity)
		severity = strncmp(kind, "crisis.", 7) == 0 ? "critical" : "high";
	if (!inbox_severity_valid(severity))
		return okdf_err_set(e, OKDF_EINPUT,
			"unknown severity '%s' (critical, high or normal)", severity);

	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "reported_by", op->name);
	if (note)
		cJSON_AddStringToObject(ev, "note", note);
	char *evidence = cJSON_PrintUnformatted(ev);
	cJSON_Delete(ev);
	if (!evidence)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	/* Each report is its own escalation; the time only folds a double submit. */
	char key[512];
	snprintf(key, sizeof key, "operator:%s:%lld:%s", kind, now, title);

	int rc = db_begin(db, e);
	if (!rc) {
		inbox_new n = { kind, severity, "operator", title, evidence, key };
		int raised;
		rc = inbox_raise(db, &n, op, note, now, id, &raised, e);
		if (!rc)
			rc = db_commit(db, e);
		if (rc)
			db_rollback(db);
	}
	free(evidence);
	return rc;
}

/* Loads id inside a transaction already begun, refusing a resolved one. */
static int load_active(okdf_db *db, long long id, escalation *x, okdf_err *e)
{
	int rc = escalation_get(db, id, x, e);
	if (rc)
		return rc;
	if (strcmp(x->state, "resolved") == 0) {
		rc = okdf_err_set(e, OKDF_EFAIL, "escalation #%lld is already resolved", id);
		escalation_free(x);
	}
	return rc;
}

/* Runs change() on escalation id in one transaction, then writes it back
 * and records action. */
typedef int (*change_fn)(escalation *x, const okdf_operator *op, long long now,
	const void *arg, okdf_err *e);

static int transition(okdf_db *db, const okdf_operator *op, long long id, long long now,
	change_fn change, const void *arg, const char *action, const char *note, okdf_err *e)
{
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	escalation x;
	rc = load_active(db, id, &x, e);
	if (!rc) {
		rc = change(&x, op, now, arg, e);
		if (!rc)
			rc = escalation_update(db, &x, e);
		if (!rc)
			rc = record(db, op, id, now, action, note, e);
		escalation_free(&x);
	}
	if (!rc)
		rc = db_commit(db, e);
	if (rc)
		db_rollback(db);
	return rc;
}

static void take_ownership(escalation *x, const okdf_operator *op, long long now)
{
	if (!x->acknowledged_at)
		x->acknowledged_at = now;
	if (!x->owner[0])
		snprintf(x->owner, sizeof x->owner, "%s", op->name);
}

static int change_ack(escalation *x, const okdf_operator *op, long long now, const void *arg,
	okdf_err *e)
{
	(void)arg;
	if (strcmp(x->state, "acknowledged") == 0)
		return okdf_err_set(e, OKDF_EFAIL, "escalation #%lld is already acknowledged by %s",
			x->id, x->owner[0] ? x->owner : "someone");
	snprintf(x->state, sizeof x->state, "acknowledged");
	x->snoozed_until = 0;
	/* Acknowledging makes you the owner, also of a snoozed one. */
	if (!x->acknowledged_at)
		x->acknowledged_at = now;
	snprintf(x->owner, sizeof x->owner, "%s", op->name);
	return OKDF_OK;
}

int inbox_ack(okdf_db *db, const okdf_operator *op, long long id, long long now, okdf_err *e)
{
	return transition(db, op, id, now, change_ack, NULL, "ack", NULL, e);
}

static int change_snooze(escalation *x, const okdf_operator *op, long long now,
	const void *arg, okdf_err *e)
{
	(void)op;
	long long until = *(const long long *)arg;
	if (until <= now)
		return okdf_err_set(e, OKDF_EINPUT, "a snooze must end in the future");
	snprintf(x->state, sizeof x->state, "snoozed");
	x->snoozed_until = until;
	return OKDF_OK;
}

int inbox_snooze(okdf_db *db, const okdf_operator *op, long long id, long long until,
	long long now, okdf_err *e)
{
	char when[32], note[48];
	time_format_utc(until, when, sizeof when);
	snprintf(note, sizeof note, "until %s", when);
	return transition(db, op, id, now, change_snooze, &until, "snooze", note, e);
}

struct resolve_arg {
	const char *decision, *note;
};

static int change_resolve(escalation *x, const okdf_operator *op, long long now,
	const void *arg, okdf_err *e)
{
	(void)e;
	const struct resolve_arg *r = arg;
	take_ownership(x, op, now);
	snprintf(x->state, sizeof x->state, "resolved");
	snprintf(x->decision, sizeof x->decision, "%s", r->decision);
	x->snoozed_until = 0;
	x->resolved_at = now;
	free(x->decision_note);
	x->decision_note = strdup(r->note);
	return x->decision_note ? OKDF_OK : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
}

int inbox_resolve(okdf_db *db, const okdf_operator *op, long long id, const char *note,
	long long now, okdf_err *e)
{
	if (blank(note))
		return okdf_err_set(e, OKDF_EINPUT, "resolving needs a decision note (--note TEXT)");
	struct resolve_arg r = { "resolved", note };
	return transition(db, op, id, now, change_resolve, &r, "resolve", note, e);
}

const char *const *inbox_decisions(const char *kind)
{
	static const char *const approval[] = { "approve", "reject", NULL };
	static const char *const budget[] = { "keep", "revert", NULL };
	if (strcmp(kind, "agent.approval") == 0)
		return approval;
	if (strcmp(kind, "budget.scale") == 0)
		return budget;
	return NULL;
}

const char *inbox_deciding_kind(const escalation *x)
{
	if (inbox_decisions(x->kind))
		return x->kind;
	cJSON *ev = cJSON_Parse(x->evidence ? x->evidence : "{}");
	const char *kind = NULL;
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(ev, "rules")) {
		const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "kind"));
		/* The table's own string: it outlives the parsed evidence. */
		for (const char *const *t = inbox_kinds; k && !kind && *t; t++)
			if (strcmp(*t, k) == 0 && inbox_decisions(*t))
				kind = *t;
	}
	cJSON_Delete(ev);
	return kind;
}

int inbox_resolve_cleared(okdf_db *db, const char *dedup_key, const char *note, long long now,
	int *resolved, okdf_err *e)
{
	*resolved = 0;
	long long id;
	int rc = escalation_find_by_key(db, dedup_key, &id, e);
	if (rc == OKDF_ENOTFOUND) {
		okdf_err_clear(e);
		return OKDF_OK;
	}
	escalation x;
	if (!rc)
		rc = escalation_get(db, id, &x, e);
	if (rc)
		return rc;
	if (strcmp(x.state, "resolved") != 0) {
		struct resolve_arg r = { "resolved", note };
		rc = change_resolve(&x, &rules_operator, now, &r, e);
		if (!rc)
			rc = escalation_update(db, &x, e);
		if (!rc)
			rc = record(db, &rules_operator, id, now, "resolve", note, e);
		*resolved = !rc;
	}
	escalation_free(&x);
	return rc;
}

int inbox_decision_valid(const char *kind, const char *decision)
{
	const char *const *d = inbox_decisions(kind);
	for (; d && *d; d++)
		if (strcmp(*d, decision) == 0)
			return 1;
	return 0;
}

/* The action a decision queues, built from the escalation's evidence.
 * *payload is NULL for a decision that acts on nothing (keep). */
static int decision_action(const escalation *x, const char *kind, const char *decision,
	const char *note, const char **connector, const char **action, char **payload, okdf_err *e)
{
	*payload = NULL;
	if (strcmp(decision, "keep") == 0)
		return OKDF_OK;
	cJSON *ev = cJSON_Parse(x->evidence ? x->evidence : "{}");
	cJSON *out = cJSON_CreateObject();
	int rc = OKDF_OK;
	if (strcmp(kind, "agent.approval") == 0) {
		const cJSON *agent = cJSON_GetObjectItemCaseSensitive(ev, "agent_id");
		const cJSON *conv = cJSON_GetObjectItemCaseSensitive(ev, "conversation_id");
		if (!cJSON_IsString(agent) || !cJSON_IsString(conv)) {
			rc = okdf_err_set(e, OKDF_EFAIL,
				"escalation #%lld names no agent task to %s", x->id, decision);
		} else {
			*connector = "relevance";
			*action = strcmp(decision, "approve") == 0 ? "agent.approve" : "agent.reject";
			cJSON_AddStringToObject(out, "agent_id", agent->valuestring);
			cJSON_AddStringToObject(out, "conversation_id", conv->valuestring);
			cJSON_AddStringToObject(out, "note", note);
		}
	} else {
		const cJSON *campaign = cJSON_GetObjectItemCaseSensitive(ev, "campaign_id");
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(ev, "revert_to_minor");
		const cJSON *cur = cJSON_GetObjectItemCaseSensitive(ev, "currency");
		if (!cJSON_IsString(campaign) || !cJSON_IsNumber(to) || !cJSON_IsString(cur) ||
			!cur->valuestring[0]) {
			rc = okdf_err_set(e, OKDF_EFAIL,
				"escalation #%lld has no previous budget or currency to revert to", x->id);
		} else {
			*connector = "meta";
			*action = "campaign.set_daily_budget";
			cJSON_AddStringToObject(out, "campaign_id", campaign->valuestring);
			cJSON_AddNumberToObject(out, "daily_budget_minor", to->valuedouble);
			/* Meta's budget unit depends on it: the revert converts back. */
			cJSON_AddStringToObject(out, "currency", cur->valuestring);
		}
	}
	if (!rc) {
		*payload = cJSON_PrintUnformatted(out);
		if (!*payload)
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	cJSON_Delete(out);
	cJSON_Delete(ev);
	return rc;
}

int inbox_decide(okdf_db *db, const okdf_operator *op, long long id, const char *decision,
	const char *note, long long now, okdf_err *e)
{
	if (blank(note))
		return okdf_err_set(e, OKDF_EINPUT, "a decision needs a note (--note TEXT)");
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	escalation x;
	rc = load_active(db, id, &x, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	char *payload = NULL;
	const char *connector = NULL, *action = NULL;
	const char *kind = inbox_deciding_kind(&x);
	if (!kind || !inbox_decision_valid(kind, decision))
		rc = okdf_err_set(e, OKDF_EINPUT, "%s takes no decision '%s'%s", kind ? kind : x.kind,
			decision, !kind ? "; resolve it with a note instead"
			: strcmp(kind, "agent.approval") == 0 ? " (approve or reject)"
			: " (keep or revert)");
	if (!rc)
		rc = decision_action(&x, kind, decision, note, &connector, &action, &payload, e);
	if (!rc) {
		struct resolve_arg r = { decision, note };
		rc = change_resolve(&x, op, now, &r, e);
	}
	if (!rc)
		rc = escalation_update(db, &x, e);
	if (!rc) {
		char what[600];
		snprintf(what, sizeof what, "%s: %s", decision, note);
		rc = record(db, op, id, now, "decide", what, e);
	}
	if (!rc && payload) {
		long long action_id;
		rc = escalation_action_enqueue(db, id, connector, action, payload, op->name,
			op->client, now, &action_id, e);
		if (!rc)
			rc = escalation_event_append(db, id, now, op->name, op->client, "action.queued",
				payload, e);
	}
	if (!rc)
		rc = db_commit(db, e);
	if (rc)
		db_rollback(db);
	free(payload);
	escalation_free(&x);
	return rc;
}

int inbox_action_finished(okdf_db *db, const escalation_action *a, int ok,
	const char *result, long long now, okdf_err *e)
{
	okdf_operator op;
	memset(&op, 0, sizeof op);
	snprintf(op.name, sizeof op.name, "%s", a->operator_name);
	snprintf(op.client, sizeof op.client, "%s", a->client);
	char note[1024];
	snprintf(note, sizeof note, "%s %s: %s", a->connector, a->action,
		result ? result : (ok ? "ok" : "failed"));

	int rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = escalation_action_finish(db, a->id, ok, result, now, e);
	if (!rc)
		rc = record(db, &op, a->escalation_id, now, ok ? "action.done" : "action.failed",
			note, e);
	if (!rc && !ok) {
		escalation x;
		rc = escalation_get(db, a->escalation_id, &x, e);
		if (!rc && strcmp(x.state, "resolved") == 0) {
			/* The decision did not happen: back to the inbox with the error. */
			snprintf(x.state, sizeof x.state, "acknowledged");
			x.resolved_at = 0;
			rc = escalation_update(db, &x, e);
			if (!rc)
				rc = escalation_event_append(db, x.id, now, op.name, op.client, "reopen",
					"the decision's action failed", e);
		}
		escalation_free(&x);
	}
	if (!rc)
		rc = db_commit(db, e);
	if (rc)
		db_rollback(db);
	return rc;
}

int inbox_parse_duration(const char *s, long long *seconds, okdf_err *e)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	long long unit = 0;
	if (end != s && end[0] && !end[1]) {
		switch (end[0]) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: break;
		}
	}
	if (!unit || errno || !isdigit((unsigned char)s[0]) || v <= 0 || v > 90LL * 86400 ||
		v * unit > 90LL * 86400)
		return okdf_err_set(e, OKDF_EINPUT,
			"bad duration '%s' (a number and s, m, h or d, e.g. 30m, 4h, 2d; at most 90d)", s);
	*seconds = v * unit;
	return OKDF_OK;
}

int inbox_latest_critical_id(okdf_db *db, long long *id, okdf_err *e)
{
	return escalation_latest_critical_id(db, id, e);
}

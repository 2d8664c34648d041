/* The escalation inbox: raising with dedup, the lifecycle (open,
 * acknowledged, snoozed until T, resolved with a note), SLA per severity,
 * decisions that queue actions for the connector workers, and the audit of
 * every step (escalation_events and audit_log, with operator and SSH client).
 *
 * Dedup: every escalation carries a dedup key, and inbox_raise inserts only
 * when no escalation in ANY state holds that key. Rules put the condition's
 * episode into the key (core/rules.h), so a condition that persists maps to
 * its one row even after it was resolved, and a condition that cleared and
 * came back gets a new key and a new escalation. */
#ifndef OKDF_CORE_INBOX_H
#define OKDF_CORE_INBOX_H

#include "okdf/core/operator.h"
#include "okdf/err.h"
#include "okdf/store/db.h"
#include "okdf/store/inbox.h"

/* Every known kind, NULL-terminated. */
extern const char *const inbox_kinds[];
int inbox_kind_valid(const char *kind);

/* Seconds from creation to acknowledgement: critical 1 h, high 4 h, normal 24 h. */
long long inbox_sla_seconds(const char *severity);
/* True when acknowledgement came (or, still missing, is) later than the SLA.
 * Resolving or deciding counts as acknowledging. */
int inbox_sla_breached(const escalation *x, long long now);
/* The state an operator sees: a snooze that ended by now reads "open". */
const char *inbox_view_state(const escalation *x, long long now);

/* What a rule or an operator raises. evidence_json is a JSON object. */
typedef struct inbox_new {
	const char *kind, *severity, *source, *title, *evidence_json, *dedup_key;
} inbox_new;

/* Inserts n unless its dedup key exists in any state. Runs inside the
 * caller's transaction. A new critical or high escalation also queues a
 * webhook message. by is who raised it (NULL: the rules engine). *raised is
 * 1 for a new row; *id is the new or the existing one. */
int inbox_raise(okdf_db *db, const inbox_new *n, const okdf_operator *by, const char *note,
	long long now, long long *id, int *raised, okdf_err *e);

/* Another rule matched the source event of unresolved escalation id: its
 * kind, severity, title and evidence become these, with a "join" event
 * saying note. Inside the caller's transaction. */
int inbox_rule_joined(okdf_db *db, long long id, const char *kind, const char *severity,
	const char *title, const char *evidence_json, const char *note, long long now, okdf_err *e);

/* An escalation an operator learned of elsewhere (`okdf escalate`). kind must
 * be known; severity NULL = critical for crisis.*, high otherwise. */
int inbox_escalate(okdf_db *db, const okdf_operator *op, const char *kind,
	const char *title, const char *severity, const char *note, long long now,
	long long *id, okdf_err *e);

/* Lifecycle. Each runs in its own transaction and writes one escalation
 * event and one audit row. A resolved escalation refuses everything
 * (OKDF_EFAIL); an unknown id is OKDF_ENOTFOUND. */
int inbox_ack(okdf_db *db, const okdf_operator *op, long long id, long long now, okdf_err *e);
int inbox_snooze(okdf_db *db, const okdf_operator *op, long long id, long long until,
	long long now, okdf_err *e);
/* note is required (OKDF_EINPUT when NULL or blank). */
int inbox_resolve(okdf_db *db, const okdf_operator *op, long long id, const char *note,
	long long now, okdf_err *e);

/* A rule's condition no longer holds: resolves the unresolved escalation
 * raised under dedup_key (none is fine) as okdf-rules with note, inside the
 * caller's transaction. *resolved is 1 when one was resolved. */
int inbox_resolve_cleared(okdf_db *db, const char *dedup_key, const char *note, long long now,
	int *resolved, okdf_err *e);

/* Decisions: agent.approval approve|reject, budget.scale keep|revert.
 * Returns OKDF_EINPUT for a decision the kind does not take, or a blank note.
 * Records the decision, resolves the escalation and, except for keep,
 * queues the action the connector worker carries out (relevance:
 * agent.approve / agent.reject, meta: campaign.set_daily_budget). A revert
 * without a previous budget in the evidence is refused. */
int inbox_decide(okdf_db *db, const okdf_operator *op, long long id, const char *decision,
	const char *note, long long now, okdf_err *e);
/* The decisions kind takes, NULL-terminated; NULL when it takes none. */
const char *const *inbox_decisions(const char *kind);
/* The kind whose decisions x takes: its own, or one of the rules it lists
 * (one source event matched several, core/rule_merge); NULL when none. */
const char *inbox_deciding_kind(const escalation *x);
/* True when kind takes decision. */
int inbox_decision_valid(const char *kind, const char *decision);

/* Writes a worker's result back: the action row, an escalation event and an
 * audit row. A failed action reopens its escalation so the error is seen. */
int inbox_action_finished(okdf_db *db, const escalation_action *a, int ok,
	const char *result, long long now, okdf_err *e);

/* "30m", "4h", "2d", "90s" into seconds (1 s .. 90 d). */
int inbox_parse_duration(const char *s, long long *seconds, okdf_err *e);

/* A cheap poll for the UI: the newest critical escalation's id (0 when
 * none; ring the bell when it grows). */
int inbox_latest_critical_id(okdf_db *db, long long *id, okdf_err *e);

#endif

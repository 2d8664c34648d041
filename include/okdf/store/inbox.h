/* Escalation rows, their events and the queued decision actions (the
 * webhook queue is store/notify_queue). Plain SQL; the lifecycle rules live in core/inbox. */
#ifndef OKDF_STORE_INBOX_H
#define OKDF_STORE_INBOX_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct escalation {
	long long id;
	char kind[48];
	char severity[16];
	char source[64];
	char title[256];
	char dedup_key[256];
	char state[16];          /* as stored: open, acknowledged, snoozed, resolved */
	char owner[64];          /* "" when nobody acknowledged it */
	char decision[16];       /* "" until decided or resolved */
	long long snoozed_until; /* 0 = not snoozed */
	long long created_at;
	long long acknowledged_at; /* 0 = not yet */
	long long resolved_at;     /* 0 = not yet */
	char *evidence;            /* JSON object text, owned */
	char *decision_note;       /* owned, may be NULL */
} escalation;

/* Frees what an escalation owns (not the struct itself). */
void escalation_free(escalation *x);
/* Frees an array from escalation_list. */
void escalation_list_free(escalation *xs, int n);

/* Inserts unless any escalation (in any state) already has dedup_key.
 * *id is the new or the existing row; *inserted says which. */
int escalation_insert(okdf_db *db, const char *kind, const char *severity,
	const char *source, const char *title, const char *evidence_json,
	const char *dedup_key, long long now, long long *id, int *inserted, okdf_err *e);

/* The newest escalation raised under dedup_key; OKDF_ENOTFOUND when none. */
int escalation_find_by_key(okdf_db *db, const char *dedup_key, long long *id, okdf_err *e);

/* The highest critical escalation id, 0 when there is none. */
int escalation_latest_critical_id(okdf_db *db, long long *id, okdf_err *e);

/* OKDF_ENOTFOUND when there is no such id. The caller clears *out. */
int escalation_get(okdf_db *db, long long id, escalation *out, okdf_err *e);

/* Escalations newest first. state: NULL or "active" = not resolved and not
 * snoozed past now, "unresolved" = not resolved, "all", or one state where
 * "open" includes snoozes that ended by now and "snoozed" only those still
 * running. The caller frees with escalation_list_free. */
int escalation_list(okdf_db *db, const char *state, long long now, escalation **out,
	int *n, okdf_err *e);

/* The newest unresolved escalation whose evidence lists source ("conversation:ID",
 * "ad:ID") in its "sources" array; *id is 0 when none. */
int escalation_find_by_source(okdf_db *db, const char *source, long long *id, okdf_err *e);

/* Rewrites what an escalation says (another rule joined it): kind, severity,
 * title and evidence. */
int escalation_set_content(okdf_db *db, long long id, const char *kind, const char *severity,
	const char *title, const char *evidence_json, okdf_err *e);

/* Writes the lifecycle columns of x (state, owner, snoozed_until,
 * acknowledged_at, resolved_at, decision, decision_note). */
int escalation_update(okdf_db *db, const escalation *x, okdf_err *e);

typedef struct escalation_event {
	long long id, escalation_id, at;
	char operator_name[64];
	char client[64];
	char action[48];
	char *note; /* owned, may be NULL */
} escalation_event;

int escalation_event_append(okdf_db *db, long long escalation_id, long long at,
	const char *operator_name, const char *client, const char *action, const char *note,
	okdf_err *e);
/* Oldest first; the caller frees with escalation_events_free. */
int escalation_events_list(okdf_db *db, long long escalation_id, escalation_event **out,
	int *n, okdf_err *e);
void escalation_events_free(escalation_event *ev, int n);

/* A decision the connector workers carry out. */
typedef struct escalation_action {
	long long id, escalation_id, created_at, done_at;
	char connector[32];
	char action[48];
	char state[16]; /* pending, running, done, failed */
	char operator_name[64];
	char client[64];
	char *payload; /* JSON object text, owned */
	char *result;  /* owned, may be NULL */
} escalation_action;

void escalation_action_free(escalation_action *a);
void escalation_actions_free(escalation_action *a, int n);

int escalation_action_enqueue(okdf_db *db, long long escalation_id, const char *connector,
	const char *action, const char *payload_json, const char *operator_name,
	const char *client, long long now, long long *id, okdf_err *e);

/* Claims the oldest pending action of connector (marks it running).
 * *found is 0 when there is none; otherwise the caller clears *out. */
int escalation_action_claim(okdf_db *db, const char *connector, escalation_action *out,
	int *found, okdf_err *e);

/* Marks an action done or failed with the result text. */
int escalation_action_finish(okdf_db *db, long long id, int ok, const char *result,
	long long now, okdf_err *e);

/* Every action of an escalation, oldest first; free with escalation_actions_free. */
int escalation_actions_list(okdf_db *db, long long escalation_id, escalation_action **out,
	int *n, okdf_err *e);

/* The latest action of every escalation that has one, oldest first; free
 * with escalation_actions_free. */
int escalation_actions_latest(okdf_db *db, escalation_action **out, int *n, okdf_err *e);

#endif

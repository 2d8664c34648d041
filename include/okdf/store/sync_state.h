/* Sync cursors and per-connector health: what the workers remember between
 * passes, and what the UI shows about them. */
#ifndef OKDF_STORE_SYNC_STATE_H
#define OKDF_STORE_SYNC_STATE_H

#include "okdf/err.h"
#include "okdf/store/db.h"

/* *cursor is a malloc'd copy (caller frees), or NULL when none is stored. */
int sync_cursor_get(okdf_db *db, const char *connector, const char *resource, char **cursor,
	okdf_err *e);
/* Call inside the transaction that writes the rows the cursor covers. */
int sync_cursor_put(okdf_db *db, const char *connector, const char *resource,
	const char *cursor, long long now, okdf_err *e);

/* connector_health.state values. */
#define HEALTH_OK "ok"
#define HEALTH_SYNCING "syncing"
#define HEALTH_THROTTLED "throttled"
#define HEALTH_FAILING "failing"
#define HEALTH_UNAUTHORISED "unauthorised"
#define HEALTH_DISABLED "disabled"

/* Sets state (and interval_seconds), creating the row when needed. */
int connector_health_state(okdf_db *db, const char *connector, const char *state,
	int interval_seconds, long long now, okdf_err *e);
/* A finished pass: state ok, last_success_at, rows written by the pass,
 * throttle waits added, the pass's note (NULL or "": none). */
int connector_health_success(okdf_db *db, const char *connector, long long rows,
	long throttle_waits, const char *note, long long now, okdf_err *e);
/* A failed pass: state (failing, unauthorised, throttled), the message
 * (callers redact secrets first), throttle waits added. */
int connector_health_failure(okdf_db *db, const char *connector, const char *state,
	const char *message, long throttle_waits, long long now, okdf_err *e);

/* A pass in progress committed: updated_at = now while it is syncing, so
 * a long pass reads as alive, not down. */
int connector_health_touch(okdf_db *db, const char *connector, long long now, okdf_err *e);

/* After a pass: its throttle waits and the seconds it spent waiting. */
int connector_health_pass(okdf_db *db, const char *connector, long throttle_waits,
	long long wait_seconds, okdf_err *e);

/* Keeps a record the connector could not use, with its error (secrets
 * already scrubbed); the same record again replaces it. */
int quarantine_put(okdf_db *db, const char *connector, const char *resource,
	const char *record_id, const char *error, const char *payload, long long now, okdf_err *e);
/* The record was written after all: it leaves quarantine. */
int quarantine_clear(okdf_db *db, const char *connector, const char *resource,
	const char *record_id, okdf_err *e);

int quarantine_count(okdf_db *db, const char *connector, long long *n, okdf_err *e);

typedef struct store_quarantined {
	char connector[32];
	char resource[64];
	char *record_id;
	char *error;
	long long first_at, last_at;
} store_quarantined;

/* Every quarantined record, newest first per connector; free with
 * quarantine_free. */
int quarantine_list(okdf_db *db, store_quarantined **out, int *n, okdf_err *e);
void quarantine_free(store_quarantined *q, int n);
/* Sets or (warning NULL or "") clears the connector's standing warning. */
int connector_health_warning(okdf_db *db, const char *connector, const char *warning,
	okdf_err *e);

typedef struct store_health {
	char connector[32];
	char state[16];
	long long last_success_at; /* 0 = never */
	long long last_error_at;   /* 0 = never */
	char last_error[1024];  /* in full: messages are at most 1023 bytes */
	long long rows;
	long long throttle_waits;
	int interval_seconds;
	long long updated_at;
	long long pass_throttle_waits; /* of the last finished pass */
	long long pass_wait_seconds;   /* seconds the last pass spent waiting */
	long long quarantined;         /* records kept in quarantine */
	char warning[256]; /* the standing warning of a working connector, "" = none */
} store_health;

/* Every connector's health, by name. *out malloc'd (caller frees). */
int connector_health_list(okdf_db *db, store_health **out, int *n, okdf_err *e);

#endif

/* Sync cursors and per-connector health: what the workers remember between
 * passes, and what the UI shows about them. */
#ifndef OKDF_STORE_SYNC_STATE_H
#define OKDF_STORE_SYNC_STATE_H

#include <sqlite3.h>

#include "okdf/err.h"

/* *cursor is a malloc'd copy (caller frees), or NULL when none is stored. */
int store_sync_cursor_get(sqlite3 *db, const char *connector, const char *resource, char **cursor,
	okdf_err *e);
/* Call inside the transaction that writes the rows the cursor covers. */
int store_sync_cursor_put(sqlite3 *db, const char *connector, const char *resource,
	const char *cursor, long long now, okdf_err *e);

/* connector_health.state values. */
#define HEALTH_OK "ok"
#define HEALTH_SYNCING "syncing"
#define HEALTH_THROTTLED "throttled"
#define HEALTH_FAILING "failing"
#define HEALTH_UNAUTHORISED "unauthorised"
#define HEALTH_DISABLED "disabled"

/* Sets state (and interval_seconds), creating the row when needed. */
int store_health_state(sqlite3 *db, const char *connector, const char *state,
	int interval_seconds, long long now, okdf_err *e);
/* A finished pass: state ok, last_success_at, rows written by the pass,
 * throttle waits added, the pass's note (NULL or "": none). */
int store_health_success(sqlite3 *db, const char *connector, long long rows,
	long throttle_waits, const char *note, long long now, okdf_err *e);
/* A failed pass: state (failing, unauthorised, throttled), the message
 * (callers redact secrets first), throttle waits added. */
int store_health_failure(sqlite3 *db, const char *connector, const char *state,
	const char *message, long throttle_waits, long long now, okdf_err *e);

/* A pass in progress committed: updated_at = now while it is syncing, so
 * a long pass reads as alive, not down. */
int store_health_touch(sqlite3 *db, const char *connector, long long now, okdf_err *e);

/* After a pass: its throttle waits and the seconds it spent waiting. */
int store_health_pass(sqlite3 *db, const char *connector, long throttle_waits,
	long long wait_seconds, okdf_err *e);

/* Keeps a record the connector could not use, with its error (secrets
 * already scrubbed); the same record again replaces it. */
int store_quarantine_put(sqlite3 *db, const char *connector, const char *resource,
	const char *record_id, const char *error, const char *payload, long long now, okdf_err *e);
/* The record was written after all: it leaves quarantine. */
int store_quarantine_clear(sqlite3 *db, const char *connector, const char *resource,
	const char *record_id, okdf_err *e);

int store_quarantine_count(sqlite3 *db, const char *connector, long long *n, okdf_err *e);

typedef struct store_quarantined {
	char connector[32];
	char resource[64];
	char *record_id;
	char *error;
	long long first_at, last_at;
} store_quarantined;

/* Every quarantined record, newest first per connector; free with
 * store_quarantine_free. */
int store_quarantine_list(sqlite3 *db, store_quarantined **out, int *n, okdf_err *e);
void store_quarantine_free(store_quarantined *q, int n);

typedef struct store_health {
	char connector[32];
	char state[16];
	long long last_success_at; /* 0 = never */
	long long last_error_at;   /* 0 = never */
	char last_error[1024];  /* in full: messages are at most 1023 bytes */
	char note[256];            /* the last successful pass's warning, "" = none */
	long long rows;
	long long throttle_waits;
	int interval_seconds;
	long long updated_at;
	long long pass_throttle_waits; /* of the last finished pass */
	long long pass_wait_seconds;   /* seconds the last pass spent waiting */
	long long quarantined;         /* records kept in quarantine */
} store_health;

/* Every connector's health, by name. *out malloc'd (caller frees). */
int store_health_list(sqlite3 *db, store_health **out, int *n, okdf_err *e);

#endif

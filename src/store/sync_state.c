#include "okdf/store/sync_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

int sync_cursor_get(okdf_db *db, const char *connector, const char *resource, char **cursor,
	okdf_err *e)
{
	*cursor = NULL;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT cursor FROM sync_state WHERE connector = ?1 AND resource = ?2", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, resource);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*cursor = strdup((const char *)sqlite3_column_text(st, 0));
		if (!*cursor) {
			sqlite3_finalize(st);
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		}
	} else if (s != SQLITE_ROW && s != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(db, e, "reading sync cursor");
	}
	sqlite3_finalize(st);
	return OKDF_OK;
}

int sync_cursor_put(okdf_db *db, const char *connector, const char *resource,
	const char *cursor, long long now, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO sync_state (connector, resource, cursor, updated_at)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (connector, resource)"
		" DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, resource);
	db_bind_text(st, 3, cursor);
	sqlite3_bind_int64(st, 4, now);
	return db_step_done(db, st, e, "writing sync cursor");
}

int connector_health_state(okdf_db *db, const char *connector, const char *state,
	int interval_seconds, long long now, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO connector_health (connector, state, interval_seconds, updated_at)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (connector) DO UPDATE SET"
		" state = excluded.state, interval_seconds = excluded.interval_seconds,"
		" updated_at = excluded.updated_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, state);
	sqlite3_bind_int(st, 3, interval_seconds);
	sqlite3_bind_int64(st, 4, now);
	return db_step_done(db, st, e, "writing connector health");
}

int connector_health_success(okdf_db *db, const char *connector, long long rows,
	long throttle_waits, const char *note, long long now, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO connector_health (connector, state, last_success_at, rows,"
		" throttle_waits, warning, updated_at) VALUES (?1, 'ok', ?2, ?3, ?4, ?5, ?2)"
		" ON CONFLICT (connector) DO UPDATE SET state = 'ok',"
		" last_success_at = excluded.last_success_at, rows = excluded.rows,"
		" throttle_waits = throttle_waits + excluded.throttle_waits,"
		" warning = excluded.warning, updated_at = excluded.updated_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, rows);
	sqlite3_bind_int64(st, 4, throttle_waits);
	db_bind_text(st, 5, note && note[0] ? note : NULL);
	return db_step_done(db, st, e, "writing connector health");
}

int connector_health_failure(okdf_db *db, const char *connector, const char *state,
	const char *message, long throttle_waits, long long now, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO connector_health (connector, state, last_error_at, last_error,"
		" throttle_waits, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?3)"
		" ON CONFLICT (connector) DO UPDATE SET state = excluded.state,"
		" last_error_at = excluded.last_error_at, last_error = excluded.last_error,"
		" throttle_waits = throttle_waits + excluded.throttle_waits,"
		" updated_at = excluded.updated_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, state);
	sqlite3_bind_int64(st, 3, now);
	db_bind_text(st, 4, message);
	sqlite3_bind_int64(st, 5, throttle_waits);
	return db_step_done(db, st, e, "writing connector health");
}

int connector_health_touch(okdf_db *db, const char *connector, long long now, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE connector_health SET updated_at = ?2 WHERE connector = ?1 AND state = 'syncing'",
		&st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	sqlite3_bind_int64(st, 2, now);
	return db_step_done(db, st, e, "writing connector health");
}

int connector_health_pass(okdf_db *db, const char *connector, long throttle_waits,
	long long wait_seconds, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE connector_health SET pass_throttle_waits = ?2, pass_wait_seconds = ?3"
		" WHERE connector = ?1", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	sqlite3_bind_int64(st, 2, throttle_waits);
	sqlite3_bind_int64(st, 3, wait_seconds);
	return db_step_done(db, st, e, "writing connector health");
}

int quarantine_put(okdf_db *db, const char *connector, const char *resource,
	const char *record_id, const char *error, const char *payload, long long now, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO quarantine (connector, resource, record_id, error, payload, first_at,"
		" last_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
		" ON CONFLICT (connector, resource, record_id) DO UPDATE SET error = excluded.error,"
		" payload = excluded.payload, last_at = excluded.last_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, resource);
	db_bind_text(st, 3, record_id);
	db_bind_text(st, 4, error);
	db_bind_text(st, 5, payload);
	sqlite3_bind_int64(st, 6, now);
	return db_step_done(db, st, e, "writing a quarantined record");
}

int quarantine_clear(okdf_db *db, const char *connector, const char *resource,
	const char *record_id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"DELETE FROM quarantine WHERE connector = ?1 AND resource = ?2 AND record_id = ?3",
		&st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, resource);
	db_bind_text(st, 3, record_id);
	return db_step_done(db, st, e, "clearing a quarantined record");
}

int quarantine_count(okdf_db *db, const char *connector, long long *n, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT count(*) FROM quarantine WHERE connector = ?1", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, e, "counting quarantined records");
	sqlite3_finalize(st);
	return rc;
}

static void read_quarantine(sqlite3_stmt *st, void *item)
{
	store_quarantined *q = item;
	db_col_copy(q->connector, sizeof q->connector, st, 0);
	db_col_copy(q->resource, sizeof q->resource, st, 1);
	q->record_id = db_col_dup(st, 2);
	q->error = db_col_dup(st, 3);
	q->first_at = sqlite3_column_int64(st, 4);
	q->last_at = sqlite3_column_int64(st, 5);
}

void quarantine_free(store_quarantined *q, int n)
{
	for (int i = 0; i < n; i++) {
		free(q[i].record_id);
		free(q[i].error);
	}
	free(q);
}

static void free_quarantine(void *items, int n)
{
	quarantine_free(items, n);
}

int quarantine_list(okdf_db *db, store_quarantined **out, int *n, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT connector, resource, record_id, error, first_at, last_at FROM quarantine"
		" ORDER BY connector, last_at DESC, id", &st, e);
	if (rc)
		return rc;
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **out, 8, read_quarantine, free_quarantine, e,
		"reading quarantined records");
	*out = items;
	return rc;
}

int connector_health_warning(okdf_db *db, const char *connector, const char *warning,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE connector_health SET warning = nullif(?2, '') WHERE connector = ?1", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	db_bind_text(st, 2, warning ? warning : "");
	return db_step_done(db, st, e, "writing connector warning");
}

int connector_health_list(okdf_db *db, store_health **out, int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT connector, state, last_success_at, last_error_at, last_error, rows,"
		" throttle_waits, interval_seconds, updated_at, pass_throttle_waits,"
		" pass_wait_seconds, (SELECT count(*) FROM quarantine q"
		" WHERE q.connector = h.connector), warning"
		" FROM connector_health h ORDER BY connector", &st, e);
	if (rc)
		return rc;
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		store_health *grown = realloc(*out, (size_t)(*n + 1) * sizeof **out);
		if (!grown) {
			sqlite3_finalize(st);
			free(*out);
			*out = NULL;
			*n = 0;
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		}
		*out = grown;
		store_health *h = &grown[(*n)++];
		db_col_copy(h->connector, sizeof h->connector, st, 0);
		db_col_copy(h->state, sizeof h->state, st, 1);
		h->last_success_at = sqlite3_column_int64(st, 2);
		h->last_error_at = sqlite3_column_int64(st, 3);
		db_col_copy(h->last_error, sizeof h->last_error, st, 4);
		h->rows = sqlite3_column_int64(st, 5);
		h->throttle_waits = sqlite3_column_int64(st, 6);
		h->interval_seconds = sqlite3_column_int(st, 7);
		h->updated_at = sqlite3_column_int64(st, 8);
		h->pass_throttle_waits = sqlite3_column_int64(st, 9);
		h->pass_wait_seconds = sqlite3_column_int64(st, 10);
		h->quarantined = sqlite3_column_int64(st, 11);
		db_col_copy(h->warning, sizeof h->warning, st, 12);
	}
	sqlite3_finalize(st);
	if (s != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_error(db, e, "reading connector health");
	}
	return OKDF_OK;
}

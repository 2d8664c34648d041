#include "okdf/store/inbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

void escalation_free(escalation *x)
{
	free(x->evidence);
	free(x->decision_note);
	x->evidence = NULL;
	x->decision_note = NULL;
}

void escalation_list_free(escalation *xs, int n)
{
	for (int i = 0; i < n; i++)
		escalation_free(&xs[i]);
	free(xs);
}

/* The newest escalation with dedup_key into *id; *found says whether there is one. */
static int newest_by_key(okdf_db *db, const char *dedup_key, long long *id, int *found,
	okdf_err *e)
{
	*found = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT id FROM escalations WHERE dedup_key = ? ORDER BY id DESC"
		" LIMIT 1", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, dedup_key);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*found = 1;
	}
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? OKDF_OK
		: db_error(db, e, "looking up escalation");
}

int escalation_find_by_key(okdf_db *db, const char *dedup_key, long long *id, okdf_err *e)
{
	int found;
	int rc = newest_by_key(db, dedup_key, id, &found, e);
	if (!rc && !found)
		return okdf_err_set(e, OKDF_ENOTFOUND, "no escalation with key %s", dedup_key);
	return rc;
}

int escalation_insert(okdf_db *db, const char *kind, const char *severity,
	const char *source, const char *title, const char *evidence_json,
	const char *dedup_key, long long now, long long *id, int *inserted, okdf_err *e)
{
	*inserted = 0;
	*id = 0;
	int found;
	int rc = newest_by_key(db, dedup_key, id, &found, e);
	if (rc || found)
		return rc;
	sqlite3_stmt *st;
	rc = db_prepare(db,
		"INSERT INTO escalations(kind, severity, source, title, evidence, dedup_key,"
		" state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, severity);
	db_bind_text(st, 3, source);
	db_bind_text(st, 4, title);
	db_bind_text(st, 5, evidence_json ? evidence_json : "{}");
	db_bind_text(st, 6, dedup_key);
	sqlite3_bind_int64(st, 7, now);
	rc = db_step_done(db, st, e, "inserting escalation");
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(db->sql);
	*inserted = 1;
	return OKDF_OK;
}

#define ESC_COLUMNS \
	"id, kind, severity, source, title, dedup_key, state, owner, decision," \
	" snoozed_until, created_at, acknowledged_at, resolved_at, evidence, decision_note"

/* A db_row_reader, also used for single rows. */
static void read_escalation(sqlite3_stmt *st, void *item)
{
	escalation *x = item;
	memset(x, 0, sizeof *x);
	x->id = sqlite3_column_int64(st, 0);
	db_col_copy(x->kind, sizeof x->kind, st, 1);
	db_col_copy(x->severity, sizeof x->severity, st, 2);
	db_col_copy(x->source, sizeof x->source, st, 3);
	db_col_copy(x->title, sizeof x->title, st, 4);
	db_col_copy(x->dedup_key, sizeof x->dedup_key, st, 5);
	db_col_copy(x->state, sizeof x->state, st, 6);
	db_col_copy(x->owner, sizeof x->owner, st, 7);
	db_col_copy(x->decision, sizeof x->decision, st, 8);
	x->snoozed_until = sqlite3_column_int64(st, 9);
	x->created_at = sqlite3_column_int64(st, 10);
	x->acknowledged_at = sqlite3_column_int64(st, 11);
	x->resolved_at = sqlite3_column_int64(st, 12);
	x->evidence = db_col_dup(st, 13);
	x->decision_note = db_col_dup(st, 14);
}

int escalation_get(okdf_db *db, long long id, escalation *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT " ESC_COLUMNS " FROM escalations WHERE id = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_escalation(st, out);
	else if (step == SQLITE_DONE)
		rc = okdf_err_set(e, OKDF_ENOTFOUND, "no escalation #%lld", id);
	else
		rc = db_error(db, e, "reading escalation");
	sqlite3_finalize(st);
	return rc;
}

static void free_escalation_rows(void *items, int n)
{
	escalation_list_free(items, n);
}

int escalation_list(okdf_db *db, const char *state, long long now, escalation **out,
	int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	/* ?1 filter, ?2 now. A snooze that ended shows as open again. */
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT " ESC_COLUMNS " FROM escalations WHERE"
		" CASE ?1"
		"  WHEN 'all' THEN 1"
		"  WHEN 'active' THEN state <> 'resolved'"
		"   AND NOT (state = 'snoozed' AND snoozed_until > ?2)"
		"  WHEN 'unresolved' THEN state <> 'resolved'"
		"  WHEN 'open' THEN state = 'open' OR (state = 'snoozed' AND snoozed_until <= ?2)"
		"  WHEN 'snoozed' THEN state = 'snoozed' AND snoozed_until > ?2"
		"  ELSE state = ?1 END"
		" ORDER BY id DESC", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, state ? state : "active");
	sqlite3_bind_int64(st, 2, now);
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **out, 16, read_escalation,
		free_escalation_rows, e, "listing escalations");
	*out = items;
	return rc;
}

int escalation_find_by_source(okdf_db *db, const char *source, long long *id, okdf_err *e)
{
	*id = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT x.id FROM escalations x, json_each(x.evidence, '$.sources') s"
		" WHERE x.state <> 'resolved' AND json_valid(x.evidence) AND s.value = ?"
		" ORDER BY x.id DESC LIMIT 1", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, source);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? OKDF_OK
		: db_error(db, e, "looking up escalation by source");
}

int escalation_set_content(okdf_db *db, long long id, const char *kind, const char *severity,
	const char *title, const char *evidence_json, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "UPDATE escalations SET kind = ?, severity = ?, title = ?,"
		" evidence = ? WHERE id = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, severity);
	db_bind_text(st, 3, title);
	db_bind_text(st, 4, evidence_json);
	sqlite3_bind_int64(st, 5, id);
	return db_step_done(db, st, e, "updating escalation content");
}

int escalation_update(okdf_db *db, const escalation *x, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE escalations SET state = ?, owner = ?, snoozed_until = ?,"
		" acknowledged_at = ?, resolved_at = ?, decision = ?, decision_note = ?"
		" WHERE id = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, x->state);
	db_bind_text(st, 2, x->owner[0] ? x->owner : NULL);
	db_bind_opt_int64(st, 3, x->snoozed_until, x->snoozed_until == 0);
	db_bind_opt_int64(st, 4, x->acknowledged_at, x->acknowledged_at == 0);
	db_bind_opt_int64(st, 5, x->resolved_at, x->resolved_at == 0);
	db_bind_text(st, 6, x->decision[0] ? x->decision : NULL);
	db_bind_text(st, 7, x->decision_note);
	sqlite3_bind_int64(st, 8, x->id);
	return db_step_done(db, st, e, "updating escalation");
}

int escalation_event_append(okdf_db *db, long long escalation_id, long long at,
	const char *operator_name, const char *client, const char *action, const char *note,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO escalation_events(escalation_id, at, operator, client, action, note)"
		" VALUES (?, ?, ?, ?, ?, ?)", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, escalation_id);
	sqlite3_bind_int64(st, 2, at);
	db_bind_text(st, 3, operator_name);
	db_bind_text(st, 4, client && client[0] ? client : NULL);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, note);
	return db_step_done(db, st, e, "writing escalation event");
}

void escalation_events_free(escalation_event *ev, int n)
{
	for (int i = 0; i < n; i++)
		free(ev[i].note);
	free(ev);
}

static void read_event_row(sqlite3_stmt *st, void *item)
{
	escalation_event *ev = item;
	ev->id = sqlite3_column_int64(st, 0);
	ev->escalation_id = sqlite3_column_int64(st, 1);
	ev->at = sqlite3_column_int64(st, 2);
	db_col_copy(ev->operator_name, sizeof ev->operator_name, st, 3);
	db_col_copy(ev->client, sizeof ev->client, st, 4);
	db_col_copy(ev->action, sizeof ev->action, st, 5);
	ev->note = db_col_dup(st, 6);
}

static void free_event_rows(void *items, int n)
{
	escalation_events_free(items, n);
}

int escalation_events_list(okdf_db *db, long long escalation_id, escalation_event **out,
	int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT id, escalation_id, at, operator, client, action, note"
		" FROM escalation_events WHERE escalation_id = ? ORDER BY id", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, escalation_id);
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **out, 16, read_event_row, free_event_rows, e,
		"listing escalation events");
	*out = items;
	return rc;
}

void escalation_action_free(escalation_action *a)
{
	free(a->payload);
	free(a->result);
	a->payload = NULL;
	a->result = NULL;
}

void escalation_actions_free(escalation_action *a, int n)
{
	for (int i = 0; i < n; i++)
		escalation_action_free(&a[i]);
	free(a);
}

int escalation_action_enqueue(okdf_db *db, long long escalation_id, const char *connector,
	const char *action, const char *payload_json, const char *operator_name,
	const char *client, long long now, long long *id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO escalation_actions(escalation_id, connector, action, payload, state,"
		" operator, client, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, escalation_id);
	db_bind_text(st, 2, connector);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, payload_json);
	db_bind_text(st, 5, operator_name);
	db_bind_text(st, 6, client && client[0] ? client : NULL);
	sqlite3_bind_int64(st, 7, now);
	rc = db_step_done(db, st, e, "queueing action");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(db->sql);
	return rc;
}

#define ACTION_COLUMNS \
	"id, escalation_id, created_at, done_at, connector, action, state, operator, client," \
	" payload, result"

/* A db_row_reader, also used for single rows. */
static void read_action(sqlite3_stmt *st, void *item)
{
	escalation_action *a = item;
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->escalation_id = sqlite3_column_int64(st, 1);
	a->created_at = sqlite3_column_int64(st, 2);
	a->done_at = sqlite3_column_int64(st, 3);
	db_col_copy(a->connector, sizeof a->connector, st, 4);
	db_col_copy(a->action, sizeof a->action, st, 5);
	db_col_copy(a->state, sizeof a->state, st, 6);
	db_col_copy(a->operator_name, sizeof a->operator_name, st, 7);
	db_col_copy(a->client, sizeof a->client, st, 8);
	a->payload = db_col_dup(st, 9);
	a->result = db_col_dup(st, 10);
}

int escalation_action_claim(okdf_db *db, const char *connector, escalation_action *out,
	int *found, okdf_err *e)
{
	*found = 0;
	memset(out, 0, sizeof *out);
	/* One statement, so two workers never claim the same row. */
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE escalation_actions SET state = 'running' WHERE id = ("
		" SELECT id FROM escalation_actions WHERE connector = ? AND state = 'pending'"
		" ORDER BY id LIMIT 1) RETURNING " ACTION_COLUMNS, &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, connector);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		read_action(st, out);
		*found = 1;
		step = sqlite3_step(st);
	}
	if (step != SQLITE_DONE) {
		rc = db_error(db, e, "claiming action");
		if (*found)
			escalation_action_free(out);
		*found = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int escalation_action_finish(okdf_db *db, long long id, int ok, const char *result,
	long long now, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE escalation_actions SET state = ?, result = ?, done_at = ? WHERE id = ?",
		&st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, ok ? "done" : "failed");
	db_bind_text(st, 2, result);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, id);
	return db_step_done(db, st, e, "finishing action");
}

static void free_action_rows(void *items, int n)
{
	escalation_actions_free(items, n);
}

int escalation_actions_list(okdf_db *db, long long escalation_id, escalation_action **out,
	int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT " ACTION_COLUMNS " FROM escalation_actions"
		" WHERE escalation_id = ? ORDER BY id", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, escalation_id);
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **out, 4, read_action, free_action_rows, e,
		"listing actions");
	*out = items;
	return rc;
}

int escalation_actions_latest(okdf_db *db, escalation_action **out, int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT " ACTION_COLUMNS " FROM escalation_actions"
		" WHERE id IN (SELECT max(id) FROM escalation_actions GROUP BY escalation_id)"
		" ORDER BY id", &st, e);
	if (rc)
		return rc;
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **out, 8, read_action, free_action_rows, e,
		"listing latest actions");
	*out = items;
	return rc;
}

int escalation_latest_critical_id(okdf_db *db, long long *id, okdf_err *e)
{
	*id = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT coalesce(max(id), 0) FROM escalations WHERE severity = 'critical'", &st, e);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		rc = db_error(db, e, "reading escalations");
	sqlite3_finalize(st);
	return rc;
}

#include "okdf/store/notify_queue.h"

#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

int notify_queue_add(okdf_db *db, long long escalation_id, const char *text, long long now,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO notify_queue(escalation_id, text, state, next_at, created_at)"
		" VALUES (?, ?, 'pending', ?, ?)", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, escalation_id);
	db_bind_text(st, 2, text);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	return db_step_done(db, st, e, "queueing notification");
}

int notify_queue_next_due(okdf_db *db, long long now, notify_item *out, int *found, okdf_err *e)
{
	*found = 0;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT id, escalation_id, attempts, text, created_at FROM notify_queue"
		" WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT 1", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->escalation_id = sqlite3_column_int64(st, 1);
		out->attempts = sqlite3_column_int(st, 2);
		out->text = db_col_dup(st, 3);
		out->created_at = sqlite3_column_int64(st, 4);
		if (!out->text)
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		else
			*found = 1;
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading notify queue");
	}
	sqlite3_finalize(st);
	return rc;
}

int notify_queue_mark_sent(okdf_db *db, long long id, long long now, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE notify_queue SET state = 'sent', attempts = attempts + 1, sent_at = ?,"
		" last_error = NULL WHERE id = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	return db_step_done(db, st, e, "updating notify queue");
}

int notify_queue_mark_retry(okdf_db *db, long long id, int attempts, long long next_at,
	const char *error, int give_up, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE notify_queue SET state = ?, attempts = ?, next_at = ?, last_error = ?"
		" WHERE id = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, give_up ? "failed" : "pending");
	sqlite3_bind_int(st, 2, attempts);
	sqlite3_bind_int64(st, 3, next_at);
	db_bind_text(st, 4, error);
	sqlite3_bind_int64(st, 5, id);
	return db_step_done(db, st, e, "updating notify queue");
}

#include "okdf/store/phases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

int phase_progress_get(okdf_db *db, const char *phase_id, phase_progress_row *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT completed_at, completed_by, override_reason FROM phase_progress"
		" WHERE phase_id = ? AND completed_at IS NOT NULL", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, phase_id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->completed = 1;
		out->completed_at = sqlite3_column_int64(st, 0);
		db_col_copy(out->completed_by, sizeof out->completed_by, st, 1);
		out->override_reason = db_col_dup(st, 2);
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading phase progress");
	}
	sqlite3_finalize(st);
	return rc;
}

int phase_progress_complete(okdf_db *db, const char *phase_id, long long at, const char *by,
	const char *override_reason, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO phase_progress(phase_id, completed_at, completed_by, override_reason)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT(phase_id) DO UPDATE SET"
		" completed_at = ?2, completed_by = ?3, override_reason = ?4", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, phase_id);
	sqlite3_bind_int64(st, 2, at);
	db_bind_text(st, 3, by);
	db_bind_text(st, 4, override_reason);
	return db_step_done(db, st, e, "writing phase progress");
}

int phase_progress_clear(okdf_db *db, const char *phase_id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "DELETE FROM phase_progress WHERE phase_id = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, phase_id);
	return db_step_done(db, st, e, "clearing phase progress");
}

static void read_signoff_row(sqlite3_stmt *st, void *item)
{
	signoff_row *r = item;
	db_col_copy(r->signoff_id, sizeof r->signoff_id, st, 0);
	db_col_copy(r->operator_name, sizeof r->operator_name, st, 1);
	r->signed_at = sqlite3_column_int64(st, 2);
	r->note = db_col_dup(st, 3);
}

static void free_signoff_rows(void *items, int n)
{
	signoff_rows_free(items, n);
}

int phase_signoffs_get(okdf_db *db, const char *phase_id, signoff_row **rows, int *n,
	okdf_err *e)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT signoff_id, operator, signed_at, note FROM phase_signoffs"
		" WHERE phase_id = ? ORDER BY signoff_id", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, phase_id);
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **rows, 8, read_signoff_row,
		free_signoff_rows, e, "reading sign-offs");
	*rows = items;
	return rc;
}

void signoff_rows_free(signoff_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].note);
	free(rows);
}

int phase_signoff_put(okdf_db *db, const char *phase_id, const char *signoff_id,
	const char *by, long long at, const char *note, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO phase_signoffs(phase_id, signoff_id, operator, signed_at, note)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(phase_id, signoff_id) DO UPDATE SET"
		" operator = ?3, signed_at = ?4, note = ?5", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, phase_id);
	db_bind_text(st, 2, signoff_id);
	db_bind_text(st, 3, by);
	sqlite3_bind_int64(st, 4, at);
	db_bind_text(st, 5, note);
	return db_step_done(db, st, e, "writing sign-off");
}

int phase_signoffs_delete(okdf_db *db, const char *phase_id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "DELETE FROM phase_signoffs WHERE phase_id = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, phase_id);
	return db_step_done(db, st, e, "withdrawing sign-offs");
}

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

int brief_row_get(okdf_db *db, brief_row *out, int *found, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	*found = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT path, sha256, registered_at, registered_by FROM brand_brief WHERE id = 1",
		&st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		db_col_copy(out->path, sizeof out->path, st, 0);
		db_col_copy(out->sha256, sizeof out->sha256, st, 1);
		out->registered_at = sqlite3_column_int64(st, 2);
		db_col_copy(out->registered_by, sizeof out->registered_by, st, 3);
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading brand brief");
	}
	sqlite3_finalize(st);
	return rc;
}

int brief_row_put(okdf_db *db, const char *path, const char *sha256, long long at,
	const char *by, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO brand_brief(id, path, sha256, registered_at, registered_by)"
		" VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET"
		" path = ?1, sha256 = ?2, registered_at = ?3, registered_by = ?4", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, path);
	db_bind_text(st, 2, sha256);
	sqlite3_bind_int64(st, 3, at);
	db_bind_text(st, 4, by);
	return db_step_done(db, st, e, "writing brand brief");
}

int setting_get(okdf_db *db, const char *key, char *buf, size_t n, int *found, okdf_err *e)
{
	*found = 0;
	if (n)
		buf[0] = '\0';
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT value FROM settings WHERE key = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, key);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		db_col_copy(buf, n, st, 0);
	} else if (step != SQLITE_DONE) {
		rc = db_error(db, e, "reading settings");
	}
	sqlite3_finalize(st);
	return rc;
}

int setting_put(okdf_db *db, const char *key, const char *value, const char *by, long long at,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO settings(key, value, set_by, set_at) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(key) DO UPDATE SET value = ?2, set_by = ?3, set_at = ?4", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	db_bind_text(st, 3, by);
	sqlite3_bind_int64(st, 4, at);
	return db_step_done(db, st, e, "writing setting");
}

static void read_setting_row(sqlite3_stmt *st, void *item)
{
	setting_row *r = item;
	db_col_copy(r->key, sizeof r->key, st, 0);
	r->value = db_col_dup(st, 1);
	db_col_copy(r->set_by, sizeof r->set_by, st, 2);
	r->set_at = sqlite3_column_int64(st, 3);
}

static void free_setting_rows(void *items, int n)
{
	setting_rows_free(items, n);
}

int settings_list(okdf_db *db, setting_row **rows, int *n, okdf_err *e)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT key, value, set_by, set_at FROM settings ORDER BY key",
		&st, e);
	if (rc)
		return rc;
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **rows, 8, read_setting_row,
		free_setting_rows, e, "reading settings");
	*rows = items;
	return rc;
}

void setting_rows_free(setting_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].value);
	free(rows);
}

int review_insert(okdf_db *db, const char *by, long long at, const char *note,
	long long *id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "INSERT INTO reviews(operator, reviewed_at, note) VALUES (?, ?, ?)",
		&st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, by);
	sqlite3_bind_int64(st, 2, at);
	db_bind_text(st, 3, note);
	rc = db_step_done(db, st, e, "writing review");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(db->sql);
	return rc;
}

#include "okdf/store/reviews.h"

#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

int review_attach_report(okdf_db *db, long long id, const char *week, const char *report,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "UPDATE reviews SET report_week = ?, report = ? WHERE id = ?", &st,
		e);
	if (rc)
		return rc;
	db_bind_text(st, 1, week);
	db_bind_text(st, 2, report);
	sqlite3_bind_int64(st, 3, id);
	rc = db_step_done(db, st, e, "attaching the report");
	if (!rc && sqlite3_changes(db->sql) != 1)
		rc = okdf_err_set(e, OKDF_ENOTFOUND, "no review #%lld", id);
	return rc;
}

int review_list(okdf_db *db, review_row **rows, int *n, okdf_err *e)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT id, operator, reviewed_at, note, report_week FROM reviews"
		" ORDER BY reviewed_at, id", &st, e);
	if (rc)
		return rc;
	int cap = 0, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			review_row *grown = realloc(*rows, (size_t)cap * sizeof *grown);
			if (!grown) {
				rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
				break;
			}
			*rows = grown;
		}
		review_row *r = &(*rows)[*n];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		db_col_copy(r->operator_name, sizeof r->operator_name, st, 1);
		r->reviewed_at = sqlite3_column_int64(st, 2);
		const char *note = (const char *)sqlite3_column_text(st, 3);
		if (note && !(r->note = strdup(note))) {
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			break;
		}
		db_col_copy(r->report_week, sizeof r->report_week, st, 4);
		(*n)++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(db, e, "reading reviews");
	sqlite3_finalize(st);
	if (rc) {
		review_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

void review_rows_free(review_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].note);
	free(rows);
}

int review_report_get(okdf_db *db, long long id, char **report, okdf_err *e)
{
	*report = NULL;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT report FROM reviews WHERE id = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0);
		if (text && !(*report = strdup(text)))
			rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	} else if (step == SQLITE_DONE) {
		rc = okdf_err_set(e, OKDF_ENOTFOUND, "no review #%lld", id);
	} else {
		rc = db_error(db, e, "reading the review");
	}
	sqlite3_finalize(st);
	return rc;
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

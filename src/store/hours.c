#include "okdf/store/hours.h"

#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

#define COLUMNS "id, operator, started_at, seconds, coalesce(note, ''), created_at"

static void read_row(sqlite3_stmt *st, void *item)
{
	manual_hours_row *r = item;
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	db_col_copy(r->operator_name, sizeof r->operator_name, st, 1);
	r->started_at = sqlite3_column_int64(st, 2);
	r->seconds = sqlite3_column_int64(st, 3);
	db_col_copy(r->note, sizeof r->note, st, 4);
	r->created_at = sqlite3_column_int64(st, 5);
}

int manual_hours_list(okdf_db *db, long long from, long long to, manual_hours_row **rows,
	int *n, okdf_err *e)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT " COLUMNS " FROM manual_hours"
		" WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **rows, 16, read_row, NULL, e,
		"listing manual hours");
	*rows = items;
	return rc;
}

int manual_hours_get(okdf_db *db, long long id, manual_hours_row *out, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT " COLUMNS " FROM manual_hours WHERE id = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_row(st, out);
	else if (step == SQLITE_DONE)
		rc = okdf_err_set(e, OKDF_ENOTFOUND, "no manual hours entry #%lld", id);
	else
		rc = db_error(db, e, "reading manual hours");
	sqlite3_finalize(st);
	return rc;
}

int manual_hours_delete(okdf_db *db, long long id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "DELETE FROM manual_hours WHERE id = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(db, st, e, "removing manual hours");
}

int hours_spans_each(okdf_db *db, long long from, long long to, hours_span_fn fn, void *ctx,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT operator, started_at, ended_at, 0 FROM activity_intervals"
		" WHERE started_at < ?2 AND ended_at > ?1"
		" UNION ALL"
		" SELECT operator, started_at, started_at + seconds, 1 FROM manual_hours"
		" WHERE started_at < ?2 AND started_at + seconds > ?1"
		" ORDER BY 1, 2", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		rc = fn(ctx, name ? name : "", sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3), e);
		if (rc)
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(db, e, "reading operator hours");
	sqlite3_finalize(st);
	return rc;
}

int activity_interval_extend(okdf_db *db, const char *operator_name, long long now,
	long long max_gap, int *extended, okdf_err *e)
{
	*extended = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"UPDATE activity_intervals SET ended_at = MAX(ended_at, ?2)"
		" WHERE id = (SELECT id FROM activity_intervals WHERE operator = ?1"
		"  ORDER BY started_at DESC, id DESC LIMIT 1)"
		" AND ?2 >= started_at AND ?2 - ended_at <= ?3", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, operator_name);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, max_gap);
	rc = db_step_done(db, st, e, "recording activity");
	if (!rc)
		*extended = sqlite3_changes(db->sql) > 0;
	return rc;
}

int activity_interval_insert(okdf_db *db, const char *operator_name, long long now,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO activity_intervals(operator, started_at, ended_at) VALUES (?1, ?2, ?2)",
		&st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, operator_name);
	sqlite3_bind_int64(st, 2, now);
	return db_step_done(db, st, e, "recording activity");
}

int manual_hours_day_end(okdf_db *db, const char *operator_name, long long day_start,
	long long day_end, long long *end, okdf_err *e)
{
	*end = day_start;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT MAX(started_at + seconds) FROM manual_hours"
		" WHERE operator = ?1 AND started_at >= ?2 AND started_at < ?3", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, operator_name);
	sqlite3_bind_int64(st, 2, day_start);
	sqlite3_bind_int64(st, 3, day_end);
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_error(db, e, "reading manual hours");
	else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		*end = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int manual_hours_insert(okdf_db *db, const char *operator_name, long long started_at,
	long long seconds, const char *note, long long now, long long *id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO manual_hours(operator, started_at, seconds, note, created_at)"
		" VALUES (?, ?, ?, ?, ?)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, operator_name);
	sqlite3_bind_int64(st, 2, started_at);
	sqlite3_bind_int64(st, 3, seconds);
	db_bind_text(st, 4, note);
	sqlite3_bind_int64(st, 5, now);
	rc = db_step_done(db, st, e, "recording manual hours");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(db->sql);
	return rc;
}

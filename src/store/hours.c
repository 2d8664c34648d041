#include "okdf/store/hours.h"

#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"

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

int manual_hours_list(sqlite3 *db, long long from, long long to, manual_hours_row **rows,
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

int manual_hours_get(sqlite3 *db, long long id, manual_hours_row *out, okdf_err *e)
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

int manual_hours_delete(sqlite3 *db, long long id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "DELETE FROM manual_hours WHERE id = ?", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(db, st, e, "removing manual hours");
}

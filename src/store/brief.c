#include "okdf/store/brief.h"

#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

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

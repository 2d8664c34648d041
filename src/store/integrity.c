#include "okdf/store/integrity.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db_private.h"

int db_inspect(const char *path, db_inspection *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	struct stat sb;
	if (stat(path, &sb) != 0)
		return okdf_err_set(e, errno == ENOENT ? OKDF_ENOTFOUND : OKDF_EFAIL, "%s: %s", path,
			strerror(errno));
	/* A read-only connection of its own, never migrated: not db_open's. */
	okdf_db conn = { NULL }, *db = &conn;
	if (sqlite3_open_v2(path, &conn.sql, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		int rc = db_error(db, e, path);
		sqlite3_close(conn.sql);
		return rc;
	}
	sqlite3_busy_timeout(conn.sql, 5000);
	sqlite3_stmt *st = NULL;
	int rc = db_prepare(db, "PRAGMA user_version", &st, e);
	if (!rc) {
		if (sqlite3_step(st) == SQLITE_ROW)
			out->user_version = sqlite3_column_int(st, 0);
		else
			rc = db_error(db, e, "user_version");
		sqlite3_finalize(st);
	}
	/* quick_check: one row "ok", or one row per problem (at most 100). */
	if (!rc)
		rc = db_prepare(db, "PRAGMA quick_check", &st, e);
	if (!rc) {
		int rows = 0, step;
		out->quick_check_ok = 1;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *msg = (const char *)sqlite3_column_text(st, 0);
			if (rows++ == 0 && msg && strcmp(msg, "ok") == 0)
				continue;
			out->quick_check_ok = 0;
			size_t used = strlen(out->problems);
			if (used + 4 < sizeof out->problems)
				snprintf(out->problems + used, sizeof out->problems - used, "%s%s",
					used ? "; " : "", msg ? msg : "?");
		}
		/* Damage quick_check cannot step over is a finding, not an error. */
		if (step == SQLITE_CORRUPT) {
			out->quick_check_ok = 0;
			snprintf(out->problems, sizeof out->problems, "%s", sqlite3_errmsg(conn.sql));
		} else if (step != SQLITE_DONE) {
			rc = db_error(db, e, "quick_check");
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(conn.sql);
	return rc;
}

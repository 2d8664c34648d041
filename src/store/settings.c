#include "okdf/store/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

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

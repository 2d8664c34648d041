#include "okdf/store/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"

int audit_append(sqlite3 *db, const okdf_operator *op, long long at, const char *action,
	const char *target, const char *detail, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO audit_log(at, operator, client, action, target, detail)"
		" VALUES (?, ?, ?, ?, ?, ?)", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, at);
	db_bind_text(st, 2, op->name);
	db_bind_text(st, 3, op->client[0] ? op->client : NULL);
	db_bind_text(st, 4, action);
	db_bind_text(st, 5, target);
	db_bind_text(st, 6, detail);
	return db_step_done(db, st, e, "writing audit log");
}

int audit_list(sqlite3 *db, const char *target, audit_row **rows, int *n, okdf_err *e)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT id, at, operator, client, action, target, detail FROM audit_log"
		" WHERE ?1 IS NULL OR target = ?1 ORDER BY id", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, target);
	int cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			audit_row *grown = realloc(*rows, (size_t)cap * sizeof **rows);
			if (!grown) {
				rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
				break;
			}
			*rows = grown;
		}
		audit_row *r = &(*rows)[*n];
		r->id = sqlite3_column_int64(st, 0);
		r->at = sqlite3_column_int64(st, 1);
		db_col_copy(r->operator_name, sizeof r->operator_name, st, 2);
		db_col_copy(r->client, sizeof r->client, st, 3);
		db_col_copy(r->action, sizeof r->action, st, 4);
		db_col_copy(r->target, sizeof r->target, st, 5);
		r->detail = db_col_dup(st, 6);
		(*n)++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(db, e, "reading audit log");
	sqlite3_finalize(st);
	if (rc) {
		audit_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

void audit_rows_free(audit_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].detail);
	free(rows);
}

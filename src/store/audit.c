#include "okdf/store/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

int audit_append(okdf_db *db, const okdf_operator *op, long long at, const char *action,
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

static void read_audit_row(sqlite3_stmt *st, void *item)
{
	audit_row *r = item;
	r->id = sqlite3_column_int64(st, 0);
	r->at = sqlite3_column_int64(st, 1);
	db_col_copy(r->operator_name, sizeof r->operator_name, st, 2);
	db_col_copy(r->client, sizeof r->client, st, 3);
	db_col_copy(r->action, sizeof r->action, st, 4);
	db_col_copy(r->target, sizeof r->target, st, 5);
	r->detail = db_col_dup(st, 6);
}

static void free_audit_rows(void *items, int n)
{
	audit_rows_free(items, n);
}

int audit_list(okdf_db *db, const char *target, audit_row **rows, int *n, okdf_err *e)
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
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **rows, 16, read_audit_row, free_audit_rows, e,
		"reading audit log");
	*rows = items;
	return rc;
}

void audit_rows_free(audit_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].detail);
	free(rows);
}

#include "okdf/store/ideas.h"

#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

int ideas_add(okdf_db *db, const char *title, long long idea_at, const char *product_id,
	const char *created_by, long long now, long long *id, okdf_err *e)
{
	if (!title || !title[0])
		return okdf_err_set(e, OKDF_EINPUT, "an idea needs a title");
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO ideas(title, idea_at, product_id, created_by, created_at)"
		" VALUES (?, ?, ?, ?, ?)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, title);
	sqlite3_bind_int64(st, 2, idea_at);
	db_bind_text(st, 3, product_id);
	db_bind_text(st, 4, created_by);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? OKDF_OK : db_error(db, e, "recording idea");
	sqlite3_finalize(st);
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(db->sql);
	return rc;
}

int ideas_link(okdf_db *db, long long id, const char *product_id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT 1 FROM products WHERE id = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, product_id);
	int step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step == SQLITE_DONE)
		return okdf_err_set(e, OKDF_ENOTFOUND,
			"no synced product with id \"%s\" (ids look like gid://shopify/Product/123)",
			product_id);
	if (step != SQLITE_ROW)
		return db_error(db, e, "looking up the product");
	rc = db_prepare(db, "UPDATE ideas SET product_id = ? WHERE id = ?", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, product_id);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st) == SQLITE_DONE ? OKDF_OK : db_error(db, e, "linking idea");
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(db->sql) == 0)
		rc = okdf_err_set(e, OKDF_ENOTFOUND, "no idea with id %lld", id);
	return rc;
}

static void read_idea_row(sqlite3_stmt *st, void *item)
{
	idea_row *r = item;
	r->id = sqlite3_column_int64(st, 0);
	db_col_copy(r->title, sizeof r->title, st, 1);
	r->idea_at = sqlite3_column_int64(st, 2);
	db_col_copy(r->product_id, sizeof r->product_id, st, 3);
	db_col_copy(r->product_title, sizeof r->product_title, st, 4);
	db_col_copy(r->created_by, sizeof r->created_by, st, 5);
	r->created_at = sqlite3_column_int64(st, 6);
	r->has_first_sale = sqlite3_column_type(st, 7) != SQLITE_NULL;
	r->first_sale_at = sqlite3_column_int64(st, 7);
}

int ideas_list(okdf_db *db, idea_row **rows, int *n, okdf_err *e)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"SELECT i.id, i.title, i.idea_at, i.product_id, p.title, i.created_by, i.created_at,"
		" f.first_sale_at FROM ideas i"
		" LEFT JOIN products p ON p.id = i.product_id"
		" LEFT JOIN product_first_sale f ON f.product_id = i.product_id"
		" ORDER BY i.idea_at, i.id", &st, e);
	if (rc)
		return rc;
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **rows, 16, read_idea_row, NULL, e,
		"listing ideas");
	*rows = items;
	return rc;
}

#include "okdf/store/evidence.h"

#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

/* Reads the row sql selects by id (its one parameter) into out with
 * read_row; *found says whether there was one. */
static int get_one(okdf_db *db, const char *sql, const char *id, db_row_reader read_row,
	void *out, int *found, okdf_err *e, const char *context)
{
	*found = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, sql, &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*found = 1;
		read_row(st, out);
	}
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? OKDF_OK : db_error(db, e, context);
}

static void read_conversation(sqlite3_stmt *st, void *item)
{
	evidence_conversation *out = item;
	db_col_copy(out->id, sizeof out->id, st, 0);
	db_col_copy(out->agent_id, sizeof out->agent_id, st, 1);
	db_col_copy(out->agent_name, sizeof out->agent_name, st, 2);
	db_col_copy(out->state, sizeof out->state, st, 3);
	db_col_copy(out->title, sizeof out->title, st, 4);
	out->last_message = db_col_dup(st, 5);
	out->created_at = sqlite3_column_int64(st, 6);
	out->updated_at = sqlite3_column_int64(st, 7);
	out->messages = db_col_dup(st, 8);
	out->tool = db_col_dup(st, 9);
	out->params = db_col_dup(st, 10);
	out->amount = db_col_dup(st, 11);
	out->evidence_at = sqlite3_column_int64(st, 12);
}

int evidence_conversation_get(okdf_db *db, const char *id, evidence_conversation *out,
	int *found, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	return get_one(db, "SELECT c.id, coalesce(c.agent_id, ''), coalesce(a.name, ''),"
		" c.state, coalesce(c.title, ''), c.last_message, c.created_at, c.updated_at,"
		" v.messages, v.tool, v.params, v.amount, coalesce(v.fetched_at, 0)"
		" FROM conversations c LEFT JOIN agents a ON a.id = c.agent_id"
		" LEFT JOIN conversation_evidence v ON v.conversation_id = c.id WHERE c.id = ?",
		id, read_conversation, out, found, e, "reading a conversation");
}

void evidence_conversation_clear(evidence_conversation *c)
{
	free(c->last_message);
	free(c->messages);
	free(c->tool);
	free(c->params);
	free(c->amount);
	memset(c, 0, sizeof *c);
}

static void read_ad(sqlite3_stmt *st, void *item)
{
	evidence_ad *out = item;
	db_col_copy(out->id, sizeof out->id, st, 0);
	db_col_copy(out->name, sizeof out->name, st, 1);
	db_col_copy(out->status, sizeof out->status, st, 2);
	db_col_copy(out->effective_status, sizeof out->effective_status, st, 3);
	db_col_copy(out->campaign_id, sizeof out->campaign_id, st, 4);
	db_col_copy(out->campaign_name, sizeof out->campaign_name, st, 5);
	db_col_copy(out->account_id, sizeof out->account_id, st, 6);
	out->updated_at = sqlite3_column_int64(st, 7);
	db_col_copy(out->review_feedback, sizeof out->review_feedback, st, 8);
}

int evidence_ad_get(okdf_db *db, const char *id, evidence_ad *out, int *found, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	return get_one(db, "SELECT a.id, coalesce(a.name, ''), coalesce(a.status, ''),"
		" coalesce(a.effective_status, ''), coalesce(a.campaign_id, ''),"
		" coalesce(c.name, ''), coalesce(c.account_id, ''), a.updated_at,"
		" coalesce(a.review_feedback, '') FROM ads a LEFT JOIN campaigns c ON c.id = a.campaign_id WHERE a.id = ?",
		id, read_ad, out, found, e, "reading an ad");
}

static void read_refund(sqlite3_stmt *st, void *item)
{
	evidence_refund *out = item;
	db_col_copy(out->id, sizeof out->id, st, 0);
	db_col_copy(out->order_id, sizeof out->order_id, st, 1);
	db_col_copy(out->order_name, sizeof out->order_name, st, 2);
	out->note = db_col_dup(st, 3);
	out->created_at = sqlite3_column_int64(st, 4);
	out->amount_minor = sqlite3_column_int64(st, 5);
}

int evidence_refund_get(okdf_db *db, const char *id, evidence_refund *out, int *found,
	okdf_err *e)
{
	memset(out, 0, sizeof *out);
	return get_one(db, "SELECT r.id, r.order_id, coalesce(o.name, ''), r.note,"
		" r.created_at, r.amount_minor FROM refunds r LEFT JOIN orders o ON o.id = r.order_id"
		" WHERE r.id = ?", id, read_refund, out, found, e, "reading a refund");
}

int evidence_shop_domain(okdf_db *db, char *domain, size_t n, okdf_err *e)
{
	domain[0] = '\0';
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT coalesce(domain, '') FROM shop WHERE id = 1", &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		db_col_copy(domain, n, st, 0);
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? OKDF_OK
		: db_error(db, e, "reading the shop");
}

static void read_product(sqlite3_stmt *st, void *item)
{
	product_title *p = item;
	db_col_copy(p->id, sizeof p->id, st, 0);
	db_col_copy(p->title, sizeof p->title, st, 1);
	db_col_copy(p->status, sizeof p->status, st, 2);
}

int product_titles_list(okdf_db *db, product_title **out, int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT id, coalesce(title, id), coalesce(status, '') FROM products"
		" ORDER BY title COLLATE NOCASE, id", &st, e);
	if (rc)
		return rc;
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **out, 32, read_product, NULL, e,
		"listing products");
	*out = items;
	return rc;
}

#include "okdf/store/agents.h"

#include "okdf/store/db.h"
#include "db_private.h"

int agent_upsert(okdf_db *db, const store_agent *a, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO agents (id, name, kind, created_at, last_run_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET"
		" name = excluded.name, kind = excluded.kind, created_at = excluded.created_at,"
		" last_run_at = excluded.last_run_at, updated_at = excluded.updated_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, a->id);
	db_bind_text(st, 2, a->name);
	db_bind_text(st, 3, a->kind);
	db_bind_opt_int64(st, 4, a->created_at, !a->has_created_at);
	db_bind_opt_int64(st, 5, a->last_run_at, !a->has_last_run_at);
	sqlite3_bind_int64(st, 6, a->updated_at);
	return db_step_done(db, st, e, "writing agent");
}

int conversation_upsert(okdf_db *db, const store_conversation *c, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db,
		"INSERT INTO conversations (id, agent_id, state, title, created_at, updated_at,"
		" last_message) VALUES (?1, ?2, ?3, ?4, COALESCE(?5, ?6), ?6, ?7)"
		" ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id,"
		" state = excluded.state, title = excluded.title,"
		" created_at = COALESCE(?5, created_at), updated_at = excluded.updated_at,"
		" last_message = COALESCE(excluded.last_message, last_message)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, c->id);
	db_bind_text(st, 2, c->agent_id);
	db_bind_text(st, 3, c->state);
	db_bind_text(st, 4, c->title);
	db_bind_opt_int64(st, 5, c->created_at, !c->has_created_at);
	sqlite3_bind_int64(st, 6, c->updated_at);
	db_bind_text(st, 7, c->last_message);
	return db_step_done(db, st, e, "writing conversation");
}

int conversation_delete(okdf_db *db, const char *id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "DELETE FROM conversation_evidence WHERE conversation_id = ?1",
		&st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, id);
	if ((rc = db_step_done(db, st, e, "deleting conversation evidence")))
		return rc;
	if ((rc = db_prepare(db, "DELETE FROM conversations WHERE id = ?1", &st, e)))
		return rc;
	db_bind_text(st, 1, id);
	return db_step_done(db, st, e, "deleting conversation");
}

int conversation_evidence_put(okdf_db *db, const store_conversation_evidence *v,
	okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "INSERT INTO conversation_evidence (conversation_id, messages,"
		" tool, params, amount, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
		" ON CONFLICT (conversation_id) DO UPDATE SET messages = excluded.messages,"
		" tool = excluded.tool, params = excluded.params, amount = excluded.amount,"
		" fetched_at = excluded.fetched_at", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, v->conversation_id);
	db_bind_text(st, 2, v->messages ? v->messages : "[]");
	db_bind_text(st, 3, v->tool);
	db_bind_text(st, 4, v->params);
	db_bind_text(st, 5, v->amount);
	sqlite3_bind_int64(st, 6, v->fetched_at);
	return db_step_done(db, st, e, "writing conversation evidence");
}

#define NEEDS_PERSON "('pending-approval', 'errored-pending-approval', 'escalated')"

static void read_ref(sqlite3_stmt *st, void *item)
{
	store_conversation_ref *r = item;
	db_col_copy(r->id, sizeof r->id, st, 0);
	db_col_copy(r->agent_id, sizeof r->agent_id, st, 1);
}

int conversations_needing_person_list(okdf_db *db, int max, store_conversation_ref **out,
	int *n, okdf_err *e)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT id, agent_id FROM conversations WHERE agent_id IS NOT NULL"
		" AND state IN " NEEDS_PERSON " ORDER BY updated_at DESC, id LIMIT ?1", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, max);
	void *items;
	rc = db_read_rows(db, st, &items, n, sizeof **out, 16, read_ref, NULL, e,
		"listing conversations waiting for a person");
	*out = items;
	return rc;
}

int conversation_evidence_prune(okdf_db *db, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "DELETE FROM conversation_evidence WHERE conversation_id NOT IN"
		" (SELECT id FROM conversations WHERE state IN " NEEDS_PERSON ")", &st, e);
	if (rc)
		return rc;
	return db_step_done(db, st, e, "pruning conversation evidence");
}

#include "okdf/store/agents.h"

#include "okdf/store/db.h"

int store_upsert_agent(sqlite3 *db, const store_agent *a, okdf_err *e)
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

int store_upsert_conversation(sqlite3 *db, const store_conversation *c, okdf_err *e)
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

int store_delete_conversation(sqlite3 *db, const char *id, okdf_err *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(db, "DELETE FROM conversations WHERE id = ?1", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, id);
	return db_step_done(db, st, e, "deleting conversation");
}

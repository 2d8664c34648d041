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
		" resolved_by_agent, last_message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id,"
		" state = excluded.state, title = excluded.title, created_at = excluded.created_at,"
		" updated_at = excluded.updated_at, resolved_by_agent = excluded.resolved_by_agent,"
		" last_message = COALESCE(excluded.last_message, last_message)", &st, e);
	if (rc)
		return rc;
	db_bind_text(st, 1, c->id);
	db_bind_text(st, 2, c->agent_id);
	db_bind_text(st, 3, c->state);
	db_bind_text(st, 4, c->title);
	sqlite3_bind_int64(st, 5, c->created_at);
	sqlite3_bind_int64(st, 6, c->updated_at);
	sqlite3_bind_int(st, 7, c->resolved_by_agent ? 1 : 0);
	db_bind_text(st, 8, c->last_message);
	return db_step_done(db, st, e, "writing conversation");
}

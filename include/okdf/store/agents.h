/* Relevance AI tables: agents and their conversations (tasks). */
#ifndef OKDF_STORE_AGENTS_H
#define OKDF_STORE_AGENTS_H

#include <sqlite3.h>

#include "okdf/err.h"

typedef struct store_agent {
	const char *id, *name, *kind; /* name may be NULL; kind: cs, content, creative, other */
	long long created_at, last_run_at, updated_at;
	int has_created_at, has_last_run_at;
} store_agent;

int store_upsert_agent(sqlite3 *db, const store_agent *a, okdf_err *e);

typedef struct store_conversation {
	const char *id, *agent_id, *state, *title, *last_message;
	long long created_at, updated_at;
	int has_created_at; /* 0: keep the stored one, or updated_at for a new row */
} store_conversation;

/* Every state written is also kept in conversation_states (schema v5). */
int store_upsert_conversation(sqlite3 *db, const store_conversation *c, okdf_err *e);
/* Deletes the conversation and its state history; none is not an error. */
int store_delete_conversation(sqlite3 *db, const char *id, okdf_err *e);

#endif

/* Relevance AI tables: agents and their conversations (tasks). */
#ifndef OKDF_STORE_AGENTS_H
#define OKDF_STORE_AGENTS_H

#include <sqlite3.h>

#include "okdf/err.h"

typedef struct store_agent {
	const char *id, *name, *kind; /* kind: cs, content, creative, other */
	long long created_at, last_run_at, updated_at;
	int has_created_at, has_last_run_at;
} store_agent;

int store_upsert_agent(sqlite3 *db, const store_agent *a, okdf_err *e);

typedef struct store_conversation {
	const char *id, *agent_id, *state, *title, *last_message;
	long long created_at, updated_at;
	int resolved_by_agent;
} store_conversation;

int store_upsert_conversation(sqlite3 *db, const store_conversation *c, okdf_err *e);

#endif

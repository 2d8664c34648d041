/* Relevance AI tables: agents and their conversations (tasks). */
#ifndef OKDF_STORE_AGENTS_H
#define OKDF_STORE_AGENTS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct store_agent {
	const char *id, *name, *kind; /* name may be NULL; kind: cs, content, creative, other */
	long long created_at, last_run_at, updated_at;
	int has_created_at, has_last_run_at;
} store_agent;

int agent_upsert(okdf_db *db, const store_agent *a, okdf_err *e);

typedef struct store_conversation {
	const char *id, *agent_id, *state, *title, *last_message;
	long long created_at, updated_at;
	int has_created_at; /* 0: keep the stored one, or updated_at for a new row */
} store_conversation;

/* Every state written is also kept in conversation_states (schema v5). */
int conversation_upsert(okdf_db *db, const store_conversation *c, okdf_err *e);
/* Deletes the conversation, its state history and evidence; none is not an
 * error. */
int conversation_delete(okdf_db *db, const char *id, okdf_err *e);

/* What the task view showed while the conversation needed a person (schema
 * v10): messages a JSON array [{"at","text"}], params a JSON object of
 * strings; the caller bounds their size. tool, params, amount may be NULL. */
typedef struct store_conversation_evidence {
	const char *conversation_id, *messages, *tool, *params, *amount;
	long long fetched_at;
} store_conversation_evidence;

int conversation_evidence_put(okdf_db *db, const store_conversation_evidence *v,
	okdf_err *e);

typedef struct store_conversation_ref {
	char id[128], agent_id[128];
} store_conversation_ref;

/* Conversations waiting for a person (pending-approval,
 * errored-pending-approval, escalated), latest update first, at most max.
 * The caller frees *out. */
int conversations_needing_person_list(okdf_db *db, int max, store_conversation_ref **out,
	int *n, okdf_err *e);

/* Drops the evidence of conversations that no longer wait for a person. */
int conversation_evidence_prune(okdf_db *db, okdf_err *e);

#endif

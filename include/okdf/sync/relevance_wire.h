/* What Relevance AI's list items and task views mean (sync/relevance_wire.c). */
#ifndef OKDF_SYNC_RELEVANCE_WIRE_H
#define OKDF_SYNC_RELEVANCE_WIRE_H

#include <cjson/cJSON.h>

#include "okdf/err.h"
#include "okdf/store/agents.h"

/* cs, content, creative or other, from the agent's name and description. */
const char *relevance_agent_kind(const char *name, const char *description);

/* One agents/list item as a row: name, kind and dates (insert_date_,
 * update_date_; updated_at is now without one). Strings point into a. */
int relevance_parse_agent(const cJSON *a, const char *id, long long now, store_agent *out,
	okdf_err *e);

/* One conversations/list result: id (knowledge_set), agent, state, title and
 * dates. Only the id is required: state and agent may be NULL; without
 * insert_date has_created_at is 0, without update_date updated_at is
 * insert_date, else now. Strings point into item. */
int relevance_parse_conversation(const cJSON *item, long long now, store_conversation *out,
	okdf_err *e);

/* 1 for a builder's test run (metadata.conversation.is_debug_mode_task). */
int relevance_is_debug_task(const cJSON *item);

/* What a person needs from a task view (steps oldest first): the customer's
 * last RELEVANCE_VIEW_MESSAGES messages as JSON [{"at","text"}] ("at" 0 when
 * the step has no readable time), and the last pending tool run: its title,
 * its resolved parameters as a JSON object of strings (at most
 * RELEVANCE_VIEW_PARAMS), and the first parameter named like "amount". Texts
 * are cut at RELEVANCE_VIEW_TEXT bytes on a character boundary. All owned,
 * NULL when absent (messages is never NULL on success). */
#define RELEVANCE_VIEW_MESSAGES 10
#define RELEVANCE_VIEW_PARAMS 20
#define RELEVANCE_VIEW_TEXT 1000
typedef struct relevance_view {
	char *messages, *tool, *params, *amount;
} relevance_view;

int relevance_parse_view(const cJSON *view, relevance_view *out, okdf_err *e);
void relevance_view_clear(relevance_view *v);

#endif

/* Relevance AI connector: agents and conversations. */
#ifndef OKDF_SYNC_RELEVANCE_H
#define OKDF_SYNC_RELEVANCE_H

#include <cjson/cJSON.h>

#include "okdf/store/agents.h"
#include "okdf/sync/connector.h"

/* Runs one pass. OKDF_EAUTH when the vendor rejects the credentials. */
int relevance_sync(sync_ctx *c, okdf_err *e);
/* Frees what the connector kept in c->state across passes. */
void relevance_free(sync_ctx *c);

/* Paging one Relevance list. Pages are numbered from 1 and the service may
 * serve fewer items than asked, so a list ends at the first page that brings
 * no id not already seen in this listing (which also stops a service that
 * ignores `page`), or after max_pages pages. */
typedef struct relevance_pager relevance_pager;

relevance_pager *relevance_pager_new(int max_pages); /* NULL: out of memory */
void relevance_pager_free(relevance_pager *p);
/* The page to ask for now. */
int relevance_pager_page(const relevance_pager *p);
/* One item of the current page: 1 when its id is new (store it), 0 when
 * already seen in this listing, -1 out of memory. */
int relevance_pager_add(relevance_pager *p, const char *id);
/* After a page: 1 to ask for the next one, 0 to stop; *capped is 1 when
 * stopped by max_pages while pages still brought new ids. */
int relevance_pager_next(relevance_pager *p, int *capped);

/* cs, content, creative or other, from the agent's name and description. */
const char *relevance_agent_kind(const char *name, const char *description);

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

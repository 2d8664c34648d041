/* The executor of inbox decisions: a connector's worker carries out the
 * actions queued for it (escalation_actions) over its own HTTP client and
 * writes each result back to the escalation (inbox_action_finished).
 *  - meta, campaign.set_daily_budget: POST {base}/{api_version}/{campaign_id}
 *    with daily_budget=<minor units> and access_token, form-encoded.
 *  - relevance, agent.approve / agent.reject: reads the task's pending tool
 *    run (POST /latest/agents/{agent}/tasks/{conversation}/view) for its
 *    action and action_request_id, then POST /latest/agents/trigger in the
 *    same conversation: approve sends role "action-confirm" with the action
 *    (as the Python SDK does); reject sends a role "user" message telling the
 *    agent the operator declined that action and why (the decision note),
 *    since the API documents no reject. Neither trigger is retried after a
 *    5xx, since Relevance bills and runs a repeated trigger again. */
#ifndef OKDF_SYNC_ACTIONS_H
#define OKDF_SYNC_ACTIONS_H

#include <cjson/cJSON.h>

#include "okdf/sync/connector.h"

/* A Relevance task's tool run waiting for approval. */
typedef struct actions_run_ref {
	char action[128], request_id[128], title[128]; /* title may be empty */
} actions_run_ref;

/* The last tool-run step with tool_run_state "pending" in a task view
 * answer: 1 when found. */
int actions_pending_run(const cJSON *view, actions_run_ref *p);

/* The user message that declines p for the reason note: the agent is told
 * the operator declined that action and must not run it. */
void actions_decline_text(const actions_run_ref *p, const char *note, char *buf, size_t n);

/* Carries out every pending action of connector c->name, oldest first.
 * *done counts actions finished (succeeded or failed at the vendor); the
 * return is OKDF_OK unless the database failed. */
int actions_run(sync_ctx *c, int *done, okdf_err *e);

#endif

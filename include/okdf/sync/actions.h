/* The executor of inbox decisions: a connector's worker carries out the
 * actions queued for it (escalation_actions) over its own HTTP client and
 * writes each result back to the escalation (inbox_action_finished).
 *  - meta, campaign.set_daily_budget: POST {base}/{api_version}/{campaign_id}
 *    with daily_budget=<minor units> and access_token, form-encoded.
 *  - relevance, agent.approve / agent.reject: reads the task's pending tool
 *    run (POST /latest/agents/{agent}/tasks/{conversation}/view) for its
 *    action and action_request_id, then POST /latest/agents/trigger with
 *    message role "action-confirm" (approve) or "action-reject" (reject).
 *    A reject never sends action-confirm: a vendor that does not know the
 *    reject role answers with an error, shown in the inbox, instead of
 *    running the tool. Neither trigger is retried after a 5xx, since
 *    Relevance bills and runs a repeated trigger again. */
#ifndef OKDF_SYNC_ACTIONS_H
#define OKDF_SYNC_ACTIONS_H

#include "okdf/sync/connector.h"

/* Carries out every pending action of connector c->name, oldest first.
 * *done counts actions finished (succeeded or failed at the vendor); the
 * return is OKDF_OK unless the database failed. */
int actions_run(sync_ctx *c, int *done, okdf_err *e);

#endif

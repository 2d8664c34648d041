/* The agent rule: a Relevance AI conversation waiting for a person, pending
 * approval or escalated (agent.approval). It always runs. */
#include <stdio.h>
#include <string.h>

#include "okdf/store/rules.h"
#include "rules_private.h"

static int approval_raise(void *ctx, const approval_row *r)
{
	rule_ctx *c = ((struct scan *)ctx)->c;
	okdf_err *e = ((struct scan *)ctx)->e;
	char cond[160], key[256];
	snprintf(cond, sizeof cond, "conversation:%s", r->conversation_id);
	long long started;
	int is_new;
	int rc = episode_hold(c, "agent_approval", cond, &started, &is_new, e);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "agent.approval:%s:%lld", r->conversation_id, started);
	int escalated = strcmp(r->state, "escalated") == 0;
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "conversation_id", r->conversation_id);
	cJSON_AddStringToObject(ev, "agent_id", r->agent_id);
	cJSON_AddStringToObject(ev, "agent_name", r->agent_name);
	cJSON_AddStringToObject(ev, "state", r->state);
	rule_add_time(ev, "since", started);
	return rule_raise(c, "agent.approval", escalated ? "high" : "normal", "relevance/tasks", ev,
		key, e, "%s: %s", escalated ? "Agent escalated" : "Agent awaits approval", r->title);
}

/* agent.approval */
int rule_agent_approval(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "agent_approval", e);
	if (rc)
		return rc;
	struct scan x = { c, e };
	rc = conversations_awaiting_each(c->db, approval_raise, &x, e);
	return rc ? rc : episodes_end(c, "agent_approval", e);
}

/* One escalation per source event. The rules engine hands every escalation
 * it would raise to a rule_merge; at the end of a pass the ones that share a
 * source (a conversation, an ad, an account, a refund) become one
 * escalation listing every matching rule, at the highest severity among
 * them, of the most severe rule's kind (a listed rule that takes a decision
 * keeps approve or reject possible: inbox_deciding_kind). A rule matching the source of an escalation that
 * is still unresolved joins it instead of raising a new one. Escalations
 * without a source event (anomalies over the whole shop) pass through
 * unchanged. */
#ifndef OKDF_CORE_RULE_MERGE_H
#define OKDF_CORE_RULE_MERGE_H

#include <cjson/cJSON.h>

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct rule_merge rule_merge;

rule_merge *rule_merge_create(void);
void rule_merge_destroy(rule_merge *m);

/* Queues one escalation; takes ownership of evidence. Its sources are read
 * from the evidence: conversation_id, ad_id, account_id, and items[] of
 * {type, id}. */
int rule_merge_add(rule_merge *m, const char *kind, const char *severity, const char *source,
	const char *title, cJSON *evidence, const char *dedup_key, okdf_err *e);

/* Raises or joins what was queued, inside the caller's transaction; *raised
 * counts new escalations. Empties m. */
int rule_merge_flush(rule_merge *m, okdf_db *db, long long now, int *raised, okdf_err *e);

#endif

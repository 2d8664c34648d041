/* Rules that raise escalations from synced data. Pure functions over the
 * store and a `now`; thresholds from [rules] in config.ini.
 *
 * Episodes and dedup. A rule's condition (an ad disapproved, a connector
 * down, a refund spike, ...) that holds at an evaluation is an episode,
 * remembered in rule_episodes with the time it was first seen. The dedup key
 * is kind:condition:episode-start, so however often a persisting condition
 * is evaluated it maps to the same escalation, also after an operator
 * resolved it. An evaluation that no longer sees the condition ends the
 * episode; when it comes back it starts a new episode, with a new key, and
 * is raised again. Events rather than states carry their own identity in the
 * key instead: a budget raise (campaign + the time the new budget was
 * observed), a day's spend spike (campaign + day), a brief hash change, a new
 * market (the country: once seen, always seen).
 *
 * Rules (kind, severity):
 *  - crisis.policy_violation: an ad account with account_status != 1
 *    (critical); an ad whose effective_status is DISAPPROVED (high).
 *  - crisis.recall / crisis.negative_review (critical): conversations updated
 *    and refund notes created in the last 24 h that contain a configured
 *    keyword at a word start, counted per item, at least keyword_min_count.
 *    Keywords about harm (recall, injur*, allerg*, burn, rash, unsafe, ...)
 *    give crisis.recall, the rest crisis.negative_review.
 *  - crisis.recall "possible product defect" (critical): >= refund_spike_min
 *    refunds in 24 h and one product in at least half of them.
 *  - anomaly.refund_spike (high): the refunds of the last 24 h number more
 *    than mean + 2 sigma of the 28 preceding 24-h windows, and at least
 *    refund_spike_min.
 *  - anomaly.revenue_drop (high): order revenue since the shop's local
 *    midnight is under half the average of the same stretch of the same
 *    weekday over the last 4 weeks, while those 4 averaged at least
 *    revenue_drop_min_orders orders (shop timezone; cancelled and test
 *    orders excluded; refunds not deducted).
 *  - anomaly.sync_down (high): a connector, not disabled, whose last success
 *    is older than sync_down_intervals * interval_seconds.
 *  - budget.scale (high): the newest daily budget of a campaign more than
 *    budget_raise_pct above the one before it; a daily budget above the
 *    approved cap (settings budget_cap_minor, else [rules] budget_cap_minor;
 *    0 = no cap); a day's spend (the latest day synced, within 2 days) above
 *    spend_spike_pct % of the 7 days before it (missing days count 0).
 *    Evidence carries revert_to_minor for raises (the previous budget) and
 *    caps (the newest earlier budget within the cap, else the cap).
 *  - budget.new_product (normal): a product that became active since the
 *    previous evaluation (updated in the last 7 days). The first evaluation
 *    that sees products records them as the baseline and raises nothing.
 *  - budget.new_market (normal): a shipping country whose first order came
 *    in the last 7 days while the shop has older orders.
 *  - brand.positioning (high): the registered brief's sha256 differs from the
 *    one the previous evaluation saw (the first sighting is recorded only).
 *  - agent.approval: a conversation in pending-approval (normal) or
 *    escalated (high).
 * Nothing here resolves an escalation: clearing only ends an episode. */
#ifndef OKDF_CORE_RULES_H
#define OKDF_CORE_RULES_H

#include "okdf/core/config.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

/* Evaluates every rule in one transaction (the caller must not hold one) and
 * raises what holds through inbox_raise. *raised counts new escalations.
 * Safe to call after every sync commit and from several processes. */
int rules_evaluate(okdf_db *db, const okdf_rules_config *cfg, long long now, int *raised,
	okdf_err *e);

#endif

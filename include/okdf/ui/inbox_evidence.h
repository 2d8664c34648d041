/* The evidence part of an escalation's detail page: what a person needs to
 * decide. The source (a customer's conversation with the agent's state and
 * last message, an ad with its status and review outcome, a product) read
 * from the store, with plain URLs to open it in Shopify admin or Ads Manager;
 * every rule a merged escalation lists; the numbers against their baseline,
 * money in the shop's currency and times in the shop's zone. */
#ifndef OKDF_UI_INBOX_EVIDENCE_H
#define OKDF_UI_INBOX_EVIDENCE_H

#include "okdf/store/inbox.h"
#include "okdf/ui/pager.h"
#include "okdf/ui/panel.h"

void inbox_evidence_fill(const ui_panel_ctx *cx, ui_pager *pg, const escalation *x);

#endif

/* The automatic phase checks that judge the metrics (TTR, RPOH, cart
 * recovery, agent resolution share). Each is a check_fn of the registry in
 * core/checks.h: it returns OKDF_OK with out's state and one-line reason, or
 * a negative status with e set on a store error. Missing data (no shop, no
 * orders, nothing in the window) is CHECK_NO_DATA, never a pass. */
#ifndef OKDF_CORE_METRIC_CHECKS_H
#define OKDF_CORE_METRIC_CHECKS_H

#include "okdf/core/checks.h"

/* Phase 3: TTR has at least one product with a first sale (all time) and
 * 30-day RPOH is defined (operator hours recorded). */
int metrics_check_baseline(const check_ctx *c, check_result *out, okdf_err *e);
/* Phase 4: revenue recovery rate >= 10 % over the 30 shop days ending 7 days
 * ago (checkouts at least 7 days old). */
int metrics_check_cart_recovery(const check_ctx *c, check_result *out, okdf_err *e);
/* Phase 5: agent resolution share >= 80 % over the last 14 shop days. */
int metrics_check_agent_share(const check_ctx *c, check_result *out, okdf_err *e);
/* Phase 11: median TTR <= 14 days over first sales in the last 90 shop days. */
int metrics_check_ttr_median(const check_ctx *c, check_result *out, okdf_err *e);
/* Phase 11: 30-day RPOH >= 500 major units of shop currency per hour. */
int metrics_check_rpoh_30d(const check_ctx *c, check_result *out, okdf_err *e);

#endif

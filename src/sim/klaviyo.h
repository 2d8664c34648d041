/* Klaviyo JSON:API: /api/metrics/, /api/flows/, /api/flow-values-reports/. */
#ifndef OKDF_SIM_KLAVIYO_H
#define OKDF_SIM_KLAVIYO_H

#include "context.h"

extern const struct sim_service sim_klaviyo_service;

/* Klaviyo's published limits, or relaxed ones when OKDF_SIM_KLAVIYO_STRICT=0. */
void sim_klaviyo_init_limits(struct sim_ctx *ctx);

struct sim_flow_desc {
	const char *id, *name, *status, *trigger_type, *trigger_metric;
	int n_messages;
};
extern const struct sim_flow_desc sim_klaviyo_flows[];
extern const size_t sim_klaviyo_n_flows;

#endif

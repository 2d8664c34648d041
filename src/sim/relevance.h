/* Relevance AI agents API under /latest: agents, conversations (tasks),
 * task steps, and trigger (including approving a pending tool run). */
#ifndef OKDF_SIM_RELEVANCE_H
#define OKDF_SIM_RELEVANCE_H

#include "context.h"

extern const struct sim_service sim_relevance_service;

#endif

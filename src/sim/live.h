/* --live: a thread that keeps the store moving in real time (new orders,
 * refunds, checkouts, conversations, and one early crisis conversation). */
#ifndef OKDF_SIM_LIVE_H
#define OKDF_SIM_LIVE_H

#include "model.h"

struct sim_live;

/* Returns NULL when the thread cannot start. */
struct sim_live *sim_live_start(struct sim_model *m);
void sim_live_stop(struct sim_live *l);

#endif

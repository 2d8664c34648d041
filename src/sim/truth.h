/* Files written from the model: the expected aggregates (--truth) and the
 * order dumps for the ingest benchmark (--dump-orders-json/-csv). */
#ifndef OKDF_SIM_TRUTH_H
#define OKDF_SIM_TRUTH_H

#include "model.h"

/* Each returns 0, or -1 with errno set (I/O or memory). */
int sim_truth_write(const struct sim_model *m, const char *path);
int sim_dump_orders_json(const struct sim_model *m, const char *path);
int sim_dump_orders_csv(const struct sim_model *m, const char *path);

#endif

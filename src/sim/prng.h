/* Deterministic pseudo-random numbers for the simulator (splitmix64).
 * Never rand(): the same seed must give byte-identical output everywhere. */
#ifndef OKDF_SIM_PRNG_H
#define OKDF_SIM_PRNG_H

#include <stdint.h>

struct sim_prng {
	uint64_t state;
};

void sim_prng_seed(struct sim_prng *p, uint64_t seed, uint64_t stream);
uint64_t sim_prng_next(struct sim_prng *p);
/* Uniform integer in [lo, hi] (inclusive). */
int64_t sim_prng_range(struct sim_prng *p, int64_t lo, int64_t hi);
/* Uniform double in [0, 1). */
double sim_prng_unit(struct sim_prng *p);
/* True with probability prob. */
int sim_prng_chance(struct sim_prng *p, double prob);

#endif

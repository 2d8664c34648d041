#include "prng.h"

void sim_prng_seed(struct sim_prng *p, uint64_t seed, uint64_t stream)
{
	/* Distinct streams keep history, live events and faults independent,
	 * so enabling faults never changes the generated store. */
	p->state = seed * 0x9E3779B97F4A7C15ULL ^ (stream + 1) * 0xD1B54A32D192ED03ULL;
	(void)sim_prng_next(p);
}

uint64_t sim_prng_next(struct sim_prng *p)
{
	uint64_t z = (p->state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

int64_t sim_prng_range(struct sim_prng *p, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	uint64_t span = (uint64_t)(hi - lo) + 1;
	return lo + (int64_t)(sim_prng_next(p) % span);
}

double sim_prng_unit(struct sim_prng *p)
{
	return (double)(sim_prng_next(p) >> 11) * (1.0 / 9007199254740992.0);
}

int sim_prng_chance(struct sim_prng *p, double prob)
{
	return sim_prng_unit(p) < prob;
}

/* Rate-limit models: Shopify's leaky cost bucket and fixed-window counters
 * (Klaviyo's burst/steady/daily windows, Meta's usage percentages). Time is
 * the real monotonic clock so limits behave the same with or without --now. */
#ifndef OKDF_SIM_RATELIMIT_H
#define OKDF_SIM_RATELIMIT_H

#include <stdbool.h>

struct sim_cost_bucket {
	double maximum, available, restore_rate, last;
};

void sim_bucket_init(struct sim_cost_bucket *b, double maximum, double restore_rate);
/* Restores points for the time elapsed; returns the points available now. */
double sim_bucket_refill(struct sim_cost_bucket *b);
void sim_bucket_charge(struct sim_cost_bucket *b, double points);

struct sim_window_limit {
	int limit;
	double window_seconds, window_start;
	int used;
};

void sim_window_init(struct sim_window_limit *w, int limit, double window_seconds);
/* Rolls the window if it expired; true when one more request fits. */
bool sim_window_has_room(struct sim_window_limit *w);
void sim_window_take(struct sim_window_limit *w);
/* Seconds until the current window resets (at least 1). */
int sim_window_reset_in(const struct sim_window_limit *w);

#endif

#include "ratelimit.h"

#include "simtime.h"

void sim_bucket_init(struct sim_cost_bucket *b, double maximum, double restore_rate)
{
	b->maximum = b->available = maximum;
	b->restore_rate = restore_rate;
	b->last = sim_time_monotonic();
}

double sim_bucket_refill(struct sim_cost_bucket *b)
{
	double now = sim_time_monotonic();
	b->available += (now - b->last) * b->restore_rate;
	if (b->available > b->maximum)
		b->available = b->maximum;
	b->last = now;
	return b->available;
}

void sim_bucket_charge(struct sim_cost_bucket *b, double points)
{
	b->available -= points;
	if (b->available < 0)
		b->available = 0;
}

void sim_window_init(struct sim_window_limit *w, int limit, double window_seconds)
{
	w->limit = limit;
	w->window_seconds = window_seconds;
	w->window_start = sim_time_monotonic();
	w->used = 0;
}

bool sim_window_has_room(struct sim_window_limit *w)
{
	double now = sim_time_monotonic();
	if (now - w->window_start >= w->window_seconds) {
		w->window_start = now;
		w->used = 0;
	}
	return w->used < w->limit;
}

void sim_window_take(struct sim_window_limit *w)
{
	w->used++;
}

int sim_window_reset_in(const struct sim_window_limit *w)
{
	double left = w->window_start + w->window_seconds - sim_time_monotonic();
	int secs = (int)(left + 0.999);
	return secs < 1 ? 1 : secs;
}

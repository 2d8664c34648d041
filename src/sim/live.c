#include "live.h"

#include <stdatomic.h>
#include <stdlib.h>

#define CRISIS_AFTER_SECONDS 5.0

struct sim_live {
	struct sim_model *model;
	pthread_t thread;
	atomic_bool stop;
};

static const char *const cs_live_titles[] = {
	"Where is my order?", "Can I change my size?", "Refund request for damaged item",
	"Do you ship to Canada?",
};

static void tick(struct sim_model *m)
{
	struct sim_prng *r = &m->rng;
	int64_t now = sim_model_now(m);
	/* Allocation failures only skip this tick's event. */
	(void)sim_model_add_order(m, now);
	if (sim_prng_chance(r, 0.15))
		(void)sim_model_add_refund(m, now);
	if (sim_prng_chance(r, 0.25))
		(void)sim_model_add_checkout(m, now);
	if (sim_prng_chance(r, 0.2)) {
		const char *title = cs_live_titles[sim_prng_range(r, 0, 3)];
		if (sim_model_add_conversation(m, 0, title, "running", now) == 0)
			m->conversations[m->n_conversations - 1].complete_at =
				sim_time_monotonic() + 5.0;
	}
	if (!m->crisis_added && sim_time_monotonic() - m->started_mono >= CRISIS_AFTER_SECONDS) {
		m->crisis_added = true;
		(void)sim_model_add_conversation(
			m, 0, "Your product gave me a rash - this video is going viral, negative review "
			      "posted",
			"escalated", now);
	}
}

static void *run(void *arg)
{
	struct sim_live *l = arg;
	while (!atomic_load(&l->stop)) {
		pthread_mutex_lock(&l->model->lock);
		long wait_ms = (long)sim_prng_range(&l->model->rng, 1000, 3000);
		pthread_mutex_unlock(&l->model->lock);
		for (long slept = 0; slept < wait_ms && !atomic_load(&l->stop); slept += 100)
			sim_time_sleep_ms(100);
		if (atomic_load(&l->stop))
			break;
		pthread_mutex_lock(&l->model->lock);
		tick(l->model);
		pthread_mutex_unlock(&l->model->lock);
	}
	return NULL;
}

struct sim_live *sim_live_start(struct sim_model *m)
{
	struct sim_live *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->model = m;
	atomic_init(&l->stop, false);
	if (pthread_create(&l->thread, NULL, run, l) != 0) {
		free(l);
		return NULL;
	}
	return l;
}

void sim_live_stop(struct sim_live *l)
{
	if (!l)
		return;
	atomic_store(&l->stop, true);
	pthread_join(l->thread, NULL);
	free(l);
}

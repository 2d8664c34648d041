/* Printed JSON of model rows, kept while the row is unchanged. Serving the
 * ingest benchmark (--no-throttle) from pre-printed nodes keeps the
 * simulator from being the bottleneck it measures. Guarded by model.lock. */
#ifndef OKDF_SIM_NODE_CACHE_H
#define OKDF_SIM_NODE_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct sim_node_cache {
	char **text;
	int64_t *version; /* the row's updated time when printed */
	size_t cap;
};

/* The cached text of row at version, or NULL when absent or stale. */
const char *sim_node_cache_get(const struct sim_node_cache *c, size_t row, int64_t version);
/* Takes ownership of text (malloc'd). Returns 0, or -1 (text freed). */
int sim_node_cache_put(struct sim_node_cache *c, size_t row, int64_t version, char *text);
void sim_node_cache_free(struct sim_node_cache *c);

#endif

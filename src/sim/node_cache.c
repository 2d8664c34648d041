#include "node_cache.h"

#include <stdlib.h>
#include <string.h>

const char *sim_node_cache_get(const struct sim_node_cache *c, size_t row, int64_t version)
{
	if (row >= c->cap || !c->text[row] || c->version[row] != version)
		return NULL;
	return c->text[row];
}

int sim_node_cache_put(struct sim_node_cache *c, size_t row, int64_t version, char *text)
{
	if (row >= c->cap) {
		size_t cap = c->cap ? c->cap : 1024;
		while (cap <= row)
			cap *= 2;
		char **t = realloc(c->text, cap * sizeof *t);
		if (t)
			c->text = t;
		int64_t *v = t ? realloc(c->version, cap * sizeof *v) : NULL;
		if (!v) {
			free(text);
			return -1;
		}
		c->version = v;
		memset(c->text + c->cap, 0, (cap - c->cap) * sizeof *t);
		c->cap = cap;
	}
	free(c->text[row]);
	c->text[row] = text;
	c->version[row] = version;
	return 0;
}

void sim_node_cache_free(struct sim_node_cache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->text[i]);
	free(c->text);
	free(c->version);
	memset(c, 0, sizeof *c);
}

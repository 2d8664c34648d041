/* A set of string ids with dense indices: an open-addressing hash table
 * (FNV-1a, linear probing, kept at most half full) whose slots point into
 * arenas holding the ids, so that a million customer ids cost a few large
 * allocations rather than a million small ones. The metrics count distinct
 * customers with it over one scan of the orders. */
#include "okdf/core/idset.h"

#include <stdlib.h>
#include <string.h>

#define FIRST_CAP 1024        /* slots; a power of two */
#define ARENA_SIZE (1 << 16)  /* bytes of ids per arena, unless one is longer */

struct slot {
	const char *id; /* in an arena, NULL when free */
	unsigned hash;
	size_t index;
};

struct idset {
	struct slot *tab;
	size_t cap, used;
	char **arenas;
	int n_arenas;
	size_t arena_used, arena_cap; /* of the last arena */
};

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

idset *idset_new(void)
{
	idset *s = calloc(1, sizeof *s);
	if (s && !(s->tab = calloc(FIRST_CAP, sizeof *s->tab))) {
		free(s);
		return NULL;
	}
	if (s)
		s->cap = FIRST_CAP;
	return s;
}

void idset_free(idset *s)
{
	if (!s)
		return;
	free(s->tab);
	for (int k = 0; k < s->n_arenas; k++)
		free(s->arenas[k]);
	free(s->arenas);
	free(s);
}

size_t idset_count(const idset *s)
{
	return s->used;
}

/* Doubles the table; ids already in it keep their indices. */
static int grow(idset *s, okdf_err *e)
{
	size_t ncap = s->cap * 2;
	struct slot *nt = calloc(ncap, sizeof *nt);
	if (!nt)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	for (size_t j = 0; j < s->cap; j++) {
		if (!s->tab[j].id)
			continue;
		size_t m = s->tab[j].hash & (ncap - 1);
		while (nt[m].id)
			m = (m + 1) & (ncap - 1);
		nt[m] = s->tab[j];
	}
	free(s->tab);
	s->tab = nt;
	s->cap = ncap;
	return OKDF_OK;
}

/* A copy of id (len bytes and its NUL) in the arenas. */
static const char *intern(idset *s, const char *id, size_t len, okdf_err *e)
{
	if (!s->n_arenas || s->arena_used + len + 1 > s->arena_cap) {
		size_t sz = len + 1 > ARENA_SIZE ? len + 1 : ARENA_SIZE;
		char **grown = realloc(s->arenas, (size_t)(s->n_arenas + 1) * sizeof *s->arenas);
		if (grown)
			s->arenas = grown;
		char *arena = grown ? malloc(sz) : NULL;
		if (!arena) {
			okdf_err_set(e, OKDF_ENOMEM, "out of memory");
			return NULL;
		}
		s->arenas[s->n_arenas++] = arena;
		s->arena_used = 0;
		s->arena_cap = sz;
	}
	char *copy = s->arenas[s->n_arenas - 1] + s->arena_used;
	memcpy(copy, id, len + 1);
	s->arena_used += len + 1;
	return copy;
}

int idset_add(idset *s, const char *id, size_t len, size_t *index, okdf_err *e)
{
	/* Grown before inserting, so the slot found stays the id's. */
	int rc;
	if ((s->used + 1) * 2 > s->cap && (rc = grow(s, e)))
		return rc;
	unsigned h = hash_str(id);
	size_t i = h & (s->cap - 1);
	while (s->tab[i].id && (s->tab[i].hash != h || strcmp(s->tab[i].id, id) != 0))
		i = (i + 1) & (s->cap - 1);
	if (!s->tab[i].id) {
		const char *copy = intern(s, id, len, e);
		if (!copy)
			return OKDF_ENOMEM;
		s->tab[i] = (struct slot){ .id = copy, .hash = h, .index = s->used++ };
	}
	*index = s->tab[i].index;
	return OKDF_OK;
}

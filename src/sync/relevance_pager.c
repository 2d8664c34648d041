/* A guard for Relevance AI's page-numbered lists, which have no total and may
 * serve short pages: a listing ends at the first page that brings no id it
 * has not seen, or after max_pages. */
#include "okdf/sync/relevance_pager.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The ids one listing has seen (open addressing, at most half full), the
 * current page and whether it brought one not seen before. */
struct relevance_pager {
	char **slot;
	size_t cap, n;
	int page, max_pages, fresh;
};

relevance_pager *relevance_pager_new(int max_pages)
{
	relevance_pager *p = calloc(1, sizeof *p);
	if (p) {
		p->page = 1;
		p->max_pages = max_pages;
	}
	return p;
}

void relevance_pager_free(relevance_pager *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->cap; i++)
		free(p->slot[i]);
	free(p->slot);
	free(p);
}

int relevance_pager_page(const relevance_pager *p)
{
	return p->page;
}

static size_t id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return (size_t)h;
}

static char **id_find(char **slot, size_t cap, const char *id)
{
	size_t i = id_hash(id) & (cap - 1);
	while (slot[i] && strcmp(slot[i], id) != 0)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

int relevance_pager_add(relevance_pager *p, const char *id)
{
	if (2 * (p->n + 1) > p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		char **slot = calloc(cap, sizeof *slot);
		if (!slot)
			return -1;
		for (size_t i = 0; i < p->cap; i++)
			if (p->slot[i])
				*id_find(slot, cap, p->slot[i]) = p->slot[i];
		free(p->slot);
		p->slot = slot;
		p->cap = cap;
	}
	char **at = id_find(p->slot, p->cap, id);
	if (*at)
		return 0;
	if (!(*at = strdup(id)))
		return -1;
	p->n++;
	p->fresh = 1;
	return 1;
}

int relevance_pager_next(relevance_pager *p, int *capped)
{
	*capped = 0;
	if (!p->fresh)
		return 0;
	if (p->page >= p->max_pages) {
		*capped = 1;
		return 0;
	}
	p->page++;
	p->fresh = 0;
	return 1;
}

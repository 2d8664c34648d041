/* A set of string ids, each given a dense index (0, 1, 2 ... in order of
 * first sight) that callers use to keep their own per-id counts in a plain
 * array. Ids are copied; the set owns its memory. */
#ifndef OKDF_CORE_IDSET_H
#define OKDF_CORE_IDSET_H

#include <stddef.h>

#include "okdf/err.h"

typedef struct idset idset;

/* NULL when out of memory. */
idset *idset_new(void);
void idset_free(idset *s);

/* The index of id (len bytes before its NUL), added when not yet in the set.
 * Out of memory: OKDF_ENOMEM, the set unchanged. */
int idset_add(idset *s, const char *id, size_t len, size_t *index, okdf_err *e);

/* Ids in the set; every index is below it. */
size_t idset_count(const idset *s);

#endif

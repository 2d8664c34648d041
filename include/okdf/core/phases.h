/* The 11-phase catalog (data/phases.json): loading, validation and
 * lookups. Status and gating are in okdf/core/phase_gate.h, sign-off,
 * completion and reopen in okdf/core/phase_record.h. */
#ifndef OKDF_CORE_PHASES_H
#define OKDF_CORE_PHASES_H

#include <stddef.h>

#include "okdf/err.h"

typedef struct phase_item {
	char *id;
	char *description;
} phase_item;

typedef struct phase_def {
	char *id;     /* stable slug, e.g. "warehouse" */
	int number;   /* 1-based position in the sequence */
	char *title;
	char *goal;
	char *guidance;
	size_t *prereqs; /* indices into phase_catalog.phases */
	size_t n_prereqs;
	phase_item *checks;
	size_t n_checks;
	phase_item *signoffs;
	size_t n_signoffs;
	int reopens_on_brief_change;
} phase_def;

typedef struct phase_catalog {
	char *path;        /* the file it was loaded from */
	phase_def *phases; /* sorted by number */
	size_t n;
} phase_catalog;

/* Loads and validates dir_or_file (a directory, or any path not ending in
 * ".json", means DIR/phases.json).
 * Every error names the file and the JSON path, or the line for malformed
 * JSON; all are OKDF_EINPUT. The caller frees *out with phases_free. */
int phases_load(const char *dir_or_file, phase_catalog **out, okdf_err *e);

/* As phases_load, over text already in memory; name is used in messages. */
int phases_parse(const char *text, const char *name, phase_catalog **out, okdf_err *e);

void phases_free(phase_catalog *cat);

/* Lookups; NULL when absent. */
const phase_def *phases_by_number(const phase_catalog *cat, int number);
const phase_def *phases_by_id(const phase_catalog *cat, const char *id);
size_t phases_index(const phase_catalog *cat, const phase_def *p);

#endif

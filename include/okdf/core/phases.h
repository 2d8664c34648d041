/* The 11-phase catalog (data/phases.json): loading, validation, status
 * derivation and gating. Sign-off, completion and reopen are recorded in
 * the store and in the audit log. */
#ifndef OKDF_CORE_PHASES_H
#define OKDF_CORE_PHASES_H

#include <sqlite3.h>
#include <stddef.h>

#include "okdf/core/checks.h"
#include "okdf/core/operator.h"
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

typedef enum phase_status {
	PHASE_NOT_STARTED,
	PHASE_BLOCKED,
	PHASE_IN_PROGRESS,
	PHASE_DONE,
} phase_status;

/* "not_started", "blocked", "in_progress", "done". */
const char *phase_status_name(phase_status s);

typedef struct phase_signoff_state {
	int given;
	char signed_by[64];
	long long signed_at;
	char *note; /* may be NULL */
} phase_signoff_state;

/* One phase as it stands now. */
typedef struct phase_view {
	const phase_def *def;
	phase_status status;
	int blocked_by; /* lowest open prerequisite's number; 0 when none or done */
	int completed;
	long long completed_at;
	char completed_by[64];
	char *override_reason;         /* set when completed over a refusal */
	check_result *checks;          /* def->n_checks results */
	phase_signoff_state *signoffs; /* def->n_signoffs states */
} phase_view;

/* Evaluates every phase of cat: progress, sign-offs, checks, status.
 * (*views)[i] describes cat->phases[i]; free with phase_views_free. */
int phases_evaluate(sqlite3 *db, const phase_catalog *cat, long long now, phase_view **views,
	okdf_err *e);
void phase_views_free(phase_view *views, size_t n);

/* Every reason completing views[idx] is refused, one line each. */
typedef struct phase_reasons {
	char **items;
	size_t n;
} phase_reasons;

int phase_gate_check(const phase_catalog *cat, const phase_view *views, size_t idx,
	phase_reasons *out, okdf_err *e);
void phase_reasons_free(phase_reasons *r);

/* Records a sign-off (given again, it replaces who, when and note). An
 * unknown signoff_id is OKDF_EINPUT naming the valid ones. */
int phase_signoff(sqlite3 *db, const phase_def *p, const char *signoff_id, const char *note,
	const okdf_operator *op, long long now, okdf_err *e);

/* Completes p. While any reason stands and override_reason is NULL, it is
 * refused: OKDF_EFAIL with *reasons listing every reason. With
 * override_reason, the phase is completed, *reasons lists what was
 * overridden (empty when nothing needed it) and an audit row
 * "phase.override" records them. The caller frees *reasons with
 * phase_reasons_free in every case. */
int phase_complete(sqlite3 *db, const phase_catalog *cat, const phase_def *p,
	const char *override_reason, const okdf_operator *op, long long now,
	phase_reasons *reasons, okdf_err *e);

/* Reopens a completed phase; why goes to the audit detail (may be NULL).
 * Runs inside the caller's transaction when one is open. */
int phase_reopen(sqlite3 *db, const phase_def *p, const char *why, const okdf_operator *op,
	long long now, okdf_err *e);

#endif

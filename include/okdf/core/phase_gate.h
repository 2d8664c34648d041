/* A phase as it stands (progress, sign-offs, checks, derived status) and
 * the gate: every reason completing it would be refused. */
#ifndef OKDF_CORE_PHASE_GATE_H
#define OKDF_CORE_PHASE_GATE_H

#include <stddef.h>

#include "okdf/core/checks.h"
#include "okdf/core/phases.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

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
int phases_evaluate(okdf_db *db, const phase_catalog *cat, long long now, phase_view **views,
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

#endif

/* Sign-off, completion and reopen of a phase, recorded in the store and in
 * the audit log. */
#ifndef OKDF_CORE_PHASE_RECORD_H
#define OKDF_CORE_PHASE_RECORD_H

#include "okdf/core/operator.h"
#include "okdf/core/phase_gate.h"
#include "okdf/core/phases.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

/* Records a sign-off (given again, it replaces who, when and note). An
 * unknown signoff_id is OKDF_EINPUT naming the valid ones. */
int phase_signoff(okdf_db *db, const phase_def *p, const char *signoff_id, const char *note,
	const okdf_operator *op, long long now, okdf_err *e);

/* Completes p. While any reason stands and override_reason is NULL, it is
 * refused: OKDF_EFAIL with *reasons listing every reason. With
 * override_reason, the phase is completed, *reasons lists what was
 * overridden (empty when nothing needed it) and an audit row
 * "phase.override" records them. The caller frees *reasons with
 * phase_reasons_free in every case. */
int phase_complete(okdf_db *db, const phase_catalog *cat, const phase_def *p,
	const char *override_reason, const okdf_operator *op, long long now,
	phase_reasons *reasons, okdf_err *e);

/* Reopens a completed phase; why goes to the audit detail (may be NULL).
 * Runs inside the caller's transaction when one is open. */
int phase_reopen(okdf_db *db, const phase_def *p, const char *why, const okdf_operator *op,
	long long now, okdf_err *e);

#endif

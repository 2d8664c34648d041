/* The registry of automatic checks: one function per check id, evaluated
 * over the store. A check whose data has not been synced yet says NO_DATA,
 * never PASS. */
#ifndef OKDF_CORE_CHECKS_H
#define OKDF_CORE_CHECKS_H

#include <stddef.h>

#include "okdf/err.h"
#include "okdf/store/db.h"

struct phase_catalog;
struct phase_def;

typedef enum check_state {
	CHECK_PASS,
	CHECK_FAIL,
	CHECK_NO_DATA,
} check_state;

typedef struct check_result {
	check_state state;
	char why[192]; /* one line, e.g. "0 active products priced > 0" */
} check_result;

/* What a check may look at. catalog and phase may be NULL when a check is
 * evaluated outside a catalog (tests); checks that need them say NO_DATA. */
typedef struct check_ctx {
	okdf_db *db;
	long long now; /* UTC epoch seconds */
	const struct phase_catalog *catalog;
	const struct phase_def *phase; /* the phase the check belongs to */
} check_ctx;

/* Fills out; returns OKDF_OK, or a negative status (database error) with e set. */
typedef int (*check_fn)(const check_ctx *ctx, check_result *out, okdf_err *e);

typedef struct check_entry {
	const char *id;
	check_fn fn;
} check_entry;

/* The entry for id, or NULL when no such check is registered. */
const check_entry *checks_find(const char *id);

/* All registered checks, for listing. */
const check_entry *checks_all(size_t *n);

/* Runs the check id. An unknown id is OKDF_EINPUT. */
int checks_evaluate(const check_ctx *ctx, const char *id, check_result *out, okdf_err *e);

/* "pass", "fail", "no_data". */
const char *check_state_name(check_state s);

/* Response-time SLA in seconds for an escalation severity
 * (critical 1 h, high 4 h, anything else 24 h). */
long long checks_escalation_sla(const char *severity);

#endif

/* Values the operator approves, such as the daily budget cap. Each change
 * is validated, stored with who and when, and audited. */
#ifndef OKDF_CORE_SETTINGS_H
#define OKDF_CORE_SETTINGS_H

#include <stddef.h>

#include "okdf/core/operator.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct setting_def {
	const char *key;
	const char *help; /* what the value means, one line */
} setting_def;

/* The keys an operator may set. */
const setting_def *settings_known(size_t *n);

/* Checks value for key: OKDF_EINPUT with a message when it does not fit. */
int settings_validate(const char *key, const char *value, okdf_err *e);

/* Validates, stores and audits ("settings.set", target "settings:KEY",
 * detail "VALUE (was OLD)"). */
int settings_change(okdf_db *db, const char *key, const char *value, const okdf_operator *op,
	long long now, okdf_err *e);

#endif

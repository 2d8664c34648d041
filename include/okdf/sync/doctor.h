/* okdf doctor's live checks: for each configured service, are the
 * credentials accepted, is the configured version served and not expired,
 * does the key or token carry the scopes okdf needs. Read-only calls. */
#ifndef OKDF_SYNC_DOCTOR_H
#define OKDF_SYNC_DOCTOR_H

#include "okdf/core/config.h"
#include "okdf/core/doctor.h"
#include "okdf/err.h"

/* Appends the checks of every enabled connector to r. now (epoch seconds)
 * dates the Klaviyo revision. Fails only when out of memory or curl cannot
 * start: a service that refuses is a finding, not an error. */
int sync_doctor_services(const okdf_config *cfg, long long now, doctor_report *r, okdf_err *e);

#endif

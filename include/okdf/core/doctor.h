/* okdf doctor's findings: one line per check, each ok, warn or fail, with
 * what to do about it. Filled by the CLI (local checks) and the sync layer
 * (live service checks); printed as text or JSON. */
#ifndef OKDF_CORE_DOCTOR_H
#define OKDF_CORE_DOCTOR_H

#include <stddef.h>
#include <stdio.h>

#include "okdf/err.h"

typedef enum doctor_level { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL } doctor_level;

typedef struct doctor_check {
	char area[16];     /* config, database, poller, terminal, shopify, ... */
	char name[32];     /* what was checked: credentials, scopes, version, ... */
	doctor_level level;
	char detail[512];  /* what was found; may hold API text (sanitized when printed) */
	char fix[512];     /* what to do; "" when nothing */
} doctor_check;

typedef struct doctor_report {
	doctor_check *items;
	size_t n, cap;
} doctor_report;

void doctor_report_init(doctor_report *r);
void doctor_report_free(doctor_report *r);

/* Appends a check; detail is printf-formatted. fix may be NULL. Returns
 * OKDF_OK or OKDF_ENOMEM. */
int doctor_add(doctor_report *r, const char *area, const char *name, doctor_level level,
	const char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Checks at each level. */
size_t doctor_count(const doctor_report *r, doctor_level level);

/* One line per check: level, area.name, detail, then "fix: ..." when there
 * is one; every string through the sanitizer. */
void doctor_print_text(const doctor_report *r, FILE *out, int ascii);

/* {"ok": bool, "counts": {"ok":n,"warn":n,"fail":n}, "checks": [{"area",
 * "check", "status", "detail", "fix" (string or null)}]}. */
int doctor_print_json(const doctor_report *r, FILE *out, okdf_err *e);

#endif

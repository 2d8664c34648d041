/* The brand brief (phase 1): registered by path and SHA-256 of its content.
 * Registering a different content re-opens the phases built on the brief. */
#ifndef OKDF_CORE_BRIEF_H
#define OKDF_CORE_BRIEF_H

#include <stddef.h>

#include "okdf/core/operator.h"
#include "okdf/core/phases.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct brief_registration {
	char path[4096];      /* absolute path stored */
	char sha256[65];      /* hex digest of the content */
	char old_sha256[65];  /* previous digest, "" when none */
	int changed;          /* a previous brief had a different digest */
	int reopened[64];     /* numbers of the phases re-opened */
	size_t n_reopened;
	int withdrawn[64];    /* numbers of the phases whose sign-offs were withdrawn */
	size_t n_withdrawn;
} brief_registration;

/* The largest brief: a document, not a data set. */
#define BRIEF_MAX_BYTES (64 << 20)

/* Hex SHA-256 of the file at path. A missing or unreadable file, one that is
 * not a regular file (a device, a FIFO, a directory) or one larger than
 * BRIEF_MAX_BYTES is OKDF_EINPUT. */
int brief_file_sha256(const char *path, char out[65], okdf_err *e);

/* Stores path + digest and audits "brief.register". When the digest differs
 * from the registered one, the phases marked reopens_on_brief_change need
 * re-approval: completed ones are re-opened ("phase.reopen", detail "brand
 * brief changed") and any sign-offs they have are withdrawn
 * ("phase.signoff.withdraw"). All in one transaction. */
int brief_register(okdf_db *db, const phase_catalog *cat, const char *path,
	const okdf_operator *op, long long now, brief_registration *out, okdf_err *e);

#endif

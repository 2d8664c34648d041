/* Weekly reviews of the feedback loops (phase 9). */
#ifndef OKDF_CORE_REVIEW_H
#define OKDF_CORE_REVIEW_H

#include "okdf/core/operator.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

/* Records a review by op at now, with an optional note, and audits it
 * ("review.add", target "review:ID"). *id gets the new row's id. */
int review_record(okdf_db *db, const okdf_operator *op, long long now, const char *note,
	long long *id, okdf_err *e);

/* As review_record, with the report of week (Markdown) attached to the
 * review in the same transaction; the audit detail names the week. */
int review_record_report(okdf_db *db, const okdf_operator *op, long long now, const char *note,
	const char *week, const char *report, long long *id, okdf_err *e);

#endif

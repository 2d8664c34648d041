#include "okdf/core/review.h"

#include <stdio.h>

#include "okdf/store/audit.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"
#include "okdf/store/reviews.h"

int review_record(okdf_db *db, const okdf_operator *op, long long now, const char *note,
	long long *id, okdf_err *e)
{
	if (note && !note[0])
		note = NULL;
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = review_insert(db, op->name, now, note, id, e);
	if (!rc) {
		char target[48];
		snprintf(target, sizeof target, "review:%lld", *id);
		rc = audit_append(db, op, now, "review.add", target, note, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e);
}

int review_record_report(okdf_db *db, const okdf_operator *op, long long now, const char *note,
	const char *week, const char *report, long long *id, okdf_err *e)
{
	if (note && !note[0])
		note = NULL;
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = review_insert(db, op->name, now, note, id, e);
	if (!rc)
		rc = review_attach_report(db, *id, week, report, e);
	if (!rc) {
		char target[48], detail[1200];
		snprintf(target, sizeof target, "review:%lld", *id);
		snprintf(detail, sizeof detail, "report %s%s%s", week, note ? "; " : "",
			note ? note : "");
		rc = audit_append(db, op, now, "review.add", target, detail, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e);
}

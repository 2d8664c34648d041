/* Weekly reviews as recorded, with the report each one attached. */
#ifndef OKDF_STORE_REVIEWS_H
#define OKDF_STORE_REVIEWS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct review_row {
	long long id, reviewed_at;
	char operator_name[64];
	char *note;          /* may be NULL */
	char report_week[16]; /* "" without a report */
} review_row;

/* Stores the report (Markdown) of week on review id. */
int review_attach_report(okdf_db *db, long long id, const char *week, const char *report,
	okdf_err *e);

/* Every review, oldest first. Free with review_rows_free. */
int review_list(okdf_db *db, review_row **rows, int *n, okdf_err *e);
void review_rows_free(review_row *rows, int n);

/* Review id's attached report into *report (caller frees; NULL when none).
 * OKDF_ENOTFOUND when there is no such review. */
int review_report_get(okdf_db *db, long long id, char **report, okdf_err *e);

int review_insert(okdf_db *db, const char *by, long long at, const char *note,
	long long *id, okdf_err *e);

#endif

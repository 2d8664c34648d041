/* Recording product ideas (the start of time-to-revenue) and linking them
 * to products, with their audit rows: what `okdf idea` and the UI share. */
#ifndef OKDF_CORE_IDEAS_H
#define OKDF_CORE_IDEAS_H

#include "okdf/core/operator.h"
#include "okdf/core/timeutil.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

/* Records an idea dated at the start of shop day *day in tz, or now when day
 * is NULL; product may be NULL. One transaction with its audit rows. *id
 * and *idea_at receive the new row and its date. */
int idea_record(okdf_db *db, const okdf_operator *op, const char *title, const char *tz,
	const okdf_date *day, const char *product, long long now, long long *id,
	long long *idea_at, okdf_err *e);

/* Links idea id to product, with its audit row. No such idea: OKDF_ENOTFOUND. */
int idea_link_record(okdf_db *db, const okdf_operator *op, long long id, const char *product,
	long long now, okdf_err *e);

#endif

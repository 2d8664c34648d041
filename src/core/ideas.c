#include "okdf/core/ideas.h"

#include <stdio.h>

#include "okdf/store/audit.h"
#include "okdf/store/db.h"
#include "okdf/store/ideas.h"

int idea_record(okdf_db *db, const okdf_operator *op, const char *title, const char *tz,
	const okdf_date *day, const char *product, long long now, long long *id,
	long long *idea_at, okdf_err *e)
{
	if (!title || !title[0])
		return okdf_err_set(e, OKDF_EINPUT, "missing TITLE");
	if (product && !product[0])
		return okdf_err_set(e, OKDF_EINPUT, "empty PRODUCT_ID");
	*idea_at = now;
	*id = 0;
	int rc = day ? tz_day_start(tz, *day, idea_at, e) : OKDF_OK;
	if (!rc)
		rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = ideas_add(db, title, *idea_at, product, op->name, now, id, e);
	char target[32];
	snprintf(target, sizeof target, "idea:%lld", *id);
	if (!rc)
		rc = audit_append(db, op, now, "idea.add", target, title, e);
	if (!rc && product)
		rc = audit_append(db, op, now, "idea.link", target, product, e);
	if (!rc)
		return db_commit(db, e);
	db_rollback(db);
	return rc;
}

int idea_link_record(okdf_db *db, const okdf_operator *op, long long id, const char *product,
	long long now, okdf_err *e)
{
	if (!product || !product[0])
		return okdf_err_set(e, OKDF_EINPUT, "empty PRODUCT_ID");
	char target[32];
	snprintf(target, sizeof target, "idea:%lld", id);
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = ideas_link(db, id, product, e);
	if (!rc)
		rc = audit_append(db, op, now, "idea.link", target, product, e);
	if (!rc)
		return db_commit(db, e);
	db_rollback(db);
	return rc;
}

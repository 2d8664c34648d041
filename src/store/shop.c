#include "okdf/store/shop.h"

#include <string.h>

#include "okdf/store/db.h"
#include "db_private.h"

int shop_get(okdf_db *db, shop_row *out, int *found, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	*found = 0;
	sqlite3_stmt *st;
	int rc = db_prepare(db, "SELECT name, currency, iana_timezone FROM shop WHERE id = 1",
		&st, e);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = 1;
		db_col_copy(out->name, sizeof out->name, st, 0);
		db_col_copy(out->currency, sizeof out->currency, st, 1);
		db_col_copy(out->timezone, sizeof out->timezone, st, 2);
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? OKDF_OK : db_error(db, e, "reading the shop");
	sqlite3_finalize(st);
	return rc;
}

/* The synced shop row (id 1): what the readers of the store need of it. */
#ifndef OKDF_STORE_SHOP_H
#define OKDF_STORE_SHOP_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct shop_row {
	char name[128];
	char currency[8];
	char timezone[64]; /* IANA name */
} shop_row;

/* Reads the shop into *out ("" for NULL columns); *found is 0 (and *out
 * zeroed) before the first sync. */
int shop_get(okdf_db *db, shop_row *out, int *found, okdf_err *e);

#endif

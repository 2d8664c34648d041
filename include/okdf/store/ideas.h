/* Product ideas the operator records: the start of time-to-revenue. */
#ifndef OKDF_STORE_IDEAS_H
#define OKDF_STORE_IDEAS_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct idea_row {
	long long id;
	char title[256];
	long long idea_at;
	char product_id[64];   /* "" when not linked yet */
	char product_title[128]; /* "" when unlinked or the product is not synced */
	char created_by[64];
	long long created_at;
	int has_first_sale;
	long long first_sale_at; /* earliest non-cancelled, non-test order */
} idea_row;

/* Inserts an idea; product_id may be NULL. Writes the new id into *id. */
int ideas_add(okdf_db *db, const char *title, long long idea_at, const char *product_id,
	const char *created_by, long long now, long long *id, okdf_err *e);

/* Links idea id to product_id. No such idea, or no synced product with
 * that id: OKDF_ENOTFOUND. */
int ideas_link(okdf_db *db, long long id, const char *product_id, okdf_err *e);

/* Every idea, oldest idea_at first. The caller frees *rows. */
int ideas_list(okdf_db *db, idea_row **rows, int *n, okdf_err *e);

#endif

/* Shopify search syntax on timestamps (`updated_at:>='2026-01-01T00:00:00Z'`)
 * and the opaque pagination cursors the simulator issues. */
#ifndef OKDF_SIM_SHOPIFY_SEARCH_H
#define OKDF_SIM_SHOPIFY_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/* One term: field 'u' updated_at, 'c' created_at, 'p' processed_at. */
struct sim_time_filter {
	char field;
	char op[3];
	int64_t t;
};

/* Reads up to max timestamp terms of q (other terms are ignored). */
int sim_shopify_parse_search(const char *q, struct sim_time_filter *f, int max);
bool sim_shopify_row_matches(const struct sim_model *m, enum sim_table t, uint32_t row,
			     const struct sim_time_filter *f, int nf);

/* Cursor: base64 of {"last_id":ID,"last_value":"UPDATED_EPOCH"}, like
 * Shopify's own. Returns malloc'd text, or NULL when out of memory. */
char *sim_shopify_cursor(int64_t id, int64_t updated);
/* Returns 0, or -1 when the cursor is not one of ours. */
int sim_shopify_read_cursor(const char *cursor, int64_t *id, int64_t *updated);

#endif

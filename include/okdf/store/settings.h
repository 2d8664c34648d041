/* Approved settings: key, value, who set it and when. */
#ifndef OKDF_STORE_SETTINGS_H
#define OKDF_STORE_SETTINGS_H

#include <stddef.h>

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct setting_row {
	char key[64];
	char *value;
	char set_by[64];
	long long set_at;
} setting_row;

/* Copies the value into buf; *found = 0 when the key is unset. */
int setting_get(okdf_db *db, const char *key, char *buf, size_t n, int *found, okdf_err *e);
int setting_put(okdf_db *db, const char *key, const char *value, const char *by, long long at,
	okdf_err *e);
/* All settings, by key. The caller frees with setting_rows_free. */
int settings_list(okdf_db *db, setting_row **rows, int *n, okdf_err *e);
void setting_rows_free(setting_row *rows, int n);

#endif

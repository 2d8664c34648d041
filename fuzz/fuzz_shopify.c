/* A Shopify orders page ({"data":{"orders":{"nodes":[...]}}}) or a single
 * order node, written through the connector into a scratch store, each
 * input in a transaction that is rolled back. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "src/store/db_private.h"
#include "okdf/net/json.h"
#include "okdf/store/db.h"
#include "okdf/sync/shopify.h"

static okdf_db *db;

static void close_db(void)
{
	db_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	okdf_err e = { 0 };
	if (!db) {
		char path[128];
		snprintf(path, sizeof path, "%s/shopify.db", fuzz_dir());
		if (db_open(path, &db, &e) != OKDF_OK)
			abort();
		atexit(close_db);
	}
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	cJSON *j = cJSON_Parse(text);
	free(text);
	if (!j)
		return 0;
	if (sqlite3_exec(db_sqlite(db), "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	const cJSON *nodes = json_path(j, "data.orders.nodes");
	if (cJSON_IsArray(nodes)) {
		const cJSON *node;
		cJSON_ArrayForEach(node, nodes)
			(void)shopify_store_order(db, "America/New_York", node, &e);
	} else {
		(void)shopify_store_order(db, "Asia/Kolkata", j, &e);
	}
	if (sqlite3_exec(db_sqlite(db), "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	cJSON_Delete(j);
	return 0;
}

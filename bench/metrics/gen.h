/* The bench store shared by bench/metrics and bench/scale: a generator of
 * N orders over two years (with line items, refunds, abandoned checkouts,
 * conversations, ad insights and operator hours in proportion) and the
 * plain-SQL baseline of a dashboard refresh. */
#ifndef OKDF_BENCH_GEN_H
#define OKDF_BENCH_GEN_H

#include <stdio.h>

#include "okdf/err.h"
#include "okdf/store/db.h"

#define BENCH_SPAN_DAYS 730
#define BENCH_TZ "America/New_York"
#define BENCH_NOW_ISO "2026-11-26T17:00:00Z"

/* Fills an empty store in one transaction. */
int bench_generate(okdf_db *db, long long now, long long n_orders, okdf_err *e);

/* Writes, for the sqlite3 shell, the SQL computing the dashboard's numbers
 * as of now without okdf's indexes' help beyond what plain SQL uses. */
int bench_write_baseline(FILE *f, long long now, okdf_err *e);

#endif

/* What the metrics engine (core/metrics.c) shares with the metric phase
 * checks (core/metric_checks.c) and nothing else sees: the computation
 * context (shop, sales scan, operator hours, TTR facts, per-day sales
 * buckets), the parts a computation may be limited to, and the calls that
 * open a context and compute one window over it. */
#ifndef OKDF_CORE_METRICS_PRIVATE_H
#define OKDF_CORE_METRICS_PRIVATE_H

#include "okdf/core/hours.h"
#include "okdf/core/metrics.h"
#include "okdf/store/db.h"
#include "okdf/store/rollups.h"

enum {
	PART_SALES = 1 << 0,
	PART_HOURS = 1 << 1, /* implies PART_SALES for RPOH */
	PART_TTR = 1 << 2,
	PART_RECOVERY = 1 << 3,
	PART_REPEAT = 1 << 4,
	PART_AGENT = 1 << 5,
	PART_ADS = 1 << 6,
	PART_SERIES = 1 << 7,
	PART_ALL = 0xff,
};

struct ttr_cand {
	char id[64];
	char title[128];
	long long idea_id;
	long long since;      /* idea_at, else product created_at */
	int idea_recorded;
	int sold;             /* first sale at or before now */
	long long first_sale_at;
	long long days;       /* sold: idea day to sale day; else idea day to today */
};

struct mctx {
	okdf_db *db;
	long long now;
	okdf_date today;
	char tz[64];
	char currency[8];
	int exponent;
	sales_rollup *sales;
	hours_span *spans;
	size_t n_spans;
	long long spans_from, spans_to;
	struct ttr_cand *cands;
	int n_cands, ttr_loaded;
	/* Per-day sales of the series; sales() sums them for windows made of
	 * whole series days ending now. bucket_from[METRICS_SERIES_DAYS] is now + 1. */
	int have_buckets;
	long long bucket_from[METRICS_SERIES_DAYS + 1];
	long long bucket_gross[METRICS_SERIES_DAYS], bucket_count[METRICS_SERIES_DAYS];
	long long bucket_refunds[METRICS_SERIES_DAYS];
};

/* Reads the shop and opens the sales scan. No shop row: OKDF_ENOTFOUND. */
int mctx_open(okdf_db *db, long long now, struct mctx *c, okdf_err *e);
void mctx_free(struct mctx *c);

/* Computes the parts of window w into *r (freed with metrics_result_free;
 * on error nothing is left to free). */
int mctx_compute(struct mctx *c, const metrics_window *w, int parts, metrics_result *r,
	okdf_err *e);

#endif

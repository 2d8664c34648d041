/* Benchmark, not a test: the in-process half of bench/scale/run.sh. Over a
 * generated store of N orders (bench/metrics/gen.c; generated when empty) it
 * times, as of the generator's "now", the median of RUNS:
 *   refresh  metrics_dashboard_compute (every dashboard number)
 *   phases   phases_evaluate (every phase's automatic checks)
 *   rules    rules_evaluate with the default configuration (one pass)
 * and prints one "name median_ms" line each. --baseline FILE writes the
 * plain SQL of the dashboard's numbers for the sqlite3 shell.
 *
 * usage: bench_scale DB ORDERS DATA_DIR [RUNS] [--generate-only] [--baseline FILE] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/store/db_private.h"
#include "okdf/core/config.h"
#include "okdf/core/metrics.h"
#include "okdf/core/phase_gate.h"
#include "okdf/core/rules.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

#include "../metrics/gen.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static long long count_orders(okdf_db *db)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db_sqlite(db), "SELECT EXISTS (SELECT 1 FROM orders)", -1, &st, NULL) ==
			SQLITE_OK &&
		sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* OKDF_BENCH_TRACE=1: every statement slower than 0.5 ms, to stderr. */
static int trace_slow(unsigned type, void *ctx, void *p, void *x)
{
	(void)ctx;
	long long ns = *(const sqlite3_int64 *)x;
	if (type == SQLITE_TRACE_PROFILE && ns > 500000) {
		char *sql = sqlite3_expanded_sql(p);
		fprintf(stderr, "%8.2f ms  %.300s\n", (double)ns / 1e6, sql ? sql : "?");
		sqlite3_free(sql);
	}
	return 0;
}

struct job {
	okdf_db *db;
	long long now;
	const phase_catalog *cat;
	okdf_rules_config rules;
};

static int run_refresh(struct job *j, okdf_err *e)
{
	metrics_dashboard d;
	int rc = metrics_dashboard_compute(j->db, j->now, &d, e);
	if (!rc)
		metrics_dashboard_free(&d);
	return rc;
}

static int run_phases(struct job *j, okdf_err *e)
{
	phase_view *v;
	int rc = phases_evaluate(j->db, j->cat, j->now, &v, e);
	if (!rc)
		phase_views_free(v, j->cat->n);
	return rc;
}

static int run_rules(struct job *j, okdf_err *e)
{
	int raised;
	return rules_evaluate(j->db, &j->rules, j->now, &raised, e);
}

/* One warm-up, then the median of runs. */
static int measure(const char *name, int (*fn)(struct job *, okdf_err *), struct job *j,
	int runs, okdf_err *e)
{
	double ms[64];
	if (runs > 64)
		runs = 64;
	if (getenv("OKDF_BENCH_TRACE"))
		fprintf(stderr, "== %s\n", name);
	int rc = fn(j, e);
	for (int i = 0; i < runs && !rc; i++) {
		double t0 = now_ms();
		rc = fn(j, e);
		ms[i] = now_ms() - t0;
	}
	if (rc)
		return rc;
	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	printf("%s %.2f\n", name, ms[runs / 2]);
	return OKDF_OK;
}

int main(int argc, char **argv)
{
	const char *pos[4] = { NULL, NULL, NULL, "9" }, *baseline = NULL;
	int n_pos = 0, generate_only = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--generate-only") == 0)
			generate_only = 1;
		else if (strcmp(argv[i], "--baseline") == 0 && i + 1 < argc)
			baseline = argv[++i];
		else if (n_pos < 4)
			pos[n_pos++] = argv[i];
	}
	if (n_pos < 3) {
		fprintf(stderr, "usage: bench_scale DB ORDERS DATA_DIR [RUNS] [--generate-only]"
			" [--baseline FILE]\n");
		return 2;
	}
	long long n_orders = atoll(pos[1]);
	int runs = atoi(pos[3]);
	if (n_orders < 1000 || runs < 1)
		return 2;
	okdf_err e = { 0 };
	struct job j = { 0 };
	if (time_parse_iso8601(BENCH_NOW_ISO, &j.now, &e) || db_open(pos[0], &j.db, &e)) {
		fprintf(stderr, "bench_scale: %s\n", e.msg);
		return 1;
	}
	if (count_orders(j.db) == 0) {
		fprintf(stderr, "generating %lld orders into %s ...\n", n_orders, pos[0]);
		double t0 = now_ms();
		if (bench_generate(j.db, j.now, n_orders, &e)) {
			fprintf(stderr, "bench_scale: %s\n", e.msg);
			db_close(j.db);
			return 1;
		}
		fprintf(stderr, "generated in %.1f s\n", (now_ms() - t0) / 1e3);
		/* Measure on a fresh connection, as the UI reads beside the writers. */
		db_close(j.db);
		if (db_open(pos[0], &j.db, &e)) {
			fprintf(stderr, "bench_scale: %s\n", e.msg);
			return 1;
		}
	}
	int rc = OKDF_OK;
	if (baseline) {
		FILE *f = fopen(baseline, "w");
		rc = f ? bench_write_baseline(f, j.now, &e) : okdf_err_set(&e, OKDF_EFAIL, "cannot open the baseline file");
		if (f && fclose(f) != 0 && !rc)
			rc = okdf_err_set(&e, OKDF_EFAIL, "writing the baseline");
	}
	if (generate_only || rc) {
		db_close(j.db);
		if (rc)
			fprintf(stderr, "bench_scale: %s\n", e.msg);
		return rc ? 1 : 0;
	}
	if (getenv("OKDF_BENCH_TRACE"))
		sqlite3_trace_v2(db_sqlite(j.db), SQLITE_TRACE_PROFILE, trace_slow, NULL);
	phase_catalog *cat = NULL;
	okdf_config cfg;
	config_defaults(&cfg);
	j.rules = cfg.rules;
	if ((rc = phases_load(pos[2], &cat, &e)) == OKDF_OK) {
		j.cat = cat;
		if (!(rc = measure("refresh", run_refresh, &j, runs, &e)) &&
			!(rc = measure("phases", run_phases, &j, runs, &e)))
			rc = measure("rules", run_rules, &j, runs, &e);
	}
	if (rc)
		fprintf(stderr, "bench_scale: %s\n", e.msg);
	phases_free(cat);
	db_close(j.db);
	return rc ? 1 : 0;
}

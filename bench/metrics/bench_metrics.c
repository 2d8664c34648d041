/* Benchmark, not a test: a full dashboard refresh (metrics_dashboard_compute:
 * every number of every panel, today/7d/30d, TTR, 30-day series) over a
 * generated store of 1,000,000 orders, beside a baseline computing the same
 * numbers by straightforward SQL in the sqlite3 shell.
 *
 * usage: bench_metrics DB [RUNS [ORDERS]]   (DB is generated when it has no
 * orders; ORDERS defaults to 1,000,000, abandoned checkouts and
 * conversations scale with it) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/store/db_private.h"
#include "okdf/core/metrics.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

#include "gen.h"

#define N_ORDERS 1000000LL

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

static long long count(okdf_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_metrics DB [RUNS [ORDERS]]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 20;
	if (runs < 1)
		runs = 1;
	long long orders = argc > 3 ? atoll(argv[3]) : N_ORDERS;
	if (orders < 10 || orders % 10) {
		fprintf(stderr, "bench_metrics: ORDERS must be a multiple of 10\n");
		return 2;
	}
	okdf_err e = { 0 };
	long long now;
	if (time_parse_iso8601(BENCH_NOW_ISO, &now, &e))
		return 1;
	okdf_db *db;
	if (db_open(argv[1], &db, &e)) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	if (count(db, "SELECT count(*) FROM orders") == 0) {
		printf("generating %lld orders over %d days into %s ...\n", orders, BENCH_SPAN_DAYS,
			argv[1]);
		fflush(stdout);
		double t0 = now_ms();
		if (bench_generate(db, now, orders, &e)) {
			fprintf(stderr, "bench: %s\n", e.msg);
			db_close(db);
			return 1;
		}
		printf("generated in %.1f s\n", (now_ms() - t0) / 1e3);
		/* Measure on a fresh connection, as the UI reads beside the writers. */
		db_close(db);
		if (db_open(argv[1], &db, &e)) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return 1;
		}
	}
	printf("store: %lld orders, %lld line items, %lld refunds, %lld products,"
		" %lld abandoned checkouts, %lld conversations, %lld activity intervals\n",
		count(db, "SELECT count(*) FROM orders"), count(db, "SELECT count(*) FROM line_items"),
		count(db, "SELECT count(*) FROM refunds"), count(db, "SELECT count(*) FROM products"),
		count(db, "SELECT count(*) FROM abandoned_checkouts"),
		count(db, "SELECT count(*) FROM conversations"),
		count(db, "SELECT count(*) FROM activity_intervals"));

	double *ms = calloc((size_t)runs, sizeof *ms);
	metrics_dashboard d;
	/* One warm-up refresh: the UI refreshes a warm page cache too. */
	if (!ms || metrics_dashboard_compute(db, now, &d, &e)) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return 1;
	}
	metrics_dashboard_free(&d);
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		if (metrics_dashboard_compute(db, now, &d, &e)) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return 1;
		}
		ms[i] = now_ms() - t0;
		if (i == runs - 1) {
			const metrics_result *m = &d.window[METRICS_DASH_30D];
			printf("30d: net %lld minor, %lld orders, %lld s operator time, RPOH %lld/h,"
				" TTR median %.1f d over %d, %d in flight\n", m->net_revenue.value,
				m->orders.value, m->operator_seconds.value, m->rpoh.value,
				m->ttr.median_days, m->ttr.count, m->ttr.n_in_flight);
		}
		metrics_dashboard_free(&d);
	}
	db_close(db);
	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	double median = ms[runs / 2];
	printf("metrics_dashboard_compute: median %.2f ms over %d runs (min %.2f, max %.2f)\n",
		median, runs, ms[0], ms[runs - 1]);

	/* The baseline: the same numbers by plain SQL in the sqlite3 shell. */
	char sql_path[] = "/tmp/okdf-bench-baseline-XXXXXX";
	int fd = mkstemp(sql_path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f || bench_write_baseline(f, now, &e)) {
		fprintf(stderr, "bench: cannot write the baseline SQL\n");
		return 1;
	}
	fclose(f);
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "sqlite3 -bail '%s' < '%s' > /dev/null", argv[1], sql_path);
	int base_runs = runs < 3 ? runs : 3;
	double base[3];
	for (int i = 0; i < base_runs; i++) {
		double t0 = now_ms();
		if (system(cmd) != 0) {
			fprintf(stderr, "bench: baseline failed: %s\n", cmd);
			remove(sql_path);
			return 1;
		}
		base[i] = now_ms() - t0;
	}
	remove(sql_path);
	qsort(base, (size_t)base_runs, sizeof *base, cmp_double);
	printf("baseline (sqlite3 shell, plain SQL): median %.2f ms over %d runs\n",
		base[base_runs / 2], base_runs);
	printf("target: a refresh under 50 ms: %s (%.2f ms)\n", median < 50.0 ? "MET" : "MISSED",
		median);
	free(ms);
	return median < 50.0 ? 0 : 1;
}

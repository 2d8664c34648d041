/* The scoreboard: SPEC section 4 metrics over the store for a window of shop
 * days, evaluated at a given "now". Pure computation: no printing.
 *
 * Units: money is integer minor units of the shop currency (shop money);
 * ratios are integer basis points (10000 = 100 % or 1.00x); durations are
 * seconds; RPOH is minor units per operator hour. A value whose denominator
 * is zero, or whose data is missing, has has == 0 and shows as "-" / null. */
#ifndef OKDF_CORE_METRICS_H
#define OKDF_CORE_METRICS_H

#include <stddef.h>

#include "okdf/core/metrics_window.h"
#include "okdf/core/timeutil.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

/* Days in the sparkline series (the last N shop days, today included). */
#define METRICS_SERIES_DAYS 30

/* Revenue per operator hour has a value (and a band) only with at least this
 * many operator seconds in its window or day: seconds of key activity would
 * divide a day's revenue into an absurd rate. */
#define METRICS_RPOH_MIN_SECONDS 3600

/* The shop's currency and IANA timezone. No shop row yet: OKDF_ENOTFOUND. */
int metrics_shop(okdf_db *db, char *currency, size_t cn, char *tz, size_t tn, okdf_err *e);

enum metrics_band { MBAND_NONE, MBAND_GOOD, MBAND_WARNING, MBAND_BAD };

/* "good", "warning", "bad" or "-". */
const char *metrics_band_name(enum metrics_band b);

/* TTR band: <= 14 days good, 15-27 warning, >= 28 bad (a median of 14.5 is
 * a warning). */
enum metrics_band metrics_ttr_band(double days);

/* RPOH band in major units per hour of the currency with `exponent`:
 * >= 500 good, 200-499.99 warning, < 200 bad. */
enum metrics_band metrics_rpoh_band(long long minor_per_hour, int exponent);

/* One number with its definition label (a static string for the UI/JSON). */
typedef struct metrics_num {
	long long value;
	int has;
	const char *label;
} metrics_num;

typedef struct metrics_ttr_product {
	char id[64];
	char title[128];
	long long idea_at;       /* the idea's recorded time, else product creation */
	int idea_recorded;       /* 1: from an operator idea, 0: Shopify created_at */
	long long first_sale_at;
	long long days;          /* shop calendar days from idea_at to first_sale_at */
	int sale_before_idea;    /* flagged: days < 0; left out of the median */
} metrics_ttr_product;

typedef struct metrics_in_flight {
	long long idea_id;       /* 0 when an active product without a recorded idea */
	char product_id[64];     /* "" when the idea has no product yet */
	char title[128];
	long long since;         /* idea_at, else product creation */
	long long days_elapsed;  /* shop calendar days from since to now */
} metrics_in_flight;

typedef struct metrics_ttr {
	const char *label;
	int count;               /* products with a first sale in the window, unflagged */
	int has_median;
	double median_days;      /* exact: mean of the two middle values when even */
	enum metrics_band band;
	int flagged;             /* first sale before the idea date, in the window */
	metrics_ttr_product *products; /* first sale in window, flagged included */
	int n_products;
	metrics_in_flight *in_flight;  /* no sale by now, oldest first */
	int n_in_flight;
} metrics_ttr;

typedef struct metrics_series {
	int n;                   /* METRICS_SERIES_DAYS, or 0 when not computed */
	okdf_date days[METRICS_SERIES_DAYS];
	metrics_num net_revenue[METRICS_SERIES_DAYS];
	metrics_num rpoh[METRICS_SERIES_DAYS];
	long long seconds[METRICS_SERIES_DAYS]; /* operator seconds of each day */
} metrics_series;

typedef struct metrics_result {
	metrics_window window;
	long long now;
	char timezone[64];
	char currency[8];
	int exponent;            /* decimal places of currency */

	metrics_num gross_sales;  /* order totals of qualifying orders processed in window */
	metrics_num refunds;      /* refunds created in window on qualifying orders */
	metrics_num net_revenue;  /* gross_sales - refunds */
	metrics_num orders;
	metrics_num aov;

	metrics_ttr ttr;

	metrics_num operator_seconds;
	metrics_num rpoh;         /* minor per hour */
	enum metrics_band rpoh_band;

	metrics_num abandoned_minor, recovered_minor, recovery_rate;
	metrics_num abandoned_count, recovered_count, recovery_count_rate;

	metrics_num customers, repeat_customers, repeat_rate;

	metrics_num conversations, agent_resolved, agent_share;

	metrics_num ad_spend, purchase_value, roas, mer;
	int ad_rows_other_currency; /* insights rows not in shop currency, left out */

	/* Klaviyo's own attribution (its values reports, Placed Order
	 * conversion_value) for the report timeframe matching the window: 7d is
	 * last_7_days, 30d last_30_days; no other window has one (has == 0). */
	const char *klaviyo_timeframe; /* NULL when no timeframe matches */
	metrics_num klaviyo_flow_revenue, klaviyo_campaign_revenue, klaviyo_revenue;

	metrics_series series;
} metrics_result;

/* Computes every metric for window spec at now. No shop row synced yet:
 * OKDF_ENOTFOUND. The caller frees with metrics_result_free. */
int metrics_compute(okdf_db *db, const char *window, long long now, metrics_result *r,
	okdf_err *e);

void metrics_result_free(metrics_result *r);

enum { METRICS_DASH_TODAY, METRICS_DASH_7D, METRICS_DASH_30D, METRICS_DASH_N };

/* Everything the dashboard shows: each RPOH window complete (TTR included),
 * and the 30-day sparkline series computed once (the windows' own series
 * have n == 0). The caller frees with metrics_dashboard_free. */
typedef struct metrics_dashboard {
	metrics_result window[METRICS_DASH_N];
	metrics_series series;
} metrics_dashboard;

int metrics_dashboard_compute(okdf_db *db, long long now, metrics_dashboard *d, okdf_err *e);
void metrics_dashboard_free(metrics_dashboard *d);

/* Median of n values (sorted in place): the middle one, or the exact mean of
 * the two middle ones when n is even. n must be > 0. */
double ttr_median(long long *days, int n);

#endif

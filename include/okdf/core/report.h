/* The daily series for export and the weekly review of the feedback loops
 * (phase 9), computed from the store through the metrics module;
 * report_render.h turns the review into Markdown or HTML. */
#ifndef OKDF_CORE_REPORT_H
#define OKDF_CORE_REPORT_H

#include "okdf/core/metrics.h"
#include "okdf/core/timeutil.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

/* Targets the weekly review measures against (SPEC): TTR at most 14 days,
 * RPOH between 500 and 2,000 major units per operator hour. */
#define REPORT_TTR_TARGET_DAYS 14
#define REPORT_RPOH_TARGET_LOW 500
#define REPORT_RPOH_TARGET_HIGH 2000

/* One shop day. Money in minor units of the shop currency. */
typedef struct report_day {
	okdf_date day;
	long long gross_minor, refunds_minor, net_minor, orders;
	long long operator_seconds;
	metrics_num rpoh;         /* minor per hour; has = 0 without hours */
	long long ad_spend_minor;
	int ttr_first_sales;      /* products whose first sale fell on the day (unflagged) */
	int has_ttr_median;
	double ttr_median_days;
} report_day;

typedef struct report_days {
	char currency[8];
	char timezone[64];
	int exponent;
	report_day *days;
	int n;
} report_days;

/* Every shop day of window (the metrics window syntax) at now, oldest first.
 * No shop synced: OKDF_ENOTFOUND. Free with report_days_free. */
int report_daily(okdf_db *db, const char *window, long long now, report_days *out, okdf_err *e);
void report_days_free(report_days *d);

/* ISO 8601 weeks: "2026-W47" <-> the Monday that starts it. */
int report_week_parse(const char *s, okdf_date *monday, okdf_err *e);
void report_week_format(okdf_date day, char *buf, size_t n);

typedef struct report_escalation {
	long long id;
	char kind[48], severity[16], title[256];
	long long created_at;
	long long ack_seconds;    /* to acknowledgement (or resolution); -1 = not yet */
	int sla_breached;
} report_escalation;

typedef struct report_phase_change {
	long long at;
	char operator_name[64], action[64], target[128];
	char detail[256];
} report_phase_change;

typedef struct report_week {
	char week[16];            /* 2026-W47 */
	okdf_date first, last;    /* Monday, Sunday */
	long long now;
	metrics_result cur, prev; /* the week and the one before */
	report_days days;         /* the week's seven days */
	report_escalation *escalations; /* raised in the week, oldest first */
	int n_escalations;
	int n_acked, n_breached;
	int has_median_ack;
	long long median_ack_seconds;
	report_phase_change *changes; /* phase.* audit rows of the week */
	int n_changes;
} report_week;

/* The week named by week ("YYYY-Www"), or with NULL the last complete week
 * before today's. Free with report_week_free. */
int report_week_compute(okdf_db *db, const char *week, long long now, report_week *r,
	okdf_err *e);
void report_week_free(report_week *r);

#endif

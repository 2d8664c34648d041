/* The daily series and the weekly review, computed from the store through
 * the metrics module (one definition of every number). */
#include "okdf/core/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/store/audit.h"
#include "okdf/store/db.h"
#include "okdf/store/inbox.h"

static void day_spec(okdf_date a, okdf_date b, char *buf, size_t n)
{
	char x[16], y[16];
	date_format(a, x, sizeof x);
	date_format(b, y, sizeof y);
	snprintf(buf, n, "%s..%s", x, y);
}

int report_daily(okdf_db *db, const char *window, long long now, report_days *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	int rc = metrics_shop(db, out->currency, sizeof out->currency, out->timezone,
		sizeof out->timezone, e);
	if (rc)
		return rc;
	metrics_window w;
	if ((rc = metrics_window_parse(window, out->timezone, now, &w, e)))
		return rc;
	/* One row per day: "all" has no first day to start from. */
	if (w.all)
		return okdf_err_set(e, OKDF_EINPUT,
			"the daily series needs a bounded window (Nd or FROM..TO), not \"all\"");
	okdf_date first = w.first;
	long long n = date_to_days(w.last) - date_to_days(first) + 1;
	if (n < 1 || n > 3660)
		return okdf_err_set(e, OKDF_EINPUT, "window of %lld days", n);
	out->days = calloc((size_t)n, sizeof *out->days);
	if (!out->days)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	for (long long i = 0; i < n; i++) {
		report_day *d = &out->days[out->n];
		d->day = date_add_days(first, i);
		char spec[40];
		day_spec(d->day, d->day, spec, sizeof spec);
		metrics_result m;
		if ((rc = metrics_compute(db, spec, now, &m, e))) {
			report_days_free(out);
			return rc;
		}
		out->exponent = m.exponent;
		d->gross_minor = m.gross_sales.value;
		d->refunds_minor = m.refunds.value;
		d->net_minor = m.net_revenue.value;
		d->orders = m.orders.value;
		d->operator_seconds = m.operator_seconds.value;
		d->rpoh = m.rpoh;
		d->ad_spend_minor = m.ad_spend.value;
		d->ttr_first_sales = m.ttr.count;
		d->has_ttr_median = m.ttr.has_median;
		d->ttr_median_days = m.ttr.median_days;
		metrics_result_free(&m);
		out->n++;
	}
	return OKDF_OK;
}

void report_days_free(report_days *d)
{
	free(d->days);
	d->days = NULL;
	d->n = 0;
}

/* ISO weekday 1 (Monday) .. 7 (Sunday). */
static int iso_weekday(okdf_date d)
{
	int w = date_weekday(d);
	return w == 0 ? 7 : w;
}

static okdf_date week1_monday(int year)
{
	okdf_date jan4 = { year, 1, 4 };
	return date_add_days(jan4, -(iso_weekday(jan4) - 1));
}

void report_week_format(okdf_date day, char *buf, size_t n)
{
	/* The ISO year is the year of the week's Thursday. */
	okdf_date thu = date_add_days(day, 4 - iso_weekday(day));
	long long week = (date_to_days(thu) - date_to_days(week1_monday(thu.y))) / 7 + 1;
	snprintf(buf, n, "%04d-W%02lld", thu.y, week);
}

int report_week_parse(const char *s, okdf_date *monday, okdf_err *e)
{
	int y, w, len = 0;
	if (!s || sscanf(s, "%4d-W%2d%n", &y, &w, &len) != 2 || len != 8 || s[len] || y < 1971 ||
	    w < 1 || w > 53)
		return okdf_err_set(e, OKDF_EINPUT, "bad week \"%s\": use YYYY-Www, e.g. 2026-W47",
			s ? s : "");
	okdf_date m = date_add_days(week1_monday(y), 7LL * (w - 1));
	char back[16];
	report_week_format(m, back, sizeof back);
	if (strcmp(back, s) != 0)
		return okdf_err_set(e, OKDF_EINPUT, "%d has no week %d", y, w);
	*monday = m;
	return OKDF_OK;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static int week_escalations(okdf_db *db, report_week *r, okdf_err *e)
{
	escalation *xs;
	int n;
	int rc = escalation_list(db, "all", r->now, &xs, &n, e);
	if (rc)
		return rc;
	r->escalations = calloc((size_t)(n ? n : 1), sizeof *r->escalations);
	long long *acks = calloc((size_t)(n ? n : 1), sizeof *acks);
	if (!r->escalations || !acks) {
		free(acks);
		escalation_list_free(xs, n);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	const metrics_window *w = &r->cur.window;
	/* The list is newest first; the report reads oldest first. */
	for (int i = n - 1; i >= 0; i--) {
		const escalation *x = &xs[i];
		if (x->created_at < w->from || x->created_at >= w->to)
			continue;
		report_escalation *o = &r->escalations[r->n_escalations++];
		o->id = x->id;
		snprintf(o->kind, sizeof o->kind, "%s", x->kind);
		snprintf(o->severity, sizeof o->severity, "%s", x->severity);
		snprintf(o->title, sizeof o->title, "%s", x->title);
		o->created_at = x->created_at;
		/* Resolving counts as acknowledging (the inbox's SLA rule). */
		long long at = x->acknowledged_at ? x->acknowledged_at : x->resolved_at;
		long long sla = inbox_sla_seconds(x->severity);
		if (at) {
			o->ack_seconds = at - x->created_at;
			acks[r->n_acked++] = o->ack_seconds;
			o->sla_breached = o->ack_seconds > sla;
		} else {
			o->ack_seconds = -1;
			o->sla_breached = r->now - x->created_at > sla;
		}
		r->n_breached += o->sla_breached;
	}
	if (r->n_acked) {
		qsort(acks, (size_t)r->n_acked, sizeof *acks, cmp_ll);
		int m = r->n_acked / 2;
		r->median_ack_seconds = r->n_acked % 2 ? acks[m]
			: (long long)llround(((double)acks[m - 1] + (double)acks[m]) / 2.0);
		r->has_median_ack = 1;
	}
	free(acks);
	escalation_list_free(xs, n);
	return OKDF_OK;
}

static int week_phase_changes(okdf_db *db, report_week *r, okdf_err *e)
{
	audit_row *rows;
	int n;
	int rc = audit_list(db, NULL, &rows, &n, e);
	if (rc)
		return rc;
	r->changes = calloc((size_t)(n ? n : 1), sizeof *r->changes);
	if (!r->changes) {
		audit_rows_free(rows, n);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		const audit_row *a = &rows[i];
		if (a->at < r->cur.window.from || a->at >= r->cur.window.to ||
		    strncmp(a->action, "phase.", 6) != 0)
			continue;
		report_phase_change *c = &r->changes[r->n_changes++];
		c->at = a->at;
		snprintf(c->operator_name, sizeof c->operator_name, "%s", a->operator_name);
		snprintf(c->action, sizeof c->action, "%s", a->action);
		snprintf(c->target, sizeof c->target, "%s", a->target);
		snprintf(c->detail, sizeof c->detail, "%s", a->detail ? a->detail : "");
	}
	audit_rows_free(rows, n);
	return OKDF_OK;
}

int report_week_compute(okdf_db *db, const char *week, long long now, report_week *r,
	okdf_err *e)
{
	memset(r, 0, sizeof *r);
	r->now = now;
	char currency[8], tz[64];
	int rc = metrics_shop(db, currency, sizeof currency, tz, sizeof tz, e);
	if (rc)
		return rc;
	okdf_date monday;
	if (week) {
		if ((rc = report_week_parse(week, &monday, e)))
			return rc;
	} else {
		okdf_date today;
		if ((rc = tz_date_of(tz, now, &today, e)))
			return rc;
		monday = date_add_days(today, -(iso_weekday(today) - 1) - 7);
	}
	r->first = monday;
	r->last = date_add_days(monday, 6);
	report_week_format(monday, r->week, sizeof r->week);
	char spec[40], prev[40];
	day_spec(r->first, r->last, spec, sizeof spec);
	day_spec(date_add_days(r->first, -7), date_add_days(r->last, -7), prev, sizeof prev);
	if ((rc = metrics_compute(db, spec, now, &r->cur, e)))
		return rc;
	if ((rc = metrics_compute(db, prev, now, &r->prev, e)) ||
	    (rc = report_daily(db, spec, now, &r->days, e)) ||
	    (rc = week_escalations(db, r, e)) || (rc = week_phase_changes(db, r, e))) {
		report_week_free(r);
		return rc;
	}
	return OKDF_OK;
}

void report_week_free(report_week *r)
{
	metrics_result_free(&r->cur);
	metrics_result_free(&r->prev);
	report_days_free(&r->days);
	free(r->escalations);
	free(r->changes);
	r->escalations = NULL;
	r->changes = NULL;
	r->n_escalations = r->n_changes = 0;
}

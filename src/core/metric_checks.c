/* The metric phase checks: each opens a metrics context, computes the one
 * window (or two) its phase's bar is about with the metrics engine, and
 * turns the number into the registry's check result (pass, fail or no data,
 * with a one-line reason naming the number and the bar). The bars themselves
 * (10 %, 80 %, 14 days, 500 per hour) live here. */
#include "okdf/core/metric_checks.h"

#include <stdio.h>

#include "okdf/core/money.h"
#include "okdf/store/metrics.h"

#include "metrics_private.h"

/* Opens the context for a check: OKDF_OK, or 1 with the NO_DATA verdict
 * given when no shop is synced yet, or an error. */
static int check_open(const check_ctx *cc, struct mctx *c, check_result *out, okdf_err *e)
{
	okdf_err open_e = { 0 };
	int rc = mctx_open(cc->db, cc->now, c, &open_e);
	if (rc == OKDF_ENOTFOUND) {
		out->state = CHECK_NO_DATA;
		snprintf(out->why, sizeof out->why, "no shop data synced yet");
		return 1;
	}
	return rc ? okdf_err_set(e, rc, "%s", open_e.msg) : OKDF_OK;
}

/* Computes parts over n shop days ending `ago` days ago. */
static int check_window(struct mctx *c, int n_days, int ago, int parts, metrics_result *r,
	okdf_err *e)
{
	metrics_window w;
	int rc = metrics_window_days(c->tz, c->now, n_days, ago, &w, e);
	return rc ? rc : mctx_compute(c, &w, parts, r, e);
}

/* check_open and check_window for checks that need one window: OKDF_OK with
 * *r computed, 1 with the NO_DATA verdict given, or an error. */
static int check_compute(const check_ctx *cc, int n_days, int ago, int parts,
	metrics_result *r, check_result *out, okdf_err *e)
{
	struct mctx c;
	int rc = check_open(cc, &c, out, e);
	if (rc)
		return rc;
	rc = check_window(&c, n_days, ago, parts, r, e);
	mctx_free(&c);
	return rc;
}

static void pct(long long bp, char *buf, size_t n)
{
	snprintf(buf, n, "%lld.%02lld%%", bp / 100, bp % 100);
}

/* The baseline's verdict on all-time TTR and 30-day RPOH. */
static void baseline_verdict(int orders, const metrics_result *all,
	const metrics_result *month, check_result *out)
{
	char *why = out->why;
	size_t n = sizeof out->why;
	if (!orders) {
		out->state = CHECK_NO_DATA;
		snprintf(why, n, "no orders synced yet");
	} else if (!all->ttr.n_products) {
		out->state = CHECK_FAIL;
		snprintf(why, n, "no product has a first sale yet, so TTR has no baseline");
	} else if (!month->rpoh.has) {
		out->state = CHECK_FAIL;
		long long secs = month->operator_seconds.value;
		if (secs > 0)
			snprintf(why, n, "only %lld:%02lld operator hours in the last 30 days (under 1 h), "
				"so RPOH is undefined", secs / 3600, secs / 60 % 60);
		else
			snprintf(why, n, "no operator hours recorded in the last 30 days, so RPOH is "
				"undefined");
	} else {
		out->state = CHECK_PASS;
		char rpoh[32];
		money_format(month->rpoh.value, month->exponent, rpoh, sizeof rpoh);
		snprintf(why, n, "TTR over %d product(s); 30-day RPOH %s %s/h", all->ttr.n_products,
			rpoh, month->currency);
	}
}

int metrics_check_baseline(const check_ctx *cc, check_result *out, okdf_err *e)
{
	struct mctx c;
	int rc = check_open(cc, &c, out, e);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	int orders = 0;
	metrics_window w_all = { .spec = "all", .all = 1, .from = 0, .to = cc->now + 1 };
	metrics_result all, month;
	rc = orders_any(cc->db, 0, cc->now + 1, &orders, e);
	if (!rc)
		rc = mctx_compute(&c, &w_all, PART_TTR, &all, e);
	if (rc) {
		mctx_free(&c);
		return rc;
	}
	rc = check_window(&c, METRICS_SERIES_DAYS, 0, PART_HOURS, &month, e);
	mctx_free(&c);
	if (!rc) {
		baseline_verdict(orders, &all, &month, out);
		metrics_result_free(&month);
	}
	metrics_result_free(&all);
	return rc;
}

int metrics_check_cart_recovery(const check_ctx *cc, check_result *out, okdf_err *e)
{
	metrics_result r;
	int rc = check_compute(cc, 30, 7, PART_RECOVERY, &r, out, e);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	char p[32];
	if (!r.recovery_rate.has) {
		out->state = CHECK_NO_DATA;
		snprintf(out->why, sizeof out->why,
			"no abandoned checkouts in the 30 days ending 7 days ago");
	} else {
		pct(r.recovery_rate.value, p, sizeof p);
		out->state = r.recovery_rate.value >= 1000 ? CHECK_PASS : CHECK_FAIL;
		snprintf(out->why, sizeof out->why, "recovered %s of abandoned checkout value "
			"(%lld of %lld checkouts), %s to %04d-%02d-%02d; needs >= 10%%", p,
			r.recovered_count.value, r.abandoned_count.value, r.window.spec, r.window.last.y,
			r.window.last.m, r.window.last.d);
	}
	metrics_result_free(&r);
	return OKDF_OK;
}

int metrics_check_agent_share(const check_ctx *cc, check_result *out, okdf_err *e)
{
	metrics_result r;
	int rc = check_compute(cc, 14, 0, PART_AGENT, &r, out, e);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	char p[32];
	if (!r.agent_share.has) {
		out->state = CHECK_NO_DATA;
		snprintf(out->why, sizeof out->why, "no agent conversations in the last 14 days");
	} else {
		pct(r.agent_share.value, p, sizeof p);
		out->state = r.agent_share.value >= 8000 ? CHECK_PASS : CHECK_FAIL;
		snprintf(out->why, sizeof out->why,
			"agent resolved %s of %lld conversations in 14 days; needs >= 80%%", p,
			r.conversations.value);
	}
	metrics_result_free(&r);
	return OKDF_OK;
}

int metrics_check_ttr_median(const check_ctx *cc, check_result *out, okdf_err *e)
{
	metrics_result r;
	int rc = check_compute(cc, 90, 0, PART_TTR, &r, out, e);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	if (!r.ttr.has_median) {
		out->state = CHECK_NO_DATA;
		snprintf(out->why, sizeof out->why,
			"no product had its first sale in the last 90 days");
	} else {
		out->state = r.ttr.median_days <= 14.0 ? CHECK_PASS : CHECK_FAIL;
		snprintf(out->why, sizeof out->why,
			"median TTR %.1f days over %d product(s) in 90 days; needs <= 14",
			r.ttr.median_days, r.ttr.count);
	}
	metrics_result_free(&r);
	return OKDF_OK;
}

int metrics_check_rpoh_30d(const check_ctx *cc, check_result *out, okdf_err *e)
{
	metrics_result r;
	int rc = check_compute(cc, METRICS_SERIES_DAYS, 0, PART_HOURS, &r, out, e);
	if (rc)
		return rc > 0 ? OKDF_OK : rc;
	if (!r.rpoh.has) {
		long long secs = r.operator_seconds.value;
		out->state = CHECK_NO_DATA;
		if (secs > 0)
			snprintf(out->why, sizeof out->why, "only %lld:%02lld operator hours in the last "
				"30 days; a rate needs at least 1 h", secs / 3600, secs / 60 % 60);
		else
			snprintf(out->why, sizeof out->why,
				"no operator hours recorded in the last 30 days");
	} else {
		char v[32];
		money_format(r.rpoh.value, r.exponent, v, sizeof v);
		/* The bar is the good band's floor: >= 500 per hour. */
		out->state = metrics_rpoh_band(r.rpoh.value, r.exponent) == MBAND_GOOD ? CHECK_PASS
			: CHECK_FAIL;
		snprintf(out->why, sizeof out->why,
			"30-day RPOH %s %s/h over %.1f hours; needs >= 500", v, r.currency,
			(double)r.operator_seconds.value / 3600.0);
	}
	metrics_result_free(&r);
	return OKDF_OK;
}

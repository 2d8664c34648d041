/* Panel 3: revenue per operator hour for today, 7 and 30 days with its band,
 * the revenue and hours behind it, and a 30-day sparkline. */
#include <stdio.h>
#include <string.h>

#include "okdf/ui/format.h"
#include "panels_private.h"

static const ui_keyhint rpoh_hints[] = {
	{ "Enter", "by day", "Net revenue and revenue per operator hour for each of the last 30 days" },
	{ NULL, NULL, NULL },
};

static const char *const window_label[METRICS_DASH_N] = { "today", "7d", "30d" };

/* Days of the last `days` of the series with operator hours recorded. */
static int days_with_hours(const metrics_series *s, int days)
{
	int n = 0;
	for (int i = s->n - days; i < s->n; i++)
		n += i >= 0 && s->seconds[i] > 0;
	return n;
}

/* Today against yesterday and the same weekday last week (whole days). */
static void draw_compare(const ui_panel_ctx *cx, WINDOW *w, int y, int inner)
{
	const metrics_series *s = &cx->model->dash.series;
	const metrics_result *r = model_rpoh(cx->model, METRICS_DASH_TODAY);
	if (s->n < 8)
		return;
	static const char *const wd[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	char yday[48], week[48];
	format_money(&s->net_revenue[s->n - 2], r->exponent, yday, sizeof yday);
	format_money(&s->net_revenue[s->n - 8], r->exponent, week, sizeof week);
	screen_putf(cx->scr, w, y, 1, inner, ROLE_DIM, "rev yesterday %s, last %s %s", yday,
		wd[date_weekday(s->days[s->n - 8])], week);
}

/* The 30 days as a sparkline on row y: per hour when any day has hours;
 * until then, the revenue behind it. */
static void draw_sparkline(const ui_panel_ctx *cx, WINDOW *w, int y, int inner)
{
	const metrics_series *s = &cx->model->dash.series;
	int per_hour = 0;
	for (int i = 0; i < s->n; i++)
		per_hour |= s->rpoh[i].has;
	long long v[METRICS_SERIES_DAYS];
	for (int i = 0; i < s->n; i++) {
		const metrics_num *d = per_hour ? &s->rpoh[i] : &s->net_revenue[i];
		v[i] = d->has ? d->value : 0;
	}
	/* The label says how many days had hours at all (coverage). */
	char label[40];
	int lw = snprintf(label, sizeof label, "%s hrs %d/%dd ", per_hour ? "/h" : "rev",
		days_with_hours(s, s->n), s->n);
	/* Wide panels stretch each day over several cells. */
	int each = (inner - lw) / s->n;
	each = each < 1 ? 1 : each > 4 ? 4 : each;
	char line[METRICS_SERIES_DAYS * 4 * 3 + 1];
	screen_sparkline(cx->scr, v, s->n, each, line, sizeof line);
	int x = 1 + screen_put(cx->scr, w, y, 1, inner, label, ROLE_DIM);
	screen_put(cx->scr, w, y, x, inner - x + 1, line, ROLE_ACCENT);
}

static void rpoh_draw(ui_panel *p, const ui_panel_ctx *cx)
{
	(void)p;
	ui_screen *scr = cx->scr;
	WINDOW *w = p->win;
	int inner = getmaxx(w) - 2;
	if (!model_rpoh(cx->model, 0)) {
		screen_put(scr, w, 1, 1, inner, cx->model->have_shop ? "metrics unavailable"
			: "no shop synced yet", ROLE_DIM);
		return;
	}
	/* Columns as wide as their widest value; hours before revenue, so a
	 * narrow panel cuts the revenue, never the hours behind the rate. */
	char rate[METRICS_DASH_N][48], rev[METRICS_DASH_N][48], hours[METRICS_DASH_N][24];
	int w_rate = 5, w_rev = 7, w_hours = 5;
	for (int i = 0; i < METRICS_DASH_N; i++) {
		const metrics_result *r = model_rpoh(cx->model, i);
		format_money(&r->rpoh, r->exponent, rate[i], sizeof rate[i]);
		format_money(&r->net_revenue, r->exponent, rev[i], sizeof rev[i]);
		format_hours(r->operator_seconds.value, hours[i], sizeof hours[i]);
		int lr = (int)strlen(rate[i]), lv = (int)strlen(rev[i]), lh = (int)strlen(hours[i]);
		w_rate = lr > w_rate ? lr : w_rate;
		w_rev = lv > w_rev ? lv : w_rev;
		w_hours = lh > w_hours ? lh : w_hours;
	}
	/* Band words shortened when 80 columns leave no room for "warning". */
	int w_band = inner >= 48 ? 7 : 4;
	int x_rate = 6, x_band = x_rate + w_rate + 1, x_hours = x_band + w_band + 1;
	int x_rev = x_hours + w_hours + 1;
	screen_putf(scr, w, 1, 1 + x_rate, inner - x_rate, ROLE_DIM, "%*s %-*s %*s %*s",
		w_rate, "/hour", w_band, "band", w_hours, "hours", w_rev, "revenue");
	for (int i = 0; i < METRICS_DASH_N; i++) {
		const metrics_result *r = model_rpoh(cx->model, i);
		int y = 2 + i;
		enum theme_role band = format_band_role(r->rpoh_band);
		screen_put(scr, w, y, 1, 6, window_label[i], ROLE_NORMAL);
		if (!r->rpoh.has && r->operator_seconds.value > 0) {
			/* Under the 1 h minimum: no rate, and the hours it would rest on. */
			char na[40];
			int room = w_rate + 1 + w_band;
			if (snprintf(na, sizeof na, "n/a (%s h)", hours[i]) > room)
				snprintf(na, sizeof na, "n/a");
			screen_put(scr, w, y, 1 + x_rate, room, na, ROLE_DIM);
		} else {
			screen_putf(scr, w, y, 1 + x_rate, w_rate, band, "%*s", w_rate, rate[i]);
			screen_put(scr, w, y, 1 + x_band, w_band, r->rpoh.has
				? metrics_band_name(r->rpoh_band) : "-", band);
		}
		if (x_hours < inner)
			screen_putf(scr, w, y, 1 + x_hours, inner - x_hours, ROLE_NORMAL, "%*s",
				w_hours, hours[i]);
		if (x_rev < inner)
			screen_putf(scr, w, y, 1 + x_rev, inner - x_rev, ROLE_ACCENT, "%*s", w_rev,
				rev[i]);
	}
	const metrics_series *s = &cx->model->dash.series;
	if (s->n > 0 && getmaxy(w) - 2 >= 5)
		draw_sparkline(cx, w, 5, inner);
	if (s->n > 0 && getmaxy(w) - 2 >= 6)
		draw_compare(cx, w, 6, inner);
}

static void rpoh_detail(ui_panel *p, const ui_panel_ctx *cx, ui_pager *pg)
{
	(void)p;
	const metrics_result *r = model_rpoh(cx->model, METRICS_DASH_30D);
	const metrics_series *s = &cx->model->dash.series;
	snprintf(pg->title, sizeof pg->title, "Revenue per operator hour, by shop day");
	if (!r) {
		pager_addf(pg, ROLE_DIM, 0, "no shop synced yet");
		return;
	}
	pager_addf(pg, ROLE_DIM, 0, "%s", r->rpoh.label ? r->rpoh.label : "");
	pager_addf(pg, ROLE_DIM, 0, "Bands: >= 500 good, 200-499 warning, < 200 bad (%s per hour); "
		"no rate under 1 operator hour (n/a), none without hours (-)", r->currency);
	pager_addf(pg, ROLE_NORMAL, 0, "Hours recorded on %d of the last 7 days, %d of the last "
		"%d.", days_with_hours(s, 7), days_with_hours(s, s->n), s->n);
	if (s->n >= 8) {
		char today[48], yday[48], week[48];
		format_money(&s->net_revenue[s->n - 1], r->exponent, today, sizeof today);
		format_money(&s->net_revenue[s->n - 2], r->exponent, yday, sizeof yday);
		format_money(&s->net_revenue[s->n - 8], r->exponent, week, sizeof week);
		pager_addf(pg, ROLE_NORMAL, 0, "Net revenue today so far %s; yesterday %s; the same "
			"weekday last week %s (whole days).", today, yday, week);
	}
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "%-14s  %16s  %7s  %14s", "day", "net revenue", "hours",
		"per hour");
	static const char *const wd[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	for (int i = s->n - 1; i >= 0; i--) {
		char day[16], rev[48], rate[48], h[24];
		date_format(s->days[i], day, sizeof day);
		format_money(&s->net_revenue[i], r->exponent, rev, sizeof rev);
		format_money(&s->rpoh[i], r->exponent, rate, sizeof rate);
		format_hours(s->seconds[i], h, sizeof h);
		if (!s->rpoh[i].has && s->seconds[i] > 0)
			snprintf(rate, sizeof rate, "n/a");
		enum metrics_band b = s->rpoh[i].has
			? metrics_rpoh_band(s->rpoh[i].value, r->exponent) : MBAND_NONE;
		pager_addf(pg, format_band_role(b), 0, "%-10s %s  %16s  %7s  %14s", day,
			wd[date_weekday(s->days[i])], rev, h, rate);
	}
}

const ui_panel_class panel_rpoh_class = {
	.title = "Revenue per operator hour",
	.hints = rpoh_hints,
	.draw = rpoh_draw,
	.detail = rpoh_detail,
};

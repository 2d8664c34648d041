/* Panel 2: time-to-revenue: the median against the 14-day target with its
 * band, the count, recent launches as bars and products still in flight. */
#include <stdio.h>
#include <string.h>

#include "okdf/core/timeutil.h"
#include "okdf/ui/format.h"
#include "panels_private.h"

#define TTR_TARGET_DAYS 14

static const ui_keyhint ttr_hints[] = {
	{ "Enter", "all products", "Every product's idea date, first sale and days; those in flight" },
	{ NULL, NULL, NULL },
};

static const metrics_ttr *ttr_of(const ui_panel_ctx *cx)
{
	const metrics_result *r = model_metrics(cx->model);
	return r ? &r->ttr : NULL;
}

/* Rows: launches (newest first sale first), then products in flight. */
static int ttr_total(const ui_panel_ctx *cx)
{
	const metrics_ttr *t = ttr_of(cx);
	return t ? t->n_products + t->n_in_flight : 0;
}

/* The model keeps launches newest first sale first. */
static const metrics_ttr_product *launch_at(const metrics_ttr *t, int i)
{
	return &t->products[i];
}

static const char *row_title(const metrics_ttr *t, int row)
{
	return row < t->n_products ? launch_at(t, row)->title
		: t->in_flight[row - t->n_products].title;
}

static int ttr_matches(ui_panel *p, const ui_panel_ctx *cx, int row, const char *filter)
{
	(void)p;
	return panel_text_matches(row_title(ttr_of(cx), row), filter);
}

static int ttr_count(ui_panel *p, const ui_panel_ctx *cx)
{
	return panel_filtered_count(p, cx, ttr_total(cx));
}

static void draw_summary(const ui_panel_ctx *cx, WINDOW *w, const metrics_result *r)
{
	ui_screen *scr = cx->scr;
	const metrics_ttr *t = &r->ttr;
	int inner = getmaxx(w) - 2, x = 1;
	if (t->has_median) {
		x += screen_putf(scr, w, 1, x, inner, format_band_role(t->band), "%.1f d",
			t->median_days);
		x += screen_putf(scr, w, 1, x, inner - x + 1, ROLE_NORMAL, inner >= 60
			? " median (target %d days) " : " median/%d ", TTR_TARGET_DAYS);
		x += screen_put(scr, w, 1, x, inner - x + 1, metrics_band_name(t->band),
			format_band_role(t->band));
	} else {
		x += screen_put(scr, w, 1, x, inner, "no first sale in the window", ROLE_DIM);
	}
	screen_putf(scr, w, 1, x, inner - x + 1, ROLE_DIM, " n=%d %s, %d in flight",
		t->count, r->window.spec, t->n_in_flight);
}

static void draw_bar(const ui_panel_ctx *cx, WINDOW *w, int y, int x, int width, long long days,
	long long scale, enum theme_role role)
{
	int cells = scale > 0 ? (int)((days * width + scale - 1) / scale) : 0;
	if (cells > width)
		cells = width;
	wattrset(w, cx->scr->attr[role]);
	for (int i = 0; i < cells; i++)
		mvwaddstr(w, y, x + i, cx->scr->g->bar);
	wattrset(w, cx->scr->attr[ROLE_NORMAL]);
}

static void ttr_draw(ui_panel *p, const ui_panel_ctx *cx)
{
	ui_screen *scr = cx->scr;
	WINDOW *w = p->win;
	int inner = getmaxx(w) - 2, rows = panel_visible_rows(p);
	const metrics_result *r = model_metrics(cx->model);
	if (!r) {
		screen_put(scr, w, 1, 1, inner, cx->model->have_shop ? "metrics unavailable"
			: "no shop synced yet", ROLE_DIM);
		return;
	}
	draw_summary(cx, w, r);
	const metrics_ttr *t = &r->ttr;
	/* Bars share one scale: at least 4 weeks, so 14 days is half-way. */
	long long scale = 28;
	for (int i = 0; i < t->n_products; i++)
		if (t->products[i].days > scale)
			scale = t->products[i].days;
	for (int i = 0; i < t->n_in_flight; i++)
		if (t->in_flight[i].days_elapsed > scale)
			scale = t->in_flight[i].days_elapsed;
	int total = ttr_total(cx), count = ttr_count(p, cx);
	int focused = cx->focused;
	int title_w = inner * 2 / 5, num_w = 10, bar_x = 1 + title_w + 1;
	int bar_w = inner - title_w - num_w - 2;
	for (int i = 0; i < rows && p->top + i < count; i++) {
		int row = panel_filtered_index(p, cx, total, p->top + i);
		int y = 2 + i, sel = focused && p->top + i == p->selected;
		char title[256], num[32];
		screen_clean(scr, row_title(t, row), title, sizeof title);
		long long days;
		enum theme_role bar_role;
		if (row < t->n_products) {
			const metrics_ttr_product *pr = launch_at(t, row);
			days = pr->days;
			bar_role = pr->sale_before_idea ? ROLE_DIM
				: format_band_role(metrics_ttr_band((double)days));
			snprintf(num, sizeof num, "%s%lld d", pr->sale_before_idea ? "!" : "", days);
		} else {
			days = t->in_flight[row - t->n_products].days_elapsed;
			bar_role = ROLE_DIM;
			snprintf(num, sizeof num, "day %lld", days);
		}
		if (sel) {
			wattrset(w, scr->attr[ROLE_CURSOR]);
			mvwhline(w, y, 1, ' ', inner);
		}
		screen_put(scr, w, y, 1, title_w, title, sel ? ROLE_CURSOR : ROLE_NORMAL);
		if (bar_w > 0)
			draw_bar(cx, w, y, bar_x, bar_w, days < 0 ? 0 : days, scale, bar_role);
		screen_putf(scr, w, y, inner - num_w + 1, num_w,
			sel ? ROLE_CURSOR : row < t->n_products ? ROLE_NORMAL : ROLE_DIM, "%*s",
			num_w, num);
	}
	if (count == 0 && rows > 0)
		screen_put(scr, w, 2, 1, inner, total ? "nothing matches the filter"
			: "no launches and nothing in flight", ROLE_DIM);
}

static void shop_date(const char *tz, long long t, char *buf, size_t n)
{
	okdf_date d;
	okdf_err e = { 0 };
	if (tz_date_of(tz, t, &d, &e) == OKDF_OK)
		date_format(d, buf, n);
	else
		snprintf(buf, n, "?");
}

static void ttr_detail(ui_panel *p, const ui_panel_ctx *cx, ui_pager *pg)
{
	(void)p;
	const metrics_result *r = model_metrics(cx->model);
	if (!r) {
		pager_addf(pg, ROLE_DIM, 0, "no shop synced yet");
		return;
	}
	const metrics_ttr *t = &r->ttr;
	snprintf(pg->title, sizeof pg->title, "Time-to-revenue, window %s", r->window.spec);
	pager_addf(pg, ROLE_DIM, 0, "%s", t->label ? t->label : "");
	if (t->has_median)
		pager_addf(pg, format_band_role(t->band), 0,
			"Median %.1f days over %d products (target %d days; band %s)", t->median_days,
			t->count, TTR_TARGET_DAYS, metrics_band_name(t->band));
	if (t->flagged)
		pager_addf(pg, ROLE_WARNING, 0, "%d product(s) sold before their idea date: shown "
			"with !, left out of the median", t->flagged);
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "First sale in the window (newest first)");
	for (int i = 0; i < t->n_products; i++) {
		const metrics_ttr_product *pr = launch_at(t, i);
		char idea[16], sale[16], line[80];
		shop_date(r->timezone, pr->idea_at, idea, sizeof idea);
		shop_date(r->timezone, pr->first_sale_at, sale, sizeof sale);
		snprintf(line, sizeof line, "%5lld d  %s %s -> sale %s%s  ", pr->days,
			pr->idea_recorded ? "idea" : "created", idea, sale,
			pr->sale_before_idea ? "  ! before idea" : "");
		pager_add_untrusted(pg, cx->scr, pr->sale_before_idea ? ROLE_WARNING
			: format_band_role(metrics_ttr_band((double)pr->days)), 2, line, pr->title);
	}
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "In flight: no sale yet (oldest first)");
	for (int i = 0; i < t->n_in_flight; i++) {
		const metrics_in_flight *f = &t->in_flight[i];
		char since[16], line[80];
		shop_date(r->timezone, f->since, since, sizeof since);
		snprintf(line, sizeof line, "day %3lld  since %s  %s  ", f->days_elapsed, since,
			f->idea_id ? "idea" : "product");
		pager_add_untrusted(pg, cx->scr, ROLE_NORMAL, 2, line, f->title);
	}
	if (t->n_in_flight == 0)
		pager_addf(pg, ROLE_DIM, 2, "none");
}

const ui_panel_class panel_ttr_class = {
	.title = "Time-to-revenue",
	.list_offset = 1,
	.hints = ttr_hints,
	.count = ttr_count,
	.draw = ttr_draw,
	.detail = ttr_detail,
	.matches = ttr_matches,
};

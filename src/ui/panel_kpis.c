/* Panel 4: the supporting numbers for the selected window: net revenue
 * (ledger basis), cart recovery, repeat purchase rate, agent resolution
 * share, ROAS, MER (revenue over spend) and Klaviyo-attributed revenue. */
#include <stdio.h>
#include <string.h>

#include "okdf/ui/format.h"
#include "panels_private.h"

static const ui_keyhint kpis_hints[] = {
	{ "Enter", "definitions", "How each number is computed, with the counts behind it" },
	{ NULL, NULL, NULL },
};

#define LABEL_W 17
#define VALUE_W 10

static void row(const ui_panel_ctx *cx, WINDOW *w, int y, const char *label, const char *value,
	enum theme_role role, const char *note)
{
	ui_screen *scr = cx->scr;
	int inner = getmaxx(w) - 2;
	screen_put(scr, w, y, 1, LABEL_W, label, ROLE_NORMAL);
	screen_putf(scr, w, y, 1 + LABEL_W, VALUE_W, role, "%*s", VALUE_W, value);
	screen_put(scr, w, y, 2 + LABEL_W + VALUE_W, inner - LABEL_W - VALUE_W - 1, note,
		ROLE_DIM);
}

/* A number whose connector never finished a pass: no data, not 0. */
static int no_data_yet(const ui_panel_ctx *cx, WINDOW *w, int y, const char *label, const char *connector)
{
	if (!model_never_synced(cx->model, connector))
		return 0;
	char note[64];
	snprintf(note, sizeof note, "%s never synced (H)", connector);
	row(cx, w, y, label, "no data", ROLE_WARNING, note);
	return 1;
}

static void kpis_draw(ui_panel *p, const ui_panel_ctx *cx)
{
	WINDOW *w = p->win;
	ui_screen *scr = cx->scr;
	int inner = getmaxx(w) - 2;
	const metrics_result *r = model_metrics(cx->model);
	if (!r) {
		screen_put(scr, w, 1, 1, inner, cx->model->have_shop ? "metrics unavailable"
			: "no data yet: no shop synced (H: health)", ROLE_DIM);
		return;
	}
	char spec[40];
	snprintf(spec, sizeof spec, " %s ", r->window.spec);
	screen_put(scr, w, 0, inner - (int)strlen(spec), (int)strlen(spec), spec, ROLE_TITLE);
	char v[48], a[48], b[48], note[160];
	int e = r->exponent;

	format_money(&r->net_revenue, e, v, sizeof v);
	snprintf(note, sizeof note, "%lld orders", r->orders.value);
	row(cx, w, 1, "Net rev (ledger)", v, ROLE_ACCENT, note);

	format_percent(&r->recovery_rate, v, sizeof v);
	format_money(&r->abandoned_minor, e, a, sizeof a);
	snprintf(note, sizeof note, "%lld/%lld of %s", r->recovered_count.value,
		r->abandoned_count.value, a);
	row(cx, w, 2, "Cart recovery", v, ROLE_NORMAL, note);

	format_percent(&r->repeat_rate, v, sizeof v);
	snprintf(note, sizeof note, "%lld/%lld customers", r->repeat_customers.value,
		r->customers.value);
	row(cx, w, 3, "Repeat rate", v, ROLE_NORMAL, note);

	format_percent(&r->agent_share, v, sizeof v);
	snprintf(note, sizeof note, "%lld/%lld convs", r->agent_resolved.value,
		r->conversations.value);
	if (!no_data_yet(cx, w, 4, "Agent share", "relevance"))
		row(cx, w, 4, "Agent share", v, ROLE_NORMAL, note);

	format_times(&r->roas, v, sizeof v);
	format_money(&r->purchase_value, e, a, sizeof a);
	format_money(&r->ad_spend, e, b, sizeof b);
	snprintf(note, sizeof note, "%s/%s", a, b);
	if (!no_data_yet(cx, w, 5, "ROAS", "meta"))
		row(cx, w, 5, "ROAS", v, ROLE_NORMAL, note);

	format_times(&r->mer, v, sizeof v);
	if (!no_data_yet(cx, w, 6, "MER revenue/spend", "meta"))
		row(cx, w, 6, "MER revenue/spend", v, ROLE_NORMAL, "net revenue over ad spend");

	if (getmaxy(w) < 9)
		return; /* no room: the detail view (Enter) has it */
	format_money(&r->klaviyo_revenue, e, v, sizeof v);
	if (!no_data_yet(cx, w, 7, "Klaviyo-attrib.", "klaviyo"))
		row(cx, w, 7, "Klaviyo-attrib.", v, ROLE_NORMAL, r->klaviyo_timeframe
			? "Klaviyo's own attribution" : "Klaviyo reports: 7d and 30d only");
}

static void define(ui_pager *pg, const char *name, const char *value, const metrics_num *n)
{
	pager_addf(pg, ROLE_NORMAL, 0, "%-28s %s", name, value);
	if (n->label)
		pager_addf(pg, ROLE_DIM, 4, "%s", n->label);
}

static void kpis_detail(ui_panel *p, const ui_panel_ctx *cx, ui_pager *pg)
{
	(void)p;
	const metrics_result *r = model_metrics(cx->model);
	if (!r) {
		pager_addf(pg, ROLE_DIM, 0, "no shop synced yet");
		return;
	}
	snprintf(pg->title, sizeof pg->title, "Supporting numbers, window %s (w cycles)",
		r->window.spec);
	char v[64], a[48];
	int e = r->exponent;
	pager_addf(pg, ROLE_DIM, 0, "Money in %s, shop money, minor units shown as decimals.",
		r->currency);
	format_money(&r->net_revenue, e, v, sizeof v);
	define(pg, "Net revenue (ledger basis)", v, &r->net_revenue);
	format_money(&r->gross_sales, e, v, sizeof v);
	define(pg, "  order totals", v, &r->gross_sales);
	format_money(&r->refunds, e, v, sizeof v);
	define(pg, "  refunds", v, &r->refunds);
	snprintf(v, sizeof v, "%lld", r->orders.value);
	define(pg, "Orders", v, &r->orders);
	format_money(&r->aov, e, v, sizeof v);
	define(pg, "AOV", v, &r->aov);
	format_percent(&r->recovery_rate, v, sizeof v);
	format_money(&r->recovered_minor, e, a, sizeof a);
	snprintf(v + strlen(v), sizeof v - strlen(v), "  (%s recovered)", a);
	define(pg, "Cart recovery (revenue)", v, &r->recovery_rate);
	format_percent(&r->recovery_count_rate, v, sizeof v);
	snprintf(v + strlen(v), sizeof v - strlen(v), "  (%lld of %lld checkouts)",
		r->recovered_count.value, r->abandoned_count.value);
	define(pg, "Cart recovery (count)", v, &r->recovery_count_rate);
	format_percent(&r->repeat_rate, v, sizeof v);
	define(pg, "Repeat purchase rate", v, &r->repeat_rate);
	format_percent(&r->agent_share, v, sizeof v);
	define(pg, "Agent resolution share", v, &r->agent_share);
	format_money(&r->ad_spend, e, v, sizeof v);
	define(pg, "Ad spend", v, &r->ad_spend);
	format_times(&r->roas, v, sizeof v);
	define(pg, "ROAS", v, &r->roas);
	format_times(&r->mer, v, sizeof v);
	define(pg, "MER (net revenue / spend)", v, &r->mer);
	format_money(&r->klaviyo_flow_revenue, e, v, sizeof v);
	define(pg, "Klaviyo-attributed, flows", v, &r->klaviyo_flow_revenue);
	format_money(&r->klaviyo_campaign_revenue, e, v, sizeof v);
	define(pg, "Klaviyo-attributed, campaigns", v, &r->klaviyo_campaign_revenue);
	if (r->ad_rows_other_currency)
		pager_addf(pg, ROLE_WARNING, 0, "%d ad insight rows in another currency left out",
			r->ad_rows_other_currency);
}

const ui_panel_class panel_kpis_class = {
	.title = "Supporting numbers",
	.hints = kpis_hints,
	.draw = kpis_draw,
	.detail = kpis_detail,
};

/* The weekly review rendered for people: Markdown with Unicode bar charts,
 * or one HTML page with inline SVG (no script, no external resource). */
#include "okdf/core/report_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/money.h"
#include "okdf/core/text.h"

static const char *const weekday_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

static void fmt_money(long long minor, int exp, char *buf, size_t n)
{
	money_format_grouped(minor, exp, buf, n);
}

static void fmt_num(const metrics_num *v, int exp, char *buf, size_t n)
{
	if (!v->has)
		snprintf(buf, n, "-");
	else
		fmt_money(v->value, exp, buf, n);
}

static void fmt_hours(long long secs, char *buf, size_t n)
{
	snprintf(buf, n, "%lld:%02lld", secs / 3600, secs % 3600 / 60);
}

/* Basis points as a percentage with two decimals, or a multiple ("1.06x"). */
static void fmt_bps(const metrics_num *v, int multiple, char *buf, size_t n)
{
	if (!v->has) {
		snprintf(buf, n, "-");
		return;
	}
	long long b = v->value < 0 ? -v->value : v->value;
	if (multiple)
		snprintf(buf, n, "%s%lld.%02lldx", v->value < 0 ? "-" : "", b / 10000, b % 10000 / 100);
	else
		snprintf(buf, n, "%s%lld.%02lld%%", v->value < 0 ? "-" : "", b / 100, b % 100);
}

/* Relative change of cur against prev, one decimal: "+12.5%", or "-". */
static void fmt_change(long long cur, int has_cur, long long prev, int has_prev, char *buf,
	size_t n)
{
	if (!has_cur || !has_prev || prev == 0) {
		snprintf(buf, n, "-");
		return;
	}
	/* Tenths of a percent, rounded half away from zero. */
	long long num = (cur - prev) * 1000, den = prev < 0 ? -prev : prev;
	long long t = (num >= 0 ? num + den / 2 : num - den / 2) / den;
	long long a = t < 0 ? -t : t;
	snprintf(buf, n, "%s%lld.%lld%%", t > 0 ? "+" : t < 0 ? "-" : "", a / 10, a % 10);
}

static void fmt_duration(long long secs, char *buf, size_t n)
{
	if (secs < 0)
		snprintf(buf, n, "not yet");
	else if (secs < 3600)
		snprintf(buf, n, "%lldm", secs / 60);
	else if (secs < 86400)
		snprintf(buf, n, "%lldh %02lldm", secs / 3600, secs % 3600 / 60);
	else
		snprintf(buf, n, "%lldd %lldh", secs / 86400, secs % 86400 / 3600);
}

static void fmt_ttr(const metrics_ttr *t, char *buf, size_t n)
{
	if (!t->has_median)
		snprintf(buf, n, "- (no first sale)");
	else
		snprintf(buf, n, "%.1f d (%d product%s)", t->median_days, t->count,
			t->count == 1 ? "" : "s");
}

static const char *rpoh_verdict(const metrics_num *rpoh, int exp)
{
	if (!rpoh->has)
		return "undefined: no operator hours recorded";
	long long unit = 1;
	for (int i = 0; i < exp; i++)
		unit *= 10;
	if (rpoh->value < REPORT_RPOH_TARGET_LOW * unit)
		return "below the target range";
	if (rpoh->value > REPORT_RPOH_TARGET_HIGH * unit)
		return "above the target range";
	return "within the target range";
}

static const char *ttr_verdict(const metrics_ttr *t)
{
	if (!t->has_median)
		return "no first sale this week";
	return t->median_days <= REPORT_TTR_TARGET_DAYS ? "target met" : "target missed";
}

/* Sanitized text for a Markdown table cell ('|' escaped). */
static void md_text(const char *s, char *out, size_t n)
{
	char clean[1024];
	text_sanitize(s, clean, sizeof clean, 0);
	size_t o = 0;
	for (const char *p = clean; *p && o + 3 < n; p++) {
		if (*p == '|' || *p == '\\' || *p == '`')
			out[o++] = '\\';
		out[o++] = *p;
	}
	out[o] = '\0';
}

/* Sanitized, HTML-escaped text. */
static void html_text(FILE *out, const char *s)
{
	char clean[1024];
	text_sanitize(s, clean, sizeof clean, 0);
	for (const char *p = clean; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*p, out);
		}
	}
}

/* A horizontal bar of value/max over width cells, in eighths. */
static void md_bar(FILE *out, long long value, long long max, int width)
{
	static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	long long units = max > 0 && value > 0 ? value * width * 8 / max : 0;
	for (long long i = 0; i < units / 8; i++)
		fputs("█", out);
	fputs(eighths[units % 8], out);
	for (long long i = units / 8 + (units % 8 ? 1 : 0); i < width; i++)
		fputc(' ', out);
}

/* The rows of the comparison table: label, this week, week before, change. */
struct row {
	const char *label;
	char cur[64], prev[64], change[32];
};

static int comparison_rows(const report_week *r, struct row *rows)
{
	const metrics_result *c = &r->cur, *p = &r->prev;
	int exp = c->exponent, k = 0;
#define MONEY(lbl, field) do { \
		rows[k].label = lbl; \
		fmt_num(&c->field, exp, rows[k].cur, sizeof rows[k].cur); \
		fmt_num(&p->field, exp, rows[k].prev, sizeof rows[k].prev); \
		fmt_change(c->field.value, c->field.has, p->field.value, p->field.has, \
			rows[k].change, sizeof rows[k].change); \
		k++; \
	} while (0)
#define RATIO(lbl, field, mult) do { \
		rows[k].label = lbl; \
		fmt_bps(&c->field, mult, rows[k].cur, sizeof rows[k].cur); \
		fmt_bps(&p->field, mult, rows[k].prev, sizeof rows[k].prev); \
		fmt_change(c->field.value, c->field.has, p->field.value, p->field.has, \
			rows[k].change, sizeof rows[k].change); \
		k++; \
	} while (0)
	MONEY("RPOH (per operator hour)", rpoh);
	MONEY("Net revenue", net_revenue);
	rows[k].label = "Operator hours";
	fmt_hours(c->operator_seconds.value, rows[k].cur, sizeof rows[k].cur);
	fmt_hours(p->operator_seconds.value, rows[k].prev, sizeof rows[k].prev);
	fmt_change(c->operator_seconds.value, 1, p->operator_seconds.value, 1, rows[k].change,
		sizeof rows[k].change);
	k++;
	rows[k].label = "Orders";
	snprintf(rows[k].cur, sizeof rows[k].cur, "%lld", c->orders.value);
	snprintf(rows[k].prev, sizeof rows[k].prev, "%lld", p->orders.value);
	fmt_change(c->orders.value, 1, p->orders.value, 1, rows[k].change, sizeof rows[k].change);
	k++;
	MONEY("AOV", aov);
	MONEY("Refunds", refunds);
	MONEY("Ad spend", ad_spend);
	RATIO("ROAS", roas, 1);
	RATIO("MER (net revenue / spend)", mer, 1);
	RATIO("Cart recovery (value)", recovery_rate, 0);
	RATIO("Repeat purchase rate", repeat_rate, 0);
	RATIO("Agent resolution share", agent_share, 0);
#undef MONEY
#undef RATIO
	return k;
}

#define N_ROWS 12

/* Time-to-revenue: this week's median against the week before, each product. */
static void md_ttr(const report_week *r, FILE *out)
{
	const metrics_result *c = &r->cur, *p = &r->prev;
	char t1[64], t2[64];
	fprintf(out, "## Time-to-revenue (target: at most %d days)\n\n", REPORT_TTR_TARGET_DAYS);
	fmt_ttr(&c->ttr, t1, sizeof t1);
	fmt_ttr(&p->ttr, t2, sizeof t2);
	fprintf(out, "| | this week | week before |\n|---|---|---|\n");
	fprintf(out, "| Median TTR of first sales | %s | %s |\n", t1, t2);
	fprintf(out, "| Flagged (sale before idea) | %d | %d |\n\n", c->ttr.flagged, p->ttr.flagged);
	fprintf(out, "Verdict: %s. In flight now (no sale yet): %d.\n\n", ttr_verdict(&c->ttr),
		c->ttr.n_in_flight);
	for (int i = 0; i < c->ttr.n_products; i++) {
		const metrics_ttr_product *tp = &c->ttr.products[i];
		char title[512];
		md_text(tp->title, title, sizeof title);
		fprintf(out, "- %s: %lld d%s\n", title, tp->days,
			tp->sale_before_idea ? " (flagged: sold before the idea)" : "");
	}
	if (c->ttr.n_products)
		fputc('\n', out);
}

/* Revenue per operator hour and the numbers behind it, week against week. */
static void md_rpoh(const report_week *r, const char *cur, FILE *out)
{
	char lo[32], hi[32];
	fmt_money((long long)REPORT_RPOH_TARGET_LOW * 1, 0, lo, sizeof lo);
	fmt_money((long long)REPORT_RPOH_TARGET_HIGH * 1, 0, hi, sizeof hi);
	fprintf(out, "## Revenue per operator hour (target: %s to %s %s per hour)\n\n", lo, hi,
		cur);
	struct row rows[N_ROWS];
	int n = comparison_rows(r, rows);
	fprintf(out, "| | this week | week before | change |\n|---|---:|---:|---:|\n");
	for (int i = 0; i < n; i++)
		fprintf(out, "| %s | %s | %s | %s |\n", rows[i].label, rows[i].cur, rows[i].prev,
			rows[i].change);
	fprintf(out, "\nVerdict: RPOH %s.\n\n", rpoh_verdict(&r->cur.rpoh, r->cur.exponent));
}

/* Net revenue and RPOH per day as bars of Unicode blocks. */
static void md_daily(const report_week *r, FILE *out)
{
	int exp = r->cur.exponent;
	fprintf(out, "## Daily\n\n```\n");
	long long max_net = 0, max_rpoh = 0;
	for (int i = 0; i < r->days.n; i++) {
		const report_day *d = &r->days.days[i];
		if (d->net_minor > max_net)
			max_net = d->net_minor;
		if (d->rpoh.has && d->rpoh.value > max_rpoh)
			max_rpoh = d->rpoh.value;
	}
	fprintf(out, "net revenue\n");
	for (int i = 0; i < r->days.n; i++) {
		const report_day *d = &r->days.days[i];
		char day[16], v[32];
		date_format(d->day, day, sizeof day);
		fmt_money(d->net_minor, exp, v, sizeof v);
		fprintf(out, "%s %s ", weekday_names[date_weekday(d->day)], day + 5);
		md_bar(out, d->net_minor, max_net, 24);
		fprintf(out, " %12s  %lld orders\n", v, d->orders);
	}
	fprintf(out, "RPOH\n");
	for (int i = 0; i < r->days.n; i++) {
		const report_day *d = &r->days.days[i];
		char day[16], v[32], h[32];
		date_format(d->day, day, sizeof day);
		fmt_num(&d->rpoh, exp, v, sizeof v);
		fmt_hours(d->operator_seconds, h, sizeof h);
		fprintf(out, "%s %s ", weekday_names[date_weekday(d->day)], day + 5);
		md_bar(out, d->rpoh.has ? d->rpoh.value : 0, max_rpoh, 24);
		fprintf(out, " %12s  %s h\n", v, h);
	}
	fprintf(out, "```\n\n");
}

/* The median time to acknowledge, or "-" when nothing was acknowledged. */
static void median_ack(const report_week *r, char *med, size_t n)
{
	if (r->has_median_ack)
		fmt_duration(r->median_ack_seconds, med, n);
	else
		snprintf(med, n, "-");
}

/* The escalations raised this week, by severity, and each one. */
static void md_escalations(const report_week *r, FILE *out)
{
	fprintf(out, "## Escalations\n\n");
	int sev[3] = { 0, 0, 0 };
	for (int i = 0; i < r->n_escalations; i++)
		sev[strcmp(r->escalations[i].severity, "critical") == 0 ? 0
			: strcmp(r->escalations[i].severity, "high") == 0 ? 1 : 2]++;
	char med[32];
	median_ack(r, med, sizeof med);
	fprintf(out, "%d raised (critical %d, high %d, normal %d); %d acknowledged, median time "
		"to acknowledge %s; %d past their SLA (critical 1 h, high 4 h, normal 24 h).\n\n",
		r->n_escalations, sev[0], sev[1], sev[2], r->n_acked, med, r->n_breached);
	if (!r->n_escalations)
		return;
	fprintf(out, "| # | severity | kind | title | acknowledged after | SLA |\n"
		"|---:|---|---|---|---|---|\n");
	for (int i = 0; i < r->n_escalations; i++) {
		const report_escalation *x = &r->escalations[i];
		char title[600], dur[32];
		md_text(x->title, title, sizeof title);
		fmt_duration(x->ack_seconds, dur, sizeof dur);
		fprintf(out, "| %lld | %s | %s | %s | %s | %s |\n", x->id, x->severity, x->kind,
			title, dur, x->sla_breached ? "breached" : "ok");
	}
	fputc('\n', out);
}

/* The phase sign-offs, completions and reopenings of the week. */
static void md_phases(const report_week *r, FILE *out)
{
	fprintf(out, "## Phases changed\n\n");
	if (!r->n_changes)
		fprintf(out, "No phase changed this week.\n");
	else
		fprintf(out, "| when (UTC) | operator | action | phase | detail |\n"
			"|---|---|---|---|---|\n");
	for (int i = 0; i < r->n_changes; i++) {
		const report_phase_change *ch = &r->changes[i];
		char when[32], op[200], target[300], detail[600];
		time_format_utc(ch->at, when, sizeof when);
		md_text(ch->operator_name, op, sizeof op);
		md_text(ch->target, target, sizeof target);
		md_text(ch->detail, detail, sizeof detail);
		fprintf(out, "| %s | %s | %s | %s | %s |\n", when, op, ch->action, target, detail);
	}
}

int report_render_md(const report_week *r, FILE *out)
{
	const metrics_result *c = &r->cur;
	char a[16], b[16], gen[32], tz[256], cur[64];
	md_text(c->timezone, tz, sizeof tz);
	md_text(c->currency, cur, sizeof cur);
	date_format(r->first, a, sizeof a);
	date_format(r->last, b, sizeof b);
	time_format_utc(r->now, gen, sizeof gen);
	fprintf(out, "# Weekly review %s (%s to %s)\n\n", r->week, a, b);
	fprintf(out, "Shop days in %s; money in %s. Written %s by okdf.\n\n", tz, cur, gen);
	md_ttr(r, out);
	md_rpoh(r, cur, out);
	md_daily(r, out);
	md_escalations(r, out);
	md_phases(r, out);
	return ferror(out) ? OKDF_EFAIL : OKDF_OK;
}

/* A bar chart of one value per day, as inline SVG. */
static void svg_bars(FILE *out, const report_week *r, const char *title, int rpoh)
{
	const int w = 560, h = 200, left = 10, top = 24, bottom = 36, gap = 8;
	int n = r->days.n;
	long long max = 0;
	for (int i = 0; i < n; i++) {
		const report_day *d = &r->days.days[i];
		long long v = rpoh ? (d->rpoh.has ? d->rpoh.value : 0) : d->net_minor;
		if (v > max)
			max = v;
	}
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n", w, h, w, h, title);
	fprintf(out, "<text x=\"%d\" y=\"16\" font-size=\"13\" font-family=\"sans-serif\">%s</text>\n",
		left, title);
	int bw = n ? (w - 2 * left - gap * (n - 1)) / n : 0;
	int plot = h - top - bottom;
	for (int i = 0; i < n; i++) {
		const report_day *d = &r->days.days[i];
		long long v = rpoh ? (d->rpoh.has ? d->rpoh.value : 0) : d->net_minor;
		int bh = max > 0 && v > 0 ? (int)(v * plot / max) : 0;
		int x = left + i * (bw + gap);
		char day[16], label[32];
		date_format(d->day, day, sizeof day);
		if (rpoh && !d->rpoh.has)
			snprintf(label, sizeof label, "-");
		else
			fmt_money(v, r->cur.exponent, label, sizeof label);
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#3b7dd8\">"
			"<title>%s %s</title></rect>\n", x, top + plot - bh, bw, bh, day, label);
		fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
			"font-family=\"sans-serif\">%s %s</text>\n", x + bw / 2, h - bottom + 14,
			weekday_names[date_weekday(d->day)], day + 5);
		fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" "
			"font-family=\"sans-serif\">%s</text>\n", x + bw / 2, h - bottom + 28, label);
	}
	fprintf(out, "</svg>\n");
}

/* The page's head and the week it covers. */
static void html_head(const report_week *r, FILE *out)
{
	const metrics_result *c = &r->cur;
	char a[16], b[16], gen[32];
	date_format(r->first, a, sizeof a);
	date_format(r->last, b, sizeof b);
	time_format_utc(r->now, gen, sizeof gen);
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>Weekly review %s</title>\n<style>\n"
		"body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}\n"
		"table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
		"padding:.3em .6em}td.n{text-align:right}\n</style>\n</head>\n<body>\n", r->week);
	fprintf(out, "<h1>Weekly review %s (%s to %s)</h1>\n", r->week, a, b);
	fprintf(out, "<p>Shop days in ");
	html_text(out, c->timezone);
	fprintf(out, "; money in ");
	html_text(out, c->currency);
	fprintf(out, ". Written %s by okdf.</p>\n", gen);
}

/* Time-to-revenue: this week's median against the week before, each product. */
static void html_ttr(const report_week *r, FILE *out)
{
	const metrics_result *c = &r->cur, *p = &r->prev;
	char t1[64], t2[64];
	fprintf(out, "<h2>Time-to-revenue (target: at most %d days)</h2>\n",
		REPORT_TTR_TARGET_DAYS);
	fmt_ttr(&c->ttr, t1, sizeof t1);
	fmt_ttr(&p->ttr, t2, sizeof t2);
	fprintf(out, "<table>\n<tr><th></th><th>this week</th><th>week before</th></tr>\n"
		"<tr><td>Median TTR of first sales</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n"
		"<tr><td>Flagged (sale before idea)</td><td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n"
		"</table>\n<p>Verdict: %s. In flight now (no sale yet): %d.</p>\n", t1, t2,
		c->ttr.flagged, p->ttr.flagged, ttr_verdict(&c->ttr), c->ttr.n_in_flight);
	if (!c->ttr.n_products)
		return;
	fprintf(out, "<ul>\n");
	for (int i = 0; i < c->ttr.n_products; i++) {
		const metrics_ttr_product *tp = &c->ttr.products[i];
		fprintf(out, "<li>");
		html_text(out, tp->title);
		fprintf(out, ": %lld d%s</li>\n", tp->days,
			tp->sale_before_idea ? " (flagged: sold before the idea)" : "");
	}
	fprintf(out, "</ul>\n");
}

/* Revenue per operator hour and the numbers behind it, week against week. */
static void html_rpoh(const report_week *r, FILE *out)
{
	const metrics_result *c = &r->cur;
	char lo[32], hi[32];
	fmt_money(REPORT_RPOH_TARGET_LOW, 0, lo, sizeof lo);
	fmt_money(REPORT_RPOH_TARGET_HIGH, 0, hi, sizeof hi);
	fprintf(out, "<h2>Revenue per operator hour (target: %s to %s ", lo, hi);
	html_text(out, c->currency);
	fprintf(out, " per hour)</h2>\n");
	struct row rows[N_ROWS];
	int n = comparison_rows(r, rows);
	fprintf(out, "<table>\n<tr><th></th><th>this week</th><th>week before</th><th>change</th></tr>\n");
	for (int i = 0; i < n; i++)
		fprintf(out, "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
			"<td class=\"n\">%s</td></tr>\n", rows[i].label, rows[i].cur, rows[i].prev,
			rows[i].change);
	fprintf(out, "</table>\n<p>Verdict: RPOH %s.</p>\n", rpoh_verdict(&c->rpoh, c->exponent));
}

/* The escalations raised this week and each one. */
static void html_escalations(const report_week *r, FILE *out)
{
	fprintf(out, "<h2>Escalations</h2>\n");
	char med[32];
	median_ack(r, med, sizeof med);
	fprintf(out, "<p>%d raised; %d acknowledged, median time to acknowledge %s; %d past "
		"their SLA.</p>\n", r->n_escalations, r->n_acked, med, r->n_breached);
	if (!r->n_escalations)
		return;
	fprintf(out, "<table>\n<tr><th>#</th><th>severity</th><th>kind</th><th>title</th>"
		"<th>acknowledged after</th><th>SLA</th></tr>\n");
	for (int i = 0; i < r->n_escalations; i++) {
		const report_escalation *x = &r->escalations[i];
		char dur[32];
		fmt_duration(x->ack_seconds, dur, sizeof dur);
		fprintf(out, "<tr><td class=\"n\">%lld</td><td>%s</td><td>%s</td><td>", x->id,
			x->severity, x->kind);
		html_text(out, x->title);
		fprintf(out, "</td><td>%s</td><td>%s</td></tr>\n", dur,
			x->sla_breached ? "breached" : "ok");
	}
	fprintf(out, "</table>\n");
}

/* The phase sign-offs, completions and reopenings of the week. */
static void html_phases(const report_week *r, FILE *out)
{
	fprintf(out, "<h2>Phases changed</h2>\n");
	if (!r->n_changes)
		fprintf(out, "<p>No phase changed this week.</p>\n");
	else
		fprintf(out, "<table>\n<tr><th>when (UTC)</th><th>operator</th><th>action</th>"
			"<th>phase</th><th>detail</th></tr>\n");
	for (int i = 0; i < r->n_changes; i++) {
		const report_phase_change *ch = &r->changes[i];
		char when[32];
		time_format_utc(ch->at, when, sizeof when);
		fprintf(out, "<tr><td>%s</td><td>", when);
		html_text(out, ch->operator_name);
		fprintf(out, "</td><td>%s</td><td>", ch->action);
		html_text(out, ch->target);
		fprintf(out, "</td><td>");
		html_text(out, ch->detail);
		fprintf(out, "</td></tr>\n");
	}
	if (r->n_changes)
		fprintf(out, "</table>\n");
}

int report_render_html(const report_week *r, FILE *out)
{
	html_head(r, out);
	html_ttr(r, out);
	html_rpoh(r, out);
	fprintf(out, "<h2>Daily</h2>\n");
	svg_bars(out, r, "Net revenue per day", 0);
	svg_bars(out, r, "Revenue per operator hour, per day", 1);
	html_escalations(r, out);
	html_phases(r, out);
	fprintf(out, "</body>\n</html>\n");
	return ferror(out) ? OKDF_EFAIL : OKDF_OK;
}

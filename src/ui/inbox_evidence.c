#include "okdf/ui/inbox_evidence.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/evidence.h"
#include "okdf/ui/format.h"

/* The numeric tail of an id ("gid://shopify/Product/123" -> "123"). */
static const char *id_tail(const char *id)
{
	const char *slash = strrchr(id, '/');
	return slash ? slash + 1 : id;
}

/* "https://admin.shopify.com/store/HANDLE/KIND/ID", or "" before the shop synced. */
static void shopify_url(const ui_panel_ctx *cx, const char *kind, const char *id, char *buf,
	size_t n)
{
	char domain[256];
	okdf_err e = { 0 };
	buf[0] = '\0';
	if (evidence_shop_domain(cx->db, domain, sizeof domain, &e) != OKDF_OK || !domain[0])
		return;
	char *dot = strstr(domain, ".myshopify.com");
	if (dot)
		*dot = '\0';
	snprintf(buf, n, "https://admin.shopify.com/store/%s/%s/%s", domain, kind, id_tail(id));
}

/* The agent's pending action as the task view showed it: the tool, the
 * amount, then each parameter. */
static void pending_action(const ui_panel_ctx *cx, ui_pager *pg, const evidence_conversation *c)
{
	const ui_screen *scr = cx->scr;
	pager_add_untrusted(pg, scr, ROLE_WARNING, 2, "pending action ", c->tool);
	if (c->amount)
		pager_add_untrusted(pg, scr, ROLE_WARNING, 2, "  amount       ", c->amount);
	cJSON *params = c->params ? cJSON_Parse(c->params) : NULL;
	const cJSON *p;
	cJSON_ArrayForEach(p, params) {
		char label[64];
		snprintf(label, sizeof label, "  %-12.12s ", p->string ? p->string : "?");
		const char *v = cJSON_GetStringValue(p);
		if (c->amount && v && p->string && strstr(p->string, "amount") &&
			strcmp(v, c->amount) == 0)
			continue; /* the amount line above */
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, label, v ? v : "");
	}
	cJSON_Delete(params);
}

/* The customer's messages, oldest first, each with its time in the shop's
 * zone. */
static void customer_messages(const ui_panel_ctx *cx, ui_pager *pg, const char *messages)
{
	cJSON *list = messages ? cJSON_Parse(messages) : NULL;
	const cJSON *m;
	cJSON_ArrayForEach(m, list) {
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(m, "at");
		const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "text"));
		char when[96] = "time unknown";
		if (cJSON_IsNumber(at) && at->valuedouble > 0)
			format_local_time(cx->model->timezone, (long long)at->valuedouble,
				cx->model->now, when, sizeof when);
		pager_addf(pg, ROLE_DIM, 2, "customer wrote %s", when);
		pager_add_untrusted(pg, cx->scr, ROLE_ACCENT, 4, "", text ? text : "");
	}
	cJSON_Delete(list);
}

static void conversation(const ui_panel_ctx *cx, ui_pager *pg, const char *id)
{
	const ui_screen *scr = cx->scr;
	evidence_conversation c;
	int found;
	okdf_err e = { 0 };
	if (evidence_conversation_get(cx->db, id, &c, &found, &e) != OKDF_OK) {
		pager_addf(pg, ROLE_ERROR, 2, "%s", e.msg);
		return;
	}
	if (!found) {
		pager_add_untrusted(pg, scr, ROLE_DIM, 2, "conversation (not synced) ", id);
		return;
	}
	char when[96];
	pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "conversation   ", c.title[0] ? c.title : c.id);
	int waiting = strcmp(c.state, "pending-approval") == 0 || strcmp(c.state, "escalated") == 0
		|| strcmp(c.state, "errored-pending-approval") == 0;
	pager_add_untrusted(pg, scr, waiting ? ROLE_WARNING : ROLE_NORMAL, 2, "agent state    ",
		c.state);
	if (c.tool)
		pending_action(cx, pg, &c);
	customer_messages(cx, pg, c.messages);
	if (c.agent_name[0] || c.agent_id[0])
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "agent          ",
			c.agent_name[0] ? c.agent_name : c.agent_id);
	format_local_time(cx->model->timezone, c.updated_at, cx->model->now, when, sizeof when);
	pager_addf(pg, ROLE_NORMAL, 2, "last activity  %s", when);
	if (c.last_message && c.last_message[0])
		pager_add_untrusted(pg, scr, ROLE_ACCENT, 2, "last message   ", c.last_message);
	if (c.evidence_at) {
		format_local_time(cx->model->timezone, c.evidence_at, cx->model->now, when,
			sizeof when);
		pager_addf(pg, ROLE_DIM, 2, "task view read %s", when);
	} else if (waiting) {
		pager_addf(pg, ROLE_DIM, 2, "task view      not read yet (next Relevance sync)");
	}
	char ids[300];
	snprintf(ids, sizeof ids, "agent %s, task %s", c.agent_id[0] ? c.agent_id : "?", c.id);
	pager_add_untrusted(pg, scr, ROLE_DIM, 2, "in Relevance   ", ids);
	evidence_conversation_clear(&c);
}

static void ad(const ui_panel_ctx *cx, ui_pager *pg, const char *id)
{
	const ui_screen *scr = cx->scr;
	evidence_ad a;
	int found;
	okdf_err e = { 0 };
	if (evidence_ad_get(cx->db, id, &a, &found, &e) != OKDF_OK) {
		pager_addf(pg, ROLE_ERROR, 2, "%s", e.msg);
		return;
	}
	if (!found) {
		pager_add_untrusted(pg, scr, ROLE_DIM, 2, "ad (not synced) ", id);
		return;
	}
	pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "ad             ", a.name[0] ? a.name : a.id);
	char status[128];
	snprintf(status, sizeof status, "%s, delivery %s", a.status[0] ? a.status : "?",
		a.effective_status[0] ? a.effective_status : "?");
	pager_add_untrusted(pg, scr, strcmp(a.effective_status, "DISAPPROVED") == 0 ? ROLE_BAD
		: ROLE_NORMAL, 2, "status         ", status);
	if (a.review_feedback[0]) {
		/* One line per reason: "reason: text". */
		for (char *line = a.review_feedback, *nl; line; line = nl ? nl + 1 : NULL) {
			if ((nl = strchr(line, '\n')))
				*nl = '\0';
			pager_add_untrusted(pg, scr, ROLE_BAD, 2, "review         ", line);
		}
	} else if (strcmp(a.effective_status, "DISAPPROVED") == 0) {
		pager_addf(pg, ROLE_BAD, 2, "review         disapproved by Meta's ad review (no "
			"feedback synced: see Ads Manager)");
	}
	if (a.campaign_name[0] || a.campaign_id[0])
		pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, "campaign       ",
			a.campaign_name[0] ? a.campaign_name : a.campaign_id);
	const char *acct = a.account_id[0] ? a.account_id : cx->cfg ? cx->cfg->meta.account
		: "";
	if (strncmp(acct, "act_", 4) == 0)
		acct += 4;
	char url[512];
	snprintf(url, sizeof url, "https://adsmanager.facebook.com/adsmanager/manage/ads?%s%s%s"
		"selected_ad_ids=%s", acct[0] ? "act=" : "", acct, acct[0] ? "&" : "", id_tail(a.id));
	pager_add_untrusted(pg, scr, ROLE_ACCENT, 2, "open           ", url);
}

static void refund(const ui_panel_ctx *cx, ui_pager *pg, const char *id)
{
	const ui_screen *scr = cx->scr;
	evidence_refund r;
	int found;
	okdf_err e = { 0 };
	if (evidence_refund_get(cx->db, id, &r, &found, &e) != OKDF_OK) {
		pager_addf(pg, ROLE_ERROR, 2, "%s", e.msg);
		return;
	}
	if (!found) {
		pager_add_untrusted(pg, scr, ROLE_DIM, 2, "refund (not synced) ", id);
		return;
	}
	char when[96], amount[64], line[256], url[512];
	int exp = money_exponent(cx->model->currency[0] ? cx->model->currency : "USD");
	money_format_grouped(r.amount_minor, exp < 0 ? 2 : exp, amount, sizeof amount);
	format_local_time(cx->model->timezone, r.created_at, cx->model->now, when, sizeof when);
	snprintf(line, sizeof line, "refund         %s %s, %s, order ", amount, cx->model->currency,
		when);
	pager_add_untrusted(pg, scr, ROLE_NORMAL, 2, line, r.order_name[0] ? r.order_name
		: r.order_id);
	if (r.note && r.note[0])
		pager_add_untrusted(pg, scr, ROLE_ACCENT, 2, "refund note    ", r.note);
	shopify_url(cx, "orders", r.order_id, url, sizeof url);
	if (url[0])
		pager_add_untrusted(pg, scr, ROLE_ACCENT, 2, "open           ", url);
	free(r.note);
}

static void product(const ui_panel_ctx *cx, ui_pager *pg, const char *id)
{
	char url[512];
	shopify_url(cx, "products", id, url, sizeof url);
	pager_add_untrusted(pg, cx->scr, ROLE_NORMAL, 2, "product        ", id);
	if (url[0])
		pager_add_untrusted(pg, cx->scr, ROLE_ACCENT, 2, "open           ", url);
}

/* The source section: each source the evidence names, once. */
static void sources(const ui_panel_ctx *cx, ui_pager *pg, const cJSON *ev)
{
	int shown = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ev, "sources")) {
		const char *s = cJSON_GetStringValue(it);
		if (!s)
			continue;
		if (strncmp(s, "conversation:", 13) == 0)
			conversation(cx, pg, s + 13), shown++;
		else if (strncmp(s, "ad:", 3) == 0)
			ad(cx, pg, s + 3), shown++;
		else if (strncmp(s, "refund:", 7) == 0)
			refund(cx, pg, s + 7), shown++;
	}
	const char *conv = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev,
		"conversation_id"));
	if (!shown && conv)
		conversation(cx, pg, conv), shown++;
	const char *adid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "ad_id"));
	if (!shown && adid)
		ad(cx, pg, adid), shown++;
	const char *pid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "product_id"));
	if (pid)
		product(cx, pg, pid), shown++;
	if (!shown)
		pager_addf(pg, ROLE_DIM, 2, "the whole shop (no single order, ad or conversation)");
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

/* One evidence field as a person reads it: money in the currency, times in
 * the shop's zone, the rest as it is. */
static void field(const ui_panel_ctx *cx, ui_pager *pg, const cJSON *it)
{
	const char *k = it->string ? it->string : "?";
	char label[64], value[256];
	snprintf(label, sizeof label, "%-22.22s ", k);
	long long t;
	okdf_err e = { 0 };
	if (cJSON_IsNumber(it) && ends_with(k, "_minor")) {
		int exp = money_exponent(cx->model->currency[0] ? cx->model->currency : "USD");
		char m[64];
		money_format_grouped((long long)it->valuedouble, exp < 0 ? 2 : exp, m, sizeof m);
		snprintf(value, sizeof value, "%s %s", m, cx->model->currency);
	} else if (cJSON_IsString(it) && time_parse_iso8601(it->valuestring, &t, &e) == OKDF_OK) {
		format_local_time(cx->model->timezone, t, cx->model->now, value, sizeof value);
	} else if (cJSON_IsString(it)) {
		pager_add_untrusted(pg, cx->scr, ROLE_NORMAL, 2, label, it->valuestring);
		return;
	} else {
		char *text = cJSON_PrintUnformatted(it);
		pager_add_untrusted(pg, cx->scr, ROLE_NORMAL, 2, label, text ? text : "");
		cJSON_free(text);
		return;
	}
	pager_add_untrusted(pg, cx->scr, strncmp(k, "baseline", 8) == 0 ? ROLE_DIM
		: ROLE_NORMAL, 2, label, value);
}

/* The headline comparison of a money or count anomaly: the value against
 * its baseline, with the change in percent. */
static void against_baseline(const ui_panel_ctx *cx, ui_pager *pg, const cJSON *ev)
{
	static const struct {
		const char *value, *baseline, *what;
		int money;
	} pairs[] = {
		{ "today_minor", "baseline_minor", "revenue so far today", 1 },
		{ "spend_minor", "baseline_minor", "spend", 1 },
		{ "daily_budget_minor", "previous_minor", "daily budget", 1 },
		{ "daily_budget_minor", "cap_minor", "daily budget against the approved cap", 1 },
		{ "refunds_24h", "baseline_mean", "refunds in 24 h", 0 },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, pairs[i].value);
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(ev, pairs[i].baseline);
		if (!cJSON_IsNumber(v) || !cJSON_IsNumber(b))
			continue;
		char a[64], c[64], pct[32] = "";
		if (pairs[i].money) {
			int exp = money_exponent(cx->model->currency[0] ? cx->model->currency : "USD");
			money_format_grouped((long long)v->valuedouble, exp < 0 ? 2 : exp, a, sizeof a);
			money_format_grouped((long long)b->valuedouble, exp < 0 ? 2 : exp, c, sizeof c);
		} else {
			snprintf(a, sizeof a, "%g", v->valuedouble);
			snprintf(c, sizeof c, "%g", b->valuedouble);
		}
		if (b->valuedouble != 0)
			snprintf(pct, sizeof pct, " (%+.0f%%)",
				(v->valuedouble - b->valuedouble) * 100.0 / b->valuedouble);
		pager_addf(pg, ROLE_WARNING, 2, "%s %s against %s%s", pairs[i].what, a, c, pct);
		return;
	}
}

static int skip_field(const char *k)
{
	static const char *const skip[] = { "sources", "rules", "items", NULL };
	for (const char *const *s = skip; *s; s++)
		if (strcmp(k, *s) == 0)
			return 1;
	return 0;
}

void inbox_evidence_fill(const ui_panel_ctx *cx, ui_pager *pg, const escalation *x)
{
	cJSON *ev = x->evidence ? cJSON_Parse(x->evidence) : NULL;
	if (!cJSON_IsObject(ev)) {
		pager_add_untrusted(pg, cx->scr, ROLE_NORMAL, 2, "", x->evidence ? x->evidence : "");
		cJSON_Delete(ev);
		return;
	}
	pager_addf(pg, ROLE_TITLE, 0, "Source");
	sources(cx, pg, ev);
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(ev, "rules"), *it;
	if (cJSON_GetArraySize(rules) > 1) {
		pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
		pager_addf(pg, ROLE_TITLE, 0, "Rules that matched this source (%d)",
			cJSON_GetArraySize(rules));
		cJSON_ArrayForEach(it, rules) {
			char label[96];
			snprintf(label, sizeof label, "%s (%s): ",
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "kind")) ?
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "kind")) : "?",
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "severity")) ?
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "severity")) : "?");
			const char *title = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it,
				"title"));
			pager_add_untrusted(pg, cx->scr, ROLE_NORMAL, 2, label, title ? title : "");
		}
	}
	pager_addf(pg, ROLE_NORMAL, 0, "%s", "");
	pager_addf(pg, ROLE_TITLE, 0, "Numbers and facts");
	against_baseline(cx, pg, ev);
	int n = 0;
	cJSON_ArrayForEach(it, ev) {
		if (!it->string || skip_field(it->string))
			continue;
		field(cx, pg, it);
		n++;
	}
	int items = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "items"));
	if (items)
		pager_addf(pg, ROLE_DIM, 2, "%d matching message%s or note%s (listed under Source)",
			items, items == 1 ? "" : "s", items == 1 ? "" : "s");
	if (!n && !items)
		pager_addf(pg, ROLE_DIM, 2, "none recorded");
	cJSON_Delete(ev);
}

/* The crisis rules: an ad account or ad Meta stopped (crisis.policy_violation),
 * customer messages and refund notes that name harm or complaints
 * (crisis.recall, crisis.negative_review), and refunds concentrated on one
 * product (crisis.recall, "possible product defect"). The operator can switch
 * the category off with rules.enabled.crisis. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "okdf/store/rules.h"
#include "rules_private.h"

static int policy_row_raise(void *ctx, const policy_row *r)
{
	rule_ctx *c = ((struct scan *)ctx)->c;
	okdf_err *e = ((struct scan *)ctx)->e;
	char cond[160], key[256];
	snprintf(cond, sizeof cond, "%s:%s", r->account ? "account" : "ad", r->id);
	long long started;
	int is_new;
	int rc = episode_hold(c, "policy", cond, &started, &is_new, e);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "crisis.policy_violation:%s:%lld", cond, started);
	cJSON *ev = cJSON_CreateObject();
	rule_add_time(ev, "since", started);
	if (r->account) {
		cJSON_AddStringToObject(ev, "account_id", r->id);
		cJSON_AddNumberToObject(ev, "account_status", r->account_status);
		cJSON_AddNumberToObject(ev, "baseline_status", 1);
		return rule_raise(c, "crisis.policy_violation", "critical", "meta/policy", ev, key, e,
			"Meta ad account %s is not active (status %d)", r->name, r->account_status);
	}
	cJSON_AddStringToObject(ev, "ad_id", r->id);
	cJSON_AddStringToObject(ev, "campaign_id", r->campaign_id);
	cJSON_AddStringToObject(ev, "effective_status", "DISAPPROVED");
	return rule_raise(c, "crisis.policy_violation", "high", "meta/policy", ev, key, e,
		"Meta ad disapproved: %s", r->name);
}

/* crisis.policy_violation */
int rule_policy(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "policy", e);
	if (rc)
		return rc;
	struct scan x = { c, e };
	rc = policy_violations_each(c->db, policy_row_raise, &x, e);
	return rc ? rc : episodes_end(c, "policy", e);
}

/* Keywords about harm to a customer point at a recall, not just a bad review. */
static int harm_keyword(const char *kw)
{
	static const char *const harm[] = { "recall", "injur", "allerg", "burn", "rash",
		"unsafe", "hazard", "chok", "poison", "sick", "hospital", "toxic", NULL };
	for (const char *const *h = harm; *h; h++)
		if (strncmp(kw, *h, strlen(*h)) == 0)
			return 1;
	return 0;
}

/* True when kw (lower case) starts a word in text, case-insensitively. */
static int has_word_prefix(const char *text, const char *kw)
{
	size_t k = strlen(kw);
	if (!k)
		return 0;
	for (const char *p = text; *p; p++) {
		if (p != text && isalnum((unsigned char)p[-1]))
			continue;
		if (strncasecmp(p, kw, k) == 0)
			return 1;
	}
	return 0;
}

#define MAX_KEYWORDS 32

static int json_array_has(const cJSON *arr, const char *s)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return 1;
	return 0;
}

struct keyword_group {
	const char *kind, *cond;
	int count;
	cJSON *items, *hits;
};

struct keyword_scan {
	struct keyword_group *groups; /* [0] harm, [1] complaints */
	char **kws;
	int nkw;
};

static int keyword_match(void *ctx, const char *kind, const char *id, const char *text)
{
	struct keyword_scan *x = ctx;
	for (int g = 0; g < 2; g++) {
		struct keyword_group *kg = &x->groups[g];
		int matched = 0;
		for (int k = 0; k < x->nkw; k++) {
			if (harm_keyword(x->kws[k]) != (g == 0) || !has_word_prefix(text, x->kws[k]))
				continue;
			matched = 1;
			if (!json_array_has(kg->hits, x->kws[k]))
				cJSON_AddItemToArray(kg->hits, cJSON_CreateString(x->kws[k]));
		}
		if (!matched)
			continue;
		kg->count++;
		if (cJSON_GetArraySize(kg->items) < 20) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "type", kind);
			cJSON_AddStringToObject(item, "id", id);
			cJSON_AddItemToArray(kg->items, item);
		}
	}
	return OKDF_OK;
}

/* crisis.recall / crisis.negative_review from keywords. */
int rule_keywords(rule_ctx *c, okdf_err *e)
{
	char list[sizeof c->cfg->keywords];
	snprintf(list, sizeof list, "%s", c->cfg->keywords);
	char *kws[MAX_KEYWORDS];
	int nkw = 0;
	for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok && nkw < MAX_KEYWORDS;
		tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		for (char *p = tok; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (*tok)
			kws[nkw++] = tok;
	}
	int rc = episodes_begin(c, "keywords", e);
	if (rc || !nkw)
		return rc ? rc : episodes_end(c, "keywords", e);

	struct keyword_group groups[2] = {
		{ "crisis.recall", "recall", 0, cJSON_CreateArray(), cJSON_CreateArray() },
		{ "crisis.negative_review", "negative", 0, cJSON_CreateArray(), cJSON_CreateArray() },
	};
	struct keyword_scan x = { groups, kws, nkw };
	rc = customer_texts_each(c->db, c->now, keyword_match, &x, e);
	for (int g = 0; g < 2; g++) {
		if (!rc && groups[g].count >= c->cfg->keyword_min_count) {
			long long started;
			int is_new;
			rc = episode_hold(c, "keywords", groups[g].cond, &started, &is_new, e);
			if (!rc) {
				char key[128];
				snprintf(key, sizeof key, "%s:keywords:%lld", groups[g].kind, started);
				cJSON *ev = cJSON_CreateObject();
				cJSON_AddNumberToObject(ev, "matches_24h", groups[g].count);
				cJSON_AddNumberToObject(ev, "threshold", c->cfg->keyword_min_count);
				cJSON_AddItemToObject(ev, "keywords", groups[g].hits);
				cJSON_AddItemToObject(ev, "items", groups[g].items);
				rule_add_time(ev, "since", started);
				groups[g].hits = groups[g].items = NULL;
				rc = rule_raise(c, groups[g].kind, "critical", "rules/keywords", ev, key, e,
					"%d customer message%s or refund note%s in 24 h mention %s", groups[g].count,
					groups[g].count == 1 ? "" : "s", groups[g].count == 1 ? "" : "s",
					g == 0 ? "harm or a recall" : "complaint keywords");
			}
		}
		cJSON_Delete(groups[g].hits);
		cJSON_Delete(groups[g].items);
	}
	return rc ? rc : episodes_end(c, "keywords", e);
}

struct defect_scan {
	rule_ctx *c;
	okdf_err *e;
	int total;
};

static int defect_raise(void *ctx, const refund_product_row *r)
{
	struct defect_scan *x = ctx;
	char cond[160], key[256];
	snprintf(cond, sizeof cond, "product:%s", r->product_id);
	long long started;
	int is_new;
	int rc = episode_hold(x->c, "defect", cond, &started, &is_new, x->e);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "crisis.recall:defect:%s:%lld", r->product_id, started);
	cJSON *ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "product_id", r->product_id);
	cJSON_AddNumberToObject(ev, "product_refunds_24h", r->refunds);
	cJSON_AddNumberToObject(ev, "refunds_24h", x->total);
	cJSON_AddItemToObject(ev, "refund_ids", cJSON_Parse(r->refund_ids_json));
	rule_add_time(ev, "since", started);
	return rule_raise(x->c, "crisis.recall", "critical", "shopify/defect", ev, key, x->e,
		"Possible product defect: %d of %d refunds in 24 h are for %s", r->refunds, x->total,
		r->title);
}

/* crisis.recall "possible product defect": refunds concentrated on one product. */
int rule_defect(rule_ctx *c, okdf_err *e)
{
	int rc = episodes_begin(c, "defect", e);
	if (rc)
		return rc;
	struct defect_scan x = { c, e, 0 };
	rc = refunds_count(c->db, c->now - DAY, c->now, &x.total, e);
	if (rc || x.total < c->cfg->refund_spike_min)
		return rc ? rc : episodes_end(c, "defect", e);
	rc = refund_products_each(c->db, c->now, x.total, defect_raise, &x, e);
	return rc ? rc : episodes_end(c, "defect", e);
}

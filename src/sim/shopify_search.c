#include "shopify_search.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "encode.h"

int sim_shopify_parse_search(const char *q, struct sim_time_filter *f, int max)
{
	int n = 0;
	const char *p = q;
	while (*p && n < max) {
		while (*p == ' ' || *p == '(' || *p == ')')
			p++;
		const char *term = p;
		while (*p && *p != ' ') {
			if (*p == '\'' || *p == '"') {
				char quote = *p++;
				while (*p && *p != quote)
					p++;
			}
			if (*p)
				p++;
		}
		size_t len = (size_t)(p - term);
		char buf[128];
		if (len == 0 || len >= sizeof buf)
			continue;
		memcpy(buf, term, len);
		buf[len] = '\0';
		char *colon = strchr(buf, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char field = !strcmp(buf, "updated_at")	  ? 'u'
			     : !strcmp(buf, "created_at")   ? 'c'
			     : !strcmp(buf, "processed_at") ? 'p'
							    : 0;
		if (!field)
			continue;
		char *v = colon + 1;
		struct sim_time_filter *tf = &f[n];
		size_t ol = 0;
		while ((*v == '>' || *v == '<' || *v == '=') && ol < 2)
			tf->op[ol++] = *v++;
		tf->op[ol] = '\0';
		if (ol == 0)
			strcpy(tf->op, "=");
		if (*v == '\'' || *v == '"') {
			v++;
			size_t vl = strlen(v);
			if (vl)
				v[vl - 1] = '\0';
		}
		tf->field = field;
		if (sim_time_parse_iso(v, &tf->t) == 0)
			n++;
	}
	return n;
}

static void row_times(const struct sim_model *m, enum sim_table t, uint32_t row, int64_t *updated,
		      int64_t *created, int64_t *processed)
{
	switch (t) {
	case SIM_T_PRODUCTS:
		*updated = m->products[row].updated;
		*created = *processed = m->products[row].created;
		return;
	case SIM_T_ORDERS:
		*updated = m->orders[row].updated;
		*created = m->orders[row].created;
		*processed = m->orders[row].processed;
		return;
	case SIM_T_CUSTOMERS:
		*updated = m->customers[row].updated;
		*created = *processed = m->customers[row].created;
		return;
	case SIM_T_CHECKOUTS:
		*updated = m->checkouts[row].updated;
		*created = *processed = m->checkouts[row].created;
		return;
	}
}

bool sim_shopify_row_matches(const struct sim_model *m, enum sim_table t, uint32_t row,
			const struct sim_time_filter *f, int nf)
{
	int64_t u = 0, c = 0, p = 0;
	row_times(m, t, row, &u, &c, &p);
	for (int i = 0; i < nf; i++) {
		int64_t v = f[i].field == 'u' ? u : f[i].field == 'c' ? c : p;
		const char *op = f[i].op;
		bool ok = !strcmp(op, ">")    ? v > f[i].t
			  : !strcmp(op, ">=") ? v >= f[i].t
			  : !strcmp(op, "<")  ? v < f[i].t
			  : !strcmp(op, "<=") ? v <= f[i].t
					      : v == f[i].t;
		if (!ok)
			return false;
	}
	return true;
}

char *sim_shopify_cursor(int64_t id, int64_t updated)
{
	char json[96];
	int n = snprintf(json, sizeof json, "{\"last_id\":%" PRId64 ",\"last_value\":\"%" PRId64 "\"}",
			 id, updated);
	return sim_base64_encode(json, (size_t)n);
}

int sim_shopify_read_cursor(const char *cursor, int64_t *id, int64_t *updated)
{
	char *json = sim_base64_decode(cursor);
	cJSON *doc = json ? cJSON_Parse(json) : NULL;
	free(json);
	const cJSON *jid = cJSON_GetObjectItemCaseSensitive(doc, "last_id");
	const cJSON *jv = cJSON_GetObjectItemCaseSensitive(doc, "last_value");
	int rc = -1;
	if (cJSON_IsNumber(jid) && cJSON_IsString(jv)) {
		*id = (int64_t)jid->valuedouble;
		*updated = strtoll(jv->valuestring, NULL, 10);
		rc = 0;
	}
	cJSON_Delete(doc);
	return rc;
}

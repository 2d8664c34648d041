#include "truth.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klaviyo.h"
#include "shopify_nodes.h"

struct day_total {
	char date[SIM_DATE_LEN];
	int64_t orders, total_minor, refunds_minor;
};

struct day_table {
	struct day_total *days;
	size_t n, cap;
};

/* Days are few (one per calendar day); a linear search from the end, where
 * the time-ordered orders land, is enough. */
static struct day_total *day_for(struct day_table *t, int64_t when)
{
	char date[SIM_DATE_LEN];
	sim_time_local_date(when, date);
	for (size_t i = t->n; i-- > 0;)
		if (!strcmp(t->days[i].date, date))
			return &t->days[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct day_total *grown = realloc(t->days, cap * sizeof *grown);
		if (!grown)
			return NULL;
		t->days = grown;
		t->cap = cap;
	}
	struct day_total *d = &t->days[t->n++];
	memset(d, 0, sizeof *d);
	memcpy(d->date, date, sizeof date);
	return d;
}

static int cmp_day(const void *a, const void *b)
{
	return strcmp(((const struct day_total *)a)->date, ((const struct day_total *)b)->date);
}

static cJSON *add_table(cJSON *tables, const char *name, int64_t count)
{
	cJSON *t = cJSON_AddObjectToObject(tables, name);
	cJSON_AddNumberToObject(t, "count", (double)count);
	return t;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

static cJSON *build_truth(const struct sim_model *m, struct day_table *dt)
{
	int64_t order_total = 0, lines = 0, refunds = 0, refund_total = 0;
	for (size_t i = 0; i < m->n_orders; i++) {
		const struct sim_order *o = &m->orders[i];
		order_total += o->total_minor;
		lines += o->n_lines;
		struct day_total *d = day_for(dt, o->processed);
		if (!d)
			return NULL;
		d->orders++;
		d->total_minor += o->total_minor;
		for (int r = 0; r < o->n_refunds; r++) {
			refunds++;
			refund_total += o->refunds[r].amount_minor;
			struct day_total *rd = day_for(dt, o->refunds[r].created);
			if (!rd)
				return NULL;
			rd->refunds_minor += o->refunds[r].amount_minor;
		}
	}
	int64_t checkout_total = 0, completed = 0;
	for (size_t i = 0; i < m->n_checkouts; i++) {
		checkout_total += m->checkouts[i].total_minor;
		completed += m->checkouts[i].completed != 0;
	}
	int64_t spend = 0, value = 0;
	for (size_t i = 0; i < m->n_insights; i++) {
		spend += m->insights[i].spend_minor;
		value += m->insights[i].purchase_value_minor;
	}
	cJSON *doc = cJSON_CreateObject();
	cJSON *tables = cJSON_AddObjectToObject(doc, "tables");
	add_table(tables, "products", (int64_t)m->n_products);
	cJSON *t = add_table(tables, "orders", (int64_t)m->n_orders);
	cJSON_AddNumberToObject(t, "total_minor", (double)order_total);
	add_table(tables, "line_items", lines);
	t = add_table(tables, "refunds", refunds);
	cJSON_AddNumberToObject(t, "amount_minor", (double)refund_total);
	t = add_table(tables, "abandoned_checkouts", (int64_t)m->n_checkouts);
	cJSON_AddNumberToObject(t, "total_minor", (double)checkout_total);
	cJSON_AddNumberToObject(t, "completed", (double)completed);
	add_table(tables, "customers", (int64_t)m->n_customers);
	add_table(tables, "email_flows", (int64_t)sim_klaviyo_n_flows);
	add_table(tables, "campaigns", (int64_t)m->n_campaigns);
	add_table(tables, "ads", (int64_t)m->n_ads);
	t = add_table(tables, "ad_insights_daily", (int64_t)m->n_insights);
	cJSON_AddNumberToObject(t, "spend_minor", (double)spend);
	cJSON_AddNumberToObject(t, "purchase_value_minor", (double)value);
	add_table(tables, "agents", (int64_t)m->n_agents);
	/* count: customers' conversations; debug: builders' test runs, listed too. */
	int64_t debug = 0;
	for (size_t i = 0; i < m->n_conversations; i++)
		debug += m->conversations[i].debug;
	t = add_table(tables, "conversations", (int64_t)m->n_conversations - debug);
	cJSON_AddNumberToObject(t, "debug", (double)debug);
	qsort(dt->days, dt->n, sizeof *dt->days, cmp_day);
	cJSON *days = cJSON_AddObjectToObject(doc, "days");
	for (size_t i = 0; i < dt->n; i++) {
		cJSON *d = cJSON_AddObjectToObject(days, dt->days[i].date);
		cJSON_AddNumberToObject(d, "orders", (double)dt->days[i].orders);
		cJSON_AddNumberToObject(d, "total_minor", (double)dt->days[i].total_minor);
		cJSON_AddNumberToObject(d, "refunds_minor", (double)dt->days[i].refunds_minor);
	}
	cJSON *shop = cJSON_AddObjectToObject(doc, "shop");
	cJSON_AddStringToObject(shop, "currency", sim_currencies[SIM_SHOP_CURRENCY].code);
	cJSON_AddStringToObject(shop, "iana_timezone", SIM_SHOP_TIMEZONE);
	return doc;
}

int sim_truth_write(const struct sim_model *m, const char *path)
{
	struct day_table dt = {0};
	cJSON *doc = build_truth(m, &dt);
	free(dt.days);
	char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	if (!text) {
		errno = ENOMEM;
		return -1;
	}
	int rc = write_text(path, text);
	free(text);
	return rc;
}

int sim_dump_orders_json(const struct sim_model *m, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int ok = fputs("[\n", f) >= 0;
	for (size_t i = 0; i < m->n_orders && ok; i++) {
		cJSON *node = sim_shopify_order_node(m, &m->orders[i]);
		char *text = node ? cJSON_PrintUnformatted(node) : NULL;
		cJSON_Delete(node);
		if (!text) {
			errno = ENOMEM;
			ok = 0;
			break;
		}
		ok = fprintf(f, "%s%s\n", text, i + 1 < m->n_orders ? "," : "") >= 0;
		free(text);
	}
	ok = ok && fputs("]\n", f) >= 0;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

int sim_dump_orders_csv(const struct sim_model *m, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int ok = fputs("id,name,created_at,processed_at,updated_at,cancelled_at,test,total_minor,"
		       "currency,presentment_total_minor,presentment_currency,customer_id,"
		       "shipping_country\n",
		       f) >= 0;
	for (size_t i = 0; i < m->n_orders && ok; i++) {
		const struct sim_order *o = &m->orders[i];
		char cancelled[24] = "", customer[64] = "";
		if (o->cancelled)
			snprintf(cancelled, sizeof cancelled, "%" PRId64, o->cancelled);
		if (o->customer >= 0)
			snprintf(customer, sizeof customer, "gid://shopify/Customer/%" PRId64,
				 m->customers[o->customer].id);
		ok = fprintf(f,
			     "gid://shopify/Order/%" PRId64 ",#%d,%" PRId64 ",%" PRId64 ",%" PRId64
			     ",%s,%d,%" PRId64 ",%s,%" PRId64 ",%s,%s,%s\n",
			     o->id, o->number, o->created, o->processed, o->updated, cancelled,
			     o->test ? 1 : 0, o->total_minor, sim_currencies[SIM_SHOP_CURRENCY].code,
			     o->presentment_minor, sim_currencies[o->presentment].code, customer,
			     o->country) >= 0;
	}
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct sim_currency sim_currencies[] = {
	{"USD", 2, 1000}, {"EUR", 2, 920}, {"GBP", 2, 790}, {"JPY", 0, 150000}, {"KWD", 3, 307},
};

static const char *const product_titles[] = {
	"Everyday Tee", "Merino Crew Sock", "Canvas Tote", "Ceramic Pour-Over", "Linen Apron",
	"Bamboo Toothbrush Set", "Travel Mug", "Wool Beanie", "Leather Card Holder", "Cotton Hoodie",
	"Glass Water Bottle", "Soy Candle - Cedar", "Notebook A5 Dotted", "Yoga Mat Classic",
	"Stainless Straw Kit", "Organic Face Serum", "Hand Cream 50ml", "Reusable Beeswax Wrap",
	"Cork Coaster Set", "Silk Pillowcase", "Running Cap", "Insulated Lunch Box",
	"Herbal Tea Sampler", "Charging Stand", "Desk Plant Pot", "Recycled Backpack",
	"Sunscreen SPF 50", "Lip Balm Trio", "Matcha Starter Kit", "Bath Salts Lavender",
	"Phone Sling", "Weekend Duffel", "Eye Mask Silk", "Kids Rain Boots", "Dog Leash Rope",
	"Collagen Gummies", "LED Reading Light", "Posture Corrector", "Snack Box Vegan",
	"Gift Card Sleeve",
};
#define N_PRODUCT_TITLES (sizeof product_titles / sizeof product_titles[0])

static const char *const refund_notes[] = {"Damaged in transit", "Customer changed mind", NULL,
					   "Wrong size"};

static const char *const cs_titles[] = {
	"Where is my order", "Refund request", "Wrong size received",
	"Change shipping address", "Discount code not working",
	"Package marked delivered but missing", "Exchange request",
	"Question about ingredients",
};
#define N_CS_TITLES (sizeof cs_titles / sizeof cs_titles[0])

int64_t sim_model_now(const struct sim_model *m)
{
	if (!m->live)
		return m->base_now;
	return m->base_now + (int64_t)(sim_time_monotonic() - m->started_mono);
}

size_t sim_model_count(const struct sim_model *m, enum sim_table t)
{
	switch (t) {
	case SIM_T_PRODUCTS: return m->n_products;
	case SIM_T_ORDERS: return m->n_orders;
	case SIM_T_CUSTOMERS: return m->n_customers;
	case SIM_T_CHECKOUTS: return m->n_checkouts;
	}
	return 0;
}

void sim_model_row_key(const struct sim_model *m, enum sim_table t, uint32_t row, int64_t *updated,
		       int64_t *id)
{
	*updated = *id = 0;
	switch (t) {
	case SIM_T_PRODUCTS:
		*updated = m->products[row].updated;
		*id = m->products[row].id;
		return;
	case SIM_T_ORDERS:
		*updated = m->orders[row].updated;
		*id = m->orders[row].id;
		return;
	case SIM_T_CUSTOMERS:
		*updated = m->customers[row].updated;
		*id = m->customers[row].id;
		return;
	case SIM_T_CHECKOUTS:
		*updated = m->checkouts[row].updated;
		*id = m->checkouts[row].id;
		return;
	}
}

struct sim_updated_index *sim_model_index(struct sim_model *m, enum sim_table t)
{
	switch (t) {
	case SIM_T_PRODUCTS: return &m->idx_products;
	case SIM_T_ORDERS: return &m->idx_orders;
	case SIM_T_CUSTOMERS: return &m->idx_customers;
	case SIM_T_CHECKOUTS: return &m->idx_checkouts;
	}
	return NULL;
}

struct key_ctx {
	const struct sim_model *m;
	enum sim_table t;
};

static int key_cmp(int64_t ua, int64_t ia, int64_t ub, int64_t ib)
{
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static int row_cmp(const void *a, const void *b, void *arg)
{
	const struct key_ctx *c = arg;
	int64_t ua, ia, ub, ib;
	sim_model_row_key(c->m, c->t, *(const uint32_t *)a, &ua, &ia);
	sim_model_row_key(c->m, c->t, *(const uint32_t *)b, &ub, &ib);
	return key_cmp(ua, ia, ub, ib);
}

static int index_build(struct sim_model *m, enum sim_table t)
{
	struct sim_updated_index *ix = sim_model_index(m, t);
	size_t n = sim_model_count(m, t);
	ix->cap = n + 64;
	ix->rows = malloc(ix->cap * sizeof *ix->rows);
	if (!ix->rows)
		return -1;
	for (size_t i = 0; i < n; i++)
		ix->rows[i] = (uint32_t)i;
	ix->n = n;
	struct key_ctx c = {m, t};
	qsort_r(ix->rows, n, sizeof *ix->rows, row_cmp, &c);
	return 0;
}

/* Re-sorts one row after its updated time changed, or appends a new row. */
static int index_touch(struct sim_model *m, enum sim_table t, uint32_t row, bool is_new)
{
	struct sim_updated_index *ix = sim_model_index(m, t);
	if (!is_new) {
		for (size_t i = 0; i < ix->n; i++) {
			if (ix->rows[i] == row) {
				memmove(ix->rows + i, ix->rows + i + 1, (ix->n - i - 1) * sizeof *ix->rows);
				ix->n--;
				break;
			}
		}
	}
	if (ix->n == ix->cap) {
		uint32_t *grown = realloc(ix->rows, (ix->cap * 2 + 64) * sizeof *ix->rows);
		if (!grown)
			return -1;
		ix->rows = grown;
		ix->cap = ix->cap * 2 + 64;
	}
	int64_t u, id;
	sim_model_row_key(m, t, row, &u, &id);
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int64_t mu, mid_id;
		sim_model_row_key(m, t, ix->rows[mid], &mu, &mid_id);
		if (key_cmp(mu, mid_id, u, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(ix->rows + lo + 1, ix->rows + lo, (ix->n - lo) * sizeof *ix->rows);
	ix->rows[lo] = row;
	ix->n++;
	return 0;
}

static void make_uuid(struct sim_prng *r, char out[SIM_UUID_LEN])
{
	uint64_t a = sim_prng_next(r), b = sim_prng_next(r);
	snprintf(out, SIM_UUID_LEN, "%08x-%04x-4%03x-a%03x-%012llx", (unsigned)(a >> 32),
		 (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff, (unsigned)(b >> 52) & 0xfff,
		 (unsigned long long)(b & 0xffffffffffffULL));
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int gen_products(struct sim_model *m, int64_t start)
{
	struct sim_prng *r = &m->rng;
	int64_t now = m->base_now;
	m->n_products = N_PRODUCT_TITLES;
	m->products = calloc(m->n_products, sizeof *m->products);
	if (!m->products)
		return -1;
	int64_t span = now - start;
	for (size_t i = 0; i < m->n_products; i++) {
		struct sim_product *p = &m->products[i];
		p->id = 8123456789012LL + (int64_t)i * 1117 + sim_prng_range(r, 0, 999);
		p->title = product_titles[i];
		p->description = "Made to last, designed for everyday use.";
		p->status = SIM_PRODUCT_ACTIVE;
		p->price_minor = sim_prng_range(r, 8, 120) * 100 + (sim_prng_chance(r, 0.6) ? 99 : 0);
		if (i < 12) {
			/* The launch catalogue: created before the history window. */
			p->created = start - sim_prng_range(r, 20, 200) * 86400;
			p->sellable_from = p->created + sim_prng_range(r, 2, 10) * 86400;
		} else {
			p->created = start + span * (int64_t)(i - 12) / (int64_t)(m->n_products - 12) +
				     sim_prng_range(r, 0, 86399);
			switch (i % 3) {
			case 0: /* automated launch: first sale within two weeks */
				p->sellable_from = p->created + sim_prng_range(r, 2, 13) * 86400;
				break;
			case 1: /* manual launch: first sale after 4-8 weeks */
				p->sellable_from = p->created + sim_prng_range(r, 28, 56) * 86400;
				break;
			default: /* never sells */
				p->sellable_from = INT64_MAX;
			}
		}
		p->created = min64(p->created, now - 3600);
		if (i == 17 || i == 29 || i == 38) {
			p->status = SIM_PRODUCT_DRAFT;
			p->description = "";
			p->sellable_from = INT64_MAX;
		} else if (i == 5 || i == 21) {
			p->status = SIM_PRODUCT_ARCHIVED;
		}
		p->published = p->status == SIM_PRODUCT_DRAFT ? 0 : min64(p->created + 86400, now - 1800);
		p->updated = max64(p->created, min64(p->created + sim_prng_range(r, 0, 30) * 86400,
						     now - 600));
		p->updated = max64(p->updated, p->published);
	}
	return 0;
}

static int pick_product(struct sim_model *m, int64_t when)
{
	for (int tries = 0; tries < 64; tries++) {
		int i = (int)sim_prng_range(&m->rng, 0, (int64_t)m->n_products - 1);
		if (m->products[i].sellable_from <= when)
			return i;
	}
	return 0;
}

static int grow(void **base, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 256;
	while (nc < need)
		nc *= 2;
	void *p = realloc(*base, nc * elem);
	if (!p)
		return -1;
	memset((char *)p + *cap * elem, 0, (nc - *cap) * elem);
	*base = p;
	*cap = nc;
	return 0;
}

static int new_customer(struct sim_model *m, int64_t when)
{
	if (grow((void **)&m->customers, &m->cap_customers, m->n_customers + 1, sizeof *m->customers))
		return -2; /* -1 means a guest checkout */
	struct sim_customer *c = &m->customers[m->n_customers];
	c->id = 7012345600000LL + (int64_t)m->n_customers * 911;
	c->created = c->updated = when;
	return (int)m->n_customers++;
}

static int pick_customer(struct sim_model *m, int64_t when)
{
	struct sim_prng *r = &m->rng;
	if (sim_prng_chance(r, 0.04))
		return -1;
	if (m->n_customers > 20 && sim_prng_chance(r, 0.35))
		return (int)sim_prng_range(r, 0, (int64_t)m->n_customers - 1);
	return new_customer(m, when - sim_prng_range(r, 0, 3600));
}

static void build_order(struct sim_model *m, struct sim_order *o, size_t seq, int64_t when,
			int customer, bool may_cancel)
{
	struct sim_prng *r = &m->rng;
	static const char *const countries[] = {"US", "DE", "GB", "JP", "KW"};
	o->id = 5600000000000LL + (int64_t)seq * 1013 + sim_prng_range(r, 0, 999);
	o->number = 1001 + (int)seq;
	o->processed = o->created = o->updated = when;
	o->customer = customer;
	int64_t u = sim_prng_range(r, 0, 99);
	o->presentment = u < 80 ? 0 : u < 88 ? 1 : u < 94 ? 2 : u < 98 ? 3 : 4;
	o->country = countries[o->presentment];
	o->n_lines = (int)sim_prng_range(r, 1, 3) + (sim_prng_chance(r, 0.05) ? 1 : 0);
	o->total_minor = 0;
	for (int l = 0; l < o->n_lines; l++) {
		struct sim_line *li = &o->lines[l];
		li->id = 13000000000000LL + (int64_t)seq * 8 + l;
		li->quantity = (int)sim_prng_range(r, 1, 3);
		if (sim_prng_chance(r, 0.02)) {
			li->product = -1;
			li->title = "Discontinued Sample Pack";
			li->unit_minor = 900;
		} else {
			li->product = pick_product(m, when);
			li->title = m->products[li->product].title;
			li->unit_minor = m->products[li->product].price_minor;
		}
		o->total_minor += li->unit_minor * li->quantity;
	}
	const struct sim_currency *pc = &sim_currencies[o->presentment];
	int64_t scale = 1;
	for (int i = 0; i < pc->exponent; i++)
		scale *= 10;
	o->presentment_minor = o->total_minor * pc->per_usd_milli * scale / 100000;
	o->test = sim_prng_chance(r, 0.01);
	if (!o->test && sim_prng_chance(r, 0.02) && may_cancel) {
		o->cancelled = min64(when + sim_prng_range(r, 3600, 48 * 3600), m->base_now - 60);
		o->cancelled = max64(o->cancelled, when);
		o->updated = o->cancelled;
	}
	if (customer >= 0) {
		struct sim_customer *c = &m->customers[customer];
		c->orders++;
		if (!o->cancelled && !o->test)
			c->spent_minor += o->total_minor;
		c->updated = max64(c->updated, o->updated);
	}
}

static void refund_order(struct sim_model *m, struct sim_order *o, int64_t when, bool full)
{
	struct sim_prng *r = &m->rng;
	struct sim_refund *rf = &o->refunds[o->n_refunds];
	memset(rf, 0, sizeof *rf);
	rf->id = 9100000000000LL + (int64_t)(o - m->orders) * 13 + o->n_refunds;
	rf->created = when;
	rf->note = refund_notes[sim_prng_range(r, 0, 3)];
	/* A second refund returns one unit of a line not refunded yet. */
	int line = o->n_refunds == 0 ? 0 : o->n_lines - 1;
	for (int l = 0; l < o->n_lines; l++) {
		if (full)
			rf->line_qty[l] = (int8_t)o->lines[l].quantity;
		else if (l == line)
			rf->line_qty[l] = 1;
		rf->amount_minor += rf->line_qty[l] * o->lines[l].unit_minor;
	}
	o->n_refunds++;
	o->updated = max64(o->updated, when);
	if (o->customer >= 0) {
		struct sim_customer *c = &m->customers[o->customer];
		c->updated = max64(c->updated, when);
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int gen_orders(struct sim_model *m, int64_t start, int n)
{
	struct sim_prng *r = &m->rng;
	int64_t now = m->base_now;
	int64_t *times = malloc((size_t)(n > 0 ? n : 1) * sizeof *times);
	if (!times)
		return -1;
	for (int i = 0; i < n; i++)
		times[i] = sim_prng_range(r, start, now - 600);
	qsort(times, (size_t)n, sizeof *times, cmp_i64);
	if (grow((void **)&m->orders, &m->cap_orders, (size_t)n + 1, sizeof *m->orders)) {
		free(times);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int c = pick_customer(m, times[i]);
		if (c < -1) {
			free(times);
			return -1;
		}
		struct sim_order *o = &m->orders[m->n_orders];
		build_order(m, o, m->n_orders, times[i], c, true);
		m->n_orders++;
		if (o->test || o->cancelled || !sim_prng_chance(r, 0.07))
			continue;
		int64_t when = o->processed + sim_prng_range(r, 1, 12) * 86400 + sim_prng_range(r, 0, 86399);
		if (when > now - 60)
			continue;
		bool full = sim_prng_chance(r, 0.45);
		refund_order(m, o, when, full);
		int64_t again = when + sim_prng_range(r, 1, 5) * 86400;
		if (!full && o->n_lines > 1 && again < now - 60 && sim_prng_chance(r, 0.2))
			refund_order(m, o, again, false);
	}
	free(times);
	return 0;
}

static int gen_checkouts(struct sim_model *m, int64_t start, int n)
{
	struct sim_prng *r = &m->rng;
	int64_t now = m->base_now;
	int64_t *times = malloc((size_t)(n > 0 ? n : 1) * sizeof *times);
	if (!times || grow((void **)&m->checkouts, &m->cap_checkouts, (size_t)n + 1,
			   sizeof *m->checkouts)) {
		free(times);
		return -1;
	}
	for (int i = 0; i < n; i++)
		times[i] = sim_prng_range(r, start, now - 600);
	qsort(times, (size_t)n, sizeof *times, cmp_i64);
	for (int i = 0; i < n; i++) {
		struct sim_checkout *c = &m->checkouts[m->n_checkouts];
		c->id = 30000000000000LL + (int64_t)m->n_checkouts * 17;
		c->created = times[i];
		c->updated = min64(times[i] + sim_prng_range(r, 0, 600), now - 60);
		c->updated = max64(c->updated, c->created);
		c->total_minor = sim_prng_range(r, 15, 220) * 100 + 99;
		c->customer = m->n_customers && sim_prng_chance(r, 0.6)
				      ? (int)sim_prng_range(r, 0, (int64_t)m->n_customers - 1)
				      : -1;
		int64_t done = times[i] + sim_prng_range(r, 3600, 72 * 3600);
		if (sim_prng_chance(r, 0.12) && done < now - 60)
			c->completed = c->updated = done;
		m->n_checkouts++;
	}
	free(times);
	return 0;
}

static void date_minus_days(const char *date, int k, char out[SIM_DATE_LEN])
{
	int64_t t;
	if (sim_time_parse_date(date, &t))
		t = 0;
	sim_time_utc_date(t - (int64_t)k * 86400, out);
}

static int gen_ads(struct sim_model *m)
{
	static const struct {
		const char *name, *status;
		int64_t budget;
		int from_pct, to_pct; /* share of the history the campaign ran */
	} plan[] = {
		{"Prospecting - Broad", "ACTIVE", 5000, 0, 100},
		{"Retargeting - Abandoned Cart", "ACTIVE", 3000, 10, 100},
		{"Lookalike - Purchasers 1%", "ACTIVE", 7500, 40, 100},
		{"Spring Launch - New Product", "PAUSED", 10000, 25, 55},
		{"Brand Awareness - Video", "ARCHIVED", 2000, 0, 30},
	};
	struct sim_prng *r = &m->rng;
	m->n_campaigns = sizeof plan / sizeof plan[0];
	m->n_ads = m->n_campaigns * 2;
	m->campaigns = calloc(m->n_campaigns, sizeof *m->campaigns);
	m->ads = calloc(m->n_ads, sizeof *m->ads);
	m->insights = calloc(m->n_campaigns * (size_t)m->days + 1, sizeof *m->insights);
	if (!m->campaigns || !m->ads || !m->insights)
		return -1;
	for (size_t c = 0; c < m->n_campaigns; c++) {
		struct sim_campaign *cp = &m->campaigns[c];
		snprintf(cp->id, sizeof cp->id, "12021000000%07zu", 4411 + c * 37);
		cp->name = plan[c].name;
		cp->status = cp->effective_status = plan[c].status;
		cp->daily_budget_minor = plan[c].budget;
		cp->created = m->base_now - (int64_t)(m->days + 5) * 86400;
		for (int k = 0; k < 2; k++) {
			struct sim_ad *ad = &m->ads[c * 2 + (size_t)k];
			snprintf(ad->id, sizeof ad->id, "12022000000%07zu", 5521 + c * 41 + (size_t)k);
			snprintf(ad->adset_id, sizeof ad->adset_id, "12023000000%07zu", 6631 + c * 43);
			snprintf(ad->creative_id, sizeof ad->creative_id, "12024000000%07zu",
				 7741 + c * 47 + (size_t)k);
			ad->campaign = (int)c;
			ad->name = k == 0 ? "Static - Lifestyle" : "Video - UGC Testimonial";
			ad->status = plan[c].status;
			ad->effective_status = !strcmp(plan[c].status, "PAUSED") ? "CAMPAIGN_PAUSED"
											 : plan[c].status;
		}
	}
	/* One ad rejected by review: phase 7 must see it. */
	m->ads[5].effective_status = "DISAPPROVED";
	for (int d = 0; d < m->days; d++) {
		int pct = d * 100 / (m->days > 1 ? m->days - 1 : 1);
		for (size_t c = 0; c < m->n_campaigns; c++) {
			if (pct < plan[c].from_pct || pct > plan[c].to_pct || sim_prng_chance(r, 0.08))
				continue;
			struct sim_insight *in = &m->insights[m->n_insights++];
			in->campaign = (int)c;
			date_minus_days(m->ad_today, m->days - 1 - d, in->date);
			in->spend_minor = plan[c].budget * sim_prng_range(r, 55, 105) / 100;
			in->purchases = in->spend_minor / sim_prng_range(r, 1800, 6000);
			in->purchase_value_minor = in->purchases * sim_prng_range(r, 3500, 9000);
			in->impressions = in->spend_minor * sim_prng_range(r, 3, 9) / 10;
			in->clicks = in->impressions * sim_prng_range(r, 8, 25) / 1000;
		}
	}
	return 0;
}

static int gen_agents(struct sim_model *m)
{
	static const struct {
		const char *name, *description;
	} plan[] = {
		{"Support Agent", "Customer-service agent: order status, refunds, exchanges"},
		{"Content Writer", "Content agent: product descriptions and blog posts"},
		{"Ad Creative Studio", "Ad-creative agent: drafts Meta ad copy and image briefs"},
		{NULL, "Checks stock levels every morning"}, /* saved without a name */
	};
	struct sim_prng *r = &m->rng;
	m->n_agents = sizeof plan / sizeof plan[0];
	m->agents = calloc(m->n_agents, sizeof *m->agents);
	if (!m->agents)
		return -1;
	for (size_t a = 0; a < m->n_agents; a++) {
		make_uuid(r, m->agents[a].id);
		m->agents[a].name = plan[a].name;
		m->agents[a].description = plan[a].description;
		m->agents[a].model = "openai-gpt-4o";
		m->agents[a].created = m->base_now - (int64_t)(m->days + 10) * 86400;
		m->agents[a].updated = m->base_now - 5 * 86400;
	}
	return 0;
}

static const char *const cs_fixed_states[] = {
	"pending-approval", "pending-approval", "pending-approval", "escalated", "escalated",
	"errored-pending-approval", "running", "idle", "idle", "cancelled", "queued-for-approval",
};
static const char *const pending_tools[] = {"Issue refund", "Send replacement",
					    "Apply 20% discount"};

static int gen_conversations(struct sim_model *m)
{
	struct sim_prng *r = &m->rng;
	int64_t now = m->base_now;
	char title[128];
	/* Support: a steady stream over 21 days, mostly resolved by the agent. */
	for (int i = 0; i < 96; i++) {
		int64_t when = now - 21 * 86400 + (int64_t)i * (21 * 86400 - 7200) / 96 +
			       sim_prng_range(r, 0, 1800);
		int order_no = 1001 + (int)sim_prng_range(r, 0, m->n_orders ? (int64_t)m->n_orders - 1 : 0);
		snprintf(title, sizeof title, "%s - order #%d",
			 cs_titles[sim_prng_range(r, 0, N_CS_TITLES - 1)], order_no);
		if (sim_model_add_conversation(m, 0, title, "completed", when))
			return -1;
	}
	size_t n_fixed = sizeof cs_fixed_states / sizeof cs_fixed_states[0];
	for (size_t i = 0; i < n_fixed; i++) {
		int64_t when = now - (int64_t)(n_fixed - i) * 3 * 3600;
		snprintf(title, sizeof title, "%s - order #%d", cs_titles[i % N_CS_TITLES],
			 1001 + (int)(m->n_orders > i ? m->n_orders - 1 - i : i));
		if (sim_model_add_conversation(m, 0, title, cs_fixed_states[i], when))
			return -1;
		/* The first waits to refund: a pending action with an amount. */
		if (i == 0)
			m->conversations[m->n_conversations - 1].tool_title = "Issue refund";
	}
	for (int i = 0; i < 7; i++) {
		snprintf(title, sizeof title, "Product description: %s", product_titles[12 + i * 3]);
		if (sim_model_add_conversation(m, 1, title, "completed",
					       now - (int64_t)(7 - i) * 2 * 86400 + 86400 + 3600))
			return -1;
	}
	for (int i = 0; i < 4; i++) {
		snprintf(title, sizeof title, "Ad concepts: %s", product_titles[i * 5]);
		if (sim_model_add_conversation(m, 2, title, i == 3 ? "pending-approval" : "completed",
					       now - (int64_t)(4 - i) * 3 * 86400))
			return -1;
	}
	/* Builders' test runs of the support agent, one of them waiting for
	 * approval: Relevance lists them with the customers' tasks. */
	for (int i = 0; i < 6; i++) {
		snprintf(title, sizeof title, "Test run %d: %s", i + 1, cs_titles[i % N_CS_TITLES]);
		if (sim_model_add_conversation(m, 0, title, i == 5 ? "pending-approval" : "completed",
					       now - (int64_t)(6 - i) * 86400))
			return -1;
		m->conversations[m->n_conversations - 1].debug = true;
	}
	/* The unnamed agent's tasks; the last one is served without insert_date. */
	for (int i = 0; i < 2; i++) {
		snprintf(title, sizeof title, "Stock check: %s", product_titles[i]);
		if (sim_model_add_conversation(m, 3, title, "completed", now - (int64_t)(2 - i) * 86400))
			return -1;
	}
	m->conversations[m->n_conversations - 1].no_insert_date = true;
	return 0;
}

int sim_model_add_conversation(struct sim_model *m, int agent, const char *title, const char *state,
			       int64_t when)
{
	if (grow((void **)&m->conversations, &m->cap_conversations, m->n_conversations + 1,
		 sizeof *m->conversations))
		return -1;
	struct sim_conversation *c = &m->conversations[m->n_conversations++];
	make_uuid(&m->rng, c->id);
	c->agent = agent;
	snprintf(c->title, sizeof c->title, "%s", title);
	c->state = state;
	c->created = when;
	c->updated = !strcmp(state, "completed") ? when + sim_prng_range(&m->rng, 60, 3600) : when;
	c->updated = min64(c->updated, max64(when, sim_model_now(m)));
	if (!strcmp(state, "pending-approval") || !strcmp(state, "errored-pending-approval")) {
		c->tool_title = agent == 2 ? "Publish ad creative"
					   : pending_tools[sim_prng_range(&m->rng, 0, 2)];
		make_uuid(&m->rng, c->action_request_id);
	}
	return 0;
}

void sim_model_settle_conversations(struct sim_model *m)
{
	double mono = sim_time_monotonic();
	for (size_t i = 0; i < m->n_conversations; i++) {
		struct sim_conversation *c = &m->conversations[i];
		if (c->complete_at > 0 && mono >= c->complete_at) {
			c->state = "completed";
			c->complete_at = 0;
			c->updated = sim_model_now(m);
		}
	}
}

int sim_model_generate(struct sim_model *m, uint64_t seed, int64_t now, int days, int n_orders,
		       bool live)
{
	memset(m, 0, sizeof *m);
	pthread_mutex_init(&m->lock, NULL);
	sim_prng_seed(&m->rng, seed, 0);
	m->base_now = now;
	m->started_mono = sim_time_monotonic();
	m->live = live;
	m->days = days;
	/* The ad account reports days in its own zone; the shop zone stays set. */
	sim_time_use_zone(SIM_AD_TIMEZONE);
	sim_time_local_date(now, m->ad_today);
	sim_time_use_zone(SIM_SHOP_TIMEZONE);
	int64_t start = now - (int64_t)days * 86400;
	if (gen_products(m, start) || gen_orders(m, start, n_orders) ||
	    gen_checkouts(m, start, n_orders / 2) || gen_ads(m) || gen_agents(m) ||
	    gen_conversations(m))
		return -1;
	for (int t = SIM_T_PRODUCTS; t <= SIM_T_CHECKOUTS; t++)
		if (index_build(m, (enum sim_table)t))
			return -1;
	return 0;
}

void sim_model_free(struct sim_model *m)
{
	free(m->products);
	free(m->orders);
	free(m->customers);
	free(m->checkouts);
	free(m->idx_products.rows);
	free(m->idx_orders.rows);
	free(m->idx_customers.rows);
	free(m->idx_checkouts.rows);
	free(m->campaigns);
	free(m->ads);
	free(m->insights);
	free(m->agents);
	free(m->conversations);
	pthread_mutex_destroy(&m->lock);
}

int sim_model_add_order(struct sim_model *m, int64_t when)
{
	if (grow((void **)&m->orders, &m->cap_orders, m->n_orders + 1, sizeof *m->orders))
		return -1;
	int c = pick_customer(m, when);
	if (c < -1)
		return -1;
	struct sim_order *o = &m->orders[m->n_orders];
	memset(o, 0, sizeof *o);
	build_order(m, o, m->n_orders, when, c, false);
	m->n_orders++;
	if (index_touch(m, SIM_T_ORDERS, (uint32_t)(m->n_orders - 1), true))
		return -1;
	if (c >= 0) {
		bool is_new = (size_t)c == m->n_customers - 1 && m->customers[c].orders == 1;
		if (index_touch(m, SIM_T_CUSTOMERS, (uint32_t)c, is_new))
			return -1;
	}
	return 0;
}

int sim_model_add_refund(struct sim_model *m, int64_t when)
{
	size_t from = m->n_orders > 200 ? m->n_orders - 200 : 0;
	for (int tries = 0; tries < 16 && m->n_orders; tries++) {
		size_t i = (size_t)sim_prng_range(&m->rng, (int64_t)from, (int64_t)m->n_orders - 1);
		struct sim_order *o = &m->orders[i];
		if (o->test || o->cancelled || o->n_refunds > 0 || o->processed >= when)
			continue;
		refund_order(m, o, when, sim_prng_chance(&m->rng, 0.5));
		if (index_touch(m, SIM_T_ORDERS, (uint32_t)i, false))
			return -1;
		if (o->customer >= 0 && index_touch(m, SIM_T_CUSTOMERS, (uint32_t)o->customer, false))
			return -1;
		return 0;
	}
	return 0;
}

int sim_model_add_checkout(struct sim_model *m, int64_t when)
{
	struct sim_prng *r = &m->rng;
	/* Half the time a recent open checkout is recovered instead. */
	if (m->n_checkouts > 50 && sim_prng_chance(r, 0.5)) {
		size_t i = (size_t)sim_prng_range(r, (int64_t)m->n_checkouts - 50, (int64_t)m->n_checkouts - 1);
		struct sim_checkout *c = &m->checkouts[i];
		if (!c->completed && c->created < when) {
			c->completed = c->updated = when;
			return index_touch(m, SIM_T_CHECKOUTS, (uint32_t)i, false);
		}
	}
	if (grow((void **)&m->checkouts, &m->cap_checkouts, m->n_checkouts + 1, sizeof *m->checkouts))
		return -1;
	struct sim_checkout *c = &m->checkouts[m->n_checkouts];
	c->id = 30000000000000LL + (int64_t)m->n_checkouts * 17;
	c->created = c->updated = when;
	c->completed = 0;
	c->total_minor = sim_prng_range(r, 15, 220) * 100 + 99;
	c->customer = -1;
	m->n_checkouts++;
	return index_touch(m, SIM_T_CHECKOUTS, (uint32_t)(m->n_checkouts - 1), true);
}

int64_t sim_order_refunded_minor(const struct sim_order *o)
{
	int64_t sum = 0;
	for (int i = 0; i < o->n_refunds; i++)
		sum += o->refunds[i].amount_minor;
	return sum;
}

const char *sim_order_financial_status(const struct sim_order *o)
{
	if (o->cancelled)
		return "VOIDED";
	int64_t refunded = sim_order_refunded_minor(o);
	if (refunded == 0)
		return "PAID";
	return refunded >= o->total_minor ? "REFUNDED" : "PARTIALLY_REFUNDED";
}

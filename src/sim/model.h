/* The simulated business: one store history generated from a seed, shared by
 * the four vendor APIs. Money is integer minor units; times are epoch seconds.
 * Every field is guarded by `lock` once the server runs. */
#ifndef OKDF_SIM_MODEL_H
#define OKDF_SIM_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prng.h"
#include "simtime.h"

#define SIM_SHOP_CURRENCY 0 /* index into sim_currencies */
#define SIM_SHOP_TIMEZONE "America/New_York"
#define SIM_AD_TIMEZONE "America/Los_Angeles"
#define SIM_MAX_LINES 4
#define SIM_MAX_REFUNDS 2
#define SIM_UUID_LEN 37

struct sim_currency {
	const char *code;
	int exponent;
	int64_t per_usd_milli; /* units of this currency per 1 USD, x1000 */
};
extern const struct sim_currency sim_currencies[];

enum sim_product_status { SIM_PRODUCT_ACTIVE, SIM_PRODUCT_DRAFT, SIM_PRODUCT_ARCHIVED };

struct sim_product {
	int64_t id;
	const char *title;
	const char *description;
	enum sim_product_status status;
	int64_t created, published, updated; /* published 0 = null */
	int64_t price_minor;
	int64_t sellable_from; /* INT64_MAX: never sells */
};

struct sim_line {
	int64_t id;
	int product; /* -1: product deleted from the catalogue (GraphQL null) */
	const char *title;
	int quantity;
	int64_t unit_minor;
};

struct sim_refund {
	int64_t id;
	int64_t created;
	int64_t amount_minor;
	const char *note;
	int8_t line_qty[SIM_MAX_LINES]; /* quantity refunded per order line */
};

struct sim_order {
	int64_t id;
	int number;
	int64_t created, processed, updated, cancelled; /* cancelled 0 = null */
	bool test;
	int customer; /* -1: guest checkout */
	int presentment;
	int64_t total_minor, presentment_minor;
	const char *country;
	int n_lines, n_refunds;
	struct sim_line lines[SIM_MAX_LINES];
	struct sim_refund refunds[SIM_MAX_REFUNDS];
};

struct sim_customer {
	int64_t id;
	int64_t created, updated;
	int64_t orders;
	int64_t spent_minor;
};

struct sim_checkout {
	int64_t id;
	int64_t created, updated, completed; /* completed 0 = null */
	int64_t total_minor;
	int customer;
};

/* Positions of one table's rows ordered by (updated, id): Shopify's
 * UPDATED_AT sort, kept sorted as live changes move rows to the end. */
struct sim_updated_index {
	uint32_t *rows;
	size_t n, cap;
};

struct sim_campaign {
	char id[24];
	const char *name;
	const char *status, *effective_status;
	int64_t daily_budget_minor;
	int64_t created;
};

struct sim_ad {
	char id[24], adset_id[24], creative_id[24];
	int campaign;
	const char *name, *status, *effective_status;
};

struct sim_insight {
	int campaign;
	char date[SIM_DATE_LEN];
	int64_t spend_minor, purchase_value_minor;
	int64_t purchases, clicks, impressions;
};

struct sim_agent {
	char id[SIM_UUID_LEN];
	const char *name, *description, *model; /* name NULL: served without one */
	int64_t created, updated;
};

struct sim_conversation {
	char id[SIM_UUID_LEN];
	int agent;
	char title[128];
	const char *state;
	const char *tool_title;  /* pending tool run, or NULL */
	char declined_with[1024]; /* the user message that set the pending tool run aside */
	char action_request_id[SIM_UUID_LEN];
	int64_t created, updated;
	double complete_at; /* monotonic time a confirmed run completes, 0 = none */
	bool debug;          /* a builder's test run (is_debug_mode_task) */
	bool no_insert_date; /* served without metadata.insert_date */
};

struct sim_model {
	pthread_mutex_t lock;
	struct sim_prng rng;
	int64_t base_now;
	double started_mono;
	bool live;
	int days;
	char ad_today[SIM_DATE_LEN]; /* today in the ad account's zone at start */

	struct sim_product *products;
	size_t n_products;
	struct sim_order *orders;
	size_t n_orders, cap_orders;
	struct sim_customer *customers;
	size_t n_customers, cap_customers;
	struct sim_checkout *checkouts;
	size_t n_checkouts, cap_checkouts;
	struct sim_updated_index idx_products, idx_orders, idx_customers, idx_checkouts;

	struct sim_campaign *campaigns;
	size_t n_campaigns;
	struct sim_ad *ads;
	size_t n_ads;
	struct sim_insight *insights; /* ordered by date, then campaign */
	size_t n_insights;

	struct sim_agent *agents;
	size_t n_agents;
	struct sim_conversation *conversations;
	size_t n_conversations, cap_conversations;
	bool crisis_added;
};

enum sim_table { SIM_T_PRODUCTS, SIM_T_ORDERS, SIM_T_CUSTOMERS, SIM_T_CHECKOUTS };

/* Builds the whole history. Returns 0, or -1 on allocation failure. */
int sim_model_generate(struct sim_model *m, uint64_t seed, int64_t now, int days, int n_orders,
		       bool live);
void sim_model_free(struct sim_model *m);
/* Simulated now: fixed without --live, advancing with real time with it. */
int64_t sim_model_now(const struct sim_model *m);

void sim_model_row_key(const struct sim_model *m, enum sim_table t, uint32_t row, int64_t *updated,
		       int64_t *id);
struct sim_updated_index *sim_model_index(struct sim_model *m, enum sim_table t);
size_t sim_model_count(const struct sim_model *m, enum sim_table t);

/* Live changes (callers hold lock). Return 0 or -1 on allocation failure. */
int sim_model_add_order(struct sim_model *m, int64_t when);
int sim_model_add_refund(struct sim_model *m, int64_t when);
int sim_model_add_checkout(struct sim_model *m, int64_t when);
int sim_model_add_conversation(struct sim_model *m, int agent, const char *title, const char *state,
			       int64_t when);
/* Moves conversations whose confirmed run has finished to completed. */
void sim_model_settle_conversations(struct sim_model *m);

int64_t sim_order_refunded_minor(const struct sim_order *o);
const char *sim_order_financial_status(const struct sim_order *o);

#endif

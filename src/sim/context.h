/* What every request handler shares: options, the model, rate-limit state and
 * the vendor table. All mutable state is guarded by model.lock. */
#ifndef OKDF_SIM_CONTEXT_H
#define OKDF_SIM_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "node_cache.h"
#include "prng.h"
#include "ratelimit.h"
#include "reply.h"

#define SIM_SHOPIFY_TOKEN "shpat_sim"
#define SIM_KLAVIYO_KEY "pk_sim"
#define SIM_META_TOKEN "meta_sim"
#define SIM_META_ACCOUNT "1234567890"
#define SIM_RELEVANCE_AUTH "proj-sim:rel_sim"
#define SIM_RELEVANCE_PROJECT "proj-sim"

struct sim_options {
	unsigned port;
	uint64_t seed;
	int days;
	int orders;
	bool live;
	double fault_rate;
	long slow_ms;
	double malformed;
	const char *auth_fail; /* service name or NULL */
	bool no_throttle;
	long relevance_page_cap;     /* largest page_size Relevance lists serve */
	bool relevance_ignore_page;  /* a broken service: every page is page 1 */
	const char *truth_path;
	bool print_config;
	int64_t now;
	const char *dump_json, *dump_csv;
	char missing_scopes[256]; /* --missing-scope: ",a,,b," */
	const char *scopes;       /* --scopes: the Shopify app's granted scopes, comma-separated */
	bool klaviyo_no_accounts; /* --klaviyo-no-accounts: the key lacks accounts:read */
	const char *meta_currency;   /* the ad account's currency (--meta-currency) */
	const char *meta_app_secret; /* set: every call needs appsecret_proof */
	int klaviyo_report_page;     /* results per values-report page */
	int meta_insights_max_rows;  /* synchronous insights over this many rows: code 1 */
	long token_ttl;       /* seconds a granted Shopify token lives */
	long token_revoke;    /* fault: tokens die this many seconds after the grant; 0 = off */
	double bulk_rate;     /* objects a bulk query reads per second */
	long bulk_url_ttl;    /* seconds a bulk result URL stays valid */
	const char *bulk_fault; /* ACCESS_DENIED, TIMEOUT, INTERNAL_SERVER_ERROR, in-progress */
	const char *partial_fault; /* a data + errors answer: "customer" */
};

/* An asynchronous insights report (POST /act_{id}/insights). */
struct sim_meta_run {
	char id[24];
	char since[16], until[16];
	char fields[256];
	int polls; /* status reads so far: the job completes on the second */
};
#define SIM_META_MAX_RUNS 64

enum sim_fault { SIM_FAULT_SERVER_ERROR, SIM_FAULT_RATE_LIMITED, SIM_FAULT_THROTTLE_BODY };

struct sim_ctx;

struct sim_service {
	const char *name;
	bool (*matches)(const char *path);
	bool (*authorized)(const struct sim_request *rq);
	int (*unauthorized)(struct sim_reply *rp);
	int (*fault)(struct sim_ctx *ctx, const struct sim_request *rq, enum sim_fault kind,
		     struct sim_reply *rp);
	int (*handle)(struct sim_ctx *ctx, const struct sim_request *rq, struct sim_reply *rp);
};

struct sim_ctx {
	struct sim_options opt;
	struct sim_model model;
	char base_url[64]; /* http://127.0.0.1:PORT */
	struct sim_prng fault_rng;
	struct sim_cost_bucket shopify_bucket;
	double shopify_cost_spent;   /* actualQueryCost charged, for the API budget figure */
	long shopify_throttled;      /* THROTTLED answers the bucket gave (not injected faults) */
	long faults_injected[SIM_FAULT_THROTTLE_BODY + 1]; /* per enum sim_fault, for the tests */
	long truncated_sent;         /* 200 answers cut in half by --malformed */
	struct sim_window_limit klaviyo_reports_burst, klaviyo_reports_steady, klaviyo_reports_daily;
	struct sim_window_limit klaviyo_other_burst, klaviyo_other_steady;
	struct sim_window_limit meta_usage;
	struct sim_meta_run meta_runs[SIM_META_MAX_RUNS];
	int meta_n_runs; /* runs made; the oldest is replaced when full */
	struct sim_node_cache shopify_nodes[SIM_T_CHECKOUTS + 1]; /* per enum sim_table */
};

#endif

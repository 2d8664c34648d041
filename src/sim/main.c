/* okdf-sim: a loopback simulator of the Shopify, Klaviyo, Meta and Relevance
 * AI APIs that okdf talks to, with a deterministic store history. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "klaviyo.h"
#include "live.h"
#include "scopes.h"
#include "server.h"
#include "shopify.h"
#include "shopify_bulk.h"
#include "shopify_oauth.h"
#include "truth.h"

#define DEFAULT_DAYS 120
#define DEFAULT_ORDERS 3000
/* Below the 100 okdf asks for; no vendor figure exists (README). */
#define DEFAULT_RELEVANCE_PAGE_CAP 25

static void usage(FILE *out)
{
	fputs("usage: okdf-sim [--port N] [--seed S] [--days N] [--orders N] [--live]\n"
	      "                [--fault-rate P] [--slow MS] [--malformed P]\n"
	      "                [--auth-fail shopify|klaviyo|meta|relevance] [--no-throttle]\n"
	      "                [--relevance-page-cap N] [--relevance-ignore-page]\n"
	      "                [--truth FILE] [--print-config] [--now ISO8601]\n"
	      "                [--dump-orders-json FILE] [--dump-orders-csv FILE]\n"
	      "                [--missing-scope SCOPE]... [--scopes LIST] [--klaviyo-no-accounts]\n"
	      "                [--meta-currency CODE] [--meta-app-secret SECRET]\n"
	      "                [--meta-insights-max-rows N]\n"
	      "                [--klaviyo-report-page N]\n"
	      "                [--token-ttl SECONDS] [--token-revoke SECONDS]\n"
	      "                [--bulk-rate OBJECTS_PER_S] [--bulk-url-ttl SECONDS]\n"
	      "                [--bulk-fault ACCESS_DENIED|TIMEOUT|INTERNAL_SERVER_ERROR|in-progress]\n"
	      "                [--partial-errors]\n",
	      out);
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_prob(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= 0.0 && v <= 1.0))
		return -1;
	*out = v;
	return 0;
}

/* Returns 0, or 2 after printing a usage error. */
static int parse_options(int argc, char **argv, struct sim_options *o)
{
	enum { O_PORT = 256, O_SEED, O_DAYS, O_ORDERS, O_LIVE, O_FAULT, O_SLOW, O_MALFORMED,
	       O_AUTH, O_NOTHROTTLE, O_RELCAP, O_RELIGNORE, O_TRUTH, O_PRINT, O_NOW, O_JSON, O_CSV, O_HELP,
	       O_MISSING_SCOPE, O_SCOPES, O_KL_NO_ACCOUNTS,
	       O_META_CURRENCY, O_META_SECRET, O_KL_REPORT_PAGE, O_META_MAX_ROWS,
	       O_TTL, O_REVOKE, O_BULK_RATE, O_BULK_TTL, O_BULK_FAULT, O_PARTIAL };
	static const struct option opts[] = {
		{"port", required_argument, NULL, O_PORT},
		{"seed", required_argument, NULL, O_SEED},
		{"days", required_argument, NULL, O_DAYS},
		{"orders", required_argument, NULL, O_ORDERS},
		{"live", no_argument, NULL, O_LIVE},
		{"fault-rate", required_argument, NULL, O_FAULT},
		{"slow", required_argument, NULL, O_SLOW},
		{"malformed", required_argument, NULL, O_MALFORMED},
		{"auth-fail", required_argument, NULL, O_AUTH},
		{"no-throttle", no_argument, NULL, O_NOTHROTTLE},
		{"relevance-page-cap", required_argument, NULL, O_RELCAP},
		{"relevance-ignore-page", no_argument, NULL, O_RELIGNORE},
		{"truth", required_argument, NULL, O_TRUTH},
		{"print-config", no_argument, NULL, O_PRINT},
		{"now", required_argument, NULL, O_NOW},
		{"dump-orders-json", required_argument, NULL, O_JSON},
		{"dump-orders-csv", required_argument, NULL, O_CSV},
		{"help", no_argument, NULL, O_HELP},
		{"missing-scope", required_argument, NULL, O_MISSING_SCOPE},
		{"scopes", required_argument, NULL, O_SCOPES},
		{"meta-currency", required_argument, NULL, O_META_CURRENCY},
		{"meta-app-secret", required_argument, NULL, O_META_SECRET},
		{"klaviyo-no-accounts", no_argument, NULL, O_KL_NO_ACCOUNTS},
		{"klaviyo-report-page", required_argument, NULL, O_KL_REPORT_PAGE},
		{"meta-insights-max-rows", required_argument, NULL, O_META_MAX_ROWS},
		{"token-ttl", required_argument, NULL, O_TTL},
		{"token-revoke", required_argument, NULL, O_REVOKE},
		{"bulk-rate", required_argument, NULL, O_BULK_RATE},
		{"bulk-url-ttl", required_argument, NULL, O_BULK_TTL},
		{"bulk-fault", required_argument, NULL, O_BULK_FAULT},
		{"partial-errors", no_argument, NULL, O_PARTIAL},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->days = DEFAULT_DAYS;
	o->orders = DEFAULT_ORDERS;
	o->scopes = SIM_SHOPIFY_SCOPES;
	o->relevance_page_cap = DEFAULT_RELEVANCE_PAGE_CAP;
	o->now = sim_time_real_now();
	o->meta_currency = "USD";
	o->klaviyo_report_page = 500;
	o->meta_insights_max_rows = 300;
	o->token_ttl = 86399;
	o->bulk_rate = 50000;
	o->bulk_url_ttl = 7 * 86400;
	int c;
	long v;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *bad = NULL;
		switch (c) {
		case O_PORT:
			if (parse_long(optarg, 0, 65535, &v))
				bad = "--port";
			o->port = (unsigned)v;
			break;
		case O_SEED: {
			char *end;
			errno = 0;
			o->seed = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end)
				bad = "--seed";
			break;
		}
		case O_DAYS:
			if (parse_long(optarg, 1, 3650, &v))
				bad = "--days";
			o->days = (int)v;
			break;
		case O_ORDERS:
			if (parse_long(optarg, 0, 5000000, &v))
				bad = "--orders";
			o->orders = (int)v;
			break;
		case O_LIVE: o->live = true; break;
		case O_FAULT:
			if (parse_prob(optarg, &o->fault_rate))
				bad = "--fault-rate";
			break;
		case O_SLOW:
			if (parse_long(optarg, 0, 600000, &o->slow_ms))
				bad = "--slow";
			break;
		case O_MALFORMED:
			if (parse_prob(optarg, &o->malformed))
				bad = "--malformed";
			break;
		case O_AUTH:
			if (strcmp(optarg, "shopify") && strcmp(optarg, "klaviyo") &&
			    strcmp(optarg, "meta") && strcmp(optarg, "relevance"))
				bad = "--auth-fail";
			o->auth_fail = optarg;
			break;
		case O_NOTHROTTLE: o->no_throttle = true; break;
		case O_RELCAP:
			if (parse_long(optarg, 1, 1000, &o->relevance_page_cap))
				bad = "--relevance-page-cap";
			break;
		case O_RELIGNORE: o->relevance_ignore_page = true; break;
		case O_TRUTH: o->truth_path = optarg; break;
		case O_PRINT: o->print_config = true; break;
		case O_NOW:
			if (sim_time_parse_iso(optarg, &o->now))
				bad = "--now";
			break;
		case O_JSON: o->dump_json = optarg; break;
		case O_CSV: o->dump_csv = optarg; break;
		case O_SCOPES: o->scopes = optarg; break;
		case O_KL_NO_ACCOUNTS: o->klaviyo_no_accounts = true; break;
		case O_MISSING_SCOPE:
			if (!*optarg || strchr(optarg, ',') || sim_scope_remove(o, optarg))
				bad = "--missing-scope";
			break;
		case O_HELP: usage(stdout); exit(0);
		case O_META_CURRENCY:
			if (strlen(optarg) != 3 || strspn(optarg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
				bad = "--meta-currency";
			o->meta_currency = optarg;
			break;
		case O_META_SECRET: o->meta_app_secret = optarg; break;
		case O_KL_REPORT_PAGE:
			if (parse_long(optarg, 1, 10000, &v))
				bad = "--klaviyo-report-page";
			o->klaviyo_report_page = (int)v;
			break;
		case O_META_MAX_ROWS:
			if (parse_long(optarg, 1, 10000000, &v))
				bad = "--meta-insights-max-rows";
			o->meta_insights_max_rows = (int)v;
			break;
		case O_TTL:
			if (parse_long(optarg, 1, 86399, &o->token_ttl))
				bad = "--token-ttl";
			break;
		case O_BULK_RATE:
			if (parse_long(optarg, 1, 100000000, &v))
				bad = "--bulk-rate";
			o->bulk_rate = (double)v;
			break;
		case O_BULK_TTL:
			if (parse_long(optarg, 1, 7 * 86400, &o->bulk_url_ttl))
				bad = "--bulk-url-ttl";
			break;
		case O_BULK_FAULT:
			if (strcmp(optarg, "ACCESS_DENIED") && strcmp(optarg, "TIMEOUT") &&
			    strcmp(optarg, "INTERNAL_SERVER_ERROR") && strcmp(optarg, "in-progress"))
				bad = "--bulk-fault";
			o->bulk_fault = optarg;
			break;
		case O_PARTIAL: o->partial_fault = "customer"; break;
		case O_REVOKE:
			if (parse_long(optarg, 1, 86399, &o->token_revoke))
				bad = "--token-revoke";
			break;
		default: usage(stderr); return 2;
		}
		if (bad) {
			fprintf(stderr, "okdf-sim: invalid value for %s: %s\n", bad, optarg);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "okdf-sim: unexpected argument: %s\n", argv[optind]);
		return 2;
	}
	return 0;
}

static void print_config(const char *base)
{
	printf("[shopify]\nshop = sim-shop\naccess_token = %s\napi_version = 2026-10\nbase_url = %s\n"
	       "[klaviyo]\napi_key = %s\nrevision = 2026-10-15\nbase_url = %s\n"
	       "[meta]\naccess_token = %s\nad_account_id = %s\napi_version = v27.0\nbase_url = %s\n"
	       "[relevance]\nproject_id = %s\napi_key = rel_sim\nregion = bcbe5a\nbase_url = %s\n"
	       "[sync]\ninterval_seconds = 5\n",
	       SIM_SHOPIFY_TOKEN, base, SIM_KLAVIYO_KEY, base, SIM_META_TOKEN, SIM_META_ACCOUNT,
	       base, SIM_RELEVANCE_PROJECT, base);
}

static int write_files(const struct sim_ctx *ctx)
{
	const struct sim_options *o = &ctx->opt;
	const char *path = NULL;
	if (o->truth_path && sim_truth_write(&ctx->model, path = o->truth_path))
		goto fail;
	if (o->dump_json && sim_dump_orders_json(&ctx->model, path = o->dump_json))
		goto fail;
	if (o->dump_csv && sim_dump_orders_csv(&ctx->model, path = o->dump_csv))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "okdf-sim: cannot write %s: %s\n", path, strerror(errno));
	return 1;
}

static int serve(struct sim_ctx *ctx)
{
	/* Block the stop signals before any thread starts so that only sigwait
	 * below receives them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned port = 0;
	struct sim_server *srv = sim_server_start(ctx, &port);
	if (!srv) {
		fprintf(stderr, "okdf-sim: cannot listen on 127.0.0.1:%u\n", ctx->opt.port);
		return 1;
	}
	printf("okdf-sim listening on %s\n", ctx->base_url);
	if (ctx->opt.print_config)
		print_config(ctx->base_url);
	fflush(stdout);
	struct sim_live *live = NULL;
	if (ctx->opt.live && !(live = sim_live_start(&ctx->model))) {
		fprintf(stderr, "okdf-sim: cannot start the live thread\n");
		sim_server_stop(srv);
		return 1;
	}
	int sig;
	sigwait(&stop, &sig);
	sim_live_stop(live);
	sim_server_stop(srv);
	if (!ctx->opt.no_throttle)
		fprintf(stderr, "okdf-sim: shopify cost spent %.0f points, THROTTLED answers %ld\n",
			ctx->shopify_cost_spent, ctx->shopify_throttled);
	long granted, expired;
	sim_shopify_oauth_counts(&granted, &expired);
	fprintf(stderr, "okdf-sim: shopify tokens granted %ld, expired tokens refused %ld\n",
		granted, expired);
	long jobs, served, with_cred;
	sim_shopify_bulk_counts(&jobs, &served, &with_cred);
	fprintf(stderr, "okdf-sim: bulk jobs %ld, results served %ld, requests with a credential %ld\n",
		jobs, served, with_cred);
	if (ctx->opt.fault_rate > 0 || ctx->opt.malformed > 0)
		fprintf(stderr,
			"okdf-sim: injected faults: server_error %ld, rate_limited %ld, throttle_body %ld, truncated %ld\n",
			ctx->faults_injected[SIM_FAULT_SERVER_ERROR],
			ctx->faults_injected[SIM_FAULT_RATE_LIMITED],
			ctx->faults_injected[SIM_FAULT_THROTTLE_BODY], ctx->truncated_sent);
	return 0;
}

int main(int argc, char **argv)
{
	static struct sim_ctx ctx;
	int rc = parse_options(argc, argv, &ctx.opt);
	if (rc)
		return rc;
	if (sim_model_generate(&ctx.model, ctx.opt.seed, ctx.opt.now, ctx.opt.days, ctx.opt.orders,
			       ctx.opt.live)) {
		fprintf(stderr, "okdf-sim: out of memory generating the store\n");
		sim_model_free(&ctx.model);
		return 1;
	}
	ctx.model.ad_currency = ctx.opt.meta_currency;
	rc = write_files(&ctx);
	if (rc == 0 && !(ctx.opt.dump_json || ctx.opt.dump_csv)) {
		sim_prng_seed(&ctx.fault_rng, ctx.opt.seed, 1);
		sim_bucket_init(&ctx.shopify_bucket, 2000, 100);
		sim_shopify_oauth_init(ctx.opt.token_ttl, ctx.opt.token_revoke, ctx.opt.scopes);
		if (sim_shopify_bulk_init(&ctx))
			rc = 1;
		sim_klaviyo_init_limits(&ctx);
		sim_window_init(&ctx.meta_usage, 300, 60);
		if (rc) {
			fprintf(stderr, "okdf-sim: out of memory\n");
		} else if (ctx.opt.no_throttle && sim_shopify_prewarm(&ctx)) {
			fprintf(stderr, "okdf-sim: out of memory printing the store\n");
			rc = 1;
		} else {
			rc = serve(&ctx);
		}
	}
	sim_shopify_bulk_free();
	sim_shopify_cache_free(&ctx);
	sim_model_free(&ctx.model);
	return rc;
}

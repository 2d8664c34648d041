/* Shopify Admin GraphQL: one pass reads the shop, the app's access scopes,
 * then products, customers, orders (with line items and refunds) and
 * abandoned checkouts, each through the resource table below. This file
 * checks the configuration, sets up the connector's state and runs the pass;
 * the transport, token, node mapping, paging and bulk backfill live in the
 * shopify_*.c files beside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/timeutil.h"
#include "okdf/net/json.h"
#include "okdf/store/db.h"
#include "okdf/store/orders.h"
#include "okdf/store/sync_state.h"
#include "okdf/sync/shopify.h"
#include "graphql_docs.h"
#include "shopify_private.h"

static int sync_shop(struct shopify *sh, okdf_err *e)
{
	http_response resp;
	int rc = shopify_graphql(sh, graphql_shop, NULL, 2, &resp, e);
	if (rc)
		return okdf_err_prefix(e, "shop");
	const cJSON *shop = json_path(resp.json, "data.shop");
	store_shop s = {
		.shop_id = json_str(shop, "id"),
		.name = json_str(shop, "name"),
		.domain = json_str(shop, "myshopifyDomain"),
		.currency = json_str(shop, "currencyCode"),
		.iana_timezone = json_str(shop, "ianaTimezone"),
		.synced_at = sh->c->now,
	};
	if (!s.currency || !s.iana_timezone) {
		rc = okdf_err_set(e, OKDF_EINPUT, "shop: no currencyCode or ianaTimezone");
	} else if (!tz_valid(s.iana_timezone)) {
		rc = okdf_err_set(e, OKDF_EINPUT, "shop: unknown timezone \"%s\"", s.iana_timezone);
	} else {
		snprintf(sh->tz, sizeof sh->tz, "%s", s.iana_timezone);
		rc = db_begin(sh->c->db, e);
		if (!rc)
			rc = shop_put(sh->w, &s, e);
		if (!rc)
			rc = db_commit(sh->c->db, e);
		else
			db_rollback(sh->c->db);
		if (!rc) {
			sh->c->rows++;
			sync_ctx_committed(sh->c);
		}
	}
	http_response_free(&resp);
	return rc;
}

/* The app's access scopes, kept for phase 3's history check; without
 * read_all_orders Shopify shows only the last 60 days of orders. */
static int sync_scopes(struct shopify *sh, okdf_err *e)
{
	http_response resp;
	int rc = shopify_graphql(sh, graphql_app_scopes, NULL, 2, &resp, e);
	if (rc)
		return okdf_err_prefix(e, "access scopes");
	const cJSON *list = json_path(resp.json, "data.currentAppInstallation.accessScopes"), *it;
	char scopes[2048] = "";
	size_t len = 0;
	int all_orders = 0;
	if (!cJSON_IsArray(list)) {
		http_response_free(&resp);
		return okdf_err_set(e, OKDF_EINPUT, "access scopes: answer without accessScopes");
	}
	cJSON_ArrayForEach(it, list) {
		char h[64];
		shopify_word_of(json_str(it, "handle"), h, sizeof h);
		if (!h[0])
			continue;
		all_orders |= strcmp(h, "read_all_orders") == 0;
		int w = snprintf(scopes + len, sizeof scopes - len, "%s%s", len ? "," : "", h);
		if (w > 0 && (size_t)w < sizeof scopes - len)
			len += (size_t)w;
	}
	http_response_free(&resp);
	if (!all_orders)
		sync_ctx_warn(sh->c, "the app lacks the read_all_orders scope: Shopify shows only the "
			"last 60 days of orders");
	sync_ctx *c = sh->c;
	rc = db_begin(c->db, e);
	if (!rc)
		rc = sync_cursor_put(c->db, c->name, "access_scopes", scopes, c->now, e);
	if (!rc)
		rc = db_commit(c->db, e);
	else
		db_rollback(c->db);
	return rc;
}

static const struct resource resources[] = {
	{ "products", graphql_products, "products", 100, 0, shopify_put_product, NULL,
		graphql_bulk_products, NULL },
	{ "customers", graphql_customers, "customers", 100, 0, shopify_put_customer, NULL,
		graphql_bulk_customers, NULL },
	{ "orders", graphql_orders, "orders", 5, 0, shopify_put_order, shopify_complete_order,
		graphql_bulk_orders, shopify_order_child },
	{ "abandoned_checkouts", graphql_abandoned_checkouts, "abandonedCheckouts", 100, 1,
		shopify_put_checkout, NULL, graphql_bulk_abandoned_checkouts, NULL },
};

int shopify_sync(sync_ctx *c, okdf_err *e)
{
	const okdf_connector_config *conf = c->conf;
	if (!conf->account[0] && !conf->base_url[0])
		return okdf_err_set(e, OKDF_EINPUT, "[shopify] shop is not set");
	if (strcmp(conf->backfill, "bulk") != 0 && strcmp(conf->backfill, "paged") != 0)
		return okdf_err_set(e, OKDF_EINPUT, "[shopify] backfill must be bulk or paged, not \"%s\"",
			conf->backfill);
	int grant = conf->client_id[0] || conf->client_secret[0];
	if (grant && !(conf->client_id[0] && conf->client_secret[0]))
		return okdf_err_set(e, OKDF_EINPUT,
			"[shopify] needs both client_id and client_secret (or "
			"OKDF_SHOPIFY_CLIENT_SECRET)");
	if (grant && conf->secret[0])
		return okdf_err_set(e, OKDF_EINPUT,
			"[shopify] takes access_token or client_id + client_secret, not both");
	if (!grant && !conf->secret[0])
		return okdf_err_set(e, OKDF_EINPUT,
			"no credentials: set [shopify] access_token (or OKDF_SHOPIFY_ACCESS_TOKEN), or "
			"client_id + client_secret (or OKDF_SHOPIFY_CLIENT_SECRET)");
	struct shopify *sh = c->state;
	if (!sh) {
		sh = calloc(1, sizeof *sh);
		if (!sh)
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		sh->detail_cost = MAX_QUERY_COST;
		c->state = sh;
	}
	sh->c = c;
	char origin[300], path[128];
	const char *shop = conf->account[0] ? conf->account : "shop";
	/* A bare shop name means <shop>.myshopify.com; a full domain is used as given. */
	snprintf(origin, sizeof origin, strchr(shop, '.') ? "https://%s" : "https://%s.myshopify.com",
		shop);
	snprintf(path, sizeof path, "/admin/api/%s/graphql.json", conf->api_version);
	int rc = sync_url(c, origin, path, sh->url, sizeof sh->url, e);
	if (rc)
		return rc;
	sh->grant = grant;
	if (grant) {
		rc = sync_url(c, origin, "/admin/oauth/access_token", sh->grant_url,
			sizeof sh->grant_url, e);
		if (rc)
			return rc;
	} else {
		shopify_set_token_header(sh, conf->secret);
	}
	sh->headers[0] = sh->token_header;
	sh->headers[1] = "Content-Type: application/json";
	sh->headers[2] = "Accept: application/json";
	sh->headers[3] = NULL;
	rc = orders_writer_open(c->db, &sh->w, e);
	if (rc)
		return rc;
	rc = sync_shop(sh, e);
	if (!rc)
		rc = sync_scopes(sh, e);
	for (size_t i = 0; !rc && i < sizeof resources / sizeof resources[0]; i++)
		rc = shopify_sync_resource(sh, (int)i, &resources[i], e);
	orders_writer_close(sh->w);
	sh->w = NULL;
	return rc;
}

int shopify_store_order(okdf_db *db, const char *tz, const cJSON *node, okdf_err *e)
{
	struct shopify sh = { 0 };
	snprintf(sh.tz, sizeof sh.tz, "%s", tz);
	int rc = orders_writer_open(db, &sh.w, e);
	if (rc)
		return rc;
	rc = shopify_put_order(&sh, node, e);
	orders_writer_close(sh.w);
	return rc;
}

void shopify_free(sync_ctx *c)
{
	if (c->state)
		explicit_bzero(c->state, sizeof(struct shopify));
	free(c->state);
	c->state = NULL;
}

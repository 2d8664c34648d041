/* config.ini: one place that knows every section and key. */
#ifndef OKDF_CORE_CONFIG_H
#define OKDF_CORE_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "okdf/err.h"

typedef struct okdf_connector_config {
	int enabled;          /* the section is present */
	char base_url[256];   /* replaces scheme, host and port only; "" = production */
	char secret[512];     /* access token or API key; never logged */
	char api_version[32]; /* shopify api_version, meta api_version, klaviyo revision */
	char account[128];    /* shopify shop, meta ad_account_id, relevance project_id */
	char region[64];      /* relevance region */
	char app_secret[256]; /* meta app_secret: signs calls with appsecret_proof; never logged */
	char action_type[96]; /* meta purchase_action_type: the one action type counted */
	char client_id[128];      /* shopify Dev Dashboard app: client credentials grant */
	char client_secret[512];  /* never logged */
	char backfill[16];        /* shopify: "bulk" (default) or "paged" */
} okdf_connector_config;

typedef struct okdf_rules_config {
	char keywords[512];           /* comma-separated crisis keywords */
	int keyword_min_count;        /* matches in 24 h that raise a crisis */
	int refund_spike_min;         /* minimum 24-h refund count for a spike */
	int revenue_drop_min_orders;  /* minimum same-hour volume for a drop */
	int budget_raise_pct;         /* a budget raise above this is escalated */
	long long budget_cap_minor;   /* 0 = use the approved cap from phase 8 */
	int spend_spike_pct;          /* daily spend above this % of 7-day average */
	int sync_down_intervals;      /* intervals without success before escalating */
} okdf_rules_config;

typedef struct okdf_config {
	okdf_connector_config shopify, klaviyo, meta, relevance;
	int sync_interval_seconds;
	int http_connect_timeout;
	int http_timeout;
	int sync_max_wait_seconds; /* the longest any single wait may last */
	int http_max_body_mb;      /* the largest answer body, decoded */
	char ui_theme[256];
	int ui_idle_minutes;
	int ui_mouse;              /* [ui] mouse: clicks and the wheel (default true) */
	okdf_rules_config rules;
	char notify_webhook_url[512];
	char path[4096]; /* the file read, or "" when none */
} okdf_config;

/* Defaults for every key. */
void config_defaults(okdf_config *c);

/* Reads path (NULL: $XDG_CONFIG_HOME/okdf/config.ini, missing is fine then;
 * an explicit path must exist). Applies OKDF_*_ACCESS_TOKEN / OKDF_*_API_KEY
 * and OKDF_SHOPIFY_CLIENT_SECRET from the environment. Errors name file and line. A file holding a secret
 * that group or others can read is refused. */
int config_load(const char *path, okdf_config *c, okdf_err *e);

/* Writes c as config.ini text that config_load reads back to the same
 * values: each enabled connector's section with the keys that are set
 * (secrets included), other sections only with keys that differ from the
 * defaults. OKDF_OK, or OKDF_EFAIL when out reports an error. */
int config_write(const okdf_config *c, FILE *out);

#endif

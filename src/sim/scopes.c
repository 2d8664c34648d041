#include "scopes.h"

#include <stdio.h>
#include <string.h>

int sim_scope_remove(struct sim_options *o, const char *scope)
{
	size_t used = strlen(o->missing_scopes);
	int w = snprintf(o->missing_scopes + used, sizeof o->missing_scopes - used, ",%s,", scope);
	if (w < 0 || (size_t)w >= sizeof o->missing_scopes - used) {
		o->missing_scopes[used] = '\0';
		return -1;
	}
	return 0;
}

bool sim_scope_granted(const struct sim_ctx *ctx, const char *scope)
{
	char key[96];
	snprintf(key, sizeof key, ",%s,", scope);
	return strstr(ctx->opt.missing_scopes, key) == NULL;
}

bool sim_klaviyo_scope_denied(const struct sim_ctx *ctx, const char *path,
			      struct sim_reply *rp, int *rc)
{
	/* The scope each endpoint lists in Klaviyo's API reference. */
	static const struct {
		const char *prefix, *scope;
	} need[] = {
		{"/api/metrics", "metrics:read"},
		{"/api/flows", "flows:read"},
		{"/api/flow-values-reports", "flows:read"},
	};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		if (strncmp(path, need[i].prefix, strlen(need[i].prefix)) != 0 ||
		    sim_scope_granted(ctx, need[i].scope))
			continue;
		*rc = sim_reply_literal(rp, 403,
			"{\"errors\":[{\"id\":\"5im0000-403-permission_denied\",\"status\":403,"
			"\"code\":\"permission_denied\","
			"\"title\":\"You do not have permission to perform this action.\","
			"\"detail\":\"You do not have permission to perform this action.\","
			"\"source\":{\"pointer\":\"/data/\"}}]}");
		rp->content_type = "application/vnd.api+json";
		return true;
	}
	return false;
}

int sim_meta_permissions(const struct sim_ctx *ctx, struct sim_reply *rp)
{
	static const char *const perms[] = {"ads_read", "ads_management", "business_management",
					    "public_profile"};
	cJSON *doc = cJSON_CreateObject();
	cJSON *data = cJSON_AddArrayToObject(doc, "data");
	for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "permission", perms[i]);
		cJSON_AddStringToObject(p, "status",
					sim_scope_granted(ctx, perms[i]) ? "granted" : "declined");
		cJSON_AddItemToArray(data, p);
	}
	return sim_reply_json(rp, 200, doc);
}

bool sim_meta_ads_denied(const struct sim_ctx *ctx)
{
	return !sim_scope_granted(ctx, "ads_read") && !sim_scope_granted(ctx, "ads_management");
}

cJSON *sim_shopify_app_installation(const struct sim_ctx *ctx)
{
	cJSON *inst = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(inst, "accessScopes");
	char scopes[256];
	snprintf(scopes, sizeof scopes, "%s", ctx->opt.scopes);
	for (char *save = NULL, *h = strtok_r(scopes, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "handle", h);
		cJSON_AddItemToArray(list, s);
	}
	return inst;
}

/* The brand rule: a registered brand brief whose hash changed since the
 * previous evaluation asks for a positioning review (brand.positioning). The
 * operator can switch it off with rules.enabled.brand. */
#include <stdio.h>
#include <string.h>

#include "okdf/store/rules.h"
#include "rules_private.h"

/* brand.positioning */
int rule_brand(rule_ctx *c, okdf_err *e)
{
	char seen[80], sha[80] = "", path[512] = "";
	int rc = rule_memo_get(c, "brand.sha256", seen, sizeof seen, e);
	if (rc)
		return rc;
	rc = brand_brief_get(c->db, sha, sizeof sha, path, sizeof path, e);
	if (rc)
		return rc;
	if (!sha[0] || strcmp(sha, seen) == 0)
		return OKDF_OK;
	if (seen[0]) {
		char key[256];
		snprintf(key, sizeof key, "brand.positioning:%s:%s:%lld", seen, sha, c->now);
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "path", path);
		cJSON_AddStringToObject(ev, "previous_sha256", seen);
		cJSON_AddStringToObject(ev, "sha256", sha);
		rc = rule_raise(c, "brand.positioning", "high", "rules/brand", ev, key, e,
			"The brand brief changed: positioning needs review");
	}
	return rc ? rc : rule_memo_set(c, "brand.sha256", sha, e);
}

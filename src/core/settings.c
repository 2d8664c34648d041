#include "okdf/core/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/money.h"
#include "okdf/store/audit.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"
#include "okdf/store/settings.h"

static const setting_def known[] = {
	{ "budget_cap_minor", "approved daily budget cap per campaign, in minor units (cents)" },
	{ "target_roas", "approved target return on ad spend, e.g. 2.5" },
	{ "rules.enabled.crisis", "1 or 0: crisis rules (policy, negative review, recall)" },
	{ "rules.enabled.budget", "1 or 0: budget rules (scale, cap, spend, new product/market)" },
	{ "rules.enabled.brand", "1 or 0: brand positioning rule (brief changed)" },
};

#define N_KNOWN (sizeof known / sizeof known[0])

const setting_def *settings_known(size_t *n)
{
	*n = N_KNOWN;
	return known;
}

static int whole_number(const char *s)
{
	if (!*s || strlen(s) > 15)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int positive_decimal(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	return *s >= '0' && *s <= '9' && !*end && v > 0 && v < 1e6;
}

int settings_validate(const char *key, const char *value, okdf_err *e)
{
	if (strcmp(key, "budget_cap_minor") == 0) {
		if (!whole_number(value) || strlen(value) > 15 || atoll(value) > MONEY_MAX_MINOR)
			return okdf_err_set(e, OKDF_EINPUT,
				"budget_cap_minor: \"%s\" is not a whole number of minor units up to %lld"
				" (e.g. 10000 for 100.00)", value, MONEY_MAX_MINOR);
		return OKDF_OK;
	}
	if (strcmp(key, "target_roas") == 0) {
		if (!positive_decimal(value))
			return okdf_err_set(e, OKDF_EINPUT,
				"target_roas: \"%s\" is not a positive number (e.g. 2.5)", value);
		return OKDF_OK;
	}
	if (strncmp(key, "rules.enabled.", 14) == 0) {
		for (size_t i = 0; i < N_KNOWN; i++) {
			if (strcmp(known[i].key, key) != 0)
				continue;
			if (strcmp(value, "0") != 0 && strcmp(value, "1") != 0)
				return okdf_err_set(e, OKDF_EINPUT, "%s: \"%s\" is not 1 or 0", key, value);
			return OKDF_OK;
		}
	}
	char keys[512] = "";
	size_t len = 0;
	for (size_t i = 0; i < N_KNOWN && len < sizeof keys; i++)
		len += (size_t)snprintf(keys + len, sizeof keys - len, "%s%s", i ? ", " : "",
			known[i].key);
	return okdf_err_set(e, OKDF_EINPUT, "unknown setting \"%s\" (known: %s)", key, keys);
}

int settings_change(okdf_db *db, const char *key, const char *value, const okdf_operator *op,
	long long now, okdf_err *e)
{
	int rc = settings_validate(key, value, e);
	if (rc)
		return rc;
	if ((rc = db_begin(db, e)))
		return rc;
	char old[256];
	int found;
	rc = setting_get(db, key, old, sizeof old, &found, e);
	if (!rc)
		rc = setting_put(db, key, value, op->name, now, e);
	if (!rc) {
		char target[96], detail[512];
		snprintf(target, sizeof target, "settings:%s", key);
		snprintf(detail, sizeof detail, "%s%s%s%s", value, found ? " (was " : "",
			found ? old : "", found ? ")" : "");
		rc = audit_append(db, op, now, "settings.set", target, detail, e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e);
}

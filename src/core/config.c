#include "okdf/core/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "okdf/core/paths.h"

void config_defaults(okdf_config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->shopify.api_version, sizeof c->shopify.api_version, "2025-01");
	snprintf(c->klaviyo.api_version, sizeof c->klaviyo.api_version, "2026-07-15");
	snprintf(c->meta.api_version, sizeof c->meta.api_version, "v21.0");
	c->sync_interval_seconds = 300;
	c->http_connect_timeout = 10;
	c->http_timeout = 60;
	snprintf(c->ui_theme, sizeof c->ui_theme, "default");
	c->ui_idle_minutes = 5;
	c->ui_mouse = 1;
	snprintf(c->rules.keywords, sizeof c->rules.keywords,
		"recall,injury,injured,allergic,lawsuit,viral,rash,burn,unsafe,scam");
	c->rules.keyword_min_count = 1;
	c->rules.refund_spike_min = 3;
	c->rules.revenue_drop_min_orders = 5;
	c->rules.budget_raise_pct = 20;
	c->rules.spend_spike_pct = 150;
	c->rules.sync_down_intervals = 3;
}

enum key_kind { K_STR, K_INT, K_I64, K_URL, K_BOOL };

struct key {
	const char *section, *name;
	enum key_kind kind;
	size_t offset, size;
	long long min, max;
	int secret;
};

#define STR(sec, nm, field, sec_flag) \
	{ sec, nm, K_STR, offsetof(okdf_config, field), sizeof(((okdf_config *)0)->field), 0, 0, sec_flag }
#define URL(sec, field) \
	{ sec, "base_url", K_URL, offsetof(okdf_config, field), sizeof(((okdf_config *)0)->field), 0, 0, 0 }
#define INT(sec, nm, field, lo, hi) \
	{ sec, nm, K_INT, offsetof(okdf_config, field), sizeof(int), lo, hi, 0 }
#define BOOL(sec, nm, field) \
	{ sec, nm, K_BOOL, offsetof(okdf_config, field), sizeof(int), 0, 1, 0 }
#define I64(sec, nm, field, lo, hi) \
	{ sec, nm, K_I64, offsetof(okdf_config, field), sizeof(long long), lo, hi, 0 }

static const struct key keys[] = {
	STR("shopify", "shop", shopify.account, 0),
	STR("shopify", "access_token", shopify.secret, 1),
	STR("shopify", "api_version", shopify.api_version, 0),
	URL("shopify", shopify.base_url),
	STR("klaviyo", "api_key", klaviyo.secret, 1),
	STR("klaviyo", "revision", klaviyo.api_version, 0),
	URL("klaviyo", klaviyo.base_url),
	STR("meta", "access_token", meta.secret, 1),
	STR("meta", "ad_account_id", meta.account, 0),
	STR("meta", "api_version", meta.api_version, 0),
	URL("meta", meta.base_url),
	STR("relevance", "project_id", relevance.account, 0),
	STR("relevance", "api_key", relevance.secret, 1),
	STR("relevance", "region", relevance.region, 0),
	URL("relevance", relevance.base_url),
	INT("sync", "interval_seconds", sync_interval_seconds, 1, 86400),
	INT("sync", "connect_timeout", http_connect_timeout, 1, 600),
	INT("sync", "timeout", http_timeout, 1, 3600),
	STR("ui", "theme", ui_theme, 0),
	INT("ui", "idle_minutes", ui_idle_minutes, 1, 1440),
	BOOL("ui", "mouse", ui_mouse),
	STR("rules", "keywords", rules.keywords, 0),
	INT("rules", "keyword_min_count", rules.keyword_min_count, 1, 1000000),
	INT("rules", "refund_spike_min", rules.refund_spike_min, 1, 1000000),
	INT("rules", "revenue_drop_min_orders", rules.revenue_drop_min_orders, 0, 1000000),
	INT("rules", "budget_raise_pct", rules.budget_raise_pct, 0, 100000),
	I64("rules", "budget_cap_minor", rules.budget_cap_minor, 0, LLONG_MAX),
	INT("rules", "spend_spike_pct", rules.spend_spike_pct, 100, 100000),
	INT("rules", "sync_down_intervals", rules.sync_down_intervals, 1, 1000),
	STR("notify", "webhook_url", notify_webhook_url, 0),
};

struct load_state {
	okdf_config *c;
	okdf_err *e;
	const char *path;
	FILE *f;
	int line;
	int failed;
	int has_secret;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct load_state *s, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	okdf_err_set(s->e, OKDF_EINPUT, "%s:%d: %s", s->path, s->line, what);
	s->failed = 1;
	return 0;
}

/* inih as packaged reports no line to the handler: count lines as we feed it. */
static char *read_line(char *buf, int n, void *user)
{
	struct load_state *s = user;
	char *r = fgets(buf, n, s->f);
	if (r)
		s->line++;
	return r;
}

static int valid_base_url(const char *v)
{
	/* scheme://host[:port] with no path: request paths stay the production ones. */
	const char *rest;
	if (strncmp(v, "http://", 7) == 0)
		rest = v + 7;
	else if (strncmp(v, "https://", 8) == 0)
		rest = v + 8;
	else
		return 0;
	return *rest && !strchr(rest, '/') && !strchr(rest, '?') && !strchr(rest, ' ');
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *s = user;
	if (s->failed)
		return 0;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct key *k = &keys[i];
		if (strcmp(k->section, section) != 0 || strcmp(k->name, name) != 0)
			continue;
		/* A connector is enabled by its section being present. */
		if (strcmp(section, "shopify") == 0)
			s->c->shopify.enabled = 1;
		else if (strcmp(section, "klaviyo") == 0)
			s->c->klaviyo.enabled = 1;
		else if (strcmp(section, "meta") == 0)
			s->c->meta.enabled = 1;
		else if (strcmp(section, "relevance") == 0)
			s->c->relevance.enabled = 1;
		char *field = (char *)s->c + k->offset;
		if (k->kind == K_STR || k->kind == K_URL) {
			if (strlen(value) >= k->size)
				return fail(s, "value of %s is too long", name);
			if (k->kind == K_URL && !valid_base_url(value))
				return fail(s,
					"base_url must be scheme://host[:port] with no path, got \"%s\"",
					value);
			memcpy(field, value, strlen(value) + 1);
			if (k->secret && value[0])
				s->has_secret = 1;
			return 1;
		}
		if (k->kind == K_BOOL) {
			int on = strcmp(value, "true") == 0 || strcmp(value, "1") == 0;
			if (!on && strcmp(value, "false") != 0 && strcmp(value, "0") != 0)
				return fail(s, "%s must be true or false", name);
			*(int *)(void *)field = on;
			return 1;
		}
		char *end;
		errno = 0;
		long long v = strtoll(value, &end, 10);
		if (errno || end == value || *end || v < k->min || v > k->max) {
			char range[96];
			snprintf(range, sizeof range, "%lld..%lld", k->min, k->max);
			return fail(s, "%s must be an integer in %s", name, range);
		}
		if (k->kind == K_INT)
			*(int *)(void *)field = (int)v;
		else
			*(long long *)(void *)field = v;
		return 1;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].section, section) == 0)
			return fail(s, "unknown key '%s' in [%s]", name, section);
	return fail(s, "unknown section [%s]", section);
}

static void env_secret(const char *var, okdf_connector_config *cc)
{
	const char *v = getenv(var);
	if (v && v[0])
		snprintf(cc->secret, sizeof cc->secret, "%s", v);
}

int config_load(const char *path, okdf_config *c, okdf_err *e)
{
	config_defaults(c);
	char def[4096];
	int explicit_path = path != NULL;
	if (!path) {
		int rc = paths_xdg_file("CONFIG", "config.ini", def, sizeof def, e);
		if (rc)
			return rc;
		path = def;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		if (!explicit_path && errno == ENOENT)
			goto env;
		return okdf_err_set(e, OKDF_EINPUT, "%s: %s", path, strerror(errno));
	}
	struct stat sb;
	if (fstat(fileno(f), &sb) != 0) {
		fclose(f);
		return okdf_err_set(e, OKDF_EINPUT, "%s: %s", path, strerror(errno));
	}
	struct load_state s = { .c = c, .e = e, .path = path, .f = f };
	int line = ini_parse_stream(read_line, &s, on_key, &s);
	fclose(f);
	if (s.failed)
		return OKDF_EINPUT;
	if (line != 0)
		return okdf_err_set(e, OKDF_EINPUT, "%s:%d: not a key = value line or [section]",
			path, line);
	if (s.has_secret && (sb.st_mode & 077))
		return okdf_err_set(e, OKDF_EINPUT,
			"%s: holds a secret but is readable by group or others (mode %03o); "
			"run chmod 600 %s", path, (unsigned)(sb.st_mode & 0777), path);
	snprintf(c->path, sizeof c->path, "%s", path);
env:
	env_secret("OKDF_SHOPIFY_ACCESS_TOKEN", &c->shopify);
	env_secret("OKDF_KLAVIYO_API_KEY", &c->klaviyo);
	env_secret("OKDF_META_ACCESS_TOKEN", &c->meta);
	env_secret("OKDF_RELEVANCE_API_KEY", &c->relevance);
	return OKDF_OK;
}

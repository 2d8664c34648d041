#include "okdf/core/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "okdf/core/money.h"
#include "okdf/core/paths.h"

void config_defaults(okdf_config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->shopify.api_version, sizeof c->shopify.api_version, "2026-10");
	snprintf(c->shopify.backfill, sizeof c->shopify.backfill, "bulk");
	snprintf(c->klaviyo.api_version, sizeof c->klaviyo.api_version, "2026-10-15");
	snprintf(c->meta.api_version, sizeof c->meta.api_version, "v27.0");
	snprintf(c->meta.action_type, sizeof c->meta.action_type, "omni_purchase");
	c->sync_interval_seconds = 300;
	c->http_connect_timeout = 10;
	c->http_timeout = 60;
	c->sync_max_wait_seconds = 900;
	c->http_max_body_mb = 64;
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

enum key_kind { K_STR, K_INT, K_I64, K_URL, K_HOOK, K_BOOL };

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
#define HOOK(sec, nm, field) \
	{ sec, nm, K_HOOK, offsetof(okdf_config, field), sizeof(((okdf_config *)0)->field), 0, 0, 0 }
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
	STR("shopify", "client_id", shopify.client_id, 0),
	STR("shopify", "client_secret", shopify.client_secret, 1),
	STR("shopify", "backfill", shopify.backfill, 0),
	STR("klaviyo", "api_key", klaviyo.secret, 1),
	STR("klaviyo", "revision", klaviyo.api_version, 0),
	URL("klaviyo", klaviyo.base_url),
	STR("meta", "access_token", meta.secret, 1),
	STR("meta", "ad_account_id", meta.account, 0),
	STR("meta", "api_version", meta.api_version, 0),
	URL("meta", meta.base_url),
	STR("meta", "app_secret", meta.app_secret, 1),
	STR("meta", "purchase_action_type", meta.action_type, 0),
	STR("relevance", "project_id", relevance.account, 0),
	STR("relevance", "api_key", relevance.secret, 1),
	STR("relevance", "region", relevance.region, 0),
	URL("relevance", relevance.base_url),
	INT("sync", "interval_seconds", sync_interval_seconds, 1, 86400),
	INT("sync", "connect_timeout", http_connect_timeout, 1, 600),
	INT("sync", "timeout", http_timeout, 1, 3600),
	INT("sync", "max_wait_seconds", sync_max_wait_seconds, 1, 86400),
	INT("sync", "max_body_mb", http_max_body_mb, 1, 4096),
	STR("ui", "theme", ui_theme, 0),
	INT("ui", "idle_minutes", ui_idle_minutes, 1, 1440),
	BOOL("ui", "mouse", ui_mouse),
	STR("rules", "keywords", rules.keywords, 0),
	INT("rules", "keyword_min_count", rules.keyword_min_count, 1, 1000000),
	INT("rules", "refund_spike_min", rules.refund_spike_min, 1, 1000000),
	INT("rules", "revenue_drop_min_orders", rules.revenue_drop_min_orders, 0, 1000000),
	INT("rules", "budget_raise_pct", rules.budget_raise_pct, 0, 100000),
	I64("rules", "budget_cap_minor", rules.budget_cap_minor, 0, MONEY_MAX_MINOR),
	INT("rules", "spend_spike_pct", rules.spend_spike_pct, 100, 100000),
	INT("rules", "sync_down_intervals", rules.sync_down_intervals, 1, 1000),
	HOOK("notify", "webhook_url", notify_webhook_url),
};

struct load_state {
	okdf_config *c;
	okdf_err *e;
	const char *path;
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

static int is_loopback(const char *host)
{
	struct in_addr a;
	if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
		return 1;
	return inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

/* base_url: scheme://host[:port] with no path (request paths stay the
 * production ones); webhook_url (with_path): scheme://host[:port]/path.
 * Plain http only to this machine: a token, or a webhook's secret path,
 * never crosses a network in the clear. Returns NULL or what is wrong. */
static const char *url_problem(const char *v, int with_path)
{
	const char *shape = with_path ? "webhook_url must be scheme://host[:port]/path"
		: "base_url must be scheme://host[:port] with no path";
	int http = strncmp(v, "http://", 7) == 0;
	if (!http && strncmp(v, "https://", 8) != 0)
		return shape;
	const char *rest = v + (http ? 7 : 8);
	size_t hl = rest[0] == '[' ? strcspn(rest, "]") + 1 : strcspn(rest, ":/?#");
	if (rest[0] == '[' && rest[hl - 1] != ']')
		return shape;
	char host[256];
	if (hl == 0 || hl >= sizeof host)
		return shape;
	memcpy(host, rest, hl);
	host[hl] = '\0';
	for (const char *p = host; *p && host[0] != '['; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return shape;
	const char *after = rest + hl;
	if (*after == ':') {
		char *end;
		errno = 0;
		long n = strtol(after + 1, &end, 10);
		if (!isdigit((unsigned char)after[1]) || errno || n < 1 || n > 65535)
			return shape;
		after = end;
	}
	if (*after && !(with_path && *after == '/'))
		return shape;
	for (const char *p = after; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7F)
			return shape;
	if (http && !is_loopback(host))
		return with_path ? "webhook_url may use plain http:// only for a loopback host "
			"(localhost, 127.0.0.0/8, [::1]); use https://"
			: "base_url may use plain http:// only for a loopback host "
			"(localhost, 127.0.0.0/8, [::1]); use https://";
	return NULL;
}

static int on_key(struct load_state *s, const char *section, const char *name,
	const char *value)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct key *k = &keys[i];
		if (strcmp(k->section, section) != 0 || strcmp(k->name, name) != 0)
			continue;
		char *field = (char *)s->c + k->offset;
		/* A secret may come from the environment; anything else left empty
		 * is a mistake (api_version = would request /admin/api//...). */
		if (!value[0] && !k->secret)
			return fail(s, "%s is empty; remove the line to use the default", name);
		if (k->kind == K_STR || k->kind == K_URL || k->kind == K_HOOK) {
			if (strlen(value) >= k->size)
				return fail(s, "value of %s is too long", name);
			const char *bad = k->kind == K_STR ? NULL : url_problem(value, k->kind == K_HOOK);
			if (bad)
				return fail(s, "%s, got \"%s\"", bad, value);
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
	return fail(s, "unknown key '%s' in [%s]", name, section);
}

static void env_secret(const char *var, okdf_connector_config *cc)
{
	const char *v = getenv(var);
	if (v && v[0])
		snprintf(cc->secret, sizeof cc->secret, "%s", v);
}

#define N_KEYS (sizeof keys / sizeof keys[0])

/* A connector is enabled by its section being present. */
static const struct {
	const char *section;
	size_t offset;
} connectors[] = {
	{ "shopify", offsetof(okdf_config, shopify) },
	{ "klaviyo", offsetof(okdf_config, klaviyo) },
	{ "meta", offsetof(okdf_config, meta) },
	{ "relevance", offsetof(okdf_config, relevance) },
};

/* The index of the first key of section, or -1: the key table is also the
 * list of sections. */
static int section_index(const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].section, name) == 0)
			return (int)i;
	return -1;
}

/* Records where section name opens (opened_at, by section_index). Returns
 * the section's own name, or NULL after fail(). */
static const char *on_section(struct load_state *s, int *opened_at, const char *name)
{
	int i = section_index(name);
	if (i < 0) {
		fail(s, "unknown section [%s]", name);
		return NULL;
	}
	if (opened_at[i]) {
		fail(s, "duplicate section [%s] (first at line %d)", name, opened_at[i]);
		return NULL;
	}
	opened_at[i] = s->line;
	for (size_t c = 0; c < sizeof connectors / sizeof connectors[0]; c++)
		if (strcmp(connectors[c].section, name) == 0)
			((okdf_connector_config *)(void *)((char *)s->c + connectors[c].offset))
				->enabled = 1;
	return keys[i].section;
}

static char *trim(char *p, char *end)
{
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* A strict reader (Debian's inih is built with a 200-byte line limit and
 * continuation lines, which cut real Meta tokens and hide mistakes): any
 * line length; a NUL byte, a duplicate key or section, an indented
 * (continuation) line, a key outside a section or a line that is neither
 * [section], key = value nor a ; or # comment is an error with file:line. */
/* A key = value line in section; a repeated key fails. */
static void key_line(struct load_state *s, int *seen_at, const char *section, char *p)
{
	char *eq = strchr(p, '=');
	if (!eq) {
		fail(s, "not a key = value line or [section]");
		return;
	}
	/* An inline comment starts at " ;", as inih read it. */
	for (char *c = eq + 1; *c; c++)
		if (*c == ';' && isspace((unsigned char)c[-1])) {
			*c = '\0';
			break;
		}
	char *value = trim(eq + 1, eq + 1 + strlen(eq + 1));
	char *name = trim(p, eq);
	if (!section) {
		fail(s, "key '%s' outside a [section]", name);
		return;
	}
	for (size_t i = 0; i < N_KEYS; i++) {
		if (strcmp(keys[i].section, section) != 0 || strcmp(keys[i].name, name) != 0)
			continue;
		if (seen_at[i])
			fail(s, "duplicate key '%s' in [%s] (first at line %d)", name, section,
				seen_at[i]);
		seen_at[i] = s->line;
	}
	if (!s->failed)
		on_key(s, section, name, value);
}

/* One line of len bytes: blank, a comment, a [section] (into *section) or a
 * key; anything else fails. */
static void parse_line(struct load_state *s, int *seen_at, int *opened_at,
	const char **section, char *line, ssize_t len)
{
	char *p = line;
	if (s->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	if (memchr(p, '\0', (size_t)(line + len - p))) {
		fail(s, "NUL byte in the line");
		return;
	}
	int indented = *p == ' ' || *p == '\t';
	p = trim(p, line + len);
	if (!*p || *p == ';' || *p == '#')
		return;
	if (indented) {
		fail(s, "indented line (continuation lines are not supported); "
			"remove the leading whitespace");
		return;
	}
	if (*p != '[') {
		key_line(s, seen_at, *section, p);
		return;
	}
	char *close = strchr(p, ']');
	const char *rest = close ? close + 1 : "";
	while (isspace((unsigned char)*rest))
		rest++;
	if (!close || (*rest && *rest != ';' && *rest != '#')) {
		fail(s, "not a key = value line or [section]");
		return;
	}
	*close = '\0';
	*section = on_section(s, opened_at, p + 1);
}

/* What a connector cannot run without, named at its section's line. */
static int check_required(struct load_state *s, const int *opened_at)
{
	static const struct { const char *section, *key; size_t offset; } required[] = {
		{ "shopify", "shop", offsetof(okdf_config, shopify.account) },
		{ "meta", "ad_account_id", offsetof(okdf_config, meta.account) },
		{ "relevance", "project_id", offsetof(okdf_config, relevance.account) },
		{ "relevance", "region", offsetof(okdf_config, relevance.region) },
	};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		int at = opened_at[section_index(required[i].section)];
		if (at && !((char *)s->c + required[i].offset)[0]) {
			s->line = at;
			fail(s, "[%s] needs %s = ...", required[i].section, required[i].key);
			return OKDF_EINPUT;
		}
	}
	return OKDF_OK;
}

static int parse(FILE *f, struct load_state *s)
{
	int seen_at[N_KEYS] = { 0 }, opened_at[N_KEYS] = { 0 };
	const char *section = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while (!s->failed && (len = getline(&line, &cap, f)) >= 0) {
		s->line++;
		parse_line(s, seen_at, opened_at, &section, line, len);
	}
	free(line);
	return s->failed ? OKDF_EINPUT : check_required(s, opened_at);
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
	struct load_state s = { .c = c, .e = e, .path = path };
	int rc = parse(f, &s);
	fclose(f);
	if (rc)
		return rc;
	if (s.has_secret && (sb.st_mode & 077))
		return okdf_err_set(e, OKDF_EINPUT,
			"%s: holds a secret but is readable by group or others (mode %03o); "
			"run chmod 600 %s", path, (unsigned)(sb.st_mode & 0777), path);
	snprintf(c->path, sizeof c->path, "%s", path);
env:
	env_secret("OKDF_SHOPIFY_ACCESS_TOKEN", &c->shopify);
	const char *cs = getenv("OKDF_SHOPIFY_CLIENT_SECRET");
	if (cs && cs[0])
		snprintf(c->shopify.client_secret, sizeof c->shopify.client_secret, "%s", cs);
	env_secret("OKDF_KLAVIYO_API_KEY", &c->klaviyo);
	env_secret("OKDF_META_ACCESS_TOKEN", &c->meta);
	const char *app_secret = getenv("OKDF_META_APP_SECRET");
	if (app_secret && app_secret[0])
		snprintf(c->meta.app_secret, sizeof c->meta.app_secret, "%s", app_secret);
	env_secret("OKDF_RELEVANCE_API_KEY", &c->relevance);
	return OKDF_OK;
}

static int connector_enabled(const okdf_config *c, const char *section)
{
	if (strcmp(section, "shopify") == 0)
		return c->shopify.enabled;
	if (strcmp(section, "klaviyo") == 0)
		return c->klaviyo.enabled;
	if (strcmp(section, "meta") == 0)
		return c->meta.enabled;
	if (strcmp(section, "relevance") == 0)
		return c->relevance.enabled;
	return -1; /* not a connector section */
}

int config_write(const okdf_config *c, FILE *out)
{
	okdf_config def;
	config_defaults(&def);
	const char *section = NULL;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct key *k = &keys[i];
		int enabled = connector_enabled(c, k->section);
		if (enabled == 0)
			continue;
		const char *field = (const char *)c + k->offset;
		const char *dfield = (const char *)&def + k->offset;
		char value[1024];
		if (k->kind == K_STR || k->kind == K_URL || k->kind == K_HOOK) {
			/* A connector's keys are written when set (its API version pinned),
			 * the rest when changed. */
			int pinned = enabled > 0 && (strcmp(k->name, "api_version") == 0 ||
				strcmp(k->name, "revision") == 0 || !dfield[0]);
			if (!field[0] || (!pinned && strcmp(field, dfield) == 0))
				continue;
			snprintf(value, sizeof value, "%s", field);
		} else if (k->kind == K_INT) {
			int v = *(const int *)(const void *)field;
			if (v == *(const int *)(const void *)dfield)
				continue;
			snprintf(value, sizeof value, "%d", v);
		} else {
			long long v = *(const long long *)(const void *)field;
			if (v == *(const long long *)(const void *)dfield)
				continue;
			snprintf(value, sizeof value, "%lld", v);
		}
		if (!section || strcmp(section, k->section) != 0) {
			fprintf(out, "%s[%s]\n", section ? "\n" : "", k->section);
			section = k->section;
		}
		fprintf(out, "%s = %s\n", k->name, value);
	}
	return ferror(out) ? OKDF_EFAIL : OKDF_OK;
}

/* okdf init: write config.ini (mode 0600) for a first run, then run okdf
 * doctor. On a terminal it asks section by section, explaining which
 * credential each service needs; --from FILE does the same for scripts.
 * An existing file is replaced only when the operator says so. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "okdf/cli/cli.h"
#include "okdf/core/config.h"
#include "okdf/core/paths.h"

static const char init_usage[] =
	"usage: okdf init [--from FILE] [--force] [--no-doctor]\n"
	"Write the configuration ($XDG_CONFIG_HOME/okdf/config.ini, or --config PATH),\n"
	"mode 0600, then run okdf doctor. On a terminal it asks, service by service\n"
	"(any may be skipped), for the credentials okdf needs and says where to\n"
	"create them; secrets are read without echo.\n"
	"  --from FILE  take the settings from FILE (config.ini syntax; - reads\n"
	"               standard input) instead of asking; OKDF_*_ACCESS_TOKEN,\n"
	"               OKDF_*_API_KEY, OKDF_SHOPIFY_CLIENT_SECRET and\n"
	"               OKDF_META_APP_SECRET fill in secrets. Shopify takes client_id\n"
	"               + client_secret (a Dev Dashboard app) or access_token\n"
	"  --force      replace an existing configuration without asking\n"
	"  --no-doctor  do not run okdf doctor afterwards\n"
	"Exits 0 when the file is written and doctor finds no failure, 1 when an\n"
	"existing file is kept or doctor fails, 2 on bad input.\n";

/* One line from stdin into buf, without its newline; echo off for secrets.
 * OKDF_EINPUT at end of input. */
static int read_line(char *buf, size_t n, int secret, okdf_err *e)
{
	struct termios old, quiet;
	int hide = secret && tcgetattr(STDIN_FILENO, &old) == 0;
	if (hide) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSADRAIN, &quiet);
	}
	char *got = fgets(buf, (int)n, stdin);
	if (hide) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &old);
		fputc('\n', stdout);
	}
	if (!got)
		return okdf_err_set(e, OKDF_EINPUT, "input ended before the configuration was complete");
	size_t len = strcspn(buf, "\r\n");
	if (buf[len] == '\0' && len + 1 == n)
		return okdf_err_set(e, OKDF_EINPUT, "answer too long");
	buf[len] = '\0';
	return OKDF_OK;
}

/* Values go into an INI line: no control characters, no inline comment,
 * no surrounding blanks (inih would strip them). */
static int valid_value(const char *v)
{
	size_t n = strlen(v);
	if (n && (v[0] == ' ' || v[n - 1] == ' '))
		return 0;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return !strstr(v, " ;") && !strstr(v, " #");
}

/* Asks for one value; Enter keeps cur (shown, or "set" for a secret). A
 * required value cannot be left empty. */
static int ask(const char *label, char *cur, size_t n, int secret, int required, okdf_err *e)
{
	for (;;) {
		if (cur[0])
			cli_printf(stdout, "  %s [%s]: ", label, secret ? "keep the one set" : cur);
		else
			cli_printf(stdout, "  %s: ", label);
		fflush(stdout);
		char buf[1024];
		int rc = read_line(buf, sizeof buf, secret, e);
		if (rc)
			return rc;
		if (!buf[0] && (cur[0] || !required))
			return OKDF_OK;
		if (!buf[0]) {
			cli_printf(stdout, "  %s is needed (or Ctrl-D to stop).\n", label);
			continue;
		}
		if (strlen(buf) >= n || !valid_value(buf)) {
			cli_printf(stdout, "  That value cannot go into config.ini (too long, control characters, "
				"\" ;\" or \" #\"). Again.\n");
			continue;
		}
		snprintf(cur, n, "%s", buf);
		return OKDF_OK;
	}
}

/* y/n with a default; anything else asks again. */
static int yes_no(const char *question, int def, int *answer, okdf_err *e)
{
	for (;;) {
		cli_printf(stdout, "%s [%s] ", question, def ? "Y/n" : "y/N");
		fflush(stdout);
		char buf[64];
		int rc = read_line(buf, sizeof buf, 0, e);
		if (rc)
			return rc;
		if (!buf[0]) {
			*answer = def;
			return OKDF_OK;
		}
		if (!strcmp(buf, "y") || !strcmp(buf, "Y") || !strcmp(buf, "yes")) {
			*answer = 1;
			return OKDF_OK;
		}
		if (!strcmp(buf, "n") || !strcmp(buf, "N") || !strcmp(buf, "no")) {
			*answer = 0;
			return OKDF_OK;
		}
	}
}

/* Explains a service and asks whether to set it up: yes by default on a
 * first run, else as the replaced file had it. */
static int ask_section(const okdf_config *c, const char *title, const char *explain,
	const okdf_connector_config *cc, int *wanted, okdf_err *e)
{
	cli_printf(stdout, "\n== %s ==\n%s", title, explain);
	char q[96];
	snprintf(q, sizeof q, "Set up %s?", title);
	return yes_no(q, c->path[0] ? cc->enabled : 1, wanted, e);
}

/* Shopify's credential, one kind only (the connector refuses both): a Dev
 * Dashboard app's client ID and secret, or an access token. A re-run offers
 * the kind already set. */
static int ask_shopify_credential(okdf_connector_config *s, okdf_err *e)
{
	char kind[8] = "1";
	if (s->secret[0] && !s->client_id[0])
		kind[0] = '2';
	int rc;
	while ((rc = ask("credential: 1 Dev Dashboard app, 2 access token", kind, sizeof kind,
			0, 1, e)) == OKDF_OK && strcmp(kind, "1") != 0 && strcmp(kind, "2") != 0) {
		cli_printf(stdout, "  Answer 1 or 2.\n");
		kind[0] = s->secret[0] && !s->client_id[0] ? '2' : '1';
		kind[1] = '\0';
	}
	if (rc)
		return rc;
	if (kind[0] == '1') {
		explicit_bzero(s->secret, sizeof s->secret);
		if ((rc = ask("client ID", s->client_id, sizeof s->client_id, 0, 1, e)))
			return rc;
		return ask("client secret", s->client_secret, sizeof s->client_secret, 1, 1, e);
	}
	s->client_id[0] = '\0';
	explicit_bzero(s->client_secret, sizeof s->client_secret);
	return ask("Admin API access token", s->secret, sizeof s->secret, 1, 1, e);
}

static int ask_shopify(okdf_config *c, okdf_err *e)
{
	okdf_connector_config *s = &c->shopify;
	int want;
	int rc = ask_section(c, "Shopify",
		"okdf reads the shop, orders with refunds, products, customers and abandoned\n"
		"checkouts through the Admin GraphQL API, with the scopes read_orders,\n"
		"read_all_orders (else Shopify shows only 60 days of orders), read_products\n"
		"and read_customers. Either credential works:\n"
		"  1. A Dev Dashboard app (recommended; every app made since 2026): at\n"
		"     dev.shopify.com create an app, give its version those scopes, release\n"
		"     it and install it on the shop. Its Settings page shows the Client ID\n"
		"     and Secret; okdf asks Shopify for short-lived tokens with them.\n"
		"  2. An existing Admin API access token (shpat_...) of a custom app made in\n"
		"     the shop's admin before 2026, with those scopes.\n",
		s, &want, e);
	if (rc || !(s->enabled = want))
		return rc;
	if ((rc = ask("shop (NAME of NAME.myshopify.com)", s->account, sizeof s->account, 0, 1, e)) ||
	    (rc = ask_shopify_credential(s, e)))
		return rc;
	return ask("api_version", s->api_version, sizeof s->api_version, 0, 1, e);
}

static int ask_klaviyo(okdf_config *c, okdf_err *e)
{
	okdf_connector_config *k = &c->klaviyo;
	int want;
	int rc = ask_section(c, "Klaviyo",
		"okdf reads the account's currency, metrics, flows, and flow and campaign\n"
		"reports. In Klaviyo, Settings > API keys > Create Private API Key, with read\n"
		"access to Accounts (accounts:read), Campaigns (campaigns:read), Flows\n"
		"(flows:read) and Metrics (metrics:read).\n",
		k, &want, e);
	if (rc || !(k->enabled = want))
		return rc;
	if ((rc = ask("private API key (pk_...)", k->secret, sizeof k->secret, 1, 1, e)))
		return rc;
	return ask("revision", k->api_version, sizeof k->api_version, 0, 1, e);
}

static int ask_meta(okdf_config *c, okdf_err *e)
{
	okdf_connector_config *m = &c->meta;
	int want;
	int rc = ask_section(c, "Meta Ads",
		"okdf reads the ad account, campaigns, ads and daily insights, and reverts a\n"
		"budget when you decide so. In Business Settings > Users > System users,\n"
		"add a system user, assign it the ad account, and generate a token for your\n"
		"app with ads_read (and ads_management for budget reverts). If the app has\n"
		"Require App Secret on (App settings > Advanced), okdf also needs the app\n"
		"secret (App settings > Basic) to sign its calls.\n",
		m, &want, e);
	if (rc || !(m->enabled = want))
		return rc;
	if ((rc = ask("system-user access token", m->secret, sizeof m->secret, 1, 1, e)) ||
	    (rc = ask("ad account id (with or without act_)", m->account, sizeof m->account, 0, 1,
		    e)) ||
	    (rc = ask("api_version", m->api_version, sizeof m->api_version, 0, 1, e)))
		return rc;
	return ask("app secret (only if the app requires it; Enter skips)", m->app_secret,
		sizeof m->app_secret, 1, 0, e);
}

static int ask_relevance(okdf_config *c, okdf_err *e)
{
	okdf_connector_config *r = &c->relevance;
	int want;
	int rc = ask_section(c, "Relevance AI",
		"okdf reads your agents and their conversations, and sends approvals. In\n"
		"Relevance AI, Integrations > API keys: create a key; the same page shows the\n"
		"project id and the region (api-REGION.stack.tryrelevance.com).\n",
		r, &want, e);
	if (rc || !(r->enabled = want))
		return rc;
	if ((rc = ask("project id", r->account, sizeof r->account, 0, 1, e)) ||
	    (rc = ask("region", r->region, sizeof r->region, 0, 1, e)))
		return rc;
	return ask("API key", r->secret, sizeof r->secret, 1, 1, e);
}

/* Section by section, each value's default the one it has. */
static int interview(okdf_config *c, okdf_err *e)
{
	cli_printf(stdout, "okdf init: answers in [brackets] are kept with Enter; secrets are not shown.\n");
	int rc = ask_shopify(c, e);
	if (!rc)
		rc = ask_klaviyo(c, e);
	if (!rc)
		rc = ask_meta(c, e);
	if (!rc)
		rc = ask_relevance(c, e);
	return rc;
}

/* Creates the parent directories of path (mode 0700). */
static int make_parents(const char *path, okdf_err *e)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return okdf_err_set(e, OKDF_EFAIL, "%s: %s", dir, strerror(errno));
		*p = '/';
	}
	return OKDF_OK;
}

/* Writes c to a new 0600 file beside path, then renames it over path. */
static int write_config(const char *path, const okdf_config *c, okdf_err *e)
{
	int rc = make_parents(path, e);
	if (rc)
		return rc;
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.new.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", tmp, strerror(errno));
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", tmp, strerror(errno));
	}
	fputs("; okdf configuration, written by okdf init; see man okdf.ini\n", f);
	rc = config_write(c, f);
	if (fflush(f) != 0 || fsync(fd) != 0)
		rc = OKDF_EFAIL;
	if (fclose(f) != 0)
		rc = OKDF_EFAIL;
	if (!rc && rename(tmp, path) != 0)
		rc = OKDF_EFAIL;
	if (rc) {
		int err = errno;
		unlink(tmp);
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(err));
	}
	return OKDF_OK;
}

/* An existing file is replaced only when the operator says so on a
 * terminal; its values are then the defaults of the questions. */
static int may_replace(const char *path, int tty, const char *from, okdf_config *cfg,
	okdf_err *e)
{
	int yes = 0;
	/* Without a terminal to ask on (or with stdin as the settings), keep it. */
	if (!tty || (from && strcmp(from, "-") == 0))
		return okdf_err_set(e, OKDF_EFAIL, "%s exists; kept (--force replaces it)",
			path);
	char q[4200];
	snprintf(q, sizeof q, "%s exists. Replace it?", path);
	int rc = yes_no(q, 0, &yes, e);
	if (rc)
		return rc;
	if (!yes)
		return okdf_err_set(e, OKDF_EFAIL, "%s kept as it was", path);
	okdf_err ignore = { 0 };
	if (!from && config_load(path, cfg, &ignore) != OKDF_OK)
		config_defaults(cfg);
	return OKDF_OK;
}

/* Shopify takes one kind of credential, whole (as its connector does). */
static int shopify_credential_whole(const okdf_connector_config *sc, okdf_err *e)
{
	if (sc->enabled && sc->secret[0] && (sc->client_id[0] || sc->client_secret[0]))
		return okdf_err_set(e, OKDF_EINPUT,
			"[shopify] takes access_token or client_id + client_secret, not both");
	if (sc->enabled && !sc->client_id[0] != !sc->client_secret[0])
		return okdf_err_set(e, OKDF_EINPUT,
			"[shopify] needs both client_id and client_secret (or OKDF_SHOPIFY_CLIENT_SECRET)");
	return OKDF_OK;
}

/* okdf doctor on the file just written. */
static int init_doctor(const okdf_cli *cli, const char *path, okdf_err *e)
{
	cli_printf(stdout, "\nokdf doctor:\n");
	fflush(stdout);
	okdf_cli dc = *cli;
	dc.config_opt = path;
	char doctor_name[] = "doctor";
	char *dargv[] = { doctor_name, NULL };
	return cmd_doctor(&dc, 1, dargv, e);
}

int cmd_init(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		fputs(init_usage, stdout);
		return OKDF_OK;
	}
	const char *from = NULL;
	int force = 0, doctor = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			from = argv[++i];
		else if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "--no-doctor") == 0)
			doctor = 0;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				init_usage);
	}
	int tty = isatty(STDIN_FILENO);
	if (!from && !tty)
		return okdf_err_set(e, OKDF_EINPUT,
			"standard input is not a terminal: give the settings with --from FILE");
	char def[4096];
	const char *path = cli->config_opt;
	int rc;
	if (!path) {
		if ((rc = paths_xdg_file("CONFIG", "config.ini", def, sizeof def, e)))
			return rc;
		path = def;
	}
	okdf_config cfg;
	config_defaults(&cfg);
	struct stat sb;
	if (stat(path, &sb) == 0 && !force && (rc = may_replace(path, tty, from, &cfg, e)))
		return rc;
	if (from)
		rc = config_load(strcmp(from, "-") == 0 ? "/dev/stdin" : from, &cfg, e);
	else
		rc = interview(&cfg, e);
	if (!rc)
		rc = shopify_credential_whole(&cfg.shopify, e);
	if (!rc)
		rc = write_config(path, &cfg, e);
	if (rc)
		return rc;
	cli_printf(stdout, "wrote %s (mode 0600)\n", path);
	return doctor ? init_doctor(cli, path, e) : OKDF_OK;
}

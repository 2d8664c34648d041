/* What every command shares (cli.h): opening the database, parsing ids and
 * subcommands, printing through the sanitizer, --json output. The commands
 * themselves, declared in cli.h too, are src/cli/cmd_*.c. */
#include <ctype.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/metrics.h"
#include "okdf/core/text.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

int cli_open_db(const okdf_cli *cli, okdf_db **db, okdf_err *e)
{
	char path[4096];
	const char *p = cli->db_opt;
	if (!p) {
		int rc = db_default_path(path, sizeof path, e);
		if (rc)
			return rc;
		p = path;
	}
	return db_open(p, db, e);
}

int cli_open_db_now(const okdf_cli *cli, okdf_db **db, long long *now, okdf_err *e)
{
	int rc = time_now(now, e);
	if (rc)
		return rc;
	return cli_open_db(cli, db, e);
}

int cli_open_db_at(const okdf_cli *cli, const char *now_s, okdf_db **db, long long *now,
	okdf_err *e)
{
	if (!now_s)
		return cli_open_db_now(cli, db, now, e);
	int rc = time_parse_iso8601(now_s, now, e);
	return rc ? rc : cli_open_db(cli, db, e);
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

int cli_shop_timezone(okdf_db *db, char *tz, size_t n, okdf_err *e)
{
	char currency[8];
	int rc = metrics_shop(db, currency, sizeof currency, tz, n, e);
	if (rc == OKDF_ENOTFOUND) {
		okdf_err_clear(e);
		snprintf(tz, n, "UTC");
		return OKDF_OK;
	}
	return rc;
}

int cli_run_subcommand(okdf_cli *cli, int argc, char **argv, const cli_subcommand *subs,
	const char *usage, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", usage);
		return OKDF_OK;
	}
	for (const cli_subcommand *sub = subs; argc >= 2 && sub->name; sub++)
		if (strcmp(argv[1], sub->name) == 0)
			return sub->run(cli, argc, argv, e);
	return okdf_err_set(e, OKDF_EINPUT, "%s", usage);
}

int cli_parse_add_args(int argc, char **argv, const char *opt, const char **value,
	const char **date, const char **opt_val, const char *usage, okdf_err *e)
{
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--date") == 0 && i + 1 < argc)
			*date = argv[++i];
		else if (strcmp(argv[i], opt) == 0 && i + 1 < argc)
			*opt_val = argv[++i];
		else if (!*value && argv[i][0] != '-')
			*value = argv[i];
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				usage);
	}
	return OKDF_OK;
}

int cli_parse_report_args(int argc, char **argv, const char *opt, const char **opt_val,
	const char **format, const char **now_s, const char *usage, okdf_err *e)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], opt) == 0 && i + 1 < argc)
			*opt_val = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			*format = argv[++i];
		else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc)
			*now_s = argv[++i];
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				usage);
	}
	return OKDF_OK;
}

int cli_parse_json_only(int argc, char **argv, int *json, const char *usage, okdf_err *e)
{
	*json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			*json = 1;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				usage);
	}
	return OKDF_OK;
}

static int out_ascii;

void cli_output_init(int force_ascii)
{
	/* Numbers stay in the C format: output and config are read by programs. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	const char *cs = nl_langinfo(CODESET);
	out_ascii = force_ascii || !(cs && strcmp(cs, "UTF-8") == 0);
}

int cli_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *raw = NULL;
	int len = vasprintf(&raw, fmt, ap);
	va_end(ap);
	if (len < 0)
		return -1;
	size_t n = 3 * (size_t)len + 1;
	char *clean = malloc(n);
	if (!clean) {
		free(raw);
		return -1;
	}
	size_t w = text_sanitize_lines(raw, clean, n, out_ascii);
	fwrite(clean, 1, w, f);
	free(raw);
	free(clean);
	return (int)w;
}

int cli_parse_id(const char *s, const char *what, long long *id, okdf_err *e)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || !isdigit((unsigned char)s[0]))
		return okdf_err_set(e, OKDF_EINPUT, "%s must be a number from 1 to %lld: \"%s\"",
			what, LLONG_MAX, s);
	*id = v;
	return OKDF_OK;
}

const char *cli_clean(const char *s, char *buf, size_t n)
{
	text_sanitize(s ? s : "", buf, n, out_ascii);
	return buf;
}

static int fit(const char *s, int cols, char *buf, size_t n)
{
	char clean[1024];
	text_sanitize(s ? s : "", clean, sizeof clean, out_ascii);
	return text_fit(clean, cols, out_ascii, buf, n);
}

const char *cli_fit(const char *s, int cols, char *buf, size_t n)
{
	fit(s, cols, buf, n);
	return buf;
}

const char *cli_cell(const char *s, int cols, char *buf, size_t n)
{
	int used = fit(s, cols, buf, n);
	size_t w = strlen(buf);
	while (used < cols && w + 1 < n) {
		buf[w++] = ' ';
		used++;
	}
	buf[w] = '\0';
	return buf;
}

/* --json output of the read commands. */
int cli_json_print(cJSON *root, okdf_err *e)
{
	char *s = root ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!s)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	cli_printf(stdout, "%s\n", s);
	free(s);
	return OKDF_OK;
}

void cli_json_time(cJSON *o, const char *name, long long t)
{
	char buf[32];
	if (!t) {
		cJSON_AddNullToObject(o, name);
		return;
	}
	time_format_utc(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, name, buf);
}

void cli_json_str(cJSON *o, const char *name, const char *s)
{
	if (s && s[0])
		cJSON_AddStringToObject(o, name, s);
	else
		cJSON_AddNullToObject(o, name);
}

cJSON *cli_json_rows(const void *rows, int n, size_t size, cli_json_fill fill)
{
	cJSON *arr = cJSON_CreateArray();
	for (int i = 0; arr && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
		fill(o, (const char *)rows + (size_t)i * size);
	}
	return arr;
}

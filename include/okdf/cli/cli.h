/* Command-line front end: global options, and one function per command.
 * Commands return OKDF_OK or a negative status with e filled; main turns
 * that into a message on stderr and an exit code. */
#ifndef OKDF_CLI_CLI_H
#define OKDF_CLI_CLI_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct okdf_cli {
	const char *db_opt;     /* --db, or NULL */
	const char *config_opt; /* --config, or NULL */
	const char *data_dir_opt; /* --data-dir, or NULL */
	const char *theme_opt;  /* --theme, or NULL */
	int ascii;              /* --ascii */
} okdf_cli;

/* Sets the program's locale (numbers stay C) and whether output is ASCII
 * (--ascii, or a terminal charset that is not UTF-8). Called once by main. */
void cli_output_init(int force_ascii);

/* The one way commands write: the formatted text passes text_sanitize_lines,
 * so no escape sequence, control, bidi override or invalid UTF-8 from a
 * store or a server reaches the terminal. Returns bytes written. */
__attribute__((format(printf, 2, 3)))
int cli_printf(FILE *f, const char *fmt, ...);

/* A positive id from the command line (what names it in the message); out
 * of range, signed or not a number is a usage error (OKDF_EINPUT). */
int cli_parse_id(const char *s, const char *what, long long *id, okdf_err *e);

/* Untrusted s sanitized onto one line (line breaks become spaces) in buf,
 * for a field inside a line of output. Returns buf. */
const char *cli_clean(const char *s, char *buf, size_t n);

/* Untrusted s sanitized, cut and padded to exactly cols columns in buf
 * (never splitting a character or a sequence). Returns buf. */
const char *cli_cell(const char *s, int cols, char *buf, size_t n);

/* As cli_cell without the padding: the last field of a line. */
const char *cli_fit(const char *s, int cols, char *buf, size_t n);

typedef int (*cli_command_fn)(okdf_cli *cli, int argc, char **argv, okdf_err *e);

/* Opens and migrates the database named by --db or the default path.
 * The caller closes it with db_close. */
int cli_open_db(const okdf_cli *cli, okdf_db **db, okdf_err *e);

/* Reads the clock into *now, then opens the database as cli_open_db: how most
 * commands start, with the time taken before the store is touched. */
int cli_open_db_now(const okdf_cli *cli, okdf_db **db, long long *now, okdf_err *e);

/* As cli_open_db_now, with *now from now_s (ISO 8601) instead of the clock
 * when now_s is not NULL. */
int cli_open_db_at(const okdf_cli *cli, const char *now_s, okdf_db **db, long long *now,
	okdf_err *e);

/* The shop's IANA timezone into tz; "UTC" before the first sync. */
int cli_shop_timezone(okdf_db *db, char *tz, size_t n, okdf_err *e);

/* True when argv (after the command name) asks for --help or -h. */
int cli_wants_help(int argc, char **argv);

/* Parses an `add` subcommand's arguments after argv[1]: one positional into
 * *value, --date into *date and the option opt into *opt_val; anything else
 * fails with usage. Leaves what is absent untouched. */
int cli_parse_add_args(int argc, char **argv, const char *opt, const char **value,
	const char **date, const char **opt_val, const char *usage, okdf_err *e);

/* Parses a report command's arguments after argv[0]: the option opt into
 * *opt_val, --format into *format and --now into *now_s; anything else fails
 * with usage. Leaves what is absent untouched. */
int cli_parse_report_args(int argc, char **argv, const char *opt, const char **opt_val,
	const char **format, const char **now_s, const char *usage, okdf_err *e);

/* Parses the arguments after argv[0] of a command whose one option is
 * --json, setting *json; anything else fails with usage. */
int cli_parse_json_only(int argc, char **argv, int *json, const char *usage, okdf_err *e);

/* A subcommand named by argv[1]; it gets the command's whole argv. */
typedef struct cli_subcommand {
	const char *name;
	cli_command_fn run;
} cli_subcommand;

/* Prints usage for --help, else runs the subcommand in subs (ended by a NULL
 * name) that argv[1] names; anything else fails with usage as the message. */
int cli_run_subcommand(okdf_cli *cli, int argc, char **argv, const cli_subcommand *subs,
	const char *usage, okdf_err *e);

int cmd_audit(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_phases(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_phase(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_inbox(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_ack(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_snooze(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_resolve(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_decide(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_escalate(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_rules(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_actions(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_brief(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_review(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_set(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_settings(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_demo(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_tui(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_walkthrough(okdf_cli *cli, int argc, char **argv, okdf_err *e);

struct phase_catalog;
/* Loads the phase catalog from the data directory (--data-dir, ...).
 * The caller frees *cat with phases_free. */
int cli_load_catalog(const okdf_cli *cli, struct phase_catalog **cat, okdf_err *e);
int cmd_metrics(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_hours(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_idea(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_sync(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_health(okdf_cli *cli, int argc, char **argv, okdf_err *e);

int cmd_doctor(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_init(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_export(okdf_cli *cli, int argc, char **argv, okdf_err *e);
int cmd_report(okdf_cli *cli, int argc, char **argv, okdf_err *e);

/* --json output: prints root (pretty) and deletes it. */
int cli_json_print(cJSON *root, okdf_err *e);
/* An ISO 8601 UTC time, or null for 0. */
void cli_json_time(cJSON *o, const char *name, long long t);
/* A string, or null for NULL or "". */
void cli_json_str(cJSON *o, const char *name, const char *s);
/* Fills a JSON object from one element of an array of rows. */
typedef void (*cli_json_fill)(cJSON *o, const void *row);
/* A JSON array of one object for each of n rows of size bytes, filled by
 * fill; NULL when out of memory. */
cJSON *cli_json_rows(const void *rows, int n, size_t size, cli_json_fill fill);

/* okdf --version: ours and the run-time library versions, one per line. */
void cli_print_version(FILE *out);

#endif

/* okdf: parse global options, dispatch to a command, turn its status into
 * a message and an exit code. This is the one place errors are printed. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "okdf/cli/cli.h"
#include "okdf/store/db.h"

struct command {
	const char *name;
	cli_command_fn fn;
	const char *summary;
};

static const struct command commands[] = {
	{ "audit", cmd_audit, "print the audit log" },
	{ "inbox", cmd_inbox, "list escalations, or show one" },
	{ "ack", cmd_ack, "acknowledge an escalation" },
	{ "snooze", cmd_snooze, "snooze an escalation for a while" },
	{ "resolve", cmd_resolve, "resolve an escalation with a note" },
	{ "decide", cmd_decide, "approve/reject or keep/revert an escalation" },
	{ "escalate", cmd_escalate, "raise an escalation by hand" },
	{ "rules", cmd_rules, "evaluate the escalation rules once" },
	{ "actions", cmd_actions, "carry out the queued inbox decisions now" },
	{ "phases", cmd_phases, "the setup checklist: every phase, checks, sign-offs" },
	{ "phase", cmd_phase, "show, sign off, complete or reopen one phase" },
	{ "brief", cmd_brief, "register the brand brief (path + content hash)" },
	{ "review", cmd_review, "record the weekly review of the feedback loops" },
	{ "set", cmd_set, "record an approved value, e.g. budget_cap_minor" },
	{ "settings", cmd_settings, "print the recorded settings" },
	{ "demo", cmd_demo, "try okdf against the bundled simulator, live" },
	{ "tui", cmd_tui, "the full-screen Command Center (default on a terminal)" },
	{ "walkthrough", cmd_walkthrough, "the phase walkthrough, one phase per page" },
	{ "metrics", cmd_metrics, "time-to-revenue, revenue per operator hour and more" },
	{ "hours", cmd_hours, "record and list operator hours" },
	{ "idea", cmd_idea, "record product ideas and link them to products" },
	{ "sync", cmd_sync, "pull the commerce APIs into the database" },
	{ "init", cmd_init, "write config.ini, asking service by service, then doctor" },
	{ "doctor", cmd_doctor, "check config, database, terminal and each service live" },
	{ "export", cmd_export, "the daily series as CSV or JSON, for spreadsheets" },
	{ "report", cmd_report, "the weekly review: TTR, RPOH, escalations, phases" },
	{ "health", cmd_health, "each connector's state, last error and quarantined records" },
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
	cli_printf(out,
		"usage: okdf [--db PATH] [--config PATH] [--data-dir DIR] [--theme NAME|PATH]\n"
		"            [--ascii] COMMAND [ARGS...]\n"
		"       okdf --version | --help\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		cli_printf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	cli_printf(out, "\nRun 'okdf COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	okdf_cli cli = { 0 };
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "data-dir", required_argument, NULL, 'D' },
		{ "theme", required_argument, NULL, 't' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	/* "+" stops at the first non-option: the rest belongs to the command. */
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': cli.db_opt = optarg; break;
		case 'c': cli.config_opt = optarg; break;
		case 'D': cli.data_dir_opt = optarg; break;
		case 't': cli.theme_opt = optarg; break;
		case 'a': cli.ascii = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': cli_print_version(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	cli_output_init(cli.ascii);
	/* On a terminal, no command means the Command Center. */
	static char tui_name[] = "tui";
	char *tui_argv[] = { tui_name, NULL };
	if (optind >= argc && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		argv = tui_argv;
		argc = 1;
		optind = 0;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[optind];
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(commands[i].name, name) != 0)
			continue;
		okdf_err err = { 0 };
		int rc = commands[i].fn(&cli, argc - optind, argv + optind, &err);
		if (rc != OKDF_OK)
			cli_printf(stderr, "okdf %s: %s\n", name, err.msg[0] ? err.msg : "failed");
		return okdf_exit_code(rc);
	}
	cli_printf(stderr, "okdf: unknown command '%s'\n", name);
	usage(stderr);
	return 2;
}

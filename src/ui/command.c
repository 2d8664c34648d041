#include "okdf/ui/command.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "okdf/ui/app.h"
#include "okdf/ui/log.h"

int command_split(const char *line, char *buf, size_t n, char **argv, int max)
{
	size_t w = 0;
	int argc = 0;
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (argc == max)
			return -1;
		argv[argc++] = buf + w;
		char quote = 0;
		while (*p && (quote || (*p != ' ' && *p != '\t'))) {
			if (!quote && (*p == '"' || *p == '\'')) {
				quote = *p++;
				continue;
			}
			if (quote && *p == quote) {
				quote = 0;
				p++;
				continue;
			}
			if (*p == '\\' && p[1] && quote != '\'')
				p++;
			if (w + 1 >= n)
				return -1;
			buf[w++] = *p++;
		}
		if (quote || w + 1 >= n)
			return -1;
		buf[w++] = '\0';
	}
	return argc;
}

void command_quote(char *out, size_t n, const char *text)
{
	size_t w = strlen(out);
	if (w + 3 >= n)
		return;
	out[w++] = '"';
	for (const char *t = text; *t && w + 3 < n; t++) {
		if (*t == '"' || *t == '\\')
			out[w++] = '\\';
		out[w++] = *t;
	}
	out[w++] = '"';
	out[w] = '\0';
}

/* ---- CLI commands, run in-process with their output captured ---- */

static const struct {
	const char *name;
	cli_command_fn fn;
} cli_commands[] = {
	{ "phase", cmd_phase },
	{ "ack", cmd_ack },
	{ "snooze", cmd_snooze },
	{ "resolve", cmd_resolve },
	{ "decide", cmd_decide },
	{ "escalate", cmd_escalate },
	{ "hours", cmd_hours },
	{ "idea", cmd_idea },
	{ "review", cmd_review },
};

static int has_arg(int argc, char **argv, const char *arg)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], arg) == 0)
			return 1;
	return 0;
}

/* Why a command needs a y/N first, or NULL. */
static const char *destructive(int argc, char **argv)
{
	if (strcmp(argv[0], "resolve") == 0)
		return "Resolve the escalation?";
	if (strcmp(argv[0], "decide") == 0)
		return "Carry out this decision?";
	if (strcmp(argv[0], "phase") == 0 && argc > 1 && strcmp(argv[1], "reopen") == 0)
		return "Reopen the phase?";
	if (strcmp(argv[0], "phase") == 0 && argc > 1 && strcmp(argv[1], "complete") == 0 &&
		has_arg(argc, argv, "--override"))
		return "Complete the phase over its refusal (recorded in the audit log)?";
	return NULL;
}

/* Runs fn with stdout and stderr sent to a temporary file, read back into
 * out. curses is idle meanwhile: nothing it buffered is pending. */
static int run_captured(ui_app *app, cli_command_fn fn, int argc, char **argv, char *out,
	size_t n, okdf_err *e)
{
	out[0] = '\0';
	FILE *tmp = tmpfile();
	if (!tmp)
		return okdf_err_set(e, OKDF_EFAIL, "cannot capture output: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	okdf_cli cli = *app->opt.cli;
	cli.db_opt = app->opt.db_path;
	int rc = fn(&cli, argc, argv, e);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	rewind(tmp);
	size_t len = fread(out, 1, n - 1, tmp);
	out[len] = '\0';
	fclose(tmp);
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	return rc;
}

/* A page of the command's output (it can quote untrusted titles). */
static void output_page(ui_app *app, const char *title, const char *out, const char *err)
{
	pager_reset(&app->pager, title);
	for (const char *p = out; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
		pager_add_untrusted(&app->pager, &app->scr, ROLE_NORMAL, 0, "", line);
		p += len + (nl ? 1 : 0);
	}
	if (err[0])
		pager_add_untrusted(&app->pager, &app->scr, ROLE_ERROR, 0, "", err);
	app_show_page(app);
}

/* One line goes to the bar, more to a page. */
static void show_output(ui_app *app, const char *title, const char *out, const char *err,
	int failed)
{
	if (strchr(out, '\n') || (out[0] && err[0])) {
		output_page(app, title, out, err);
		return;
	}
	char clean[512];
	screen_clean(&app->scr, out[0] ? out : err, clean, sizeof clean);
	app_message(app, failed ? ROLE_ERROR : ROLE_GOOD, "%s", clean[0] ? clean
		: failed ? "failed" : "done");
}

static void run_cli(ui_app *app, cli_command_fn fn, int argc, char **argv, const char *line)
{
	static char out[16384];
	okdf_err e = { 0 };
	int rc = run_captured(app, fn, argc, argv, out, sizeof out, &e);
	log_msg("':%s' -> %d%s%s", line, rc, rc ? ": " : "", rc ? e.msg : "");
	char title[160];
	snprintf(title, sizeof title, ":%.150s", line);
	/* A refused completion lists its reasons; the operator may override. */
	if (rc == OKDF_EFAIL && strcmp(argv[0], "phase") == 0 && argc > 2 &&
		strcmp(argv[1], "complete") == 0 && !has_arg(argc, argv, "--override") &&
		strstr(e.msg, "refused")) {
		output_page(app, title, out, e.msg);
		char prefix[128], question[128];
		snprintf(prefix, sizeof prefix, "phase complete %.40s --override", argv[2]);
		snprintf(question, sizeof question, "Complete phase %.40s over the refusal?", argv[2]);
		app_ask_text(app, "Override with a reason (Esc cancels): ", prefix, question);
		app_reload(app);
		return;
	}
	show_output(app, title, out, rc ? e.msg : "", rc != OKDF_OK);
	if (rc == OKDF_OK)
		app_reload(app);
}

/* ---- commands of the UI itself ---- */

static void uicmd_quit(ui_app *app, int argc, char **argv)
{
	(void)argc, (void)argv;
	app->quit = 1;
}

static void uicmd_help(ui_app *app, int argc, char **argv)
{
	(void)argc, (void)argv;
	app_open_help(app);
}

static void uicmd_sync(ui_app *app, int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!app->opt.request_sync) {
		app_message(app, ROLE_WARNING, "sync: %s",
			app->opt.sync_note ? app->opt.sync_note : "no sync workers in this process");
		return;
	}
	app->opt.request_sync(app->opt.sync_ctx);
	app_message(app, ROLE_NORMAL, "sync requested");
}

static void uicmd_window(ui_app *app, int argc, char **argv)
{
	int w = (app->model.window + 1) % MODEL_WIN_N;
	if (argc > 1 && strcmp(argv[1], "next") != 0) {
		for (w = 0; w < MODEL_WIN_N && strcmp(argv[1], model_window_name(w)) != 0; w++)
			;
		if (w == MODEL_WIN_N) {
			app_message(app, ROLE_ERROR, "window: today, 7d, 30d or 90d");
			return;
		}
	}
	app->model.window = w;
	app_reload(app);
	app_message(app, ROLE_NORMAL, "window: %s", model_window_name(w));
}

static void uicmd_walkthrough(ui_app *app, int argc, char **argv)
{
	int idx = -1;
	if (argc > 1) {
		const phase_def *p = phases_by_number(app->catalog, atoi(argv[1]));
		if (!p)
			p = phases_by_id(app->catalog, argv[1]);
		if (!p) {
			app_message(app, ROLE_ERROR, "walkthrough: no phase %.40s", argv[1]);
			return;
		}
		idx = (int)phases_index(app->catalog, p);
	}
	walkthrough_open(app, idx);
}

static const struct {
	const char *name;
	void (*fn)(ui_app *app, int argc, char **argv);
} ui_commands[] = {
	{ "quit", uicmd_quit },
	{ "q", uicmd_quit },
	{ "help", uicmd_help },
	{ "sync", uicmd_sync },
	{ "window", uicmd_window },
	{ "walkthrough", uicmd_walkthrough },
};

void command_run(ui_app *app, const char *line, int confirmed)
{
	char buf[PROMPT_MAX * 2];
	char *argv[COMMAND_MAX_ARGS + 1];
	int argc = command_split(line, buf, sizeof buf, argv, COMMAND_MAX_ARGS);
	if (argc < 0) {
		app_message(app, ROLE_ERROR, "unbalanced quotes or too many words");
		return;
	}
	if (argc == 0)
		return;
	argv[argc] = NULL;
	for (size_t i = 0; i < sizeof ui_commands / sizeof ui_commands[0]; i++) {
		if (strcmp(ui_commands[i].name, argv[0]) == 0) {
			ui_commands[i].fn(app, argc, argv);
			return;
		}
	}
	for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++) {
		if (strcmp(cli_commands[i].name, argv[0]) != 0)
			continue;
		/* resolve and decide need a note: ask for it, then confirm. */
		if ((strcmp(argv[0], "resolve") == 0 && argc == 2) ||
			(strcmp(argv[0], "decide") == 0 && argc == 3)) {
			char prefix[PROMPT_MAX], question[160];
			snprintf(prefix, sizeof prefix, "%s --note", line);
			snprintf(question, sizeof question, "%s", destructive(argc, argv));
			app_ask_text(app, "Decision note: ", prefix, question);
			return;
		}
		const char *question = destructive(argc, argv);
		if (question && !confirmed && !has_arg(argc, argv, "--help")) {
			app_confirm(app, question, line);
			return;
		}
		run_cli(app, cli_commands[i].fn, argc, argv, line);
		return;
	}
	char clean[128];
	screen_clean(&app->scr, argv[0], clean, sizeof clean);
	app_message(app, ROLE_ERROR, "unknown command '%s' (? lists them)", clean);
}

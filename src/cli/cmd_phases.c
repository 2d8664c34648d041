/* okdf phases / okdf phase: the 11-phase checklist, sign-offs, completion
 * with gating, reopen. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/operator.h"
#include "okdf/core/paths.h"
#include "okdf/core/phase_gate.h"
#include "okdf/core/phase_record.h"
#include "okdf/core/phases.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

#define WIDTH 80

static const char phases_usage[] =
	"usage: okdf phases [--json]\n"
	"Print every setup phase with its status, automatic checks and sign-offs.\n"
	"  --json   machine-readable output (times in ISO 8601 UTC)\n";

static const char phase_usage[] =
	"usage: okdf phase show N [--json]\n"
	"       okdf phase signoff N SIGNOFF_ID [--note TEXT]\n"
	"       okdf phase complete N [--override REASON]\n"
	"       okdf phase reopen N\n"
	"N is the phase number (or its id). Run 'okdf phase SUBCOMMAND --help' for more.\n";

static const char show_usage[] =
	"usage: okdf phase show N [--json]\n"
	"Print one phase: goal, prerequisites, checks, sign-offs and guidance.\n";

static const char signoff_usage[] =
	"usage: okdf phase signoff N SIGNOFF_ID [--note TEXT]\n"
	"Record a manual sign-off of phase N as the current operator.\n"
	"'okdf phase show N' lists the phase's sign-off ids.\n";

static const char complete_usage[] =
	"usage: okdf phase complete N [--override REASON]\n"
	"Complete phase N. Refused, with every reason listed, while a prerequisite\n"
	"is open, a check fails or has no data, or a sign-off is missing.\n"
	"  --override REASON   complete anyway; the reason and what was overridden\n"
	"                      go to the audit log\n";

static const char reopen_usage[] =
	"usage: okdf phase reopen N\n"
	"Mark a completed phase as open again.\n";

int cli_load_catalog(const okdf_cli *cli, phase_catalog **cat, okdf_err *e)
{
	char dir[4096];
	int rc = paths_data_dir(cli->data_dir_opt, dir, sizeof dir, e);
	if (rc)
		return rc;
	return phases_load(dir, cat, e);
}

/* Everything a phase command works on. */
struct session {
	okdf_db *db;
	phase_catalog *cat;
	long long now;
};

static int session_open(const okdf_cli *cli, struct session *s, okdf_err *e)
{
	memset(s, 0, sizeof *s);
	int rc = time_now(&s->now, e);
	if (!rc)
		rc = cli_load_catalog(cli, &s->cat, e);
	if (!rc)
		rc = cli_open_db(cli, &s->db, e);
	if (rc) {
		phases_free(s->cat);
		s->cat = NULL;
	}
	return rc;
}

static void session_close(struct session *s)
{
	if (s->db)
		db_close(s->db);
	phases_free(s->cat);
}

/* Phase by number or id. */
static int find_phase(const phase_catalog *cat, const char *arg, const phase_def **out,
	okdf_err *e)
{
	char *end;
	long n = strtol(arg, &end, 10);
	*out = (*arg && !*end) ? phases_by_number(cat, (int)n) : phases_by_id(cat, arg);
	if (!*out)
		return okdf_err_set(e, OKDF_EINPUT, "no phase \"%s\" (phases are %d-%d)", arg,
			cat->phases[0].number, cat->phases[cat->n - 1].number);
	return OKDF_OK;
}

/* Prints text with the cursor at column at, wrapping at WIDTH and
 * indenting continuation lines to col. */
static void print_wrapped_at(const char *text, int col, int at)
{
	int line_start = 1;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t word = strcspn(p, " ");
		if (!word)
			break;
		if (!line_start && at + 1 + (int)word > WIDTH) {
			cli_printf(stdout, "\n%*s", col, "");
			at = col;
			line_start = 1;
		} else if (!line_start) {
			cli_printf(stdout, " ");
			at++;
		}
		cli_printf(stdout, "%.*s", (int)word, p);
		at += (int)word;
		line_start = 0;
		p += word;
	}
	cli_printf(stdout, "\n");
}

/* As print_wrapped_at, with the cursor already at col. */
static void print_wrapped(const char *text, int col)
{
	print_wrapped_at(text, col, col);
}

static void status_text(const phase_view *v, char *buf, size_t n)
{
	if (v->status == PHASE_DONE) {
		char when[32];
		time_format_utc(v->completed_at, when, sizeof when);
		snprintf(buf, n, "done %.10s%s", when, v->override_reason ? " (override)" : "");
	} else if (v->status == PHASE_BLOCKED) {
		snprintf(buf, n, "blocked by %d", v->blocked_by);
	} else if (v->status == PHASE_IN_PROGRESS && v->blocked_by) {
		snprintf(buf, n, "in progress, needs %d", v->blocked_by);
	} else if (v->status == PHASE_IN_PROGRESS) {
		snprintf(buf, n, "in progress");
	} else {
		snprintf(buf, n, "not started");
	}
}

static const char *check_label(check_state s)
{
	return s == CHECK_PASS ? "pass" : s == CHECK_FAIL ? "FAIL" : "no data";
}

/* "alice 2026-11-26T17:02:00Z" */
static void who_when(const char *who, long long at, char *buf, size_t n)
{
	char when[32];
	time_format_utc(at, when, sizeof when);
	snprintf(buf, n, "%s %s", who, when);
}

static void print_phase_line(const phase_view *v)
{
	char status[64];
	status_text(v, status, sizeof status);
	cli_printf(stdout, "%2d  %-*.*s %s\n", v->def->number, WIDTH - 5 - 17, WIDTH - 5 - 17,
		v->def->title, status);
}

static void print_items(const phase_view *v)
{
	const phase_def *p = v->def;
	for (size_t j = 0; j < p->n_checks; j++) {
		cli_printf(stdout, "    %-8s %-27s ", check_label(v->checks[j].state), p->checks[j].id);
		print_wrapped(v->checks[j].why, 41);
	}
	for (size_t j = 0; j < p->n_signoffs; j++) {
		const phase_signoff_state *s = &v->signoffs[j];
		char text[160];
		if (s->given)
			who_when(s->signed_by, s->signed_at, text, sizeof text);
		else
			snprintf(text, sizeof text, "%s", p->signoffs[j].description);
		cli_printf(stdout, "    %-8s %-27s ", s->given ? "signed" : "unsigned", p->signoffs[j].id);
		print_wrapped(text, 41);
	}
}

static cJSON *phase_json(const phase_catalog *cat, const phase_view *v, int with_guidance)
{
	const phase_def *p = v->def;
	cJSON *o = cJSON_CreateObject();
	char when[32];
	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddNumberToObject(o, "number", p->number);
	cJSON_AddStringToObject(o, "title", p->title);
	cJSON_AddStringToObject(o, "goal", p->goal);
	cJSON_AddStringToObject(o, "status", phase_status_name(v->status));
	if (v->blocked_by)
		cJSON_AddNumberToObject(o, "blocked_by", v->blocked_by);
	else
		cJSON_AddNullToObject(o, "blocked_by");
	cJSON *pre = cJSON_AddArrayToObject(o, "prerequisites");
	for (size_t j = 0; j < p->n_prereqs; j++)
		cJSON_AddItemToArray(pre, cJSON_CreateNumber(cat->phases[p->prereqs[j]].number));
	if (v->completed) {
		time_format_utc(v->completed_at, when, sizeof when);
		cJSON_AddStringToObject(o, "completed_at", when);
		cJSON_AddStringToObject(o, "completed_by", v->completed_by);
	} else {
		cJSON_AddNullToObject(o, "completed_at");
		cJSON_AddNullToObject(o, "completed_by");
	}
	if (v->override_reason)
		cJSON_AddStringToObject(o, "override_reason", v->override_reason);
	else
		cJSON_AddNullToObject(o, "override_reason");
	cJSON *checks = cJSON_AddArrayToObject(o, "checks");
	for (size_t j = 0; j < p->n_checks; j++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "id", p->checks[j].id);
		cJSON_AddStringToObject(c, "description", p->checks[j].description);
		cJSON_AddStringToObject(c, "state", check_state_name(v->checks[j].state));
		cJSON_AddStringToObject(c, "why", v->checks[j].why);
		cJSON_AddItemToArray(checks, c);
	}
	cJSON *signoffs = cJSON_AddArrayToObject(o, "signoffs");
	for (size_t j = 0; j < p->n_signoffs; j++) {
		const phase_signoff_state *s = &v->signoffs[j];
		cJSON *so = cJSON_CreateObject();
		cJSON_AddStringToObject(so, "id", p->signoffs[j].id);
		cJSON_AddStringToObject(so, "description", p->signoffs[j].description);
		if (s->given) {
			time_format_utc(s->signed_at, when, sizeof when);
			cJSON_AddStringToObject(so, "signed_by", s->signed_by);
			cJSON_AddStringToObject(so, "signed_at", when);
		} else {
			cJSON_AddNullToObject(so, "signed_by");
			cJSON_AddNullToObject(so, "signed_at");
		}
		if (s->note)
			cJSON_AddStringToObject(so, "note", s->note);
		else
			cJSON_AddNullToObject(so, "note");
		cJSON_AddItemToArray(signoffs, so);
	}
	if (with_guidance)
		cJSON_AddStringToObject(o, "guidance", p->guidance);
	return o;
}

static int list_phases(const phase_catalog *cat, const phase_view *views, int json, okdf_err *e)
{
	if (json) {
		cJSON *root = cJSON_CreateObject();
		cJSON *arr = cJSON_AddArrayToObject(root, "phases");
		for (size_t i = 0; i < cat->n; i++)
			cJSON_AddItemToArray(arr, phase_json(cat, &views[i], 0));
		return cli_json_print(root, e);
	}
	size_t done = 0;
	const phase_view *next = NULL;
	for (size_t i = 0; i < cat->n; i++) {
		if (views[i].status == PHASE_DONE)
			done++;
		else if (!next && !views[i].blocked_by)
			next = &views[i];
	}
	char head[256];
	int w = snprintf(head, sizeof head, "Setup: %zu of %zu phases done.", done, cat->n);
	if (next && w > 0 && (size_t)w < sizeof head)
		snprintf(head + w, sizeof head - (size_t)w, " Next: phase %d, %s.", next->def->number,
			next->def->title);
	print_wrapped(head, 0);
	cli_printf(stdout, "\n");
	for (size_t i = 0; i < cat->n; i++) {
		print_phase_line(&views[i]);
		print_items(&views[i]);
	}
	cli_printf(stdout, "\n'okdf phase show N' prints a phase's goal and guidance.\n");
	return OKDF_OK;
}

int cmd_phases(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", phases_usage);
		return OKDF_OK;
	}
	int json;
	int rc = cli_parse_json_only(argc, argv, &json, phases_usage, e);
	if (rc)
		return rc;
	struct session s;
	rc = session_open(cli, &s, e);
	if (rc)
		return rc;
	phase_view *views;
	rc = phases_evaluate(s.db, s.cat, s.now, &views, e);
	if (!rc) {
		rc = list_phases(s.cat, views, json, e);
		phase_views_free(views, s.cat->n);
	}
	session_close(&s);
	return rc;
}

static void print_show(const phase_catalog *cat, const phase_view *views, size_t idx)
{
	const phase_view *v = &views[idx];
	const phase_def *p = v->def;
	char status[64];
	status_text(v, status, sizeof status);
	cli_printf(stdout, "Phase %d: %s\nStatus: %s\n", p->number, p->title, status);
	if (v->completed) {
		char text[160];
		who_when(v->completed_by, v->completed_at, text, sizeof text);
		cli_printf(stdout, "Completed by %s\n", text);
		if (v->override_reason) {
			cli_printf(stdout, "%s", "Override: ");
			print_wrapped(v->override_reason, 10);
		}
	}
	cli_printf(stdout, "%s", "Goal: ");
	print_wrapped(p->goal, 6);
	cli_printf(stdout, "Needs:%s\n", p->n_prereqs ? "" : " nothing");
	for (size_t j = 0; j < p->n_prereqs; j++) {
		const phase_def *q = &cat->phases[p->prereqs[j]];
		cli_printf(stdout, "  %2d  %-*.*s %s\n", q->number, WIDTH - 18, WIDTH - 18, q->title,
			views[p->prereqs[j]].completed ? "done" : "open");
	}
	cli_printf(stdout, "\nAutomatic checks\n");
	if (!p->n_checks)
		cli_printf(stdout, "  none\n");
	for (size_t j = 0; j < p->n_checks; j++) {
		int at = cli_printf(stdout, "  %-8s %s: ", check_label(v->checks[j].state), p->checks[j].id);
		print_wrapped_at(p->checks[j].description, 11, at);
		cli_printf(stdout, "%11s", "");
		print_wrapped(v->checks[j].why, 11);
	}
	cli_printf(stdout, "\nSign-offs (okdf phase signoff %d ID [--note TEXT])\n", p->number);
	for (size_t j = 0; j < p->n_signoffs; j++) {
		const phase_signoff_state *s = &v->signoffs[j];
		int at = cli_printf(stdout, "  %-8s %s: ", s->given ? "signed" : "unsigned", p->signoffs[j].id);
		print_wrapped_at(p->signoffs[j].description, 11, at);
		if (s->given) {
			char text[160];
			who_when(s->signed_by, s->signed_at, text, sizeof text);
			cli_printf(stdout, "%11s%s\n", "", text);
			if (s->note) {
				cli_printf(stdout, "%11s", "");
				print_wrapped(s->note, 11);
			}
		}
	}
	cli_printf(stdout, "\nGuidance\n  ");
	print_wrapped(p->guidance, 2);
}

static int sub_show(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", show_usage);
		return OKDF_OK;
	}
	const char *which = NULL;
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (!which && argv[i][0] != '-')
			which = argv[i];
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				show_usage);
	}
	if (!which)
		return okdf_err_set(e, OKDF_EINPUT, "missing phase number\n%s", show_usage);
	struct session s;
	int rc = session_open(cli, &s, e);
	if (rc)
		return rc;
	const phase_def *p;
	phase_view *views = NULL;
	rc = find_phase(s.cat, which, &p, e);
	if (!rc)
		rc = phases_evaluate(s.db, s.cat, s.now, &views, e);
	if (!rc) {
		size_t idx = phases_index(s.cat, p);
		if (json)
			rc = cli_json_print(phase_json(s.cat, &views[idx], 1), e);
		else
			print_show(s.cat, views, idx);
		phase_views_free(views, s.cat->n);
	}
	session_close(&s);
	return rc;
}

/* Parses "N [ARG] [--OPT VALUE]": positional arguments into pos (up to
 * npos, all required), one optional valued option into *opt_val. */
static int parse_args(int argc, char **argv, const char **pos, int npos, const char *opt,
	const char **opt_val, const char *usage, okdf_err *e)
{
	int have = 0;
	size_t optlen = opt ? strlen(opt) : 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (opt && strcmp(a, opt) == 0) {
			if (i + 1 >= argc)
				return okdf_err_set(e, OKDF_EINPUT, "%s needs a value\n%s", opt, usage);
			*opt_val = argv[++i];
		} else if (opt && strncmp(a, opt, optlen) == 0 && a[optlen] == '=') {
			*opt_val = a + optlen + 1;
		} else if (a[0] != '-' && have < npos) {
			pos[have++] = a;
		} else {
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", a, usage);
		}
	}
	if (have < npos)
		return okdf_err_set(e, OKDF_EINPUT, "missing %s\n%s",
			have == 0 ? "phase number" : "sign-off id", usage);
	return OKDF_OK;
}

/* What signoff, complete and reopen share: the phase pos[0] names, in an
 * open session, changed by the current operator. */
struct phase_change {
	struct session s;
	okdf_operator op;
	const phase_def *p;
};

/* Parses as parse_args, opens the session and finds the phase. On success the
 * caller closes c->s; on failure nothing is left open. */
static int change_begin(okdf_cli *cli, int argc, char **argv, const char **pos, int npos,
	const char *opt, const char **opt_val, const char *usage, struct phase_change *c,
	okdf_err *e)
{
	int rc = parse_args(argc, argv, pos, npos, opt, opt_val, usage, e);
	if (rc)
		return rc;
	if ((rc = session_open(cli, &c->s, e)))
		return rc;
	c->p = NULL;
	operator_current(&c->op);
	if ((rc = find_phase(c->s.cat, pos[0], &c->p, e)))
		session_close(&c->s);
	return rc;
}

static int sub_signoff(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", signoff_usage);
		return OKDF_OK;
	}
	const char *pos[2], *note = NULL;
	struct phase_change c;
	int rc = change_begin(cli, argc, argv, pos, 2, "--note", &note, signoff_usage, &c, e);
	if (rc)
		return rc;
	rc = phase_signoff(c.s.db, c.p, pos[1], note, &c.op, c.s.now, e);
	if (!rc)
		cli_printf(stdout, "Phase %d: %s signed off by %s.\n", c.p->number, pos[1], c.op.name);
	session_close(&c.s);
	return rc;
}

static int sub_complete(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", complete_usage);
		return OKDF_OK;
	}
	const char *pos[1], *reason = NULL;
	struct phase_change c;
	int rc = change_begin(cli, argc, argv, pos, 1, "--override", &reason, complete_usage, &c, e);
	if (rc)
		return rc;
	const phase_def *p = c.p;
	phase_reasons reasons = { 0 };
	rc = phase_complete(c.s.db, c.s.cat, p, reason, &c.op, c.s.now, &reasons, e);
	if (rc == OKDF_EFAIL && reasons.n && !reason) {
		cli_printf(stderr, "Phase %d (%s) cannot be completed yet:\n", p->number, p->title);
		for (size_t i = 0; i < reasons.n; i++)
			cli_printf(stderr, "  - %s\n", reasons.items[i]);
		okdf_err_set(e, rc, "refused: %zu reason%s above; fix %s or use --override REASON",
			reasons.n, reasons.n == 1 ? "" : "s", reasons.n == 1 ? "it" : "them");
	} else if (!rc) {
		cli_printf(stdout, "Phase %d (%s) completed by %s.\n", p->number, p->title, c.op.name);
		if (reasons.n)
			cli_printf(stdout, "Overridden (recorded in the audit log):\n");
		for (size_t i = 0; i < reasons.n; i++)
			cli_printf(stdout, "  - %s\n", reasons.items[i]);
	}
	phase_reasons_free(&reasons);
	session_close(&c.s);
	return rc;
}

static int sub_reopen(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", reopen_usage);
		return OKDF_OK;
	}
	const char *pos[1];
	struct phase_change c;
	int rc = change_begin(cli, argc, argv, pos, 1, NULL, NULL, reopen_usage, &c, e);
	if (rc)
		return rc;
	rc = phase_reopen(c.s.db, c.p, NULL, &c.op, c.s.now, e);
	if (!rc)
		cli_printf(stdout, "Phase %d (%s) reopened by %s.\n", c.p->number, c.p->title, c.op.name);
	session_close(&c.s);
	return rc;
}

int cmd_phase(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	static const struct {
		const char *name;
		cli_command_fn fn;
	} subs[] = {
		{ "show", sub_show },
		{ "signoff", sub_signoff },
		{ "complete", sub_complete },
		{ "reopen", sub_reopen },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_printf(argc < 2 ? stderr : stdout, "%s", phase_usage);
		return argc < 2 ? okdf_err_set(e, OKDF_EINPUT, "missing subcommand") : OKDF_OK;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].fn(cli, argc - 1, argv + 1, e);
	return okdf_err_set(e, OKDF_EINPUT, "unknown subcommand '%s'\n%s", argv[1], phase_usage);
}

#include "okdf/ui/command.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/hours.h"
#include "okdf/core/inbox.h"
#include "okdf/core/text.h"
#include "okdf/ui/prompt.h"

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

const command_doc command_docs[] = {
	{ "ack ID", "acknowledge escalation ID (you become its owner)" },
	{ "snooze ID [DURATION]", "hide it until DURATION from now (30m, 4h, 2d); asks when absent" },
	{ "resolve ID [--note TEXT]", "resolve with a note (asked for when absent), after y/N" },
	{ "decide ID [DECISION] [--note TEXT]", "approve or reject an agent's action, keep or "
		"revert a budget; offers the choices its kind takes, then a note, then y/N" },
	{ "escalate KIND \"TITLE\" [--severity S] [--note TEXT]", "raise an escalation learned "
		"of elsewhere (Tab lists the kinds)" },
	{ "phase signoff N ID [--note TEXT]", "record a sign-off of phase N" },
	{ "phase complete N [--override REASON]", "complete phase N; a refusal lists its "
		"reasons and offers the override" },
	{ "phase reopen N", "reopen a completed phase, after y/N" },
	{ "hours add HOURS [--date D] [--note TEXT]", "record off-tool hours, 1.5 or 1:30" },
	{ "hours [list] [WINDOW]", "hours per operator and the manual entries with their ids" },
	{ "hours rm ID", "remove a manual entry, after y/N" },
	{ "idea add \"TITLE\" [--date D] [--product ID]", "record a product idea (Tab after "
		"--product offers products by title)" },
	{ "idea link IDEA_ID PRODUCT_ID", "link an idea to a product (Tab offers both by title)" },
	{ "review add [--note TEXT]", "record the weekly review of the feedback loops" },
	{ "window W", "the metrics window: today, 7d, 30d, 90d, Nd, all or FROM..TO" },
	{ "walkthrough [N]", "the phase walkthrough, at phase N" },
	{ "health", "connector health" },
	{ "sync", "ask the connectors for new data now" },
	{ "help / quit", "this help / leave" },
	{ NULL, NULL },
};

/* ---- the ':' line into typed actions ---- */

/* The words of one line: positionals and the --options the commands take. */
struct words {
	const char *pos[4];
	int npos;
	const char *note, *override, *date, *product, *severity;
};

static int split_words(int argc, char **argv, int first, struct words *w, char *err,
	size_t n)
{
	static const char *const names[] = { "--note", "--override", "--date", "--product",
		"--severity" };
	memset(w, 0, sizeof *w);
	const char **slots[] = { &w->note, &w->override, &w->date, &w->product, &w->severity };
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		int opt = -1;
		size_t len = 0;
		for (int k = 0; k < 5 && opt < 0; k++) {
			len = strlen(names[k]);
			if (strncmp(a, names[k], len) == 0 && (a[len] == '\0' || a[len] == '='))
				opt = k;
		}
		if (opt >= 0) {
			if (a[len] == '=') {
				*slots[opt] = a + len + 1;
			} else if (i + 1 < argc) {
				*slots[opt] = argv[++i];
			} else {
				snprintf(err, n, "%s needs a value", a);
				return -1;
			}
		} else if (a[0] == '-' && a[1]) {
			snprintf(err, n, "unknown option '%.40s'", a);
			return -1;
		} else if (w->npos < 4) {
			w->pos[w->npos++] = a;
		} else {
			snprintf(err, n, "unexpected '%.40s'", a);
			return -1;
		}
	}
	return 0;
}

static int parse_long(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || !*s || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static void set_text(ui_action *a, const char *text)
{
	if (!text)
		return;
	snprintf(a->text, sizeof a->text, "%s", text);
	a->has_text = 1;
}

/* Checks what a command got against what it takes: npos positionals (at
 * least min), and only the options in allowed ("note date"...). */
static int expect(const struct words *w, int min, int max, const char *allowed,
	const char *usage, char *err, size_t n)
{
	const struct {
		const char *name, *val;
	} opts[] = { { "note", w->note }, { "override", w->override }, { "date", w->date },
		{ "product", w->product }, { "severity", w->severity } };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (opts[i].val && !strstr(allowed, opts[i].name)) {
			snprintf(err, n, "--%s does not go here; usage: %s", opts[i].name, usage);
			return -1;
		}
	}
	if (w->npos < min || w->npos > max) {
		snprintf(err, n, "usage: %s", usage);
		return -1;
	}
	return 0;
}

static int parse_phase(const phase_catalog *cat, const char *arg, int *number, char *err,
	size_t n)
{
	long long v;
	const phase_def *p = parse_long(arg, &v) == 0 && v < 1000 ? phases_by_number(cat, (int)v)
		: phases_by_id(cat, arg);
	if (!p) {
		snprintf(err, n, "no phase \"%.40s\" (phases are %d-%d)", arg, cat->phases[0].number,
			cat->phases[cat->n - 1].number);
		return -1;
	}
	*number = p->number;
	return 0;
}

static int parse_escalation_id(const char *arg, ui_action *a, char *err, size_t n)
{
	if (parse_long(arg, &a->id) == 0)
		return 0;
	snprintf(err, n, "bad escalation id '%.40s'", arg);
	return -1;
}

static int parse_date(const char *arg, ui_action *a, char *err, size_t n)
{
	okdf_err e = { 0 };
	if (!arg)
		return 0;
	if (time_parse_date(arg, &a->day, &e) != OKDF_OK) {
		snprintf(err, n, "%s", e.msg);
		return -1;
	}
	a->has_day = 1;
	return 0;
}

static int parse_phase_cmd(const phase_catalog *cat, const struct words *w, ui_request *req,
	char *err, size_t n)
{
	ui_action *a = &req->action;
	const char *sub = w->npos ? w->pos[0] : "";
	if (strcmp(sub, "signoff") == 0) {
		if (expect(w, 3, 3, "note", "phase signoff N SIGNOFF_ID [--note TEXT]", err, n))
			return -1;
		a->kind = ACT_SIGNOFF;
		snprintf(a->word, sizeof a->word, "%s", w->pos[2]);
		set_text(a, w->note);
	} else if (strcmp(sub, "complete") == 0) {
		if (expect(w, 2, 2, "override", "phase complete N [--override REASON]", err, n))
			return -1;
		a->kind = ACT_COMPLETE;
		set_text(a, w->override);
	} else if (strcmp(sub, "reopen") == 0) {
		if (expect(w, 2, 2, "", "phase reopen N", err, n))
			return -1;
		a->kind = ACT_REOPEN;
	} else {
		snprintf(err, n, "phase signoff|complete|reopen N (the walkthrough, W, shows phases)");
		return -1;
	}
	return parse_phase(cat, w->pos[1], &a->phase, err, n);
}

static int parse_inbox_cmd(const char *cmd, const struct words *w, ui_request *req, char *err,
	size_t n)
{
	ui_action *a = &req->action;
	if (strcmp(cmd, "ack") == 0) {
		if (expect(w, 1, 1, "", "ack ID", err, n))
			return -1;
		a->kind = ACT_ACK;
	} else if (strcmp(cmd, "snooze") == 0) {
		if (expect(w, 1, 2, "", "snooze ID [DURATION]", err, n))
			return -1;
		a->kind = ACT_SNOOZE;
		okdf_err e = { 0 };
		if (w->npos == 2 && inbox_parse_duration(w->pos[1], &a->seconds, &e) != OKDF_OK) {
			snprintf(err, n, "%s", e.msg);
			return -1;
		}
	} else if (strcmp(cmd, "resolve") == 0) {
		if (expect(w, 1, 1, "note", "resolve ID [--note TEXT]", err, n))
			return -1;
		a->kind = ACT_RESOLVE;
		set_text(a, w->note);
	} else {
		if (expect(w, 1, 2, "note", "decide ID [approve|reject|keep|revert] [--note TEXT]",
			err, n))
			return -1;
		a->kind = ACT_DECIDE;
		if (w->npos == 2)
			snprintf(a->word, sizeof a->word, "%s", w->pos[1]);
		set_text(a, w->note);
	}
	return parse_escalation_id(w->pos[0], a, err, n);
}

static int parse_add_cmd(const char *cmd, const struct words *w, ui_request *req, char *err,
	size_t n)
{
	ui_action *a = &req->action;
	const char *sub = w->npos ? w->pos[0] : "";
	okdf_err e = { 0 };
	if (strcmp(cmd, "hours") == 0 && strcmp(sub, "add") == 0) {
		if (expect(w, 2, 2, "note date", "hours add HOURS [--date YYYY-MM-DD] [--note TEXT]",
			err, n))
			return -1;
		a->kind = ACT_HOURS_ADD;
		if (hours_parse(w->pos[1], &a->seconds, &e) != OKDF_OK) {
			snprintf(err, n, "%s", e.msg);
			return -1;
		}
		set_text(a, w->note);
		return parse_date(w->date, a, err, n);
	}
	if (strcmp(cmd, "hours") == 0 && strcmp(sub, "rm") == 0) {
		if (expect(w, 2, 2, "", "hours rm ID", err, n))
			return -1;
		a->kind = ACT_HOURS_RM;
		if (parse_long(w->pos[1], &a->id) == 0)
			return 0;
		snprintf(err, n, "ID must be a positive number: \"%.40s\"", w->pos[1]);
		return -1;
	}
	if (strcmp(cmd, "hours") == 0 && (!sub[0] || strcmp(sub, "list") == 0)) {
		if (expect(w, 0, 2, "", "hours list [WINDOW]", err, n))
			return -1;
		a->kind = ACT_HOURS_LIST;
		snprintf(a->word, sizeof a->word, "%s", w->npos == 2 ? w->pos[1] : "7d");
		return 0;
	}
	if (strcmp(cmd, "idea") == 0 && strcmp(sub, "add") == 0) {
		if (expect(w, 2, 2, "date product",
			"idea add \"TITLE\" [--date YYYY-MM-DD] [--product PRODUCT_ID]", err, n))
			return -1;
		a->kind = ACT_IDEA_ADD;
		snprintf(a->title, sizeof a->title, "%s", w->pos[1]);
		snprintf(a->product, sizeof a->product, "%s", w->product ? w->product : "");
		return parse_date(w->date, a, err, n);
	}
	if (strcmp(cmd, "idea") == 0 && strcmp(sub, "link") == 0) {
		if (expect(w, 3, 3, "", "idea link IDEA_ID PRODUCT_ID", err, n))
			return -1;
		a->kind = ACT_IDEA_LINK;
		snprintf(a->product, sizeof a->product, "%s", w->pos[2]);
		if (parse_long(w->pos[1], &a->id) == 0)
			return 0;
		snprintf(err, n, "IDEA_ID must be a positive number: \"%.40s\"", w->pos[1]);
		return -1;
	}
	if (strcmp(cmd, "review") == 0 && strcmp(sub, "add") == 0) {
		if (expect(w, 1, 1, "note", "review add [--note TEXT]", err, n))
			return -1;
		a->kind = ACT_REVIEW_ADD;
		set_text(a, w->note);
		return 0;
	}
	snprintf(err, n, "usage: %s", strcmp(cmd, "hours") == 0
		? "hours add HOURS (1.5 or 1:30) | hours list [WINDOW] | hours rm ID"
		: strcmp(cmd, "idea") == 0 ? "idea add \"TITLE\" | idea link IDEA_ID PRODUCT_ID"
		: "review add [--note TEXT]");
	return -1;
}

static int parse_escalate(const struct words *w, ui_request *req, char *err, size_t n)
{
	ui_action *a = &req->action;
	if (expect(w, 2, 2, "note severity",
		"escalate KIND \"TITLE\" [--severity critical|high|normal] [--note TEXT]", err, n))
		return -1;
	if (!inbox_kind_valid(w->pos[0])) {
		snprintf(err, n, "unknown kind '%.40s' (the help page lists them)", w->pos[0]);
		return -1;
	}
	a->kind = ACT_ESCALATE;
	snprintf(a->word, sizeof a->word, "%s", w->pos[0]);
	snprintf(a->title, sizeof a->title, "%s", w->pos[1]);
	snprintf(a->severity, sizeof a->severity, "%s", w->severity ? w->severity : "");
	set_text(a, w->note);
	return 0;
}

/* The UI's own commands: quit, help, sync, window [W], walkthrough [N],
 * health. */
static int parse_ui_cmd(const phase_catalog *cat, const char *cmd, const struct words *w,
	ui_request *req, char *err, size_t n)
{
	ui_action *a = &req->action;
	if (strcmp(cmd, "quit") == 0 || strcmp(cmd, "q") == 0)
		a->kind = ACT_QUIT;
	else if (strcmp(cmd, "help") == 0)
		a->kind = ACT_HELP;
	else if (strcmp(cmd, "sync") == 0)
		a->kind = ACT_SYNC;
	else if (strcmp(cmd, "window") == 0)
		a->kind = ACT_WINDOW;
	else if (strcmp(cmd, "walkthrough") == 0)
		a->kind = ACT_WALKTHROUGH;
	else if (strcmp(cmd, "health") == 0)
		a->kind = ACT_HEALTH;
	else
		return 1;
	if (expect(w, 0, a->kind == ACT_WINDOW || a->kind == ACT_WALKTHROUGH ? 1 : 0, "",
		a->kind == ACT_WINDOW ? "window [today|7d|30d|90d|Nd|all|FROM..TO|next]"
		: a->kind == ACT_WALKTHROUGH ? "walkthrough [N]" : cmd, err, n))
		return -1;
	if (a->kind == ACT_WINDOW)
		snprintf(a->word, sizeof a->word, "%s", w->npos ? w->pos[0] : "next");
	if (a->kind == ACT_WALKTHROUGH && w->npos)
		return parse_phase(cat, w->pos[0], &a->phase, err, n);
	return 0;
}

int command_parse(const char *line, const phase_catalog *cat, ui_request *req, char *err,
	size_t n)
{
	char buf[PROMPT_MAX * 2];
	char *argv[COMMAND_MAX_ARGS + 1];
	memset(req, 0, sizeof *req);
	err[0] = '\0';
	int argc = command_split(line, buf, sizeof buf, argv, COMMAND_MAX_ARGS);
	if (argc < 0) {
		snprintf(err, n, "unbalanced quotes or too many words");
		return -1;
	}
	if (argc == 0)
		return 0;
	const char *cmd = argv[0];
	struct words w;
	if (split_words(argc, argv, 1, &w, err, n))
		return -1;
	int rc = parse_ui_cmd(cat, cmd, &w, req, err, n);
	if (rc <= 0)
		return rc;
	if (strcmp(cmd, "phase") == 0)
		rc = parse_phase_cmd(cat, &w, req, err, n);
	else if (strcmp(cmd, "ack") == 0 || strcmp(cmd, "snooze") == 0 ||
		strcmp(cmd, "resolve") == 0 || strcmp(cmd, "decide") == 0)
		rc = parse_inbox_cmd(cmd, &w, req, err, n);
	else if (strcmp(cmd, "hours") == 0 || strcmp(cmd, "idea") == 0 ||
		strcmp(cmd, "review") == 0)
		rc = parse_add_cmd(cmd, &w, req, err, n);
	else if (strcmp(cmd, "escalate") == 0)
		rc = parse_escalate(&w, req, err, n);
	else {
		char clean[64];
		text_sanitize(cmd, clean, sizeof clean, 0);
		snprintf(err, n, "unknown command '%s' (? lists them)", clean);
		return -1;
	}
	if (rc)
		return rc;
	ui_action a = req->action;
	action_request(&a, req);
	if (a.kind == ACT_SNOOZE && !a.seconds) {
		snprintf(req->ask, sizeof req->ask, "Snooze #%lld for (30m, 4h, 2d): ", a.id);
		req->ask_into = ASK_DURATION;
	}
	return 0;
}

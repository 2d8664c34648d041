/* The escalation inbox from the shell: inbox, ack, snooze, resolve, decide,
 * escalate, rules run, actions run. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/core/config.h"
#include "okdf/core/inbox.h"
#include "okdf/core/operator.h"
#include "okdf/core/rules.h"
#include "okdf/core/text.h"
#include "okdf/core/timeutil.h"
#include "okdf/net/http.h"
#include "okdf/store/db.h"
#include "okdf/store/evidence.h"
#include "okdf/store/inbox.h"
#include "okdf/sync/actions.h"
#include "okdf/sync/connector.h"
#include "okdf/sync/notify.h"

static const char inbox_usage[] =
	"usage: okdf inbox [--json]\n"
	"         [--state open|acknowledged|snoozed|resolved|active|unresolved|all]\n"
	"       okdf inbox show ID [--json]\n"
	"List escalations, newest first (default: active, every unresolved one not\n"
	"snoozed; unresolved adds the snoozed ones), or show one with its evidence,\n"
	"history and queued actions. A snooze that ended reads open. For a\n"
	"conversation waiting for a person, show adds the customer's messages and\n"
	"the agent's pending action as the last sync read them (JSON:\n"
	"\"conversation\"), for an ad Meta's review feedback (\"ad\"); times in the\n"
	"shop's zone.\n"
	"Rules are evaluated by the sync engine and by 'okdf rules run', not here.\n";

static const char ack_usage[] =
	"usage: okdf ack ID\n"
	"Acknowledge an escalation and become its owner (stops the SLA clock).\n";

static const char snooze_usage[] =
	"usage: okdf snooze ID DURATION\n"
	"Hide an escalation until DURATION from now (30m, 4h, 2d); then it reads open.\n";

static const char resolve_usage[] =
	"usage: okdf resolve ID --note TEXT\n"
	"Resolve an escalation with a decision note (required).\n";

static const char decide_usage[] =
	"usage: okdf decide ID approve|reject|keep|revert --note TEXT\n"
	"Decide an escalation that acts: agent.approval takes approve or reject (sent to\n"
	"Relevance AI as the task's action-confirm, or a rejection message), budget.scale\n"
	"takes keep or revert (revert sets the campaign's previous daily budget through\n"
	"the Meta API). The connector worker carries the action out; its result shows\n"
	"in 'okdf inbox show ID'. The note is required.\n";

static const char escalate_usage[] =
	"usage: okdf escalate KIND \"TITLE\" [--severity critical|high|normal] [--note TEXT]\n"
	"Raise an escalation learned of elsewhere. KIND is one of:\n";

static const char rules_usage[] =
	"usage: okdf rules run [--json]\n"
	"Evaluate every escalation rule once against the database (what the sync engine\n"
	"does after each commit), then, when [notify] webhook_url is set, deliver the\n"
	"webhook messages that are due.\n";

static const char actions_usage[] =
	"usage: okdf actions run\n"
	"Carry out the queued decisions now, as the meta and relevance workers do after\n"
	"each pass: budget reverts through the Meta API, approvals and rejections\n"
	"through Relevance AI. Each result is written to its escalation's history.\n";

/* Untrusted text (titles come from APIs): no control or escape sequences.
 * multiline keeps the line breaks, sanitizing each line on its own. */
static void put_text(const char *s, int multiline)
{
	char line[4096], clean[4096 * 3];
	while (*s) {
		size_t len = multiline ? strcspn(s, "\n") : strlen(s);
		size_t take = len < sizeof line ? len : sizeof line - 1;
		memcpy(line, s, take);
		line[take] = '\0';
		text_sanitize(line, clean, sizeof clean, 0);
		cli_printf(stdout, "%s", clean);
		s += take;
		if (take == len && *s == '\n') {
			cli_printf(stdout, "\n");
			s++;
		}
	}
}

static void put_clean(const char *s)
{
	put_text(s, 0);
}

static int parse_id(const char *s, long long *id, okdf_err *e)
{
	return cli_parse_id(s, "an escalation id", id, e);
}

static void add_time_or_null(cJSON *o, const char *name, long long t)
{
	if (!t) {
		cJSON_AddNullToObject(o, name);
		return;
	}
	char buf[32];
	time_format_utc(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, name, buf);
}

static void add_str_or_null(cJSON *o, const char *name, const char *s)
{
	if (s && s[0])
		cJSON_AddStringToObject(o, name, s);
	else
		cJSON_AddNullToObject(o, name);
}

static cJSON *escalation_json(const escalation *x, long long now)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)x->id);
	cJSON_AddStringToObject(o, "kind", x->kind);
	cJSON_AddStringToObject(o, "severity", x->severity);
	cJSON_AddStringToObject(o, "state", inbox_view_state(x, now));
	cJSON_AddStringToObject(o, "title", x->title);
	cJSON_AddStringToObject(o, "source", x->source);
	add_time_or_null(o, "created_at", x->created_at);
	add_time_or_null(o, "acknowledged_at", x->acknowledged_at);
	add_time_or_null(o, "resolved_at", x->resolved_at);
	add_time_or_null(o, "snoozed_until", strcmp(x->state, "snoozed") == 0 ? x->snoozed_until : 0);
	add_str_or_null(o, "owner", x->owner);
	cJSON_AddBoolToObject(o, "sla_breached", inbox_sla_breached(x, now));
	cJSON_AddNumberToObject(o, "sla_seconds", (double)inbox_sla_seconds(x->severity));
	add_str_or_null(o, "decision", x->decision);
	add_str_or_null(o, "decision_note", x->decision_note);
	cJSON_AddStringToObject(o, "dedup_key", x->dedup_key);
	cJSON *ev = cJSON_Parse(x->evidence ? x->evidence : "{}");
	cJSON_AddItemToObject(o, "evidence", ev ? ev : cJSON_CreateObject());
	return o;
}

static void format_age(long long secs, char *buf, size_t n)
{
	if (secs < 0)
		secs = 0;
	if (secs < 3600)
		snprintf(buf, n, "%lldm", secs / 60);
	else if (secs < 86400)
		snprintf(buf, n, "%lldh%02lldm", secs / 3600, secs % 3600 / 60);
	else
		snprintf(buf, n, "%lldd%02lldh", secs / 86400, secs % 86400 / 3600);
}

/* The conversation and the ad an escalation's evidence names ("sources", or
 * the older conversation_id / ad_id); "" when none. */
static void evidence_sources(const char *evidence, char *conv, size_t cn, char *ad, size_t an)
{
	conv[0] = ad[0] = '\0';
	cJSON *ev = cJSON_Parse(evidence ? evidence : "{}");
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ev, "sources")) {
		const char *s = cJSON_GetStringValue(it);
		if (s && strncmp(s, "conversation:", 13) == 0 && !conv[0])
			snprintf(conv, cn, "%s", s + 13);
		else if (s && strncmp(s, "ad:", 3) == 0 && !ad[0])
			snprintf(ad, an, "%s", s + 3);
	}
	const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev,
		"conversation_id"));
	const char *a = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "ad_id"));
	if (!conv[0] && c)
		snprintf(conv, cn, "%s", c);
	if (!ad[0] && a)
		snprintf(ad, an, "%s", a);
	cJSON_Delete(ev);
}

/* t in the shop's zone ("2026-11-26T12:06:41-05:00"), UTC when the zone is
 * not known. */
static void shop_time(const char *tz, long long t, char *buf, size_t n)
{
	okdf_err e = { 0 };
	if (!tz[0] || time_format_local(t, tz, buf, n, &e) != OKDF_OK)
		time_format_utc(t, buf, n);
}

/* The customer's messages of a conversation, times in the shop's zone. */
static void show_messages(const cJSON *msgs, const char *tz, cJSON *jc)
{
	char when[48];
	cJSON *jm = jc ? cJSON_AddArrayToObject(jc, "customer_messages") : NULL;
	const cJSON *m;
	cJSON_ArrayForEach(m, msgs) {
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(m, "at");
		const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m,
			"text"));
		long long t = cJSON_IsNumber(at) ? (long long)at->valuedouble : 0;
		if (t > 0)
			shop_time(tz, t, when, sizeof when);
		if (jm) {
			cJSON *j = cJSON_CreateObject();
			if (t > 0)
				cJSON_AddStringToObject(j, "at", when);
			else
				cJSON_AddNullToObject(j, "at");
			cJSON_AddStringToObject(j, "text", text ? text : "");
			cJSON_AddItemToArray(jm, j);
		} else {
			cli_printf(stdout, "customer (%s): ", t > 0 ? when : "time unknown");
			put_clean(text ? text : "");
			cli_printf(stdout, "\n");
		}
	}
}

/* The action the agent waits to take, with its parameters (taken). */
static void show_pending_action(const evidence_conversation *c, cJSON *params, cJSON *jc)
{
	if (c->tool && jc) {
		cJSON *pa = cJSON_AddObjectToObject(jc, "pending_action");
		cJSON_AddStringToObject(pa, "tool", c->tool);
		add_str_or_null(pa, "amount", c->amount);
		cJSON_AddItemToObject(pa, "params", params ? params : cJSON_CreateObject());
		return;
	}
	if (jc) {
		cJSON_AddNullToObject(jc, "pending_action");
	} else if (c->tool) {
		cli_printf(stdout, "%s", "pending action: ");
		put_clean(c->tool);
		if (c->amount) {
			cli_printf(stdout, "%s", ", amount ");
			put_clean(c->amount);
		}
		cli_printf(stdout, "\n");
		const cJSON *p;
		cJSON_ArrayForEach(p, params) {
			cli_printf(stdout, "%s", "  ");
			put_clean(p->string ? p->string : "?");
			cli_printf(stdout, "%s", ": ");
			put_clean(cJSON_GetStringValue(p) ? cJSON_GetStringValue(p) : "");
			cli_printf(stdout, "\n");
		}
	}
	cJSON_Delete(params);
}

/* A conversation waiting for a person, as the last sync read it: into o
 * ("conversation"), or printed when o is NULL. */
static void show_conversation(const evidence_conversation *c, const char *tz, cJSON *o)
{
	cJSON *msgs = cJSON_Parse(c->messages ? c->messages : "[]");
	cJSON *params = c->params ? cJSON_Parse(c->params) : NULL;
	cJSON *jc = o ? cJSON_AddObjectToObject(o, "conversation") : NULL;
	if (jc) {
		cJSON_AddStringToObject(jc, "id", c->id);
		cJSON_AddStringToObject(jc, "state", c->state);
		cJSON_AddStringToObject(jc, "title", c->title);
		cJSON_AddStringToObject(jc, "agent", c->agent_name[0] ? c->agent_name : c->agent_id);
	} else {
		cli_printf(stdout, "%s", "conversation: ");
		put_clean(c->title[0] ? c->title : c->id);
		cli_printf(stdout, " (%s)\n", c->state);
	}
	show_messages(msgs, tz, jc);
	show_pending_action(c, params, jc);
	if (c->evidence_at) {
		char when[48];
		shop_time(tz, c->evidence_at, when, sizeof when);
		if (jc)
			cJSON_AddStringToObject(jc, "read_at", when);
		else
			cli_printf(stdout, "task view read %s\n", when);
	}
	cJSON_Delete(msgs);
}

/* An ad with Meta's review feedback: into o ("ad"), or printed when o is
 * NULL. */
static void show_ad(evidence_ad *a, cJSON *o)
{
	cJSON *ja = o ? cJSON_AddObjectToObject(o, "ad") : NULL;
	if (ja) {
		cJSON_AddStringToObject(ja, "id", a->id);
		cJSON_AddStringToObject(ja, "name", a->name);
		cJSON_AddStringToObject(ja, "status", a->status);
		cJSON_AddStringToObject(ja, "effective_status", a->effective_status);
	} else {
		cli_printf(stdout, "%s", "ad: ");
		put_clean(a->name[0] ? a->name : a->id);
		cli_printf(stdout, " (%s, delivery %s)\n", a->status, a->effective_status);
	}
	cJSON *jr = ja ? cJSON_AddArrayToObject(ja, "review_feedback") : NULL;
	for (char *line = a->review_feedback[0] ? a->review_feedback : NULL, *nl; line;
		line = nl ? nl + 1 : NULL) {
		if ((nl = strchr(line, '\n')))
			*nl = '\0';
		if (jr) {
			cJSON_AddItemToArray(jr, cJSON_CreateString(line));
		} else {
			cli_printf(stdout, "%s", "review feedback: ");
			put_clean(line);
			cli_printf(stdout, "\n");
		}
	}
}

/* What the sync read for the source: the customer's messages and the
 * agent's pending action, the ad's review feedback. JSON into o, or text. */
static int show_source(okdf_db *db, const escalation *x, cJSON *o, okdf_err *e)
{
	char conv[128], adid[64], tz[64] = "";
	evidence_sources(x->evidence, conv, sizeof conv, adid, sizeof adid);
	int rc = cli_shop_timezone(db, tz, sizeof tz, e);
	evidence_conversation c;
	int found = 0;
	if (!rc && conv[0])
		rc = evidence_conversation_get(db, conv, &c, &found, e);
	if (!rc && found) {
		show_conversation(&c, tz, o);
		evidence_conversation_clear(&c);
	}
	evidence_ad a;
	found = 0;
	if (!rc && adid[0])
		rc = evidence_ad_get(db, adid, &a, &found, e);
	if (!rc && found)
		show_ad(&a, o);
	return rc;
}

/* An escalation with its history and queued actions, as JSON. */
static cJSON *show_json(const escalation *x, const escalation_event *ev, int nev,
	const escalation_action *acts, int nact, long long now)
{
	cJSON *o = escalation_json(x, now);
	cJSON *hist = cJSON_AddArrayToObject(o, "events");
	for (int i = 0; i < nev; i++) {
		cJSON *h = cJSON_CreateObject();
		add_time_or_null(h, "at", ev[i].at);
		cJSON_AddStringToObject(h, "operator", ev[i].operator_name);
		add_str_or_null(h, "client", ev[i].client);
		cJSON_AddStringToObject(h, "action", ev[i].action);
		add_str_or_null(h, "note", ev[i].note);
		cJSON_AddItemToArray(hist, h);
	}
	cJSON *qa = cJSON_AddArrayToObject(o, "actions");
	for (int i = 0; i < nact; i++) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "id", (double)acts[i].id);
		cJSON_AddStringToObject(a, "connector", acts[i].connector);
		cJSON_AddStringToObject(a, "action", acts[i].action);
		cJSON_AddStringToObject(a, "state", acts[i].state);
		cJSON *p = cJSON_Parse(acts[i].payload ? acts[i].payload : "{}");
		cJSON_AddItemToObject(a, "payload", p ? p : cJSON_CreateObject());
		add_str_or_null(a, "result", acts[i].result);
		add_time_or_null(a, "created_at", acts[i].created_at);
		add_time_or_null(a, "done_at", acts[i].done_at);
		cJSON_AddItemToArray(qa, a);
	}
	return o;
}

/* An escalation's fields and evidence, one a line. */
static void show_fields(const escalation *x, long long now)
{
	char created[32], ack[32] = "-", res[32] = "-";
	time_format_utc(x->created_at, created, sizeof created);
	if (x->acknowledged_at)
		time_format_utc(x->acknowledged_at, ack, sizeof ack);
	if (x->resolved_at)
		time_format_utc(x->resolved_at, res, sizeof res);
	cli_printf(stdout, "#%lld  %s  %s  %s\n", x->id, x->severity, x->kind, inbox_view_state(x, now));
	cli_printf(stdout, "%s", "title:        ");
	put_clean(x->title);
	cli_printf(stdout, "\nsource:       %s\ncreated:      %s\nacknowledged: %s\nresolved:     %s\n",
		x->source, created, ack, res);
	if (strcmp(x->state, "snoozed") == 0 && x->snoozed_until > now) {
		char until[32];
		time_format_utc(x->snoozed_until, until, sizeof until);
		cli_printf(stdout, "snoozed until %s\n", until);
	}
	cli_printf(stdout, "owner:        %s\nSLA:          %lldh, %s\n", x->owner[0] ? x->owner : "-",
		inbox_sla_seconds(x->severity) / 3600,
		inbox_sla_breached(x, now) ? "BREACHED" : "met so far");
	if (x->decision[0]) {
		cli_printf(stdout, "decision:     %s: ", x->decision);
		put_clean(x->decision_note ? x->decision_note : "");
		cli_printf(stdout, "\n");
	}
	cJSON *evj = cJSON_Parse(x->evidence ? x->evidence : "{}");
	char *pretty = evj ? cJSON_Print(evj) : NULL;
	cli_printf(stdout, "%s", "evidence:\n");
	put_text(pretty ? pretty : (x->evidence ? x->evidence : ""), 1);
	cli_printf(stdout, "\n");
	free(pretty);
	cJSON_Delete(evj);
}

/* An escalation's history and queued actions, one a line. */
static void show_history(const escalation_event *ev, int nev, const escalation_action *acts,
	int nact)
{
	cli_printf(stdout, "%s\n", "history:");
	for (int i = 0; i < nev; i++) {
		char at[32];
		time_format_utc(ev[i].at, at, sizeof at);
		cli_printf(stdout, "  %s  %-12s %-15s %-14s ", at, ev[i].operator_name,
			ev[i].client[0] ? ev[i].client : "-", ev[i].action);
		put_clean(ev[i].note ? ev[i].note : "");
		cli_printf(stdout, "\n");
	}
	for (int i = 0; i < nact; i++) {
		cli_printf(stdout, "action %lld: %s %s %s ", acts[i].id, acts[i].connector, acts[i].action,
			acts[i].state);
		put_clean(acts[i].result ? acts[i].result : "");
		cli_printf(stdout, "\n");
	}
}

static int inbox_show(okdf_db *db, long long id, int json, long long now, okdf_err *e)
{
	escalation x;
	int rc = escalation_get(db, id, &x, e);
	if (rc)
		return rc;
	escalation_event *ev = NULL;
	escalation_action *acts = NULL;
	int nev = 0, nact = 0;
	rc = escalation_events_list(db, id, &ev, &nev, e);
	if (!rc)
		rc = escalation_actions_list(db, id, &acts, &nact, e);
	if (!rc && json) {
		cJSON *o = show_json(&x, ev, nev, acts, nact, now);
		rc = show_source(db, &x, o, e);
		if (!rc)
			rc = cli_json_print(o, e);
		else
			cJSON_Delete(o);
	} else if (!rc) {
		show_fields(&x, now);
		rc = show_source(db, &x, NULL, e);
		show_history(ev, nev, acts, nact);
	}
	escalation_events_free(ev, nev);
	escalation_actions_free(acts, nact);
	escalation_free(&x);
	return rc;
}

int cmd_inbox(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", inbox_usage);
		return OKDF_OK;
	}
	int json = 0;
	const char *state = "active", *show = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--state") == 0 && i + 1 < argc)
			state = argv[++i];
		else if (strcmp(argv[i], "show") == 0 && i == 1 && i + 1 < argc)
			show = argv[++i];
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				inbox_usage);
	}
	static const char *const states[] = { "open", "acknowledged", "snoozed", "resolved",
		"active", "unresolved", "all", NULL };
	int known = 0;
	for (const char *const *s = states; *s; s++)
		known |= strcmp(*s, state) == 0;
	if (!known)
		return okdf_err_set(e, OKDF_EINPUT, "unknown state '%s'\n%s", state, inbox_usage);
	long long id = 0, now;
	int rc = show ? parse_id(show, &id, e) : OKDF_OK;
	okdf_db *db;
	if (!rc)
		rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	if (show) {
		rc = inbox_show(db, id, json, now, e);
		db_close(db);
		return rc;
	}
	escalation *xs;
	int n;
	rc = escalation_list(db, state, now, &xs, &n, e);
	db_close(db);
	if (rc)
		return rc;
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		for (int i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, escalation_json(&xs[i], now));
		rc = cli_json_print(arr, e);
	} else if (n == 0) {
		cli_printf(stdout, "no %s escalations\n", state);
	} else {
		cli_printf(stdout, "%5s  %-8s %-12s %-7s %-4s %-10s %-23s %s\n", "ID", "SEV", "STATE", "AGE",
			"SLA", "OWNER", "KIND", "TITLE");
		for (int i = 0; i < n; i++) {
			char age[48];
			format_age(now - xs[i].created_at, age, sizeof age);
			char owner[64];
			cli_printf(stdout, "%5lld  %-8s %-12s %-7s %-4s %s %-23s ", xs[i].id, xs[i].severity,
				inbox_view_state(&xs[i], now), age,
				inbox_sla_breached(&xs[i], now) ? "!!" : "ok",
				cli_cell(xs[i].owner[0] ? xs[i].owner : "-", 10, owner, sizeof owner),
				xs[i].kind);
			put_clean(xs[i].title);
			cli_printf(stdout, "\n");
		}
	}
	escalation_list_free(xs, n);
	return rc;
}

/* Shared by the one-escalation commands: opens the db, knows who and when. */
struct act {
	okdf_db *db;
	okdf_operator op;
	long long now, id;
};

static int act_begin(okdf_cli *cli, const char *id_arg, struct act *a, okdf_err *e)
{
	int rc = parse_id(id_arg, &a->id, e);
	if (rc)
		return rc;
	operator_current(&a->op);
	return cli_open_db_now(cli, &a->db, &a->now, e);
}

int cmd_ack(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", ack_usage);
		return OKDF_OK;
	}
	if (argc != 2)
		return okdf_err_set(e, OKDF_EINPUT, "expected one ID\n%s", ack_usage);
	struct act a;
	int rc = act_begin(cli, argv[1], &a, e);
	if (rc)
		return rc;
	rc = inbox_ack(a.db, &a.op, a.id, a.now, e);
	db_close(a.db);
	if (!rc)
		cli_printf(stdout, "escalation #%lld acknowledged by %s\n", a.id, a.op.name);
	return rc;
}

int cmd_snooze(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", snooze_usage);
		return OKDF_OK;
	}
	if (argc != 3)
		return okdf_err_set(e, OKDF_EINPUT, "expected ID and DURATION\n%s", snooze_usage);
	long long secs;
	int rc = inbox_parse_duration(argv[2], &secs, e);
	if (rc)
		return rc;
	struct act a;
	rc = act_begin(cli, argv[1], &a, e);
	if (rc)
		return rc;
	rc = inbox_snooze(a.db, &a.op, a.id, a.now + secs, a.now, e);
	db_close(a.db);
	if (!rc) {
		char until[32];
		time_format_utc(a.now + secs, until, sizeof until);
		cli_printf(stdout, "escalation #%lld snoozed until %s\n", a.id, until);
	}
	return rc;
}

/* Takes --note TEXT out of argv; the rest are positional. */
static int split_args(int argc, char **argv, const char **note, const char **severity,
	const char **pos, int max_pos, int *npos, const char *usage, okdf_err *e)
{
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
			*note = argv[++i];
		else if (severity && strcmp(argv[i], "--severity") == 0 && i + 1 < argc)
			*severity = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] && *npos == 0)
			return okdf_err_set(e, OKDF_EINPUT, "unexpected option '%s'\n%s", argv[i], usage);
		else if (*npos < max_pos)
			pos[(*npos)++] = argv[i];
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i], usage);
	}
	return OKDF_OK;
}

/* resolve and decide: --note TEXT and exactly want positionals, else
 * count_msg with the usage. */
static int split_noted_args(int argc, char **argv, const char **note, const char **pos,
	int want, const char *count_msg, const char *usage, okdf_err *e)
{
	*note = NULL;
	int npos;
	int rc = split_args(argc, argv, note, NULL, pos, want, &npos, usage, e);
	if (!rc && npos != want)
		rc = okdf_err_set(e, OKDF_EINPUT, "%s\n%s", count_msg, usage);
	return rc;
}

/* act_begin for a decision, which must come with its note. */
static int act_begin_noted(okdf_cli *cli, const char *id_arg, const char *note, struct act *a,
	okdf_err *e)
{
	if (!note)
		return okdf_err_set(e, OKDF_EINPUT, "a decision note is required (--note TEXT)");
	return act_begin(cli, id_arg, a, e);
}

int cmd_resolve(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", resolve_usage);
		return OKDF_OK;
	}
	const char *note, *pos[1];
	int rc = split_noted_args(argc, argv, &note, pos, 1, "expected one ID", resolve_usage, e);
	if (rc)
		return rc;
	struct act a;
	rc = act_begin_noted(cli, pos[0], note, &a, e);
	if (rc)
		return rc;
	rc = inbox_resolve(a.db, &a.op, a.id, note, a.now, e);
	db_close(a.db);
	if (!rc)
		cli_printf(stdout, "escalation #%lld resolved\n", a.id);
	return rc;
}

int cmd_decide(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", decide_usage);
		return OKDF_OK;
	}
	const char *note, *pos[2];
	int rc = split_noted_args(argc, argv, &note, pos, 2, "expected ID and a decision",
		decide_usage, e);
	if (rc)
		return rc;
	static const char *const decisions[] = { "approve", "reject", "keep", "revert", NULL };
	int known = 0;
	for (const char *const *d = decisions; *d; d++)
		known |= strcmp(*d, pos[1]) == 0;
	if (!known)
		return okdf_err_set(e, OKDF_EINPUT, "unknown decision '%s'\n%s", pos[1], decide_usage);
	struct act a;
	rc = act_begin_noted(cli, pos[0], note, &a, e);
	if (rc)
		return rc;
	rc = inbox_decide(a.db, &a.op, a.id, pos[1], note, a.now, e);
	db_close(a.db);
	if (!rc)
		cli_printf(stdout, "escalation #%lld decided: %s%s\n", a.id, pos[1],
			strcmp(pos[1], "keep") == 0 ? "" : " (queued for the connector worker)");
	return rc;
}

int cmd_escalate(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", escalate_usage);
		for (const char *const *k = inbox_kinds; *k; k++)
			cli_printf(stdout, "  %s\n", *k);
		return OKDF_OK;
	}
	const char *note = NULL, *severity = NULL, *pos[2];
	int npos;
	int rc = split_args(argc, argv, &note, &severity, pos, 2, &npos, escalate_usage, e);
	if (rc)
		return rc;
	if (npos != 2)
		return okdf_err_set(e, OKDF_EINPUT, "expected KIND and TITLE (see okdf escalate --help)");
	if (!inbox_kind_valid(pos[0]))
		return okdf_err_set(e, OKDF_EINPUT, "unknown kind '%s' (see okdf escalate --help)",
			pos[0]);
	long long now, id;
	okdf_operator op;
	operator_current(&op);
	okdf_db *db;
	rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	rc = inbox_escalate(db, &op, pos[0], pos[1], severity, note, now, &id, e);
	db_close(db);
	if (!rc)
		cli_printf(stdout, "escalation #%lld raised\n", id);
	return rc;
}

int cmd_rules(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", rules_usage);
		return OKDF_OK;
	}
	int json = 0;
	if (argc < 2 || strcmp(argv[1], "run") != 0)
		return okdf_err_set(e, OKDF_EINPUT, "expected 'run'\n%s", rules_usage);
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				rules_usage);
	}
	okdf_config cfg;
	int rc = config_load(cli->config_opt, &cfg, e);
	long long now;
	okdf_db *db;
	if (!rc)
		rc = cli_open_db_now(cli, &db, &now, e);
	if (rc)
		return rc;
	int raised = 0, sent = 0, failed = 0;
	rc = rules_evaluate(db, &cfg.rules, now, &raised, e);
	if (!rc && cfg.notify_webhook_url[0])
		rc = notify_drain(db, cfg.notify_webhook_url, now, &sent, &failed, e);
	db_close(db);
	if (rc)
		return rc;
	if (json)
		cli_printf(stdout, "{\"raised\": %d, \"notified\": %d, \"notify_failed\": %d}\n", raised, sent,
			failed);
	else
		cli_printf(stdout, "%d escalation%s raised\n", raised, raised == 1 ? "" : "s");
	return OKDF_OK;
}

int cmd_actions(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", actions_usage);
		return OKDF_OK;
	}
	if (argc != 2 || strcmp(argv[1], "run") != 0)
		return okdf_err_set(e, OKDF_EINPUT, "expected 'run'\n%s", actions_usage);
	okdf_config cfg;
	int rc = config_load(cli->config_opt, &cfg, e);
	long long now;
	if (!rc)
		rc = time_now(&now, e);
	if (!rc)
		rc = http_global_init(e);
	if (rc)
		return rc;
	okdf_db *db;
	rc = cli_open_db(cli, &db, e);
	if (rc)
		return rc;
	struct {
		const char *name;
		const okdf_connector_config *conf;
	} connectors[] = { { "meta", &cfg.meta }, { "relevance", &cfg.relevance } };
	http_options ho = { .connect_timeout_s = cfg.http_connect_timeout,
		.timeout_s = cfg.http_timeout };
	for (size_t i = 0; i < 2 && !rc; i++) {
		if (!connectors[i].conf->enabled)
			continue;
		sync_ctx ctx = { .name = connectors[i].name, .conf = connectors[i].conf, .db = db,
			.wake_fd = -1, .now = now };
		rc = http_client_new(&ho, &ctx.http, e);
		if (rc)
			break;
		int done = 0;
		rc = actions_run(&ctx, &done, e);
		http_client_free(ctx.http);
		if (!rc)
			cli_printf(stdout, "%-10s %d action%s carried out\n", connectors[i].name, done,
				done == 1 ? "" : "s");
	}
	db_close(db);
	return rc;
}

/* ui/command and ui/action: ':' lines into typed requests (the action and
 * the questions still to ask), refusals in words, and typed results of
 * running actions against a store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "okdf/core/inbox.h"
#include "okdf/store/db.h"
#include "okdf/ui/action.h"
#include "okdf/ui/command.h"

static phase_catalog *cat;

static void parse_ok(const char *line, ui_request *req)
{
	char err[300];
	if (command_parse(line, cat, req, err, sizeof err) != 0)
		fail_msg("'%s': %s", line, err);
}

static void parse_err(const char *line, const char *msg)
{
	ui_request req;
	char err[300];
	assert_int_equal(command_parse(line, cat, &req, err, sizeof err), -1);
	if (!strstr(err, msg))
		fail_msg("'%s' gave '%s', not '%s'", line, err, msg);
}

static void test_inbox_lines(void **state)
{
	(void)state;
	ui_request r;
	parse_ok("ack 5", &r);
	assert_int_equal(r.action.kind, ACT_ACK);
	assert_int_equal(r.action.id, 5);
	assert_string_equal(r.ask, "");
	assert_string_equal(r.confirm, "");
	/* A resolve without its note asks for it, then y/N. */
	parse_ok("resolve 5", &r);
	assert_int_equal(r.action.kind, ACT_RESOLVE);
	assert_false(r.action.has_text);
	assert_string_equal(r.ask, "Decision note: ");
	assert_string_equal(r.confirm, "Resolve #5 with this note?");
	parse_ok("resolve 5 --note 'pulled lot 7'", &r);
	assert_true(r.action.has_text);
	assert_string_equal(r.action.text, "pulled lot 7");
	assert_string_equal(r.ask, "");
	assert_string_equal(r.confirm, "Resolve #5 with this note?");
	/* decide without a word: the app offers the kind's choices. */
	parse_ok("decide 7", &r);
	assert_int_equal(r.action.kind, ACT_DECIDE);
	assert_string_equal(r.action.word, "");
	parse_ok("decide 7 reject --note=no", &r);
	assert_string_equal(r.action.word, "reject");
	assert_string_equal(r.confirm, "Reject #7 with this note?");
	parse_ok("snooze 3", &r);
	assert_int_equal(r.ask_into, ASK_DURATION);
	assert_string_equal(r.ask, "Snooze #3 for (30m, 4h, 2d): ");
	parse_ok("snooze 3 2h", &r);
	assert_int_equal(r.action.seconds, 7200);
	assert_string_equal(r.ask, "");
	parse_ok("escalate crisis.recall \"Lot 7\" --severity high", &r);
	assert_int_equal(r.action.kind, ACT_ESCALATE);
	assert_string_equal(r.action.word, "crisis.recall");
	assert_string_equal(r.action.title, "Lot 7");
	assert_string_equal(r.action.severity, "high");
	parse_err("ack x", "bad escalation id 'x'");
	parse_err("ack", "usage: ack ID");
	parse_err("snooze 3 30x", "30x");
	parse_err("decide 5 yes --bogus", "unknown option '--bogus'");
	parse_err("escalate crisis.nope T", "unknown kind 'crisis.nope'");
	parse_err("frobnicate", "unknown command 'frobnicate'");
	parse_err("resolve 5 --note", "--note needs a value");
	parse_err("ack 5 \"open", "unbalanced quotes");
}

static void test_other_lines(void **state)
{
	(void)state;
	ui_request r;
	parse_ok("phase signoff 1 positioning --note ok", &r);
	assert_int_equal(r.action.kind, ACT_SIGNOFF);
	assert_int_equal(r.action.phase, 1);
	assert_string_equal(r.action.word, "positioning");
	assert_string_equal(r.action.text, "ok");
	parse_ok("phase complete brand", &r);
	assert_int_equal(r.action.kind, ACT_COMPLETE);
	assert_int_equal(r.action.phase, 1);
	assert_string_equal(r.confirm, ""); /* only an override asks y/N */
	parse_ok("phase complete 2 --override 'tested by hand'", &r);
	assert_string_equal(r.confirm,
		"Complete phase 2 over its refusal (recorded in the audit log)?");
	parse_ok("phase reopen 3", &r);
	assert_string_equal(r.confirm, "Reopen phase 3?");
	parse_ok("hours add 1:30 --date 2026-11-01 --note calls", &r);
	assert_int_equal(r.action.kind, ACT_HOURS_ADD);
	assert_int_equal(r.action.seconds, 5400);
	assert_true(r.action.has_day);
	assert_int_equal(r.action.day.d, 1);
	parse_ok("hours rm 4", &r);
	assert_string_equal(r.confirm, "Remove manual hours entry #4?");
	parse_ok("hours", &r);
	assert_int_equal(r.action.kind, ACT_HOURS_LIST);
	assert_string_equal(r.action.word, "7d");
	parse_ok("idea add \"Bamboo set\" --product p2", &r);
	assert_string_equal(r.action.title, "Bamboo set");
	assert_string_equal(r.action.product, "p2");
	parse_ok("idea link 3 p9", &r);
	assert_int_equal(r.action.id, 3);
	parse_ok("window 14d", &r);
	assert_int_equal(r.action.kind, ACT_WINDOW);
	assert_string_equal(r.action.word, "14d");
	parse_ok("walkthrough paid", &r);
	assert_int_equal(r.action.phase, 8);
	parse_ok("   ", &r);
	assert_int_equal(r.action.kind, ACT_NONE);
	parse_err("phase signoff 99 x", "no phase \"99\"");
	parse_err("hours add 1:75", "h:mm (1:30)");
	parse_err("idea link x p1", "IDEA_ID must be a positive number");
	parse_err("phase complete 1 --note x", "--note does not go here");
}

static void test_results(void **state)
{
	(void)state;
	char path[] = "/tmp/okdf-test-ui-command-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	okdf_err e = { 0 };
	okdf_db *db;
	assert_int_equal(db_open(path, &db, &e), OKDF_OK);
	okdf_operator op = { "tester", "" };
	long long id;
	assert_int_equal(inbox_escalate(db, &op, "crisis.recall", "Lot 7", NULL, NULL, 1000, &id,
		&e), OKDF_OK);
	ui_action_ctx ctx = { .db = db, .catalog = cat, .op = &op, .tz = "UTC", .now = 2000 };
	ui_result r;
	ui_action a = { .kind = ACT_ACK, .id = id };
	action_run(&ctx, &a, &r);
	assert_int_equal(r.outcome, UI_OK);
	action_result_free(&r);
	/* Twice: refused, in words. */
	action_run(&ctx, &a, &r);
	assert_int_equal(r.outcome, UI_REFUSED);
	assert_non_null(strstr(r.e.msg, "already acknowledged"));
	action_result_free(&r);
	a.id = 99;
	action_run(&ctx, &a, &r);
	assert_int_equal(r.outcome, UI_ERROR);
	assert_int_equal(r.e.code, OKDF_ENOTFOUND);
	action_result_free(&r);
	/* A refused completion carries its reasons. */
	ui_action c = { .kind = ACT_COMPLETE, .phase = 1 };
	action_run(&ctx, &c, &r);
	assert_int_equal(r.outcome, UI_REFUSED);
	assert_true(r.reasons.n > 0);
	action_result_free(&r);
	ui_action h = { .kind = ACT_HOURS_ADD, .seconds = 5400 };
	action_run(&ctx, &h, &r);
	assert_int_equal(r.outcome, UI_OK);
	assert_true(r.id > 0);
	assert_int_equal(r.day.y, 1970);
	action_result_free(&r);
	db_close(db);
	unlink(path);
}

int main(void)
{
	okdf_err e = { 0 };
	if (phases_load(getenv("OKDF_DATA_DIR"), &cat, &e) != OKDF_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inbox_lines),
		cmocka_unit_test(test_other_lines),
		cmocka_unit_test(test_results),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	phases_free(cat);
	return rc;
}

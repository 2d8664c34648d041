/* Phase catalog: the real file loads; every kind of bad file gives its
 * exact message. Gating: refusal lists every reason, override and every
 * sign-off/complete/reopen are audited with operator and SSH client; status
 * derivation; a changed brand brief re-opens phases 4-7. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "okdf/core/brief.h"
#include "okdf/core/phase_gate.h"
#include "okdf/core/phase_record.h"
#include "okdf/core/phases.h"
#include "okdf/store/audit.h"
#include "okdf/store/brief.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"

static char dir[] = "/tmp/okdf-test-phases-XXXXXX";
static const long long NOW = 1764000000; /* 2025-11-24T16:00:00Z */

/* ---- catalog files ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads text from a file named name in the temp dir; expects failure with
 * message "<file>: <tail>". */
static void expect_bad(const char *name, const char *text, const char *tail)
{
	char path[256], want[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	write_file(path, text);
	phase_catalog *cat = (phase_catalog *)1;
	okdf_err e = { 0 };
	assert_int_equal(phases_load(path, &cat, &e), OKDF_EINPUT);
	assert_null(cat);
	snprintf(want, sizeof want, "%s: %s", path, tail);
	assert_string_equal(e.msg, want);
}

#define PHASE(id, num, pre, checks) \
	"{\"id\":\"" id "\",\"number\":" num ",\"title\":\"T\",\"goal\":\"G\"," \
	"\"guidance\":\"Gd\",\"prerequisites\":[" pre "],\"checks\":[" checks "]," \
	"\"signoffs\":[{\"id\":\"s\",\"description\":\"d\"}]}"
#define CHECK(id) "{\"id\":\"" id "\",\"description\":\"d\"}"

static void test_real_catalog_loads(void **state)
{
	(void)state;
	const char *data = getenv("OKDF_DATA_DIR");
	assert_non_null(data);
	phase_catalog *cat;
	okdf_err e = { 0 };
	assert_int_equal(phases_load(data, &cat, &e), OKDF_OK);
	assert_int_equal(cat->n, 11);
	/* SPEC section 3: number -> prerequisite numbers. */
	static const char *const needs[] = { "", "1", "2", "2,3", "1,2,3", "1,2", "1,6", "3,7",
		"4,5,7,8", "3,8", "1,2,3,4,5,6,7,8,9,10" };
	static const char *const ids[] = { "brand", "store", "warehouse", "email", "cs_agent",
		"content", "creative", "paid", "feedback", "escalation", "autonomous" };
	for (size_t i = 0; i < cat->n; i++) {
		const phase_def *p = &cat->phases[i];
		assert_int_equal(p->number, (int)i + 1);
		assert_string_equal(p->id, ids[i]);
		char got[64] = "";
		size_t len = 0;
		for (size_t j = 0; j < p->n_prereqs; j++)
			len += (size_t)snprintf(got + len, sizeof got - len, "%s%d", j ? "," : "",
				cat->phases[p->prereqs[j]].number);
		assert_string_equal(got, needs[i]);
		assert_true(p->n_checks > 0);
		assert_true(p->n_signoffs > 0);
		assert_true(strlen(p->guidance) > 200);
		assert_int_equal(p->reopens_on_brief_change, p->number >= 4 && p->number <= 7);
	}
	const phase_def *brand = phases_by_id(cat, "brand");
	assert_int_equal(brand->n_signoffs, 4);
	assert_string_equal(brand->signoffs[3].id, "forbidden_claims");
	assert_ptr_equal(phases_by_number(cat, 8), phases_by_id(cat, "paid"));
	phases_free(cat);
}

static void test_bad_malformed(void **state)
{
	(void)state;
	expect_bad("malformed.json", "{\n  \"phases\": [\n    {\"id\": \"a\",,}\n  ]\n}",
		"line 3, column 17: malformed JSON");
	expect_bad("empty.json", "", "line 1, column 1: malformed JSON");
}

static void test_bad_missing_field(void **state)
{
	(void)state;
	expect_bad("nophases.json", "{\"version\": 1}", "$: missing field \"phases\"");
	expect_bad("nogoal.json",
		"{\"phases\":[{\"id\":\"a\",\"number\":1,\"title\":\"T\",\"guidance\":\"g\","
		"\"prerequisites\":[],\"checks\":[],\"signoffs\":[]}]}",
		"$.phases[0]: missing field \"goal\"");
	expect_bad("nocheckdesc.json",
		"{\"phases\":[" PHASE("a", "1", "", "{\"id\":\"brief_registered\"}") "]}",
		"$.phases[0].checks[0]: missing field \"description\"");
}

static void test_bad_wrong_type(void **state)
{
	(void)state;
	expect_bad("numstr.json",
		"{\"phases\":[" PHASE("a", "1", "", "") "," PHASE("b", "\"2\"", "\"a\"", "") "]}",
		"$.phases[1].number: expected an integer, got a string");
	expect_bad("phasesobj.json", "{\"phases\":{}}",
		"$.phases: expected an array, got an object");
	expect_bad("prenum.json", "{\"phases\":[" PHASE("a", "1", "1", "") "]}",
		"$.phases[0].prerequisites[0]: expected a phase id, got a number");
	expect_bad("root.json", "[1, 2]", "$: expected an object, got an array");
	expect_bad("fraction.json", "{\"phases\":[" PHASE("a", "1.5", "", "") "]}",
		"$.phases[0].number: expected an integer from 1 to 999, got 1.5");
}

static void test_bad_unknown_prerequisite(void **state)
{
	(void)state;
	expect_bad("unknownpre.json",
		"{\"phases\":[" PHASE("warehouse", "1", "", "") "," PHASE("email", "2",
			"\"warehous\"", "") "]}",
		"$.phases[1].prerequisites[0]: unknown phase \"warehous\"");
}

static void test_bad_cycle(void **state)
{
	(void)state;
	expect_bad("cycle.json",
		"{\"phases\":[" PHASE("a", "1", "\"c\"", "") "," PHASE("b", "2", "\"a\"", "") ","
			PHASE("c", "3", "\"b\"", "") "]}",
		"$.phases[1].prerequisites[0]: prerequisite cycle: a -> c -> b -> a");
	expect_bad("self.json", "{\"phases\":[" PHASE("a", "1", "\"a\"", "") "]}",
		"$.phases[0].prerequisites[0]: prerequisite cycle: a -> a");
}

static void test_bad_duplicates(void **state)
{
	(void)state;
	expect_bad("dupid.json",
		"{\"phases\":[" PHASE("a", "1", "", "") "," PHASE("a", "2", "", "") "]}",
		"$.phases[1].id: duplicate phase id \"a\" (also $.phases[0].id)");
	expect_bad("dupnum.json",
		"{\"phases\":[" PHASE("a", "1", "", "") "," PHASE("b", "1", "", "") "]}",
		"$.phases[1].number: duplicate phase number 1 (also $.phases[0].number)");
	expect_bad("dupcheck.json",
		"{\"phases\":[" PHASE("a", "1", "", CHECK("brief_registered") ","
			CHECK("brief_registered")) "]}",
		"$.phases[0].checks[1].id: duplicate check \"brief_registered\""
		" (also $.phases[0].checks[0].id)");
}

static void test_bad_unknown_check(void **state)
{
	(void)state;
	expect_bad("unknowncheck.json",
		"{\"phases\":[" PHASE("a", "1", "", CHECK("brief_registered") "," CHECK("nosuch"))
			"]}",
		"$.phases[0].checks[1].id: unknown check \"nosuch\"");
}

static void test_missing_file(void **state)
{
	(void)state;
	char path[256], want[512];
	snprintf(path, sizeof path, "%s/none/phases.json", dir);
	phase_catalog *cat;
	okdf_err e = { 0 };
	assert_int_equal(phases_load(path, &cat, &e), OKDF_EINPUT);
	snprintf(want, sizeof want, "%s: No such file or directory", path);
	assert_string_equal(e.msg, want);
}

static void test_sorted_by_number(void **state)
{
	(void)state;
	phase_catalog *cat;
	okdf_err e = { 0 };
	assert_int_equal(phases_parse("{\"phases\":[" PHASE("b", "2", "\"a\"", "") ","
		PHASE("a", "1", "", "") "]}", "x.json", &cat, &e), OKDF_OK);
	assert_string_equal(cat->phases[0].id, "a");
	assert_int_equal(cat->phases[1].n_prereqs, 1);
	assert_int_equal(cat->phases[1].prereqs[0], 0);
	phases_free(cat);
}

/* ---- gating over a real store ---- */

struct fixture {
	okdf_db *db;
	phase_catalog *cat;
	okdf_operator op;
};

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof *f);
	char path[256];
	snprintf(path, sizeof path, "%s/gate%d.db", dir, n++);
	okdf_err e = { 0 };
	if (db_open(path, &f->db, &e) || phases_load(getenv("OKDF_DATA_DIR"), &f->cat, &e))
		return -1;
	setenv("OKDF_OPERATOR", "alice", 1);
	setenv("SSH_CONNECTION", "192.0.2.7 50000 192.0.2.1 22", 1);
	operator_current(&f->op);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	phases_free(f->cat);
	free(f);
	return 0;
}

static const phase_def *P(struct fixture *f, int number)
{
	const phase_def *p = phases_by_number(f->cat, number);
	assert_non_null(p);
	return p;
}

/* Audit rows for a phase; asserts count and returns them (caller frees). */
static audit_row *audit_for(struct fixture *f, int number, int *n)
{
	char target[32];
	snprintf(target, sizeof target, "phase:%d", number);
	audit_row *rows;
	okdf_err e = { 0 };
	assert_int_equal(audit_list(f->db, target, &rows, n, &e), OKDF_OK);
	return rows;
}

static void register_brief(struct fixture *f, const char *content, brief_registration *reg)
{
	char path[256];
	snprintf(path, sizeof path, "%s/brief.md", dir);
	write_file(path, content);
	okdf_err e = { 0 };
	assert_int_equal(brief_register(f->db, f->cat, path, &f->op, NOW, reg, &e), OKDF_OK);
}

static void test_refusal_lists_every_reason(void **state)
{
	struct fixture *f = *state;
	phase_reasons r;
	okdf_err e = { 0 };
	assert_int_equal(phase_complete(f->db, f->cat, P(f, 2), NULL, &f->op, NOW, &r, &e),
		OKDF_EFAIL);
	assert_int_equal(r.n, 6);
	assert_string_equal(r.items[0],
		"prerequisite phase 1 (Brand brief and positioning) is not complete");
	assert_string_equal(r.items[1],
		"check shopify_token_valid has no data yet: Shopify has not synced yet");
	assert_string_equal(r.items[2],
		"check shop_currency_tz has no data yet: shop settings not synced yet");
	assert_string_equal(r.items[3],
		"check active_product_priced has no data yet: no products synced yet");
	assert_string_equal(r.items[4], "check orders_syncing has no data yet: no orders synced yet");
	assert_string_equal(r.items[5],
		"sign-off storefront missing: storefront, pricing and policies approved");
	assert_string_equal(e.msg, "phase 2 (Store (Shopify)) cannot be completed yet: 6 reasons;"
		" fix them or use --override REASON");
	phase_reasons_free(&r);

	/* A failing check is a reason too, and nothing was recorded. */
	phase_view *v;
	assert_int_equal(phases_evaluate(f->db, f->cat, NOW, &v, &e), OKDF_OK);
	assert_int_equal(v[0].checks[0].state, CHECK_FAIL);
	assert_int_equal(phase_gate_check(f->cat, v, 0, &r, &e), OKDF_OK);
	assert_int_equal(r.n, 5);
	assert_string_equal(r.items[0],
		"check brief_registered failed: no brief registered (okdf brief register PATH)");
	phase_reasons_free(&r);
	phase_views_free(v, f->cat->n);
	int n;
	audit_row *rows = audit_for(f, 2, &n);
	assert_int_equal(n, 0);
	audit_rows_free(rows, n);
}

static void test_override_is_audited(void **state)
{
	struct fixture *f = *state;
	phase_reasons r;
	okdf_err e = { 0 };
	assert_int_equal(phase_complete(f->db, f->cat, P(f, 2), "   ", &f->op, NOW, &r, &e),
		OKDF_EINPUT);
	assert_int_equal(phase_complete(f->db, f->cat, P(f, 2), "store was set up by the agency",
		&f->op, NOW, &r, &e), OKDF_OK);
	assert_int_equal(r.n, 6);
	phase_reasons_free(&r);
	int n;
	audit_row *rows = audit_for(f, 2, &n);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].action, "phase.override");
	assert_string_equal(rows[0].operator_name, "alice");
	assert_string_equal(rows[0].client, "192.0.2.7");
	assert_int_equal(rows[0].at, NOW);
	assert_string_equal(rows[0].detail,
		"reason: store was set up by the agency; overridden: prerequisite phase 1 (Brand"
		" brief and positioning) is not complete; check shopify_token_valid has no data yet:"
		" Shopify has not synced yet; check shop_currency_tz has no data yet: shop settings"
		" not synced yet; check active_product_priced has no data yet: no products synced"
		" yet; check orders_syncing has no data yet: no orders synced yet; sign-off"
		" storefront missing: storefront, pricing and policies approved");
	assert_string_equal(rows[1].action, "phase.complete");
	assert_string_equal(rows[1].detail, "override: store was set up by the agency");
	audit_rows_free(rows, n);

	phase_view *v;
	assert_int_equal(phases_evaluate(f->db, f->cat, NOW, &v, &e), OKDF_OK);
	assert_int_equal(v[1].status, PHASE_DONE);
	assert_int_equal(v[1].blocked_by, 0); /* done, though phase 1 is still open */
	assert_string_equal(v[1].completed_by, "alice");
	assert_string_equal(v[1].override_reason, "store was set up by the agency");
	phase_views_free(v, f->cat->n);

	/* Completing it again is refused. */
	assert_int_equal(phase_complete(f->db, f->cat, P(f, 2), NULL, &f->op, NOW + 5, &r, &e),
		OKDF_EFAIL);
	assert_string_equal(e.msg,
		"phase 2 (Store (Shopify)) is already complete (alice, 2025-11-24T16:00:00Z)");
}

static void test_signoff_complete_reopen_audit(void **state)
{
	struct fixture *f = *state;
	okdf_err e = { 0 };
	const phase_def *brand = P(f, 1);
	assert_int_equal(phase_signoff(f->db, brand, "nosuch", NULL, &f->op, NOW, &e), OKDF_EINPUT);
	assert_string_equal(e.msg, "phase 1 has no sign-off \"nosuch\" (it has: positioning, voice,"
		" offer, forbidden_claims)");
	for (size_t i = 0; i < brand->n_signoffs; i++)
		assert_int_equal(phase_signoff(f->db, brand, brand->signoffs[i].id,
			i == 0 ? "premium, not luxury" : NULL, &f->op, NOW + (long long)i, &e), OKDF_OK);
	brief_registration reg;
	register_brief(f, "# Brief\nWe sell socks.\n", &reg);
	assert_int_equal(reg.changed, 0);

	phase_reasons r;
	assert_int_equal(phase_complete(f->db, f->cat, brand, NULL, &f->op, NOW + 10, &r, &e),
		OKDF_OK);
	assert_int_equal(phase_reopen(f->db, brand, NULL, &f->op, NOW + 20, &e), OKDF_OK);
	assert_int_equal(phase_reopen(f->db, brand, NULL, &f->op, NOW + 21, &e), OKDF_EFAIL);
	assert_string_equal(e.msg, "phase 1 (Brand brief and positioning) is not complete");

	int n;
	audit_row *rows = audit_for(f, 1, &n);
	assert_int_equal(n, 6);
	static const char *const actions[] = { "phase.signoff", "phase.signoff", "phase.signoff",
		"phase.signoff", "phase.complete", "phase.reopen" };
	for (int i = 0; i < n; i++) {
		assert_string_equal(rows[i].action, actions[i]);
		assert_string_equal(rows[i].operator_name, "alice");
		assert_string_equal(rows[i].client, "192.0.2.7");
	}
	assert_string_equal(rows[0].detail, "positioning: premium, not luxury");
	assert_string_equal(rows[1].detail, "voice");
	assert_null(rows[4].detail);
	assert_int_equal(rows[4].at, NOW + 10);
	assert_int_equal(rows[5].at, NOW + 20);
	audit_rows_free(rows, n);
}

static phase_view *evaluate(struct fixture *f)
{
	phase_view *v;
	okdf_err e = { 0 };
	assert_int_equal(phases_evaluate(f->db, f->cat, NOW, &v, &e), OKDF_OK);
	return v;
}

static void test_status_derivation(void **state)
{
	struct fixture *f = *state;
	okdf_err e = { 0 };
	phase_reasons r;
	phase_view *v = evaluate(f);
	assert_int_equal(v[0].status, PHASE_NOT_STARTED);
	assert_int_equal(v[0].blocked_by, 0);
	assert_int_equal(v[1].status, PHASE_BLOCKED);
	assert_int_equal(v[1].blocked_by, 1);
	assert_int_equal(v[10].status, PHASE_BLOCKED);
	assert_int_equal(v[10].blocked_by, 1);
	assert_string_equal(phase_status_name(v[1].status), "blocked");
	phase_views_free(v, f->cat->n);

	/* A sign-off puts a phase in progress even while it is blocked. */
	assert_int_equal(phase_signoff(f->db, P(f, 2), "storefront", NULL, &f->op, NOW, &e), OKDF_OK);
	v = evaluate(f);
	assert_int_equal(v[1].status, PHASE_IN_PROGRESS);
	assert_int_equal(v[1].blocked_by, 1);
	phase_views_free(v, f->cat->n);

	/* A passing check does too. */
	brief_registration reg;
	register_brief(f, "brief v1\n", &reg);
	v = evaluate(f);
	assert_int_equal(v[0].checks[0].state, CHECK_PASS);
	assert_int_equal(v[0].status, PHASE_IN_PROGRESS);
	phase_views_free(v, f->cat->n);

	/* Blocked by the lowest-numbered open prerequisite. */
	assert_int_equal(phase_complete(f->db, f->cat, P(f, 1), "test", &f->op, NOW, &r, &e), OKDF_OK);
	phase_reasons_free(&r);
	v = evaluate(f);
	assert_int_equal(v[0].status, PHASE_DONE);
	assert_int_equal(v[2].status, PHASE_BLOCKED);
	assert_int_equal(v[2].blocked_by, 2);
	assert_int_equal(v[4].blocked_by, 2); /* needs 1, 2, 3 */
	assert_int_equal(v[6].blocked_by, 6); /* needs 1, 6 */
	assert_int_equal(v[10].blocked_by, 2);
	phase_views_free(v, f->cat->n);
}

static void test_brief_change_reopens_4_to_7(void **state)
{
	struct fixture *f = *state;
	okdf_err e = { 0 };
	phase_reasons r;
	brief_registration reg;
	register_brief(f, "brief v1\n", &reg);
	assert_int_equal(reg.changed, 0);
	for (int num = 1; num <= 7; num++) {
		assert_int_equal(phase_complete(f->db, f->cat, P(f, num), "test", &f->op, NOW, &r, &e),
			OKDF_OK);
		phase_reasons_free(&r);
	}
	assert_int_equal(phase_signoff(f->db, P(f, 4), "email_copy", NULL, &f->op, NOW, &e), OKDF_OK);
	assert_int_equal(phase_signoff(f->db, P(f, 2), "storefront", NULL, &f->op, NOW, &e), OKDF_OK);

	/* Same content: nothing re-opens. */
	register_brief(f, "brief v1\n", &reg);
	assert_int_equal(reg.changed, 0);
	assert_int_equal(reg.n_reopened, 0);

	register_brief(f, "brief v2: new positioning\n", &reg);
	assert_int_equal(reg.changed, 1);
	assert_int_equal(reg.n_reopened, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(reg.reopened[i], (int)i + 4);
	assert_int_equal(reg.n_withdrawn, 1);
	assert_int_equal(reg.withdrawn[0], 4);

	phase_view *v = evaluate(f);
	for (int num = 1; num <= 7; num++)
		assert_int_equal(v[num - 1].completed, num < 4);
	assert_int_equal(v[3].signoffs[0].given, 0);
	assert_int_equal(v[1].signoffs[0].given, 1);
	phase_views_free(v, f->cat->n);

	int n;
	audit_row *rows = audit_for(f, 5, &n);
	assert_string_equal(rows[n - 1].action, "phase.reopen");
	assert_string_equal(rows[n - 1].detail, "brand brief changed");
	audit_rows_free(rows, n);
	rows = audit_for(f, 4, &n);
	assert_string_equal(rows[n - 2].action, "phase.reopen");
	assert_string_equal(rows[n - 1].action, "phase.signoff.withdraw");
	assert_string_equal(rows[n - 1].detail, "brand brief changed; withdrawn: email_copy");
	audit_rows_free(rows, n);
	assert_int_equal(audit_list(f->db, "brief", &rows, &n, &e), OKDF_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].action, "brief.register");
	assert_non_null(strstr(rows[2].detail, "(was "));
	audit_rows_free(rows, n);

	brief_row b;
	int found;
	assert_int_equal(brief_row_get(f->db, &b, &found, &e), OKDF_OK);
	assert_true(found);
	assert_int_equal(strlen(b.sha256), 64);
	assert_true(b.path[0] == '/');

	/* A missing brief file is bad input. */
	assert_int_equal(brief_register(f->db, f->cat, "/nonexistent/brief.md", &f->op, NOW, &reg,
		&e), OKDF_EINPUT);
}

static void test_sha256(void **state)
{
	(void)state;
	char path[256], hex[65];
	snprintf(path, sizeof path, "%s/abc.txt", dir);
	write_file(path, "abc");
	okdf_err e = { 0 };
	assert_int_equal(brief_file_sha256(path, hex, &e), OKDF_OK);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_catalog_loads),
		cmocka_unit_test(test_bad_malformed),
		cmocka_unit_test(test_bad_missing_field),
		cmocka_unit_test(test_bad_wrong_type),
		cmocka_unit_test(test_bad_unknown_prerequisite),
		cmocka_unit_test(test_bad_cycle),
		cmocka_unit_test(test_bad_duplicates),
		cmocka_unit_test(test_bad_unknown_check),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_sorted_by_number),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test_setup_teardown(test_refusal_lists_every_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_is_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signoff_complete_reopen_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_derivation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_brief_change_reopens_4_to_7, setup, teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return failed;
}

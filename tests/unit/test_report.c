/* ISO weeks for okdf report, hand-checked against a calendar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "okdf/core/report.h"

static void expect_monday(const char *week, int y, int m, int d)
{
	okdf_date got;
	okdf_err e = { 0 };
	assert_int_equal(report_week_parse(week, &got, &e), OKDF_OK);
	assert_int_equal(got.y, y);
	assert_int_equal(got.m, m);
	assert_int_equal(got.d, d);
}

static void expect_week(int y, int m, int d, const char *want)
{
	char buf[16];
	report_week_format((okdf_date){ y, m, d }, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void test_parse(void **state)
{
	(void)state;
	expect_monday("2026-W47", 2026, 11, 16);
	expect_monday("2026-W01", 2025, 12, 29); /* 2026-01-01 is a Thursday */
	expect_monday("2026-W53", 2026, 12, 28); /* 2026 has 53 weeks */
	expect_monday("2021-W01", 2021, 1, 4);   /* 2021-01-01 is a Friday: 2020-W53 */
	expect_monday("2020-W53", 2020, 12, 28);
	okdf_date d;
	okdf_err e = { 0 };
	assert_int_equal(report_week_parse("2025-W53", &d, &e), OKDF_EINPUT); /* 52 weeks */
	assert_int_equal(report_week_parse("2026-W00", &d, &e), OKDF_EINPUT);
	assert_int_equal(report_week_parse("2026-W5", &d, &e), OKDF_EINPUT);
	assert_int_equal(report_week_parse("2026W47", &d, &e), OKDF_EINPUT);
	assert_int_equal(report_week_parse("2026-W47x", &d, &e), OKDF_EINPUT);
	assert_int_equal(report_week_parse(NULL, &d, &e), OKDF_EINPUT);
}

static void test_format(void **state)
{
	(void)state;
	expect_week(2026, 11, 16, "2026-W47"); /* Monday */
	expect_week(2026, 11, 22, "2026-W47"); /* Sunday */
	expect_week(2026, 11, 23, "2026-W48");
	expect_week(2027, 1, 1, "2026-W53");   /* Friday of 2026's last week */
	expect_week(2027, 1, 4, "2027-W01");
	expect_week(2024, 12, 30, "2025-W01"); /* Monday in the next ISO year */
	expect_week(2021, 1, 3, "2020-W53");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

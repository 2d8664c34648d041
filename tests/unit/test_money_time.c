/* Money parsing/formatting and time/timezone helpers, against values worked
 * out by hand (epochs checked with an independent calendar). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "okdf/core/money.h"
#include "okdf/core/timeutil.h"

static long long parse_ok(const char *s, int exp)
{
	long long v = 0;
	okdf_err e = { 0 };
	assert_int_equal(money_parse(s, exp, &v, &e), OKDF_OK);
	return v;
}

static void test_money_parse(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("19.99", 2), 1999);
	assert_int_equal(parse_ok("0.1", 2), 10);
	assert_int_equal(parse_ok(".5", 2), 50);
	assert_int_equal(parse_ok("-0.1", 2), -10);
	assert_int_equal(parse_ok("199", 2), 19900);
	assert_int_equal(parse_ok("19.990", 2), 1999);
	assert_int_equal(parse_ok("1500", 0), 1500);
	assert_int_equal(parse_ok("1500.0", 0), 1500);
	assert_int_equal(parse_ok("12.345", 3), 12345);
	assert_int_equal(parse_ok("12.3", 3), 12300);
	/* The documented maximum, 10^14 minor units, either sign. */
	assert_int_equal(parse_ok("1000000000000.00", 2), MONEY_MAX_MINOR);
	assert_int_equal(parse_ok("-100000000000000", 0), -MONEY_MAX_MINOR);
	okdf_err e = { 0 };
	long long v;
	assert_int_equal(money_parse("19.999", 2, &v, &e), OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "more than 2 decimal places"));
	assert_int_equal(money_parse("1.5", 0, &v, &e), OKDF_EINPUT);
	assert_int_equal(money_parse("", 2, &v, &e), OKDF_EINPUT);
	assert_int_equal(money_parse("1e3", 2, &v, &e), OKDF_EINPUT);
	assert_int_equal(money_parse("12.", 2, &v, &e), OKDF_EINPUT);
	assert_int_equal(money_parse("abc", 2, &v, &e), OKDF_EINPUT);
	assert_int_equal(money_parse("92233720368547758.08", 2, &v, &e), OKDF_EINPUT);
	assert_int_equal(money_parse("1000000000000.01", 2, &v, &e), OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "out of range"));
	assert_int_equal(money_parse("-999999999999999.00", 2, &v, &e), OKDF_EINPUT);
	/* Checked sums keep the accumulator on overflow. */
	long long acc = 9223372036854775807LL - 1;
	assert_int_equal(money_add(&acc, 1), 0);
	assert_int_equal(acc, 9223372036854775807LL);
	assert_int_equal(money_add(&acc, 1), -1);
	assert_int_equal(acc, 9223372036854775807LL);
	acc = -9223372036854775807LL;
	assert_int_equal(money_add(&acc, -2), -1);
	assert_int_equal(money_exponent("JPY"), 0);
	assert_int_equal(money_exponent("KWD"), 3);
	assert_int_equal(money_exponent("USD"), 2);
}

static void test_money_format(void **state)
{
	(void)state;
	char b[64];
	money_format(1999, 2, b, sizeof b);
	assert_string_equal(b, "19.99");
	money_format(-5, 2, b, sizeof b);
	assert_string_equal(b, "-0.05");
	money_format(1500, 0, b, sizeof b);
	assert_string_equal(b, "1500");
	money_format(12345, 3, b, sizeof b);
	assert_string_equal(b, "12.345");
	money_format_grouped(123456789, 2, b, sizeof b);
	assert_string_equal(b, "1,234,567.89");
	money_format_grouped(-100000, 0, b, sizeof b);
	assert_string_equal(b, "-100,000");
	money_format_grouped(99, 2, b, sizeof b);
	assert_string_equal(b, "0.99");
}

static void test_iso8601(void **state)
{
	(void)state;
	long long t;
	okdf_err e = { 0 };
	assert_int_equal(time_parse_iso8601("2024-10-01T09:15:00-04:00", &t, &e), OKDF_OK);
	assert_int_equal(t, 1727788500);
	assert_int_equal(time_parse_iso8601("2024-10-01T13:15:00Z", &t, &e), OKDF_OK);
	assert_int_equal(t, 1727788500);
	assert_int_equal(time_parse_iso8601("2024-10-01T13:15:00.123+0000", &t, &e), OKDF_OK);
	assert_int_equal(t, 1727788500);
	assert_int_equal(time_parse_iso8601("2024-10-01T13:15:00", &t, &e), OKDF_EINPUT);
	assert_int_equal(time_parse_iso8601("2024-02-30T00:00:00Z", &t, &e), OKDF_EINPUT);
	assert_int_equal(time_parse_iso8601("2024-10-01T25:00:00Z", &t, &e), OKDF_EINPUT);
	/* The ends of the accepted years 1-9999; an offset past them is refused
	 * (fuzz finding: 0000-01-01T02:30:00+0530 came back as year -001). */
	assert_int_equal(time_parse_iso8601("0000-01-01T00:00:00Z", &t, &e), OKDF_EINPUT);
	assert_int_equal(time_parse_iso8601("0001-01-01T00:00:00Z", &t, &e), OKDF_OK);
	assert_int_equal(t, -62135596800LL);
	assert_int_equal(time_parse_iso8601("9999-12-31T23:59:59Z", &t, &e), OKDF_OK);
	assert_int_equal(t, 253402300799LL);
	assert_int_equal(time_parse_iso8601("0001-01-01T02:30:00+0530", &t, &e), OKDF_EINPUT);
	assert_int_equal(time_parse_iso8601("9999-12-31T23:00:00-01:00", &t, &e), OKDF_EINPUT);
	assert_int_equal(time_parse_iso8601("0001-01-01T05:30:00+05:30", &t, &e), OKDF_OK);
	assert_int_equal(t, -62135596800LL);
	char b[40];
	time_format_utc(1727788500, b, sizeof b);
	assert_string_equal(b, "2024-10-01T13:15:00Z");
	time_format_utc(-1, b, sizeof b);
	assert_string_equal(b, "1969-12-31T23:59:59Z");
	time_format_utc(-62135596800LL, b, sizeof b);
	assert_string_equal(b, "0001-01-01T00:00:00Z");
	time_format_utc(-62167219200LL, b, sizeof b); /* before year 1: clamped */
	assert_string_equal(b, "0001-01-01T00:00:00Z");
	assert_int_equal(time_format_local(1727788500, "America/New_York", b, sizeof b, &e), OKDF_OK);
	assert_string_equal(b, "2024-10-01T09:15:00-04:00");
	okdf_date d;
	assert_int_equal(time_parse_date("2024-02-29", &d, &e), OKDF_OK);
	assert_int_equal(time_parse_date("2023-02-29", &d, &e), OKDF_EINPUT);
}

static void test_dates(void **state)
{
	(void)state;
	okdf_date d = { 1970, 1, 1 };
	assert_int_equal(date_to_days(d), 0);
	d = date_from_days(20598);
	assert_int_equal(d.y, 2026);
	assert_int_equal(d.m, 5);
	assert_int_equal(d.d, 25);
	okdf_date thu = { 2026, 11, 26 };
	assert_int_equal(date_weekday(thu), 4);
	okdf_date n = date_add_days((okdf_date){ 2024, 2, 28 }, 1);
	assert_int_equal(n.m, 2);
	assert_int_equal(n.d, 29);
	n = date_add_days((okdf_date){ 2024, 12, 31 }, 1);
	assert_int_equal(n.y, 2025);
	assert_int_equal(n.d, 1);
}

static void test_tz_days(void **state)
{
	(void)state;
	okdf_err e = { 0 };
	long long a, b;
	/* Spring forward in New York: 2026-03-08 lasts 23 hours. */
	assert_int_equal(tz_day_start("America/New_York", (okdf_date){ 2026, 3, 8 }, &a, &e), OKDF_OK);
	assert_int_equal(tz_day_start("America/New_York", (okdf_date){ 2026, 3, 9 }, &b, &e), OKDF_OK);
	assert_int_equal(a, 1772946000);
	assert_int_equal(b, 1773028800);
	assert_int_equal(b - a, 23 * 3600);
	/* Fall back: 2026-11-01 lasts 25 hours. */
	assert_int_equal(tz_day_start("America/New_York", (okdf_date){ 2026, 11, 1 }, &a, &e), OKDF_OK);
	assert_int_equal(tz_day_start("America/New_York", (okdf_date){ 2026, 11, 2 }, &b, &e), OKDF_OK);
	assert_int_equal(a, 1793505600);
	assert_int_equal(b, 1793595600);
	assert_int_equal(tz_day_start("Asia/Tokyo", (okdf_date){ 2026, 1, 1 }, &a, &e), OKDF_OK);
	assert_int_equal(a, 1767193200);
	okdf_date d;
	assert_int_equal(tz_date_of("America/New_York", 1772946000 - 1, &d, &e), OKDF_OK);
	assert_int_equal(d.d, 7);
	assert_int_equal(tz_date_of("America/New_York", 1772946000, &d, &e), OKDF_OK);
	assert_int_equal(d.d, 8);
	assert_int_equal(tz_day_start("Mars/Olympus", (okdf_date){ 2026, 1, 1 }, &a, &e), OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "Mars/Olympus"));
	assert_false(tz_valid("../etc/passwd"));
}

static void test_now(void **state)
{
	(void)state;
	long long t;
	okdf_err e = { 0 };
	setenv("OKDF_NOW", "2024-10-01T13:15:00Z", 1);
	assert_int_equal(time_now(&t, &e), OKDF_OK);
	assert_int_equal(t, 1727788500);
	setenv("OKDF_NOW", "12345", 1);
	assert_int_equal(time_now(&t, &e), OKDF_OK);
	assert_int_equal(t, 12345);
	setenv("OKDF_NOW", "yesterday", 1);
	assert_int_equal(time_now(&t, &e), OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "OKDF_NOW"));
	/* Out of range, saturating or not: refused, never clamped silently. */
	const char *bad[] = { "99999999999999999999", "-99999999999999999999",
		"253402300800", "-62135596801", "0000-12-31T23:59:59Z" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setenv("OKDF_NOW", bad[i], 1);
		assert_int_equal(time_now(&t, &e), OKDF_EINPUT);
		assert_non_null(strstr(e.msg, "OKDF_NOW"));
	}
	setenv("OKDF_NOW", "253402300799", 1);
	assert_int_equal(time_now(&t, &e), OKDF_OK);
	unsetenv("OKDF_NOW");
	/* A time from a server outside the range is bad data. */
	assert_int_equal(time_parse_iso8601("0000-01-01T00:00:00Z", &t, &e), OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "out of range"));
	assert_int_equal(time_parse_iso8601("9999-12-31T23:59:59-14:00", &t, &e), OKDF_EINPUT);
	/* Timezone arithmetic refuses what it cannot represent. */
	okdf_date d;
	assert_int_equal(tz_date_of("UTC", 9223372036854775807LL, &d, &e), OKDF_EINPUT);
	int off;
	assert_int_equal(tz_offset("Europe/Berlin", -9223372036854775807LL - 1, &off, &e),
		OKDF_EINPUT);
	char buf[32];
	time_format_utc(-9223372036854775807LL - 1, buf, sizeof buf);
	assert_string_equal(buf, "0001-01-01T00:00:00Z");
	time_format_utc(9223372036854775807LL, buf, sizeof buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money_parse),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_tz_days),
		cmocka_unit_test(test_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

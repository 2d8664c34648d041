/* Error values: exit codes, prefixes, truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "okdf/err.h"

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(okdf_exit_code(OKDF_OK), 0);
	assert_int_equal(okdf_exit_code(OKDF_EINPUT), 2);
	assert_int_equal(okdf_exit_code(OKDF_EFAIL), 1);
	assert_int_equal(okdf_exit_code(OKDF_EDB), 1);
	assert_int_equal(okdf_exit_code(OKDF_EAUTH), 1);
	assert_int_equal(okdf_exit_code(OKDF_EVERSION), 1);
	assert_int_equal(okdf_exit_code(OKDF_ETHROTTLED), 1);
}

static void test_set_and_prefix(void **state)
{
	(void)state;
	okdf_err e = { 0 };
	assert_int_equal(okdf_err_set(&e, OKDF_EINPUT, "bad %s", "value"), OKDF_EINPUT);
	assert_int_equal(okdf_err_prefix(&e, "%s:%d", "a.ini", 3), OKDF_EINPUT);
	assert_string_equal(e.msg, "a.ini:3: bad value");
	assert_int_equal(okdf_err_set(NULL, OKDF_EFAIL, "ignored"), OKDF_EFAIL);

	char long_msg[2000];
	memset(long_msg, 'x', sizeof long_msg - 1);
	long_msg[sizeof long_msg - 1] = '\0';
	okdf_err_set(&e, OKDF_EFAIL, "%s", long_msg);
	okdf_err_prefix(&e, "ctx");
	assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
	assert_memory_equal(e.msg, "ctx: xxx", 8);
	okdf_err_clear(&e);
	assert_int_equal(e.code, OKDF_OK);
	assert_string_equal(e.msg, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_set_and_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

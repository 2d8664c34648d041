/* idset: ids get dense indices in order of first sight, a repeated id its
 * first index, through table growth and past an arena's size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/idset.h"

static void test_indices(void **state)
{
	(void)state;
	idset *s = idset_new();
	assert_non_null(s);
	okdf_err e = { 0 };
	size_t i;
	assert_int_equal(idset_add(s, "c1", 2, &i, &e), OKDF_OK);
	assert_int_equal(i, 0);
	assert_int_equal(idset_add(s, "c2", 2, &i, &e), OKDF_OK);
	assert_int_equal(i, 1);
	assert_int_equal(idset_add(s, "c1", 2, &i, &e), OKDF_OK);
	assert_int_equal(i, 0);
	assert_int_equal(idset_add(s, "", 0, &i, &e), OKDF_OK);
	assert_int_equal(i, 2);
	assert_int_equal(idset_count(s), 3);
	idset_free(s);
}

/* 5000 ids: the 1024-slot table doubles three times and the ids (about
 * 180 KB with the long one) fill several arenas; each keeps its index. */
static void test_growth(void **state)
{
	(void)state;
	idset *s = idset_new();
	assert_non_null(s);
	okdf_err e = { 0 };
	char id[40], *big = malloc(70000);
	assert_non_null(big);
	memset(big, 'x', 69999);
	big[69999] = '\0';
	size_t i;
	for (int k = 0; k < 5000; k++) {
		int n = snprintf(id, sizeof id, "gid://shopify/Customer/%d", k);
		assert_int_equal(idset_add(s, id, (size_t)n, &i, &e), OKDF_OK);
		assert_int_equal(i, (size_t)k);
		if (k == 2500) {
			assert_int_equal(idset_add(s, big, 69999, &i, &e), OKDF_OK);
			assert_int_equal(i, 2501);
			k++; /* the long id took index 2501 */
		}
	}
	assert_int_equal(idset_count(s), 5000);
	for (int k = 0; k < 5000; k++) {
		if (k == 2501)
			continue;
		int n = snprintf(id, sizeof id, "gid://shopify/Customer/%d", k);
		assert_int_equal(idset_add(s, id, (size_t)n, &i, &e), OKDF_OK);
		assert_int_equal(i, (size_t)k);
	}
	assert_int_equal(idset_add(s, big, 69999, &i, &e), OKDF_OK);
	assert_int_equal(i, 2501);
	assert_int_equal(idset_count(s), 5000);
	free(big);
	idset_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indices),
		cmocka_unit_test(test_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

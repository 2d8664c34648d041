/* config.ini: keys, defaults, errors with file:line, permissions, env secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "okdf/core/config.h"

static char dir[] = "/tmp/okdf-test-config-XXXXXX";

static const char *write_file(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

static void test_full(void **state)
{
	(void)state;
	const char *p = write_file("ok.ini",
		"[shopify]\nshop = demo\naccess_token = shpat_x\napi_version = 2025-01\n"
		"base_url = http://127.0.0.1:8931\n"
		"[meta]\naccess_token = m\nad_account_id = 42\n"
		"[sync]\ninterval_seconds = 30\n[ui]\nidle_minutes = 7\ntheme = light\n"
		"mouse = false\n[rules]\nbudget_raise_pct = 25\nbudget_cap_minor = 100000\n", 0600);
	okdf_config c;
	okdf_err e = { 0 };
	unsetenv("OKDF_META_ACCESS_TOKEN");
	assert_int_equal(config_load(p, &c, &e), OKDF_OK);
	assert_true(c.shopify.enabled);
	assert_true(c.meta.enabled);
	assert_false(c.klaviyo.enabled);
	assert_false(c.relevance.enabled);
	assert_string_equal(c.shopify.base_url, "http://127.0.0.1:8931");
	assert_string_equal(c.shopify.secret, "shpat_x");
	assert_string_equal(c.meta.account, "42");
	assert_string_equal(c.meta.api_version, "v21.0");
	assert_int_equal(c.sync_interval_seconds, 30);
	assert_int_equal(c.ui_idle_minutes, 7);
	assert_int_equal(c.ui_mouse, 0);
	assert_string_equal(c.ui_theme, "light");
	assert_int_equal(c.rules.budget_raise_pct, 25);
	assert_int_equal(c.rules.budget_cap_minor, 100000);
	assert_int_equal(c.rules.refund_spike_min, 3);

	setenv("OKDF_META_ACCESS_TOKEN", "from-env", 1);
	assert_int_equal(config_load(p, &c, &e), OKDF_OK);
	assert_string_equal(c.meta.secret, "from-env");
	unsetenv("OKDF_META_ACCESS_TOKEN");
}

static void expect_error(const char *name, const char *text, mode_t mode, const char *msg)
{
	const char *p = write_file(name, text, mode);
	okdf_config c;
	okdf_err e = { 0 };
	assert_int_equal(config_load(p, &c, &e), OKDF_EINPUT);
	if (!strstr(e.msg, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, e.msg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("k.ini", "[shopify]\nshop = a\n\nshopp = b\n", 0600,
		"k.ini:4: unknown key 'shopp' in [shopify]");
	expect_error("s.ini", "[sync]\ninterval_seconds = 5\n[shop]\nx = 1\n", 0600,
		"s.ini:4: unknown section [shop]");
	expect_error("v.ini", "[sync]\ninterval_seconds = soon\n", 0600,
		"v.ini:2: interval_seconds must be an integer in 1..86400");
	expect_error("m.ini", "[ui]\nmouse = sometimes\n", 0600,
		"m.ini:2: mouse must be true or false");
	expect_error("u.ini", "[meta]\nbase_url = http://127.0.0.1:1/v21.0\n", 0600,
		"u.ini:2: base_url must be scheme://host[:port] with no path");
	expect_error("l.ini", "[sync]\nthis is not ini\n", 0600, "l.ini:2: not a key = value line");
	expect_error("perm.ini", "[klaviyo]\napi_key = pk_secret\n", 0644,
		"readable by group or others (mode 644)");
}

static void test_missing_default_is_fine(void **state)
{
	(void)state;
	setenv("XDG_CONFIG_HOME", dir, 1);
	okdf_config c;
	okdf_err e = { 0 };
	assert_int_equal(config_load(NULL, &c, &e), OKDF_OK);
	assert_int_equal(c.sync_interval_seconds, 300);
	assert_false(c.shopify.enabled);
	assert_int_equal(config_load("/nonexistent/okdf.ini", &c, &e), OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "/nonexistent/okdf.ini"));
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_default_is_fine),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) != 0 ? 1 : rc;
}

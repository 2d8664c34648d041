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
	assert_string_equal(c.meta.api_version, "v27.0");
	assert_string_equal(c.meta.action_type, "omni_purchase");
	assert_string_equal(c.meta.app_secret, "");
	assert_string_equal(c.klaviyo.api_version, "2026-10-15");
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

/* [meta] app_secret (or OKDF_META_APP_SECRET) and purchase_action_type. */
static void test_meta_keys(void **state)
{
	(void)state;
	const char *p = write_file("meta.ini",
		"[meta]\naccess_token = m\nad_account_id = 42\napi_version = 26.0\n"
		"app_secret = s3cret\npurchase_action_type = offsite_conversion.fb_pixel_purchase\n",
		0600);
	okdf_config c;
	okdf_err e = { 0 };
	unsetenv("OKDF_META_APP_SECRET");
	assert_int_equal(config_load(p, &c, &e), OKDF_OK);
	assert_string_equal(c.meta.app_secret, "s3cret");
	assert_string_equal(c.meta.action_type, "offsite_conversion.fb_pixel_purchase");
	assert_string_equal(c.meta.api_version, "26.0");
	setenv("OKDF_META_APP_SECRET", "env-secret", 1);
	assert_int_equal(config_load(p, &c, &e), OKDF_OK);
	assert_string_equal(c.meta.app_secret, "env-secret");
	unsetenv("OKDF_META_APP_SECRET");
	/* The app secret is a secret: a readable file holding it is refused. */
	p = write_file("meta644.ini", "[meta]\napp_secret = s3cret\n", 0644);
	assert_int_equal(config_load(p, &c, &e), OKDF_EINPUT);
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
		"s.ini:3: unknown section [shop]");
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

static const char *write_bytes(const char *name, const char *bytes, size_t n)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
	chmod(path, 0600);
	return path;
}

static void test_strict_reader(void **state)
{
	(void)state;
	/* A real Meta token is about 230 characters: no line-length limit. */
	char token[500], text[12000];
	for (size_t i = 0; i < sizeof token - 1; i++)
		token[i] = (char)('A' + i % 26);
	token[sizeof token - 1] = '\0';
	/* A long comment line too: the reader has no line buffer to overflow. */
	char comment[10000];
	memset(comment, 'x', sizeof comment - 1);
	comment[sizeof comment - 1] = '\0';
	snprintf(text, sizeof text, "[meta]\nad_account_id = 7\n;%s\naccess_token = %s\n", comment,
		token);
	okdf_config c;
	okdf_err e = { 0 };
	unsetenv("OKDF_META_ACCESS_TOKEN");
	assert_int_equal(config_load(write_file("long.ini", text, 0600), &c, &e), OKDF_OK);
	assert_string_equal(c.meta.secret, token);

	static const char nul[] = "[shopify]\nshop = de\0mo\n";
	assert_int_equal(config_load(write_bytes("nul.ini", nul, sizeof nul - 1), &c, &e),
		OKDF_EINPUT);
	assert_non_null(strstr(e.msg, "nul.ini:2: NUL byte"));

	expect_error("cont.ini", "[shopify]\nshop = a\n  b\n", 0600,
		"cont.ini:3: indented line");
	expect_error("dupk.ini", "[shopify]\nshop = a\n\nshop = b\n", 0600,
		"dupk.ini:4: duplicate key 'shop' in [shopify] (first at line 2)");
	expect_error("dups.ini", "[sync]\ntimeout = 5\n[ui]\n[sync]\n", 0600,
		"dups.ini:4: duplicate section [sync] (first at line 1)");
	expect_error("empty.ini", "[shopify]\nshop = a\napi_version =\n", 0600,
		"empty.ini:3: api_version is empty");
	expect_error("bare.ini", "[sync]\ntimeout = 5\n[shopify]\n", 0600,
		"bare.ini:3: [shopify] needs shop = ...");
	expect_error("out.ini", "shop = a\n[shopify]\n", 0600, "out.ini:1: key 'shop' outside");
	expect_error("sec.ini", "[shopify\nshop = a\n", 0600, "sec.ini:1: not a key = value");
	/* An empty secret is fine: the environment may hold it. */
	assert_int_equal(config_load(write_file("env.ini", "[klaviyo]\napi_key =\n", 0600), &c, &e),
		OKDF_OK);
	assert_true(c.klaviyo.enabled);
	/* Comments, inline comments, blank lines, CRLF. */
	assert_int_equal(config_load(write_file("crlf.ini",
		"; top\r\n# also\r\n[sync] ; polling\r\n\r\ntimeout = 9 ; seconds\r\n", 0600), &c, &e),
		OKDF_OK);
	assert_int_equal(c.http_timeout, 9);
}

static void test_base_url_and_limits(void **state)
{
	(void)state;
	okdf_config c;
	okdf_err e = { 0 };
	/* A token never goes to a remote host in the clear. */
	expect_error("h1.ini", "[shopify]\nshop = a\nbase_url = http://acme.myshopify.com\n", 0600,
		"h1.ini:3: base_url may use plain http:// only for a loopback host");
	expect_error("h2.ini", "[meta]\nad_account_id = 1\nbase_url = http://127.0.0.1@evil.test\n",
		0600, "h2.ini:3: base_url must be scheme://host[:port]");
	expect_error("h3.ini", "[meta]\nad_account_id = 1\nbase_url = http://10.0.0.1:80\n", 0600,
		"only for a loopback host");
	expect_error("h4.ini", "[meta]\nad_account_id = 1\nbase_url = https://h:99999\n", 0600,
		"h4.ini:3: base_url must be");
	const char *ok[] = { "http://localhost:8080", "http://127.0.0.2", "http://[::1]:9",
		"https://acme.myshopify.com", "https://127.0.0.1:443" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "[meta]\nad_account_id = 1\nbase_url = %s\n", ok[i]);
		assert_int_equal(config_load(write_file("ok.ini", text, 0600), &c, &e), OKDF_OK);
		assert_string_equal(c.meta.base_url, ok[i]);
	}
	assert_int_equal(config_load(write_file("d.ini", "[sync]\n", 0600), &c, &e), OKDF_OK);
	assert_int_equal(c.sync_max_wait_seconds, 900);
	assert_int_equal(c.http_max_body_mb, 64);
	assert_int_equal(config_load(write_file("w.ini",
		"[sync]\nmax_wait_seconds = 30\nmax_body_mb = 2\n", 0600), &c, &e), OKDF_OK);
	assert_int_equal(c.sync_max_wait_seconds, 30);
	assert_int_equal(c.http_max_body_mb, 2);
	/* A webhook's path is its secret: https, or http to this machine. */
	expect_error("n1.ini", "[notify]\nwebhook_url = http://hooks.slack.com/services/T/B/x\n", 0600,
		"n1.ini:2: webhook_url may use plain http:// only for a loopback host");
	expect_error("n2.ini", "[notify]\nwebhook_url = hooks.slack.com/x\n", 0600,
		"n2.ini:2: webhook_url must be scheme://host[:port]/path");
	assert_int_equal(config_load(write_file("n3.ini",
		"[notify]\nwebhook_url = https://hooks.slack.com/services/T/B/x\n", 0600), &c, &e), OKDF_OK);
	assert_string_equal(c.notify_webhook_url, "https://hooks.slack.com/services/T/B/x");
	assert_int_equal(config_load(write_file("n4.ini",
		"[notify]\nwebhook_url = http://127.0.0.1:8080/hook\n", 0600), &c, &e), OKDF_OK);
	expect_error("w0.ini", "[sync]\nmax_wait_seconds = 0\n", 0600,
		"max_wait_seconds must be an integer in 1..86400");
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
		cmocka_unit_test(test_meta_keys),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_default_is_fine),
		cmocka_unit_test(test_strict_reader),
		cmocka_unit_test(test_base_url_and_limits),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) != 0 ? 1 : rc;
}

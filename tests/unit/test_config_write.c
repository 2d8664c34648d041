/* config_write: the text okdf init writes, and that config_load reads it back
 * to the same values. */
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

static char dir[] = "/tmp/okdf-test-config-write-XXXXXX";

static char *render(const okdf_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(config_write(c, f), OKDF_OK);
	fclose(f);
	return buf;
}

static void test_written_text(void **state)
{
	(void)state;
	okdf_config c;
	config_defaults(&c);
	c.meta.enabled = 1;
	snprintf(c.meta.secret, sizeof c.meta.secret, "EAAB;x");
	snprintf(c.meta.account, sizeof c.meta.account, "act_42");
	c.relevance.enabled = 1;
	snprintf(c.relevance.account, sizeof c.relevance.account, "p1");
	snprintf(c.relevance.secret, sizeof c.relevance.secret, "sk-1");
	snprintf(c.relevance.region, sizeof c.relevance.region, "bcbe5a");
	c.sync_interval_seconds = 60;
	c.rules.budget_cap_minor = 500000;
	char *text = render(&c);
	char want[1024];
	snprintf(want, sizeof want,
		"[meta]\naccess_token = EAAB;x\nad_account_id = act_42\napi_version = %s\n"
		"purchase_action_type = omni_purchase\n"
		"\n[relevance]\nproject_id = p1\napi_key = sk-1\nregion = bcbe5a\n"
		"\n[sync]\ninterval_seconds = 60\n"
		"\n[rules]\nbudget_cap_minor = 500000\n", c.meta.api_version);
	assert_string_equal(text, want);
	free(text);
}

static void test_round_trip(void **state)
{
	(void)state;
	okdf_config c;
	config_defaults(&c);
	c.shopify.enabled = c.klaviyo.enabled = 1;
	snprintf(c.shopify.account, sizeof c.shopify.account, "acme");
	snprintf(c.shopify.secret, sizeof c.shopify.secret, "shpat_1");
	snprintf(c.shopify.base_url, sizeof c.shopify.base_url, "http://127.0.0.1:9");
	snprintf(c.klaviyo.secret, sizeof c.klaviyo.secret, "pk_2");
	snprintf(c.ui_theme, sizeof c.ui_theme, "light");
	snprintf(c.notify_webhook_url, sizeof c.notify_webhook_url, "https://hooks.example/x");
	c.rules.spend_spike_pct = 200;
	char *text = render(&c);
	char path[256];
	snprintf(path, sizeof path, "%s/rt.ini", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(text);
	chmod(path, 0600);
	okdf_config back;
	okdf_err e = { 0 };
	unsetenv("OKDF_SHOPIFY_ACCESS_TOKEN");
	unsetenv("OKDF_KLAVIYO_API_KEY");
	assert_int_equal(config_load(path, &back, &e), OKDF_OK);
	assert_true(back.shopify.enabled && back.klaviyo.enabled);
	assert_false(back.meta.enabled || back.relevance.enabled);
	assert_string_equal(back.shopify.account, "acme");
	assert_string_equal(back.shopify.secret, "shpat_1");
	assert_string_equal(back.shopify.base_url, "http://127.0.0.1:9");
	assert_string_equal(back.klaviyo.secret, "pk_2");
	assert_string_equal(back.klaviyo.api_version, c.klaviyo.api_version);
	assert_string_equal(back.ui_theme, "light");
	assert_string_equal(back.notify_webhook_url, "https://hooks.example/x");
	assert_int_equal(back.rules.spend_spike_pct, 200);
	assert_int_equal(back.rules.refund_spike_min, c.rules.refund_spike_min);
	unlink(path);
}

static void test_defaults_write_nothing(void **state)
{
	(void)state;
	okdf_config c;
	config_defaults(&c);
	char *text = render(&c);
	assert_string_equal(text, "");
	free(text);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_written_text),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_defaults_write_nothing),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}

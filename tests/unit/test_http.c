/* http_call's retry decisions against a local listener on 127.0.0.1 that
 * answers from a script: what is retried, how often, what stops at once,
 * throttles counted apart from failures. Backoff and Retry-After are capped
 * to milliseconds by the options, so nothing here waits for real. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/net/http.h"
#include "okdf/net/json.h"

#define MAX_STEPS 16

typedef struct step {
	unsigned status;
	const char *retry_after; /* NULL: no header */
	const char *body;
} step;

/* The script, and how many requests arrived. Past its end: 200 {"ok":true}. */
static struct {
	pthread_mutex_t lock;
	step steps[MAX_STEPS];
	int nsteps;
	int n;
} srv = { .lock = PTHREAD_MUTEX_INITIALIZER };

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *data, size_t *size, void **ctx)
{
	(void)cls, (void)url, (void)method, (void)version, (void)data;
	if (!*ctx) {
		*ctx = conn; /* any non-NULL marker: the headers have arrived */
		return MHD_YES;
	}
	if (*size) {
		*size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&srv.lock);
	step s = srv.n < srv.nsteps ? srv.steps[srv.n] : (step){ 200, NULL, "{\"ok\":true}" };
	srv.n++;
	pthread_mutex_unlock(&srv.lock);
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(s.body), (void *)s.body,
		MHD_RESPMEM_PERSISTENT);
	if (s.retry_after)
		MHD_add_response_header(r, "Retry-After", s.retry_after);
	enum MHD_Result ret = MHD_queue_response(conn, s.status, r);
	MHD_destroy_response(r);
	return ret;
}

typedef struct fixture {
	struct MHD_Daemon *d;
	char url[128];
	http_client *c;
	atomic_int shutdown;
} fixture;

static void script(const step *steps, int n)
{
	pthread_mutex_lock(&srv.lock);
	if (n > 0)
		memcpy(srv.steps, steps, (size_t)n * sizeof *steps);
	srv.nsteps = n;
	srv.n = 0;
	pthread_mutex_unlock(&srv.lock);
}

static int requests(void)
{
	pthread_mutex_lock(&srv.lock);
	int n = srv.n;
	pthread_mutex_unlock(&srv.lock);
	return n;
}

static int client(fixture *f, int max_attempts, int max_throttle_waits)
{
	http_options o = {
		.connect_timeout_s = 5,
		.timeout_s = 10,
		.shutdown = &f->shutdown,
		.max_attempts = max_attempts,
		.max_throttle_waits = max_throttle_waits,
		.backoff_base_s = 0.001,
		.backoff_cap_s = 0.002,
		.max_wait_s = 0.03, /* waits, Retry-After included, end within 30 ms */
	};
	okdf_err e = { 0 };
	if (f->c)
		http_client_free(f->c);
	return http_client_new(&o, &f->c, &e);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	struct sockaddr_in addr = { 0 };
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
	if (!f->d)
		return -1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(f->url, sizeof f->url, "http://127.0.0.1:%u/api?access_token=s3cret",
		(unsigned)info->port);
	script(NULL, 0);
	*state = f;
	return client(f, 0, 0) == OKDF_OK ? 0 : -1;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (f->d)
		MHD_stop_daemon(f->d);
	http_client_free(f->c);
	free(f);
	return 0;
}

static int call(fixture *f, int want_json, http_response *r, okdf_err *e)
{
	http_request req = { .method = "GET", .url = f->url, .want_json = want_json };
	return http_call(f->c, &req, r, e);
}

static void test_done_first_time(void **state)
{
	fixture *f = *state;
	http_response r;
	okdf_err e = { 0 };
	assert_int_equal(call(f, 1, &r, &e), OKDF_OK);
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsTrue(json_path(r.json, "ok")));
	assert_int_equal(requests(), 1);
	http_response_free(&r);
}

static void test_5xx_retried_until_success(void **state)
{
	fixture *f = *state;
	static const step s[] = { { 500, NULL, "" }, { 503, NULL, "busy" }, { 502, NULL, "" } };
	script(s, 3);
	http_response r;
	okdf_err e = { 0 };
	assert_int_equal(call(f, 1, &r, &e), OKDF_OK);
	assert_int_equal(requests(), 4);
	assert_int_equal(http_throttle_waits(f->c), 0);
	http_response_free(&r);
}

static void test_5xx_gives_up_after_max_attempts(void **state)
{
	fixture *f = *state;
	assert_int_equal(client(f, 3, 0), OKDF_OK);
	static const step s[] = { { 500, NULL, "" }, { 500, NULL, "" }, { 500, NULL, "" },
		{ 500, NULL, "" } };
	script(s, 4);
	http_response r;
	okdf_err e = { 0 };
	assert_int_equal(call(f, 1, &r, &e), OKDF_ENET);
	assert_int_equal(requests(), 3);
	assert_non_null(strstr(e.msg, "failed 3 times"));
	assert_null(strstr(e.msg, "s3cret")); /* the query, token and all, stays out */
}

static void test_auth_and_client_errors_not_retried(void **state)
{
	fixture *f = *state;
	static const unsigned auth[] = { 401, 403 };
	http_response r;
	okdf_err e = { 0 };
	for (int i = 0; i < 2; i++) {
		step s = { auth[i], NULL, "{\"errors\":[]}" };
		script(&s, 1);
		assert_int_equal(call(f, 1, &r, &e), OKDF_EAUTH);
		assert_int_equal(requests(), 1);
	}
	step s = { 404, NULL, "{}" };
	script(&s, 1);
	assert_int_equal(call(f, 1, &r, &e), OKDF_ENET);
	assert_int_equal(requests(), 1);
	assert_non_null(strstr(e.msg, "HTTP 404"));
}

static void test_throttles_counted_apart(void **state)
{
	fixture *f = *state;
	/* Two failures and two throttles with max_attempts 3: the throttles do
	 * not use up the failure budget, so the fifth answer is used. */
	assert_int_equal(client(f, 3, 0), OKDF_OK);
	static const step s[] = { { 500, NULL, "" }, { 429, "1", "" }, { 500, NULL, "" },
		{ 429, "3600", "" } };
	script(s, 4);
	double t0 = http_monotonic();
	http_response r;
	okdf_err e = { 0 };
	assert_int_equal(call(f, 1, &r, &e), OKDF_OK);
	assert_int_equal(requests(), 5);
	assert_int_equal(http_throttle_waits(f->c), 2);
	/* Retry-After: 3600 was capped at max_wait_s, not obeyed. */
	assert_true(http_monotonic() - t0 < 30);
	http_response_free(&r);
}

static void test_throttle_gives_up(void **state)
{
	fixture *f = *state;
	assert_int_equal(client(f, 0, 4), OKDF_OK);
	step s[MAX_STEPS];
	for (int i = 0; i < MAX_STEPS; i++)
		s[i] = (step){ 429, "0", "{\"errors\":[{\"code\":\"throttled\"}]}" };
	script(s, MAX_STEPS);
	http_response r;
	okdf_err e = { 0 };
	/* Four waits allowed: the fifth throttled answer ends the call. */
	assert_int_equal(call(f, 1, &r, &e), OKDF_ETHROTTLED);
	assert_int_equal(requests(), 5);
	assert_int_equal(http_throttle_waits(f->c), 4);
	assert_non_null(strstr(e.msg, "still throttled after 4 waits"));
}

static void test_truncated_json_retried(void **state)
{
	fixture *f = *state;
	static const step s[] = { { 200, NULL, "{\"data\":[{\"id\":" }, { 200, NULL, "{\"data\":[]}" } };
	script(s, 2);
	http_response r;
	okdf_err e = { 0 };
	assert_int_equal(call(f, 1, &r, &e), OKDF_OK);
	assert_int_equal(requests(), 2);
	assert_true(cJSON_IsArray(json_path(r.json, "data")));
	http_response_free(&r);
	/* Without want_json the same body is an answer, raw. */
	script(s, 1);
	assert_int_equal(call(f, 0, &r, &e), OKDF_OK);
	assert_int_equal(requests(), 1);
	assert_null(r.json);
	assert_int_equal(r.len, strlen(s[0].body));
	assert_memory_equal(r.body, s[0].body, r.len);
	http_response_free(&r);
}

/* A vendor that throttles with a 200 (Shopify's THROTTLED) or fails on a 200. */
static http_verdict vendor(const http_response *r, void *arg, double *wait_s, char *why,
	size_t why_n)
{
	(void)arg;
	const char *code = json_str(r->json, "code");
	*wait_s = 0;
	if (code && strcmp(code, "THROTTLED") == 0) {
		snprintf(why, why_n, "THROTTLED");
		return HTTP_THROTTLED;
	}
	if (code && strcmp(code, "BAD") == 0) {
		snprintf(why, why_n, "bad query");
		return HTTP_FAIL;
	}
	return r->status == 200 ? HTTP_DONE : HTTP_RETRY;
}

static void test_vendor_verdicts(void **state)
{
	fixture *f = *state;
	static const step s[] = { { 200, NULL, "{\"code\":\"THROTTLED\"}" }, { 200, NULL, "{}" },
		{ 200, NULL, "{\"code\":\"BAD\"}" } };
	script(s, 3);
	http_request req = { .method = "POST", .url = f->url, .body = "{}", .want_json = 1,
		.classify = vendor };
	http_response r;
	okdf_err e = { 0 };
	assert_int_equal(http_call(f->c, &req, &r, &e), OKDF_OK);
	assert_int_equal(requests(), 2);
	assert_int_equal(http_throttle_waits(f->c), 1);
	http_response_free(&r);
	assert_int_equal(http_call(f->c, &req, &r, &e), OKDF_ENET);
	assert_int_equal(requests(), 3);
	assert_non_null(strstr(e.msg, "bad query"));
}

static void test_shutdown_and_refused(void **state)
{
	fixture *f = *state;
	http_response r;
	okdf_err e = { 0 };
	atomic_store(&f->shutdown, 1);
	assert_int_equal(call(f, 1, &r, &e), OKDF_ENET);
	assert_int_equal(requests(), 0); /* nothing sent once shutdown is asked */
	assert_non_null(strstr(e.msg, "shutdown"));
	atomic_store(&f->shutdown, 0);
	/* Nobody listening: transport failures are retried up to max_attempts. */
	MHD_stop_daemon(f->d);
	f->d = NULL;
	assert_int_equal(client(f, 2, 0), OKDF_OK);
	assert_int_equal(call(f, 1, &r, &e), OKDF_ENET);
	assert_non_null(strstr(e.msg, "failed 2 times"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_done_first_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_5xx_retried_until_success, setup, teardown),
		cmocka_unit_test_setup_teardown(test_5xx_gives_up_after_max_attempts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_and_client_errors_not_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttles_counted_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_gives_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_json_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vendor_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_and_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

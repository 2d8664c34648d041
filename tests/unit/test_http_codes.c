/* net/http's outcomes as typed codes, against a local listener on
 * 127.0.0.1 (port 0) that answers every request with one status: callers
 * decide a connector's state from these codes, never from the message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/net/http.h"

static struct {
	pthread_mutex_t lock;
	unsigned status;
	int n;
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER };

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *data, size_t *size, void **ctx)
{
	(void)cls, (void)url, (void)method, (void)version, (void)data, (void)size;
	static int first;
	if (*ctx != &first) {
		*ctx = &first;
		return MHD_YES;
	}
	pthread_mutex_lock(&seen.lock);
	unsigned status = seen.status;
	seen.n++;
	pthread_mutex_unlock(&seen.lock);
	struct MHD_Response *r = MHD_create_response_from_buffer(2, (void *)"{}",
		MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Retry-After", "0");
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

typedef struct fixture {
	struct MHD_Daemon *d;
	char url[128];
	http_client *c;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	struct sockaddr_in addr = { 0 };
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
	if (!f->d)
		return -1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(f->url, sizeof f->url, "http://127.0.0.1:%u/secret/path?access_token=t0k",
		(unsigned)info->port);
	http_options o = { .connect_timeout_s = 5, .timeout_s = 30, .max_attempts = 3,
		.max_throttle_waits = 2 };
	okdf_err e = { 0 };
	if (http_client_new(&o, &f->c, &e) != OKDF_OK)
		return -1;
	pthread_mutex_lock(&seen.lock);
	seen.n = 0;
	pthread_mutex_unlock(&seen.lock);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	http_client_free(f->c);
	MHD_stop_daemon(f->d);
	free(f);
	return 0;
}

static int call(fixture *f, unsigned status, const char *label, okdf_err *e)
{
	pthread_mutex_lock(&seen.lock);
	seen.status = status;
	pthread_mutex_unlock(&seen.lock);
	http_request req = { .method = "GET", .url = f->url, .label = label };
	http_response resp;
	int rc = http_call(f->c, &req, &resp, e);
	if (rc == OKDF_OK)
		http_response_free(&resp);
	return rc;
}

static int requests(void)
{
	pthread_mutex_lock(&seen.lock);
	int n = seen.n;
	pthread_mutex_unlock(&seen.lock);
	return n;
}

static void test_throttled_is_its_own_code(void **state)
{
	fixture *f = *state;
	okdf_err e = { 0 };
	/* The first answer and two waited-out ones: then the typed give-up. */
	assert_int_equal(call(f, 429, NULL, &e), OKDF_ETHROTTLED);
	assert_int_equal(e.code, OKDF_ETHROTTLED);
	assert_int_equal(requests(), 3);
	assert_int_equal(http_throttle_waits(f->c), 2);
	assert_non_null(strstr(e.msg, "GET http://127.0.0.1:"));
	assert_null(strstr(e.msg, "t0k"));
}

static void test_other_outcomes(void **state)
{
	fixture *f = *state;
	okdf_err e = { 0 };
	assert_int_equal(call(f, 200, NULL, &e), OKDF_OK);
	assert_int_equal(requests(), 1);
	assert_int_equal(call(f, 401, NULL, &e), OKDF_EAUTH);
	assert_int_equal(requests(), 2);
	assert_int_equal(call(f, 503, NULL, &e), OKDF_ENET);
	assert_int_equal(requests(), 5); /* max_attempts */
	assert_int_equal(call(f, 404, NULL, &e), OKDF_ENET);
	assert_int_equal(requests(), 6);
	assert_non_null(strstr(e.msg, "/secret/path: HTTP 404"));
}

static void test_label_hides_the_url(void **state)
{
	fixture *f = *state;
	okdf_err e = { 0 };
	assert_int_equal(call(f, 500, "webhook", &e), OKDF_ENET);
	assert_string_equal(e.msg, "GET webhook: failed 3 times, last: HTTP 500");
	assert_null(strstr(e.msg, "secret"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_throttled_is_its_own_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_outcomes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_label_hides_the_url, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

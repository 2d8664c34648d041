/* The webhook worker against a local listener on 127.0.0.1 (port 0):
 * the Slack-compatible body, retry with backoff after a failure, expiry,
 * and the thread draining the queue on its own connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "src/store/db_private.h"
#include "okdf/core/inbox.h"
#include "okdf/store/db.h"
#include "okdf/store/inbox.h"
#include "okdf/sync/notify.h"

#define NOW 1795700000LL

static char dir[] = "/tmp/okdf-test-notify-XXXXXX";

/* What the listener saw, and the statuses it answers with in turn. */
static struct {
	pthread_mutex_t lock;
	char bodies[8][1024];
	char content_type[8][64];
	int n;
	int statuses[8];
	int nstatuses;
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct upload {
	char buf[1024];
	size_t len;
};

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *data, size_t *size, void **ctx)
{
	(void)cls;
	(void)url;
	(void)version;
	if (strcmp(method, "POST") != 0)
		return MHD_NO;
	struct upload *u = *ctx;
	if (!u) {
		*ctx = calloc(1, sizeof *u);
		return MHD_YES;
	}
	if (*size) {
		size_t take = *size < sizeof u->buf - 1 - u->len ? *size : sizeof u->buf - 1 - u->len;
		memcpy(u->buf + u->len, data, take);
		u->len += take;
		*size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&seen.lock);
	int status = seen.n < seen.nstatuses ? seen.statuses[seen.n] : 200;
	if (seen.n < 8) {
		snprintf(seen.bodies[seen.n], sizeof seen.bodies[0], "%s", u->buf);
		const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
		snprintf(seen.content_type[seen.n], sizeof seen.content_type[0], "%s", ct ? ct : "");
	}
	seen.n++;
	pthread_mutex_unlock(&seen.lock);
	struct MHD_Response *r = MHD_create_response_from_buffer(2, (void *)"ok",
		MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **ctx,
	enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	free(*ctx);
	*ctx = NULL;
}

typedef struct fixture {
	struct MHD_Daemon *d;
	char url[128];
	char path[256];
	okdf_db *db;
} fixture;

static int setup(void **state)
{
	static int seq;
	fixture *f = calloc(1, sizeof *f);
	struct sockaddr_in addr = { 0 };
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	f->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	if (!f->d)
		return -1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(f->url, sizeof f->url, "http://127.0.0.1:%u/hooks/T000", (unsigned)info->port);
	snprintf(f->path, sizeof f->path, "%s/n%d.db", dir, seq++);
	okdf_err e = { 0 };
	if (db_open(f->path, &f->db, &e) != OKDF_OK)
		return -1;
	pthread_mutex_lock(&seen.lock);
	seen.n = 0;
	seen.nstatuses = 0;
	pthread_mutex_unlock(&seen.lock);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (f->d)
		MHD_stop_daemon(f->d);
	db_close(f->db);
	free(f);
	return 0;
}

static long long raise_one(okdf_db *db, const char *severity, const char *key, long long now)
{
	inbox_new n = { "anomaly.sync_down", severity, "test", "meta has not synced", "{}", key };
	long long id;
	int raised;
	okdf_err e = { 0 };
	assert_int_equal(inbox_raise(db, &n, NULL, NULL, now, &id, &raised, &e), OKDF_OK);
	return id;
}

static int seen_count(void)
{
	pthread_mutex_lock(&seen.lock);
	int n = seen.n;
	pthread_mutex_unlock(&seen.lock);
	return n;
}

static void test_drain_posts_slack_json(void **state)
{
	fixture *f = *state;
	long long id = raise_one(f->db, "high", "k1", NOW);
	raise_one(f->db, "normal", "k2", NOW); /* normal ones are not sent */
	int sent, failed;
	okdf_err e = { 0 };
	assert_int_equal(notify_drain(f->db, f->url, NOW, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(sent, 1);
	assert_int_equal(failed, 0);
	assert_int_equal(seen_count(), 1);
	cJSON *body = cJSON_Parse(seen.bodies[0]);
	assert_non_null(body);
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(body, "text");
	assert_true(cJSON_IsString(text));
	char want[64];
	snprintf(want, sizeof want, "#%lld anomaly.sync_down", id);
	assert_non_null(strstr(text->valuestring, want));
	assert_non_null(strstr(text->valuestring, "high"));
	cJSON_Delete(body);
	assert_string_equal(seen.content_type[0], "application/json");
	/* Sent once: nothing left. */
	assert_int_equal(notify_drain(f->db, f->url, NOW + 100, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(sent, 0);
	assert_int_equal(seen_count(), 1);
}

static void test_retry_with_backoff(void **state)
{
	fixture *f = *state;
	seen.statuses[0] = 500;
	seen.statuses[1] = 503;
	seen.nstatuses = 2;
	raise_one(f->db, "critical", "k1", NOW);
	int sent, failed;
	okdf_err e = { 0 };
	assert_int_equal(notify_drain(f->db, f->url, NOW, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(failed, 1);
	/* Not due again before the backoff. */
	assert_int_equal(notify_drain(f->db, f->url, NOW + 9, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(sent + failed, 0);
	assert_int_equal(notify_drain(f->db, f->url, NOW + 10, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(failed, 1);
	assert_int_equal(notify_drain(f->db, f->url, NOW + 29, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(sent + failed, 0);
	assert_int_equal(notify_drain(f->db, f->url, NOW + 30, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(sent, 1);
	assert_int_equal(seen_count(), 3);
	/* 10 s doubling, capped at an hour: 10 20 40 ... 2560 3600. */
	static const long long want[] = { 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600 };
	for (int i = 0; i < (int)(sizeof want / sizeof want[0]); i++)
		assert_int_equal(notify_backoff(i + 1), want[i]);
	assert_int_equal(notify_backoff(20), 3600);
}

static void test_gives_up_and_expires(void **state)
{
	fixture *f = *state;
	/* Nobody listens on this port once the daemon is gone. */
	char dead[128];
	snprintf(dead, sizeof dead, "%s", f->url);
	MHD_stop_daemon(f->d);
	f->d = NULL;
	raise_one(f->db, "critical", "k1", NOW);
	int sent, failed;
	okdf_err e = { 0 };
	/* The 8 attempts, by hand: NOW, then 10, 20, 40, 80, 160, 320, 640 s
	 * after the previous one. A second earlier, nothing is retried. */
	static const long long at[] = { 0, 10, 30, 70, 150, 310, 630, 1270 };
	for (int i = 0; i < 8; i++) {
		if (i > 0) {
			assert_int_equal(notify_drain(f->db, dead, NOW + at[i] - 1, &sent, &failed, &e),
				OKDF_OK);
			assert_int_equal(sent + failed, 0);
		}
		assert_int_equal(notify_drain(f->db, dead, NOW + at[i], &sent, &failed, &e), OKDF_OK);
		assert_int_equal(failed, 1);
		/* Once per due time: an immediate second drain does nothing. */
		assert_int_equal(notify_drain(f->db, dead, NOW + at[i], &sent, &failed, &e), OKDF_OK);
		assert_int_equal(sent + failed, 0);
	}
	/* After the 8th failure it is given up: not even an hour or a day later. */
	assert_int_equal(notify_drain(f->db, dead, NOW + 1270 + 3600, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(sent + failed, 0);
	assert_int_equal(notify_drain(f->db, dead, NOW + 1270 + 86400, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(sent + failed, 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(f->db), "SELECT state, attempts, last_error"
		" FROM notify_queue", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "failed");
	assert_int_equal(sqlite3_column_int(st, 1), 8);
	assert_non_null(sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	/* A message a day old when first due is dropped, not sent late. */
	raise_one(f->db, "critical", "k2", NOW);
	assert_int_equal(notify_drain(f->db, dead, NOW + 86401, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(sent + failed, 0);
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(f->db), "SELECT state, last_error FROM notify_queue"
		" WHERE id = 2", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "failed");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "expired before delivery");
	sqlite3_finalize(st);
}

static void test_worker_thread(void **state)
{
	fixture *f = *state;
	unsetenv("OKDF_NOW");
	notify_worker *w;
	okdf_err e = { 0 };
	assert_int_equal(notify_worker_start(f->path, f->url, &w, &e), OKDF_OK);
	long long now = (long long)time(NULL);
	raise_one(f->db, "critical", "k1", now);
	notify_worker_wake(w);
	for (int i = 0; i < 100 && seen_count() < 1; i++)
		usleep(50000);
	assert_int_equal(seen_count(), 1);
	raise_one(f->db, "high", "k2", now);
	notify_worker_wake(w);
	for (int i = 0; i < 100 && seen_count() < 2; i++)
		usleep(50000);
	assert_int_equal(seen_count(), 2);
	notify_worker_stop(w);
}

/* A 429 or 503 is not waited out or repeated inside one drain: the queue's
 * backoff is the only retry. */
static void test_one_post_per_attempt(void **state)
{
	fixture *f = *state;
	seen.statuses[0] = 429;
	seen.statuses[1] = 503;
	seen.nstatuses = 2;
	raise_one(f->db, "critical", "k1", NOW);
	int sent, failed;
	okdf_err e = { 0 };
	assert_int_equal(notify_drain(f->db, f->url, NOW, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(failed, 1);
	assert_int_equal(seen_count(), 1);
	assert_int_equal(notify_drain(f->db, f->url, NOW + 10, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(failed, 1);
	assert_int_equal(seen_count(), 2);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(f->db), "SELECT last_error FROM notify_queue", -1, &st,
		NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "POST webhook: HTTP 503");
	sqlite3_finalize(st);
	/* Nobody listening: the transport error names the webhook, never its
	 * URL, whose path is the secret. */
	MHD_stop_daemon(f->d);
	f->d = NULL;
	assert_int_equal(notify_drain(f->db, f->url, NOW + 30, &sent, &failed, &e), OKDF_OK);
	assert_int_equal(failed, 1);
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(f->db), "SELECT last_error FROM notify_queue", -1, &st,
		NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *why = (const char *)sqlite3_column_text(st, 0);
	assert_non_null(why);
	assert_true(strncmp(why, "POST webhook: ", 14) == 0);
	assert_null(strstr(why, "/hooks/"));
	assert_null(strstr(why, "127.0.0.1"));
	sqlite3_finalize(st);
}

/* Stopping the worker ends a POST in flight at once (not after the 10 s
 * timeout), and the message stays due, its attempt not counted: the hook
 * never answered because we left. The listener accepts and never replies. */
static void test_stop_mid_post(void **state)
{
	fixture *f = *state;
	unsetenv("OKDF_NOW");
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(ls >= 0);
	struct sockaddr_in addr = { 0 };
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof addr;
	assert_int_equal(bind(ls, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(listen(ls, 4), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&addr, &len), 0);
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%u/hooks/T000", (unsigned)ntohs(addr.sin_port));
	notify_worker *w;
	okdf_err e = { 0 };
	assert_int_equal(notify_worker_start(f->path, url, &w, &e), OKDF_OK);
	raise_one(f->db, "critical", "k1", (long long)time(NULL));
	notify_worker_wake(w);
	struct pollfd pfd = { .fd = ls, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 30000), 1);
	int conn = accept(ls, NULL, NULL);
	assert_true(conn >= 0);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	notify_worker_stop(w);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 8);
	close(conn);
	close(ls);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_sqlite(f->db), "SELECT state, attempts FROM notify_queue", -1,
		&st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "pending");
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	sqlite3_finalize(st);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_drain_posts_slack_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_with_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gives_up_and_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_post_per_attempt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_mid_post, setup, teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return failed;
}

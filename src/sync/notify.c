#include "okdf/sync/notify.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "okdf/core/timeutil.h"
#include "okdf/net/http.h"
#include "okdf/store/db.h"
#include "okdf/store/inbox.h"
#include "okdf/store/notify_queue.h"

#define MAX_ATTEMPTS 8
#define MAX_PER_DRAIN 20
#define EXPIRE_SECONDS 86400
#define IDLE_SECONDS 5

long long notify_backoff(int attempts)
{
	long long delay = 10;
	for (int i = 1; i < attempts && delay < 3600; i++)
		delay *= 2;
	return delay < 3600 ? delay : 3600;
}

/* The queue retries with its own backoff, so net/http tries each POST once:
 * any answer but a 2xx is a failure, never waited out here. */
static http_verdict classify_once(const http_response *r, void *arg, double *wait_s,
	char *why, size_t why_n)
{
	(void)arg;
	*wait_s = 0;
	if (r->status >= 200 && r->status < 300)
		return HTTP_DONE;
	snprintf(why, why_n, "HTTP %ld", r->status);
	return HTTP_FAIL;
}

static int client_new(const atomic_int *shutdown, http_client **out, okdf_err *e)
{
	http_options o = { .connect_timeout_s = 5, .timeout_s = 10, .shutdown = shutdown,
		.max_attempts = 1 };
	return http_client_new(&o, out, e);
}

/* One POST; OKDF_OK on a 2xx answer, else the reason in err (the URL, a
 * secret, is named only as "webhook"). */
static int post(http_client *c, const char *url, const char *text, okdf_err *err)
{
	cJSON *body = cJSON_CreateObject();
	char *json = body && cJSON_AddStringToObject(body, "text", text)
		? cJSON_PrintUnformatted(body) : NULL;
	cJSON_Delete(body);
	if (!json)
		return okdf_err_set(err, OKDF_ENOMEM, "out of memory");
	static const char *const headers[] = { "Content-Type: application/json", NULL };
	http_request req = { .method = "POST", .url = url, .headers = headers, .body = json,
		.classify = classify_once, .label = "webhook" };
	http_response resp;
	int rc = http_call(c, &req, &resp, err);
	if (rc == OKDF_OK)
		http_response_free(&resp);
	free(json);
	return rc;
}

static int drain(http_client **c, const atomic_int *shutdown, okdf_db *db, const char *url,
	long long now, int *sent, int *failed, okdf_err *e)
{
	*sent = 0;
	*failed = 0;
	int rc = OKDF_OK;
	for (int i = 0; i < MAX_PER_DRAIN && !rc; i++) {
		notify_item it;
		int found;
		rc = notify_queue_next_due(db, now, &it, &found, e);
		if (rc || !found)
			break;
		if (it.attempts == 0 && it.created_at < now - EXPIRE_SECONDS) {
			rc = notify_queue_mark_retry(db, it.id, 0, now, "expired before delivery", 1, e);
			free(it.text);
			continue;
		}
		if (!*c && (rc = client_new(shutdown, c, e)) != OKDF_OK) {
			free(it.text);
			break;
		}
		okdf_err pe = { 0 };
		if (post(*c, url, it.text, &pe) == OKDF_OK) {
			rc = notify_queue_mark_sent(db, it.id, now, e);
			(*sent)++;
		} else if (shutdown && atomic_load(shutdown)) {
			free(it.text); /* cut short by us, not failed: due again next start */
			break;
		} else {
			int attempts = it.attempts + 1;
			rc = notify_queue_mark_retry(db, it.id, attempts, now + notify_backoff(attempts),
				pe.msg, attempts >= MAX_ATTEMPTS, e);
			(*failed)++;
		}
		free(it.text);
	}
	return rc;
}

int notify_drain(okdf_db *db, const char *url, long long now, int *sent, int *failed,
	okdf_err *e)
{
	http_client *c = NULL;
	int rc = drain(&c, NULL, db, url, now, sent, failed, e);
	http_client_free(c);
	return rc;
}

struct notify_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int woken;
	atomic_int stop; /* also ends a POST in flight */
	char *db_path, *url;
	http_client *http;
};

static void *worker_main(void *arg)
{
	notify_worker *w = arg;
	okdf_db *db = NULL;
	okdf_err e = { 0 };
	/* A database that will not open now may open later: keep trying. */
	pthread_mutex_lock(&w->lock);
	while (!atomic_load(&w->stop)) {
		pthread_mutex_unlock(&w->lock);
		long long now;
		if (!db && db_open(w->db_path, &db, &e))
			db = NULL;
		if (db && time_now(&now, &e) == OKDF_OK) {
			int sent, failed;
			drain(&w->http, &w->stop, db, w->url, now, &sent, &failed, &e);
		}
		pthread_mutex_lock(&w->lock);
		if (atomic_load(&w->stop))
			break;
		if (!w->woken) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += IDLE_SECONDS;
			pthread_cond_timedwait(&w->cond, &w->lock, &until);
		}
		w->woken = 0;
	}
	pthread_mutex_unlock(&w->lock);
	if (db)
		db_close(db);
	http_client_free(w->http);
	w->http = NULL;
	return NULL;
}

int notify_worker_start(const char *db_path, const char *url, notify_worker **out,
	okdf_err *e)
{
	*out = NULL;
	int rc = http_global_init(e);
	if (rc)
		return rc;
	notify_worker *w = calloc(1, sizeof *w);
	if (!w)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	w->db_path = strdup(db_path);
	w->url = strdup(url);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (!w->db_path || !w->url || pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w->db_path);
		free(w->url);
		free(w);
		return okdf_err_set(e, OKDF_EFAIL, "cannot start the notify worker");
	}
	*out = w;
	return OKDF_OK;
}

void notify_worker_wake(notify_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->woken = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void notify_worker_stop(notify_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->stop, 1);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->db_path);
	free(w->url);
	free(w);
}

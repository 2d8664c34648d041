#include "okdf/sync/notify.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/inbox.h"

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

static size_t discard(char *ptr, size_t size, size_t n, void *user)
{
	(void)ptr;
	(void)user;
	return size * n;
}

/* One POST; 0 on a 2xx answer, else -1 with a short reason in err. */
static int post(CURL *curl, const char *url, const char *text, char *err, size_t n)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "text", text);
	char *json = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (!json) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode cc = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	free(json);
	if (cc != CURLE_OK) {
		snprintf(err, n, "%s", curl_easy_strerror(cc));
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(err, n, "HTTP %ld", status);
		return -1;
	}
	return 0;
}

int notify_drain(sqlite3 *db, const char *url, long long now, int *sent, int *failed,
	okdf_err *e)
{
	*sent = 0;
	*failed = 0;
	CURL *curl = NULL;
	int rc = OKDF_OK;
	for (int i = 0; i < MAX_PER_DRAIN && !rc; i++) {
		notify_item it;
		int found;
		rc = notify_next_due(db, now, &it, &found, e);
		if (rc || !found)
			break;
		if (it.attempts == 0 && it.created_at < now - EXPIRE_SECONDS) {
			rc = notify_mark_retry(db, it.id, 0, now, "expired before delivery", 1, e);
			free(it.text);
			continue;
		}
		if (!curl && !(curl = curl_easy_init())) {
			free(it.text);
			rc = okdf_err_set(e, OKDF_ENOMEM, "cannot create a curl handle");
			break;
		}
		char err[256];
		if (post(curl, url, it.text, err, sizeof err) == 0) {
			rc = notify_mark_sent(db, it.id, now, e);
			(*sent)++;
		} else {
			int attempts = it.attempts + 1;
			rc = notify_mark_retry(db, it.id, attempts, now + notify_backoff(attempts), err,
				attempts >= MAX_ATTEMPTS, e);
			(*failed)++;
		}
		free(it.text);
	}
	if (curl)
		curl_easy_cleanup(curl);
	return rc;
}

struct notify_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop, woken;
	char *db_path, *url;
};

static void *worker_main(void *arg)
{
	notify_worker *w = arg;
	sqlite3 *db = NULL;
	okdf_err e = { 0 };
	/* A database that will not open now may open later: keep trying. */
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		pthread_mutex_unlock(&w->lock);
		long long now;
		if (!db && db_open(w->db_path, &db, &e))
			db = NULL;
		if (db && time_now(&now, &e) == OKDF_OK) {
			int sent, failed;
			notify_drain(db, w->url, now, &sent, &failed, &e);
		}
		pthread_mutex_lock(&w->lock);
		if (w->stop)
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
	return NULL;
}

int notify_worker_start(const char *db_path, const char *url, notify_worker **out,
	okdf_err *e)
{
	*out = NULL;
	curl_global_init(CURL_GLOBAL_DEFAULT);
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
	w->stop = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->db_path);
	free(w->url);
	free(w);
}

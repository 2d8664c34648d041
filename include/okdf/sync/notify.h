/* Webhook notifications: a JSON POST ({"text": ...}, Slack-compatible) per
 * new critical or high escalation. inbox_raise queues the message in the
 * store (notify_queue); this worker drains the queue on its own thread and
 * its own SQLite connection, so neither the UI nor the sync workers ever
 * wait on the webhook. A failed POST is retried with exponential backoff
 * (10 s doubling, at most 1 h apart, 8 attempts); a message older than a day
 * when first due is dropped as expired. Each POST goes once through net/http
 * (its timeouts, body cap and TLS settings); the queue alone retries. */
#ifndef OKDF_SYNC_NOTIFY_H
#define OKDF_SYNC_NOTIFY_H

#include "okdf/err.h"
#include "okdf/store/db.h"

/* Attempts each message due by now once (at most 20 per call). *sent and
 * *failed count this call's outcomes; errors are only database errors. */
int notify_drain(okdf_db *db, const char *url, long long now, int *sent, int *failed,
	okdf_err *e);

/* Seconds to wait after the attempts-th failed attempt. */
long long notify_backoff(int attempts);

typedef struct notify_worker notify_worker;

/* Starts the thread: it opens db_path itself and drains every few seconds or
 * when woken. Stop it with notify_worker_stop, which joins and frees it. */
int notify_worker_start(const char *db_path, const char *url, notify_worker **out,
	okdf_err *e);
/* Asks for a drain now (e.g. after a sync commit raised escalations). */
void notify_worker_wake(notify_worker *w);
void notify_worker_stop(notify_worker *w);

#endif

/* Webhook messages waiting to be sent: queued with an escalation, taken
 * oldest first when due, marked sent or retried later. */
#ifndef OKDF_STORE_NOTIFY_QUEUE_H
#define OKDF_STORE_NOTIFY_QUEUE_H

#include "okdf/err.h"
#include "okdf/store/db.h"

/* Queues a webhook message for escalation_id, due at now. */
int notify_queue_add(okdf_db *db, long long escalation_id, const char *text, long long now,
	okdf_err *e);

typedef struct notify_item {
	long long id, escalation_id, created_at;
	int attempts;
	char *text; /* owned */
} notify_item;

/* The oldest pending message due by now. *found is 0 when there is none;
 * otherwise the caller frees out->text. */
int notify_queue_next_due(okdf_db *db, long long now, notify_item *out, int *found, okdf_err *e);

/* Records a delivery attempt: sent, or retry at next_at, or (give_up) failed. */
int notify_queue_mark_sent(okdf_db *db, long long id, long long now, okdf_err *e);
int notify_queue_mark_retry(okdf_db *db, long long id, int attempts, long long next_at,
	const char *error, int give_up, okdf_err *e);

#endif

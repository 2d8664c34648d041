/* The sync engine: one thread per enabled connector, each with its own
 * SQLite connection and HTTP client. Workers write, then write one byte to
 * the caller's wake-up fd; they never touch the terminal. One poller per
 * database at a time, held by a lock file beside it.
 *
 * A UI that polls when it can, and otherwise follows the database:
 *
 *	int lock;
 *	sync_engine *s = NULL;
 *	if (sync_poller_lock_try(db_path, &lock, &e) == OKDF_OK) {
 *		sync_options o = { .cfg = &cfg, .db_path = db_path, .wake_fd = pipe_w,
 *			.lock_fd = lock };
 *		sync_start(&o, &s, &e);     // workers run until sync_stop(s)
 *	}                               // else: another okdf polls; read the store
 *	... poll() on pipe_r (O_NONBLOCK both ends), drain it, redraw from the
 *	    store (connector_health_list for connector states) ...
 *	sync_request_now(s);            // the operator asked for a refresh
 *	sync_stop(s);                   // on quit: finishes open transactions
 */
#ifndef OKDF_SYNC_WORKER_H
#define OKDF_SYNC_WORKER_H

#include "okdf/core/config.h"
#include "okdf/err.h"

/* How one connector pass ended, handed to on_pass. */
typedef struct sync_result {
	const char *connector;
	int rc;            /* OKDF_OK, OKDF_EAUTH, ... */
	char message[1024]; /* redacted; "" when rc is OKDF_OK */
	long long rows;    /* rows written by the pass */
	long throttle_waits;
	double seconds;
	int interrupted;   /* ended by sync_stop */
	char note[256];    /* a warning worth showing (e.g. Shopify served another API version) */
} sync_result;

typedef struct sync_options {
	const okdf_config *cfg;
	const char *db_path;
	int wake_fd;   /* written one byte after every commit; -1 = none; make it O_NONBLOCK */
	int once;      /* one pass per connector, then the threads end */
	int lock_fd;   /* a lock from sync_poller_lock_try the engine takes over; -1 = take it */
	/* Called from a worker thread after each pass; may be NULL. */
	void (*on_pass)(const sync_result *r, void *arg);
	void *arg;
} sync_options;

typedef struct sync_engine sync_engine;

/* Masks in msg, in place, every occurrence of secret and every run of 8 or
 * more of its leading characters (a message cut mid-token). */
void sync_scrub_secret(char *msg, const char *secret);

/* msg with every secret of conf scrubbed (token, client secret, app
 * secret), then sanitized onto one line, into out: what the operator sees
 * and what connector_health stores. */
void sync_clean_message(const char *msg, const okdf_connector_config *conf, char *out,
	size_t n);

/* Takes the poller lock on <db_path>.sync.lock. OKDF_OK with *fd held, or
 * OKDF_EFAIL naming the process that holds it. */
int sync_poller_lock_try(const char *db_path, int *fd, okdf_err *e);
void sync_poller_lock_release(int fd);

/* Whether a poller holds the lock on <db_path>.sync.lock: 1 with *pid its
 * process id (0 when unreadable), 0 when free or never taken, or a negative
 * status. Never creates the file. */
int sync_poller_lock_holder(const char *db_path, long *pid, okdf_err *e);

/* Names of the connectors config enables, in start order; returns the count. */
int sync_enabled_connectors(const okdf_config *cfg, const char *names[4]);

/* Starts a worker per enabled connector. OKDF_EFAIL when none is enabled
 * or another poller holds the database. */
int sync_start(const sync_options *o, sync_engine **out, okdf_err *e);

/* Wakes every worker for a pass now (also retries an unauthorised one). */
void sync_request_now(sync_engine *s);

/* True when every worker has ended (after its one pass with once). */
int sync_finished(sync_engine *s);

/* Asks workers to stop (an open transaction is finished first), joins them,
 * releases the lock and frees s. Returns the first failing pass's status
 * in once mode, else OKDF_OK. */
int sync_stop(sync_engine *s);

#endif

#include "okdf/sync/worker.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "okdf/core/rules.h"
#include "okdf/core/text.h"
#include "okdf/core/timeutil.h"
#include "okdf/net/http.h"
#include "okdf/store/db.h"
#include "okdf/store/sync_state.h"
#include "okdf/sync/actions.h"
#include "okdf/sync/connector.h"
#include "okdf/sync/klaviyo.h"
#include "okdf/sync/meta.h"
#include "okdf/sync/notify.h"
#include "okdf/sync/relevance.h"
#include "okdf/sync/shopify.h"

struct connector_def {
	const char *name;
	size_t conf_offset;
	int (*sync)(sync_ctx *c, okdf_err *e);
	void (*free_state)(sync_ctx *c);
};

static const struct connector_def defs[] = {
	{ "shopify", offsetof(okdf_config, shopify), shopify_sync, shopify_free },
	{ "klaviyo", offsetof(okdf_config, klaviyo), klaviyo_sync, klaviyo_free },
	{ "meta", offsetof(okdf_config, meta), meta_sync, meta_free },
	{ "relevance", offsetof(okdf_config, relevance), relevance_sync, relevance_free },
};
#define N_DEFS (sizeof defs / sizeof defs[0])

struct worker {
	struct sync_engine *engine;
	const struct connector_def *def;
	pthread_t thread;
	int started, done;
	int first_rc;
	char first_msg[1024];
};

struct sync_engine {
	okdf_config cfg;
	char db_path[4096];
	sync_options o;
	int lock_fd;
	atomic_int shutdown;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned long long generation; /* bumped by sync_request_now */
	atomic_int passing;            /* workers inside a pass */
	_Atomic long long rules_at;    /* http_monotonic() second of the last rules pass */
	struct worker workers[N_DEFS];
	int n_workers;
	notify_worker *notify; /* NULL without [notify] webhook_url */
};

int sync_poller_lock_try(const char *db_path, int *fd, okdf_err *e)
{
	char path[4200];
	snprintf(path, sizeof path, "%s.sync.lock", db_path);
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0)
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(errno));
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;
		char pid[32] = "";
		ssize_t r = pread(f, pid, sizeof pid - 1, 0);
		close(f);
		if (r > 0) {
			pid[r] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
		}
		if (err == EWOULDBLOCK)
			return okdf_err_set(e, OKDF_EFAIL,
				"another okdf (pid %s) is already syncing %s; one poller per database",
				pid[0] ? pid : "?", db_path);
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(err));
	}
	char pid[32];
	int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)len, 0) != len) {
		/* The pid is only for the message; the lock itself holds. */
	}
	*fd = f;
	return OKDF_OK;
}

void sync_poller_lock_release(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}

int sync_poller_lock_holder(const char *db_path, long *pid, okdf_err *e)
{
	char path[4200];
	snprintf(path, sizeof path, "%s.sync.lock", db_path);
	*pid = 0;
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0) {
		if (errno == ENOENT)
			return 0;
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(errno));
	}
	/* A shared lock is refused only while a poller holds its exclusive one;
	 * when granted it is dropped at once. */
	int held = flock(f, LOCK_SH | LOCK_NB) != 0;
	int err = errno;
	if (held && err != EWOULDBLOCK) {
		close(f);
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(err));
	}
	if (held) {
		char buf[32] = "";
		ssize_t r = pread(f, buf, sizeof buf - 1, 0);
		if (r > 0) {
			buf[r] = '\0';
			*pid = strtol(buf, NULL, 10);
		}
	}
	close(f);
	return held;
}

static const okdf_connector_config *conf_of(const okdf_config *cfg, const struct connector_def *d)
{
	return (const okdf_connector_config *)((const char *)cfg + d->conf_offset);
}

int sync_enabled_connectors(const okdf_config *cfg, const char *names[4])
{
	int n = 0;
	for (size_t i = 0; i < N_DEFS; i++)
		if (conf_of(cfg, &defs[i])->enabled)
			names[n++] = defs[i].name;
	return n;
}

void sync_scrub_secret(char *msg, const char *secret)
{
	size_t sl = strlen(secret);
	if (sl < 4)
		return;
	/* A reason cut to its limit mid-token leaves a prefix of the secret:
	 * mask any run of 8 or more of its leading characters too. */
	size_t min = sl < 8 ? sl : 8;
	for (char *p = msg; *p; p++) {
		size_t k = 0;
		while (k < sl && p[k] == secret[k])
			k++;
		if (k >= min) {
			memset(p, '*', k);
			p += k - 1;
		}
	}
}

void sync_clean_message(const char *msg, const okdf_connector_config *conf, char *out,
	size_t n)
{
	char raw[sizeof ((okdf_err *)0)->msg];
	snprintf(raw, sizeof raw, "%s", msg);
	sync_scrub_secret(raw, conf->secret);
	sync_scrub_secret(raw, conf->client_secret);
	sync_scrub_secret(raw, conf->app_secret);
	text_sanitize(raw, out, n, 0);
}

static long long now_or_clock(void)
{
	long long t;
	okdf_err ignore;
	if (time_now(&t, &ignore) != OKDF_OK)
		t = (long long)time(NULL);
	return t;
}

static void previous_state(okdf_db *db, const char *name, char *buf, size_t n)
{
	store_health *h;
	int cnt;
	okdf_err ignore;
	snprintf(buf, n, "%s", HEALTH_OK);
	if (connector_health_list(db, &h, &cnt, &ignore) != OKDF_OK)
		return;
	for (int i = 0; i < cnt; i++)
		if (strcmp(h[i].connector, name) == 0 && strcmp(h[i].state, HEALTH_SYNCING) != 0)
			snprintf(buf, n, "%s", h[i].state);
	free(h);
}

/* One pass, with health written before and after. */
static void run_pass(struct worker *w, sync_ctx *ctx, sync_result *res)
{
	struct sync_engine *s = w->engine;
	okdf_err e = { 0 };
	memset(res, 0, sizeof *res);
	res->connector = w->def->name;
	int interval = s->cfg.sync_interval_seconds;
	char before[16];
	previous_state(ctx->db, w->def->name, before, sizeof before);
	ctx->now = now_or_clock();
	ctx->rows = 0;
	ctx->note[0] = '\0';
	ctx->pass_quarantined = 0;
	okdf_err he;
	if (quarantine_count(ctx->db, w->def->name, &ctx->quarantined, &he) != OKDF_OK)
		ctx->quarantined = 1; /* unknown: let written records clear theirs */
	atomic_fetch_add(&s->passing, 1);
	if (connector_health_state(ctx->db, w->def->name, HEALTH_SYNCING, interval, ctx->now, &he) ==
		OKDF_OK)
		sync_ctx_committed(ctx);
	long waits0 = http_throttle_waits(ctx->http);
	double waited0 = http_waited_seconds(ctx->http);
	double t0 = http_monotonic();
	/* Operator decisions for this vendor go out before the pass reads it back. */
	int done = 0;
	int rc = actions_run(ctx, &done, &e);
	if (done)
		sync_ctx_committed(ctx);
	if (rc == OKDF_OK)
		rc = w->def->sync(ctx, &e);
	res->seconds = http_monotonic() - t0;
	res->rc = rc;
	res->rows = ctx->rows;
	res->throttle_waits = http_throttle_waits(ctx->http) - waits0;
	if (ctx->pass_quarantined && !ctx->note[0])
		snprintf(ctx->note, sizeof ctx->note,
			"%lld records could not be read and were quarantined (okdf health)",
			ctx->pass_quarantined);
	sync_clean_message(ctx->note, ctx->conf, res->note, sizeof res->note);
	long long now = now_or_clock();
	if (rc == OKDF_OK) {
		connector_health_success(ctx->db, w->def->name, ctx->rows, res->throttle_waits, res->note,
			now, &he);
	} else if (atomic_load(&s->shutdown)) {
		res->interrupted = 1;
		connector_health_state(ctx->db, w->def->name, before, interval, now, &he);
	} else {
		sync_clean_message(e.msg, ctx->conf, res->message, sizeof res->message);
		const char *state = rc == OKDF_EAUTH ? HEALTH_UNAUTHORISED
			: rc == OKDF_ETHROTTLED ? HEALTH_THROTTLED : HEALTH_FAILING;
		connector_health_failure(ctx->db, w->def->name, state, res->message, res->throttle_waits,
			now, &he);
	}
	connector_health_pass(ctx->db, w->def->name, res->throttle_waits,
		(long long)(http_waited_seconds(ctx->http) - waited0), &he);
	/* An interrupted pass learnt too little to clear a standing warning. */
	if (!res->interrupted)
		connector_health_warning(ctx->db, w->def->name, res->note, &he);
	sync_ctx_committed(ctx);
	/* Rules run once per round, failed passes too (a connector down is itself
	 * a rule): by the last worker to end its pass, or when another's long
	 * pass has kept them from running for an interval. */
	int last = atomic_fetch_sub(&s->passing, 1) == 1;
	long long mono = (long long)http_monotonic();
	if (res->interrupted || (!last && mono - atomic_load(&s->rules_at) < interval))
		return;
	atomic_store(&s->rules_at, mono);
	int raised = 0;
	okdf_err re = { 0 };
	if (rules_evaluate(ctx->db, &s->cfg.rules, now, &raised, &re) != OKDF_OK)
		snprintf(res->note, sizeof res->note, "escalation rules: %.200s", re.msg);
	else if (raised) {
		sync_ctx_committed(ctx);
		if (s->notify)
			notify_worker_wake(s->notify);
	}
}

/* Waits for the next pass: the interval, sync_request_now or shutdown.
 * forever: only a request or shutdown ends the wait. */
static void wait_next(struct sync_engine *s, unsigned long long *seen, int forever)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += s->cfg.sync_interval_seconds;
	pthread_mutex_lock(&s->mu);
	while (!atomic_load(&s->shutdown) && s->generation == *seen) {
		if (forever)
			pthread_cond_wait(&s->cv, &s->mu);
		else if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
			break;
	}
	*seen = s->generation;
	pthread_mutex_unlock(&s->mu);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct sync_engine *s = w->engine;
	sync_ctx ctx = {
		.name = w->def->name,
		.conf = conf_of(&s->cfg, w->def),
		.wake_fd = s->o.wake_fd,
	};
	okdf_err e = { 0 };
	http_options ho = {
		.connect_timeout_s = s->cfg.http_connect_timeout,
		.timeout_s = s->cfg.http_timeout,
		.shutdown = &s->shutdown,
		.max_wait_s = s->cfg.sync_max_wait_seconds,
		.max_body = (size_t)s->cfg.http_max_body_mb << 20,
	};
	int rc = db_open(s->db_path, &ctx.db, &e);
	if (!rc)
		rc = db_tune_for_sync(ctx.db, &e);
	if (!rc)
		rc = http_client_new(&ho, &ctx.http, &e);
	if (rc) {
		sync_result res = { .connector = w->def->name, .rc = rc };
		snprintf(res.message, sizeof res.message, "%s", e.msg);
		w->first_rc = rc;
		snprintf(w->first_msg, sizeof w->first_msg, "%s", e.msg);
		if (s->o.on_pass)
			s->o.on_pass(&res, s->o.arg);
		goto out;
	}
	unsigned long long seen;
	pthread_mutex_lock(&s->mu);
	seen = s->generation;
	pthread_mutex_unlock(&s->mu);
	while (!atomic_load(&s->shutdown)) {
		sync_result res;
		run_pass(w, &ctx, &res);
		if (res.rc && !res.interrupted && !w->first_rc) {
			w->first_rc = res.rc;
			snprintf(w->first_msg, sizeof w->first_msg, "%s", res.message);
		}
		if (s->o.on_pass)
			s->o.on_pass(&res, s->o.arg);
		if (s->o.once)
			break;
		/* Rejected credentials stay rejected: wait for a request, not a timer. */
		wait_next(s, &seen, res.rc == OKDF_EAUTH);
	}
out:
	if (w->def->free_state)
		w->def->free_state(&ctx);
	http_client_free(ctx.http);
	db_close(ctx.db);
	pthread_mutex_lock(&s->mu);
	w->done = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int sync_start(const sync_options *o, sync_engine **out, okdf_err *e)
{
	const char *names[4];
	if (sync_enabled_connectors(o->cfg, names) == 0) {
		sync_poller_lock_release(o->lock_fd);
		return okdf_err_set(e, OKDF_EFAIL,
			"no connector is enabled: add a [shopify], [klaviyo], [meta] or [relevance] "
			"section to %s", o->cfg->path[0] ? o->cfg->path : "config.ini");
	}
	int rc = http_global_init(e);
	struct sync_engine *s = rc ? NULL : calloc(1, sizeof *s);
	if (!s) {
		sync_poller_lock_release(o->lock_fd);
		return rc ? rc : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	s->cfg = *o->cfg;
	snprintf(s->db_path, sizeof s->db_path, "%s", o->db_path);
	s->o = *o;
	s->o.cfg = &s->cfg;
	s->o.db_path = s->db_path;
	s->lock_fd = o->lock_fd;
	if (s->lock_fd < 0) {
		rc = sync_poller_lock_try(s->db_path, &s->lock_fd, e);
		if (rc) {
			free(s);
			return rc;
		}
	}
	/* Migrate once here, so workers do not race to create the schema. */
	okdf_db *db;
	rc = db_open(s->db_path, &db, e);
	if (rc) {
		sync_poller_lock_release(s->lock_fd);
		free(s);
		return rc;
	}
	db_close(db);
	if (s->cfg.notify_webhook_url[0]) {
		rc = notify_worker_start(s->db_path, s->cfg.notify_webhook_url, &s->notify, e);
		if (rc) {
			sync_poller_lock_release(s->lock_fd);
			free(s);
			return rc;
		}
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	for (size_t i = 0; i < N_DEFS; i++) {
		if (!conf_of(&s->cfg, &defs[i])->enabled)
			continue;
		struct worker *w = &s->workers[s->n_workers++];
		w->engine = s;
		w->def = &defs[i];
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			s->n_workers--;
			sync_stop(s);
			return okdf_err_set(e, OKDF_EFAIL, "cannot start the %s worker", defs[i].name);
		}
		w->started = 1;
	}
	*out = s;
	return OKDF_OK;
}

void sync_request_now(sync_engine *s)
{
	pthread_mutex_lock(&s->mu);
	s->generation++;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

int sync_finished(sync_engine *s)
{
	pthread_mutex_lock(&s->mu);
	int all = 1;
	for (int i = 0; i < s->n_workers; i++)
		all &= s->workers[i].done;
	pthread_mutex_unlock(&s->mu);
	return all;
}

int sync_stop(sync_engine *s)
{
	if (!s)
		return OKDF_OK;
	pthread_mutex_lock(&s->mu);
	atomic_store(&s->shutdown, 1);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	int rc = OKDF_OK;
	for (int i = 0; i < s->n_workers; i++) {
		if (s->workers[i].started)
			pthread_join(s->workers[i].thread, NULL);
		/* A failed pass is a failed run (exit 1), whatever its cause; bad
		 * data from a server is not a usage error. */
		if (!rc && s->workers[i].first_rc)
			rc = OKDF_EFAIL;
	}
	notify_worker_stop(s->notify);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	sync_poller_lock_release(s->lock_fd);
	int once = s->o.once;
	free(s);
	return once ? rc : OKDF_OK;
}

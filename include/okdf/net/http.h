/* HTTP over libcurl: one client (one easy handle) per worker thread, bounded
 * retries with vendor-specific verdicts, waits that end early on shutdown. */
#ifndef OKDF_NET_HTTP_H
#define OKDF_NET_HTTP_H

#include <stdatomic.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "okdf/err.h"

typedef struct http_header {
	char *name, *value;
} http_header;

typedef struct http_response {
	long status;
	char *body;   /* the raw body, only when the call did not ask for JSON */
	size_t len;
	http_header *headers;
	size_t n_headers;
	cJSON *json; /* the parsed body when the call asked for JSON, else NULL */
} http_response;

/* What a vendor makes of one answer. */
typedef enum http_verdict {
	HTTP_DONE,      /* use this answer */
	HTTP_RETRY,     /* transient failure: wait (wait_s, or backoff when < 0), try again */
	HTTP_THROTTLED, /* rate limited: wait wait_s (backoff when < 0), try again */
	HTTP_AUTH,      /* credentials rejected: stop, do not retry */
	HTTP_FAIL,      /* permanent error */
} http_verdict;

/* Classifies r (r->json parsed when want_json). Sets *wait_s for RETRY and
 * THROTTLED (-1 = backoff) and a short reason (no secrets) in why. */
typedef http_verdict (*http_classify_fn)(const http_response *r, void *arg, double *wait_s,
	char *why, size_t why_n);

typedef struct http_request {
	const char *method;           /* "GET" or "POST" */
	const char *url;              /* may hold a secret: never logged unredacted */
	const char *const *headers;   /* "Name: value" lines, NULL-terminated, or NULL */
	const char *body;             /* POST body or NULL */
	int want_json;                /* a body that does not parse is retried like a 5xx */
	http_classify_fn classify;    /* NULL: 2xx done, 401/403 auth, 429/5xx retry */
	void *classify_arg;
	const char *label;            /* named in messages instead of the path, for a URL
	                               * that is itself a secret (a webhook); may be NULL */
} http_request;

typedef struct http_options {
	long connect_timeout_s;
	long timeout_s;
	const atomic_int *shutdown;   /* nonzero ends waits and transfers early; may be NULL */
	int max_attempts;             /* transient failures per call (0: 8) */
	int max_throttle_waits;       /* throttled answers per call (0: 60) */
	double backoff_base_s;        /* first backoff ceiling (0: 1 s) */
	double backoff_cap_s;         /* backoff ceiling cap (0: 60 s) */
	double max_wait_s;            /* the longest any one wait lasts (0: 900 s) */
	size_t max_body;              /* the largest body, decoded, in bytes (0: 64 MB) */
} http_options;

typedef struct http_client http_client;

/* curl_global_init, once per process; safe from any thread. */
int http_global_init(okdf_err *e);

int http_client_new(const http_options *o, http_client **out, okdf_err *e);
void http_client_free(http_client *c);

/* Performs req with retries. OKDF_OK with *resp filled (caller frees it);
 * OKDF_EAUTH when credentials are rejected; OKDF_ETHROTTLED when still rate
 * limited after max_throttle_waits; OKDF_ENET otherwise, also when shutdown
 * was requested. */
int http_call(http_client *c, const http_request *req, http_response *resp, okdf_err *e);

void http_response_free(http_response *r);

/* Case-insensitive response header lookup; NULL when absent. */
const char *http_header_get(const http_response *r, const char *name);

/* Retry-After as seconds (integer or decimal); -1 when absent or not a number. */
double http_retry_after(const http_response *r);

/* The server's clock: the Date header (RFC 9110 IMF-fixdate) as epoch
 * seconds. OKDF_OK, or OKDF_ENOTFOUND when absent or unreadable. */
int http_date(const http_response *r, long long *epoch);

/* Sleeps up to seconds, never longer than max_wait_s (NaN and negative
 * are 0), waking early on shutdown. Returns 0, or -1 on shutdown. */
int http_sleep(http_client *c, double seconds);

/* Throttled answers waited out since the client was made. */
long http_throttle_waits(const http_client *c);

/* Seconds slept in http_sleep since the client was made. */
double http_waited_seconds(const http_client *c);

/* Copies url into buf with the value of any access_token parameter replaced. */
void http_redact_url(const char *url, char *buf, size_t n);

/* A URL-escaped copy of s (caller frees with free()); NULL on failure. */
char *http_escape(http_client *c, const char *s);

/* Monotonic seconds. */
double http_monotonic(void);

/* Streams the body of GET url into path (written as path.part, synced,
 * then renamed), sending no header beyond curl's own: for signed storage URLs
 * that must see no credential. No overall timeout, but a stall of timeout_s
 * fails; transport errors and 5xx are retried from the start like http_call.
 * OKDF_OK with *bytes; OKDF_ENOTFOUND when the server refuses the URL (4xx:
 * expired or revoked), *status telling which; OKDF_EFAIL on a local file
 * error; OKDF_ENET otherwise. */
int http_download(http_client *c, const char *url, const char *path, long long *bytes,
	long *status, okdf_err *e);

#endif

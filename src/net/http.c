#include "okdf/net/http.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "okdf_build.h"

struct http_client {
	CURL *curl;
	http_options o;
	long throttle_waits;
	double waited_s;
	unsigned long long rng;
	/* Answer bodies land here, reused call after call: a fresh buffer per
	 * answer made the allocator consolidate its free lists on every page. */
	char *buf;
	size_t cap;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_OK;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_ALL);
}

int http_global_init(okdf_err *e)
{
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return okdf_err_set(e, OKDF_ENET, "curl_global_init: %s", curl_easy_strerror(global_rc));
	return OKDF_OK;
}

double http_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int shutting_down(const http_client *c)
{
	return c->o.shutdown && atomic_load(c->o.shutdown);
}

long http_throttle_waits(const http_client *c)
{
	return c->throttle_waits;
}

double http_waited_seconds(const http_client *c)
{
	return c->waited_s;
}

int http_sleep(http_client *c, double seconds)
{
	/* Every wait okdf makes passes here, whatever a server asked for:
	 * NaN, negative, infinite and huge values end within max_wait_s. */
	if (!(seconds > 0))
		seconds = 0;
	if (seconds > c->o.max_wait_s)
		seconds = c->o.max_wait_s;
	c->waited_s += seconds;
	double end = http_monotonic() + seconds;
	for (;;) {
		if (shutting_down(c))
			return -1;
		double left = end - http_monotonic();
		if (left <= 0)
			return 0;
		/* Short slices keep SIGTERM prompt without a second wake-up fd. */
		double slice = left < 0.05 ? left : 0.05;
		struct timespec ts = { (time_t)slice, (long)((slice - (double)(time_t)slice) * 1e9) };
		nanosleep(&ts, NULL);
	}
}

/* xorshift64*: jitter only, seeded from getrandom. */
static double rand_unit(http_client *c)
{
	unsigned long long x = c->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return (double)((x * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg);
static size_t on_header(char *data, size_t size, size_t nmemb, void *arg);

static int xferinfo(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)dt, (void)dn, (void)ut, (void)un;
	return shutting_down(arg) ? 1 : 0;
}

int http_client_new(const http_options *o, http_client **out, okdf_err *e)
{
	int rc = http_global_init(e);
	if (rc)
		return rc;
	http_client *c = calloc(1, sizeof *c);
	if (!c)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	c->o = *o;
	if (c->o.max_attempts <= 0)
		c->o.max_attempts = 8;
	if (c->o.max_throttle_waits <= 0)
		c->o.max_throttle_waits = 60;
	if (c->o.backoff_base_s <= 0)
		c->o.backoff_base_s = 1;
	if (c->o.backoff_cap_s <= 0)
		c->o.backoff_cap_s = 60;
	if (!(c->o.max_wait_s > 0))
		c->o.max_wait_s = 900;
	if (c->o.max_body == 0)
		c->o.max_body = (size_t)64 << 20;
	if (getrandom(&c->rng, sizeof c->rng, 0) != (ssize_t)sizeof c->rng || c->rng == 0)
		c->rng = (unsigned long long)time(NULL) * 2654435761ULL | 1;
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return okdf_err_set(e, OKDF_ENET, "curl_easy_init failed");
	}
	/* Set once: the handle is never reset, so curl keeps its buffers and
	 * connections from one request to the next. */
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_USERAGENT, "okdf/" OKDF_VERSION);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->o.connect_timeout_s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->o.timeout_s);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, xferinfo);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	*out = c;
	return OKDF_OK;
}

void http_client_free(http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free(c->buf);
	free(c);
}

void http_response_free(http_response *r)
{
	if (!r)
		return;
	free(r->body);
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	cJSON_Delete(r->json);
	memset(r, 0, sizeof *r);
}

const char *http_header_get(const http_response *r, const char *name)
{
	/* The last one wins: after redirects or 100-continue the final answer's headers come last. */
	for (size_t i = r->n_headers; i-- > 0;)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

double http_retry_after(const http_response *r)
{
	const char *v = http_header_get(r, "Retry-After");
	if (!v)
		return -1;
	char *end;
	double s = strtod(v, &end);
	if (end == v || *end != '\0' || !isfinite(s) || s < 0)
		return -1;
	return s;
}

int http_date(const http_response *r, long long *epoch)
{
	/* "Sun, 06 Nov 1994 08:49:37 GMT", read by hand: strptime follows the
	 * locale a UI may have set. */
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *v = http_header_get(r, "Date");
	char mon[4];
	int d, y, hh, mm, ss, used = 0;
	if (!v || sscanf(v, "%*3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", &d, mon, &y, &hh,
			&mm, &ss, &used) != 6 || used == 0 || v[used] != '\0')
		return OKDF_ENOTFOUND;
	const char *m = strstr(months, mon);
	if (!m || (m - months) % 3 != 0 || strlen(mon) != 3)
		return OKDF_ENOTFOUND;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = (int)(m - months) / 3, .tm_mday = d,
		.tm_hour = hh, .tm_min = mm, .tm_sec = ss };
	*epoch = (long long)timegm(&tm);
	return OKDF_OK;
}

void http_redact_url(const char *url, char *buf, size_t n)
{
	if (n == 0)
		return;
	size_t w = 0;
	const char *p = url;
	while (*p && w + 1 < n) {
		int at_param = p != url && (p[-1] == '?' || p[-1] == '&');
		if (at_param && strncmp(p, "access_token=", 13) == 0) {
			const char *mask = "access_token=REDACTED";
			for (const char *m = mask; *m && w + 1 < n; m++)
				buf[w++] = *m;
			p += 13;
			while (*p && *p != '&' && *p != '#')
				p++;
			continue;
		}
		buf[w++] = *p++;
	}
	buf[w] = '\0';
}

char *http_escape(http_client *c, const char *s)
{
	char *esc = curl_easy_escape(c->curl, s, 0);
	if (!esc)
		return NULL;
	char *copy = strdup(esc);
	curl_free(esc);
	return copy;
}

struct sink {
	http_client *c;
	http_response *r;
	size_t len; /* bytes of the body in c->buf */
	int oom;
	int too_big;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;
	http_client *c = s->c;
	/* curl hands over decoded bytes as it inflates: a compression bomb
	 * stops here, at the cap, not after it has been unpacked whole. */
	if (n > c->o.max_body - s->len) {
		s->too_big = 1;
		return 0;
	}
	if (s->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 65536;
		while (cap < s->len + n + 1)
			cap *= 2;
		char *b = realloc(c->buf, cap);
		if (!b) {
			s->oom = 1;
			return 0;
		}
		c->buf = b;
		c->cap = cap;
	}
	memcpy(c->buf + s->len, data, n);
	s->len += n;
	c->buf[s->len] = '\0';
	return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;
	const char *colon = memchr(data, ':', n);
	if (!colon)
		return n; /* status line or the blank end of headers */
	size_t nl = (size_t)(colon - data);
	const char *v = colon + 1, *end = data + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	http_response *r = s->r;
	http_header *h = realloc(r->headers, (r->n_headers + 1) * sizeof *h);
	if (!h) {
		s->oom = 1;
		return 0;
	}
	r->headers = h;
	h[r->n_headers].name = strndup(data, nl);
	h[r->n_headers].value = strndup(v, (size_t)(end - v));
	if (!h[r->n_headers].name || !h[r->n_headers].value) {
		free(h[r->n_headers].name);
		free(h[r->n_headers].value);
		s->oom = 1;
		return 0;
	}
	r->n_headers++;
	return n;
}

/* One attempt. Returns OKDF_OK with r filled (the body parsed into r->json
 * when want_json, else copied into r->body), or OKDF_ENET (transport) with
 * why set. */
static int perform(http_client *c, const http_request *req, http_response *r, char *why,
	size_t why_n)
{
	CURL *h = c->curl;
	struct sink s = { .c = c, .r = r };
	struct curl_slist *hl = NULL;
	for (const char *const *p = req->headers; p && *p; p++) {
		struct curl_slist *t = curl_slist_append(hl, *p);
		if (!t) {
			curl_slist_free_all(hl);
			snprintf(why, why_n, "out of memory");
			return OKDF_ENOMEM;
		}
		hl = t;
	}
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
	if (strcmp(req->method, "POST") == 0)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
	else
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	CURLcode cc = curl_easy_perform(h);
	/* Nothing the handle holds may point at this call's memory afterwards. */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, NULL);
	curl_slist_free_all(hl);
	if (s.oom) {
		snprintf(why, why_n, "out of memory");
		return OKDF_ENOMEM;
	}
	if (s.too_big) {
		snprintf(why, why_n, "the answer is larger than %zu MB decoded ([sync] max_body_mb)",
			c->o.max_body >> 20);
		return OKDF_EFAIL;
	}
	if (cc != CURLE_OK) {
		/* curl's own messages name host and reason, never the query string. */
		snprintf(why, why_n, "%s", curl_easy_strerror(cc));
		return OKDF_ENET;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (req->want_json) {
		/* 5xx bodies too: Meta's code 1 ("reduce the amount of data") is a 500. */
		if (s.len > 0)
			r->json = cJSON_ParseWithLength(c->buf, s.len);
		return OKDF_OK;
	}
	r->body = strndup(s.len ? c->buf : "", s.len);
	r->len = s.len;
	if (!r->body) {
		snprintf(why, why_n, "out of memory");
		return OKDF_ENOMEM;
	}
	return OKDF_OK;
}

static http_verdict default_classify(const http_response *r, void *arg, double *wait_s,
	char *why, size_t why_n)
{
	(void)arg;
	*wait_s = http_retry_after(r);
	if (r->status >= 200 && r->status < 300)
		return HTTP_DONE;
	snprintf(why, why_n, "HTTP %ld", r->status);
	if (r->status == 401 || r->status == 403)
		return HTTP_AUTH;
	if (r->status == 429)
		return HTTP_THROTTLED;
	if (r->status >= 500)
		return HTTP_RETRY;
	return HTTP_FAIL;
}

static double backoff(http_client *c, int attempt)
{
	double ceiling = c->o.backoff_base_s * pow(2, attempt);
	if (ceiling > c->o.backoff_cap_s)
		ceiling = c->o.backoff_cap_s;
	return ceiling * rand_unit(c); /* full jitter */
}

int http_call(http_client *c, const http_request *req, http_response *resp, okdf_err *e)
{
	char where[512];
	http_redact_url(req->url, where, sizeof where);
	char *q = strchr(where, '?');
	if (q)
		*q = '\0'; /* paths are enough in messages; queries can be long */
	if (req->label)
		snprintf(where, sizeof where, "%s", req->label);
	http_classify_fn classify = req->classify ? req->classify : default_classify;
	int failures = 0, throttles = 0;
	char why[256] = "";
	memset(resp, 0, sizeof *resp);
	for (;;) {
		if (shutting_down(c))
			return okdf_err_set(e, OKDF_ENET, "%s %s: interrupted by shutdown", req->method,
				where);
		http_response r = { 0 };
		double wait_s = -1;
		http_verdict v;
		int rc = perform(c, req, &r, why, sizeof why);
		if (rc == OKDF_ENOMEM) {
			http_response_free(&r);
			return okdf_err_set(e, OKDF_ENOMEM, "%s %s: out of memory", req->method, where);
		}
		if (rc == OKDF_EFAIL) {
			http_response_free(&r);
			return okdf_err_set(e, OKDF_ENET, "%s %s: %s", req->method, where, why);
		}
		if (rc) {
			v = HTTP_RETRY;
		} else {
			if (req->want_json && !r.json && r.status < 400) {
				v = HTTP_RETRY; /* truncated or garbled body: transient, like a 5xx */
				snprintf(why, sizeof why, "HTTP %ld with a body that is not JSON", r.status);
			} else {
				why[0] = '\0';
				v = classify(&r, req->classify_arg, &wait_s, why, sizeof why);
			}
		}
		switch (v) {
		case HTTP_DONE:
			*resp = r;
			return OKDF_OK;
		case HTTP_AUTH:
			http_response_free(&r);
			return okdf_err_set(e, OKDF_EAUTH, "%s %s: credentials rejected (%s)",
				req->method, where, why);
		case HTTP_FAIL:
			http_response_free(&r);
			return okdf_err_set(e, OKDF_ENET, "%s %s: %s", req->method, where, why);
		case HTTP_THROTTLED:
			http_response_free(&r);
			if (++throttles > c->o.max_throttle_waits)
				return okdf_err_set(e, OKDF_ETHROTTLED,
					"%s %s: still throttled after %d waits (%s)", req->method, where,
					throttles - 1, why);
			c->throttle_waits++;
			if (wait_s < 0)
				wait_s = backoff(c, throttles - 1);
			break;
		case HTTP_RETRY:
			http_response_free(&r);
			if (++failures >= c->o.max_attempts)
				return failures == 1
					? okdf_err_set(e, OKDF_ENET, "%s %s: %s", req->method, where, why)
					: okdf_err_set(e, OKDF_ENET, "%s %s: failed %d times, last: %s",
						req->method, where, failures, why);
			if (wait_s < 0)
				wait_s = backoff(c, failures - 1);
			break;
		}
		if (http_sleep(c, wait_s))
			return okdf_err_set(e, OKDF_ENET, "%s %s: interrupted by shutdown", req->method,
				where);
	}
}

struct file_sink {
	FILE *f;
	long long bytes;
	int failed;
};

static size_t on_file_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct file_sink *s = arg;
	size_t n = size * nmemb;
	if (fwrite(data, 1, n, s->f) != n) {
		s->failed = 1;
		return 0;
	}
	s->bytes += (long long)n;
	return n;
}

static size_t on_ignored_header(char *data, size_t size, size_t nmemb, void *arg)
{
	(void)data, (void)arg;
	return size * nmemb;
}

/* One attempt into a truncated path.part. */
static int download_once(http_client *c, const char *url, const char *part, long *status,
	long long *bytes, char *why, size_t why_n)
{
	/* Store data: as private as the database itself. */
	int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f && fd >= 0)
		close(fd);
	if (!f) {
		snprintf(why, why_n, "%.160s: %s", part, strerror(errno));
		return OKDF_EFAIL;
	}
	struct file_sink s = { .f = f };
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_file_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_ignored_header);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, c->o.timeout_s);
	CURLcode cc = curl_easy_perform(h);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->o.timeout_s);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 0L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 0L);
	*status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	*bytes = s.bytes;
	int synced = fflush(f) == 0 && fsync(fileno(f)) == 0;
	if (fclose(f) != 0 || s.failed || !synced) {
		snprintf(why, why_n, "%.160s: write failed", part);
		return OKDF_EFAIL;
	}
	if (cc != CURLE_OK) {
		snprintf(why, why_n, "%s", curl_easy_strerror(cc));
		return OKDF_ENET;
	}
	return OKDF_OK;
}

int http_download(http_client *c, const char *url, const char *path, long long *bytes,
	long *status, okdf_err *e)
{
	char part[4200], why[256] = "";
	snprintf(part, sizeof part, "%s.part", path);
	*bytes = 0;
	*status = 0;
	for (int failures = 0;;) {
		if (shutting_down(c))
			return okdf_err_set(e, OKDF_ENET, "download: interrupted by shutdown");
		int rc = download_once(c, url, part, status, bytes, why, sizeof why);
		if (rc == OKDF_EFAIL)
			return okdf_err_set(e, OKDF_EFAIL, "download: %s", why);
		if (rc == OKDF_OK && *status >= 200 && *status < 300)
			break;
		if (rc == OKDF_OK && *status >= 400 && *status < 500 && *status != 429) {
			unlink(part);
			return okdf_err_set(e, OKDF_ENOTFOUND, "download: the URL was refused (HTTP %ld)",
				*status);
		}
		if (rc == OKDF_OK)
			snprintf(why, sizeof why, "HTTP %ld", *status);
		if (++failures >= c->o.max_attempts)
			return okdf_err_set(e, OKDF_ENET, "download: failed %d times, last: %s", failures,
				why);
		if (http_sleep(c, backoff(c, failures - 1)))
			return okdf_err_set(e, OKDF_ENET, "download: interrupted by shutdown");
	}
	if (rename(part, path) != 0)
		return okdf_err_set(e, OKDF_EFAIL, "download: %s: %s", path, strerror(errno));
	return OKDF_OK;
}

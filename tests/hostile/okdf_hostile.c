/* okdf-hostile: a reverse proxy in front of okdf-sim that turns it into a
 * hostile server, for tests/integration/hostile.sh. It models no vendor:
 * it is the attacker (or the broken server) okdf must survive.
 *
 *   okdf-hostile proxy UPSTREAM BOMB_FILE   serves on 127.0.0.1, first line
 *                                           "listening on http://127.0.0.1:PORT"
 *   okdf-hostile rss OUT CMD [ARG...]       runs CMD, writes its peak RSS (kB)
 *                                           to OUT, exits with its status
 *
 * What the proxy does to okdf-sim's answers:
 * - Shopify: every "title" gets escape sequences, C1 and bidi controls,
 *   a zero-width space and invalid UTF-8 in front; orders whose id ends in
 *   3 get an unreadable processedAt; the first answer reports a bucket
 *   restoring 0.0001 points/s; X-Shopify-API-Version carries OSC 52.
 * - Klaviyo: every request gets HTTP 400 whose detail holds escape
 *   sequences and echoes the API key, placed so the 256-byte reason limit
 *   cuts it mid-token.
 * - Meta: X-Business-Use-Case-Usage says call_count 1e300; names are
 *   hostile; the first campaign's daily_budget is out of range; /insights
 *   answers a gzip bomb (BOMB_FILE, Content-Encoding gzip).
 * - Relevance: agents/list answers a 40 MB body. */
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#define HOSTILE "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[31m\xc2\x9b" "31m\xe2\x80\xae\xc2\x85" \
	"\xe2\x80\x8b\xff"
#define HUGE_BODY (40u << 20)

static const char *upstream;
static char *bomb;
static size_t bomb_len;
static pthread_mutex_t first_lock = PTHREAD_MUTEX_INITIALIZER;
static bool shopify_seen;

struct buf {
	char *data;
	size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	char *grown = realloc(b->data, b->len + size * n + 1);
	if (!grown)
		return 0;
	memcpy(grown + b->len, p, size * n);
	b->len += size * n;
	grown[b->len] = '\0';
	b->data = grown;
	return size * n;
}

struct fwd {
	struct curl_slist *headers;
	CURL *curl;
	char query[8192];
	size_t qlen;
};

static enum MHD_Result copy_header(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *value)
{
	(void)kind;
	struct fwd *f = cls;
	if (!strcasecmp(key, "Host") || !strcasecmp(key, "Content-Length") ||
		!strcasecmp(key, "Accept-Encoding") || !strcasecmp(key, "Connection"))
		return MHD_YES;
	char line[4096];
	snprintf(line, sizeof line, "%s: %s", key, value ? value : "");
	f->headers = curl_slist_append(f->headers, line);
	return MHD_YES;
}

static enum MHD_Result copy_arg(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *value)
{
	(void)kind;
	struct fwd *f = cls;
	char *k = curl_easy_escape(f->curl, key, 0);
	char *v = curl_easy_escape(f->curl, value ? value : "", 0);
	int w = snprintf(f->query + f->qlen, sizeof f->query - f->qlen, "%s%s=%s",
		f->qlen ? "&" : "?", k, v);
	if (w > 0 && (size_t)w < sizeof f->query - f->qlen)
		f->qlen += (size_t)w;
	curl_free(k);
	curl_free(v);
	return MHD_YES;
}

/* Forwards the request to okdf-sim; the answer's body and status. */
static long forward(struct MHD_Connection *conn, const char *method, const char *url,
	const char *body, size_t body_len, struct buf *out)
{
	struct fwd f = { .curl = curl_easy_init() };
	if (!f.curl)
		return 502;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, copy_header, &f);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, copy_arg, &f);
	char full[10240];
	snprintf(full, sizeof full, "%s%s%s", upstream, url, f.query);
	curl_easy_setopt(f.curl, CURLOPT_URL, full);
	curl_easy_setopt(f.curl, CURLOPT_HTTPHEADER, f.headers);
	curl_easy_setopt(f.curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(f.curl, CURLOPT_WRITEDATA, out);
	if (!strcmp(method, "POST")) {
		curl_easy_setopt(f.curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(f.curl, CURLOPT_POSTFIELDSIZE, (long)body_len);
	}
	long status = 502;
	if (curl_easy_perform(f.curl) == CURLE_OK)
		curl_easy_getinfo(f.curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(f.headers);
	curl_easy_cleanup(f.curl);
	return status;
}

static void poison_strings(cJSON *j, const char *const *keys)
{
	cJSON *c;
	cJSON_ArrayForEach(c, j) {
		for (const char *const *k = keys; *k; k++) {
			if (c->string && !strcmp(c->string, *k) && cJSON_IsString(c)) {
				char *v;
				if (asprintf(&v, HOSTILE "%s", c->valuestring) > 0) {
					cJSON_SetValuestring(c, v);
					free(v);
				}
			}
		}
		/* An order whose id ends in 3 cannot be read: quarantine, not a stop. */
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(c, "id"));
		cJSON *pa = cJSON_GetObjectItem(c, "processedAt");
		if (id && pa && strstr(id, "/Order/") && id[strlen(id) - 1] == '3')
			cJSON_SetValuestring(pa, "the day after tomorrow");
		poison_strings(c, keys);
	}
}

static struct MHD_Response *json_response(cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);
	return MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result answer(struct MHD_Connection *conn, const char *url, const char *method,
	const char *body, size_t body_len)
{
	static const char *const title_keys[] = { "title", NULL };
	static const char *const name_keys[] = { "name", NULL };
	struct MHD_Response *resp = NULL;
	long status = 200;
	struct buf b = { 0 };
	if (!strncmp(url, "/api/", 5)) {
		/* Klaviyo: an error echoing the key, cut by okdf's reason limit. */
		const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
			"Authorization");
		const char *key = auth && !strncmp(auth, "Klaviyo-API-Key ", 16) ? auth + 16 : "?";
		/* okdf's reason is "HTTP 400: " + detail in 256 bytes: the key starts at 240. */
		char pad[256];
		size_t before = 240 - strlen("HTTP 400: ") - strlen(HOSTILE);
		memset(pad, 'x', before);
		pad[before] = '\0';
		char detail[1024];
		snprintf(detail, sizeof detail, HOSTILE "%s%s is not a valid key", pad, key);
		cJSON *j = cJSON_CreateObject();
		cJSON *errs = cJSON_AddArrayToObject(j, "errors");
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "detail", detail);
		cJSON_AddItemToArray(errs, e);
		resp = json_response(j);
		cJSON_Delete(j);
		status = 400;
	} else if (!strncmp(url, "/latest/agents/list", 19)) {
		char *huge = malloc(HUGE_BODY);
		if (!huge)
			return MHD_NO;
		memset(huge, ' ', HUGE_BODY);
		memcpy(huge, "{\"results\":[]", 13);
		huge[HUGE_BODY - 1] = '}';
		resp = MHD_create_response_from_buffer(HUGE_BODY, huge, MHD_RESPMEM_MUST_FREE);
	} else if (url[0] == '/' && url[1] == 'v' && strstr(url, "/insights")) {
		resp = MHD_create_response_from_buffer(bomb_len, bomb, MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	} else {
		status = forward(conn, method, url, body, body_len, &b);
		cJSON *j = b.data ? cJSON_Parse(b.data) : NULL;
		int shopify = strstr(url, "/graphql.json") != NULL;
		if (j && shopify) {
			poison_strings(j, title_keys);
			pthread_mutex_lock(&first_lock);
			cJSON *ts = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
				"extensions"), "cost"), "throttleStatus");
			if (!shopify_seen && ts) {
				cJSON_SetNumberValue(cJSON_GetObjectItem(ts, "restoreRate"), 0.0001);
				cJSON_SetNumberValue(cJSON_GetObjectItem(ts, "currentlyAvailable"), 0);
				shopify_seen = true;
			}
			pthread_mutex_unlock(&first_lock);
		} else if (j && url[0] == '/' && url[1] == 'v') {
			poison_strings(j, name_keys);
			/* The first campaign's budget is beyond any amount: quarantined. */
			cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "data"), 0);
			if (strstr(url, "/campaigns") && cJSON_GetObjectItem(first, "daily_budget"))
				cJSON_ReplaceItemInObject(first, "daily_budget",
					cJSON_CreateString("99999999999999999999"));
		}
		if (j) {
			resp = json_response(j);
			cJSON_Delete(j);
		} else {
			resp = MHD_create_response_from_buffer(b.len, b.data ? b.data : (char *)"",
				b.data ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
		}
		free(b.data);
		if (resp && shopify)
			MHD_add_response_header(resp, "X-Shopify-API-Version",
				"\x1b]52;c;cHduZWQ=\x07" "2099-01\xe2\x80\xae");
		if (resp && url[1] == 'v')
			MHD_add_response_header(resp, "X-Business-Use-Case-Usage",
				"{\"1234567890\":[{\"type\":\"ads_management\",\"call_count\":1e300,"
				"\"total_cputime\":1,\"total_time\":1,"
				"\"estimated_time_to_regain_access\":1e300}]}");
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/json");
	enum MHD_Result r = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return r;
}

struct upload {
	char *data;
	size_t len;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *data, size_t *size, void **req_cls)
{
	(void)cls, (void)version;
	struct upload *up = *req_cls;
	if (!up) {
		*req_cls = up = calloc(1, sizeof *up);
		return up ? MHD_YES : MHD_NO;
	}
	if (*size) {
		char *grown = realloc(up->data, up->len + *size + 1);
		if (!grown)
			return MHD_NO;
		memcpy(grown + up->len, data, *size);
		up->len += *size;
		grown[up->len] = '\0';
		up->data = grown;
		*size = 0;
		return MHD_YES;
	}
	return answer(conn, url, method, up->data ? up->data : "", up->len);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **req_cls,
	enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	struct upload *up = *req_cls;
	if (up)
		free(up->data);
	free(up);
	*req_cls = NULL;
}

static int run_proxy(const char *up, const char *bomb_path)
{
	upstream = up;
	FILE *f = fopen(bomb_path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (bomb_len = (size_t)ftell(f)) == 0 ||
		fseek(f, 0, SEEK_SET) || !(bomb = malloc(bomb_len)) ||
		fread(bomb, 1, bomb_len, f) != bomb_len) {
		fprintf(stderr, "okdf-hostile: cannot read %s\n", bomb_path);
		return 1;
	}
	fclose(f);
	curl_global_init(CURL_GLOBAL_ALL);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED, on_done,
		NULL, MHD_OPTION_END);
	if (!d)
		return 1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://127.0.0.1:%u\n", info ? info->port : 0);
	fflush(stdout);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	free(bomb);
	curl_global_cleanup();
	return 0;
}

static int run_rss(const char *out, char **argv)
{
	pid_t pid = fork();
	if (pid < 0)
		return 125;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid)
		return 125;
	FILE *f = fopen(out, "w");
	if (!f)
		return 125;
	fprintf(f, "%ld\n", ru.ru_maxrss);
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "proxy"))
		return run_proxy(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "rss"))
		return run_rss(argv[2], argv + 3);
	fprintf(stderr, "usage: okdf-hostile proxy UPSTREAM BOMB | rss OUT CMD [ARG...]\n");
	return 2;
}

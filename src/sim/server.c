#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "klaviyo.h"
#include "meta.h"
#include "relevance.h"
#include "shopify.h"
#include "shopify_bulk.h"
#include "shopify_oauth.h"

#define SIM_MAX_BODY (4u << 20)

struct sim_server {
	struct MHD_Daemon *daemon;
	struct sim_ctx *ctx;
};

/* Per-connection upload buffer, freed when MHD completes the request. */
struct upload {
	char *data;
	size_t len;
	bool too_big;
};

static const struct sim_service *const services[] = {
	&sim_shopify_service, &sim_shopify_oauth_service, &sim_shopify_storage_service,
	&sim_klaviyo_service, &sim_meta_service, &sim_relevance_service,
};

const char *sim_request_arg(const struct sim_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->connection, MHD_GET_ARGUMENT_KIND, name);
}

const char *sim_request_header(const struct sim_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->connection, MHD_HEADER_KIND, name);
}

static const struct sim_service *route(const char *path)
{
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
		if (services[i]->matches(path))
			return services[i];
	return NULL;
}

/* Decides this request's fault, if any, from the fault stream. */
static int pick_fault(struct sim_ctx *ctx, enum sim_fault *kind, bool *malformed)
{
	*malformed = false;
	if (ctx->opt.fault_rate > 0 && sim_prng_chance(&ctx->fault_rng, ctx->opt.fault_rate)) {
		*kind = (enum sim_fault)sim_prng_range(&ctx->fault_rng, 0, 2);
		return 1;
	}
	if (ctx->opt.malformed > 0 && sim_prng_chance(&ctx->fault_rng, ctx->opt.malformed))
		*malformed = true;
	return 0;
}

static int answer(struct sim_ctx *ctx, struct sim_request *rq, struct sim_reply *rp)
{
	const struct sim_service *svc = route(rq->path);
	if (!svc)
		return sim_reply_literal(rp, 404, "{\"error\":\"no simulated API at this path\"}");
	if (ctx->opt.auth_fail && !strcmp(ctx->opt.auth_fail, svc->name))
		return svc->unauthorized(rp);
	if (!svc->authorized(rq))
		return svc->unauthorized(rp);
	pthread_mutex_lock(&ctx->model.lock);
	enum sim_fault kind;
	bool malformed;
	int rc;
	if (pick_fault(ctx, &kind, &malformed)) {
		rc = svc->fault(ctx, rq, kind, rp);
		ctx->faults_injected[kind]++;
	} else {
		rq->commit = !malformed;
		rc = svc->handle(ctx, rq, rp);
		/* A truncated body keeps the 200 status: the client must catch it. */
		if (rc == 0 && malformed && rp->has_fd && rp->fd_size > 1) {
			rp->fd_size /= 2;
		} else if (rc == 0 && malformed && rp->len > 1) {
			rp->status = 200;
			rp->len /= 2;
			ctx->truncated_sent++;
		}
	}
	pthread_mutex_unlock(&ctx->model.lock);
	return rc;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, struct sim_reply *rp)
{
	/* The body (malloc'd by cJSON) passes to MHD, which frees it. */
	struct MHD_Response *resp =
		rp->has_fd ? MHD_create_response_from_fd(rp->fd_size, rp->fd)
		: rp->body ? MHD_create_response_from_buffer(rp->len, rp->body, MHD_RESPMEM_MUST_FREE)
			   : MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	if (rp->has_fd)
		rp->has_fd = false; /* MHD closes it */
	else
		rp->body = NULL;
	MHD_add_response_header(resp, "Content-Type",
				rp->content_type ? rp->content_type : "application/json; charset=utf-8");
	for (int i = 0; i < rp->n_headers; i++)
		MHD_add_response_header(resp, rp->headers[i].name, rp->headers[i].value);
	enum MHD_Result r = MHD_queue_response(conn, rp->status ? rp->status : 200, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **req_cls)
{
	(void)version;
	struct sim_server *s = cls;
	struct upload *up = *req_cls;
	if (!up) {
		up = calloc(1, sizeof *up);
		if (!up)
			return MHD_NO;
		*req_cls = up;
		return MHD_YES;
	}
	if (*upload_size) {
		if (up->len + *upload_size > SIM_MAX_BODY) {
			up->too_big = true;
		} else {
			char *grown = realloc(up->data, up->len + *upload_size + 1);
			if (!grown)
				return MHD_NO;
			memcpy(grown + up->len, upload_data, *upload_size);
			up->data = grown;
			up->len += *upload_size;
			up->data[up->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (s->ctx->opt.slow_ms > 0)
		sim_time_sleep_ms(s->ctx->opt.slow_ms);
	struct sim_request rq = {
		.method = method,
		.path = url,
		.body = up->data ? up->data : "",
		.body_len = up->len,
		.connection = conn,
		.commit = true,
	};
	struct sim_reply rp = {0};
	int rc = up->too_big ? sim_reply_literal(&rp, 413, "{\"error\":\"body too large\"}")
			     : answer(s->ctx, &rq, &rp);
	if (rc != 0) {
		sim_reply_clear(&rp);
		rp.status = 500;
	}
	enum MHD_Result r = send_reply(conn, &rp);
	sim_reply_clear(&rp);
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct upload *up = *req_cls;
	if (up) {
		free(up->data);
		free(up);
		*req_cls = NULL;
	}
}

/* A listening socket on 127.0.0.1:port (0: any free port); sets *bound. */
static int listen_loopback(unsigned port, unsigned *bound)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int on = 1;
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof addr;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, SOMAXCONN) != 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
		close(fd);
		return -1;
	}
	*bound = ntohs(addr.sin_port);
	return fd;
}

struct sim_server *sim_server_start(struct sim_ctx *ctx, unsigned *bound_port)
{
	struct sim_server *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->ctx = ctx;
	/* Bound before the daemon starts, so base_url is written before any
	 * connection thread exists to read it. */
	int fd = listen_loopback(ctx->opt.port, bound_port);
	if (fd < 0) {
		free(s);
		return NULL;
	}
	snprintf(ctx->base_url, sizeof ctx->base_url, "http://127.0.0.1:%u", *bound_port);
	s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
					     MHD_USE_POLL,
				     0, NULL, NULL, on_request, s,
				     MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				     MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_END);
	if (!s->daemon) {
		close(fd);
		free(s);
		return NULL;
	}
	return s;
}

void sim_server_stop(struct sim_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->daemon);
	free(s);
}

/* The HTTP front: libmicrohttpd on 127.0.0.1, routing each request to the
 * vendor it belongs to, with auth checks and injected faults on the way. */
#ifndef OKDF_SIM_SERVER_H
#define OKDF_SIM_SERVER_H

#include "context.h"

struct sim_server;

/* Binds 127.0.0.1:ctx->opt.port (0 = any free port) and starts serving.
 * Returns NULL on failure. Fills ctx->base_url. */
struct sim_server *sim_server_start(struct sim_ctx *ctx, unsigned *bound_port);
void sim_server_stop(struct sim_server *s);

#endif

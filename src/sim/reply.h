/* One HTTP exchange as the vendor handlers see it, independent of the server
 * library: the request's parts, and the reply they fill in. */
#ifndef OKDF_SIM_REPLY_H
#define OKDF_SIM_REPLY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_MAX_HEADERS 8

struct sim_request {
	const char *method;
	const char *path; /* without the query string */
	const char *body;
	size_t body_len;
	void *connection; /* the server's handle, for argument and header lookups */
	bool commit;      /* false: answer without changing any state (faulted reply) */
};

/* Decoded query argument or request header; NULL when absent. */
const char *sim_request_arg(const struct sim_request *rq, const char *name);
const char *sim_request_header(const struct sim_request *rq, const char *name);

struct sim_header {
	char name[48];
	char value[384];
};

struct sim_reply {
	unsigned status;
	char *body; /* malloc'd, owned by the reply */
	size_t len;
	const char *content_type;
	struct sim_header headers[SIM_MAX_HEADERS];
	int n_headers;
	bool has_fd;       /* the body is this open file instead (streamed, closed by the server) */
	int fd;
	uint64_t fd_size;
};

void sim_reply_header(struct sim_reply *rp, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints doc compactly into the reply and deletes it. Returns 0 or -1 (no memory). */
int sim_reply_json(struct sim_reply *rp, unsigned status, cJSON *doc);
/* Parses a JSON literal (error bodies); returns 0 or -1. */
int sim_reply_literal(struct sim_reply *rp, unsigned status, const char *json);
void sim_reply_clear(struct sim_reply *rp);

#endif

/* Error values returned through the whole program, and the one place that
 * turns them into exit codes. */
#ifndef OKDF_ERR_H
#define OKDF_ERR_H

#include <stddef.h>

enum okdf_status {
	OKDF_OK = 0,
	OKDF_EFAIL = -1,     /* refused or failed: exit 1 */
	OKDF_EINPUT = -2,    /* usage error or bad input: exit 2 */
	OKDF_EDB = -3,       /* database error: exit 1 */
	OKDF_ENET = -4,      /* network or remote API error: exit 1 */
	OKDF_EAUTH = -5,     /* credentials rejected: exit 1 */
	OKDF_ENOMEM = -6,
	OKDF_ENOTFOUND = -7, /* no such row or file: exit 1 */
	OKDF_EVERSION = -8,  /* the vendor no longer serves the configured API version: exit 1 */
	OKDF_ETHROTTLED = -9, /* the vendor kept rate limiting past every wait: exit 1 */
};

/* Filled by the function that failed; owned by the caller. */
typedef struct okdf_err {
	int code;
	char msg[1024];
} okdf_err;

/* Sets e (if not NULL) and returns code, so callers can `return okdf_err_set(...)`. */
int okdf_err_set(okdf_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to an existing message. Returns e->code. */
int okdf_err_prefix(okdf_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void okdf_err_clear(okdf_err *e);

/* Exit status for a return code: 0 ok, 2 bad input, 1 anything else. */
int okdf_exit_code(int code);

#endif

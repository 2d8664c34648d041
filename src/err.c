#include "okdf/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int okdf_err_set(okdf_err *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

int okdf_err_prefix(okdf_err *e, const char *fmt, ...)
{
	if (!e)
		return OKDF_EFAIL;
	char old[sizeof e->msg];
	memcpy(old, e->msg, sizeof old);
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	/* Append ": old", truncating quietly: a long message beats none. */
	size_t at = w < 0 ? 0 : (size_t)w < sizeof e->msg ? (size_t)w : sizeof e->msg - 1;
	const char *parts[] = { ": ", old };
	for (size_t i = 0; i < 2; i++) {
		size_t len = strlen(parts[i]);
		if (len > sizeof e->msg - 1 - at)
			len = sizeof e->msg - 1 - at;
		memcpy(e->msg + at, parts[i], len);
		at += len;
	}
	e->msg[at] = '\0';
	return e->code;
}

void okdf_err_clear(okdf_err *e)
{
	if (e) {
		e->code = OKDF_OK;
		e->msg[0] = '\0';
	}
}

int okdf_exit_code(int code)
{
	if (code == OKDF_OK)
		return 0;
	if (code == OKDF_EINPUT)
		return 2;
	return 1;
}

#include "okdf/ui/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "okdf/core/paths.h"

static FILE *log_file;

static int mkdir_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	return 0;
}

int log_open(okdf_err *e)
{
	if (log_file)
		return OKDF_OK;
	char path[4096];
	int rc = paths_xdg_file("STATE", "okdf.log", path, sizeof path, e);
	if (rc)
		return rc;
	if (mkdir_parents(path))
		return okdf_err_set(e, OKDF_EFAIL, "cannot create the directory of %s: %s", path,
			strerror(errno));
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || !(log_file = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		return okdf_err_set(e, OKDF_EFAIL, "cannot open log %s: %s", path, strerror(errno));
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	return OKDF_OK;
}

int log_fd(void)
{
	return log_file ? fileno(log_file) : -1;
}

void log_msg(const char *fmt, ...)
{
	if (!log_file)
		return;
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_list ap;
	va_start(ap, fmt);
	flockfile(log_file);
	fprintf(log_file, "%s [%d] ", when, (int)getpid());
	vfprintf(log_file, fmt, ap);
	fputc('\n', log_file);
	funlockfile(log_file);
	va_end(ap);
}

void log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

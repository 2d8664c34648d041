#include "okdf/core/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "okdf_build.h"

int paths_running_from_build(void)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0)
		return 0;
	exe[len] = '\0';
	char root[PATH_MAX];
	if (!realpath(OKDF_BUILD_ROOT, root))
		return 0;
	size_t rl = strlen(root);
	return strncmp(exe, root, rl) == 0 && exe[rl] == '/';
}

static int put(char *out, size_t n, const char *s, okdf_err *e)
{
	if (snprintf(out, n, "%s", s) >= (int)n)
		return okdf_err_set(e, OKDF_EINPUT, "path too long: %s", s);
	return OKDF_OK;
}

int paths_data_dir(const char *data_dir_opt, char *out, size_t n, okdf_err *e)
{
	if (data_dir_opt && data_dir_opt[0])
		return put(out, n, data_dir_opt, e);
	const char *env = getenv("OKDF_DATA_DIR");
	if (env && env[0])
		return put(out, n, env, e);
	if (paths_running_from_build())
		return put(out, n, OKDF_SOURCE_DATADIR, e);
	return put(out, n, OKDF_INSTALLED_DATADIR, e);
}

int paths_xdg_file(const char *kind, const char *name, char *out, size_t n, okdf_err *e)
{
	char var[32];
	snprintf(var, sizeof var, "XDG_%s_HOME", kind);
	const char *fallback = strcmp(kind, "CONFIG") == 0 ? ".config"
		: strcmp(kind, "STATE") == 0 ? ".local/state" : ".local/share";
	const char *xdg = getenv(var);
	int w;
	if (xdg && xdg[0] == '/') {
		w = snprintf(out, n, "%s/okdf/%s", xdg, name);
	} else {
		const char *home = getenv("HOME");
		if (!home || !home[0])
			return okdf_err_set(e, OKDF_EINPUT, "neither %s nor HOME is set", var);
		w = snprintf(out, n, "%s/%s/okdf/%s", home, fallback, name);
	}
	if (w < 0 || (size_t)w >= n)
		return okdf_err_set(e, OKDF_EINPUT, "path too long for %s", name);
	return OKDF_OK;
}

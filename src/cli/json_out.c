/* Small helpers shared by the --json outputs of the read commands. */
#include <stdio.h>
#include <stdlib.h>

#include "okdf/cli/cli.h"
#include "okdf/core/timeutil.h"

int cli_json_print(cJSON *root, okdf_err *e)
{
	char *s = root ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!s)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	cli_printf(stdout, "%s\n", s);
	free(s);
	return OKDF_OK;
}

void cli_json_time(cJSON *o, const char *name, long long t)
{
	char buf[32];
	if (!t) {
		cJSON_AddNullToObject(o, name);
		return;
	}
	time_format_utc(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, name, buf);
}

void cli_json_str(cJSON *o, const char *name, const char *s)
{
	if (s && s[0])
		cJSON_AddStringToObject(o, name, s);
	else
		cJSON_AddNullToObject(o, name);
}

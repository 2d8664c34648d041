/* okdf --version: our version and those of the libraries we run on, as the
 * loader resolved them (not the headers we were built against), so a bug
 * report names what was really in use. */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <curses.h>
#include <stdio.h>

#include "okdf/cli/cli.h"
#include "okdf_build.h"

void cli_print_version(FILE *out)
{
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
	fprintf(out, "okdf %s\n", OKDF_VERSION);
	/* curses_version() already reads "ncurses 6.4.20221231". */
	fprintf(out, "%s\n", curses_version());
	fprintf(out, "libcurl %s%s%s\n", cv->version, cv->ssl_version ? " " : "",
		cv->ssl_version ? cv->ssl_version : "");
	fprintf(out, "SQLite %s\n", db_engine_version());
	fprintf(out, "cJSON %s\n", cJSON_Version());
}

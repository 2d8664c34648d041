#include <string.h>

#include "okdf/cli/cli.h"
#include "okdf/store/db.h"

int cli_open_db(const okdf_cli *cli, sqlite3 **db, okdf_err *e)
{
	char path[4096];
	const char *p = cli->db_opt;
	if (!p) {
		int rc = db_default_path(path, sizeof path, e);
		if (rc)
			return rc;
		p = path;
	}
	return db_open(p, db, e);
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

/* okdf doctor: is this installation ready? The configuration, the database,
 * the poller, the terminal, and each configured service live. One line per
 * check; exit 1 when any check fails. */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "okdf/cli/cli.h"
#include "okdf/core/config.h"
#include "okdf/core/doctor.h"
#include "okdf/core/paths.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"
#include "okdf/store/integrity.h"
#include "okdf/sync/doctor.h"
#include "okdf/sync/worker.h"

static const char doctor_usage[] =
	"usage: okdf doctor [--json] [--offline]\n"
	"Check the configuration (syntax, file mode), the database (path, schema\n"
	"version, PRAGMA quick_check), the poller lock and who holds it, the terminal\n"
	"(colours, UTF-8, size), and each configured service live: credentials, API\n"
	"version served and not expired, scopes. One line per check: ok, warn or\n"
	"fail, with the fix. Exits 0 when nothing fails, 1 otherwise.\n"
	"  --json      machine-readable output\n"
	"  --offline   skip the live service checks\n";

/* Returns 1 when the configuration parsed (cfg filled). */
static int check_config(const okdf_cli *cli, okdf_config *cfg, doctor_report *r, okdf_err *e)
{
	char def[4096];
	const char *path = cli->config_opt;
	if (!path) {
		if (paths_xdg_file("CONFIG", "config.ini", def, sizeof def, e)) {
			doctor_add(r, "config", "file", DOCTOR_FAIL, "set HOME or XDG_CONFIG_HOME", "%s",
				e->msg);
			return 0;
		}
		path = def;
	}
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && !cli->config_opt) {
			doctor_add(r, "config", "file", DOCTOR_WARN, "run okdf init",
				"no configuration at %s: no service is synced", path);
			config_defaults(cfg);
			return 1;
		}
		doctor_add(r, "config", "file", DOCTOR_FAIL, "give an existing file to --config",
			"%s: %s", path, strerror(errno));
		return 0;
	}
	unsigned mode = (unsigned)(sb.st_mode & 0777);
	char fix[4200];
	snprintf(fix, sizeof fix, "chmod 600 %s", path);
	if (sb.st_uid != getuid())
		doctor_add(r, "config", "mode", DOCTOR_WARN, NULL,
			"%s belongs to uid %u, not to you (uid %u)", path, (unsigned)sb.st_uid,
			(unsigned)getuid());
	else if (mode & 077)
		doctor_add(r, "config", "mode", (mode & 022) ? DOCTOR_FAIL : DOCTOR_WARN, fix,
			"%s is mode %04o: others may read%s it", path, mode,
			(mode & 022) ? " or change" : "");
	else
		doctor_add(r, "config", "mode", DOCTOR_OK, NULL, "%s is mode %04o", path, mode);
	okdf_err ce = { 0 };
	if (config_load(path, cfg, &ce)) {
		doctor_add(r, "config", "syntax", DOCTOR_FAIL,
			"correct the line named, see man okdf.ini", "%s", ce.msg);
		return 0;
	}
	const char *names[4];
	int n = sync_enabled_connectors(cfg, names);
	if (n == 0) {
		doctor_add(r, "config", "syntax", DOCTOR_WARN, "run okdf init, or add a service section",
			"parsed; no service is configured");
		return 1;
	}
	char list[64] = "";
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
			names[i]);
	doctor_add(r, "config", "syntax", DOCTOR_OK, NULL, "parsed; services: %s", list);
	return 1;
}

static void check_database(const okdf_cli *cli, int services, doctor_report *r, okdf_err *e)
{
	char path[4096];
	if (cli->db_opt) {
		snprintf(path, sizeof path, "%s", cli->db_opt);
	} else if (db_default_path(path, sizeof path, e)) {
		doctor_add(r, "database", "path", DOCTOR_FAIL, "give --db PATH", "%s", e->msg);
		return;
	}
	db_inspection in;
	okdf_err de = { 0 };
	int rc = db_inspect(path, &in, &de);
	if (rc == OKDF_ENOTFOUND) {
		doctor_add(r, "database", "path", DOCTOR_WARN, "okdf sync --once creates it",
			"%s does not exist yet", path);
	} else if (rc) {
		doctor_add(r, "database", "path", DOCTOR_FAIL,
			"move it aside and sync into a new database", "%s", de.msg);
	} else {
		struct stat sb;
		unsigned mode = stat(path, &sb) == 0 ? (unsigned)(sb.st_mode & 0777) : 0;
		char fix[4200];
		snprintf(fix, sizeof fix, "chmod 600 %s", path);
		doctor_add(r, "database", "path", (mode & 077) ? DOCTOR_WARN : DOCTOR_OK,
			(mode & 077) ? fix : NULL, "%s, mode %04o", path, mode);
		int want = db_schema_version();
		if (in.user_version > want)
			doctor_add(r, "database", "schema", DOCTOR_FAIL, "upgrade okdf",
				"schema v%d is newer than this okdf (v%d): refused, left untouched",
				in.user_version, want);
		else if (in.user_version < want)
			doctor_add(r, "database", "schema", DOCTOR_OK, NULL,
				"schema v%d; migrated to v%d on the next write", in.user_version, want);
		else
			doctor_add(r, "database", "schema", DOCTOR_OK, NULL, "schema v%d", want);
		if (in.quick_check_ok)
			doctor_add(r, "database", "integrity", DOCTOR_OK, NULL, "PRAGMA quick_check: ok");
		else
			doctor_add(r, "database", "integrity", DOCTOR_FAIL,
				"restore a backup, or move the file aside and okdf sync --once into a new one",
				"PRAGMA quick_check: %s", in.problems);
	}
	long pid = 0;
	rc = sync_poller_lock_holder(path, &pid, &de);
	if (rc < 0)
		doctor_add(r, "poller", "lock", DOCTOR_WARN, NULL, "%s", de.msg);
	else if (rc == 1)
		doctor_add(r, "poller", "lock", DOCTOR_OK, NULL,
			"held by okdf sync, pid %ld: the Command Center follows it", pid);
	else if (services)
		doctor_add(r, "poller", "lock", DOCTOR_WARN,
			"systemctl --user enable --now okdf-sync (see man okdf)",
			"free: nothing syncs while the Command Center is closed");
	else
		doctor_add(r, "poller", "lock", DOCTOR_OK, NULL, "free");
}

static void check_terminal(doctor_report *r)
{
	int fd = isatty(STDOUT_FILENO) ? STDOUT_FILENO : isatty(STDERR_FILENO) ? STDERR_FILENO
		: isatty(STDIN_FILENO) ? STDIN_FILENO : -1;
	if (fd < 0) {
		doctor_add(r, "terminal", "type", DOCTOR_OK, NULL, "not run on a terminal: skipped");
		return;
	}
	const char *term = getenv("TERM");
	int err = 0;
	if (!term || !term[0]) {
		doctor_add(r, "terminal", "type", DOCTOR_FAIL, "export TERM=xterm-256color",
			"TERM is not set");
		return;
	}
	if (setupterm(NULL, fd, &err) != OK) {
		doctor_add(r, "terminal", "type", DOCTOR_FAIL,
			"install ncurses-term, or set TERM to a known type",
			"no terminfo entry for TERM=%s", term);
		return;
	}
	int colors = tigetnum("colors");
	del_curterm(cur_term);
	doctor_add(r, "terminal", "type", DOCTOR_OK, NULL, "TERM=%s", term);
	const char *no_color = getenv("NO_COLOR");
	if (no_color && no_color[0])
		doctor_add(r, "terminal", "colours", DOCTOR_OK, NULL,
			"NO_COLOR is set: attributes only");
	else if (colors < 8)
		doctor_add(r, "terminal", "colours", DOCTOR_WARN,
			"TERM=xterm-256color (in tmux: set -g default-terminal tmux-256color)",
			"TERM=%s has no colours: attributes only", term);
	else
		doctor_add(r, "terminal", "colours", DOCTOR_OK, NULL, "%d colours", colors);
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	if (strcmp(cs, "UTF-8") == 0)
		doctor_add(r, "terminal", "utf8", DOCTOR_OK, NULL, "locale is UTF-8");
	else
		doctor_add(r, "terminal", "utf8", DOCTOR_WARN, "export LANG=C.UTF-8",
			"locale charset %s: ASCII lines and sparklines", cs);
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
		doctor_add(r, "terminal", "size", DOCTOR_WARN, NULL, "size unknown");
	else if (ws.ws_col < 80 || ws.ws_row < 24)
		doctor_add(r, "terminal", "size", DOCTOR_WARN, "enlarge the window to 80x24 or more",
			"%ux%u is below 80x24", ws.ws_col, ws.ws_row);
	else
		doctor_add(r, "terminal", "size", DOCTOR_OK, NULL, "%ux%u", ws.ws_col, ws.ws_row);
}

int cmd_doctor(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		fputs(doctor_usage, stdout);
		return OKDF_OK;
	}
	int json = 0, offline = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--offline") == 0)
			offline = 1;
		else
			return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[i],
				doctor_usage);
	}
	long long now;
	int rc = time_now(&now, e);
	if (rc)
		return rc;
	doctor_report r;
	doctor_report_init(&r);
	okdf_config cfg;
	int parsed = check_config(cli, &cfg, &r, e);
	const char *names[4];
	int services = parsed ? sync_enabled_connectors(&cfg, names) : 0;
	check_database(cli, services, &r, e);
	check_terminal(&r);
	if (parsed && services && !offline)
		rc = sync_doctor_services(&cfg, now, &r, e);
	if (!rc && r.n == 0)
		rc = okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	if (!rc) {
		if (json)
			rc = doctor_print_json(&r, stdout, e);
		else
			doctor_print_text(&r, stdout, cli->ascii);
	}
	size_t failed = doctor_count(&r, DOCTOR_FAIL);
	doctor_report_free(&r);
	if (rc)
		return rc;
	if (failed)
		return okdf_err_set(e, OKDF_EFAIL, "%zu check%s failed", failed, failed == 1 ? "" : "s");
	return OKDF_OK;
}

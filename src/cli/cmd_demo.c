/* okdf demo: a newcomer's first run. Starts okdf-sim (live, fixed seed) on a
 * free loopback port with a temporary database and config pointing at it,
 * shows the first sync's progress, then opens the Command Center with the
 * sync workers running. Quitting stops the simulator and removes the
 * temporary files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "okdf/cli/tui.h"
#include "okdf/store/db.h"
#include "okdf/sync/worker.h"

#define DEMO_SEED "42"
/* How long the simulator may take to listen, and the first sync to finish. */
#define SIM_START_SECONDS 15
#define FIRST_SYNC_SECONDS 120

static const char demo_usage[] =
	"usage: okdf demo\n"
	"Run the Command Center against okdf-sim, the bundled simulator of the\n"
	"Shopify, Klaviyo, Meta and Relevance AI APIs: live orders, a crisis\n"
	"escalation within the first minute. Uses a temporary database and config\n"
	"(removed on exit); your own database is not touched.\n";

/* First-sync progress, written by worker threads, read by the main thread. */
struct progress {
	pthread_mutex_t lock;
	const char *names[4];
	int n;
	int done[4];
	long long rows[4];
	int failed[4];
};

static void on_pass(const sync_result *r, void *arg)
{
	struct progress *p = arg;
	pthread_mutex_lock(&p->lock);
	for (int i = 0; i < p->n; i++) {
		if (strcmp(p->names[i], r->connector) != 0)
			continue;
		p->done[i]++;
		p->rows[i] += r->rows;
		p->failed[i] = r->rc != OKDF_OK;
	}
	pthread_mutex_unlock(&p->lock);
}

static volatile sig_atomic_t interrupted;

/* dir/name into out; 0 when it does not fit. */
static int join(char *out, size_t n, const char *dir, const char *name)
{
	int w = snprintf(out, n, "%s/%s", dir, name);
	return w >= 0 && (size_t)w < n;
}

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* okdf-sim beside this binary (the build tree keeps it in sim/), else PATH. */
static int find_sim(char *out, size_t n, okdf_err *e)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			const char *rel[] = { "sim/okdf-sim", "okdf-sim" };
			for (int i = 0; i < 2; i++) {
				if (join(out, n, exe, rel[i]) && access(out, X_OK) == 0)
					return OKDF_OK;
			}
		}
	}
	const char *path = getenv("PATH");
	char dirs[4096];
	snprintf(dirs, sizeof dirs, "%s", path ? path : "/usr/local/bin:/usr/bin");
	char *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		if (join(out, n, d, "okdf-sim") && access(out, X_OK) == 0)
			return OKDF_OK;
	}
	return okdf_err_set(e, OKDF_EFAIL, "okdf-sim not found beside okdf or in PATH "
		"(build it: meson compile -C build)");
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			char p[PATH_MAX];
			if (join(p, sizeof p, dir, de->d_name))
				unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

static pid_t start_sim(const char *sim, const char *dir, okdf_err *e)
{
	char out[PATH_MAX], log[PATH_MAX];
	if (!join(out, sizeof out, dir, "sim.out") || !join(log, sizeof log, dir, "sim.log")) {
		okdf_err_set(e, OKDF_EINPUT, "temporary directory path too long");
		return -1;
	}
	/* Klaviyo's 2-per-minute report limit would hold its worker past the
	 * demo's 5 s interval and raise a sync-down escalation that is only noise
	 * in a demo; the child inherits this. */
	setenv("OKDF_SIM_KLAVIYO_STRICT", "0", 1);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		okdf_err_set(e, OKDF_EFAIL, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* The simulator dies with okdf, however okdf ends. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fl = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fi = open("/dev/null", O_RDONLY);
		if (fo < 0 || fl < 0 || fi < 0)
			_exit(1);
		dup2(fi, STDIN_FILENO);
		dup2(fo, STDOUT_FILENO);
		dup2(fl, STDERR_FILENO);
		/* Shopify's cost bucket is modelled at its real restore rate, which
		 * makes the first backfill of the simulated history take minutes;
		 * a first run should start in seconds. */
		execl(sim, "okdf-sim", "--port", "0", "--seed", DEMO_SEED, "--live", "--no-throttle",
			"--print-config", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Waits until the simulator printed its config, then writes it (mode 0600)
 * as dir/config.ini. */
static int write_config(pid_t sim, const char *dir, char *cfg_path, size_t n, okdf_err *e)
{
	char out[PATH_MAX];
	if (!join(out, sizeof out, dir, "sim.out") || !join(cfg_path, n, dir, "config.ini"))
		return okdf_err_set(e, OKDF_EINPUT, "temporary directory path too long");
	static char text[8192];
	for (int tries = 0; tries < SIM_START_SECONDS * 20 && !interrupted; tries++) {
		FILE *f = fopen(out, "r");
		size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
		if (f)
			fclose(f);
		text[len] = '\0';
		/* [sync] interval_seconds is the config's last line. */
		const char *end = strstr(text, "interval_seconds");
		if (end && strchr(end, '\n')) {
			const char *start = strstr(text, "[shopify]");
			if (!start)
				break;
			int fd = open(cfg_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			if (fd < 0)
				return okdf_err_set(e, OKDF_EFAIL, "%s: %s", cfg_path, strerror(errno));
			size_t want = (size_t)(strchr(end, '\n') + 1 - start);
			ssize_t w = write(fd, start, want);
			close(fd);
			if (w != (ssize_t)want)
				return okdf_err_set(e, OKDF_EFAIL, "%s: short write", cfg_path);
			return OKDF_OK;
		}
		int status;
		if (waitpid(sim, &status, WNOHANG) == sim)
			return okdf_err_set(e, OKDF_EFAIL, "okdf-sim exited (see its log in %s)", dir);
		struct timespec ts = { 0, 50 * 1000000 };
		nanosleep(&ts, NULL);
	}
	return okdf_err_set(e, OKDF_EFAIL, "okdf-sim did not start within %d s",
		SIM_START_SECONDS);
}

static void stop_sim(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 60; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		struct timespec ts = { 0, 50 * 1000000 };
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* One progress line, rewritten in place, until every connector finished a
 * pass. Returns OKDF_OK, or OKDF_EFAIL when interrupted or too slow. */
static int first_sync(struct progress *p, int wake_fd, okdf_err *e)
{
	time_t start = time(NULL);
	int tty = isatty(STDERR_FILENO);
	for (;;) {
		char line[512] = "";
		int all = 1;
		pthread_mutex_lock(&p->lock);
		for (int i = 0; i < p->n; i++) {
			all &= p->done[i] > 0;
			size_t l = strlen(line);
			int w = snprintf(line + l, sizeof line - l, "%s%s %s", i ? ", " : "",
				p->names[i], p->done[i] == 0 ? "syncing" : p->failed[i] ? "failed" : "done");
			l += w > 0 ? (size_t)w : 0;
			if (p->done[i] && l < sizeof line &&
				snprintf(line + l, sizeof line - l, " (%lld rows)", p->rows[i]) < 0)
				line[l] = '\0';
		}
		pthread_mutex_unlock(&p->lock);
		if (tty) {
			/* One line, cut to the terminal's width, rewritten in place. */
			struct winsize ws = { 0 };
			int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20
				? ws.ws_col : 80;
			char shown[600];
			snprintf(shown, sizeof shown, "first sync %lds: %s", (long)(time(NULL) - start),
				line);
			/* Our own escape sequence around our own words: not through cli_printf. */
			fprintf(stderr, "\r\033[K%.*s", cols - 1, shown);
		}
		if (all) {
			cli_printf(stderr, tty ? "\n" : "first sync: %s\n", line);
			return OKDF_OK;
		}
		if (interrupted) {
			cli_printf(stderr, "\n");
			return okdf_err_set(e, OKDF_EFAIL, "interrupted");
		}
		if (time(NULL) - start > FIRST_SYNC_SECONDS) {
			cli_printf(stderr, "\n");
			return okdf_err_set(e, OKDF_EFAIL, "the first sync took over %d s",
				FIRST_SYNC_SECONDS);
		}
		struct pollfd pfd = { .fd = wake_fd, .events = POLLIN };
		if (poll(&pfd, 1, 250) > 0) {
			char buf[256];
			while (read(wake_fd, buf, sizeof buf) > 0)
				;
		}
	}
}

int cmd_demo(okdf_cli *cli, int argc, char **argv, okdf_err *e)
{
	if (cli_wants_help(argc, argv)) {
		cli_printf(stdout, "%s", demo_usage);
		return OKDF_OK;
	}
	if (argc > 1)
		return okdf_err_set(e, OKDF_EINPUT, "unexpected argument '%s'\n%s", argv[1],
			demo_usage);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return okdf_err_set(e, OKDF_EINPUT, "needs a terminal on stdin and stdout");
	char sim[PATH_MAX];
	int rc = find_sim(sim, sizeof sim, e);
	if (rc)
		return rc;
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/okdf-demo-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return okdf_err_set(e, OKDF_EFAIL, "mkdtemp %s: %s", dir, strerror(errno));

	struct sigaction sa = { 0 }, old_int, old_term, old_hup;
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	interrupted = 0;

	cli_printf(stderr, "okdf demo: starting okdf-sim (seed %s, live) ...\n", DEMO_SEED);
	pid_t pid = start_sim(sim, dir, e);
	char cfg_path[PATH_MAX], db_path[PATH_MAX];
	if (!join(db_path, sizeof db_path, dir, "okdf.db") && pid > 0)
		rc = okdf_err_set(e, OKDF_EINPUT, "temporary directory path too long");
	okdf_config cfg;
	sync_engine *engine = NULL;
	int pipefd[2] = { -1, -1 };
	static struct progress prog = { .lock = PTHREAD_MUTEX_INITIALIZER };
	rc = pid < 0 ? OKDF_EFAIL : rc ? rc : write_config(pid, dir, cfg_path, sizeof cfg_path, e);
	if (!rc)
		rc = config_load(cfg_path, &cfg, e);
	if (!rc) {
		okdf_db *db;
		if (!(rc = db_open(db_path, &db, e)))
			db_close(db);
	}
	if (!rc && pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) != 0)
		rc = okdf_err_set(e, OKDF_EFAIL, "pipe: %s", strerror(errno));
	if (!rc) {
		prog.n = sync_enabled_connectors(&cfg, prog.names);
		sync_options so = { .cfg = &cfg, .db_path = db_path, .wake_fd = pipefd[1],
			.lock_fd = -1, .on_pass = on_pass, .arg = &prog };
		rc = sync_start(&so, &engine, e);
	}
	if (!rc)
		rc = first_sync(&prog, pipefd[0], e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (!rc) {
		okdf_cli demo_cli = *cli;
		demo_cli.db_opt = db_path;
		demo_cli.config_opt = cfg_path;
		rc = tui_run(&demo_cli, &cfg, db_path, 0, engine, pipefd[0], e);
	}
	if (engine)
		sync_stop(engine);
	stop_sim(pid);
	for (int i = 0; i < 2; i++)
		if (pipefd[i] >= 0)
			close(pipefd[i]);
	remove_dir(dir);
	return rc;
}

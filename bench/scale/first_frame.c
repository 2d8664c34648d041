/* Benchmark helper, not a test: runs a command in a pseudo-terminal and
 * prints the milliseconds from exec to the moment everything it wrote, with
 * escape sequences left out, holds every marker; then sends "q" and reaps it.
 * Exits 1 when the markers do not all appear within 60 s.
 *
 * usage: first_frame COLS ROWS MARKER[,MARKER...] -- COMMAND [ARG...] */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Appends text without escape sequences (CSI, OSC, two-byte ESC x). */
struct plain {
	char *buf;
	size_t len, cap;
	int state; /* 0 text, 1 after ESC, 2 in CSI, 3 in OSC */
};

static int plain_feed(struct plain *p, const char *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)in[i];
		switch (p->state) {
		case 1:
			p->state = ch == '[' ? 2 : ch == ']' ? 3 : 0;
			continue;
		case 2:
			if (ch >= 0x40 && ch <= 0x7e)
				p->state = 0;
			continue;
		case 3:
			if (ch == 0x07 || ch == 0x1b)
				p->state = ch == 0x1b ? 1 : 0;
			continue;
		default:
			break;
		}
		if (ch == 0x1b) {
			p->state = 1;
			continue;
		}
		if (p->len + 2 > p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 65536;
			char *g = realloc(p->buf, cap);
			if (!g)
				return -1;
			p->buf = g;
			p->cap = cap;
		}
		p->buf[p->len++] = (char)ch;
		p->buf[p->len] = '\0';
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: first_frame COLS ROWS MARKER[,MARKER...] -- COMMAND...\n");
		return 2;
	}
	struct winsize ws = { .ws_col = (unsigned short)atoi(argv[1]),
		.ws_row = (unsigned short)atoi(argv[2]) };
	char *markers[16];
	int n_markers = 0;
	for (char *save = NULL, *m = strtok_r(argv[3], ",", &save); m && n_markers < 16;
		m = strtok_r(NULL, ",", &save))
		markers[n_markers++] = m;
	int fd;
	double t0 = now_ms();
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[5], &argv[5]);
		_exit(127);
	}
	struct plain p = { 0 };
	double found_at = -1;
	char buf[65536];
	int found[16] = { 0 }, n_found = 0;
	while (found_at < 0 && now_ms() - t0 < 60000) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		ssize_t r = read(fd, buf, sizeof buf);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		if (plain_feed(&p, buf, (size_t)r))
			break;
		for (int i = 0; i < n_markers; i++)
			if (!found[i] && strstr(p.buf, markers[i])) {
				found[i] = 1;
				n_found++;
			}
		if (n_found == n_markers)
			found_at = now_ms() - t0;
	}
	if (write(fd, "q", 1) != 1)
		kill(pid, SIGTERM);
	double give_up = now_ms() + 5000;
	int status = 0;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() > give_up) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		/* Keep the pty drained so the child can finish writing. */
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, 20) > 0 && read(fd, buf, sizeof buf) <= 0)
			usleep(20000);
	}
	close(fd);
	free(p.buf);
	if (found_at < 0) {
		for (int i = 0; i < n_markers; i++)
			if (!found[i])
				fprintf(stderr, "first_frame: never saw \"%s\"\n", markers[i]);
		return 1;
	}
	printf("%.2f\n", found_at);
	return 0;
}

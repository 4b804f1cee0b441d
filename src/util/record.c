/*
 * record: see record.h.  The asciicast v2 format: a JSON header line, then
 * one JSON array per event: [seconds, "o", output], [seconds, "r",
 * "COLSxROWS"], [seconds, "m", label].  Output is JSON-escaped here, byte
 * by byte: every control byte as \u00XX, and a UTF-8 character cut between
 * two reads kept until its end comes (the file is always valid JSON and
 * UTF-8; a byte that is not UTF-8 becomes U+FFFD).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "util/fdio.h"
#include "util/i18n.h"
#include "util/record.h"
#include "util/utf8.h"

static int marker_fd = -1;	/* the program's end of the marker pipe */
static volatile sig_atomic_t winch, ended;

static void on_winch(int sig)
{
	(void)sig;
	winch = 1;
}

static void on_end(int sig)
{
	ended = sig;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* JSON string body of n bytes of text (valid UTF-8 expected; anything else is U+FFFD). */
static void json_text(FILE *f, const unsigned char *p, size_t n)
{
	while (n > 0) {
		uint32_t cp;
		size_t k = utf8_char(p, n, &cp);

		if (k == 0) {
			fputs("\\ufffd", f);
			k = 1;
		} else if (cp == '"' || cp == '\\') {
			fprintf(f, "\\%c", (char)cp);
		} else if (cp < 0x20 || cp == 0x7f) {
			fprintf(f, "\\u%04x", (unsigned)cp);
		} else {
			fwrite(p, 1, k, f);
		}
		p += k;
		n -= k;
	}
}

/* How many bytes at the end of p[0..n) are the start of a UTF-8 character not yet complete. */
static size_t utf8_tail(const unsigned char *p, size_t n)
{
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char c = p[n - back];

		if ((c & 0xc0) == 0x80)
			continue;	/* a continuation byte: look further back */
		if (c >= 0xc0) {
			size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

			return need > back ? back : 0;
		}
		return 0;
	}
	return 0;
}

static void event(FILE *f, double t, const char *kind, const unsigned char *p, size_t n)
{
	fprintf(f, "[%.6f, \"%s\", \"", t, kind);
	json_text(f, p, n);
	fputs("\"]\n", f);
	fflush(f);	/* a recording cut short (a crash, a full disk) keeps what came before */
}

static void copy_size(int from, int to, struct winsize *ws)
{
	if (ioctl(from, TIOCGWINSZ, ws) == 0)
		ioctl(to, TIOCSWINSZ, ws);
}

/* The recorder: until the program's side of the pty closes; then the program's status. */
static int recorder(int master, int marks, pid_t child, FILE *cast, double t0)
{
	unsigned char buf[8192 + 4], carry[4];
	size_t ncarry = 0;
	struct winsize ws;
	bool in_open = true;

	for (;;) {
		struct pollfd p[3] = {
			{ master, POLLIN, 0 }, { marks, POLLIN, 0 }, { in_open ? STDIN_FILENO : -1, POLLIN, 0 },
		};
		ssize_t r;

		if (winch) {
			char size[32];

			winch = 0;
			copy_size(STDIN_FILENO, master, &ws);
			snprintf(size, sizeof size, "%ux%u", (unsigned)ws.ws_col, (unsigned)ws.ws_row);
			event(cast, now() - t0, "r", (const unsigned char *)size, strlen(size));

		}
		if (ended) {
			kill(child, (int)ended);	/* the program ends as it would: its transcript says so */
			ended = 0;
		}
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[2].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = read(STDIN_FILENO, buf, sizeof buf - 4);
			if (r > 0)
				write_full(master, buf, (size_t)r);
			else if (r == 0 || errno != EINTR) {
				in_open = false;	/* the terminal went away: the program sees it as a hangup */
				kill(child, SIGHUP);
			}
		}
		if (p[1].revents & POLLIN) {
			char line[256];

			r = read(marks, line, sizeof line);
			/* one marker per write, its label ending in a newline (labels are short) */
			for (ssize_t a = 0, b = 0; b < r; b++)
				if (line[b] == '\n') {
					event(cast, now() - t0, "m", (unsigned char *)line + a, (size_t)(b - a));
					a = b + 1;
				}
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			size_t n, keep;

			memcpy(buf, carry, ncarry);
			r = read(master, buf + ncarry, sizeof buf - 4 - ncarry);
			if (r <= 0) {
				if (r < 0 && errno == EINTR)
					continue;
				break;	/* EIO: the program closed its side */
			}
			write_full(STDOUT_FILENO, buf + ncarry, (size_t)r);
			n = ncarry + (size_t)r;
			keep = utf8_tail(buf, n);
			event(cast, now() - t0, "o", buf, n - keep);
			memcpy(carry, buf + n - keep, keep);
			ncarry = keep;
		}
	}
	if (ncarry)
		event(cast, now() - t0, "o", carry, ncarry);
	{
		int st = 0;

		while (waitpid(child, &st, 0) < 0 && errno == EINTR)
			;
		return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
}

int record_start(const char *path, char *err, size_t errlen)
{
	struct termios saved, raw;
	struct winsize ws = { 24, 80, 0, 0 };
	int master, slave, marks[2], fd, status;
	FILE *cast;
	pid_t child;
	const char *term = getenv("TERM");
	double t0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || tcgetattr(STDIN_FILENO, &saved) < 0) {
		snprintf(err, errlen, _("--record: the screen must be a terminal"));
		return -1;
	}
	ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || (cast = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, _("--record: %s: %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 || grantpt(master) < 0 ||
	    unlockpt(master) < 0 || (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) < 0 ||
	    pipe2(marks, O_CLOEXEC) < 0) {
		snprintf(err, errlen, _("--record: no pseudo-terminal: %s"), strerror(errno));
		fclose(cast);
		unlink(path);
		return -1;
	}
	tcsetattr(slave, TCSANOW, &saved);
	ioctl(slave, TIOCSWINSZ, &ws);
	/* the header: the size, when, and the terminal it was made for */
	fprintf(cast, "{\"version\": 2, \"width\": %u, \"height\": %u, \"timestamp\": %ld, \"title\": \"sockplay\", "
		"\"env\": {\"TERM\": \"", (unsigned)ws.ws_col, (unsigned)ws.ws_row, (long)time(NULL));
	json_text(cast, (const unsigned char *)(term ? term : ""), term ? strlen(term) : 0);
	fputs("\"}}\n", cast);
	fflush(cast);
	child = fork();
	if (child < 0) {
		snprintf(err, errlen, _("--record: fork: %s"), strerror(errno));
		fclose(cast);
		unlink(path);
		return -1;
	}
	if (child == 0) {
		/* the program, on the pty, in a session of its own */
		fclose(cast);
		close(master);
		close(marks[0]);
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, STDIN_FILENO);
		dup2(slave, STDOUT_FILENO);
		dup2(slave, STDERR_FILENO);
		if (slave > STDERR_FILENO)
			close(slave);
		marker_fd = marks[1];
		return 0;
	}
	close(slave);
	close(marks[1]);
	signal(SIGWINCH, on_winch);
	signal(SIGTERM, on_end);
	signal(SIGINT, on_end);
	signal(SIGHUP, on_end);
	signal(SIGQUIT, on_end);
	raw = saved;
	cfmakeraw(&raw);
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	t0 = now();
	status = recorder(master, marks[0], child, cast, t0);
	tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (fclose(cast) != 0)
		fprintf(stderr, _("sockplay: --record: %s: %s\n"), path, strerror(errno));
	exit(status);
}

void record_marker(const char *label)
{
	char line[200];
	size_t n;

	if (marker_fd < 0)
		return;
	snprintf(line, sizeof line, "%s", label);
	utf8_clean(line, strlen(line));
	for (char *p = line; *p; p++)
		if (*p == '\n')
			*p = ' ';
	n = strlen(line);
	line[n] = '\n';
	if (write(marker_fd, line, n + 1) < 0)
		marker_fd = -1;	/* the recorder is gone: stop telling it */
}

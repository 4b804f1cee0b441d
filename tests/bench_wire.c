/*
 * bench_wire: what the capture costs, in a private network namespace.
 *
 *  1. Keeping up: UDP datagrams on loopback at 10,000 a second for two
 *     seconds, and then 10,000 in one burst, while a poll loop reads the
 *     capture as the screen's watcher does.  Every one must be captured
 *     and libpcap's drop counter must stay 0.
 *  2. Idle: the same poll loop for two seconds with nothing on the wire,
 *     against the loop without a capture: the CPU time (getrusage) and
 *     the wakeups.  The capture must add nothing measurable.
 *
 * A report, not a test (make bench): exits 1 when a target is missed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kernel/sandbox.h"
#include "kernel/sockets.h"
#include "kernel/wire.h"
#include "benchlib.h"

static int udp_bound(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	int big = 8 << 20;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		return -1;
	return fd;
}

/* Read what waits on the receiver, so its buffer never drops a datagram. */
static void sink_rx(int rx)
{
	char buf[64];

	while (recv(rx, buf, sizeof buf, 0) > 0)
		;
}

/* Send n datagrams at rate per second (0: at once), reading the capture as it goes. */
static void send_paced(struct wire *w, struct socktab *t, int tx, int rx, int n, double rate)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9999) };
	struct pollfd pfd = { .fd = wire_fd(w), .events = POLLIN };
	double t0 = now();

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < n; i++) {
		if (rate > 0) {
			double due = t0 + i / rate;

			while (now() < due) {
				/* the screen's loop: wake on the capture, read it */
				if (poll(&pfd, 1, 1) > 0)
					wire_drain(w, t, 1, NULL);
			}
		}
		sendto(tx, "x", 1, 0, (struct sockaddr *)&to, sizeof to);
		if (i % 64 == 0)
			sink_rx(rx);
	}
	for (double end = now() + 0.2; now() < end;) {
		if (poll(&pfd, 1, 10) > 0)
			wire_drain(w, t, 1, NULL);
		sink_rx(rx);
	}
}

/* Two seconds of an idle loop that wakes on fd or every 250 ms: CPU seconds, wakeups on fd. */
static double idle_loop(int fd, int *wakeups)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	double c0 = cpu_seconds(), end = now() + 2.0;

	*wakeups = 0;
	while (now() < end)
		if (poll(&pfd, 1, 250) > 0)
			++*wakeups;
	return cpu_seconds() - c0;
}

int main(void)
{
	char err[256];
	struct socktab t;
	struct wire *w;
	int rx, tx, fail = 0, wk_with, wk_without, pipefd[2];
	unsigned long before;
	size_t kept;
	double cpu_with, cpu_without;

	if (sandbox_enter(err, sizeof err) < 0) {
		fprintf(stderr, "bench_wire: needs a private network namespace: %s\n", err);
		return 77;
	}
	w = wire_open(false, err, sizeof err);
	if (w == NULL) {
		fprintf(stderr, "bench_wire: %s\n", err);
		return 1;
	}
	socktab_init(&t);
	rx = udp_bound(9999);
	tx = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (rx < 0 || tx < 0) {
		perror("bench_wire: socket");
		return 1;
	}
	printf("wire: the capture on the sandbox's loopback\n");
	printf("  %-34s %8s %9s %8s\n", "load", "sent", "captured", "dropped");
	{
		static const struct {
			const char *what;
			int n;
			double rate;
		} loads[] = {
			{ "10,000/s for 2 s, read as it comes", 20000, 10000 },
			{ "2,000 in one burst", 2000, 0 },
			{ "5,000 in one burst", 5000, 0 },
		};

		for (size_t k = 0; k < sizeof loads / sizeof loads[0]; k++) {
			unsigned long drop0 = wire_dropped(w);

			wire_clear(w);
			before = wire_seen(w);
			send_paced(w, &t, tx, rx, loads[k].n, loads[k].rate);
			wire_packets(w, &kept);
			printf("  %-34s %8d %9lu %8lu\n", loads[k].what, loads[k].n, wire_seen(w) - before,
			       wire_dropped(w) - drop0);
			if (wire_seen(w) - before != (unsigned long)loads[k].n || wire_dropped(w) != drop0) {
				printf("  target missed: every packet captured, none dropped\n");
				fail = 1;
			}
		}
	}
	if (pipe(pipefd) < 0)
		return 1;
	cpu_without = idle_loop(pipefd[0], &wk_without);
	cpu_with = idle_loop(wire_fd(w), &wk_with);
	printf("  idle 2 s, a loop waking every 250 ms: %.2f ms CPU and %d wakeups with the capture,\n"
	       "  %.2f ms CPU and %d without (%.3f%% of a core more)\n", cpu_with * 1e3, wk_with,
	       cpu_without * 1e3, wk_without, (cpu_with - cpu_without) / 2.0 * 100);
	/* nothing measurable: no wakeup, and under 0.05% of a core more (rusage's grain is 1-4 ms) */
	if (wk_with > 0 || cpu_with - cpu_without > 0.001) {
		printf("  target missed: an idle capture must cost nothing measurable\n");
		fail = 1;
	}
	wire_close(w);
	socktab_free(&t);
	return fail;
}

/*
 * bench_cable: what the cable costs, against a direct veth pair measured
 * in the same run, in a private network namespace.
 *
 *  1. Bulk TCP: BULK_MB MiB from one host to the other through the cable,
 *     and between two namespaces joined by one veth pair, the same
 *     offloads on both (transmit checksum offload off: no TSO).  Target:
 *     the cable at least half the direct pair's throughput.
 *  2. Ping-pong: PINGS one-byte requests and answers (TCP_NODELAY), the
 *     mean round trip.  Target: the cable at most twice the direct pair's.
 *  3. Nothing lost that the class did not drop: every frame the cable read
 *     it sent on (no send refused), and the kernel dropped none on its
 *     packet sockets (PACKET_STATISTICS).  The senders' retransmissions
 *     (TCP_INFO) are printed for both, not judged: a timer that fires
 *     early under a burst's latency sends again what was not lost.
 *  4. Idle: the loop with the cable and nothing on it for two seconds:
 *     its wakeups (ev_iteration) and CPU time.  Target: no wakeup but the
 *     bench's own timer.
 *
 * Rounds alternate cable and direct, so neither gets the quieter moment.
 * A report, not a test (make bench): exits 1 when a target is missed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "benchlib.h"
#include "kernel/sandbox.h"
#include "kernel/session.h"

#define BULK_MB 128
#define PINGS 5000
#define ROUNDS 5

static struct in_addr ip(const char *text)
{
	struct in_addr a;

	inet_pton(AF_INET, text, &a);
	return a;
}

/* A TCP socket made in namespace ns (-1: here). */
static int tcp_in(int ns, int home)
{
	int fd, one = 1;

	if (ns >= 0 && setns(ns, CLONE_NEWNET) < 0)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ns >= 0 && setns(home, CLONE_NEWNET) < 0)
		abort();
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

struct job {
	int cfd, lfd;		/* the client's socket, the server's listener */
	struct sockaddr_in to;
	int mode;		/* 0 bulk, 1 ping-pong */
	double secs;		/* what it measured */
	unsigned retrans;	/* the client's retransmissions */
	atomic_int done;
	int ok;
};

static void *server(void *arg)
{
	struct job *j = arg;
	int fd = accept(j->lfd, NULL, NULL);
	static char buf[1 << 16];
	ssize_t n;

	if (fd < 0)
		return NULL;
	if (j->mode == 0) {
		while ((n = read(fd, buf, sizeof buf)) > 0)
			;
	} else {
		char c;

		while (read(fd, &c, 1) == 1 && write(fd, &c, 1) == 1)
			;
	}
	close(fd);
	return NULL;
}

static void *client(void *arg)
{
	struct job *j = arg;
	static char buf[1 << 16];
	struct tcp_info ti;
	socklen_t tl = sizeof ti;
	double t0;

	if (connect(j->cfd, (struct sockaddr *)&j->to, sizeof j->to) < 0)
		goto out;
	t0 = now();
	if (j->mode == 0) {
		for (long left = (long)BULK_MB << 20; left > 0;) {
			ssize_t w = write(j->cfd, buf, left < (long)sizeof buf ? (size_t)left : sizeof buf);

			if (w <= 0)
				goto out;
			left -= w;
		}
		shutdown(j->cfd, SHUT_WR);
		{
			char c;

			(void)read(j->cfd, &c, 1);	/* the server's close: everything arrived */
		}
	} else {
		for (int i = 0; i < PINGS; i++) {
			char c = 'x';

			if (write(j->cfd, &c, 1) != 1 || read(j->cfd, &c, 1) != 1)
				goto out;
		}
	}
	j->secs = now() - t0;
	if (getsockopt(j->cfd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0)
		j->retrans = ti.tcpi_total_retrans;
	j->ok = 1;
out:
	close(j->cfd);
	atomic_store(&j->done, 1);
	return NULL;
}

static void check_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct job *j = w->data;

	(void)revents;
	if (atomic_load(&j->done))
		ev_break(loop, EVBREAK_ONE);
}

/*
 * One measure: a listener in ns_b on b:port, a client in ns_a; the loop
 * runs meanwhile (it carries the cable's frames; for the direct pair it
 * only waits).
 */
static int measure(struct ev_loop *loop, int home, int ns_a, int ns_b, const char *b, int port, int mode,
		   double *secs, unsigned *retrans)
{
	struct job j = { .mode = mode };
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	pthread_t ts, tc;
	ev_timer check;
	int one = 1;

	j.lfd = tcp_in(ns_b, home);
	j.cfd = tcp_in(ns_a, home);
	la.sin_addr = ip(b);
	setsockopt(j.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (j.lfd < 0 || j.cfd < 0 || bind(j.lfd, (struct sockaddr *)&la, sizeof la) < 0 || listen(j.lfd, 4) < 0)
		return -1;
	j.to = la;
	atomic_init(&j.done, 0);
	pthread_create(&ts, NULL, server, &j);
	pthread_create(&tc, NULL, client, &j);
	ev_timer_init(&check, check_cb, 0.005, 0.005);
	check.data = &j;
	ev_timer_start(loop, &check);
	ev_run(loop, 0);
	ev_timer_stop(loop, &check);
	pthread_join(tc, NULL);
	pthread_join(ts, NULL);
	close(j.lfd);
	*secs = j.secs;
	*retrans = j.retrans;
	return j.ok ? 0 : -1;
}

static unsigned long packet_drops(const struct cable *c)
{
	unsigned long d = 0;

	for (size_t i = 0; i < HOSTS_MAX; i++) {
		struct tpacket_stats st;
		socklen_t l = sizeof st;

		if (c->port[i].fd >= 0 && getsockopt(c->port[i].fd, SOL_PACKET, PACKET_STATISTICS, &st, &l) == 0)
			d += st.tp_drops;
	}
	return d;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(loop, EVBREAK_ONE);
}

int main(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	struct session s;
	char err[256] = "";
	int direct[2], home, missed = 0, port = 6000;
	double bulk[2][ROUNDS], ping[2][ROUNDS];
	unsigned retrans[2] = { 0, 0 };
	unsigned long drops;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sandbox_enter(err, sizeof err) != 0) {
		printf("bench_cable: no sandbox: %s\n", err);
		return 1;
	}
	session_init(&s, loop);
	s.sandboxed = true;
	if (session_host_add(&s, "a", ip("10.0.0.1"), 24, err, sizeof err) < 0 ||
	    session_host_add(&s, "b", ip("10.0.0.2"), 24, err, sizeof err) < 0 ||
	    hosts_direct_pair(&s.hosts, ip("10.0.1.1"), ip("10.0.1.2"), 24, direct, err, sizeof err) < 0) {
		printf("bench_cable: %s\n", err);
		return 1;
	}
	home = s.hosts.homefd;
	printf("== the cable against a direct veth pair (same offloads: transmit checksum off), %d rounds each\n",
	       ROUNDS);
	for (int r = 0; r < ROUNDS; r++)
		for (int k = 0; k < 2; k++) {
			int which = (r + k) % 2;	/* 0 cable, 1 direct: the order turns */
			int na = which ? direct[0] : s.hosts.v[0].nsfd, nb = which ? direct[1] : s.hosts.v[1].nsfd;
			const char *b = which ? "10.0.1.2" : "10.0.0.2";
			unsigned rt_bulk, rt_ping;

			if (measure(loop, home, na, nb, b, port++, 0, &bulk[which][r], &rt_bulk) < 0 ||
			    measure(loop, home, na, nb, b, port++, 1, &ping[which][r], &rt_ping) < 0) {
				printf("bench_cable: a %s measure failed\n", which ? "direct" : "cable");
				return 1;
			}
			retrans[which] += rt_bulk + rt_ping;
		}
	for (int w = 0; w < 2; w++) {
		qsort(bulk[w], ROUNDS, sizeof bulk[w][0], cmp_double);
		qsort(ping[w], ROUNDS, sizeof ping[w][0], cmp_double);
	}
	{
		double mb_c = BULK_MB / bulk[0][ROUNDS / 2], mb_d = BULK_MB / bulk[1][ROUNDS / 2];
		double rtt_c = ping[0][ROUNDS / 2] / PINGS * 1e6, rtt_d = ping[1][ROUNDS / 2] / PINGS * 1e6;
		bool ok_bulk = mb_c >= 0.5 * mb_d, ok_ping = rtt_c <= 2 * rtt_d;

		printf("bulk TCP, %d MiB (median of %d): cable %.0f MiB/s, direct %.0f MiB/s: %.2fx (target >= 0.5x) %s\n",
		       BULK_MB, ROUNDS, mb_c, mb_d, mb_c / mb_d, ok_bulk ? "ok" : "MISSED");
		printf("ping-pong, 1 byte, %d round trips (median): cable %.1f us, direct %.1f us: %.2fx (target <= 2x) %s\n",
		       PINGS, rtt_c, rtt_d, rtt_c / rtt_d, ok_ping ? "ok" : "MISSED");
		missed += !ok_bulk + !ok_ping;
	}
	drops = packet_drops(&s.cable);
	printf("nothing lost: %lu frames through the cable, %lu sent on, %lu sends refused, %lu dropped by the kernel "
	       "on its packet sockets %s (TCP retransmissions, the stack's own timers: cable %u, direct %u)\n",
	       s.cable.frames, s.cable.passed, s.cable.failed, drops,
	       s.cable.failed == 0 && drops == 0 && s.cable.passed == s.cable.frames ? "ok" : "LOST", retrans[0], retrans[1]);
	missed += !(s.cable.failed == 0 && drops == 0 && s.cable.passed == s.cable.frames);
	{
		ev_timer idle;
		unsigned before = ev_iteration(loop);
		double c0 = cpu_seconds();
		unsigned wakes;

		ev_timer_init(&idle, idle_cb, 2.0, 0.);
		ev_timer_start(loop, &idle);
		ev_run(loop, 0);
		wakes = ev_iteration(loop) - before;
		printf("idle cable, 2 s: %u loop wakeups (the bench's own timer is 1), %.1f ms of CPU %s\n", wakes,
		       (cpu_seconds() - c0) * 1000, wakes <= 1 ? "ok" : "MISSED");
		missed += wakes > 1;
	}
	close(direct[0]);
	close(direct[1]);
	session_free(&s);
	return missed ? 1 : 0;
}

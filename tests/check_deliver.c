/*
 * check_deliver: the model of which socket gets a datagram or a connection
 * (kernel/deliver.c) against the kernel, case by case.
 *
 * UDP: every ordered pair, and a fixed sample of triples, of sockets drawn
 * from seven addresses (IPv4 and its wildcard, [::] with and without
 * V6ONLY, [::1], an IPv4-mapped address and the mapped wildcard), four
 * option sets (none, SO_REUSEADDR, SO_REUSEPORT, both) and three ways of
 * being connected (not, to the sender, elsewhere), connected as they are
 * bound or after all are bound; a datagram from an IPv4 and from an IPv6
 * sender.  TCP: every ordered triple of listeners drawn from the same
 * addresses with and without SO_REUSEPORT, listening in the order they
 * were bound or the reverse; a connection from each family.  The socket
 * that got it must be the one the model names, or a member of the group
 * it names; nobody must get it when the model says nobody.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/deliver.h"
#include "testlib.h"

struct addrcase {
	const char *text;
	int family;
	bool v6only;
};

static const struct addrcase addrs[] = {
	{ "0.0.0.0", AF_INET, false },
	{ "127.0.0.1", AF_INET, false },
	{ "[::]", AF_INET6, false },
	{ "[::]", AF_INET6, true },
	{ "[::1]", AF_INET6, false },
	{ "[::ffff:127.0.0.1]", AF_INET6, false },
	{ "[::ffff:0.0.0.0]", AF_INET6, false },
};
#define NADDRS 7
enum { C_NO, C_SENDER, C_ELSEWHERE, NCONN };
static const char *const conn_name[] = { "", " connected", " connected elsewhere" };
#define NOPTS 4
#define MAXSOCKS 3

struct spec {
	int addr, opts, conn;
};

static int base_port, nth;
static int mismatches, judged;

/* A port for the next case: the cases leave nothing behind (no TIME_WAIT), so a few hundred serve. */
static int case_port(void)
{
	return base_port + nth++ % 400;
}

/* A spec as one number, for walking the matrix. */
static struct spec spec_of(int k, int type)
{
	struct spec s;

	s.addr = k % NADDRS;
	k /= NADDRS;
	s.opts = k % NOPTS;
	s.conn = type == SOCK_DGRAM ? k / NOPTS : C_NO;
	return s;
}

static void describe(char *buf, size_t len, const struct spec *sp, int n, int type, bool late, int sfam)
{
	size_t at = (size_t)snprintf(buf, len, "%s, sender %s%s:", type == SOCK_STREAM ? "tcp" : "udp",
				     sfam == AF_INET ? "127.0.0.1" : "[::1]",
				     late ? (type == SOCK_STREAM ? ", listen in reverse" : ", connect late") : "");

	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, " [%d] %s%s%s%s%s", i, addrs[sp[i].addr].text,
				       addrs[sp[i].addr].v6only ? " v6only" : "",
				       sp[i].opts & 1 ? " reuseaddr" : "", sp[i].opts & 2 ? " reuseport" : "",
				       conn_name[sp[i].conn]);
}

static int mk(const struct spec *sp, int type, int port, struct dl_sock *d)
{
	const struct addrcase *a = &addrs[sp->addr];
	int fd = socket(a->family, type | SOCK_NONBLOCK, 0), on = 1, v6 = a->v6only;
	char text[64], err[100];

	ck_assert_int_ge(fd, 0);
	if (a->family == AF_INET6)
		ck_assert_int_eq(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6, sizeof v6), 0);
	if (sp->opts & 1)
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on), 0);
	if (sp->opts & 2)
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on), 0);
	memset(d, 0, sizeof *d);
	d->type = type;
	d->family = a->family;
	d->v6only = a->v6only;
	d->reuseport = sp->opts & 2;
	snprintf(text, sizeof text, "%s:%d", a->text, port);
	ck_assert_int_eq(addr_parse(text, a->family, &d->local, err, sizeof err), 0);
	return fd;
}

static int do_bind(int fd, const struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_to_sockaddr(ep, &ss);

	return bind(fd, (struct sockaddr *)&ss, len) == 0 ? 0 : -1;
}

/* The socket's address as the kernel holds it now. */
static void local_of(int fd, struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	addr_from_sockaddr((struct sockaddr *)&ss, ep);
}

/* Connect a UDP socket as the spec says; the model learns its new place. */
static int udp_connect(int fd, struct dl_sock *v, int n, int i, const struct spec *sp,
		       const struct endpoint *sender, unsigned *seq, unsigned *groups)
{
	struct endpoint to = *sender, before = v[i].local;
	struct sockaddr_storage ss;
	socklen_t len;

	if (sp->conn == C_NO)
		return 0;
	if (sp->conn == C_ELSEWHERE)
		to.port++;
	if (v[i].family == AF_INET6 && to.family == AF_INET) {
		/* the sender as an IPv6 socket sees it: ::ffff:127.0.0.1 */
		to.family = AF_INET6;
		memset(to.addr, 0, 16);
		to.addr[10] = to.addr[11] = 0xff;
		memcpy(to.addr + 12, sender->addr, 4);
	} else if (v[i].family != to.family) {
		return -1;
	}
	len = addr_to_sockaddr(&to, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		return -1;
	v[i].peer = to;
	local_of(fd, &v[i].local);
	if (!addr_equal(&before, &v[i].local))
		deliver_place(v, (size_t)n, &v[i], true, seq, groups);
	v[i].cseq = ++*seq;
	return 0;
}

static int open_sender(int family, struct endpoint *ep)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	char err[100];

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(addr_parse(family == AF_INET ? "127.0.0.1:0" : "[::1]:0", family, ep, err,
				    sizeof err), 0);
	ck_assert_int_eq(do_bind(fd, ep), 0);
	local_of(fd, ep);
	return fd;
}

/*
 * Where the model names a group, the kernel's hash must reach every member
 * and nobody else: NSPREAD packets from as many source ports (a member
 * missed by all of them: (2/3)^64, never in practice).
 */
#define NSPREAD 64
static int spread_fd[2][NSPREAD];
static struct endpoint spread_ep[2][NSPREAD];

static void spread_open(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	for (int f = 0; f < 2; f++)
		for (int k = 0; k < NSPREAD; k++)
			spread_fd[f][k] = open_sender(f ? AF_INET6 : AF_INET, &spread_ep[f][k]);
}

static void spread_judge(const struct dl_sock *v, int n, const struct dl_pick *p, unsigned reached,
			 const struct spec *sp, int type, bool late, int sfam)
{
	unsigned want = 0;
	char what[512];

	for (int i = 0; i < n; i++)
		if (dl_in_pick(v, (size_t)n, (size_t)i, p))
			want |= 1u << i;
	judged++;
	if (reached == want)
		return;
	describe(what, sizeof what, sp, n, type, late, sfam);
	if (mismatches++ < 12)
		fprintf(stderr, "%s: the kernel spread over sockets %#x, the model's group is %#x\n", what,
			reached, want);
}

/* The model's word against the kernel's for one packet; a mismatch is said on stderr. */
static void judge(const struct dl_sock *v, int n, const struct dl_pick *p, int got,
		  const struct spec *sp, int type, bool late, int sfam)
{
	bool ok = got < 0 ? p->one < 0 && p->why == DL_NOBODY : dl_in_pick(v, (size_t)n, (size_t)got, p);
	char what[512];

	judged++;
	if (ok)
		return;
	describe(what, sizeof what, sp, n, type, late, sfam);
	if (mismatches++ < 12)
		fprintf(stderr, "%s: kernel gave it to %d, the model says %s%d (why %d)\n", what, got,
			p->why == DL_GROUP ? "group " : "", p->why == DL_GROUP ? (int)p->group : p->one, p->why);
}

/* UDP: sockets sp[0..n) on one port; two datagrams from a sender of family sfam. */
/*
 * Loopback delivers a datagram from the sender's own CPU backlog: at once
 * on an idle machine, but from ksoftirqd, later, on a busy one (CI running
 * two test suites at a time), where a datagram of one case once landed in
 * a socket of the next case that reused its port.  So the test runs on one
 * CPU (the backlog is per CPU and first in, first out), and after each send
 * a barrier datagram to a socket of its own is waited for: once it is
 * read, every datagram sent before it has been delivered.
 */
static int barrier_rx = -1, barrier_tx = -1;
static struct sockaddr_storage barrier_to;
static socklen_t barrier_len;

static void barrier_open(void)
{
	cpu_set_t one;
	struct endpoint ep;

	if (barrier_rx >= 0)
		return;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof one, &one), 0);
	barrier_rx = open_sender(AF_INET, &ep);
	barrier_tx = open_sender(AF_INET, &ep);
	local_of(barrier_rx, &ep);
	barrier_len = addr_to_sockaddr(&ep, &barrier_to);
}

static void barrier(void)
{
	struct pollfd pf = { barrier_rx, POLLIN, 0 };
	char b[8];

	ck_assert_int_eq(sendto(barrier_tx, "b", 1, 0, (struct sockaddr *)&barrier_to, barrier_len), 1);
	ck_assert_int_eq(poll(&pf, 1, 5000), 1);
	ck_assert_int_eq(recv(barrier_rx, b, sizeof b, MSG_DONTWAIT), 1);
}

/* A case's sockets: the made ones, and the one whose bind failed (made < n). */
static void close_case(const int *fd, int made, int n)
{
	for (int i = 0; i < made; i++)
		close(fd[i]);
	if (made < n)
		close(fd[made]);
}

static void udp_case(const struct spec *sp, int n, bool late, int sfam)
{
	int port = case_port(), fd[MAXSOCKS], sfd, made = 0;
	struct dl_sock v[MAXSOCKS];
	struct endpoint sender, dst;
	unsigned seq = 0, groups = 0;
	char err[100];

	barrier_open();
	sfd = open_sender(sfam, &sender);
	for (int i = 0; i < n; i++, made++) {
		fd[i] = mk(&sp[i], SOCK_DGRAM, port, &v[i]);
		if (do_bind(fd[i], &v[i].local) < 0)
			goto out;	/* the kernel would not have this set: no case */
		local_of(fd[i], &v[i].local);
		deliver_place(v, (size_t)i, &v[i], false, &seq, &groups);
		if (!late && udp_connect(fd[i], v, i + 1, i, &sp[i], &sender, &seq, &groups) < 0)
			goto out;
	}
	for (int i = 0; late && i < n; i++)
		if (udp_connect(fd[i], v, n, i, &sp[i], &sender, &seq, &groups) < 0)
			goto out;
	ck_assert_int_eq(addr_parse(sfam == AF_INET ? "127.0.0.1:1" : "[::1]:1", sfam, &dst, err, sizeof err), 0);
	dst.port = (uint16_t)port;
	for (int k = 0; k < 2; k++) {
		struct dl_pick p = deliver_pick(v, (size_t)n, SOCK_DGRAM, &dst, &sender);
		struct sockaddr_storage ss;
		socklen_t len = addr_to_sockaddr(&dst, &ss);
		int got = -1;
		char b[8];

		ck_assert_int_eq(sendto(sfd, "x", 1, 0, (struct sockaddr *)&ss, len), 1);
		barrier();
		for (int i = 0; i < n; i++)
			if (recv(fd[i], b, sizeof b, MSG_DONTWAIT) == 1)
				got = i;
		judge(v, n, &p, got, sp, SOCK_DGRAM, late, sfam);
		if (k == 0 && p.why == DL_GROUP) {
			unsigned reached = 0;

			for (int j = 0; j < NSPREAD; j++) {
				/*
				 * A spread sender whose port is a case socket's peer (one
				 * connected "elsewhere", to the sender's port + 1) is that
				 * socket's own: the kernel rightly gives it the datagram.
				 * Ephemeral ports made that happen now and then.
				 */
				bool peer = false;

				for (int i = 0; i < n; i++)
					peer |= v[i].peer.family && v[i].peer.port == spread_ep[sfam == AF_INET6][j].port;
				if (peer)
					continue;
				ck_assert_int_eq(sendto(spread_fd[sfam == AF_INET6][j], "x", 1, 0,
							(struct sockaddr *)&ss, len), 1);
				barrier();
				for (int i = 0; i < n; i++)
					if (recv(fd[i], b, sizeof b, MSG_DONTWAIT) == 1)
						reached |= 1u << i;
			}
			spread_judge(v, n, &p, reached, sp, SOCK_DGRAM, late, sfam);
		}
	}
out:
	close_case(fd, made, n);
	close(sfd);
}

/* One connection to dst: the listener that queued it, or -1. */
static int tcp_one(const int *fd, int n, const struct endpoint *dst)
{
	struct linger rst = { 1, 0 };
	struct sockaddr_storage ss;
	socklen_t len = addr_to_sockaddr(dst, &ss);
	int c = socket(dst->family, SOCK_STREAM, 0), got = -1;

	barrier_open();
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_LINGER, &rst, sizeof rst), 0);
	if (connect(c, (struct sockaddr *)&ss, len) < 0) {
		ck_assert_int_eq(errno, ECONNREFUSED);
		close(c);
		return -1;
	}
	close(c);	/* with RST: no TIME_WAIT holds the port for the next case */
	barrier();	/* the handshake's last ACK has reached the listener */
	for (int i = 0; i < n; i++) {
		int a = accept(fd[i], NULL, NULL);

		if (a >= 0) {
			got = i;
			close(a);
		}
	}
	return got;
}

/* TCP: listeners sp[0..n) on one port (listen in bind order, or the reverse); one connection. */
static void tcp_case(const struct spec *sp, int n, bool reverse, int sfam)
{
	int port = case_port(), fd[MAXSOCKS], made = 0, got;
	struct dl_sock v[MAXSOCKS];
	struct endpoint sender, dst;
	unsigned seq = 0, groups = 0;
	struct dl_pick p;
	char err[100];

	for (int i = 0; i < n; i++, made++) {
		fd[i] = mk(&sp[i], SOCK_STREAM, port, &v[i]);
		if (do_bind(fd[i], &v[i].local) < 0)
			goto out;
	}
	for (int k = 0; k < n; k++) {
		int i = reverse ? n - 1 - k : k;

		if (listen(fd[i], 8) < 0)
			goto out;
		deliver_place(v, (size_t)n, &v[i], false, &seq, &groups);
	}
	ck_assert_int_eq(addr_parse(sfam == AF_INET ? "127.0.0.1:1" : "[::1]:1", sfam, &dst, err, sizeof err), 0);
	dst.port = (uint16_t)port;
	memset(&sender, 0, sizeof sender);
	sender.family = sfam;
	p = deliver_pick(v, (size_t)n, SOCK_STREAM, &dst, &sender);
	got = tcp_one(fd, n, &dst);
	judge(v, n, &p, got, sp, SOCK_STREAM, reverse, sfam);
	if (p.why == DL_GROUP) {
		unsigned reached = 0;

		for (int j = 0; j < NSPREAD; j++)
			if ((got = tcp_one(fd, n, &dst)) >= 0)
				reached |= 1u << got;
		spread_judge(v, n, &p, reached, sp, SOCK_STREAM, reverse, sfam);
	}
out:
	close_case(fd, made, n);
}

START_TEST(udp_pairs)
{
	int nspec = NADDRS * NOPTS * NCONN;

	mismatches = judged = 0;
	spread_open();
	for (int a = 0; a < nspec; a++)
		for (int b = 0; b < nspec; b++) {
			struct spec sp[2] = { spec_of(a, SOCK_DGRAM), spec_of(b, SOCK_DGRAM) };

			for (int late = 0; late < 2; late++) {
				if (late && sp[0].conn == C_NO)
					continue;	/* the same case */
				udp_case(sp, 2, late, AF_INET);
				udp_case(sp, 2, late, AF_INET6);
			}
		}
	ck_assert_msg(judged > 10000, "only %d UDP datagrams judged", judged);
	ck_assert_msg(mismatches == 0, "%d UDP pairs where the model and the kernel disagree", mismatches);
}
END_TEST

START_TEST(udp_triples)
{
	int nspec = NADDRS * NOPTS * NCONN;
	unsigned x = 12345;

	mismatches = judged = 0;
	spread_open();
	for (int k = 0; k < 6000; k++) {
		struct spec sp[3];

		for (int i = 0; i < 3; i++) {
			x = x * 1103515245u + 12345u;
			sp[i] = spec_of((int)((x >> 8) % (unsigned)nspec), SOCK_DGRAM);
			/* most triples that share a port share an option: draw them so */
			if (i && (x >> 4) % 4)
				sp[i].opts = sp[0].opts ? sp[0].opts : 1;
		}
		udp_case(sp, 3, k & 1, (k >> 1) & 1 ? AF_INET6 : AF_INET);
	}
	ck_assert_msg(judged > 2500, "only %d UDP datagrams judged", judged);
	ck_assert_msg(mismatches == 0, "%d UDP triples where the model and the kernel disagree", mismatches);
}
END_TEST

START_TEST(tcp_triples)
{
	int nspec = NADDRS * 2;

	mismatches = judged = 0;
	spread_open();
	for (int a = 0; a < nspec; a++)
		for (int b = 0; b < nspec; b++)
			for (int c = 0; c < nspec; c++) {
				/* opts: none or SO_REUSEPORT (a listener shares only with that) */
				struct spec sp[3] = { { a % NADDRS, (a / NADDRS) * 2, C_NO },
						      { b % NADDRS, (b / NADDRS) * 2, C_NO },
						      { c % NADDRS, (c / NADDRS) * 2, C_NO } };

				for (int rev = 0; rev < 2; rev++) {
					tcp_case(sp, 3, rev, AF_INET);
					tcp_case(sp, 3, rev, AF_INET6);
				}
			}
	ck_assert_msg(judged > 1600, "only %d connections judged", judged);
	ck_assert_msg(mismatches == 0, "%d TCP triples where the model and the kernel disagree", mismatches);
}
END_TEST

/* The why the model gives, on the cases a lesson uses. */
START_TEST(why_words)
{
	struct dl_sock v[3];
	struct endpoint dst, src;
	struct dl_pick p;
	unsigned seq = 0, groups = 0;
	char err[100];

	memset(v, 0, sizeof v);
	for (int i = 0; i < 3; i++) {
		v[i].type = SOCK_STREAM;
		v[i].family = AF_INET;
		v[i].reuseport = true;
		ck_assert_int_eq(addr_parse(i == 1 ? "127.0.0.1:5000" : "0.0.0.0:5000", AF_INET, &v[i].local,
					    err, sizeof err), 0);
		deliver_place(v, 3, &v[i], false, &seq, &groups);
	}
	ck_assert_int_eq(addr_parse("127.0.0.1:5000", AF_INET, &dst, err, sizeof err), 0);
	ck_assert_int_eq(addr_parse("127.0.0.1:40000", AF_INET, &src, err, sizeof err), 0);
	/* w2 0.0.0.0, s2 127.0.0.1, w3 0.0.0.0: the exact address, not the newest */
	p = deliver_pick(v, 3, SOCK_STREAM, &dst, &src);
	ck_assert_int_eq(p.one, 1);
	ck_assert_int_eq(p.why, DL_EXACT);
	ck_assert_int_eq(v[0].group, v[2].group);
	/* without s2, the group of w2 and w3 */
	v[1].local.port = 5001;
	p = deliver_pick(v, 3, SOCK_STREAM, &dst, &src);
	ck_assert_int_eq(p.why, DL_GROUP);
	ck_assert(dl_in_pick(v, 3, 0, &p) && dl_in_pick(v, 3, 2, &p) && !dl_in_pick(v, 3, 1, &p));
	/* UDP, two on one address with SO_REUSEADDR: the newest */
	for (int i = 0; i < 2; i++) {
		v[i].type = SOCK_DGRAM;
		v[i].reuseport = false;
		v[i].local = dst;
		deliver_place(v, 2, &v[i], false, &seq, &groups);
	}
	p = deliver_pick(v, 2, SOCK_DGRAM, &dst, &src);
	ck_assert_int_eq(p.one, 1);
	ck_assert_int_eq(p.why, DL_NEWEST);
	ck_assert_int_eq(p.rival, 0);
	/* the older one connected to the sender: it wins */
	v[0].peer = src;
	v[0].cseq = ++seq;
	p = deliver_pick(v, 2, SOCK_DGRAM, &dst, &src);
	ck_assert_int_eq(p.one, 0);
	ck_assert_int_eq(p.why, DL_CONNECTED);
	/* connected elsewhere: it takes nothing from this sender */
	v[0].peer.port++;
	p = deliver_pick(v, 2, SOCK_DGRAM, &dst, &src);
	ck_assert_int_eq(p.one, 1);
	ck_assert_int_eq(p.why, DL_ONLY);
}
END_TEST

static Suite *deliver_suite(void)
{
	Suite *s = suite_create("deliver");
	TCase *tc = tcase_create("model");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, why_words);
	tcase_add_test(tc, udp_pairs);
	tcase_add_test(tc, udp_triples);
	tcase_add_test(tc, tcp_triples);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	test_isolate();
	base_port = tport(0);
	return trun_suite(deliver_suite()) ? 1 : 0;
}

/*
 * check_kernel: every experiment of the classic "who owns a port" article,
 * run through the command language on real loopback sockets, asserting the
 * errno the kernel really gives (measured on Linux 6.x; see DESIGN.md).
 * Each test uses ports of its own: TIME_WAIT from one must not touch another.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>

#include "kernel/sysctl.h"
#include "testlib.h"

static struct tsess T;

static void setup(void)
{
	tsess_init(&T);
}

static void teardown(void)
{
	tsess_free(&T);
}

/* A connected pair through a listener: srv listens on port, c connects, a accepted. */
static void connected_pair(int port, const char *srvopt)
{
	RUN_OK(&T, "tcp srv");
	if (srvopt)
		RUN_OK(&T, "set srv %s on", srvopt);
	RUN_OK(&T, "bind srv 127.0.0.1:%d", port);
	RUN_OK(&T, "listen srv");
	RUN_OK(&T, "tcp c");
	RUN_OK(&T, "connect c 127.0.0.1:%d", port);
	RUN_OK(&T, "accept srv a");
}

START_TEST(tcp_and_udp_share_a_port)
{
	int p = tport(1);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "bind s1 127.0.0.1:%d", p);
	RUN_OK(&T, "listen s1");
	RUN_OK(&T, "udp s2");
	RUN_OK(&T, "bind s2 127.0.0.1:%d", p);
	RUN_COUNT(&T, 1, "net tcp LISTEN :%d", p);
	RUN_COUNT(&T, 1, "net udp :%d", p);
}
END_TEST

START_TEST(same_address_twice)
{
	int p = tport(2);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "bind s1 127.0.0.1:%d", p);
	RUN_OK(&T, "listen s1");
	RUN_OK(&T, "tcp s2");
	RUN_ERR(&T, EADDRINUSE, "bind s2 127.0.0.1:%d", p);
	SAYS(&T, "why: s1 is LISTEN on 127.0.0.1:");
	/* nothing changed: s2 is still unbound and can go elsewhere */
	RUN_OK(&T, "bind s2 127.0.0.1:%d", p + 1);
}
END_TEST

START_TEST(same_address_twice_unlistened)
{
	int p = tport(3);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "bind s1 127.0.0.1:%d", p);
	RUN_OK(&T, "tcp s2");
	RUN_ERR(&T, EADDRINUSE, "bind s2 127.0.0.1:%d", p);
	SAYS(&T, "s1 has no SO_REUSEADDR");
}
END_TEST

START_TEST(different_ips_are_fine)
{
	int p = tport(4);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "bind s1 127.0.0.1:%d", p);
	RUN_OK(&T, "listen s1");
	RUN_OK(&T, "tcp s2");
	RUN_OK(&T, "bind s2 127.0.0.2:%d", p);
	RUN_OK(&T, "listen s2");
	RUN_COUNT(&T, 2, "net tcp LISTEN :%d", p);
}
END_TEST

START_TEST(wildcard_then_specific)
{
	int p = tport(5);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "bind s1 0.0.0.0:%d", p);
	RUN_OK(&T, "tcp s2");
	RUN_ERR(&T, EADDRINUSE, "bind s2 127.0.0.1:%d", p);
	SAYS(&T, "wildcard address");
}
END_TEST

START_TEST(specific_then_wildcard)
{
	int p = tport(6);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "bind s1 127.0.0.1:%d", p);
	RUN_OK(&T, "tcp s2");
	RUN_ERR(&T, EADDRINUSE, "bind s2 *:%d", p);
}
END_TEST

START_TEST(reuseaddr_binds_pass_second_listen_fails)
{
	int p = tport(7);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "set s1 reuseaddr on");
	RUN_OK(&T, "bind s1 0.0.0.0:%d", p);
	RUN_OK(&T, "tcp s2");
	RUN_OK(&T, "set s2 reuseaddr on");
	RUN_OK(&T, "bind s2 127.0.0.1:%d", p);
	SAYS(&T, "both have SO_REUSEADDR");
	RUN_OK(&T, "listen s1");
	RUN_ERR(&T, EADDRINUSE, "listen s2");
	SAYS(&T, "s1 already LISTENs on 0.0.0.0:");
}
END_TEST

START_TEST(reuseaddr_same_address_second_listen_fails)
{
	int p = tport(8);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "set s1 reuseaddr on");
	RUN_OK(&T, "bind s1 127.0.0.1:%d", p);
	RUN_OK(&T, "tcp s2");
	RUN_OK(&T, "set s2 reuseaddr on");
	RUN_OK(&T, "bind s2 127.0.0.1:%d", p);
	RUN_OK(&T, "listen s2");
	RUN_ERR(&T, EADDRINUSE, "listen s1");
}
END_TEST

START_TEST(reuseaddr_against_a_listener)
{
	int p = tport(9);

	RUN_OK(&T, "tcp s1");
	RUN_OK(&T, "set s1 reuseaddr on");
	RUN_OK(&T, "bind s1 0.0.0.0:%d", p);
	RUN_OK(&T, "listen s1");
	RUN_OK(&T, "tcp s2");
	RUN_OK(&T, "set s2 reuseaddr on");
	RUN_ERR(&T, EADDRINUSE, "bind s2 127.0.0.1:%d", p);
	SAYS(&T, "Linux refuses any other bind");
}
END_TEST

START_TEST(reuseport_group)
{
	int p = tport(10), total = 0;

	for (int i = 1; i <= 2; i++) {
		RUN_OK(&T, "tcp l%d", i);
		RUN_OK(&T, "set l%d reuseport on", i);
		RUN_OK(&T, "bind l%d 127.0.0.1:%d", i, p);
		RUN_OK(&T, "listen l%d", i);
	}
	SAYS(&T, "both have SO_REUSEPORT");
	RUN_COUNT(&T, 2, "net tcp LISTEN :%d", p);
	for (int i = 1; i <= 8; i++) {
		RUN_OK(&T, "tcp c%d", i);
		RUN_OK(&T, "connect c%d 127.0.0.1:%d", i, p);
	}
	/* every connection went to exactly one of the listeners */
	for (int l = 1; l <= 2; l++)
		for (;;) {
			struct outcome o = trun(&T, "accept l%d", l);

			if (o.err == EAGAIN)
				break;
			ck_assert_int_eq(o.err, 0);
			total++;
		}
	ck_assert_int_eq(total, 8);
	/* a socket without the option is refused */
	RUN_OK(&T, "tcp x");
	RUN_ERR(&T, EADDRINUSE, "bind x 127.0.0.1:%d", p);
	SAYS(&T, "unless both sockets have SO_REUSEPORT");
}
END_TEST

/*
 * The server closes first and is restarted: old listener with or without
 * SO_REUSEADDR (the accepted socket and its TIME_WAIT inherit it), new
 * listener with or without.  Only both-on binds.
 */
static void restart(int p, int old_on, int new_on, int want)
{
	connected_pair(p, old_on ? "reuseaddr" : NULL);
	RUN_OK(&T, "close a");	/* the server closes first */
	RUN_OK(&T, "close srv");
	RUN_OK(&T, "wait 0.05");
	RUN_OK(&T, "close c");
	RUN_OK(&T, "wait 0.1");
	RUN_COUNT(&T, 1, "net tcp TIME_WAIT :%d", p);
	SAYS(&T, "was a");
	RUN_OK(&T, "tcp srv2");
	if (new_on)
		RUN_OK(&T, "set srv2 reuseaddr on");
	if (want == 0) {
		RUN_OK(&T, "bind srv2 127.0.0.1:%d", p);
		RUN_OK(&T, "listen srv2");
	} else {
		RUN_ERR(&T, want, "bind srv2 127.0.0.1:%d", p);
		SAYS(&T, "was a sits in TIME_WAIT");
	}
}

START_TEST(restart_neither_reuseaddr)
{
	restart(tport(11), 0, 0, EADDRINUSE);
}
END_TEST

START_TEST(restart_only_new_reuseaddr)
{
	restart(tport(12), 0, 1, EADDRINUSE);
	SAYS(&T, "inherited its options: it has no SO_REUSEADDR");
}
END_TEST

START_TEST(restart_only_old_reuseaddr)
{
	restart(tport(13), 1, 0, EADDRINUSE);
}
END_TEST

START_TEST(restart_both_reuseaddr)
{
	restart(tport(14), 1, 1, 0);
}
END_TEST

START_TEST(restart_both_reuseport)
{
	int p = tport(15);

	connected_pair(p, "reuseport");
	RUN_OK(&T, "close a");
	RUN_OK(&T, "close srv");
	RUN_OK(&T, "wait 0.05");
	RUN_OK(&T, "close c");
	RUN_OK(&T, "wait 0.1");
	RUN_COUNT(&T, 1, "net tcp TIME_WAIT :%d", p);
	RUN_OK(&T, "tcp srv2");
	RUN_OK(&T, "set srv2 reuseport on");
	RUN_OK(&T, "bind srv2 127.0.0.1:%d", p);
}
END_TEST

START_TEST(client_closes_first)
{
	int p = tport(16);

	connected_pair(p, NULL);
	RUN_OK(&T, "close c");	/* the client closes first */
	RUN_OK(&T, "wait 0.05");
	RUN_OK(&T, "close a");
	RUN_OK(&T, "wait 0.1");
	/* the TIME_WAIT is the client's, on its ephemeral port, toward the server */
	RUN_COUNT(&T, 1, "net tcp TIME_WAIT ->127.0.0.1:%d", p);
	RUN_COUNT(&T, 0, "net tcp TIME_WAIT :%d", p);
	SAYS(&T, "was c");
	/* so the server restarts at once */
	RUN_OK(&T, "close srv");
	RUN_OK(&T, "tcp srv2");
	RUN_OK(&T, "bind srv2 127.0.0.1:%d", p);
}
END_TEST

START_TEST(linger_zero_sends_rst)
{
	int p = tport(17);

	connected_pair(p, NULL);
	RUN_OK(&T, "set c linger 0");
	RUN_OK(&T, "close c");
	SAYS(&T, "close() sent RST");
	RUN_OK(&T, "wait 0.05");
	RUN_COUNT(&T, 0, "net tcp TIME_WAIT ->127.0.0.1:%d", p);
	RUN_ERR(&T, ECONNRESET, "recv a");
}
END_TEST

START_TEST(client_bind_and_the_4_tuple)
{
	int p1 = tport(18), p2 = tport(19), q = tport(20);

	RUN_OK(&T, "tcp l1");
	RUN_OK(&T, "bind l1 127.0.0.1:%d", p1);
	RUN_OK(&T, "listen l1");
	RUN_OK(&T, "tcp l2");
	RUN_OK(&T, "bind l2 127.0.0.1:%d", p2);
	RUN_OK(&T, "listen l2");
	/* two clients on one local port without the option: refused at bind */
	RUN_OK(&T, "tcp c1");
	RUN_OK(&T, "bind c1 127.0.0.1:%d", q);
	RUN_OK(&T, "tcp c2");
	RUN_ERR(&T, EADDRINUSE, "bind c2 127.0.0.1:%d", q);
	RUN_OK(&T, "close c1");
	RUN_OK(&T, "close c2");
	/* with SO_REUSEADDR on both: the binds pass, the 4-tuple decides */
	RUN_OK(&T, "tcp c3");
	RUN_OK(&T, "set c3 reuseaddr on");
	RUN_OK(&T, "bind c3 127.0.0.1:%d", q + 1);
	RUN_OK(&T, "connect c3 127.0.0.1:%d", p1);
	RUN_OK(&T, "tcp c4");
	RUN_OK(&T, "set c4 reuseaddr on");
	RUN_OK(&T, "bind c4 127.0.0.1:%d", q + 1);
	RUN_ERR(&T, EADDRNOTAVAIL, "connect c4 127.0.0.1:%d", p1);
	SAYS(&T, "4-tuple");
	RUN_OK(&T, "connect c4 127.0.0.1:%d", p2);
}
END_TEST

START_TEST(udp_share_with_reuseaddr)
{
	int p = tport(21);

	RUN_OK(&T, "udp u1");
	RUN_OK(&T, "bind u1 127.0.0.1:%d", p);
	RUN_OK(&T, "udp u2");
	RUN_ERR(&T, EADDRINUSE, "bind u2 127.0.0.1:%d", p);
	SAYS(&T, "two UDP sockets share an address only when");
	RUN_OK(&T, "udp u3");
	RUN_OK(&T, "set u3 reuseaddr on");
	RUN_OK(&T, "bind u3 127.0.0.1:%d", p + 1);
	RUN_OK(&T, "udp u4");
	RUN_OK(&T, "set u4 reuseaddr on");
	RUN_OK(&T, "bind u4 127.0.0.1:%d", p + 1);
	RUN_COUNT(&T, 2, "net udp :%d", p + 1);
}
END_TEST

START_TEST(ipv6_dual_stack)
{
	int p = tport(22);

	RUN_OK(&T, "tcp s6 -6");
	RUN_OK(&T, "set s6 v6only off");
	RUN_OK(&T, "bind s6 *:%d", p);
	RUN_OK(&T, "listen s6");
	RUN_OK(&T, "tcp s4");
	RUN_ERR(&T, EADDRINUSE, "bind s4 0.0.0.0:%d", p);
	SAYS(&T, "without IPV6_V6ONLY");
	/* with V6ONLY on, IPv4 is free */
	RUN_OK(&T, "tcp t6 -6");
	RUN_OK(&T, "set t6 v6only on");
	RUN_OK(&T, "bind t6 [::]:%d", p + 1);
	RUN_OK(&T, "listen t6");
	RUN_OK(&T, "tcp t4");
	RUN_OK(&T, "bind t4 0.0.0.0:%d", p + 1);
	RUN_OK(&T, "listen t4");
	/* an IPv4 client reaches the dual-stack listener, seen v4-mapped */
	RUN_OK(&T, "tcp c");
	RUN_OK(&T, "connect c 127.0.0.1:%d", p);
	RUN_OK(&T, "accept s6 a");
	SAYS(&T, "[::ffff:127.0.0.1]:");
}
END_TEST

START_TEST(ephemeral_ports_even_and_odd)
{
	char range[64];
	int lo, hi, p = tport(23);
	struct sock *c, *b;

	ck_assert_int_eq(sysctl_read("net.ipv4.ip_local_port_range", range, sizeof range), 0);
	ck_assert_int_eq(sscanf(range, "%d %d", &lo, &hi), 2);
	RUN_OK(&T, "tcp l");
	RUN_OK(&T, "bind l 127.0.0.1:%d", p);
	RUN_OK(&T, "listen l");
	RUN_OK(&T, "tcp c");
	RUN_OK(&T, "connect c 127.0.0.1:%d", p);
	SAYS(&T, "chosen by the kernel");
	RUN_OK(&T, "tcp b");
	RUN_OK(&T, "bind b 127.0.0.1:0");
	c = socktab_find(&T.s.socks, "c");
	b = socktab_find(&T.s.socks, "b");
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_ge(c->local.port, lo);
	ck_assert_int_le(c->local.port, hi);
	ck_assert_int_ge(b->local.port, lo);
	ck_assert_int_le(b->local.port, hi);
	/* connect() prefers even ports, bind(0) odd ones (when the range's start is even) */
	ck_assert_int_eq(c->local.port % 2, lo % 2);
	ck_assert_int_eq(b->local.port % 2, (lo + 1) % 2);
}
END_TEST

START_TEST(refused_and_eagain)
{
	int p = tport(24);

	RUN_OK(&T, "tcp c");
	RUN_ERR(&T, ECONNREFUSED, "connect c 127.0.0.1:%d", p);
	SAYS(&T, "nobody listens on 127.0.0.1:");
	RUN_OK(&T, "tcp l");
	RUN_OK(&T, "bind l 127.0.0.1:%d", p);
	RUN_OK(&T, "listen l");
	RUN_ERR(&T, EAGAIN, "accept l");
	SAYS(&T, "accept queue yet");
	RUN_OK(&T, "udp u");
	RUN_ERR(&T, EOPNOTSUPP, "listen u");
	SAYS(&T, "listen() is for TCP only");
}
END_TEST

START_TEST(data_round_trip)
{
	int p = tport(25);

	connected_pair(p, NULL);
	RUN_ERR(&T, EAGAIN, "recv a");
	RUN_COUNT(&T, 11, "send c \"hello world\"");
	RUN_OK(&T, "wait 0.02");
	RUN_COUNT(&T, 11, "recv a");
	SAYS(&T, "recv(a) = 11 \"hello world\"");
	RUN_OK(&T, "shutdown c wr");
	RUN_OK(&T, "wait 0.02");
	RUN_COUNT(&T, 0, "recv a");
	SAYS(&T, "end of stream");
	/* UDP */
	RUN_OK(&T, "udp u1");
	RUN_OK(&T, "bind u1 127.0.0.1:%d", p);
	RUN_OK(&T, "udp u2");
	RUN_COUNT(&T, 2, "sendto u2 127.0.0.1:%d hi", p);
	RUN_OK(&T, "wait 0.02");
	RUN_COUNT(&T, 2, "recv u1");
	SAYS(&T, "recvfrom(u1) = 2 \"hi\" from 127.0.0.1:");
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	struct {
		const char *name;
		const TTest *t;
	} cases[] = {
		{ "separate tables", tcp_and_udp_share_a_port },
		{ "same address", same_address_twice },
		{ "same address unlistened", same_address_twice_unlistened },
		{ "different ips", different_ips_are_fine },
		{ "wildcard first", wildcard_then_specific },
		{ "specific first", specific_then_wildcard },
		{ "reuseaddr listen", reuseaddr_binds_pass_second_listen_fails },
		{ "reuseaddr same listen", reuseaddr_same_address_second_listen_fails },
		{ "reuseaddr vs listener", reuseaddr_against_a_listener },
		{ "reuseport group", reuseport_group },
		{ "restart neither", restart_neither_reuseaddr },
		{ "restart new only", restart_only_new_reuseaddr },
		{ "restart old only", restart_only_old_reuseaddr },
		{ "restart both", restart_both_reuseaddr },
		{ "restart reuseport", restart_both_reuseport },
		{ "client closes first", client_closes_first },
		{ "linger zero", linger_zero_sends_rst },
		{ "4-tuple", client_bind_and_the_4_tuple },
		{ "udp reuseaddr", udp_share_with_reuseaddr },
		{ "ipv6 dual stack", ipv6_dual_stack },
		{ "ephemeral ports", ephemeral_ports_even_and_odd },
		{ "refused and eagain", refused_and_eagain },
		{ "data", data_round_trip },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_set_timeout(tc, 20);
		tcase_add_test(tc, cases[i].t);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	test_isolate();
	return trun_suite(kernel_suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}

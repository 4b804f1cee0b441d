/*
 * check_explain: the why-lines, over the full matrix of bind conflicts,
 * on real loopback sockets.
 *
 * The expected errno comes from Linux's rule (inet_bind_conflict in
 * net/ipv4/inet_connection_sock.c): two TCP sockets whose addresses
 * overlap on one port conflict, unless both have SO_REUSEADDR and the
 * holder is not listening, or both have SO_REUSEPORT (same user).  The
 * kernel must agree with that rule in every cell, and the explainer must
 * name the holder and the rule it applied, or say why a bind passed.
 *
 * Matrix: {same address, wildcard then specific, specific then wildcard,
 * [::] dual stack then 0.0.0.0} x {SO_REUSEADDR, SO_REUSEPORT on none, the
 * holder, the newcomer, both} x {holder bound, listening, in TIME_WAIT}.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

enum addrs { SAME, WILD_FIRST, SPEC_FIRST, DUAL, NADDRS };
enum holder { BOUND, LISTENING, TIMEWAIT, NHOLDERS };
static const char *const addr_names[] = { "same address", "wildcard then specific",
					  "specific then wildcard", "[::] then 0.0.0.0" };
static const char *const holder_names[] = { "bound", "listening", "in TIME_WAIT" };
static const char *const first_addr[] = { "127.0.0.1", "0.0.0.0", "127.0.0.1", "[::]" };
static const char *const second_addr[] = { "127.0.0.1", "127.0.0.1", "0.0.0.0", "0.0.0.0" };

/* The seven option cases: which option, and who has it (1 holder, 2 newcomer). */
static const struct {
	const char *opt;
	int who;
} cases[] = {
	{ "reuseaddr", 0 }, { "reuseaddr", 1 }, { "reuseaddr", 2 }, { "reuseaddr", 3 },
	{ "reuseport", 1 }, { "reuseport", 2 }, { "reuseport", 3 },
};
#define NCASES (int)(sizeof cases / sizeof cases[0])

static int cell_port;

static void run_cell(enum addrs a, enum holder h, int c)
{
	struct tsess t;
	const char *opt = cases[c].opt;
	int who = cases[c].who, p = tport(100 + cell_port++);
	bool addr_both = who == 3 && strcmp(opt, "reuseaddr") == 0;
	bool port_both = who == 3 && strcmp(opt, "reuseport") == 0;
	bool conflict = !((addr_both && h != LISTENING) || port_both);
	const char *six = a == DUAL ? " -6" : "";
	struct outcome o;

	tsess_init(&t);
	sink_printf(&t.s.sink, SINK_INFO, "cell: %s, holder %s, %s on %s", addr_names[a],
		    holder_names[h], opt, who == 0 ? "none" : who == 1 ? "the holder" :
		    who == 2 ? "the newcomer" : "both");
	if (h == TIMEWAIT) {
		/* a server that closed first: its accepted socket h goes to TIME_WAIT */
		RUN_OK(&t, "tcp lis");
		if (who & 1)
			RUN_OK(&t, "set lis %s on", opt);
		RUN_OK(&t, "bind lis %s:%d", first_addr[a], p);
		RUN_OK(&t, "listen lis");
		RUN_OK(&t, "tcp cli");
		RUN_OK(&t, "connect cli 127.0.0.1:%d", p);
		RUN_OK(&t, "accept lis h");
		RUN_OK(&t, "close h");
		RUN_OK(&t, "close lis");
		RUN_OK(&t, "wait 0.05");
		RUN_OK(&t, "close cli");
		RUN_OK(&t, "wait 0.05");
		RUN_COUNT(&t, 1, "net tcp TIME_WAIT :%d", p);
	} else {
		RUN_OK(&t, "tcp h%s", six);
		if (a == DUAL)
			RUN_OK(&t, "set h v6only off");
		if (who & 1)
			RUN_OK(&t, "set h %s on", opt);
		RUN_OK(&t, "bind h %s:%d", first_addr[a], p);
		if (h == LISTENING)
			RUN_OK(&t, "listen h");
	}
	RUN_OK(&t, "tcp n");
	if (who & 2)
		RUN_OK(&t, "set n %s on", opt);
	o = trun(&t, "bind n %s:%d", second_addr[a], p);
	ck_assert_msg(!o.usage && o.err == (conflict ? EADDRINUSE : 0),
		      "%s, holder %s, %s who=%d: kernel said %s, the rule says %s\n%s", addr_names[a],
		      holder_names[h], opt, who, o.err ? strerror(o.err) : "ok",
		      conflict ? "EADDRINUSE" : "ok", t.out.buf);
	if (conflict) {
		/* the culprit by name, and the rule */
		if (h == TIMEWAIT) {
			SAYS(&t, "why: was h sits in TIME_WAIT on 127.0.0.1:");
			SAYS(&t, "a bind over TIME_WAIT passes only when the new socket AND the old one had SO_REUSEADDR");
			SAYS(&t, "was h was accepted from lis and inherited its options");
		} else if (h == LISTENING) {
			SAYS(&t, "why: h is LISTEN on");
			SAYS(&t, "while a socket listens on an address, Linux refuses any other bind there");
		} else {
			SAYS(&t, "why: h is bound (not listed by the kernel) on");
			SAYS(&t, "succeeds only when both sockets have SO_REUSEADDR and neither listens");
		}
		if (a == DUAL)
			SAYS(&t, "h is [::] without IPV6_V6ONLY, so it holds IPv4");
		else if (a != SAME && h != TIMEWAIT)
			SAYS(&t, "a wildcard address (0.0.0.0 or [::]) covers every specific address");
	} else if (h == TIMEWAIT) {
		SAYS(&t, port_both ? "the bind passed because both had SO_REUSEPORT" :
		     "the bind passed because both had SO_REUSEADDR");
	} else {
		SAYS(&t, port_both ? "n shares" : "n shares");
		SAYS(&t, port_both ? "both have SO_REUSEPORT" : "both have SO_REUSEADDR and neither listens yet");
		if (addr_both && h == BOUND) {
			/* both bound with SO_REUSEADDR: the second listen is the one refused */
			RUN_OK(&t, "listen h");
			RUN_ERR(&t, EADDRINUSE, "listen n");
			SAYS(&t, "h already LISTENs on");
			SAYS(&t, "only one socket may listen on an address unless all have SO_REUSEPORT");
		}
	}
	tsess_free(&t);
}

/* one loop test per (addresses, holder); the seven option cases inside */
START_TEST(matrix)
{
	enum addrs a = (enum addrs)(_i / NHOLDERS);
	enum holder h = (enum holder)(_i % NHOLDERS);

	/* TIME_WAIT has a specific address: only where the holder bound one */
	if (h == TIMEWAIT && a != SAME && a != SPEC_FIRST)
		return;
	cell_port = _i * NCASES;
	for (int c = 0; c < NCASES; c++)
		run_cell(a, h, c);
}
END_TEST

/* The other failures of the issue, each with its culprit or rule. */
START_TEST(other_errors)
{
	struct tsess t;
	int p = tport(400);

	tsess_init(&t);
	/* EINVAL: listen after connect; bind on a bound socket */
	RUN_OK(&t, "tcp l");
	RUN_OK(&t, "bind l 127.0.0.1:%d", p);
	RUN_OK(&t, "listen l");
	RUN_OK(&t, "tcp c");
	RUN_OK(&t, "connect c 127.0.0.1:%d", p);
	RUN_ERR(&t, EINVAL, "listen c");
	SAYS(&t, "c is connected: listen() needs a socket that is not connected");
	RUN_ERR(&t, EINVAL, "bind l 127.0.0.1:%d", p + 1);
	SAYS(&t, "l is already bound to 127.0.0.1:");
	/* EISCONN, and ENOTCONN */
	RUN_ERR(&t, EISCONN, "connect c 127.0.0.1:%d", p);
	SAYS(&t, "c is already connected to 127.0.0.1:");
	RUN_OK(&t, "tcp lone");
	RUN_ERR(&t, ENOTCONN, "recv lone");
	SAYS(&t, "lone is not connected");
	RUN_ERR(&t, EPIPE, "send lone hi");
	SAYS(&t, "lone is not connected: TCP sends only on a connection");
	RUN_OK(&t, "udp u");
	RUN_ERR(&t, EDESTADDRREQ, "send u hi");
	SAYS(&t, "u has no default destination: use sendto, or connect it");
	/* EADDRNOTAVAIL at bind: not an address of this machine */
	RUN_ERR(&t, EADDRNOTAVAIL, "bind lone 198.51.100.7:%d", p);
	SAYS(&t, "198.51.100.7 is not an address of this machine");
	/* ECONNREFUSED names who listens on that port elsewhere */
	RUN_OK(&t, "tcp x");
	RUN_ERR(&t, ECONNREFUSED, "connect x 127.0.0.2:%d", p);
	SAYS(&t, "nobody listens on 127.0.0.2:");
	SAYS(&t, "l listens on 127.0.0.1:");
	/* EAGAIN on accept and recv says what to do */
	RUN_OK(&t, "accept l a");	/* c's connection */
	RUN_ERR(&t, EAGAIN, "accept l");
	SAYS(&t, "no connection is waiting in l's accept queue yet: connect a client first");
	RUN_ERR(&t, EAGAIN, "recv a");
	SAYS(&t, "nothing has arrived on a yet: send something to it first");
	/* EPIPE after shutting down the sending side says so */
	RUN_OK(&t, "shutdown c wr");
	RUN_ERR(&t, EPIPE, "send c hi");
	SAYS(&t, "c can no longer send: it was shut down for writing");
	tsess_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("bind matrix");

	test_isolate();
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, matrix, 0, NADDRS * NHOLDERS);
	suite_add_tcase(s, tc);
	tc = tcase_create("other errors");
	tcase_add_test(tc, other_errors);
	suite_add_tcase(s, tc);
	return trun_suite(s) ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * check_explain: the why-lines, over the full matrix of bind conflicts,
 * on real loopback sockets.
 *
 * Whether a cell conflicts comes from the kernel: the bind's real errno.
 * The matrix asserts that it is what the rule says (bindrule, itself
 * checked against the kernel in check_bindrule), and that the explainer
 * names exactly the holder the rule blames, says how the two addresses
 * meet, and states the rule with both sides' options; where the addresses
 * never meet, nobody is blamed and no sharing is claimed.
 *
 * Matrix: eleven address pairs (same, IPv4 wildcard either way, [::] with
 * and without V6ONLY against IPv4 and IPv6, IPv4-mapped against IPv4, the
 * mapped wildcard) x {SO_REUSEADDR, SO_REUSEPORT on none, the holder, the
 * newcomer, both} x {holder bound, listening, in TIME_WAIT}.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

enum holder { BOUND, LISTENING, TIMEWAIT, NHOLDERS };
static const char *const holder_names[] = { "bound", "listening", "in TIME_WAIT" };

/* One pair of addresses: the holder's, the newcomer's, and how they meet. */
static const struct pair {
	const char *name;
	const char *first, *second;
	bool first_v6only, second_v6only;
	bool meet;
	const char *note;	/* the why-line on how they meet, or NULL: none may be said */
} pairs[] = {
	{ "same address", "127.0.0.1", "127.0.0.1", false, false, true, NULL },
	{ "wildcard then specific", "0.0.0.0", "127.0.0.1", false, false, true,
	  "the IPv4 wildcard address (0.0.0.0, or [::ffff:0.0.0.0]) covers every IPv4 address" },
	{ "specific then wildcard", "127.0.0.1", "0.0.0.0", false, false, true,
	  "the IPv4 wildcard address (0.0.0.0, or [::ffff:0.0.0.0]) covers every IPv4 address" },
	{ "[::] then 0.0.0.0", "[::]", "0.0.0.0", false, false, true,
	  "h is [::] without IPV6_V6ONLY, so it holds the IPv4 wildcard 0.0.0.0:" },
	{ "0.0.0.0 then [::]", "0.0.0.0", "[::]", false, false, true,
	  "n is [::] without IPV6_V6ONLY: it also claims every IPv4 address (0.0.0.0:" },
	{ "mapped wildcard then mapped", "[::ffff:0.0.0.0]", "[::ffff:127.0.0.1]", false, false, true,
	  "the IPv4 wildcard address (0.0.0.0, or [::ffff:0.0.0.0]) covers every IPv4 address" },
	{ "mapped then IPv4", "[::ffff:127.0.0.1]", "127.0.0.1", false, false, true,
	  "are one IPv4 address: an IPv4-mapped [::ffff:a.b.c.d] is compared as a.b.c.d" },
	{ "mapped wildcard then 0.0.0.0", "[::ffff:0.0.0.0]", "0.0.0.0", false, false, true,
	  "are one IPv4 address: an IPv4-mapped [::ffff:a.b.c.d] is compared as a.b.c.d" },
	{ "[::] v6only then [::1]", "[::]", "[::1]", true, false, true,
	  "[::], the IPv6 wildcard address, covers every IPv6 address" },
	{ "[::] v6only then 127.0.0.1", "[::]", "127.0.0.1", true, false, false, NULL },
	{ "[::] v6only then mapped wildcard", "[::]", "[::ffff:0.0.0.0]", true, false, false, NULL },
};
#define NPAIRS (int)(sizeof pairs / sizeof pairs[0])

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

static const char *six(const char *addr)
{
	return addr[0] == '[' ? " -6" : "";
}

/* h: bound or listening on the pair's first address, or in TIME_WAIT there */
static void make_holder(struct tsess *t, const struct pair *pr, enum holder h, const char *opt,
			int who, int p)
{
	if (h == TIMEWAIT) {
		/* a server that closed first: its accepted socket h goes to TIME_WAIT */
		RUN_OK(t, "tcp lis%s", six(pr->first));
		if (who & 1)
			RUN_OK(t, "set lis %s on", opt);
		RUN_OK(t, "bind lis %s:%d", pr->first, p);
		RUN_OK(t, "listen lis");
		RUN_OK(t, "tcp cli%s", six(pr->first));
		RUN_OK(t, "connect cli %s:%d", pr->first, p);
		RUN_OK(t, "accept lis h");
		RUN_OK(t, "close h");
		RUN_OK(t, "close lis");
		RUN_OK(t, "wait 0.05");
		RUN_OK(t, "close cli");
		RUN_OK(t, "wait 0.05");
		RUN_COUNT(t, 1, "net tcp TIME_WAIT :%d", p);
		return;
	}
	RUN_OK(t, "tcp h%s", six(pr->first));
	if (pr->first[0] == '[')
		RUN_OK(t, "set h v6only %s", pr->first_v6only ? "on" : "off");
	if (who & 1)
		RUN_OK(t, "set h %s on", opt);
	RUN_OK(t, "bind h %s:%d", pr->first, p);
	if (h == LISTENING)
		RUN_OK(t, "listen h");
}

/* What a refused bind must say: the holder, how the addresses meet, the rule. */
static void says_conflict(struct tsess *t, const struct pair *pr, enum holder h, const char *opt,
			  int who)
{
	bool holder_has = who & 1, new_has = who & 2;
	char tail[160];

	if (h == TIMEWAIT) {
		SAYS(t, "why: was h sits in TIME_WAIT on ");
		SAYS(t, "a bind over TIME_WAIT passes only when the new socket AND the old one had SO_REUSEADDR");
		SAYS(t, "was h was accepted from lis and inherited its options");
		/* the newcomer's own options, never the old socket's */
		snprintf(tail, sizeof tail, "; n %s SO_REUSEADDR and %s SO_REUSEPORT",
			 new_has && strcmp(opt, "reuseaddr") == 0 ? "has" : "has no",
			 new_has && strcmp(opt, "reuseport") == 0 ? "has" : "has no");
		SAYS(t, tail);
	} else if (h == LISTENING) {
		SAYS(t, "why: h is LISTEN on");
		SAYS(t, "while a socket listens on an address, Linux refuses any other bind there");
		snprintf(tail, sizeof tail, "(h %s SO_REUSEPORT, n %s SO_REUSEPORT)",
			 holder_has && strcmp(opt, "reuseport") == 0 ? "has" : "has no",
			 new_has && strcmp(opt, "reuseport") == 0 ? "has" : "has no");
		SAYS(t, tail);
	} else {
		SAYS(t, "why: h is bound (not listed by the kernel) on");
		SAYS(t, "succeeds only when both sockets have SO_REUSEADDR and neither listens");
		snprintf(tail, sizeof tail, "(h has %s; n has %s)",
			 !holder_has ? "no SO_REUSEADDR and no SO_REUSEPORT" :
			 strcmp(opt, "reuseaddr") == 0 ? "SO_REUSEADDR, not SO_REUSEPORT" :
			 "SO_REUSEPORT, not SO_REUSEADDR",
			 !new_has ? "no SO_REUSEADDR and no SO_REUSEPORT" :
			 strcmp(opt, "reuseaddr") == 0 ? "SO_REUSEADDR, not SO_REUSEPORT" :
			 "SO_REUSEPORT, not SO_REUSEADDR");
		SAYS(t, tail);
	}
	if (pr->note)
		SAYS(t, pr->note);
	else
		NEVER_SAYS(t, "covers every");
}

/* What a bind that passed must say: what it shares, by which rule, or nothing. */
static void says_pass(struct tsess *t, const struct pair *pr, enum holder h, const char *opt,
		      int who)
{
	bool addr_both = who == 3 && strcmp(opt, "reuseaddr") == 0;
	bool port_both = who == 3 && strcmp(opt, "reuseport") == 0;

	NEVER_SAYS(t, "why: h is");
	if (!pr->meet) {
		NEVER_SAYS(t, "shares");
		NEVER_SAYS(t, "only one of them will be able to listen");
		return;
	}
	if (h == TIMEWAIT) {
		SAYS(t, port_both ? "the bind passed because both had SO_REUSEPORT" :
		     "the bind passed because both had SO_REUSEADDR");
	} else if (port_both) {
		bool group = strcmp(pr->first, pr->second) == 0 && pr->first_v6only == pr->second_v6only;

		SAYS(t, group ? "n shares" : "n and h");
		SAYS(t, group ? "one group (same address, family, V6ONLY and owner)" : "they are not one group");
	} else if (addr_both) {
		SAYS(t, "n shares");
		SAYS(t, "both have SO_REUSEADDR and neither listens yet");
		/* both bound with SO_REUSEADDR: the second listen is the one refused */
		RUN_OK(t, "listen h");
		RUN_ERR(t, EADDRINUSE, "listen n");
		SAYS(t, "h already LISTENs on");
		SAYS(t, "only one socket may listen on an address unless all have SO_REUSEPORT");
	}
}

static void run_cell(const struct pair *pr, enum holder h, int c)
{
	struct tsess t;
	const char *opt = cases[c].opt;
	int who = cases[c].who, p = tport(100 + cell_port++);
	bool addr_both = who == 3 && strcmp(opt, "reuseaddr") == 0;
	bool port_both = who == 3 && strcmp(opt, "reuseport") == 0;
	bool conflict = pr->meet && !((addr_both && h != LISTENING) || port_both);
	struct outcome o;

	tsess_init(&t);
	sink_printf(&t.s.sink, SINK_INFO, "cell: %s, holder %s, %s on %s", pr->name,
		    holder_names[h], opt, who == 0 ? "none" : who == 1 ? "the holder" :
		    who == 2 ? "the newcomer" : "both");
	make_holder(&t, pr, h, opt, who, p);
	RUN_OK(&t, "tcp n%s", six(pr->second));
	if (pr->second[0] == '[')
		RUN_OK(&t, "set n v6only %s", pr->second_v6only ? "on" : "off");
	if (who & 2)
		RUN_OK(&t, "set n %s on", opt);
	o = trun(&t, "bind n %s:%d", pr->second, p);
	ck_assert_msg(!o.usage && o.err == (conflict ? EADDRINUSE : 0),
		      "%s, holder %s, %s who=%d: kernel said %s, the rule says %s\n%s", pr->name,
		      holder_names[h], opt, who, o.err ? strerror(o.err) : "ok",
		      conflict ? "EADDRINUSE" : "ok", t.out.buf);
	if (conflict)
		says_conflict(&t, pr, h, opt, who);
	else
		says_pass(&t, pr, h, opt, who);
	tsess_free(&t);
}

/* one loop test per (address pair, holder); the seven option cases inside */
START_TEST(matrix)
{
	const struct pair *pr = &pairs[_i / NHOLDERS];
	enum holder h = (enum holder)(_i % NHOLDERS);
	int cells = 0;
	/* TIME_WAIT needs a specific address to connect to */
	bool wild = strcmp(pr->first, "0.0.0.0") == 0 || strcmp(pr->first, "[::]") == 0 ||
		    strcmp(pr->first, "[::ffff:0.0.0.0]") == 0;

	cell_port = _i * NCASES;
	for (int c = 0; c < NCASES && !(h == TIMEWAIT && wild); c++) {
		run_cell(pr, h, c);
		cells++;
	}
	/* every cell that can exist ran and asserted */
	ck_assert_int_eq(cells, h == TIMEWAIT && wild ? 0 : NCASES);
}
END_TEST

/* What close() did, from the state the kernel had the connection in just before. */
START_TEST(what_close_did)
{
	struct tsess t;
	int p = tport(520);

	tsess_init(&t);
	RUN_OK(&t, "tcp l");
	RUN_OK(&t, "bind l 127.0.0.1:%d", p);
	RUN_OK(&t, "listen l");
	/* the side that closes first */
	RUN_OK(&t, "tcp c1");
	RUN_OK(&t, "connect c1 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a1");
	RUN_OK(&t, "close a1");
	SAYS(&t, "a1 closed first: it sent its FIN and waits for the peer's");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close c1");
	SAYS(&t, "the peer closed first: c1 sends its FIN and waits in LAST_ACK");
	/* shutdown first, then the peer closes: TIME_WAIT */
	RUN_OK(&t, "tcp c2");
	RUN_OK(&t, "connect c2 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a2");
	RUN_OK(&t, "shutdown a2 wr");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close c2");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close a2");
	SAYS(&t, "a2 had sent its FIN first (shutdown) and the peer has closed too");
	/* shutdown, its FIN acknowledged, the peer still open: the connection waits in FIN_WAIT2 */
	RUN_OK(&t, "tcp c4");
	RUN_OK(&t, "connect c4 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a4");
	RUN_OK(&t, "shutdown a4 wr");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close a4");
	SAYS(&t, "a4 had sent its FIN already (shutdown) and the peer has not closed: the connection lives on "
	     "without its socket, in FIN_WAIT2");
	/* data never read: RST; the peer's connection is over, and its close says so */
	RUN_OK(&t, "tcp c3");
	RUN_OK(&t, "connect c3 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a3");
	RUN_OK(&t, "send c3 hi");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close a3");
	SAYS(&t, "2 bytes had arrived and were never read: close() sent RST instead of FIN");
	RUN_OK(&t, "wait 0.05");
	RUN_ERR(&t, ECONNRESET, "send c3 again");
	RUN_OK(&t, "close c3");
	SAYS(&t, "c3's connection was already over (reset)");
	NEVER_SAYS(&t, "c3 had sent its FIN first");
	tsess_free(&t);
}
END_TEST

/* What a 0 from recv means: a FIN, an RST already reported, or the socket's own SHUT_RD. */
START_TEST(what_recv_zero_means)
{
	struct tsess t;
	int p = tport(530);

	tsess_init(&t);
	RUN_OK(&t, "tcp l");
	RUN_OK(&t, "bind l 127.0.0.1:%d", p);
	RUN_OK(&t, "listen l");
	RUN_OK(&t, "tcp c");
	RUN_OK(&t, "connect c 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a");
	RUN_OK(&t, "set a linger 0");
	RUN_OK(&t, "close a");
	RUN_OK(&t, "wait 0.05");
	RUN_ERR(&t, ECONNRESET, "recv c");
	RUN_COUNT(&t, 0, "recv c");
	SAYS(&t, "recv(c) = 0 (the connection was reset: after its one ECONNRESET, recv returns 0)");
	NEVER_SAYS(&t, "recv(c) = 0 (end of stream");
	RUN_OK(&t, "tcp c2");
	RUN_OK(&t, "connect c2 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a2");
	RUN_OK(&t, "shutdown c2 rd");
	RUN_COUNT(&t, 0, "recv c2");
	SAYS(&t, "recv(c2) = 0 (shut down for reading: recv returns 0 at once)");
	RUN_OK(&t, "close a2");
	RUN_OK(&t, "wait 0.05");
	RUN_COUNT(&t, 0, "recv c2");
	SAYS(&t, "recv(c2) = 0 (end of stream: the peer sent FIN)");
	/* both FINs through: the socket is CLOSE, and the 0 is still the peer's FIN */
	RUN_OK(&t, "tcp c3");
	RUN_OK(&t, "connect c3 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a3");
	RUN_OK(&t, "shutdown c3 wr");
	RUN_OK(&t, "close a3");
	RUN_OK(&t, "wait 0.05");
	RUN_COUNT(&t, 0, "recv c3");
	SAYS(&t, "recv(c3) = 0 (end of stream: the peer sent FIN)");
	tsess_free(&t);
}
END_TEST

/* A UDP disconnect keeps what bind() gave and gives back what the kernel chose (udp_disconnect). */
START_TEST(udp_disconnect_keeps_what_was_bound)
{
	struct tsess t;
	int p = tport(540);
	const struct sock *u;

	tsess_init(&t);
	RUN_OK(&t, "udp u");
	RUN_OK(&t, "connect u 127.0.0.1:%d", p);
	RUN_OK(&t, "disconnect u");
	u = socktab_find(&t.s.socks, "u");
	ck_assert_int_eq(u->local.family, 0);	/* the kernel's own word: getsockname says port 0 */
	SAYS(&t, "was chosen by the kernel, not bound by hand: the kernel takes it back");
	NEVER_SAYS(&t, "u keeps");
	RUN_OK(&t, "udp v");
	RUN_OK(&t, "bind v 0.0.0.0:%d", p + 1);
	RUN_OK(&t, "connect v 127.0.0.1:%d", p);
	RUN_OK(&t, "disconnect v");
	u = socktab_find(&t.s.socks, "v");
	ck_assert_int_eq(u->local.port, p + 1);
	ck_assert(addr_is_wildcard(&u->local));
	SAYS(&t, "its address goes back to 0.0.0.0:");
	tsess_free(&t);
}
END_TEST

/* The cases, as a class meets them. */
START_TEST(holders_as_a_class_meets_them)
{
	struct tsess t;
	int p = tport(500);
	char line[120];

	tsess_init(&t);
	/* a V6ONLY [::] is never blamed for an IPv4 bind: d is the only holder */
	RUN_OK(&t, "tcp c -6");
	RUN_OK(&t, "set c v6only on");
	RUN_OK(&t, "bind c [::]:%d", p);
	RUN_OK(&t, "tcp d");
	RUN_OK(&t, "bind d 127.0.0.1:%d", p);
	RUN_OK(&t, "tcp e -6");
	RUN_ERR(&t, EADDRINUSE, "bind e [::ffff:127.0.0.1]:%d", p);
	SAYS(&t, "why: d is bound (not listed by the kernel) on 127.0.0.1:");
	NEVER_SAYS(&t, "why: c is");
	/* the server closes first, the client stays open: conn holds the port in FIN_WAIT2 */
	RUN_OK(&t, "tcp srv");
	RUN_OK(&t, "bind srv 127.0.0.1:%d", p + 1);
	RUN_OK(&t, "listen srv");
	RUN_OK(&t, "tcp cli");
	RUN_OK(&t, "connect cli 127.0.0.1:%d", p + 1);
	RUN_OK(&t, "accept srv conn");
	RUN_OK(&t, "close conn");
	RUN_OK(&t, "close srv");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "tcp srv2");
	RUN_ERR(&t, EADDRINUSE, "bind srv2 127.0.0.1:%d", p + 1);
	snprintf(line, sizeof line, "why: was conn is closed but still holds 127.0.0.1:%d in FIN_WAIT2", p + 1);
	SAYS(&t, line);
	SAYS(&t, "the peer is cli, still open: close cli and conn moves on to TIME_WAIT");
	NEVER_SAYS(&t, "no socket this session can see");
	/* a new connection on an old 4-tuple, not accepted yet, is nobody's "was" */
	RUN_OK(&t, "tcp l2");
	RUN_OK(&t, "set l2 reuseaddr on");
	RUN_OK(&t, "bind l2 127.0.0.1:%d", p + 2);
	RUN_OK(&t, "listen l2");
	RUN_OK(&t, "tcp k");
	RUN_OK(&t, "set k reuseaddr on");
	RUN_OK(&t, "bind k 127.0.0.1:%d", p + 3);
	RUN_OK(&t, "connect k 127.0.0.1:%d", p + 2);
	RUN_OK(&t, "accept l2 a1");
	RUN_OK(&t, "close k");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close a1");
	RUN_OK(&t, "tcp k2");
	RUN_OK(&t, "set k2 reuseaddr on");
	RUN_OK(&t, "bind k2 127.0.0.1:%d", p + 3);
	RUN_OK(&t, "connect k2 127.0.0.1:%d", p + 2);
	strsink_clear(&t.out);
	RUN_OK(&t, "net tcp ESTABLISHED :%d", p + 2);
	SAYS(&t, "queued");
	NEVER_SAYS(&t, "was a1");
	tsess_free(&t);
}
END_TEST

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
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, matrix, 0, NPAIRS * NHOLDERS);
	suite_add_tcase(s, tc);
	tc = tcase_create("other errors");
	tcase_add_test(tc, other_errors);
	tcase_add_test(tc, holders_as_a_class_meets_them);
	tcase_add_test(tc, what_close_did);
	tcase_add_test(tc, what_recv_zero_means);
	tcase_add_test(tc, udp_disconnect_keeps_what_was_bound);
	suite_add_tcase(s, tc);
	return trun_suite(s) ? EXIT_FAILURE : EXIT_SUCCESS;
}

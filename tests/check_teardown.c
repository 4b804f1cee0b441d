/*
 * check_teardown: the model of what close() does (kernel/teardown.c)
 * against the kernel, case by case.
 *
 * A connection on loopback; before one side closes, one of: nothing,
 * its own shutdown(SHUT_WR) or (SHUT_RD), bytes from the peer it never
 * read, SO_LINGER {on, 0}, the peer's close, the peer's shutdown(SHUT_WR),
 * the peer's RST, both ends' FINs through after its shutdown.  Either end
 * closes (the client or the accepted socket).  The model's input is what
 * the program reads too (TCP_INFO's state, FIONREAD); its word is then held
 * against the kernel: what the peer meets (a FIN: recv 0; an RST:
 * ECONNRESET; nothing), the state the closed side's 4-tuple waits in once
 * its packet is answered, and whether it ends in TIME_WAIT once the peer
 * has closed too.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/procnet.h"
#include "kernel/sockdiag.h"
#include "kernel/teardown.h"
#include "testlib.h"

enum pre {
	P_NONE, P_SHUT_WR, P_SHUT_RD, P_UNREAD, P_LINGER0, P_PEER_CLOSED, P_PEER_SHUT_WR, P_PEER_RST,
	P_BOTH_FINS, P_SHUT_RD_THEN_DATA, P_PEER_SHUT_WR_LINGER0, P_PEER_SHUT_WR_UNREAD, NPRE
};
static const char *const pre_name[] = {
	"nothing", "its shutdown(SHUT_WR)", "its shutdown(SHUT_RD)", "bytes it never read",
	"SO_LINGER 0", "the peer's close", "the peer's shutdown(SHUT_WR)", "the peer's RST",
	"its shutdown(SHUT_WR) and the peer's close", "its SHUT_RD, then the peer's bytes",
	"the peer's shutdown(SHUT_WR) and its SO_LINGER 0", "the peer's bytes and shutdown(SHUT_WR), never read",
};

static int base_port;

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	ck_assert_int_eq(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	return ti.tcpi_state;
}

/* The state of the 4-tuple local -> remote in the kernel's table, 0 when it lists none. */
static int listed(const struct endpoint *local, const struct endpoint *remote)
{
	struct procnet pn;
	int st = 0;

	procnet_init(&pn, NULL);
	ck_assert_int_eq(sockdiag_read(&pn, PN_TCPS, local->port), 0);
	for (size_t i = 0; i < pn.n; i++)
		if (addr_equal(&pn.v[i].local, local) && addr_equal(&pn.v[i].remote, remote))
			st = pn.v[i].state;
	procnet_free(&pn);
	return st;
}

/* Until the 4-tuple leaves the states that wait for an answer (a second at most). */
static int settled(const struct endpoint *local, const struct endpoint *remote)
{
	int st = listed(local, remote);

	for (int i = 0; i < 100 && (st == PN_FIN_WAIT1 || st == PN_LAST_ACK || st == PN_CLOSING); i++) {
		usleep(10000);
		st = listed(local, remote);
	}
	return st;
}

static void ends_of(int fd, struct endpoint *local, struct endpoint *remote)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	addr_from_sockaddr((struct sockaddr *)&ss, local);
	len = sizeof ss;
	ck_assert_int_eq(getpeername(fd, (struct sockaddr *)&ss, &len), 0);
	addr_from_sockaddr((struct sockaddr *)&ss, remote);
}

/* What the peer meets once x closed: 'F' (recv 0), 'R' (ECONNRESET) or '-' (nothing yet). */
static char peer_meets(int y)
{
	char b[64];
	ssize_t r;

	usleep(20000);
	do
		r = recv(y, b, sizeof b, MSG_DONTWAIT);
	while (r > 0);
	return r == 0 ? 'F' : errno == ECONNRESET ? 'R' : '-';
}

static const char *state_name(int st)
{
	struct pn_entry e = { .proto = IPPROTO_TCP, .state = st };

	return st ? pn_state_name(&e) : "gone";
}

START_TEST(every_case)
{
	int pre = _i / 2, server_closes = _i % 2;
	int port = base_port + _i, l, c, a, x, y, one = 1, unread = 0, st;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((uint16_t)port) };
	struct linger lg0 = { 1, 0 };
	bool shut_wr = false, reset = false, y_open = true, linger0 = false;	/* reset: a call met an RST */
	struct endpoint local, remote;
	struct td_close m;
	char what[160], meets, before;

	l = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(l, 4), 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sa, sizeof sa), 0);
	a = accept(l, NULL, NULL);
	ck_assert_int_ge(a, 0);
	x = server_closes ? a : c;
	y = server_closes ? c : a;
	ends_of(x, &local, &remote);	/* now: a reset socket has no peer to ask later */
	snprintf(what, sizeof what, "the %s closes after %s", server_closes ? "server" : "client", pre_name[pre]);
	switch (pre) {
	case P_SHUT_WR:
	case P_BOTH_FINS:
		ck_assert_int_eq(shutdown(x, SHUT_WR), 0);
		shut_wr = true;
		if (pre == P_BOTH_FINS) {
			usleep(20000);
			close(y);
			y_open = false;
		}
		break;
	case P_SHUT_RD:
	case P_SHUT_RD_THEN_DATA:
		ck_assert_int_eq(shutdown(x, SHUT_RD), 0);
		if (pre == P_SHUT_RD_THEN_DATA)
			ck_assert_int_eq(send(y, "hi", 2, 0), 2);
		break;
	case P_UNREAD:
		ck_assert_int_eq(send(y, "hi", 2, 0), 2);
		break;
	case P_LINGER0:
		ck_assert_int_eq(setsockopt(x, SOL_SOCKET, SO_LINGER, &lg0, sizeof lg0), 0);
		linger0 = true;
		break;
	case P_PEER_CLOSED:
		close(y);
		y_open = false;
		break;
	case P_PEER_SHUT_WR:
	case P_PEER_SHUT_WR_LINGER0:
	case P_PEER_SHUT_WR_UNREAD:
		if (pre == P_PEER_SHUT_WR_UNREAD)
			ck_assert_int_eq(send(y, "hi", 2, 0), 2);
		ck_assert_int_eq(shutdown(y, SHUT_WR), 0);
		if (pre == P_PEER_SHUT_WR_LINGER0) {
			ck_assert_int_eq(setsockopt(x, SOL_SOCKET, SO_LINGER, &lg0, sizeof lg0), 0);
			linger0 = true;
		}
		break;
	case P_PEER_RST:
		/* no call on x meets the RST: the program would not know of it either (reset stays false) */
		ck_assert_int_eq(setsockopt(y, SOL_SOCKET, SO_LINGER, &lg0, sizeof lg0), 0);
		close(y);
		y_open = false;
		break;
	}
	usleep(20000);
	/* what the program reads before close: the state, the bytes never read */
	st = tcp_state(x);
	ck_assert_int_eq(ioctl(x, FIONREAD, &unread), 0);
	m = teardown_close(st, unread, linger0, shut_wr, reset);
	/* what the peer has met before the close (a FIN from shutdown reads as 0 already) */
	before = y_open ? peer_meets(y) : '-';
	close(x);
	if (y_open) {
		/* after it: a new FIN reads as 0, an RST as ECONNRESET, nothing as before */
		meets = peer_meets(y);
		ck_assert_msg(meets == (m.sends == TD_FIN ? 'F' : m.sends == TD_RST ? 'R' : before) &&
			      (m.sends != TD_FIN || before == '-'),
			      "%s (state %s): the peer met %c (before the close: %c); the model sends %s", what,
			      state_name(st), meets, before,
			      m.sends == TD_FIN ? "FIN" : m.sends == TD_RST ? "RST" : "nothing");
	}
	ck_assert_msg(settled(&local, &remote) == m.waits, "%s (state %s): waits in %s, the model says %s", what,
		      state_name(st), state_name(settled(&local, &remote)), state_name(m.waits));
	if (y_open)
		close(y);
	ck_assert_msg((settled(&local, &remote) == PN_TIME_WAIT) == m.time_wait,
		      "%s (state %s): once the peer closed, %s; the model says %s TIME_WAIT", what, state_name(st),
		      state_name(settled(&local, &remote)), m.time_wait ? "a" : "no");
	close(l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("teardown");
	TCase *tc = tcase_create("close");

	test_isolate();
	base_port = tport(700);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, every_case, 0, NPRE * 2);
	suite_add_tcase(s, tc);
	return trun_suite(s) ? 1 : 0;
}

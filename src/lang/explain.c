/*
 * explain: the why-lines of every call but bind and listen (explain_bind.c
 * has those): connect, accept, send and recv, shutdown, close.  Each finds
 * what the kernel's answer depended on in the session's table and the
 * kernel's, and states the rule Linux applied in one sentence, naming the
 * option or call that would change the outcome.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lang/explain_int.h"
#include "kernel/sysctl.h"
#include "kernel/teardown.h"

const char *explain_has(unsigned opts, unsigned bit)
{
	return (opts & bit) ? _("has") : _("has no");
}

/* The kernel entry of an open own socket, if the kernel lists it. */
const struct pn_entry *explain_entry_of(const struct session *s, const struct sock *k)
{
	for (size_t i = 0; i < s->nv.n; i++)
		if (s->nv.rows[i].own == k && s->nv.rows[i].e && !s->nv.rows[i].was)
			return s->nv.rows[i].e;
	return NULL;
}

/* What tcp_tw_reuse is now, in words (it decides whether connect() may take over a TIME_WAIT). */
static const char *tw_reuse_words(char *v, size_t len)
{
	if (sysctl_read("net.ipv4.tcp_tw_reuse", v, len) < 0)
		return "?";
	if (strcmp(v, "2") == 0)
		return _("2: on loopback only, the default");
	if (strcmp(v, "1") == 0)
		return _("1: on");
	if (strcmp(v, "0") == 0)
		return _("0: off");
	return v;
}

static void explain_connect_notavail(struct session *s, const struct sock *sk,
				     const struct endpoint *ep)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], tw_v[16];
	size_t tw = 0, other = 0;
	int lo, hi, bound = 0, held = 0;
	bool own;

	session_refresh_net(s);
	addr_format(ep, b, sizeof b);
	if (sk->local.family && sk->local.port) {
		for (size_t i = 0; i < s->nv.n; i++) {
			const struct netrow *r = &s->nv.rows[i];

			if (!(r->e && r->e->proto == IPPROTO_TCP && r->own != sk &&
			      addr_equal(&r->e->local, &sk->local) && addr_equal(&r->e->remote, ep)))
				continue;
			WHY(s, "the 4-tuple %s -> %s already exists: %s%s, %s",
			    addr_format(&sk->local, a, sizeof a), b,
			    r->own ? (r->was ? _("was ") : "") : _("a socket of another program"),
			    r->own ? r->own->name : "", pn_state_name(r->e));
			if (r->e->state == PN_TIME_WAIT)
				WHY(s, "rule: a 4-tuple names one connection; a new connect() may take over a "
				    "TIME_WAIT's only when net.ipv4.tcp_tw_reuse allows it (now %s), both ends use "
				    "TCP timestamps, and the TIME_WAIT is older than tcp_tw_reuse_delay (1 s; a "
				    "sysctl since Linux 6.14)", tw_reuse_words(tw_v, sizeof tw_v));
			else
				WHY(s, "rule: a 4-tuple names one connection: while that one lives no other may "
				    "have it; the same local port still serves other destinations");
			return;
		}
	}
	for (size_t i = 0; i < s->nv.n; i++) {
		const struct netrow *r = &s->nv.rows[i];

		if (r->e && r->e->proto == IPPROTO_TCP && addr_equal(&r->e->remote, ep)) {
			if (r->e->state == PN_TIME_WAIT)
				tw++;
			else
				other++;
		}
	}
	sock_port_range(sk, &lo, &hi, &own);
	if (own)
		WHY(s, "no local port is free toward %s in %s's own range %d-%d (IP_LOCAL_PORT_RANGE within "
		    "ip_local_port_range); %zu connections to it sit in TIME_WAIT and %zu are in other "
		    "states", b, sk->name, lo, hi, tw, other);
	else
		WHY(s, "no local port is free toward %s: ip_local_port_range is %d-%d; %zu connections "
		    "to it sit in TIME_WAIT and %zu are in other states", b, lo, hi, tw, other);
	/* a port that bind() took is never one connect() picks, whatever the destination */
	for (size_t i = 0; i < s->socks.n; i++) {
		const struct sock *k = s->socks.v[i];

		if (k->fd < 0 || (k->state != SOCK_BOUND && k->state != SOCK_LISTENING) || k->type != SOCK_STREAM ||
		    k->local.port < lo || k->local.port > hi)
			continue;
		held++;
		if (bound++ < 4)
			WHY(s, "port %u of the range is held by bind(): %s (%s); connect() never takes a "
			    "port that bind() took", k->local.port, k->name, sock_state_name(k->state));
	}
	if (held >= hi - lo + 1)
		WHY(s, "rule: bind() holds every port of the range: connect() finds no port toward any "
		    "destination until one is closed or the range is widened");
	else
		WHY(s, "rule: connect() needs a port whose 4-tuple toward this destination is unused; "
		    "other destinations still work; a TIME_WAIT's port can be taken over when "
		    "net.ipv4.tcp_tw_reuse allows it (now %s), with TCP timestamps, after "
		    "tcp_tw_reuse_delay (1 s; a sysctl since Linux 6.14)", tw_reuse_words(tw_v, sizeof tw_v));
}

static void explain_refused(struct session *s, const struct endpoint *ep)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	int n = 0;

	session_refresh_net(s);
	WHY(s, "nobody listens on %s: the kernel answered the SYN with RST", addr_format(ep, a, sizeof a));
	for (size_t i = 0; i < s->nv.n && n < 4; i++) {
		const struct netrow *r = &s->nv.rows[i];

		if (r->e && r->e->proto == IPPROTO_TCP && r->e->state == PN_LISTEN &&
		    r->e->local.port == ep->port) {
			WHY(s, "%s listens on %s, which does not cover %s",
			    r->own ? r->own->name : _("another program"), addr_format(&r->e->local, b, sizeof b), a);
			n++;
		}
	}
}

/* What every call may meet: out of descriptors. */
void explain_common(struct session *s, int err)
{
	if (err == EMFILE || err == ENFILE)
		WHY(s, "out of file descriptors (ulimit -n): close sockets first");
}

void explain_socket(struct session *s, int err)
{
	explain_common(s, err);
}

void explain_connect(struct session *s, const struct sock *sk, const struct endpoint *ep, int err)
{
	char a[ADDR_STRLEN];

	switch (err) {
	case EADDRNOTAVAIL:
		explain_connect_notavail(s, sk, ep);
		return;
	case EAGAIN:
		if (sk->type == SOCK_DGRAM) {
			int lo, hi;

			sock_port_range(sk, &lo, &hi, NULL);
			WHY(s, "%s has no port, and none of %d-%d is free for it by bind's rule: a UDP socket "
			    "takes its port before it connects, and connect() says EAGAIN when it cannot",
			    sk->name, lo, hi);
			return;
		}
		break;
	case ECONNREFUSED:
		explain_refused(s, ep);
		return;
	case EISCONN:
		WHY(s, "%s is already connected to %s", sk->name, addr_format(&sk->peer, a, sizeof a));
		return;
	case EALREADY:
		WHY(s, "%s is still connecting", sk->name);
		return;
	case EINVAL:
	case EOPNOTSUPP:
		if (sk->state == SOCK_LISTENING)
			WHY(s, "%s is listening: a listening socket cannot connect", sk->name);
		return;
	case EAFNOSUPPORT:
		WHY(s, "%s is IPv4: it cannot reach an IPv6 address (make one with -6)", sk->name);
		return;
	}
	explain_common(s, err);
}

void explain_accept(struct session *s, const struct sock *sk, int err)
{
	if (err == EAGAIN) {
		if (!explain_went_elsewhere(s, sk))
			WHY(s, "no connection is waiting in %s's accept queue yet: connect a client first",
			    sk->name);
	} else if (err == EINVAL) {
		WHY(s, "%s is not listening: call listen first", sk->name);
	} else if (err == EOPNOTSUPP) {
		WHY(s, "%s is UDP: there are no connections to accept", sk->name);
	} else {
		explain_common(s, err);
	}
}

void explain_io(struct session *s, const struct sock *sk, bool receiving, int err)
{
	bool udp = sk->type == SOCK_DGRAM;

	switch (err) {
	case EAGAIN:
		if (!receiving)
			WHY(s, "%s's send buffer is full: the peer is not reading", sk->name);
		else if (!(udp && explain_went_elsewhere(s, sk)))
			WHY(s, "nothing has arrived on %s yet: send something to it first", sk->name);
		return;
	case ENOTCONN:
		WHY(s, "%s is not connected%s", sk->name,
		    udp ? _(": use sendto with an address, or connect it") : "");
		return;
	case EDESTADDRREQ:
		WHY(s, "%s has no default destination: use sendto, or connect it", sk->name);
		return;
	case EPIPE:
		if (sk->state == SOCK_CREATED || sk->state == SOCK_BOUND || sk->state == SOCK_LISTENING)
			WHY(s, "%s is not connected: TCP sends only on a connection (for a TCP "
			    "socket that never connected, Linux answers EPIPE, not ENOTCONN)", sk->name);
		else
			WHY(s, "%s can no longer send: it was shut down for writing, or the peer "
			    "reset the connection", sk->name);
		return;
	case ECONNRESET:
		WHY(s, "the peer reset the connection (RST): it closed with SO_LINGER 0, or "
		    "closed with data unread");
		return;
	case ECONNREFUSED:
		WHY(s, "an earlier datagram from %s was answered with ICMP port unreachable: "
		    "nobody listens there", sk->name);
		return;
	}
	explain_common(s, err);
}

void explain_setsockopt(struct session *s, const struct sock *sk, int err)
{
	if (err == ENOPROTOOPT)
		WHY(s, "this option does not apply to a %s socket", sock_proto_name(sk));
	else if (err == EINVAL && sk->local.family)
		WHY(s, "%s is already bound: set this option before bind", sk->name);
}

void explain_shutdown(struct session *s, const struct sock *sk, int err)
{
	if (err == ENOTCONN)
		WHY(s, "%s is not connected: there is no direction to shut down", sk->name);
}

/*
 * What close() did to a connection follows from the state the kernel had
 * it in just before (read then with TCP_INFO), the bytes never read and
 * SO_LINGER: the model in kernel/teardown.c, which check_teardown holds
 * against the kernel.
 */
void explain_close(struct session *s, const struct sock *sk)
{
	char a[ADDR_STRLEN];
	struct td_close m;

	if (sk->type != SOCK_STREAM || !sk->peer.family || sk->state_at_close == 0)
		return;
	m = teardown_close(sk->state_at_close, sk->unread_at_close, (sk->opts & SOPT_LINGER) && sk->linger == 0,
			   sk->shut_wr, sk->was_reset);
	switch (m.why) {
	case TD_WHY_LINGER0:
		WHY(s, "SO_LINGER {on, 0}: close() sent RST instead of FIN; no TIME_WAIT is left, "
		    "and the peer gets ECONNRESET");
		break;
	case TD_WHY_UNREAD:
		sink_printf(&s->sink, SINK_WHY, ngettext("%d byte had arrived and was never read: close() sent "
			    "RST instead of FIN; no TIME_WAIT is left, and the peer gets ECONNRESET",
			    "%d bytes had arrived and were never read: close() sent RST instead of FIN; no "
			    "TIME_WAIT is left, and the peer gets ECONNRESET", (unsigned long)sk->unread_at_close),
			    sk->unread_at_close);
		break;
	case TD_WHY_ACTIVE:
		WHY(s, "%s closed first: it sent its FIN and waits for the peer's (FIN_WAIT1, then "
		    "FIN_WAIT2 once its FIN is acknowledged), then keeps TIME_WAIT for 60 s on %s",
		    sk->name, addr_format(&sk->local, a, sizeof a));
		break;
	case TD_WHY_SHUT_BEFORE:
		if (m.waits == PN_TIME_WAIT)
			WHY(s, "%s had sent its FIN first (shutdown) and the peer has closed too: its "
			    "connection keeps TIME_WAIT for 60 s, as whoever closes first does", sk->name);
		else
			WHY(s, "%s had sent its FIN already (shutdown) and the peer has not closed: the "
			    "connection lives on without its socket, in %s, then TIME_WAIT for 60 s",
			    sk->name, sk->state_at_close == PN_FIN_WAIT2 ? "FIN_WAIT2" : "FIN_WAIT1");
		break;
	case TD_WHY_PASSIVE:
		WHY(s, "the peer closed first: %s sends its FIN and waits in LAST_ACK for the last "
		    "ACK; it leaves no TIME_WAIT", sk->name);
		break;
	case TD_WHY_OVER:
		WHY(s, "%s's connection was already over (reset): close() only gave back the "
		    "descriptor; no FIN, no TIME_WAIT", sk->name);
		break;
	case TD_WHY_NONE:
		break;
	}
}

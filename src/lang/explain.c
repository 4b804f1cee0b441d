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

			if (!(r->e && r->e->proto == IPPROTO_TCP && r->own != sk && r->e->host == sk->host &&
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

		if (r->e && r->e->proto == IPPROTO_TCP && r->e->host == sk->host && addr_equal(&r->e->remote, ep)) {
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
		    k->local.port < lo || k->local.port > hi || k->host != sk->host)
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

static void explain_refused(struct session *s, const struct sock *sk, const struct endpoint *ep)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	int n = 0, there = sk->host;

	/* the listeners that matter are those of the host the SYN went to */
	for (size_t h = 1; h <= s->hosts.n; h++)
		if (ep->family == AF_INET && memcmp(&hosts_get(&s->hosts, (int)h)->addr, ep->addr, 4) == 0)
			there = (int)h;

	session_refresh_net(s);
	WHY(s, "nobody listens on %s: the kernel answered the SYN with RST", addr_format(ep, a, sizeof a));
	for (size_t i = 0; i < s->nv.n && n < 4; i++) {
		const struct netrow *r = &s->nv.rows[i];

		if (r->e && r->e->proto == IPPROTO_TCP && r->e->state == PN_LISTEN &&
		    r->e->local.port == ep->port && r->e->host == there) {
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

static void explain_connect_here(struct session *s, const struct sock *sk, const struct endpoint *ep, int err)
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
		explain_refused(s, sk, ep);
		return;
	case ETIMEDOUT:
		return;	/* said by explain_syn_retries, which knows how long it took */
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

/* A knob as the socket's own host has it: -1 when it cannot be read. */
static long host_knob(struct session *s, const struct sock *sk, const char *key)
{
	char v[64];
	int r;

	if (hosts_enter(&s->hosts, sk->host) < 0)
		return -1;
	r = sysctl_read(key, v, sizeof v);
	hosts_leave(&s->hosts);
	return r < 0 ? -1 : atol(v);
}

/*
 * The SYN's schedule, as the kernel keeps it (measured in tests/hosts.sh):
 * the first wait is 1 s; where the kernel has tcp_syn_linear_timeouts,
 * the first tcp_syn_linear_timeouts + 1 waits stay 1 s, then each doubles;
 * elsewhere each doubles.  The kernel gives up by time, not by count: once the time
 * since the first SYN reaches what tcp_syn_retries doubling waits from 1 s
 * would take, (2^(n+1) - 1) s.  So with linear waits it sends more SYNs
 * than tcp_syn_retries says.
 */
void explain_syn_retries(struct session *s, const struct sock *sk, double took, bool gave_up)
{
	long lin = host_knob(s, sk, "net.ipv4.tcp_syn_linear_timeouts");
	long n = host_knob(s, sk, "net.ipv4.tcp_syn_retries");
	char when[160];

	if (lin > 0)
		snprintf(when, sizeof when, _("the first %ld waits are 1 s each (net.ipv4.tcp_syn_linear_timeouts "
			 "= %ld), then each doubles"), lin + 1, lin);
	else
		snprintf(when, sizeof when, "%s", _("each wait doubles: 1 s, 2 s, 4 s..."));
	if (!gave_up)
		WHY(s, "connect() took %.1f s: the SYN got no SYN-ACK, so the kernel sent it again: %s", took, when);
	else if (n >= 0 && n < 20)
		WHY(s, "no SYN-ACK came in %.1f s: the kernel sent the SYN again (%s) and gave up once the time "
		    "since the first reached what net.ipv4.tcp_syn_retries = %ld doubling waits would take: "
		    "%ld s", took, when, n, (2L << n) - 1);
}

/*
 * Nothing to read on sk, and the last data sent to it is still on the
 * cable (held) or was dropped there: say so, from what the cable did.
 */
static bool on_the_cable(struct session *s, const struct sock *sk)
{
	size_t n;
	const struct wire_pkt *v = wire_packets(s->wire, &n);

	if (sk->host == 0)
		return false;
	while (n-- > 0) {
		const struct wire_pkt *p = &v[n];

		if (strcmp(p->to, sk->name) != 0 || p->len == 0)
			continue;
		if (p->fate == CF_DROPPED && p->proto == IPPROTO_UDP)
			WHY(s, "the datagram %s sent was dropped on the cable (#%u): UDP never sends it again",
			    p->from[0] ? p->from : _("the peer"), p->frame);
		else if (p->fate == CF_DROPPED)
			WHY(s, "what %s sent was dropped on the cable (#%u): its kernel keeps the bytes and sends "
			    "them again when its retransmission timer runs out", p->from[0] ? p->from : _("the peer"),
			    p->frame);
		else if (p->fate == CF_HELD)
			WHY(s, "what %s sent waits on the cable (held #%u): 'cable forward' lets it go",
			    p->from[0] ? p->from : _("the peer"), p->frame);
		return p->fate == CF_DROPPED || p->fate == CF_HELD;
	}
	return false;
}

/* The session's socket at the other end of sk's connection (the newest, if the tuple was used twice). */
static const struct sock *peer_of(const struct session *s, const struct sock *sk)
{
	const struct sock *found = NULL;

	for (size_t i = 0; i < s->socks.n; i++) {
		const struct sock *t = s->socks.v[i];

		if (t != sk && t->type == sk->type && sk->peer.family && t->local.family &&
		    addr_equal(&t->local, &sk->peer) && addr_equal(&t->peer, &sk->local))
			found = t;
	}
	return found;
}

/* Who sent the RST, and why, when the session knows the peer; else the kernel's three reasons. */
static void explain_reset(struct session *s, const struct sock *sk)
{
	const struct sock *p = peer_of(s, sk);

	if (p && p->power_lost)
		WHY(s, "%s's host restarted: its new kernel knows no such connection, so it answered "
		    "the segment with RST", p->name);
	else if (p && p->fd < 0 && (p->opts & SOPT_LINGER) && p->linger == 0)
		WHY(s, "the peer reset the connection (RST): %s closed with SO_LINGER 0", p->name);
	else if (p && p->fd < 0 && p->unread_at_close > 0)
		WHY(s, "the peer reset the connection (RST): %s closed with %d bytes unread", p->name,
		    p->unread_at_close);
	else
		WHY(s, "the peer reset the connection (RST): it closed with SO_LINGER 0, or "
		    "closed with data unread, or its machine no longer knows the connection (a restart)");
}

void explain_io(struct session *s, const struct sock *sk, bool receiving, int err)
{
	bool udp = sk->type == SOCK_DGRAM;

	switch (err) {
	case EAGAIN:
		if (!receiving)
			WHY(s, "%s's send buffer is full: the peer is not reading", sk->name);
		else if (on_the_cable(s, sk))
			return;
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
		explain_reset(s, sk);
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
		/* no bucket for a TIME_WAIT: the kernel drops the connection where it would keep one */
		if (host_knob(s, sk, "net.ipv4.tcp_max_tw_buckets") == 0)
			WHY(s, "%s closed first: it sent its FIN; but net.ipv4.tcp_max_tw_buckets is 0, so "
			    "the kernel keeps no TIME_WAIT (nor the FIN_WAIT2 it would keep as one): "
			    "a FIN that comes from the peer later meets no socket and is answered with RST",
			    sk->name);
		else
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

/* On the socket's own host: its kernel decided, with its settings and its table. */
void explain_connect(struct session *s, const struct sock *sk, const struct endpoint *ep, int err)
{
	if (hosts_enter(&s->hosts, sk->host) < 0)
		return;
	explain_connect_here(s, sk, ep, err);
	hosts_leave(&s->hosts);
}

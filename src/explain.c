/*
 * explain: the why-lines.  Each case finds the holders of an address in the
 * session's table and the kernel's, then states the rule Linux applied
 * (net/ipv4/inet_connection_sock.c inet_bind_conflict and friends) in one
 * sentence, naming the option or call that would change the outcome.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "explain.h"
#include "sink.h"
#include "sysctl.h"

#define WHY(s, ...) sink_printf(&(s)->sink, SINK_WHY, __VA_ARGS__)

bool explain_overlap(const struct endpoint *a, bool a_v6only,
		     const struct endpoint *b, bool b_v6only)
{
	struct endpoint ua, ub;

	if (a->family == 0 || b->family == 0 || a->port != b->port)
		return false;
	if (a->family == b->family) {
		if (addr_is_wildcard(a) || addr_is_wildcard(b))
			return true;
		return addr_same_host(a, b);
	}
	/* IPv4 against IPv6: the v6 side must be [::] dual-stack, or v4-mapped */
	if (a->family == AF_INET6 && addr_is_wildcard(a))
		return !a_v6only;
	if (b->family == AF_INET6 && addr_is_wildcard(b))
		return !b_v6only;
	ua = addr_unmap(a);
	ub = addr_unmap(b);
	if (ua.family != ub.family)
		return false;
	return addr_is_wildcard(&ua) || addr_is_wildcard(&ub) || addr_same_host(&ua, &ub);
}

static const char *has(unsigned opts, unsigned bit)
{
	return (opts & bit) ? "has" : "has no";
}

static const char *kstate(const struct pn_entry *e)
{
	return e ? pn_state_name(e) : "bound (not listed by the kernel)";
}

/* The kernel entry of an open own socket, if the kernel lists it. */
static const struct pn_entry *entry_of(const struct session *s, const struct sock *k)
{
	for (size_t i = 0; i < s->nv.n; i++)
		if (s->nv.rows[i].own == k && s->nv.rows[i].e && !s->nv.rows[i].was)
			return s->nv.rows[i].e;
	return NULL;
}

static void describe_tw_owner(struct session *s, const struct netrow *r, const struct sock *sk)
{
	char a[ADDR_STRLEN];
	const struct sock *old = r->own;
	double left = netrow_timer_left(r);

	addr_format(&r->e->local, a, sizeof a);
	if (old == NULL) {
		WHY(s, "a socket nobody owns any more sits in TIME_WAIT on %s (%.0f s left), "
		    "left by an earlier connection; its options are unknown", a, left);
		WHY(s, "rule: a bind over TIME_WAIT passes only when the new socket and the old "
		    "one both had SO_REUSEADDR (or both SO_REUSEPORT); wait for it to expire");
		return;
	}
	WHY(s, "was %s sits in TIME_WAIT on %s (%.0f s left): it closed first", old->name, a, left);
	if (old->parent[0])
		WHY(s, "was %s was accepted from %s and inherited its options: it %s SO_REUSEADDR, %s SO_REUSEPORT",
		    old->name, old->parent, has(old->opts, SOPT_REUSEADDR), has(old->opts, SOPT_REUSEPORT));
	else
		WHY(s, "was %s %s SO_REUSEADDR and %s SO_REUSEPORT", old->name,
		    has(old->opts, SOPT_REUSEADDR), has(old->opts, SOPT_REUSEPORT));
	WHY(s, "rule: a bind over TIME_WAIT passes only when the new socket AND the old one had "
	    "SO_REUSEADDR, or both SO_REUSEPORT; %s %s SO_REUSEADDR", sk->name,
	    has(sk->opts, SOPT_REUSEADDR));
}

static void explain_bind_inuse(struct session *s, const struct sock *sk, const struct endpoint *ep)
{
	bool v6only = sk->opts & SOPT_V6ONLY;
	char a[ADDR_STRLEN];
	int found = 0;

	session_refresh_net(s);
	for (size_t i = 0; i < s->socks.n; i++) {
		const struct sock *k = s->socks.v[i];
		const struct pn_entry *e;

		if (k == sk || k->state == SOCK_CLOSED || k->type != sk->type ||
		    !explain_overlap(&k->local, k->opts & SOPT_V6ONLY, ep, v6only))
			continue;
		found++;
		e = entry_of(s, k);
		addr_format(&k->local, a, sizeof a);
		if (k->state == SOCK_LISTENING) {
			WHY(s, "%s is LISTEN on %s", k->name, a);
			WHY(s, "rule: while a socket listens on an address, Linux refuses any other bind "
			    "there, SO_REUSEADDR or not, unless both sockets have SO_REUSEPORT "
			    "(%s %s SO_REUSEPORT, %s %s)", k->name, has(k->opts, SOPT_REUSEPORT),
			    sk->name, has(sk->opts, SOPT_REUSEPORT));
		} else if (sk->type == SOCK_DGRAM) {
			WHY(s, "%s is bound to %s", k->name, a);
			WHY(s, "rule: two UDP sockets share an address only when both have SO_REUSEADDR "
			    "or both SO_REUSEPORT (%s %s SO_REUSEADDR, %s %s)", k->name,
			    has(k->opts, SOPT_REUSEADDR), sk->name, has(sk->opts, SOPT_REUSEADDR));
		} else {
			WHY(s, "%s is %s on %s%s%s", k->name, kstate(e), a,
			    k->parent[0] ? ", accepted from " : "", k->parent);
			WHY(s, "rule: a second bind to a TCP address succeeds only when both sockets have "
			    "SO_REUSEADDR and neither listens, or both have SO_REUSEPORT "
			    "(%s %s SO_REUSEADDR, %s %s)", k->name, has(k->opts, SOPT_REUSEADDR),
			    sk->name, has(sk->opts, SOPT_REUSEADDR));
		}
		if (ep->family == AF_INET6 && addr_is_wildcard(ep) && k->family == AF_INET && !v6only)
			WHY(s, "%s is [::] without IPV6_V6ONLY: it also claims every IPv4 address; "
			    "set v6only on to leave IPv4 alone", sk->name);
		else if (k->family == AF_INET6 && addr_is_wildcard(&k->local) && sk->family == AF_INET &&
			 !(k->opts & SOPT_V6ONLY))
			WHY(s, "%s is [::] without IPV6_V6ONLY, so it holds IPv4 %s too", k->name, a);
		else if (addr_is_wildcard(ep) != addr_is_wildcard(&k->local))
			WHY(s, "a wildcard address (0.0.0.0 or [::]) covers every specific address "
			    "of the same port, in either order");
	}
	for (size_t i = 0; i < s->nv.n; i++) {
		const struct netrow *r = &s->nv.rows[i];

		if (r->e == NULL || (r->own && !r->was) ||
		    r->e->proto != (sk->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP) ||
		    !explain_overlap(&r->e->local, false, ep, v6only))
			continue;
		if (r->e->state == PN_TIME_WAIT) {
			found++;
			describe_tw_owner(s, r, sk);
		} else if (r->e->inode != 0) {
			found++;
			WHY(s, "another program (uid %u) holds %s in state %s",
			    r->e->uid, addr_format(&r->e->local, a, sizeof a), pn_state_name(r->e));
		}
		if (found > 6)
			break;	/* a crowd of TIME_WAITs: a few say enough */
	}
	if (!found)
		WHY(s, "no socket of this session nor of this network namespace holds %s "
		    "(another namespace, or it closed since); the kernel's bind table "
		    "keeps TCP sockets that /proc does not list", addr_format(ep, a, sizeof a));
}

static void explain_listen_inuse(struct session *s, const struct sock *sk)
{
	char a[ADDR_STRLEN];
	int found = 0;

	for (size_t i = 0; i < s->socks.n; i++) {
		const struct sock *k = s->socks.v[i];

		if (k == sk || k->state != SOCK_LISTENING ||
		    !explain_overlap(&k->local, k->opts & SOPT_V6ONLY, &sk->local, sk->opts & SOPT_V6ONLY))
			continue;
		found++;
		WHY(s, "%s already LISTENs on %s", k->name, addr_format(&k->local, a, sizeof a));
		WHY(s, "rule: SO_REUSEADDR let both binds pass because neither was listening yet, "
		    "but only one socket may listen on an address unless all have SO_REUSEPORT "
		    "(Linux differs from BSD here)");
	}
	if (!found)
		WHY(s, "another socket listens on %s or the port it was given", addr_format(&sk->local, a, sizeof a));
}

static void explain_connect_notavail(struct session *s, const struct sock *sk,
				     const struct endpoint *ep)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], range[64] = "?";
	size_t tw = 0, other = 0;

	session_refresh_net(s);
	addr_format(ep, b, sizeof b);
	if (sk->local.family && sk->local.port) {
		for (size_t i = 0; i < s->nv.n; i++) {
			const struct netrow *r = &s->nv.rows[i];

			if (r->e && r->e->proto == IPPROTO_TCP && r->own != sk &&
			    addr_equal(&r->e->local, &sk->local) && addr_equal(&r->e->remote, ep)) {
				WHY(s, "the 4-tuple %s -> %s already exists: %s%s, %s",
				    addr_format(&sk->local, a, sizeof a), b,
				    r->own ? (r->was ? "was " : "") : "a socket of another program",
				    r->own ? r->own->name : "", pn_state_name(r->e));
				WHY(s, "rule: a connection is named by its 4-tuple; the same local port may "
				    "serve different destinations, never the same one twice");
				return;
			}
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
	/* one range serves both families */
	sysctl_read("net.ipv4.ip_local_port_range", range, sizeof range);
	WHY(s, "no local port is free toward %s: ip_local_port_range is %s; %zu connections "
	    "to it sit in TIME_WAIT and %zu are in other states", b, range, tw, other);
	WHY(s, "rule: connect() needs a port whose 4-tuple toward this destination is unused; "
	    "other destinations still work; net.ipv4.tcp_tw_reuse lets connect() take a "
	    "TIME_WAIT port (needs TCP timestamps, after tcp_tw_reuse_delay)");
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
			    r->own ? r->own->name : "another program", addr_format(&r->e->local, b, sizeof b), a);
			n++;
		}
	}
}

/* What every call may meet: out of descriptors. */
static void explain_common(struct session *s, int err)
{
	if (err == EMFILE || err == ENFILE)
		WHY(s, "out of file descriptors (ulimit -n): close sockets first");
}

void explain_socket(struct session *s, int err)
{
	explain_common(s, err);
}

static void bind_failure(struct session *s, const struct sock *sk, const struct endpoint *ep, int err)
{
	char a[ADDR_STRLEN], v[64];

	switch (err) {
	case EADDRINUSE:
		explain_bind_inuse(s, sk, ep);
		return;
	case EADDRNOTAVAIL:
		WHY(s, "%s is not an address of this machine%s",
		    addr_format_host(ep, a, sizeof a),
		    s->sandboxed ? ": add it with 'addr add'" : " (the sandbox can add it: --sandbox)");
		return;
	case EACCES:
		if (sysctl_read("net.ipv4.ip_unprivileged_port_start", v, sizeof v) < 0)
			snprintf(v, sizeof v, "1024");
		WHY(s, "ports below %s need privilege (CAP_NET_BIND_SERVICE); use a higher port", v);
		return;
	case EINVAL:
		if (sk->local.family)
			WHY(s, "%s is already bound to %s: a socket is bound once",
			    sk->name, addr_format(&sk->local, a, sizeof a));
		else
			WHY(s, "the address does not fit the socket (an IPv6 address for an IPv4 socket?)");
		return;
	case EAFNOSUPPORT:
		WHY(s, "%s is an IPv4 socket: it cannot bind an IPv6 address (make one with -6)", sk->name);
		return;
	}
	explain_common(s, err);
}

void explain_listen(struct session *s, const struct sock *sk, int err)
{
	if (err == EADDRINUSE)
		explain_listen_inuse(s, sk);
	else if (err == EOPNOTSUPP)
		WHY(s, "%s is UDP: UDP has no connections to accept, so listen() is for TCP only", sk->name);
	else if (err == EINVAL)
		WHY(s, "%s is %s: listen() needs a socket that is not connected",
		    sk->name, sock_state_name(sk->state));
}

void explain_connect(struct session *s, const struct sock *sk, const struct endpoint *ep, int err)
{
	char a[ADDR_STRLEN];

	switch (err) {
	case EADDRNOTAVAIL:
		explain_connect_notavail(s, sk, ep);
		return;
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
	if (err == EAGAIN)
		WHY(s, "no connection is waiting in %s's accept queue yet: connect a client first",
		    sk->name);
	else if (err == EINVAL)
		WHY(s, "%s is not listening: call listen first", sk->name);
	else if (err == EOPNOTSUPP)
		WHY(s, "%s is UDP: there are no connections to accept", sk->name);
	else
		explain_common(s, err);
}

void explain_io(struct session *s, const struct sock *sk, bool receiving, int err)
{
	bool udp = sk->type == SOCK_DGRAM;

	switch (err) {
	case EAGAIN:
		if (receiving)
			WHY(s, "nothing has arrived on %s yet: send something to it first", sk->name);
		else
			WHY(s, "%s's send buffer is full: the peer is not reading", sk->name);
		return;
	case ENOTCONN:
		WHY(s, "%s is not connected%s", sk->name,
		    udp ? ": use sendto with an address, or connect it" : "");
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

static void bind_success(struct session *s, const struct sock *sk, const struct endpoint *ep)
{
	char a[ADDR_STRLEN];

	{
		session_refresh_net(s);
		/* a TIME_WAIT of ours on the address, which the bind just passed over */
		for (size_t i = 0; i < s->nv.n; i++) {
			const struct netrow *r = &s->nv.rows[i];

			if (!r->was || r->e == NULL || r->e->state != PN_TIME_WAIT ||
			    sk->type != SOCK_STREAM ||
			    !explain_overlap(&r->e->local, false, ep, sk->opts & SOPT_V6ONLY))
				continue;
			WHY(s, "was %s's TIME_WAIT still holds %s (%.0f s left); the bind passed because %s",
			    r->own->name, addr_format(&r->e->local, a, sizeof a), netrow_timer_left(r),
			    (r->own->opts & sk->opts & SOPT_REUSEADDR) ? "both had SO_REUSEADDR" :
			    "both had SO_REUSEPORT");
			break;
		}
		for (size_t i = 0; i < s->socks.n; i++) {
			const struct sock *k = s->socks.v[i];

			if (k == sk || k->state == SOCK_CLOSED || k->type != sk->type ||
			    !explain_overlap(&k->local, k->opts & SOPT_V6ONLY, ep, sk->opts & SOPT_V6ONLY))
				continue;
			addr_format(&k->local, a, sizeof a);
			if ((k->opts & sk->opts & SOPT_REUSEPORT))
				WHY(s, "%s shares %s with %s: both have SO_REUSEPORT%s", sk->name, a, k->name,
				    sk->type == SOCK_STREAM ? "; the kernel will spread connections over the listeners" : "");
			else if ((k->opts & sk->opts & SOPT_REUSEADDR))
				WHY(s, "%s shares %s with %s: both have SO_REUSEADDR%s", sk->name, a, k->name,
				    sk->type == SOCK_STREAM ? " and neither listens yet; only one of them will be able to listen()" : "");
		}
	}
}

void explain_bind(struct session *s, const struct sock *sk, const struct endpoint *ep, int err)
{
	if (err)
		bind_failure(s, sk, ep, err);
	else
		bind_success(s, sk, ep);
}

void explain_close(struct session *s, const struct sock *sk)
{
	char a[ADDR_STRLEN];

	if (sk->type == SOCK_STREAM && sk->peer.family) {
		if ((sk->opts & SOPT_LINGER) && sk->linger == 0) {
			WHY(s, "SO_LINGER {on, 0}: close() sent RST instead of FIN; no TIME_WAIT is left, "
			    "and the peer gets ECONNRESET");
			return;
		}
		session_refresh_net(s);
		for (size_t i = 0; i < s->nv.n; i++) {
			const struct netrow *r = &s->nv.rows[i];

			if (r->own != sk || r->e == NULL)
				continue;
			if (r->e->state == PN_TIME_WAIT)
				WHY(s, "%s had sent its FIN first (shutdown) and the peer has closed too: "
				    "%s keeps TIME_WAIT for 60 s, as whoever closes first does", sk->name, sk->name);
			else if (r->e->state == PN_FIN_WAIT2 || r->e->state == PN_FIN_WAIT1)
				WHY(s, "%s closed first: it waits in %s for the peer's FIN, then keeps "
				    "TIME_WAIT for 60 s on %s", sk->name, pn_state_name(r->e),
				    addr_format(&sk->local, a, sizeof a));
			else if (r->e->state == PN_LAST_ACK)
				WHY(s, "the peer closed first: %s is in LAST_ACK and leaves no TIME_WAIT",
				    sk->name);
			return;
		}
	}
}

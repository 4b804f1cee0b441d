/*
 * explain_bind: why a bind or a listen did what it did.  Every socket on the
 * port, the session's and the kernel's (TIME_WAIT and other closed
 * connections included), is put to the kernel's rule (bindrule.c); only the
 * ones the rule says clash are named, each with how the two addresses meet
 * and which rule applied.  A bind to port 0 that failed names the full
 * ephemeral range and who holds it.  A bind that passed says what it now
 * shares, and whether the sharers are one SO_REUSEPORT group.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lang/explain_int.h"
#include "kernel/sysctl.h"

#define MAX_NAMED 6	/* a crowd of holders: a few say enough */

void explain_br_sock(const struct sock *k, const struct endpoint *ep, struct br_sock *b)
{
	memset(b, 0, sizeof *b);
	b->ep = ep ? *ep : k->local;
	b->type = k->type;
	b->v6only = k->opts & SOPT_V6ONLY;
	b->reuseaddr = k->opts & SOPT_REUSEADDR;
	b->reuseport = k->opts & SOPT_REUSEPORT;
	b->listening = k->state == SOCK_LISTENING;
	b->known = true;
	b->uid = (unsigned)getuid();
}

void explain_br_row(const struct netrow *r, struct br_sock *b)
{
	memset(b, 0, sizeof *b);
	if (r->own)
		explain_br_sock(r->own, &r->e->local, b);	/* a closed socket keeps its options */
	b->ep = r->e->local;
	b->type = r->e->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	b->listening = r->e->state == PN_LISTEN && r->e->proto == IPPROTO_TCP;
	b->timewait = r->e->state == PN_TIME_WAIT && r->e->proto == IPPROTO_TCP;
	b->known = r->own != NULL;
	b->uid = r->own ? (unsigned)getuid() : r->e->uid;
}

/* The way two addresses meet, when it is not plainly the same address. */
static void say_meet(struct session *s, const struct sock *sk, const struct br_sock *n,
		     const char *hname, const struct br_sock *h)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	struct endpoint v4any = { .family = AF_INET, .port = n->ep.port };
	bool hdual = h->ep.family == AF_INET6 && addr_is_wildcard(&h->ep) && !h->v6only;

	switch (bindrule_meet(n, h)) {
	case BR_DUAL:
		if (hdual)
			WHY(s, "%s is [::] without IPV6_V6ONLY, so it holds the IPv4 wildcard %s too",
			    hname, addr_format(&v4any, a, sizeof a));
		else
			WHY(s, "%s is [::] without IPV6_V6ONLY: it also claims every IPv4 address (%s); "
			    "set v6only on to leave IPv4 alone", sk->name, addr_format(&v4any, a, sizeof a));
		return;
	case BR_WILD:
		if (addr_is_v4mapped(&n->ep) || n->ep.family == AF_INET)
			WHY(s, "the IPv4 wildcard address (0.0.0.0, or [::ffff:0.0.0.0]) covers every "
			    "IPv4 address of the port, in either order");
		else
			WHY(s, "[::], the IPv6 wildcard address, covers every IPv6 address of the port, "
			    "in either order");
		return;
	case BR_SAME:
		if (n->ep.family != h->ep.family)
			WHY(s, "%s and %s are one IPv4 address: an IPv4-mapped [::ffff:a.b.c.d] is "
			    "compared as a.b.c.d", addr_format_host(&n->ep, a, sizeof a),
			    addr_format_host(&h->ep, b, sizeof b));
		return;
	case BR_APART:
		return;
	}
}

/* "s1 has SO_REUSEADDR, not SO_REUSEPORT": one side's two options. */
static const char *opts_phrase(const char *name, bool ra, bool rp, char *buf, size_t len)
{
	if (ra && rp)
		snprintf(buf, len, _("%s has SO_REUSEADDR and SO_REUSEPORT"), name);
	else if (ra || rp)
		snprintf(buf, len, _("%s has %s, not %s"), name, ra ? "SO_REUSEADDR" : "SO_REUSEPORT",
			 ra ? "SO_REUSEPORT" : "SO_REUSEADDR");
	else
		snprintf(buf, len, _("%s has no SO_REUSEADDR and no SO_REUSEPORT"), name);
	return buf;
}

/* The rule that made this holder clash, with both sides' options. */
static void say_rule(struct session *s, const struct sock *sk, const char *hname,
		     const struct br_sock *h, enum br_verdict v)
{
	char p1[120], p2[120];

	if (v == BR_UNKNOWN) {
		WHY(s, "rule: its options cannot be seen from here; a bind there passes only when "
		    "both have SO_REUSEADDR and it does not listen, or both have SO_REUSEPORT%s",
		    h->type == SOCK_DGRAM ? "" : " (and one owner)");
	} else if (v == BR_CONFLICT_LISTEN) {
		WHY(s, "rule: while a socket listens on an address, Linux refuses any other bind "
		    "there, SO_REUSEADDR or not, unless both sockets have SO_REUSEPORT "
		    "(%s %s SO_REUSEPORT, %s %s SO_REUSEPORT)", hname, explain_has(h->reuseport, 1),
		    sk->name, explain_has(sk->opts, SOPT_REUSEPORT));
	} else if (h->type == SOCK_DGRAM) {
		WHY(s, "rule: two UDP sockets share an address only when both have SO_REUSEADDR "
		    "or both SO_REUSEPORT (%s; %s)", opts_phrase(hname, h->reuseaddr, h->reuseport, p1,
		    sizeof p1), opts_phrase(sk->name, sk->opts & SOPT_REUSEADDR, sk->opts & SOPT_REUSEPORT,
		    p2, sizeof p2));
	} else if (h->timewait) {
		WHY(s, "rule: a bind over TIME_WAIT passes only when the new socket AND the old one had "
		    "SO_REUSEADDR, or both SO_REUSEPORT; %s %s SO_REUSEADDR and %s SO_REUSEPORT",
		    sk->name, explain_has(sk->opts, SOPT_REUSEADDR), explain_has(sk->opts, SOPT_REUSEPORT));
	} else {
		WHY(s, "rule: a second bind to a TCP address succeeds only when both sockets have "
		    "SO_REUSEADDR and neither listens, or both have SO_REUSEPORT (%s; %s)",
		    opts_phrase(hname, h->reuseaddr, h->reuseport, p1, sizeof p1),
		    opts_phrase(sk->name, sk->opts & SOPT_REUSEADDR, sk->opts & SOPT_REUSEPORT, p2, sizeof p2));
	}
}

/* An open socket of the session that clashes. */
static void say_own_holder(struct session *s, const struct sock *k)
{
	const struct pn_entry *e = explain_entry_of(s, k);
	char a[ADDR_STRLEN];

	addr_format(&k->local, a, sizeof a);
	if (k->state == SOCK_LISTENING)
		WHY(s, "%s is LISTEN on %s", k->name, a);
	else if (k->type == SOCK_DGRAM)
		WHY(s, "%s is bound to %s", k->name, a);
	else
		WHY(s, "%s is %s on %s%s%s", k->name, e ? pn_state_name(e) : _("bound (not listed by the kernel)"),
		    a, k->parent[0] ? _(", accepted from ") : "", k->parent);
}

/* The open socket of the session at the other end of a connection, if any. */
static const struct sock *peer_of(const struct session *s, const struct pn_entry *e)
{
	for (size_t i = 0; i < s->socks.n; i++) {
		const struct sock *k = s->socks.v[i];

		if (k->fd >= 0 && addr_equal(&k->local, &e->remote) && addr_equal(&k->peer, &e->local))
			return k;
	}
	return NULL;
}

/* A kernel row that clashes: a closed socket of ours, or another program's. */
static void say_row_holder(struct session *s, const struct netrow *r)
{
	const struct pn_entry *e = r->e;
	char a[ADDR_STRLEN];
	double left = netrow_timer_left(r);

	addr_format(&e->local, a, sizeof a);
	if (r->own == NULL && e->state == PN_TIME_WAIT) {
		WHY(s, "a socket nobody owns any more sits in TIME_WAIT on %s (%.0f s left), left "
		    "by an earlier connection; its options are unknown", a, left);
	} else if (r->own == NULL) {
		WHY(s, "another program (uid %u) holds %s in state %s", e->uid, a, pn_state_name(e));
	} else if (e->state == PN_TIME_WAIT) {
		WHY(s, "was %s sits in TIME_WAIT on %s (%.0f s left): it closed first", r->own->name, a, left);
		if (r->own->parent[0])
			WHY(s, "was %s was accepted from %s and inherited its options: it %s SO_REUSEADDR, "
			    "%s SO_REUSEPORT", r->own->name, r->own->parent,
			    explain_has(r->own->opts, SOPT_REUSEADDR), explain_has(r->own->opts, SOPT_REUSEPORT));
		else
			WHY(s, "was %s %s SO_REUSEADDR and %s SO_REUSEPORT", r->own->name,
			    explain_has(r->own->opts, SOPT_REUSEADDR), explain_has(r->own->opts, SOPT_REUSEPORT));
	} else {
		/* closed, but the connection is not over: FIN_WAIT2 waits for the peer's FIN */
		const struct sock *peer = peer_of(s, e);

		WHY(s, "was %s is closed but still holds %s in %s: %s", r->own->name, a, pn_state_name(e),
		    e->state == PN_FIN_WAIT2 ? _("its FIN was acknowledged and it waits for the peer's "
		    "FIN (the peer has not closed); then TIME_WAIT follows for 60 s") :
		    _("the connection is still closing"));
		if (peer && e->state == PN_FIN_WAIT2)
			WHY(s, "the peer is %s, still open: close %s and %s moves on to TIME_WAIT (which "
			    "SO_REUSEADDR on both passes); or wait net.ipv4.tcp_fin_timeout", peer->name,
			    peer->name, r->own->name);
	}
}

/* The rule on an other open, bound socket k of the session (BR_NO_MEET for any other); h gets k's view. */
static enum br_verdict own_verdict(const struct sock *sk, const struct br_sock *n, const struct sock *k,
				   struct br_sock *h)
{
	if (k == sk || k->fd < 0 || k->local.family == 0 || k->host != sk->host)
		return BR_NO_MEET;	/* another host's table is another kernel's */
	explain_br_sock(k, NULL, h);
	return bindrule_bind(n, h);
}

/* Does this kernel row stand for a socket the session's own loop already put to the rule? */
static bool row_is_open_own(const struct netrow *r)
{
	return r->own && !r->was;
}

/* bind(port 0) failed: every port of the range has a holder that keeps it from sk. */
static void explain_port0(struct session *s, const struct sock *sk, const struct endpoint *ep)
{
	char reuse[16] = "0", a[ADDR_STRLEN];
	int lo, hi, named = 0;
	size_t held = 0;
	bool autobind, own, udp = sk->type == SOCK_DGRAM;
	struct br_sock n;

	sock_port_range(sk, &lo, &hi, &own);
	sysctl_read("net.ipv4.ip_autobind_reuse", reuse, sizeof reuse);
	autobind = strcmp(reuse, "1") == 0;
	if (own)
		WHY(s, "port 0 asks the kernel for a free port of %s's own range (IP_LOCAL_PORT_RANGE "
		    "within ip_local_port_range): %d-%d; none is left for %s", sk->name, lo, hi,
		    addr_format_host(ep, a, sizeof a));
	else
		WHY(s, "port 0 asks the kernel for a free port of ip_local_port_range (%d-%d); none is "
		    "left for %s", lo, hi, addr_format_host(ep, a, sizeof a));
	explain_br_sock(sk, ep, &n);
	for (size_t i = 0; i < s->nv.n; i++) {
		const struct netrow *r = &s->nv.rows[i];
		const struct endpoint *l = r->e ? &r->e->local : &r->own->local;
		struct br_sock h;
		enum br_verdict v;

		if (netrow_host(r) != sk->host)
			continue;
		if (l->port < lo || l->port > hi || (r->own == sk && !r->was))
			continue;
		if (r->e)
			explain_br_row(r, &h);
		else
			explain_br_sock(r->own, NULL, &h);
		/* UDP's port 0 shares by bind's own rule; TCP's by ip_autobind_reuse's */
		if (udp) {
			struct br_sock at = n;

			at.ep.port = h.ep.port;	/* the port the kernel would try */
			v = bindrule_bind(&at, &h);
		} else {
			v = bindrule_autobind(&n, &h, autobind);
		}
		if (!bindrule_conflicts(v) && v != BR_UNKNOWN)
			continue;
		held++;
		if (named++ < MAX_NAMED)
			WHY(s, "port %u: %s%s, %s", l->port, r->own ? (r->was ? _("was ") : "") : _("another program"),
			    r->own ? r->own->name : "", r->e ? pn_state_name(r->e) : _("bound"));
	}
	if (udp)
		sink_printf(&s->sink, SINK_WHY, ngettext("rule: for port 0 UDP takes a port of the range whose "
			    "holders would let %s share it by bind's own rule (both SO_REUSEADDR, or both "
			    "SO_REUSEPORT); none would (%zu port held)", "rule: for port 0 UDP takes a port of the "
			    "range whose holders would let %s share it by bind's own rule (both SO_REUSEADDR, or "
			    "both SO_REUSEPORT); none would (%zu ports held)", held), sk->name, held);
	else if (autobind)
		sink_printf(&s->sink, SINK_WHY, ngettext("rule: for port 0 the kernel first looks for a port "
			    "nobody holds; with net.ipv4.ip_autobind_reuse 1 it then shares one whose holder and "
			    "%s both have SO_REUSEADDR, when the holder does not listen and they do not both have "
			    "SO_REUSEPORT (%zu port kept from %s)", "rule: for port 0 the kernel first looks for a "
			    "port nobody holds; with net.ipv4.ip_autobind_reuse 1 it then shares one whose holder "
			    "and %s both have SO_REUSEADDR, when the holder does not listen and they do not both "
			    "have SO_REUSEPORT (%zu ports kept from %s)", held), sk->name, held, sk->name);
	else
		sink_printf(&s->sink, SINK_WHY, ngettext("rule: for port 0 the kernel takes only a port no socket "
			    "on an address meeting %s holds: SO_REUSEADDR and SO_REUSEPORT do not count here unless "
			    "net.ipv4.ip_autobind_reuse is 1 (%zu port held); widen ip_local_port_range or close a "
			    "holder", "rule: for port 0 the kernel takes only a port no socket on an address meeting "
			    "%s holds: SO_REUSEADDR and SO_REUSEPORT do not count here unless "
			    "net.ipv4.ip_autobind_reuse is 1 (%zu ports held); widen ip_local_port_range or close a "
			    "holder", held), a, held);
}

static void explain_bind_inuse(struct session *s, const struct sock *sk, const struct endpoint *ep)
{
	struct br_sock n, h;
	int found = 0;
	char a[ADDR_STRLEN];

	session_refresh_net(s);
	if (ep->port == 0) {
		explain_port0(s, sk, ep);
		return;
	}
	explain_br_sock(sk, ep, &n);
	for (size_t i = 0; i < s->socks.n && found < MAX_NAMED; i++) {
		const struct sock *k = s->socks.v[i];
		enum br_verdict v = own_verdict(sk, &n, k, &h);

		if (!bindrule_conflicts(v))
			continue;
		found++;
		say_own_holder(s, k);
		say_meet(s, sk, &n, k->name, &h);
		say_rule(s, sk, k->name, &h, v);
	}
	for (size_t i = 0; i < s->nv.n && found < MAX_NAMED; i++) {
		const struct netrow *r = &s->nv.rows[i];
		enum br_verdict v;

		if (r->e == NULL || row_is_open_own(r) || r->e->local.port != ep->port || r->e->host != sk->host)
			continue;
		explain_br_row(r, &h);
		v = bindrule_bind(&n, &h);
		if (!bindrule_conflicts(v) && v != BR_UNKNOWN)
			continue;
		found++;
		say_row_holder(s, r);
		say_meet(s, sk, &n, r->own ? r->own->name : _("it"), &h);
		say_rule(s, sk, r->own ? r->own->name : _("it"), &h, v);
	}
	if (!found)
		WHY(s, "no socket this session can see holds %s in a way that clashes: the holder is "
		    "outside it (another program's socket that is only bound, which /proc never "
		    "lists, or one in another network namespace)", addr_format(ep, a, sizeof a));
}

/* What a bind that passed now shares, by the rule that let it. */
static void bind_success(struct session *s, const struct sock *sk, const struct endpoint *ep)
{
	const char *what = sk->type == SOCK_STREAM ? _("connections") : _("datagrams");
	struct br_sock n, h;
	char a[ADDR_STRLEN];

	session_refresh_net(s);
	explain_br_sock(sk, ep, &n);
	for (size_t i = 0; i < s->nv.n; i++) {
		const struct netrow *r = &s->nv.rows[i];

		if (r->e == NULL || !r->was || r->e->state != PN_TIME_WAIT || r->e->local.port != ep->port ||
		    r->e->host != sk->host)
			continue;
		explain_br_row(r, &h);
		if (bindrule_bind(&n, &h) == BR_NO_MEET)
			continue;
		WHY(s, "was %s's TIME_WAIT still holds %s (%.0f s left); the bind passed because %s",
		    r->own->name, addr_format(&r->e->local, a, sizeof a), netrow_timer_left(r),
		    h.reuseaddr && n.reuseaddr ? _("both had SO_REUSEADDR") : _("both had SO_REUSEPORT"));
		break;
	}
	for (size_t i = 0; i < s->socks.n; i++) {
		const struct sock *k = s->socks.v[i];
		enum br_verdict v = own_verdict(sk, &n, k, &h);

		if (v == BR_NO_MEET)
			continue;
		addr_format(&k->local, a, sizeof a);
		if (v == BR_SHARE_REUSEPORT && bindrule_same_group(&n, &h))
			WHY(s, "%s shares %s with %s: both have SO_REUSEPORT, one group (same address, "
			    "family, V6ONLY and owner): the kernel spreads new %s over the group", sk->name,
			    a, k->name, what);
		else if (v == BR_SHARE_REUSEPORT)
			WHY(s, "%s and %s (%s) both have SO_REUSEPORT, so both binds pass; but they are not "
			    "one group (the address, family or V6ONLY differs): the kernel never spreads "
			    "%s between them", sk->name, k->name, a, what);
		else if (v == BR_SHARE_REUSEADDR && sk->type == SOCK_STREAM)
			WHY(s, "%s shares %s with %s: both have SO_REUSEADDR and neither listens yet; only "
			    "one of them will be able to listen()", sk->name, a, k->name);
		else if (v == BR_SHARE_REUSEADDR)
			WHY(s, "%s shares %s with %s: both have SO_REUSEADDR", sk->name, a, k->name);
	}
	if (sk->type == SOCK_DGRAM)
		explain_who_gets(s, sk);
}

static void explain_bind_here(struct session *s, const struct sock *sk, const struct endpoint *ep, int err)
{
	char a[ADDR_STRLEN], v[64];

	switch (err) {
	case 0:
		bind_success(s, sk, ep);
		return;
	case EADDRINUSE:
		explain_bind_inuse(s, sk, ep);
		return;
	case EADDRNOTAVAIL:
		if (sk->host)
			WHY(s, "%s is not an address of host %s: a host binds only its own addresses (%s "
			    "and 127.0.0.1)", addr_format_host(ep, a, sizeof a), hosts_name(&s->hosts, sk->host),
			    inet_ntoa(hosts_get(&s->hosts, sk->host)->addr));
		else
			WHY(s, "%s is not an address of this machine%s", addr_format_host(ep, a, sizeof a),
			    s->sandboxed ? _(": add it with 'addr add'") : _(" (the sandbox can add it: --sandbox)"));
		return;
	case EACCES:
		if (sysctl_read("net.ipv4.ip_unprivileged_port_start", v, sizeof v) < 0)
			snprintf(v, sizeof v, "1024");
		WHY(s, "ports below %s need privilege (CAP_NET_BIND_SERVICE); use a higher port", v);
		return;
	case EINVAL:
		if (sk->local.family)
			WHY(s, "%s is already bound to %s: a socket is bound once", sk->name,
			    addr_format(&sk->local, a, sizeof a));
		else if (addr_is_v4mapped(ep) && (sk->opts & SOPT_V6ONLY))
			WHY(s, "%s has IPV6_V6ONLY: it cannot take an IPv4-mapped address", sk->name);
		else
			WHY(s, "the address does not fit the socket (an IPv6 address for an IPv4 socket?)");
		return;
	case EAFNOSUPPORT:
		WHY(s, "%s is an IPv4 socket: it cannot bind an IPv6 address (make one with -6)", sk->name);
		return;
	}
	explain_common(s, err);
}

static void explain_listen_here(struct session *s, const struct sock *sk, int err)
{
	struct br_sock n, h;
	char a[ADDR_STRLEN];
	int found = 0;

	if (err == EOPNOTSUPP) {
		WHY(s, "%s is UDP: UDP has no connections to accept, so listen() is for TCP only", sk->name);
		return;
	}
	if (err == EINVAL) {
		WHY(s, "%s is %s: listen() needs a socket that is not connected", sk->name,
		    sock_state_name(sk->state));
		return;
	}
	if (err == 0)
		explain_who_gets(s, sk);
	if (err != EADDRINUSE)
		return;
	explain_br_sock(sk, NULL, &n);
	n.listening = true;
	for (size_t i = 0; i < s->socks.n; i++) {
		const struct sock *k = s->socks.v[i];

		if (k == sk || k->fd < 0 || k->state != SOCK_LISTENING || k->host != sk->host)
			continue;
		explain_br_sock(k, NULL, &h);
		if (!bindrule_conflicts(bindrule_listen(&n, &h)))
			continue;
		found++;
		WHY(s, "%s already LISTENs on %s", k->name, addr_format(&k->local, a, sizeof a));
		say_meet(s, sk, &n, k->name, &h);
		WHY(s, "rule: SO_REUSEADDR let both binds pass because neither was listening yet, "
		    "but only one socket may listen on an address unless all have SO_REUSEPORT "
		    "(Linux differs from BSD here)");
	}
	if (!found)
		WHY(s, "another socket listens on %s or the port it was given",
		    addr_format(&sk->local, a, sizeof a));
}

/* The explainer's old name for "do these addresses meet": the rule's own answer. */
bool explain_overlap(const struct endpoint *a, bool a_v6only, const struct endpoint *b, bool b_v6only)
{
	struct br_sock x, y;

	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	x.ep = *a;
	x.v6only = a_v6only;
	y.ep = *b;
	y.v6only = b_v6only;
	return bindrule_meet(&x, &y) != BR_APART;
}

/* On the socket's own host: its kernel decided, with its settings and its table. */
void explain_bind(struct session *s, const struct sock *sk, const struct endpoint *ep, int err)
{
	if (hosts_enter(&s->hosts, sk->host) < 0)
		return;
	explain_bind_here(s, sk, ep, err);
	hosts_leave(&s->hosts);
}

/* On the socket's own host: its kernel decided, with its settings and its table. */
void explain_listen(struct session *s, const struct sock *sk, int err)
{
	if (hosts_enter(&s->hosts, sk->host) < 0)
		return;
	explain_listen_here(s, sk, err);
	hosts_leave(&s->hosts);
}

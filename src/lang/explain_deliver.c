/*
 * explain_deliver: who gets a datagram or a connection when several
 * sockets hold the port, and by which of the kernel's rules; said from
 * the model in kernel/deliver.c, which check_deliver measures against the
 * kernel, and from what the capture saw.  Where the kernel's choice
 * cannot be derived (an SO_REUSEPORT group's hash), the line says what was
 * observed and names no rule it cannot know.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "lang/explain_int.h"
#include "kernel/deliver.h"

/* Sockets on one port the explainer weighs (more: the first of them). */
#define PORT_MAX 64

struct port_view {
	struct dl_sock v[PORT_MAX];
	struct sock *who[PORT_MAX];
	size_t n;
};

static void port_view(struct session *s, int type, uint16_t port, int host, struct port_view *pv)
{
	pv->n = socktab_port_dl(&s->socks, type, port, host, pv->v, pv->who, PORT_MAX);
	if (pv->n > PORT_MAX)
		pv->n = PORT_MAX;
}

static int index_of(const struct port_view *pv, const struct sock *k)
{
	for (size_t i = 0; i < pv->n; i++)
		if (pv->who[i] == k)
			return (int)i;
	return -1;
}

/* The last packet the capture saw open a flow to port (a SYN, a datagram): where it went, from where. */
static const struct wire_pkt *last_to_port(const struct session *s, int type, uint16_t port)
{
	size_t n;
	const struct wire_pkt *v = wire_packets(s->wire, &n);

	while (n-- > 0) {
		const struct wire_pkt *p = &v[n];

		if (p->dst.port != port || p->unreach)
			continue;
		if (type == SOCK_DGRAM ? p->proto == IPPROTO_UDP :
		    p->proto == IPPROTO_TCP && (p->flags & (WF_SYN | WF_ACK)) == WF_SYN)
			return p;
	}
	return NULL;
}

/* An address a packet for k would have had: its own, or for a wildcard its family's loopback. */
static struct endpoint dest_for(const struct sock *k)
{
	struct endpoint d = addr_unmap(&k->local);

	if (addr_is_wildcard(&d)) {
		memset(d.addr, 0, sizeof d.addr);
		if (d.family == AF_INET6 && !(k->opts & SOPT_V6ONLY))
			d.family = AF_INET;	/* a dual-stack [::] takes IPv4: the common case */
		if (d.family == AF_INET) {
			d.addr[0] = 127;
			d.addr[3] = 1;
		} else {
			d.addr[15] = 1;
		}
	}
	return d;
}

/* The rule by which v[x] won, in one sentence; what stands for "datagram" or "connection" in what. */
static void say_rule(struct session *s, const struct port_view *pv, const struct dl_pick *p, int x,
		     const struct endpoint *dst, const struct endpoint *src, const char *what)
{
	const struct sock *X = pv->who[x], *R = p->rival >= 0 ? pv->who[p->rival] : NULL;
	char a[ADDR_STRLEN], b[ADDR_STRLEN];

	addr_format(dst, a, sizeof a);
	switch (p->why) {
	case DL_GROUP:
		WHY(s, "%s is in an SO_REUSEPORT group on %s: for each new %s the kernel picks a "
		    "member by a hash of its addresses and ports, so which one gets it cannot be told "
		    "in advance", X->name, addr_format(&X->local, b, sizeof b), what);
		break;
	case DL_CONNECTED:
		WHY(s, "%s is connected to %s: a UDP socket connected to exactly the sender gets its "
		    "datagrams before every other socket on the port", X->name, addr_format(src, b, sizeof b));
		break;
	case DL_EXACT:
		WHY(s, "%s holds %s exactly: the kernel looks for a socket on the exact address "
		    "before any wildcard (%s holds %s)", X->name, addr_format_host(dst, b, sizeof b),
		    R ? R->name : "?", R ? addr_format(&R->local, a, sizeof a) : "?");
		break;
	case DL_FAMILY:
		WHY(s, "%s is IPv4: for an IPv4 %s the kernel puts an IPv4 socket before a dual-stack "
		    "IPv6 one (%s)", X->name, what, R ? R->name : "?");
		break;
	case DL_NEWEST:
		if (X->type == SOCK_STREAM)
			WHY(s, "%s and %s hold the same address: of equals, the kernel gives a connection "
			    "to the one that began to listen last, %s", X->name, R ? R->name : "?", X->name);
		else
			WHY(s, "%s and %s hold the same address: of equals, the kernel gives a datagram "
			    "to the one that was bound last, %s", X->name, R ? R->name : "?", X->name);
		break;
	case DL_OLDEST:
		WHY(s, "%s and %s hold the same address: IPv6 sockets with SO_REUSEPORT wait in the "
		    "order they came, so the first, %s, gets it", X->name, R ? R->name : "?", X->name);
		break;
	case DL_ONLY:
	case DL_NOBODY:
		WHY(s, "of the sockets on port %u, only %s takes a %s for %s", dst->port, X->name, what, a);
		break;
	}
}

/*
 * After a UDP bind or a listen that shares the port with sockets of the
 * session: where a datagram or connection for sk's address goes now.
 */
void explain_who_gets(struct session *s, const struct sock *sk)
{
	const char *what = sk->type == SOCK_STREAM ? _("connection") : _("datagram");
	struct endpoint dst = dest_for(sk), src;
	struct port_view pv;
	struct dl_pick p;
	char a[ADDR_STRLEN];
	int x;

	port_view(s, sk->type, sk->local.port, sk->host, &pv);
	if (pv.n < 2)
		return;
	/* from a port no socket here is connected to */
	src = dst;
	src.port = 0;
	p = deliver_pick(pv.v, pv.n, sk->type, &dst, &src);
	x = p.one >= 0 ? p.one : p.lead;
	if (x < 0)
		return;
	addr_format(&dst, a, sizeof a);
	if (p.why == DL_GROUP)
		WHY(s, "a new %s for %s now goes to one of %s's SO_REUSEPORT group", what, a, pv.who[x]->name);
	else
		WHY(s, "a new %s for %s now goes to %s", what, a, pv.who[x]->name);
	say_rule(s, &pv, &p, x, &dst, &src, what);
}

/*
 * Nothing waits on sk: say where what came to its port went, and why.
 * Another socket on the port with something waiting (the kernel's
 * table: a listener's accept queue, a UDP socket's receive memory), or the
 * last packet the capture saw to the port.  True when a why-line was said.
 */
bool explain_went_elsewhere(struct session *s, const struct sock *sk)
{
	const char *what = sk->type == SOCK_STREAM ? _("connection") : _("datagram");
	const char *whats = sk->type == SOCK_STREAM ? _("connections") : _("datagrams");
	const struct wire_pkt *seen = s->wire ? last_to_port(s, sk->type, sk->local.port) : NULL;
	const struct sock *k = NULL;
	struct endpoint dst, src;
	struct port_view pv;
	struct dl_pick p;
	int x;

	session_refresh_net(s);
	port_view(s, sk->type, sk->local.port, sk->host, &pv);
	for (size_t i = 0; i < pv.n && k == NULL; i++) {
		const struct pn_entry *e = pv.who[i] != sk ? explain_entry_of(s, pv.who[i]) : NULL;

		if (e && e->rxq > 0)
			k = pv.who[i];
	}
	if (k == NULL && (seen == NULL || !seen->to[0] || strcmp(seen->to, sk->name) == 0))
		return false;
	if (k == NULL)
		k = socktab_find(&s->socks, seen->to);
	if (k == NULL || (x = index_of(&pv, k)) < 0)
		return false;
	if (seen && strcmp(seen->to, k->name) == 0) {
		dst = seen->dst;
		src = seen->src;
	} else {
		dst = dest_for(k);
		src = dst;
		src.port = 0;
	}
	if (sk->type == SOCK_STREAM)
		WHY(s, "the %s went to %s, not %s: accept from it", whats, k->name, sk->name);
	else
		WHY(s, "the %s went to %s, not %s: recv on it", whats, k->name, sk->name);
	p = deliver_pick(pv.v, pv.n, sk->type, &dst, &src);
	if (!dl_in_pick(pv.v, pv.n, (size_t)x, &p))
		return true;	/* the model does not see how: the capture's word stands alone */
	if (p.why == DL_GROUP && dl_in_pick(pv.v, pv.n, (size_t)index_of(&pv, sk), &p))
		WHY(s, "%s and %s are one SO_REUSEPORT group: for each new %s the kernel picks a member "
		    "by a hash of its addresses and ports; another sender may reach %s", sk->name, k->name,
		    what, sk->name);
	else
		say_rule(s, &pv, &p, x, &dst, &src, what);
	return true;
}

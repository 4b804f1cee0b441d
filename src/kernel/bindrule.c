/*
 * bindrule: the port-sharing rule of Linux as a model (see bindrule.h).
 *
 * An address is seen as the part of two address spaces it claims: IPv4
 * (an AF_INET address, an IPv4-mapped ::ffff:a.b.c.d, or the IPv4 half of
 * a [::] without IPV6_V6ONLY) and IPv6 (a native IPv6 address or [::]).
 * Two addresses meet when they claim a common point of one space, a
 * wildcard claiming every point of its space: that is what
 * inet_rcv_saddr_equal(..., match_wildcard = true) computes.
 */
#include "config.h"

#include <netinet/in.h>
#include <string.h>

#include "kernel/bindrule.h"

struct space {
	bool has4, any4, has6, any6;
	uint8_t v4[4], v6[16];
};

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* A native (not IPv4-mapped) IPv6 wildcard that also claims IPv4. */
static bool dual_stack(const struct br_sock *s)
{
	return s->ep.family == AF_INET6 && !addr_is_v4mapped(&s->ep) && addr_is_wildcard(&s->ep) &&
	       !s->v6only;
}

static struct space space_of(const struct br_sock *s)
{
	const struct endpoint *e = &s->ep;
	struct space sp;

	memset(&sp, 0, sizeof sp);
	if (e->family == AF_INET || addr_is_v4mapped(e)) {
		sp.has4 = true;
		memcpy(sp.v4, e->family == AF_INET ? e->addr : e->addr + 12, 4);
		sp.any4 = zero(sp.v4, 4);
	} else if (e->family == AF_INET6) {
		sp.has6 = true;
		memcpy(sp.v6, e->addr, 16);
		sp.any6 = zero(sp.v6, 16);
		/* [::] without IPV6_V6ONLY holds the IPv4 wildcard too */
		sp.has4 = sp.any4 = sp.any6 && !s->v6only;
	}
	return sp;
}

enum br_meet bindrule_meet(const struct br_sock *a, const struct br_sock *b)
{
	struct space sa, sb;
	bool m4, m6;

	if (a->ep.family == 0 || b->ep.family == 0 || a->ep.port != b->ep.port)
		return BR_APART;
	sa = space_of(a);
	sb = space_of(b);
	m4 = sa.has4 && sb.has4 && (sa.any4 || sb.any4 || memcmp(sa.v4, sb.v4, 4) == 0);
	m6 = sa.has6 && sb.has6 && (sa.any6 || sb.any6 || memcmp(sa.v6, sb.v6, 16) == 0);
	if (m6)
		return sa.any6 == sb.any6 ? BR_SAME : BR_WILD;
	if (!m4)
		return BR_APART;
	if (dual_stack(a) || dual_stack(b))
		return BR_DUAL;
	return sa.any4 == sb.any4 ? BR_SAME : BR_WILD;
}

enum br_verdict bindrule_bind(const struct br_sock *n, const struct br_sock *h)
{
	if (n->type != h->type || bindrule_meet(n, h) == BR_APART)
		return BR_NO_MEET;
	if (!h->known)
		return BR_UNKNOWN;
	if (n->type == SOCK_DGRAM) {
		/* udp_lib_lport_inuse: either option on both sides, REUSEPORT with one owner */
		if (n->reuseaddr && h->reuseaddr)
			return BR_SHARE_REUSEADDR;
		if (n->reuseport && h->reuseport && n->uid == h->uid)
			return BR_SHARE_REUSEPORT;
		return BR_CONFLICT;
	}
	/* inet_bind_conflict */
	if (n->reuseaddr && h->reuseaddr && !h->listening)
		return BR_SHARE_REUSEADDR;
	if (n->reuseport && h->reuseport && (h->timewait || n->uid == h->uid))
		return BR_SHARE_REUSEPORT;
	return h->listening ? BR_CONFLICT_LISTEN : BR_CONFLICT;
}

enum br_verdict bindrule_autobind(const struct br_sock *n, const struct br_sock *h,
				  bool autobind_reuse)
{
	struct br_sock any = *n;

	any.ep.port = h->ep.port;	/* the port the kernel would try */
	if (n->type != h->type || bindrule_meet(&any, h) == BR_APART)
		return BR_NO_MEET;
	if (!h->known)
		return BR_UNKNOWN;
	if (autobind_reuse && n->reuseaddr && h->reuseaddr && !h->listening &&
	    !(n->reuseport && h->reuseport && (h->timewait || n->uid == h->uid)))
		return BR_SHARE_REUSEADDR;
	return h->listening ? BR_CONFLICT_LISTEN : BR_CONFLICT;
}

enum br_verdict bindrule_listen(const struct br_sock *n, const struct br_sock *h)
{
	/* listen() asks for the port again: now only another listener can be in the way */
	if (!h->listening)
		return n->type != h->type || bindrule_meet(n, h) == BR_APART ? BR_NO_MEET :
		       n->reuseport && h->reuseport ? BR_SHARE_REUSEPORT : BR_SHARE_REUSEADDR;
	return bindrule_bind(n, h);
}

bool bindrule_same_group(const struct br_sock *a, const struct br_sock *b)
{
	return a->reuseport && b->reuseport && a->type == b->type && a->uid == b->uid &&
	       a->ep.family == b->ep.family && a->ep.port == b->ep.port &&
	       addr_same_host(&a->ep, &b->ep) && a->v6only == b->v6only;
}

int bindrule_score(const struct br_sock *l, const struct endpoint *dst)
{
	struct br_sock d;
	struct space sp = space_of(l);
	bool v4dst = dst->family == AF_INET || addr_is_v4mapped(dst);
	bool v4sock = l->ep.family == AF_INET || addr_is_v4mapped(&l->ep);
	bool exact = v4dst ? !sp.any4 : !sp.any6;

	memset(&d, 0, sizeof d);
	d.ep = *dst;
	d.type = l->type;
	d.v6only = true;
	if (dst->port != l->ep.port || bindrule_meet(l, &d) == BR_APART)
		return -1;
	/* an exact address first, then a socket of the destination's own family */
	return (exact ? 4 : 0) + (v4dst == v4sock ? 2 : 1);
}

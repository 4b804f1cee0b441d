/*
 * deliver: the kernel's choice of a receiving socket, as a model (see
 * deliver.h for the rule and where it comes from).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "kernel/deliver.h"

enum slot { SLOT_NONE, SLOT_EXACT, SLOT_ANY };

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* The slot s sits in for a lookup of dst, in the family of the packet (dst's). */
static enum slot slot_of(const struct dl_sock *s, const struct endpoint *dst)
{
	const uint8_t *a = s->local.addr;

	if (s->local.family == 0 || s->local.port != dst->port)
		return SLOT_NONE;
	if (dst->family == AF_INET) {
		if (s->family == AF_INET6) {
			if (s->v6only)
				return SLOT_NONE;
			if (zero(a, 16))
				return SLOT_ANY;
			if (!addr_is_v4mapped(&s->local))
				return SLOT_NONE;	/* an IPv6 address never takes IPv4 */
			a += 12;
		}
		return zero(a, 4) ? SLOT_ANY : memcmp(a, dst->addr, 4) == 0 ? SLOT_EXACT : SLOT_NONE;
	}
	if (s->family != AF_INET6 || addr_is_v4mapped(&s->local))
		return SLOT_NONE;
	return zero(a, 16) ? SLOT_ANY : memcmp(a, dst->addr, 16) == 0 ? SLOT_EXACT : SLOT_NONE;
}

bool dl_covers(const struct dl_sock *s, int type, const struct endpoint *dst)
{
	return s->type == type && slot_of(s, dst) != SLOT_NONE;
}

static bool connected(const struct dl_sock *s)
{
	return s->type == SOCK_DGRAM && s->peer.family && s->peer.port;
}

static bool peer_is(const struct dl_sock *s, const struct endpoint *src)
{
	struct endpoint a = addr_unmap(&s->peer), b = addr_unmap(src);

	return addr_equal(&a, &b);
}

/*
 * compute_score, in small: -1 when s does not take it; otherwise only the
 * order matters.  A listener: its own family first.  UDP: connected to the
 * sender first, then its own family.
 */
static int score(const struct dl_sock *s, const struct endpoint *dst, const struct endpoint *src)
{
	int sc = dst->family == AF_INET && s->family == AF_INET ? 1 : 0;

	if (connected(s)) {
		if (!peer_is(s, src))
			return -1;
		sc += 8;
	}
	return sc;
}

/* The list order of a slot: those put at the head, newest first, then the tail's, oldest first. */
static int slot_order(const struct dl_sock *x, const struct dl_sock *y)
{
	if (x->tail != y->tail)
		return x->tail ? 1 : -1;
	if (x->seq == y->seq)
		return 0;
	return (x->seq < y->seq) == x->tail ? -1 : 1;
}

struct walk {
	const struct dl_sock *v;
	size_t n;
	int type;
	const struct endpoint *dst, *src;
	size_t *order;		/* the slot's members, in list order */
	size_t norder;
};

static void walk_slot(struct walk *w, enum slot which)
{
	w->norder = 0;
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].type == w->type && slot_of(&w->v[i], w->dst) == which &&
		    score(&w->v[i], w->dst, w->src) >= 0)
			w->order[w->norder++] = i;
	/* insertion sort: a slot holds a handful */
	for (size_t i = 1; i < w->norder; i++)
		for (size_t j = i; j > 0 && slot_order(&w->v[w->order[j - 1]], &w->v[w->order[j]]) > 0; j--) {
			size_t t = w->order[j];

			w->order[j] = w->order[j - 1];
			w->order[j - 1] = t;
		}
}

static bool in_group(const struct dl_sock *v, size_t i, unsigned group, int lead)
{
	return group && v[i].group == group && !connected(&v[i]) && v[i].type == v[lead].type &&
	       addr_equal(&v[i].local, &v[lead].local);
}

/* The members the hash may pick. */
static size_t group_size(const struct dl_sock *v, size_t n, unsigned group, int lead)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += in_group(v, i, group, lead);
	return k;
}

/*
 * One slot's walk (inet_lhash2_lookup, udp4_lib_lookup2): the first
 * socket with a higher score than all before it is kept; one with
 * SO_REUSEPORT hands over to its group at once.  (The kernel walks on when
 * a member of a UDP group is connected; but a connected socket that could
 * take the packet was found before the walk, so the walk ends the same.)
 */
static bool walk_pick(struct walk *w, struct dl_pick *p)
{
	int best = -1;

	p->one = -1;
	p->group = 0;
	for (size_t k = 0; k < w->norder; k++) {
		const struct dl_sock *s = &w->v[w->order[k]];
		int sc = score(s, w->dst, w->src);

		if (sc <= best)
			continue;
		best = sc;
		p->one = (int)w->order[k];
		p->group = 0;
		if (connected(s) || !s->reuseport || !s->group)
			continue;
		p->group = s->group;
		break;
	}
	return p->one >= 0;
}

/* The best of the slot that is not the winner nor of its group, in list order: the rival. */
static int slot_rival(const struct walk *w, const struct dl_pick *p)
{
	int best = -1, r = -1;

	for (size_t k = 0; k < w->norder; k++) {
		size_t i = w->order[k];
		int sc = score(&w->v[i], w->dst, w->src);

		if ((int)i == p->one || in_group(w->v, i, p->group, p->one))
			continue;
		if (sc > best) {
			best = sc;
			r = (int)i;
		}
	}
	return r;
}

static enum dl_why why_over(const struct walk *w, const struct dl_pick *p, bool rival_same_slot)
{
	const struct dl_sock *a = &w->v[p->one], *b = &w->v[p->rival];

	if (!rival_same_slot)
		return DL_EXACT;
	if (connected(a) && !connected(b))
		return DL_CONNECTED;
	if (a->family != b->family)
		return DL_FAMILY;
	return a->tail ? DL_OLDEST : DL_NEWEST;
}

struct dl_pick deliver_pick(const struct dl_sock *v, size_t n, int type,
			    const struct endpoint *dst, const struct endpoint *src)
{
	struct dl_pick p = { -1, 0, -1, DL_NOBODY, -1 };
	struct walk w = { v, n, type, dst, src, NULL, 0 };
	bool found = false;

	if (n == 0 || (w.order = malloc(n * sizeof *w.order)) == NULL)
		return p;
	/* UDP: a socket connected to exactly this 4-tuple is found first (early demux) */
	if (type == SOCK_DGRAM) {
		walk_slot(&w, SLOT_EXACT);
		for (size_t k = 0; k < w.norder; k++)
			if (connected(&v[w.order[k]]) && (!found || v[w.order[k]].cseq > v[p.one].cseq)) {
				p.one = (int)w.order[k];
				found = true;
			}
		if (found) {
			p.rival = slot_rival(&w, &p);
			p.why = p.rival >= 0 ? DL_CONNECTED : DL_ONLY;
		}
	}
	for (enum slot s = SLOT_EXACT; !found && s <= SLOT_ANY; s++) {
		walk_slot(&w, s);
		if (!walk_pick(&w, &p))
			continue;
		found = true;
		p.rival = slot_rival(&w, &p);
		if (p.group && group_size(v, n, p.group, p.one) > 1) {
			p.lead = p.one;
			p.one = -1;
			p.why = DL_GROUP;
			break;
		}
		p.group = 0;
		if (p.rival >= 0) {
			p.why = why_over(&w, &p, true);
			break;
		}
		/* nobody else in this slot: one in the wildcard slot lost to an exact address */
		if (s == SLOT_EXACT) {
			walk_slot(&w, SLOT_ANY);
			p.rival = slot_rival(&w, &p);
		}
		p.why = p.rival >= 0 ? why_over(&w, &p, false) : DL_ONLY;
	}
	free(w.order);
	return p;
}

bool dl_in_pick(const struct dl_sock *v, size_t n, size_t i, const struct dl_pick *p)
{
	if (i >= n)
		return false;
	if (p->one >= 0)
		return (size_t)p->one == i;
	return p->lead >= 0 && in_group(v, i, p->group, p->lead);
}

void deliver_place(const struct dl_sock *others, size_t n, struct dl_sock *s, bool rehash,
		   unsigned *seq, unsigned *groups)
{
	s->seq = ++*seq;
	s->tail = !rehash && s->family == AF_INET6 && s->reuseport;
	if (rehash)
		return;
	s->group = 0;
	if (!s->reuseport)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct dl_sock *o = &others[i];

		if (o != s && o->group && o->reuseport && o->type == s->type && o->family == s->family &&
		    o->v6only == s->v6only && addr_equal(&o->local, &s->local)) {
			s->group = o->group;
			return;
		}
	}
	s->group = ++*groups;
}

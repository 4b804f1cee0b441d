/*
 * wire: capture on loopback with libpcap, parse, attribute, keep.
 * See wire.h.
 */
#include "config.h"

#include <dlfcn.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/i18n.h"
#include "util/grow.h"
#include "kernel/wire.h"

#define FLOW_SLOTS 8192		/* a hash of the directions whose first sequence number is known */
#define BUCKETS 65536		/* the socket index: by port */

struct flow {
	struct endpoint src, dst;	/* src.family 0: a free slot */
	uint32_t isn;
};

/*
 * Which socket is at a packet's end, found without a walk over every
 * socket: connected ones hashed by both ports, the rest (listening,
 * unconnected, only bound) by the local port.  Kept up to date from the
 * table's touched list; a node whose socket has moved on is skipped,
 * since every candidate is checked against the socket as it is now.
 */
struct sockindex {
	int32_t exact[BUCKETS], loose[BUCKETS];	/* first node, -1 none */
	struct inode_ {
		int32_t idx, next;
	} *nodes;
	size_t nnodes, capnodes;
	uint32_t *key;		/* per socket: the bucket it is under (bit 31: exact), UINT32_MAX none */
	size_t nkey;
	bool built;
};

/* frames the cable fed, waiting for the next drain */
struct fed {
	double ts;
	uint32_t len, caplen;
	uint8_t fate;
	uint16_t ms;
	unsigned id;
	unsigned char bytes[WIRE_SNAP];
};
#define FED_MAX 4096		/* a flood past this between two drains is counted, not kept */

struct wire {
	const struct hosts *hosts;	/* the session's, to tell which host an end is on */
	int end_host;		/* the host of the end being looked up */
	pcap_t *p;
	struct fed *fed;
	size_t nfed, capfed;
	int dlt;
	bool own_only;
	double t0;		/* capture's epoch: the first packet's timestamp base */
	bool have_t0;
	struct wire_pkt *v;
	size_t n, cap;
	size_t first;		/* the absolute number of v[0] */
	unsigned long seen;
	struct flow *flows;	/* FLOW_SLOTS, open addressing */
	size_t nflows;
	struct sockindex *ix;
	/* for wire_drain's callback */
	struct socktab *t;
	bool synced;
	unsigned cause;
	const char *subject;
	const struct sock *subject_sock;	/* the subject's entry, if it has one */
	bool rechecked;		/* this drain looked again for a group's receiver already */
	size_t kept;
};

static uint16_t get16(const unsigned char *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t get32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/*
 * libpcap is loaded when a capture first opens, not linked: its
 * dependencies (D-Bus, systemd, libgcrypt ...) cost every process start
 * about 0.6 ms, which a `--batch` that only reads the table never needs.
 */
static struct {
	bool tried, ok;
	__typeof__(pcap_activate) *activate;
	__typeof__(pcap_close) *close;
	__typeof__(pcap_compile) *compile;
	__typeof__(pcap_create) *create;
	__typeof__(pcap_datalink) *datalink;
	__typeof__(pcap_dispatch) *dispatch;
	__typeof__(pcap_freecode) *freecode;
	__typeof__(pcap_get_selectable_fd) *get_selectable_fd;
	__typeof__(pcap_geterr) *geterr;
	__typeof__(pcap_set_buffer_size) *set_buffer_size;
	__typeof__(pcap_set_immediate_mode) *set_immediate_mode;
	__typeof__(pcap_set_snaplen) *set_snaplen;
	__typeof__(pcap_set_timeout) *set_timeout;
	__typeof__(pcap_setfilter) *setfilter;
	__typeof__(pcap_setnonblock) *setnonblock;
	__typeof__(pcap_stats) *stats;
} pc;

static bool pcap_load(char *err, size_t errlen)
{
	static const char *const names[] = { "libpcap.so.0.8", "libpcap.so.1", "libpcap.so", NULL };
	void *h = NULL;

	if (pc.tried) {
		if (!pc.ok)
			snprintf(err, errlen, "%s", _("no capture: libpcap could not be loaded"));
		return pc.ok;
	}
	pc.tried = true;
	for (int i = 0; names[i] && h == NULL; i++)
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		snprintf(err, errlen, "%s", _("no capture: libpcap could not be loaded"));
		return false;
	}
	*(void **)&pc.activate = dlsym(h, "pcap_activate");
	*(void **)&pc.close = dlsym(h, "pcap_close");
	*(void **)&pc.compile = dlsym(h, "pcap_compile");
	*(void **)&pc.create = dlsym(h, "pcap_create");
	*(void **)&pc.datalink = dlsym(h, "pcap_datalink");
	*(void **)&pc.dispatch = dlsym(h, "pcap_dispatch");
	*(void **)&pc.freecode = dlsym(h, "pcap_freecode");
	*(void **)&pc.get_selectable_fd = dlsym(h, "pcap_get_selectable_fd");
	*(void **)&pc.geterr = dlsym(h, "pcap_geterr");
	*(void **)&pc.set_buffer_size = dlsym(h, "pcap_set_buffer_size");
	*(void **)&pc.set_immediate_mode = dlsym(h, "pcap_set_immediate_mode");
	*(void **)&pc.set_snaplen = dlsym(h, "pcap_set_snaplen");
	*(void **)&pc.set_timeout = dlsym(h, "pcap_set_timeout");
	*(void **)&pc.setfilter = dlsym(h, "pcap_setfilter");
	*(void **)&pc.setnonblock = dlsym(h, "pcap_setnonblock");
	*(void **)&pc.stats = dlsym(h, "pcap_stats");
	pc.ok = pc.activate && pc.close && pc.compile && pc.create &&
		pc.datalink && pc.dispatch && pc.freecode && pc.get_selectable_fd &&
		pc.geterr && pc.set_buffer_size && pc.set_immediate_mode && pc.set_snaplen &&
		pc.set_timeout && pc.setfilter && pc.setnonblock && pc.stats;
	if (!pc.ok)
		snprintf(err, errlen, "%s", _("no capture: libpcap could not be loaded"));
	return pc.ok;
}

struct wire *wire_open(bool own_only, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct wire *w = calloc(1, sizeof *w);
	int r;

	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!pcap_load(err, errlen)) {
		free(w);
		return NULL;
	}
	w->own_only = own_only;
	w->flows = calloc(FLOW_SLOTS, sizeof *w->flows);
	w->ix = calloc(1, sizeof *w->ix);
	if (w->flows == NULL || w->ix == NULL) {
		snprintf(err, errlen, "out of memory");
		wire_close(w);
		return NULL;
	}
	w->p = pc.create("lo", ebuf);
	if (w->p == NULL) {
		snprintf(err, errlen, "no capture on loopback: %s", ebuf);
		wire_close(w);
		return NULL;
	}
	pc.set_snaplen(w->p, WIRE_SNAP);
	pc.set_immediate_mode(w->p, 1);	/* a packet is readable as soon as it passes */
	pc.set_buffer_size(w->p, 4 << 20);	/* 4 MiB: a second of 10,000 small packets and more */
	pc.set_timeout(w->p, 1);
	r = pc.activate(w->p);
	if (r < 0) {
		if (r == PCAP_ERROR_PERM_DENIED)
			snprintf(err, errlen, "capturing packets needs CAP_NET_RAW: run sockplay --sandbox, "
				 "where it has that right over its own loopback");
		else
			snprintf(err, errlen, "no capture on loopback: %s", pc.geterr(w->p));
		wire_close(w);
		return NULL;
	}
	w->dlt = pc.datalink(w->p);
	if (pc.compile(w->p, &prog, "tcp or udp or icmp or icmp6", 1, PCAP_NETMASK_UNKNOWN) == 0) {
		pc.setfilter(w->p, &prog);	/* without it every packet is parsed and dropped here */
		pc.freecode(&prog);
	}
	if (pc.setnonblock(w->p, 1, ebuf) < 0) {
		snprintf(err, errlen, "no capture on loopback: %s", ebuf);
		wire_close(w);
		return NULL;
	}
	return w;
}

void wire_close(struct wire *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].raw);
	free(w->v);
	free(w->fed);
	if (w->p)
		pc.close(w->p);
	if (w->ix) {
		free(w->ix->nodes);
		free(w->ix->key);
	}
	free(w->ix);
	free(w->flows);
	free(w);
}

int wire_fd(const struct wire *w)
{
	return w ? pc.get_selectable_fd(w->p) : -1;
}

/* The same endpoint, IPv4-mapped IPv6 taken as the IPv4 it stands for. */
static bool ep_same(const struct endpoint *a, const struct endpoint *b)
{
	struct endpoint x = addr_unmap(a), y = addr_unmap(b);

	return addr_equal(&x, &y);
}

static bool ep_covers(const struct endpoint *local, const struct endpoint *ep)
{
	struct endpoint x = addr_unmap(local), y = addr_unmap(ep);

	if (x.port != y.port)
		return false;
	if (addr_is_wildcard(&x))	/* [::] takes IPv4 too unless V6ONLY: close enough for naming */
		return x.family == y.family || x.family == AF_INET6;
	return addr_same_host(&x, &y);
}

static uint32_t exact_key(uint16_t lport, uint16_t pport)
{
	return ((uint32_t)lport * 40503u ^ pport) & (BUCKETS - 1);
}

static void ix_reset(struct sockindex *ix)
{
	memset(ix->exact, 0xff, sizeof ix->exact);
	memset(ix->loose, 0xff, sizeof ix->loose);
	ix->nnodes = 0;
	for (size_t i = 0; i < ix->nkey; i++)
		ix->key[i] = UINT32_MAX;
	ix->built = true;
}

/* (Re)index socket i under its present addresses. */
static void ix_add(struct sockindex *ix, const struct socktab *t, size_t i)
{
	const struct sock *s = t->v[i];
	uint32_t key;
	int32_t *head;

	if (i >= ix->nkey) {
		size_t n = ix->nkey ? ix->nkey : 64;
		uint32_t *k;

		while (n <= i)
			n *= 2;
		k = realloc(ix->key, n * sizeof *k);
		if (k == NULL)
			return;
		for (size_t j = ix->nkey; j < n; j++)
			k[j] = UINT32_MAX;
		ix->key = k;
		ix->nkey = n;
	}
	if (s->local.family == 0)
		return;
	key = s->peer.family && s->peer.port ? exact_key(s->local.port, s->peer.port) | 0x80000000u
					     : s->local.port;
	if (ix->key[i] == key)
		return;		/* already there */
	if (!GROW(ix->nodes, ix->nnodes, ix->capnodes, 256))
		return;
	head = key & 0x80000000u ? &ix->exact[key & (BUCKETS - 1)] : &ix->loose[key];
	ix->nodes[ix->nnodes] = (struct inode_){ (int32_t)i, *head };
	*head = (int32_t)ix->nnodes++;
	ix->key[i] = key;
}

/* Bring the index up to the table: the touched entries, or all after a reset. */
static void ix_sync(struct sockindex *ix, struct socktab *t)
{
	size_t n;
	bool lost;
	const size_t *v = socktab_touched(t, &n, &lost);

	/* stale nodes pile up as sockets move: start again when they outnumber the sockets */
	if (lost || !ix->built || ix->nnodes > 4 * t->n + 1024) {
		ix_reset(ix);
		for (size_t i = 0; i < t->n; i++)
			ix_add(ix, t, i);
	} else {
		for (size_t i = 0; i < n; i++)
			if (v[i] < t->n)
				ix_add(ix, t, v[i]);
	}
	socktab_touched_clear(t);
}

/* Sockets on one port the model weighs at once (more: the first of them). */
#define LOOSE_MAX 64

/*
 * Of the sockets without a peer on ep's port, the one the kernel gives a
 * packet for ep from `other` (kernel/deliver.h): a listener (TCP) or a
 * bound socket (UDP).  Where an SO_REUSEPORT group's hash chose, the
 * member seen to receive during the call; else the one the walk meets
 * first.  When none would take it: an open TCP socket that holds ep and
 * does not listen (a connect that failed: its SYN and the RST), else a
 * closed listener that held it (the packets of connections it left
 * unaccepted).
 */
static const struct sock *loose_end(struct wire *w, struct socktab *t, int type,
				    const struct endpoint *ep, const struct endpoint *other)
{
	const struct sockindex *ix = w->ix;
	struct dl_sock v[LOOSE_MAX];
	struct sock *who[LOOSE_MAX];
	const struct sock *other_end = NULL;
	struct dl_pick p;
	size_t n = 0;

	for (int32_t k = ix->loose[ep->port]; k >= 0; k = ix->nodes[k].next) {
		size_t i = (size_t)ix->nodes[k].idx;
		struct sock *s = i < t->n ? t->v[i] : NULL;

		if (s == NULL || s->type != type || s->local.family == 0 || (s->peer.family && s->peer.port) ||
		    s->local.port != ep->port || s->host != w->end_host)
			continue;
		if (s->fd >= 0 && (type == SOCK_DGRAM || s->state == SOCK_LISTENING)) {
			if (n < LOOSE_MAX) {
				sock_dl(s, &v[n]);
				who[n++] = s;
			}
		} else if ((s->fd >= 0 || s->was_listening) && !s->power_lost && ep_covers(&s->local, ep) &&
			   (other_end == NULL || (s->fd >= 0) > (other_end->fd >= 0) ||
			    ((s->fd >= 0) == (other_end->fd >= 0) && s->idx > other_end->idx))) {
			other_end = s;
		}
	}
	p = deliver_pick(v, n, type, ep, other);
	if (p.one >= 0)
		return who[p.one];
	if (p.why != DL_GROUP)
		return other_end;
	/* under load the kernel may queue the connection a moment after the call: look again, briefly, once a drain */
	for (int tries = 0; tries <= (w->rechecked ? 0 : 20); tries++) {
		if (tries)
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
		for (size_t i = 0; i < n; i++)
			if (dl_in_pick(v, n, i, &p) && sock_rx_recheck(who[i]))
				return who[i];
	}
	w->rechecked = true;
	return who[p.lead];
}

/*
 * The socket at end `ep` of a packet whose other end is `other`: the one
 * connected between exactly these two (TCP: the newest, but not a closed
 * one whose 4-tuple a new connection took; UDP: the one that connected
 * last, as the kernel's 4-tuple lookup finds it), else the one the kernel
 * gives such a packet to (loose_end).
 */
static const struct sock *end_sock(struct wire *w, struct socktab *t, int type,
				   const struct endpoint *ep, const struct endpoint *other)
{
	const struct sockindex *ix = w->ix;
	const struct sock *best = NULL;

	for (int32_t k = ix->exact[exact_key(ep->port, other->port)]; k >= 0; k = ix->nodes[k].next) {
		size_t i = (size_t)ix->nodes[k].idx;
		const struct sock *s = i < t->n ? t->v[i] : NULL;

		if (s == NULL || s->type != type || !s->peer.family || !s->peer.port || !ep_same(&s->local, ep) ||
		    !ep_same(&s->peer, other) || (s->state == SOCK_CLOSED && (s->tuple_reused || type == SOCK_DGRAM)) ||
		    s->power_lost || s->host != w->end_host)	/* gone with its host's power: what comes now is the new kernel's */
			continue;
		if (best == NULL || (type == SOCK_DGRAM ? s->conn_seq > best->conn_seq : s->idx > best->idx))
			best = s;
	}
	return best ? best : loose_end(w, t, type, ep, other);
}

/* A closed TCP socket between exactly local and peer is history once a SYN opens that 4-tuple again. */
static void tuple_reused(const struct sockindex *ix, struct socktab *t, const struct endpoint *local,
			 const struct endpoint *peer)
{
	for (int32_t k = ix->exact[exact_key(local->port, peer->port)]; k >= 0; k = ix->nodes[k].next) {
		size_t i = (size_t)ix->nodes[k].idx;
		struct sock *s = i < t->n ? t->v[i] : NULL;

		if (s && s->type == SOCK_STREAM && s->state == SOCK_CLOSED && s->peer.family &&
		    ep_same(&s->local, local) && ep_same(&s->peer, peer))
			s->tuple_reused = true;
	}
}

/* A closed socket's 4-tuple is the session's for as long as its TIME_WAIT can last, and a little more. */
#define OWN_AFTER_CLOSE 65.0

/*
 * Is the end ep of a packet whose other end is other one of the session's,
 * for a capture outside the sandbox: an open socket connected between
 * exactly these two (or one closed less than OWN_AFTER_CLOSE ago: its
 * TIME_WAIT), or an open listener (TCP) or unconnected bound socket (UDP)
 * that holds ep.  A socket that listened once and is closed holds nothing.
 */
static bool own_end(const struct sockindex *ix, const struct socktab *t, int type, const struct endpoint *ep,
		    const struct endpoint *other, double now)
{
	for (int32_t k = ix->exact[exact_key(ep->port, other->port)]; k >= 0; k = ix->nodes[k].next) {
		size_t i = (size_t)ix->nodes[k].idx;
		const struct sock *s = i < t->n ? t->v[i] : NULL;

		if (s && s->type == type && s->peer.family && s->peer.port && ep_same(&s->local, ep) &&
		    ep_same(&s->peer, other) && (s->state != SOCK_CLOSED || now - s->closed_at < OWN_AFTER_CLOSE))
			return true;
	}
	for (int32_t k = ix->loose[ep->port]; k >= 0; k = ix->nodes[k].next) {
		size_t i = (size_t)ix->nodes[k].idx;
		const struct sock *s = i < t->n ? t->v[i] : NULL;

		if (s && s->type == type && s->state != SOCK_CLOSED && !(s->peer.family && s->peer.port) &&
		    (type == SOCK_DGRAM || s->state == SOCK_LISTENING) && sock_holds(s, ep))
			return true;
	}
	return false;
}

/* The packet has one of the session's sockets at an end (an ICMP error: the datagram it answers). */
static bool session_packet(const struct wire *w, const struct socktab *t, const struct wire_pkt *pk)
{
	double now = sock_now();

	if (pk->unreach) {
		int type = pk->iproto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;

		return own_end(w->ix, t, type, &pk->isrc, &pk->idst, now);
	}
	return own_end(w->ix, t, pk->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM, &pk->src, &pk->dst, now) ||
	       own_end(w->ix, t, pk->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM, &pk->dst, &pk->src, now);
}

static size_t flow_hash(const struct endpoint *src, const struct endpoint *dst)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 16; i++)
		h = (h ^ (uint32_t)(src->addr[i] + 3 * dst->addr[i])) * 16777619u;
	h ^= (uint32_t)src->port << 16 | dst->port;
	h *= 2654435761u;
	return h & (FLOW_SLOTS - 1);
}

/* The direction's slot: the one that has it, or the free one where it would go. */
static struct flow *flow_slot(struct wire *w, const struct endpoint *src, const struct endpoint *dst)
{
	size_t k = flow_hash(src, dst);

	while (w->flows[k].src.family &&
	       !(addr_equal(&w->flows[k].src, src) && addr_equal(&w->flows[k].dst, dst)))
		k = (k + 1) & (FLOW_SLOTS - 1);
	return &w->flows[k];
}

static struct flow *flow_find(struct wire *w, const struct endpoint *src, const struct endpoint *dst)
{
	struct flow *f = flow_slot(w, src, dst);

	return f->src.family ? f : NULL;
}

static struct flow *flow_new(struct wire *w, const struct endpoint *src, const struct endpoint *dst,
			     uint32_t isn)
{
	struct flow *f;

	if (w->nflows >= FLOW_SLOTS / 2) {
		/* half full: start counting afresh (a live connection's numbers restart here) */
		memset(w->flows, 0, FLOW_SLOTS * sizeof *w->flows);
		w->nflows = 0;
	}
	f = flow_slot(w, src, dst);
	if (f->src.family == 0)
		w->nflows++;
	f->src = *src;
	f->dst = *dst;
	f->isn = isn;
	return f;
}

static void tcp_relative(struct wire *w, struct wire_pkt *pk)
{
	struct flow *f = flow_find(w, &pk->src, &pk->dst), *r;

	if ((pk->flags & WF_SYN) || f == NULL)
		f = flow_new(w, &pk->src, &pk->dst, pk->seq);	/* a new connection starts its count */
	r = flow_find(w, &pk->dst, &pk->src);
	if ((pk->flags & (WF_SYN | WF_ACK)) == WF_SYN && r)
		r->isn = 0;	/* a fresh SYN: the answer's count starts with its SYN-ACK */
	pk->seq -= f->isn;
	if (pk->flags & WF_ACK)
		pk->ack -= r ? r->isn : 0;
}

static void set_ep(struct endpoint *ep, int family, const unsigned char *a, uint16_t port)
{
	memset(ep, 0, sizeof *ep);
	ep->family = family;
	memcpy(ep->addr, a, family == AF_INET ? 4 : 16);
	ep->port = port;
}

/* The IP packet at b (len bytes, IPv4 or IPv6) into pk; false when it is nothing we tell. */
static bool parse_ip(const unsigned char *b, size_t len, struct wire_pkt *pk, bool inner)
{
	int family;
	size_t hl, total, full;
	uint8_t proto;
	const unsigned char *sa, *da, *l4;
	size_t l4len;

	if (len < 1)
		return false;
	if ((b[0] >> 4) == 4) {
		if (len < 20 || (hl = (size_t)(b[0] & 15) * 4) < 20 || hl > len)
			return false;
		total = full = get16(b + 2);
		if (total < hl)
			return false;
		if (total > len)
			total = len;	/* captured short (snap), or an ICMP's quoted part */
		if ((get16(b + 6) & 0x1fff) != 0)
			return false;	/* a later fragment: no ports in it */
		family = AF_INET;
		proto = b[9];
		sa = b + 12;
		da = b + 16;
	} else if ((b[0] >> 4) == 6) {
		if (len < 40)
			return false;
		hl = 40;
		total = full = 40 + (size_t)get16(b + 4);
		if (total > len)
			total = len;
		family = AF_INET6;
		proto = b[6];	/* extension headers are not followed: loopback sends none */
		sa = b + 8;
		da = b + 24;
	} else {
		return false;
	}
	l4 = b + hl;
	l4len = total - hl;
	if (inner) {
		/* the datagram an ICMP error quotes: its ports are all we need */
		if (l4len < 4 || (proto != IPPROTO_UDP && proto != IPPROTO_TCP))
			return false;
		pk->iproto = proto;
		set_ep(&pk->isrc, family, sa, get16(l4));
		set_ep(&pk->idst, family, da, get16(l4 + 2));
		return true;
	}
	pk->proto = proto;
	switch (proto) {
	case IPPROTO_TCP: {
		size_t off;

		if (l4len < 20 || (off = (size_t)(l4[12] >> 4) * 4) < 20 || off > l4len)
			return false;
		set_ep(&pk->src, family, sa, get16(l4));
		set_ep(&pk->dst, family, da, get16(l4 + 2));
		pk->seq = get32(l4 + 4);
		pk->ack = get32(l4 + 8);
		pk->flags = l4[13] & 0x3f;
		pk->win = get16(l4 + 14);
		/* the payload the packet carried, by its IP length: the capture may keep less of it */
		pk->len = (uint32_t)(full - hl - off);
		return true;
	}
	case IPPROTO_UDP:
		if (l4len < 8)
			return false;
		set_ep(&pk->src, family, sa, get16(l4));
		set_ep(&pk->dst, family, da, get16(l4 + 2));
		pk->len = get16(l4 + 4) >= 8 ? (uint32_t)get16(l4 + 4) - 8 : 0;
		return true;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (l4len < 8)
			return false;
		set_ep(&pk->src, family, sa, 0);
		set_ep(&pk->dst, family, da, 0);
		pk->icmp_type = l4[0];
		pk->icmp_code = l4[1];
		pk->unreach = proto == IPPROTO_ICMP ? l4[0] == 3 : l4[0] == 1;
		if (!pk->unreach)
			return false;	/* echo and the like: not a socket's business here */
		return parse_ip(l4 + 8, l4len - 8, pk, true);
	default:
		return false;
	}
}

/* Where the IP packet starts after the link header, or -1. */
static long link_skip(int dlt, const unsigned char *b, size_t len)
{
	switch (dlt) {
	case DLT_EN10MB:	/* Linux loopback: an Ethernet header of zeros */
		if (len < 14)
			return -1;
		return get16(b + 12) == 0x0800 || get16(b + 12) == 0x86dd ? 14 : -1;
	case DLT_LINUX_SLL:
		return len < 16 ? -1 : 16;
	case DLT_LINUX_SLL2:
		return len < 20 ? -1 : 20;
	case DLT_RAW:
		return 0;
	case DLT_NULL:
		return len < 4 ? -1 : 4;
	default:
		return -1;
	}
}

/* The host an end of a frame between hosts is on: the one with its address (0: none, or loopback's). */
static int host_at(const struct wire *w, const struct wire_pkt *pk, const struct endpoint *ep)
{
	if (!pk->frame || w->hosts == NULL || ep->family != AF_INET)
		return 0;
	for (size_t i = 0; i < w->hosts->n; i++)
		if (memcmp(&w->hosts->v[i].addr, ep->addr, 4) == 0)
			return (int)i + 1;
	return 0;
}

static void name_ends(struct wire *w, struct socktab *t, struct wire_pkt *pk)
{
	const struct sock *a, *b;
	int type;

	pk->from[0] = pk->to[0] = '\0';
	if (pk->unreach) {
		/* the answer goes to the datagram's sender */
		type = pk->iproto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
		w->end_host = host_at(w, pk, &pk->isrc);
		b = end_sock(w, t, type, &pk->isrc, &pk->idst);
		if (b)
			snprintf(pk->to, sizeof pk->to, "%s", b->name);
		return;
	}
	type = pk->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	if (type == SOCK_STREAM && (pk->flags & (WF_SYN | WF_ACK)) == WF_SYN) {
		/* a new connection: whoever had its 4-tuple before is closed and done */
		tuple_reused(w->ix, t, &pk->src, &pk->dst);
		tuple_reused(w->ix, t, &pk->dst, &pk->src);
	}
	w->end_host = host_at(w, pk, &pk->src);
	a = end_sock(w, t, type, &pk->src, &pk->dst);
	/* a datagram the call sent is the call's socket's, whoever else shares its address */
	if (type == SOCK_DGRAM && w->subject_sock && w->subject_sock->type == SOCK_DGRAM &&
	    w->subject_sock->fd >= 0 && sock_holds(w->subject_sock, &pk->src) &&
	    (a == NULL || !(a->peer.family && a->peer.port)))
		a = w->subject_sock;
	w->end_host = host_at(w, pk, &pk->dst);
	b = end_sock(w, t, type, &pk->dst, &pk->src);
	if (a)
		snprintf(pk->from, sizeof pk->from, "%s", a->name);
	if (b)
		snprintf(pk->to, sizeof pk->to, "%s", b->name);
}

static void keep(struct wire *w, const struct wire_pkt *pk, const unsigned char *bytes)
{
	struct wire_pkt *slot;

	if (w->n == WIRE_KEEP) {
		/* the oldest half goes: the newest are what a class looks at */
		size_t drop = WIRE_KEEP / 2;

		for (size_t i = 0; i < drop; i++)
			free(w->v[i].raw);
		memmove(w->v, w->v + drop, (w->n - drop) * sizeof *w->v);
		w->n -= drop;
		w->first += drop;
	}
	if (!GROW(w->v, w->n, w->cap, 64))
		return;
	slot = &w->v[w->n];
	*slot = *pk;
	slot->raw = malloc(pk->caplen ? pk->caplen : 1);
	if (slot->raw)
		memcpy(slot->raw, bytes, pk->caplen);
	else
		slot->caplen = 0;
	w->n++;
	w->kept++;
}

bool wire_parse(int dlt, const unsigned char *bytes, size_t len, struct wire_pkt *pk)
{
	long skip = link_skip(dlt, bytes, len);

	memset(pk, 0, sizeof *pk);
	return skip >= 0 && parse_ip(bytes + skip, len - (size_t)skip, pk, false);
}

void wire_use_hosts(struct wire *w, const struct hosts *hs)
{
	if (w)
		w->hosts = hs;
}

void wire_set_fate(struct wire *w, unsigned id, uint8_t fate)
{
	if (w == NULL || id == 0)
		return;
	for (size_t i = w->n; i-- > 0;)
		if (w->v[i].frame == id) {
			w->v[i].fate = fate;
			return;
		}
	for (size_t i = 0; i < w->nfed; i++)	/* not drained yet */
		if (w->fed[i].id == id)
			w->fed[i].fate = fate;
}

bool wire_describe(struct wire *w, struct socktab *t, const unsigned char *frame, size_t len,
		   char *buf, size_t buflen)
{
	struct wire_pkt pk;

	if (!wire_parse(WIRE_DLT_ETHER, frame, len, &pk))
		return false;
	pk.frame = UINT32_MAX;	/* a frame of the cable: its ends are on hosts */
	if (w) {
		w->subject_sock = NULL;
		ix_sync(w->ix, t);
		name_ends(w, t, &pk);
		if (pk.proto == IPPROTO_TCP)
			tcp_relative(w, &pk);
	}
	wire_format(&pk, buf, buflen);
	return true;
}

/* One frame, from the capture (dlt: its link type) or the cable (fed). */
static void take(struct wire *w, int dlt, const struct pcap_pkthdr *h, const unsigned char *bytes,
		 const struct fed *fed)
{
	struct wire_pkt pk;
	double ts = (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6;

	w->seen++;
	if (!wire_parse(dlt, bytes, h->caplen, &pk))
		return;
	if (fed) {
		pk.fate = fed->fate;
		pk.frame = fed->id;
		pk.fate_ms = fed->ms;
	}
	if (!w->synced) {
		ix_sync(w->ix, w->t);	/* once per drain, and only when a packet came */
		w->synced = true;
	}
	/* outside the sandbox: the host's traffic is none of the session's business, nor kept */
	if (w->own_only && !session_packet(w, w->t, &pk))
		return;
	name_ends(w, w->t, &pk);
	if (pk.proto == IPPROTO_TCP)
		tcp_relative(w, &pk);
	if (!w->have_t0) {
		w->t0 = ts;
		w->have_t0 = true;
	}
	pk.t = ts - w->t0;
	pk.cause = w->cause;
	pk.between = w->subject == NULL;
	pk.late = pk.between || (strcmp(pk.from, w->subject) != 0 && strcmp(pk.to, w->subject) != 0);
	pk.caplen = h->caplen;
	pk.wirelen = h->len;
	pk.ts_sec = (long)h->ts.tv_sec;
	pk.ts_usec = (long)h->ts.tv_usec;
	keep(w, &pk, bytes);
}

static void on_packet(unsigned char *user, const struct pcap_pkthdr *h, const unsigned char *bytes)
{
	struct wire *w = (struct wire *)user;

	take(w, w->dlt, h, bytes, NULL);
}

void wire_feed(struct wire *w, const unsigned char *frame, size_t len, double ts,
	       uint8_t fate, unsigned id, unsigned ms)
{
	struct fed *f;

	if (w == NULL)
		return;
	if (w->nfed == FED_MAX || !GROW(w->fed, w->nfed, w->capfed, 16)) {
		w->seen++;
		return;
	}
	f = &w->fed[w->nfed++];
	f->ts = ts;
	f->len = (uint32_t)len;
	f->caplen = (uint32_t)(len < WIRE_SNAP ? len : WIRE_SNAP);
	f->fate = fate;
	f->id = id;
	f->ms = (uint16_t)(ms > 65535 ? 65535 : ms);
	memcpy(f->bytes, frame, f->caplen);
}

/* The cable's frames, fed since the last drain. */
static void take_fed(struct wire *w)
{
	for (size_t i = 0; i < w->nfed; i++) {
		const struct fed *f = &w->fed[i];
		struct pcap_pkthdr h;

		h.ts.tv_sec = (time_t)f->ts;
		h.ts.tv_usec = (suseconds_t)((f->ts - (double)(time_t)f->ts) * 1e6);
		h.caplen = f->caplen;
		h.len = f->len;
		take(w, WIRE_DLT_ETHER, &h, f->bytes, f);
	}
	w->nfed = 0;
}

size_t wire_drain(struct wire *w, struct socktab *t, unsigned cause, const char *subject)
{
	if (w == NULL)
		return 0;
	w->t = t;
	w->synced = false;
	w->cause = cause;
	w->subject = subject;
	w->subject_sock = subject && *subject ? socktab_find(t, subject) : NULL;
	w->rechecked = false;
	w->kept = 0;
	/* nonblocking: returns at once when the ring is empty */
	while (pc.dispatch(w->p, -1, on_packet, (unsigned char *)w) > 0)
		;
	take_fed(w);
	return w->kept;
}

const struct wire_pkt *wire_packets(const struct wire *w, size_t *n)
{
	*n = w ? w->n : 0;
	return w ? w->v : NULL;
}

unsigned long wire_seen(const struct wire *w)
{
	return w ? w->seen : 0;
}

unsigned long wire_dropped(struct wire *w)
{
	struct pcap_stat st;

	if (w == NULL || pc.stats(w->p, &st) < 0)
		return 0;
	return st.ps_drop;
}

void wire_clear(struct wire *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].raw);
	w->first += w->n;
	w->n = 0;
}

size_t wire_forgotten(const struct wire *w)
{
	return w ? w->first : 0;
}

const char *wire_end(const struct wire_pkt *p, bool from, char *buf, size_t len)
{
	const char *name = from ? p->from : p->to;
	const struct endpoint *ep = from ? &p->src : &p->dst;
	struct endpoint u = addr_unmap(ep);

	if (name[0])
		return name;
	if (p->unreach || ep->port == 0)
		return addr_format_host(&u, buf, len);
	return addr_format(&u, buf, len);
}

const char *wire_flags(const struct wire_pkt *p, char *buf, size_t len)
{
	size_t k = 0;

	if (len < 8)
		return "";
	if (p->flags & WF_SYN)
		buf[k++] = 'S';
	if (p->flags & WF_FIN)
		buf[k++] = 'F';
	if (p->flags & WF_RST)
		buf[k++] = 'R';
	if (p->flags & WF_PSH)
		buf[k++] = 'P';
	if (p->flags & WF_ACK)
		buf[k++] = '.';
	buf[k] = '\0';
	return buf;
}

char *wire_format(const struct wire_pkt *p, char *buf, size_t len)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], fl[8];
	int k;

	k = snprintf(buf, len, "%s -> %s ", wire_end(p, true, a, sizeof a), wire_end(p, false, b, sizeof b));
	if (k < 0 || (size_t)k >= len)
		return buf;
	if (p->unreach) {
		struct endpoint d = addr_unmap(&p->idst);
		char dt[ADDR_STRLEN];

		snprintf(buf + k, len - (size_t)k, "%s port unreachable (to %s %s)",
			 p->proto == IPPROTO_ICMP ? "icmp" : "icmp6", addr_format(&d, dt, sizeof dt),
			 p->iproto == IPPROTO_UDP ? "udp" : "tcp");
	} else if (p->proto == IPPROTO_UDP) {
		snprintf(buf + k, len - (size_t)k, "udp len %u", p->len);
	} else if (p->flags & WF_ACK) {
		snprintf(buf + k, len - (size_t)k, "[%s] seq %u ack %u%s%.0u", wire_flags(p, fl, sizeof fl),
			 p->seq, p->ack, p->len ? " len " : "", p->len);
	} else {
		snprintf(buf + k, len - (size_t)k, "[%s] seq %u%s%.0u", wire_flags(p, fl, sizeof fl), p->seq,
			 p->len ? " len " : "", p->len);
	}
	return buf;
}

static void put32le(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)v;
	b[1] = (unsigned char)(v >> 8);
	b[2] = (unsigned char)(v >> 16);
	b[3] = (unsigned char)(v >> 24);
}

int wire_save(const struct wire *w, FILE *f)
{
	unsigned char hdr[24] = { 0 }, rec[16];

	/* the classic pcap header, written little-endian as the magic number says */
	put32le(hdr, 0xa1b2c3d4);
	hdr[4] = 2, hdr[6] = 4;	/* version 2.4 */
	put32le(hdr + 16, WIRE_SNAP);
	put32le(hdr + 20, (uint32_t)w->dlt);
	fwrite(hdr, 1, sizeof hdr, f);
	for (size_t i = 0; i < w->n; i++) {
		const struct wire_pkt *p = &w->v[i];

		put32le(rec, (uint32_t)p->ts_sec);
		put32le(rec + 4, (uint32_t)p->ts_usec);
		put32le(rec + 8, p->caplen);
		put32le(rec + 12, p->wirelen);
		fwrite(rec, 1, sizeof rec, f);
		fwrite(p->raw, 1, p->caplen, f);
	}
	return ferror(f) ? -1 : 0;
}

/*
 * pcapng (draft-ietf-opsawg-pcapng): a Section Header Block, one
 * Interface Description Block (loopback, our snap length, microsecond
 * times: the default), then an Enhanced Packet Block per packet with an
 * opt_comment.  Little-endian, as the byte-order magic says; every block
 * and option padded to 32 bits, its length written at both ends.
 */
#define NG_SHB 0x0a0d0d0au
#define NG_IDB 1u
#define NG_EPB 6u
#define NG_COMMENT 1u
#define NG_SHB_USERAPPL 4u
#define NG_IF_NAME 2u

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* An option: code, length, the value padded with zeros; the bytes it took. */
static size_t ng_option(unsigned char *b, uint16_t code, const void *v, size_t n)
{
	b[0] = (unsigned char)code, b[1] = (unsigned char)(code >> 8);
	b[2] = (unsigned char)n, b[3] = (unsigned char)(n >> 8);
	memcpy(b + 4, v, n);
	memset(b + 4 + n, 0, pad4(n) - n);
	return 4 + pad4(n);
}

/* A block: its type, the body (already padded), the total length at both ends. */
static void ng_block(FILE *f, uint32_t type, const unsigned char *body, size_t n)
{
	unsigned char h[8], t[4];

	put32le(h, type);
	put32le(h + 4, (uint32_t)(12 + n));
	put32le(t, (uint32_t)(12 + n));
	fwrite(h, 1, sizeof h, f);
	fwrite(body, 1, n, f);
	fwrite(t, 1, sizeof t, f);
}

int wire_save_ng(const struct wire *w, FILE *f, wire_comment_fn *comment, void *ctx)
{
	/* the largest body: an EPB's 20 bytes, the snap length, a comment, the end of options */
	unsigned char body[20 + WIRE_SNAP + 4 + 1024 + 4];
	static const char app[] = PACKAGE_NAME " " PACKAGE_VERSION;
	char text[1021];
	size_t n;

	/* SHB: byte-order magic, version 1.0, section length unknown (-1), who wrote it */
	put32le(body, 0x1a2b3c4d);
	body[4] = 1, body[5] = 0, body[6] = 0, body[7] = 0;
	memset(body + 8, 0xff, 8);
	n = 16 + ng_option(body + 16, NG_SHB_USERAPPL, app, strlen(app));
	memset(body + n, 0, 4), n += 4;
	ng_block(f, NG_SHB, body, n);
	/* IDB: link type, reserved, snap length, the interface's name */
	body[0] = (unsigned char)w->dlt, body[1] = (unsigned char)(w->dlt >> 8), body[2] = body[3] = 0;
	put32le(body + 4, WIRE_SNAP);
	n = 8 + ng_option(body + 8, NG_IF_NAME, "lo", 2);
	memset(body + n, 0, 4), n += 4;
	ng_block(f, NG_IDB, body, n);
	for (size_t i = 0; i < w->n; i++) {
		const struct wire_pkt *p = &w->v[i];
		uint64_t us = (uint64_t)p->ts_sec * 1000000u + (uint64_t)p->ts_usec;
		size_t cap = p->caplen > WIRE_SNAP ? WIRE_SNAP : p->caplen;

		put32le(body, 0);	/* interface 0 */
		put32le(body + 4, (uint32_t)(us >> 32));
		put32le(body + 8, (uint32_t)us);
		put32le(body + 12, (uint32_t)cap);
		put32le(body + 16, p->wirelen);
		memcpy(body + 20, p->raw, cap);
		memset(body + 20 + cap, 0, pad4(cap) - cap);
		n = 20 + pad4(cap);
		text[0] = '\0';
		if (comment)
			comment(p, ctx, text, sizeof text);
		if (text[0])
			n += ng_option(body + n, NG_COMMENT, text, strlen(text));
		memset(body + n, 0, 4), n += 4;
		ng_block(f, NG_EPB, body, n);
	}
	return ferror(f) ? -1 : 0;
}

/*
 * deliver: which socket the kernel gives an arriving datagram or connection
 * to, as a model.
 *
 * Several sockets can hold a port at once (SO_REUSEADDR, SO_REUSEPORT,
 * wildcards, IPv4 beside dual-stack IPv6).  For each arriving packet Linux
 * looks in two slots of its table: the sockets bound to exactly the
 * destination address, then, only if none of those took it, the wildcard
 * ones (__inet_lookup_listener for TCP, __udp4_lib_lookup for UDP).  In a
 * slot it walks the list in order and keeps the first socket with the
 * highest score (compute_score): a socket of the packet's own family beats
 * a dual-stack [::]; a UDP socket connected to the sender beats one that is
 * not (and one whose whole 4-tuple matches is found before any scoring, by
 * early demux and, since 6.13, the 4-tuple hash: of two connected to the
 * same sender, the one that connected last).  The list order is the
 * order sockets went into the slot, newest first, except that an IPv6
 * socket with SO_REUSEPORT is put at the tail.  The first SO_REUSEPORT
 * socket that wins hands the choice to its group, which picks a member by
 * a hash of the 4-tuple (reuseport_select_sock): the model says "the
 * group", never which member; the program watches which one got it.
 *
 * No syscall here: tests/check_deliver.c measures the model against the
 * kernel on its whole matrix.  (Not modelled: SO_BINDTODEVICE,
 * SO_INCOMING_CPU, BPF programs; the program sets none of them.)
 */
#ifndef SOCKPLAY_DELIVER_H
#define SOCKPLAY_DELIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/addr.h"

/* What the model needs to know of a socket holding the port. */
struct dl_sock {
	int type;		/* SOCK_STREAM (a listener) or SOCK_DGRAM */
	int family;		/* the socket's own: AF_INET or AF_INET6 */
	struct endpoint local;	/* the address it holds now (an AF_INET6 may hold a mapped one) */
	struct endpoint peer;	/* UDP: the peer it is connected to (family 0: none) */
	bool v6only, reuseport;
	unsigned seq;		/* when it went into its slot (bind, listen, or a connect that
				 * gave it an address): later is larger */
	bool tail;		/* it went in at the slot's tail (IPv6 with SO_REUSEPORT) */
	unsigned cseq;		/* UDP: when it connected, on the same count (0: not connected) */
	unsigned group;		/* its SO_REUSEPORT group, 0 for none */
};

/* The rule that decided. */
enum dl_why {
	DL_NOBODY,		/* no socket takes it */
	DL_ONLY,		/* one socket could take it */
	DL_CONNECTED,		/* a UDP socket connected to exactly the sender */
	DL_EXACT,		/* an exact address, before any wildcard */
	DL_FAMILY,		/* the packet's own family, before a dual-stack [::] */
	DL_NEWEST,		/* equals: the one that went into the slot last is met first */
	DL_OLDEST,		/* equals at the tail (IPv6 SO_REUSEPORT): the first that went in */
	DL_GROUP,		/* an SO_REUSEPORT group: a hash of the 4-tuple picks the member */
};

struct dl_pick {
	int one;		/* the index of the socket that gets it, or -1 */
	unsigned group;		/* DL_GROUP: the group (its members: dl_in_pick) */
	int lead;		/* DL_GROUP: the member the walk met first */
	enum dl_why why;
	int rival;		/* the best socket that did not win, or -1 (for the why-line) */
};

/*
 * Who of v[0..n) gets a packet of `type` arriving for `dst` from `src`
 * (dst and src of one family: the packet's).  Sockets of another type,
 * port or a family that never sees the packet are passed over.
 */
struct dl_pick deliver_pick(const struct dl_sock *v, size_t n, int type,
			    const struct endpoint *dst, const struct endpoint *src);

/*
 * Is v[i] the one, or a member of the group that may get it: one not
 * connected, on the same address as the lead (a member that connected
 * left its address, and the kernel's pick passes over it).
 */
bool dl_in_pick(const struct dl_sock *v, size_t n, size_t i, const struct dl_pick *p);

/*
 * s has just gone into its slot: at bind (UDP), at listen (TCP), or again
 * when a UDP connect gave it an address (rehash).  It takes the next
 * place (*seq counts them); at the tail if an IPv6 SO_REUSEPORT socket
 * goes in anew, at the head otherwise.  Going in anew, an SO_REUSEPORT
 * socket joins the group of one of `others` with the same type, family,
 * V6ONLY and address (reuseport_add_sock), or starts one (*groups counts
 * them); a rehash keeps its group.  For TCP, others are the listeners.
 */
void deliver_place(const struct dl_sock *others, size_t n, struct dl_sock *s, bool rehash,
		   unsigned *seq, unsigned *groups);

/* Does s take packets for dst at all (its port, type, family and address cover dst)? */
bool dl_covers(const struct dl_sock *s, int type, const struct endpoint *dst);

#endif

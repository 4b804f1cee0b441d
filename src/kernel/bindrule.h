/*
 * bindrule: Linux's rule for who may share a port, as a model.
 *
 * The kernel decides a bind in two steps (net/ipv4/inet_connection_sock.c):
 * do the two addresses meet (inet_rcv_saddr_equal, with wildcards), and if
 * they do, does an option let them share (inet_bind_conflict for TCP,
 * udp_lib_lport_inuse for UDP).  This module answers both questions for a
 * newcomer and one holder, with the reason, so the explainer can name
 * exactly the sockets that conflict and the rule that applied.  It makes
 * no syscall: check_bindrule compares it with the kernel on every cell.
 */
#ifndef SOCKPLAY_BINDRULE_H
#define SOCKPLAY_BINDRULE_H

#include <stdbool.h>

#include "kernel/addr.h"

/* What the rule needs to know of a socket on a port. */
struct br_sock {
	struct endpoint ep;	/* the address it holds, or asks for */
	int type;		/* SOCK_STREAM or SOCK_DGRAM */
	bool v6only;		/* IPV6_V6ONLY (an AF_INET6 socket) */
	bool reuseaddr, reuseport;
	bool listening;		/* in LISTEN */
	bool timewait;		/* a TIME_WAIT entry: SO_REUSEPORT passes whatever the owner */
	bool known;		/* its options are known (false: another program's socket) */
	unsigned uid;		/* owner */
};

/* How two addresses meet on one port. */
enum br_meet {
	BR_APART,	/* they do not: different ports, or address spaces that never meet */
	BR_SAME,	/* the same address (an IPv4-mapped one counts as its IPv4 address) */
	BR_WILD,	/* a wildcard of one covers the other's specific address */
	BR_DUAL,	/* a [::] without IPV6_V6ONLY reaches into IPv4 */
};
enum br_meet bindrule_meet(const struct br_sock *a, const struct br_sock *b);

enum br_verdict {
	BR_NO_MEET,		/* the addresses do not meet: no conflict */
	BR_SHARE_REUSEADDR,	/* they meet; both SO_REUSEADDR and the holder does not listen */
	BR_SHARE_REUSEPORT,	/* they meet; both SO_REUSEPORT, same owner (or a TIME_WAIT) */
	BR_CONFLICT_LISTEN,	/* the holder listens: only SO_REUSEPORT on both passes */
	BR_CONFLICT,		/* they meet and no option lets them share */
	BR_UNKNOWN,		/* they meet; the holder's options cannot be seen */
};
/* Would `newcomer`'s bind (to a given port) clash with `holder`? */
enum br_verdict bindrule_bind(const struct br_sock *newcomer, const struct br_sock *holder);
/*
 * A bind to port 0 when every port of the range has a holder
 * (inet_csk_find_open_port): does `holder` keep its port from `newcomer`?
 * Any holder whose address meets does, unless net.ipv4.ip_autobind_reuse
 * is on: then two sockets share when both have SO_REUSEADDR, the holder
 * does not listen, and not both have SO_REUSEPORT (they could both listen).
 */
enum br_verdict bindrule_autobind(const struct br_sock *newcomer, const struct br_sock *holder,
				  bool autobind_reuse);
/* Would `newcomer`'s listen() clash with `holder` (both bound already)? */
enum br_verdict bindrule_listen(const struct br_sock *newcomer, const struct br_sock *holder);
static inline bool bindrule_conflicts(enum br_verdict v)
{
	return v == BR_CONFLICT || v == BR_CONFLICT_LISTEN;
}

/*
 * Are two listeners one SO_REUSEPORT group, over which the kernel spreads
 * new connections?  Only with the same family, address, IPV6_V6ONLY and
 * owner, and both SO_REUSEPORT (inet_reuseport_add_sock).
 */
bool bindrule_same_group(const struct br_sock *a, const struct br_sock *b);

/*
 * How specific a listener is for a connection to `dst` (the kernel's lookup
 * score, in small): -1 when it does not take it, else higher wins; an exact
 * address beats a wildcard, and a socket of the destination's own family
 * beats a dual-stack one.
 */
int bindrule_score(const struct br_sock *listener, const struct endpoint *dst);

#endif

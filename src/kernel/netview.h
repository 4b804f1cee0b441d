/*
 * netview: the kernel table joined with the session's own sockets.
 *
 * A row is a kernel entry and, when it is one of ours, the socket it
 * belongs to: an open socket matched by inode, or a closed one whose
 * TIME_WAIT (inode 0) still carries its 4-tuple ("was s3").  Open sockets
 * the kernel does not list (a TCP socket only created or only bound, an
 * unbound UDP socket) become rows of their own with no entry, so the view
 * shows every socket of the session.  This is what `net` prints and what the
 * screen's kernel pane draws.
 *
 * Ownership: rows point into the procnet and the socket table they were
 * built from; rebuild after either changes.
 */
#ifndef SOCKPLAY_NETVIEW_H
#define SOCKPLAY_NETVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/procnet.h"
#include "kernel/sockets.h"

struct netrow {
	const struct pn_entry *e;	/* NULL: own socket the kernel does not list */
	const struct sock *own;		/* NULL: another program's, or nobody's */
	bool was;			/* own is a closed socket (TIME_WAIT etc.) */
};

struct netfilter {
	unsigned protos;		/* bits: 1 tcp, 2 udp; 0 = both */
	char state[16];			/* "" = any; canonical upper case */
	bool have_local, have_remote;
	struct endpoint local, remote;	/* family 0: any address */
	bool local_wild, remote_wild;	/* "*:P": the wildcard address itself */
	bool own_only;
	char host[16];			/* "@NAME": that host's rows only ("" any); */
	int host_no;			/* ... its number, which the caller sets (kernel/hosts.h) */
};
/* The host a row is on: its entry's table, or its socket's host. */
int netrow_host(const struct netrow *r);

/*
 * Parse `net` filter words: tcp, udp, @HOST, a state (TIME_WAIT, LISTEN, ESTAB...),
 * :PORT or ADDR:PORT (local side), ->:PORT or ->ADDR:PORT (remote side), own.
 * Returns 0, or -1 with a message naming the bad word.
 */
int netfilter_parse(int argc, char *const argv[], struct netfilter *f,
		    char *err, size_t errlen);
bool netfilter_match(const struct netfilter *f, const struct netrow *r);

struct netview {
	struct netrow *rows;
	size_t n, cap;
	/* the join's scratch: hash indexes of the socket table, kept between builds */
	struct nv_islot {
		uint64_t inode;		/* 0: an empty slot */
		size_t own;		/* the socket's index + 1 */
	} *by_inode;			/* open sockets by inode: a row's lookup reads no socket */
	size_t *by_tuple;		/* slot -> socket index + 1; 0 empty */
	unsigned char *ports;		/* the sockets' local ports, by bit: most rows need no lookup */
	unsigned char *inodes;		/* the open sockets' inodes' low 16 bits, by bit: the same */
	size_t nslots;
	bool *seen;
	/* the socket table's gen the index was built from (no two tables share one; 0: none) */
	unsigned long indexed_gen;
	unsigned long gen;	/* counts builds: what points into rows is stale when it moves */
};

/*
 * Build the joined rows (all of them; filter when showing).  The join is
 * by hash, O(N + M) for N kernel entries and M sockets.  0 or -1 ENOMEM.
 */
int netview_build(struct netview *nv, const struct procnet *pn,
		  const struct socktab *t);
void netview_free(struct netview *nv);

/* The row as one line of text: proto state local remote owner detail. */
char *netrow_format(const struct netrow *r, char *buf, size_t len);
#define NETROW_MIN 256	/* a buffer this long is written in place (a shorter one gets a copy) */
/* An endpoint as the table shows it: "0.0.0.0:*" for an unset remote. */
char *netrow_addr(const struct endpoint *ep, char *buf, size_t len);
/* Who a row is: "s1", "was s3", "queued" (not accepted yet), "uid 1000" or "-". */
char *netrow_owner(const struct netrow *r, char *buf, size_t len);
/* Seconds left on the row's timer, or -1 when none runs. */
double netrow_timer_left(const struct netrow *r);
/* The name of a row's timer as the user's language says it ("timewait", ss's word in English). */
const char *netrow_timer_word(const struct pn_entry *e);

#endif

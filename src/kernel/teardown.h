/*
 * teardown: what close() does to a TCP connection, as a model.
 *
 * tcp_close decides from the connection's state just before (which the
 * program reads with TCP_INFO) and two facts: data that arrived and was
 * never read makes it send RST and forget the connection; SO_LINGER {on,
 * 0} does the same; otherwise tcp_close_state's table says whether a FIN
 * goes out and which state the connection, now without its socket, waits
 * in.  The side whose FIN went first ends in TIME_WAIT once the peer has
 * closed too (tcp_fin_timeout bounds a FIN_WAIT2 whose peer never does).
 * No syscall here: tests/check_teardown.c plays every case on loopback and
 * compares the states the kernel lists with the model's.
 */
#ifndef SOCKPLAY_TEARDOWN_H
#define SOCKPLAY_TEARDOWN_H

#include <stdbool.h>

enum td_sends {
	TD_NOTHING,		/* no packet: the FIN went before (shutdown), or nothing is left */
	TD_FIN,
	TD_RST,
};

enum td_why {
	TD_WHY_ACTIVE,		/* ESTABLISHED: it closes first */
	TD_WHY_SHUT_BEFORE,	/* its FIN went with shutdown(SHUT_WR), before close */
	TD_WHY_PASSIVE,		/* the peer closed first: CLOSE_WAIT, then LAST_ACK */
	TD_WHY_UNREAD,		/* data never read: RST */
	TD_WHY_LINGER0,		/* SO_LINGER {on, 0}: RST */
	TD_WHY_OVER,		/* the connection was over already (reset, or done) */
	TD_WHY_NONE,		/* a state the model does not cover (connecting, listening) */
};

struct td_close {
	enum td_sends sends;
	enum td_why why;
	int waits;		/* the state it waits in once its packet is answered (PN_* numbers), 0: gone */
	bool time_wait;		/* it ends in TIME_WAIT once the peer has closed too */
};

/*
 * close() on a connection in `state` (PN_* numbers: the kernel's TCP
 * states), with `unread` bytes never read, SO_LINGER {on, 0} or not,
 * after shutdown(SHUT_WR) or not, and after the peer reset it or not.
 */
struct td_close teardown_close(int state, int unread, bool linger0, bool shut_wr, bool reset);

#endif

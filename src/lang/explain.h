/*
 * explain: why a call did what it did.
 *
 * After a call, the command hands the explainer the socket, the address and
 * the errno; the explainer looks at the session's own table, the memory of
 * closed sockets and the kernel table (never at the errno alone) and writes
 * `why:` lines to the session's sink: the culprit (a socket of ours by name,
 * "was s3" in TIME_WAIT, another program's socket with its uid) and the
 * kernel rule, with what would change the outcome.  Where it finds no
 * culprit it says so instead of inventing one.
 */
#ifndef SOCKPLAY_EXPLAIN_H
#define SOCKPLAY_EXPLAIN_H

#include "kernel/session.h"

/*
 * One function per call, run after it: err is the call's errno, 0 when it
 * succeeded (where a success can surprise: a shared address, what close()
 * left behind).
 */
void explain_socket(struct session *s, int err);
void explain_setsockopt(struct session *s, const struct sock *sk, int err);
void explain_bind(struct session *s, const struct sock *sk, const struct endpoint *ep, int err);
void explain_listen(struct session *s, const struct sock *sk, int err);
void explain_connect(struct session *s, const struct sock *sk, const struct endpoint *ep, int err);
/*
 * A connect that took `took` seconds (ended ok, or ETIMEDOUT): the SYN went
 * unanswered and was sent again, by the kernel's schedule read from the
 * socket's host (tcp_syn_linear_timeouts, tcp_syn_retries).
 */
void explain_syn_retries(struct session *s, const struct sock *sk, double took, bool gave_up);
void explain_accept(struct session *s, const struct sock *sk, int err);
/* send, sendto (receiving false) and recv (true) */
void explain_io(struct session *s, const struct sock *sk, bool receiving, int err);
void explain_shutdown(struct session *s, const struct sock *sk, int err);
void explain_close(struct session *s, const struct sock *sk);

/*
 * Do two bound endpoints of the same protocol clash in the port table?  The
 * same port and: the same address, a wildcard on either side, or IPv6
 * dual-stack ([::] without V6ONLY) against IPv4.
 */
bool explain_overlap(const struct endpoint *a, bool a_v6only,
		     const struct endpoint *b, bool b_v6only);

#endif

/*
 * explain_int: what the explainer's files share (explain.c: every call but
 * bind and listen; explain_bind.c: who holds an address, by the kernel's
 * rule).  Not for use outside the explainer.
 */
#ifndef SOCKPLAY_EXPLAIN_INT_H
#define SOCKPLAY_EXPLAIN_INT_H

#include "kernel/bindrule.h"
#include "lang/explain.h"
#include "util/sink.h"

#include "util/i18n.h"

#define WHY(s, fmt, ...) sink_printf(&(s)->sink, SINK_WHY, _(fmt), ##__VA_ARGS__)

/* What every call may meet: out of descriptors. */
void explain_common(struct session *s, int err);
/* "has" or "has no", for an option bit */
const char *explain_has(unsigned opts, unsigned bit);
/* The kernel entry of an open own socket, if the kernel lists it. */
const struct pn_entry *explain_entry_of(const struct session *s, const struct sock *k);
/* The rule's view of an own socket, at address ep (NULL: its own address). */
void explain_br_sock(const struct sock *k, const struct endpoint *ep, struct br_sock *b);
/* After a UDP bind or a listen that shares the port: where a new datagram or connection goes now. */
void explain_who_gets(struct session *s, const struct sock *sk);
/* Nothing waits on sk: where what came to its port went, and by which rule.  True when said. */
bool explain_went_elsewhere(struct session *s, const struct sock *sk);
/* The rule's view of a kernel row: options known when the row is one of ours. */
void explain_br_row(const struct netrow *r, struct br_sock *b);

#endif

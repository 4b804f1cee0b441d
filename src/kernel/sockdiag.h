/*
 * sockdiag: the kernel table through NETLINK_SOCK_DIAG, the way ss reads
 * it: binary records instead of printed text, so a large table costs the
 * kernel far less than /proc.  It fills the same struct procnet entries as
 * the /proc reader, so everything above it (join, filters, panel) is the
 * same.  Two differences the kernel makes, not us: for a LISTEN socket
 * txq is the maximum backlog (in /proc it is 0), and timers come in
 * milliseconds (stored, like /proc's, in 1/100 s).
 */
#ifndef SOCKPLAY_SOCKDIAG_H
#define SOCKPLAY_SOCKDIAG_H

#include "kernel/procnet.h"

/*
 * Re-read the PN_* files' worth of sockets in mask (TCP/UDP, v4/v6).
 * With port nonzero only sockets whose local port is port are asked for,
 * the kernel doing the filtering (inet_diag bytecode).  0 or -1/errno.
 */
int sockdiag_read(struct procnet *pn, unsigned mask, unsigned port);

#endif

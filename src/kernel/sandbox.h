/*
 * sandbox: a private network namespace for the whole process.
 *
 * sandbox_enter() moves the process into a new network namespace (inside a
 * new user namespace when not root, so an ordinary user can do it where the
 * distribution allows unprivileged user namespaces), gives it a small
 * connection hash table of its own and brings its loopback up.  From then on
 * every socket, every /proc/net read and every sysctl is the sandbox's: the
 * host is never touched.  Call it before any socket is made and before
 * other threads exist.
 */
#ifndef SOCKPLAY_SANDBOX_H
#define SOCKPLAY_SANDBOX_H

#include <stddef.h>

/*
 * Enter a fresh sandbox: all or nothing.  Returns 0 (inside, loopback up);
 * -1 with a one-line message in err naming what is missing (privilege,
 * kernel setting), the process still on the host's network; or -2 when it
 * is inside a namespace it could not finish (the host's network is out of
 * reach): the caller must stop, not go on as if there were no sandbox.
 */
int sandbox_enter(char *err, size_t errlen);

/*
 * From inside the sandbox: replace its network namespace with a fresh one
 * (no sockets, no TIME_WAIT, default sysctls, only 127.0.0.1 and ::1).
 */
int sandbox_renew(char *err, size_t errlen);
/* The same with a connection hash of `entries` buckets (make bench: the host's size). */
int sandbox_renew_hash(unsigned entries, char *err, size_t errlen);

/* Bring an interface of the namespace the process is in up (IFF_UP): 0, or -1 with err. */
int sandbox_link_up(const char *ifname, char *err, size_t errlen);

/* Give loopback another address (IPv4 or IPv6): 0 or -1 with errno. */
int sandbox_addr_add(const char *addr, char *err, size_t errlen);

#endif

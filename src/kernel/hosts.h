/*
 * hosts: a small network inside the sandbox.  Each host is a network
 * namespace of its own, made from the sandbox's, with loopback and one
 * interface, eth0, holding the host's address; eth0 is one end of a veth
 * pair whose other end ("spN") stays in the sandbox's namespace, where the
 * cable (kernel/cable.h) joins the ends in user space.  Nothing joins them
 * in the kernel: no bridge, no route; a frame from one host reaches another
 * only through sockplay.
 *
 * A socket is made on a host by entering its namespace around socket()
 * (hosts_enter, then hosts_leave): the socket stays there for good, bind,
 * connect and the rest need no entering.  The same holds for reading a
 * host's table and its sysctls.  Host 0 is the sandbox itself (every socket
 * of a lesson that declares no host); hosts are numbered from 1.
 *
 * Only in the sandbox: the caller refuses hosts elsewhere.  No I/O to any
 * screen happens here.
 */
#ifndef SOCKPLAY_HOSTS_H
#define SOCKPLAY_HOSTS_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#define HOSTS_MAX 8
#define HOST_NAMELEN 16

struct host {
	char name[HOST_NAMELEN];
	struct in_addr addr;
	int plen;		/* prefix length of the host's network (24 unless given) */
	int nsfd;		/* its network namespace, -1 when gone */
	char ifname[IF_NAMESIZE];	/* the cable's end of its veth pair, in the sandbox */
	int ifindex;
	unsigned restarts;
};

struct hosts {
	struct host v[HOSTS_MAX];	/* v[0] is host 1 */
	size_t n;
	int homefd;		/* the sandbox's own namespace, -1 until the first host */
	unsigned made;		/* veth pairs made so far: the next spN */
	int cur;		/* the host whose namespace the process is in now */
	int was[8];		/* where each open hosts_enter came from */
	int depth;
};

void hosts_init(struct hosts *hs);
/* Every host gone (their namespaces and pairs), the sandbox's namespace kept. */
void hosts_clear(struct hosts *hs);

/* A host's name: a letter, then letters, digits, _ or -; at most HOST_NAMELEN - 1. */
bool host_name_valid(const char *name);
/*
 * "192.168.1.1" or "192.168.1.1/24" into addr and plen: 0, or -1 with a
 * one-line message naming the bad text.
 */
int host_addr_parse(const char *text, struct in_addr *addr, int *plen, char *err, size_t errlen);

/*
 * Make host `name` with address addr/plen: its namespace, loopback up, the
 * veth pair, eth0 up with the address and transmit checksum offload off
 * (so a frame crosses the cable with its checksum complete), IPv6 off on
 * both ends (no neighbour discovery chatter on the cable).  Returns the
 * host's number (1..), or -1 with err.
 */
int hosts_add(struct hosts *hs, const char *name, struct in_addr addr, int plen,
	      char *err, size_t errlen);
/*
 * The host's machine restarts: its pair is deleted first (whatever its
 * kernel still sends goes nowhere), then its namespace is let go and a new
 * one made with the same address.  Its sockets are the caller's to forget.
 * 0 or -1 with err.
 */
int hosts_restart(struct hosts *hs, int h, char *err, size_t errlen);

/*
 * The cable's baseline (make bench): two namespaces joined by one veth
 * pair directly, eth0 each with a and b, the same offloads as a host's.
 * nsfd gets them; the caller closes them.  0 or -1 with err.
 */
int hosts_direct_pair(struct hosts *hs, struct in_addr a, struct in_addr b, int plen, int nsfd[2],
		      char *err, size_t errlen);

/* Host number of `name`: 1.., 0 when there is none. */
int hosts_find(const struct hosts *hs, const char *name);
/* Host h's entry (1..n), NULL for 0 or out of range. */
const struct host *hosts_get(const struct hosts *hs, int h);
/* "server"; "" for host 0. */
const char *hosts_name(const struct hosts *hs, int h);

/*
 * Enter host h's namespace (0: the sandbox's) until the matching
 * hosts_leave, which goes back to where the process was: they nest (a
 * why-line on a host's socket reads the table, which visits every host).
 * 0 or -1/errno (then no hosts_leave).
 */
int hosts_enter(struct hosts *hs, int h);
void hosts_leave(struct hosts *hs);

#endif

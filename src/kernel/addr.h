/*
 * addr: endpoints (address + port) as plain values.
 *
 * The socket table, the /proc/net reader and the explainer all talk about
 * endpoints; one value type lets them compare without sockaddr casts.
 * Addresses are kept in network byte order; an IPv4 address fills the first
 * four bytes.
 */
#ifndef SOCKPLAY_ADDR_H
#define SOCKPLAY_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct endpoint {
	int family;		/* AF_INET, AF_INET6, or 0 for "none" */
	uint8_t addr[16];
	uint16_t port;		/* host byte order */
};

/* Longest text addr_format writes: "[ffff:...:255.255.255.255]:65535". */
#define ADDR_STRLEN 64

/*
 * Parse "1.2.3.4:P", "[::1]:P" or "*:P" for a socket of family `family`.
 * "*" is that family's wildcard.  An IPv4 address given to an AF_INET6
 * socket becomes the IPv4-mapped ::ffff:a.b.c.d, as the kernel would see it.
 * Returns 0, or -1 with a message in err naming the bad part.
 */
int addr_parse(const char *text, int family, struct endpoint *ep,
	       char *err, size_t errlen);

/* "127.0.0.1:8888", "[::1]:8888", "0.0.0.0:*" when port is 0 and star set. */
char *addr_format(const struct endpoint *ep, char *buf, size_t len);

/* Just the address part: "127.0.0.1", "::1", "::ffff:127.0.0.1". */
char *addr_format_host(const struct endpoint *ep, char *buf, size_t len);

socklen_t addr_to_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss);
void addr_from_sockaddr(const struct sockaddr *sa, struct endpoint *ep);

bool addr_is_wildcard(const struct endpoint *ep);
bool addr_is_loopback(const struct endpoint *ep);
/* ::ffff:a.b.c.d */
bool addr_is_v4mapped(const struct endpoint *ep);
/* Same family, address and port. */
bool addr_equal(const struct endpoint *a, const struct endpoint *b);
/* Same family and address, ports ignored. */
bool addr_same_host(const struct endpoint *a, const struct endpoint *b);
/* The IPv4 address an IPv4-mapped IPv6 endpoint stands for (else a copy). */
struct endpoint addr_unmap(const struct endpoint *ep);

/*
 * An address without a port, as `addr add` takes it: "192.168.1.100",
 * "::1" or "[::1]".  The canonical text goes to host.  0, or -1 with err.
 */
int addr_parse_host(const char *text, char *host, size_t hostlen, char *err, size_t errlen);

/* Parse a decimal port 0..65535; -1 if not one. */
int addr_parse_port(const char *s);

#endif

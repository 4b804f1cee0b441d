/*
 * addr: parsing and printing of endpoints.  Parsing is strict and says what
 * was wrong, because it runs on what a student typed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/addr.h"
#include "util/i18n.h"

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int addr_parse_port(const char *s)
{
	long v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 65535 ? -1 : (int)v;
}

int addr_parse(const char *text, int family, struct endpoint *ep,
	       char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *hs, *he;
	int port;

	memset(ep, 0, sizeof *ep);
	if (text[0] == '[') {
		hs = text + 1;
		he = strchr(hs, ']');
		if (he == NULL || he[1] != ':') {
			snprintf(err, errlen, _("bad address '%s': expected [IPv6]:PORT"), text);
			return -1;
		}
		colon = he + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL) {
			snprintf(err, errlen, _("bad address '%s': expected ADDR:PORT"), text);
			return -1;
		}
		hs = text;
		he = colon;
		if (memchr(hs, ':', (size_t)(he - hs)) != NULL) {
			snprintf(err, errlen, _("bad address '%s': write IPv6 as [ADDR]:PORT"), text);
			return -1;
		}
	}
	port = addr_parse_port(colon + 1);
	if (port < 0) {
		snprintf(err, errlen, _("bad port '%s' in '%s': use 0..65535"), colon + 1, text);
		return -1;
	}
	if ((size_t)(he - hs) >= sizeof host) {
		snprintf(err, errlen, _("bad address '%s'"), text);
		return -1;
	}
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	ep->port = (uint16_t)port;
	if (strchr(host, '%')) {
		snprintf(err, errlen, _("bad address '%s': zone ids (%%lo) are not supported; "
			 "sockplay talks to loopback, which needs none"), text);
		return -1;
	}

	if (strcmp(host, "*") == 0) {
		ep->family = family;	/* all-zero address of that family */
		return 0;
	}
	if (text[0] != '[' && inet_pton(AF_INET, host, ep->addr) == 1) {
		ep->family = AF_INET;
		if (family == AF_INET6) {
			/* what an IPv6 socket has to use to reach IPv4 */
			memmove(ep->addr + 12, ep->addr, 4);
			memcpy(ep->addr, v4mapped_prefix, 12);
			ep->family = AF_INET6;
		}
		return 0;
	}
	if (text[0] == '[' && inet_pton(AF_INET6, host, ep->addr) == 1) {
		ep->family = AF_INET6;
		return 0;
	}
	snprintf(err, errlen, _("bad address '%s': not an IPv4 address, [IPv6] or *"), host);
	return -1;
}

int addr_parse_host(const char *text, char *host, size_t hostlen, char *err, size_t errlen)
{
	char h[INET6_ADDRSTRLEN + 2];
	unsigned char a[16];
	size_t n = strlen(text);
	int family;

	if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
		text++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof h) {
		snprintf(err, errlen, _("bad address: give an IPv4 address or [IPv6], no port"));
		return -1;
	}
	memcpy(h, text, n);
	h[n] = '\0';
	if (inet_pton(AF_INET, h, a) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, h, a) == 1)
		family = AF_INET6;
	else {
		snprintf(err, errlen, _("bad address '%s': give an IPv4 address or [IPv6], no port%s"), h,
			 strchr(h, '%') ? " (zone ids are not supported)" : "");
		return -1;
	}
	if (inet_ntop(family, a, host, (socklen_t)hostlen) == NULL) {
		snprintf(err, errlen, _("bad address '%s'"), h);
		return -1;
	}
	return 0;
}

char *addr_format_host(const struct endpoint *ep, char *buf, size_t len)
{
	if (ep->family == AF_INET || ep->family == AF_INET6) {
		if (inet_ntop(ep->family, ep->addr, buf, (socklen_t)len) == NULL)
			snprintf(buf, len, "?");
	} else {
		snprintf(buf, len, "-");
	}
	return buf;
}

char *addr_format(const struct endpoint *ep, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (ep->family == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	addr_format_host(ep, host, sizeof host);
	if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, ep->port);
	else
		snprintf(buf, len, "%s:%u", host, ep->port);
	return buf;
}

socklen_t addr_to_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (ep->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(ep->port);
		memcpy(&s6->sin6_addr, ep->addr, 16);
		return sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(ep->port);
		memcpy(&s4->sin_addr, ep->addr, 4);
		return sizeof *s4;
	}
}

void addr_from_sockaddr(const struct sockaddr *sa, struct endpoint *ep)
{
	memset(ep, 0, sizeof *ep);
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		ep->family = AF_INET6;
		ep->port = ntohs(s6->sin6_port);
		memcpy(ep->addr, &s6->sin6_addr, 16);
	} else if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		ep->family = AF_INET;
		ep->port = ntohs(s4->sin_port);
		memcpy(ep->addr, &s4->sin_addr, 4);
	}
}

bool addr_is_wildcard(const struct endpoint *ep)
{
	static const uint8_t zero[16];

	return memcmp(ep->addr, zero, ep->family == AF_INET6 ? 16 : 4) == 0;
}

bool addr_is_v4mapped(const struct endpoint *ep)
{
	return ep->family == AF_INET6 && memcmp(ep->addr, v4mapped_prefix, 12) == 0;
}

bool addr_is_loopback(const struct endpoint *ep)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (ep->family == AF_INET)
		return ep->addr[0] == 127;
	if (addr_is_v4mapped(ep))
		return ep->addr[12] == 127;
	return memcmp(ep->addr, v6lo, 16) == 0;
}

struct endpoint addr_unmap(const struct endpoint *ep)
{
	struct endpoint r = *ep;

	if (addr_is_v4mapped(ep)) {
		memset(&r, 0, sizeof r);
		r.family = AF_INET;
		r.port = ep->port;
		memcpy(r.addr, ep->addr + 12, 4);
	}
	return r;
}

bool addr_same_host(const struct endpoint *a, const struct endpoint *b)
{
	return a->family == b->family &&
	       memcmp(a->addr, b->addr, a->family == AF_INET6 ? 16 : 4) == 0;
}

bool addr_equal(const struct endpoint *a, const struct endpoint *b)
{
	return addr_same_host(a, b) && a->port == b->port;
}

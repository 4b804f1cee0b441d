/*
 * session_hosts: the hosts and the cable in a session.  The namespaces and
 * pairs are kernel/hosts.c's, the frames kernel/cable.c's; here they meet
 * the socket table.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/session.h"
#include "util/i18n.h"

int session_host_add(struct session *s, const char *name, struct in_addr addr, int plen,
		     char *err, size_t errlen)
{
	int h = hosts_add(&s->hosts, name, addr, plen, err, errlen);

	if (h < 0)
		return -1;
	if (cable_port_add(&s->cable, h, hosts_get(&s->hosts, h)->ifindex) < 0) {
		snprintf(err, errlen, _("host %s is made but cannot be joined to the cable: %s"), name, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The machine lost its power: every socket on it goes at once, sending
 * nothing (its end of the cable is gone already), and leaving nothing
 * behind: no TIME_WAIT, no FIN_WAIT, as after a real power cut.
 */
static void forget_sockets(struct session *s, int h)
{
	for (size_t i = 0; i < s->socks.n; i++) {
		struct sock *sk = s->socks.v[i];
		struct linger lg = { 1, 0 };

		if (sk->host != h || sk->fd < 0)
			continue;
		(void)setsockopt(sk->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		(void)sock_close(sk);
		sk->power_lost = true;
	}
}

int session_host_restart(struct session *s, int h, char *err, size_t errlen)
{
	const struct host *ho = hosts_get(&s->hosts, h);
	int r;

	if (ho == NULL) {
		snprintf(err, errlen, _("no host %d"), h);
		return -1;
	}
	cable_port_remove(&s->cable, h);
	r = hosts_restart(&s->hosts, h, err, errlen);	/* its pair goes first */
	forget_sockets(s, h);
	if (r < 0)
		return -1;
	if (cable_port_add(&s->cable, h, ho->ifindex) < 0) {
		snprintf(err, errlen, _("host %s came back but cannot be joined to the cable: %s"), ho->name, strerror(errno));
		return -1;
	}
	return 0;
}

void session_hosts_clear(struct session *s)
{
	cable_free(&s->cable);
	s->cable.tap = session_cable_tap;
	s->cable.tap_ctx = s;
	hosts_clear(&s->hosts);
}

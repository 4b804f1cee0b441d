/*
 * sockdiag: NLM_F_DUMP requests answered by inet_diag_msg records, read
 * into the procnet's reused buffer.  See linux/inet_diag.h and sock_diag(7).
 *
 * TCP of both families is one request of the old kind (TCPDIAG_GETSOCK,
 * struct inet_diag_req), which the kernel still answers with family
 * AF_UNSPEC: one walk of the connection hash instead of two (the walk of
 * empty buckets is most of a small table's cost: the host's hash has
 * 262,144).  Where that request is refused, and for UDP, one request per
 * family (inet_diag_req_v2, SOCK_DIAG_BY_FAMILY).
 */
#include "config.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/sockdiag.h"

#define DIAG_BUF (1024 * 1024)

static void fill(struct pn_entry *e, const struct inet_diag_msg *m, int proto)
{
	int alen = m->idiag_family == AF_INET6 ? 16 : 4;

	memset(e, 0, sizeof *e);
	e->proto = (uint8_t)proto;
	e->local.family = e->remote.family = m->idiag_family;
	memcpy(e->local.addr, m->id.idiag_src, (size_t)alen);
	memcpy(e->remote.addr, m->id.idiag_dst, (size_t)alen);
	e->local.port = ntohs(m->id.idiag_sport);
	e->remote.port = ntohs(m->id.idiag_dport);
	e->state = m->idiag_state;
	e->timer = m->idiag_timer;
	e->retrnsmt = m->idiag_retrans;
	e->when = m->idiag_timer ? (m->idiag_expires + 9) / 10 : 0;	/* ms -> 1/100 s */
	e->rxq = m->idiag_rqueue;
	e->txq = m->idiag_wqueue;
	e->uid = m->idiag_uid;
	e->inode = m->idiag_inode;
}

/*
 * One dump of proto for family, AF_UNSPEC meaning both (TCP only: the old
 * request).  0, or -1 with errno.
 */
static int dump(struct procnet *pn, int fd, int family, int proto, unsigned port)
{
	struct {
		struct nlmsghdr nh;
		union {
			struct inet_diag_req_v2 v2;
			struct inet_diag_req old;
		} r;
		struct nlattr na;
		struct inet_diag_bc_op ops[2];
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	size_t rlen = family == AF_UNSPEC ? sizeof req.r.old : sizeof req.r.v2;
	char *attr;

	memset(&req, 0, sizeof req);
	req.nh.nlmsg_len = NLMSG_LENGTH(rlen);
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (family == AF_UNSPEC) {
		req.nh.nlmsg_type = TCPDIAG_GETSOCK;
		req.r.old.idiag_states = ~0u;
	} else {
		req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req.r.v2.sdiag_family = (unsigned char)family;
		req.r.v2.sdiag_protocol = (unsigned char)proto;
		req.r.v2.idiag_states = ~0u;	/* every state, TIME_WAIT and request socks too */
	}
	/*
	 * But not a TCP socket that is only bound: since Linux 6.8 sock_diag
	 * lists one (as CLOSE) when asked for the state TCP_BOUND_INACTIVE
	 * (13); /proc never does, and one table must not change when --source
	 * auto switches.  (UDP's CLOSE is "unconnected": kept.)
	 */
	if (proto == IPPROTO_TCP) {
		unsigned none = 1u << PN_CLOSE | 1u << 13;

		if (family == AF_UNSPEC)
			req.r.old.idiag_states &= ~none;
		else
			req.r.v2.idiag_states &= ~none;
	}
	if (port) {
		/* sport == port, or jump past the end (reject): the kernel filters */
		struct nlattr na = { (unsigned short)(NLA_HDRLEN + sizeof req.ops), INET_DIAG_REQ_BYTECODE };

		req.ops[0] = (struct inet_diag_bc_op){ INET_DIAG_BC_S_EQ, sizeof req.ops,
						       sizeof req.ops + 4 };
		req.ops[1].no = (unsigned short)port;
		/* the attribute follows the request, whichever its size */
		attr = (char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len);
		memmove(attr + NLA_HDRLEN, req.ops, sizeof req.ops);
		memcpy(attr, &na, sizeof na);
		req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + na.nla_len;
	}
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof sa) < 0)
		return -1;
	for (;;) {
		ssize_t r = recv(fd, pn->buf, pn->bufcap, 0);
		const struct nlmsghdr *h;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return 0;
		for (h = (const struct nlmsghdr *)pn->buf; NLMSG_OK(h, (unsigned)r); h = NLMSG_NEXT(h, r)) {
			struct pn_entry *e;

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = NLMSG_DATA(h);

				/* no diag module for this protocol: nothing to list */
				if (family != AF_UNSPEC &&
				    (err->error == -ENOENT || err->error == -EPROTONOSUPPORT))
					return 0;
				errno = -err->error;
				return -1;
			}
			if (h->nlmsg_type != req.nh.nlmsg_type ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) {
				pn->malformed++;
				continue;
			}
			e = procnet_push(pn);
			if (e == NULL) {
				errno = ENOMEM;
				return -1;
			}
			fill(e, NLMSG_DATA(h), proto);
			pn->n++;
		}
	}
}

int sockdiag_read(struct procnet *pn, unsigned mask, unsigned port)
{
	static const struct { enum pn_file f; int family, proto; } what[] = {
		{ PN_TCP, AF_INET, IPPROTO_TCP }, { PN_TCP6, AF_INET6, IPPROTO_TCP },
		{ PN_UDP, AF_INET, IPPROTO_UDP }, { PN_UDP6, AF_INET6, IPPROTO_UDP },
	};
	int fd, rc = 0;

	if (pn->buf == NULL || pn->bufcap < DIAG_BUF) {
		char *b = realloc(pn->buf, DIAG_BUF);

		if (b == NULL)
			return -1;
		pn->buf = b;
		pn->bufcap = DIAG_BUF;
	}
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	if (!(mask & PN_APPEND)) {
		pn->n = 0;
		pn->malformed = 0;
	}
	if ((mask & PN_TCPS) == PN_TCPS) {
		size_t before = pn->n;

		/* both families in one walk; refused (an old or a new kernel), one each */
		if (dump(pn, fd, AF_UNSPEC, IPPROTO_TCP, port) == 0)
			mask &= ~(unsigned)PN_TCPS;
		else
			pn->n = before;
	}
	for (size_t i = 0; i < sizeof what / sizeof what[0] && rc == 0; i++)
		if (mask & (1u << what[i].f))
			rc = dump(pn, fd, what[i].family, what[i].proto, port);
	close(fd);
	return rc;
}

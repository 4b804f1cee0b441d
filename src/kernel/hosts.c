/*
 * hosts: namespaces and veth pairs, made with unshare(2), setns(2), one
 * ioctl and a few rtnetlink requests.  All in C: no `ip`, no shell.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kernel/hosts.h"
#include "kernel/sandbox.h"
#include "util/i18n.h"

void hosts_init(struct hosts *hs)
{
	memset(hs, 0, sizeof *hs);
	hs->homefd = -1;
	for (size_t i = 0; i < HOSTS_MAX; i++)
		hs->v[i].nsfd = -1;
}

bool host_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= HOST_NAMELEN || !isalpha((unsigned char)name[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '-')
			return false;
	return true;
}

int host_addr_parse(const char *text, struct in_addr *addr, int *plen, char *err, size_t errlen)
{
	char buf[32], *slash, *end;
	long p = 24;

	if (strlen(text) >= sizeof buf) {
		snprintf(err, errlen, _("bad host address '%.40s': an IPv4 address, maybe with /PREFIX"), text);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", text);
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		errno = 0;
		p = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || p < 8 || p > 30) {
			snprintf(err, errlen, _("bad prefix in '%s': from /8 to /30"), text);
			return -1;
		}
	}
	if (inet_pton(AF_INET, buf, addr) != 1) {
		snprintf(err, errlen, _("bad host address '%s': an IPv4 address, maybe with /PREFIX"), text);
		return -1;
	}
	{
		uint32_t a = ntohl(addr->s_addr), host = a & ((1u << (32 - p)) - 1);

		if ((a >> 24) == 127 || (a >> 28) >= 14 || a == 0 || host == 0 ||
		    host == (1u << (32 - p)) - 1) {
			snprintf(err, errlen, _("'%s' cannot be a host's address: not loopback, multicast, "
				 "a network's first or last address"), text);
			return -1;
		}
	}
	*plen = (int)p;
	return 0;
}

/* ---- rtnetlink, the little of it we need ---- */

struct nlreq {
	struct nlmsghdr nh;
	char body[512];
};

static void *nl_tail(struct nlreq *r)
{
	return (char *)&r->nh + NLMSG_ALIGN(r->nh.nlmsg_len);
}

static struct rtattr *nl_attr(struct nlreq *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *rta = nl_tail(r);

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void nl_nest_end(struct nlreq *r, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)nl_tail(r) - (char *)nest);
}

static void nl_start(struct nlreq *r, unsigned short type, unsigned short flags, size_t hdr)
{
	memset(r, 0, sizeof *r);
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r->nh.nlmsg_seq = 1;
	r->nh.nlmsg_len = (unsigned)NLMSG_LENGTH(hdr);
}

/* Send the request, read the kernel's answer: 0, or -1 with errno. */
static int nl_talk(struct nlreq *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr e;
		char more[256];
	} ans;
	ssize_t n;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	if (sendto(fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    (n = recv(fd, &ans, sizeof ans, 0)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	if ((size_t)n >= sizeof ans.nh + sizeof ans.e && ans.nh.nlmsg_type == NLMSG_ERROR &&
	    ans.e.error != 0) {
		errno = -ans.e.error;
		return -1;
	}
	return 0;
}

/*
 * A veth pair: `name` here, its peer "eth0" in the namespace nsfd, with the
 * host's own hardware address: a host that restarts keeps its network card,
 * so its neighbours' ARP caches still reach it (and its old connections meet
 * its new kernel's RST, not silence).
 */
static int make_veth(const char *name, int nsfd, unsigned n)
{
	/* locally administered, unicast: 02:73:70 ("sp"), then the host's number */
	unsigned char mac[6] = { 0x02, 0x73, 0x70, 0, 0, (unsigned char)n };
	struct nlreq r;
	struct rtattr *info, *data, *peer;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	unsigned int fd = (unsigned int)nsfd;

	nl_start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof ifi);
	memcpy(NLMSG_DATA(&r.nh), &ifi, sizeof ifi);
	nl_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	info = nl_attr(&r, IFLA_LINKINFO, NULL, 0);
	nl_attr(&r, IFLA_INFO_KIND, "veth", 5);
	data = nl_attr(&r, IFLA_INFO_DATA, NULL, 0);
	peer = nl_attr(&r, VETH_INFO_PEER, NULL, 0);
	/* the peer's own ifinfomsg, then its attributes */
	memset(nl_tail(&r), 0, sizeof ifi);
	r.nh.nlmsg_len += (unsigned)NLMSG_ALIGN(sizeof ifi);
	nl_attr(&r, IFLA_IFNAME, "eth0", 5);
	nl_attr(&r, IFLA_ADDRESS, mac, sizeof mac);
	nl_attr(&r, IFLA_NET_NS_FD, &fd, sizeof fd);
	nl_nest_end(&r, peer);
	nl_nest_end(&r, data);
	nl_nest_end(&r, info);
	return nl_talk(&r);
}

static int del_link(int ifindex)
{
	struct nlreq r;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };

	nl_start(&r, RTM_DELLINK, 0, sizeof ifi);
	memcpy(NLMSG_DATA(&r.nh), &ifi, sizeof ifi);
	return nl_talk(&r);
}

static int add_addr(int ifindex, struct in_addr a, int plen)
{
	struct nlreq r;
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET, .ifa_prefixlen = (unsigned char)plen,
		.ifa_scope = RT_SCOPE_UNIVERSE, .ifa_index = (unsigned)ifindex,
	};

	nl_start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof ifa);
	memcpy(NLMSG_DATA(&r.nh), &ifa, sizeof ifa);
	nl_attr(&r, IFA_LOCAL, &a, sizeof a);
	nl_attr(&r, IFA_ADDRESS, &a, sizeof a);
	return nl_talk(&r);
}

/* Transmit checksum offload off: the cable sees complete checksums. */
static int tx_csum_off(const char *ifname)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_STXCSUM, .data = 0 };
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	r = ioctl(fd, SIOCETHTOOL, &ifr);
	close(fd);
	return r;
}

/*
 * Wait (2 s at most) until the link is running: the kernel's link watch
 * has seen its carrier and given it a real queueing discipline.  Until
 * then what it sends meets the noop qdisc and is dropped: a host just made
 * (or rebooted) would lose its first answers.
 */
static void wait_running(const char *ifname)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	for (int i = 0; i < 400; i++) {
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 || (ifr.ifr_flags & IFF_RUNNING))
			break;
		nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
	}
	close(fd);
}

static void ipv6_off(const char *ifname)
{
	char path[96];
	int fd;

	snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) != 1) {
			/* no IPv6 in this kernel: nothing to silence */
		}
		close(fd);
	}
}

/* Into host h's namespace (0: the sandbox's). */
static int go(const struct hosts *hs, int h)
{
	const struct host *ho = hosts_get(hs, h);

	if (h == 0)
		return hs->homefd < 0 ? 0 : setns(hs->homefd, CLONE_NEWNET);
	if (ho == NULL || ho->nsfd < 0) {
		errno = ENOENT;
		return -1;
	}
	return setns(ho->nsfd, CLONE_NEWNET);
}

int hosts_enter(struct hosts *hs, int h)
{
	if (hs->depth == (int)(sizeof hs->was / sizeof *hs->was)) {
		errno = ELOOP;
		return -1;
	}
	if (h != hs->cur && go(hs, h) < 0)
		return -1;
	hs->was[hs->depth++] = hs->cur;
	hs->cur = h;
	return 0;
}

void hosts_leave(struct hosts *hs)
{
	int back;

	if (hs->depth == 0)
		return;
	back = hs->was[--hs->depth];
	if (back != hs->cur && go(hs, back) < 0)
		abort();	/* never: we were there a moment ago; going on elsewhere would be worse */
	hs->cur = back;
}

/* Back in the sandbox's namespace, from a host's being made. */
static void go_home(const struct hosts *hs)
{
	if (setns(hs->homefd, CLONE_NEWNET) < 0)
		abort();	/* never: we were there a moment ago */
}

/* A fresh namespace with loopback up, its descriptor; the process back home. */
static int fresh_ns(const struct hosts *hs, char *err, size_t errlen)
{
	int fd;

	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(err, errlen, _("cannot create a network namespace: %s"), strerror(errno));
		return -1;
	}
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ipv6_off("default");
	ipv6_off("all");
	if (fd < 0 || sandbox_link_up("lo", err, errlen) < 0) {
		if (fd >= 0)
			close(fd);
		go_home(hs);
		return -1;
	}
	go_home(hs);
	return fd;
}

/* In namespace ns: eth0 with address a, offload off, up and running. */
static int eth0_setup(const struct hosts *hs, int ns, struct in_addr a, int plen, char *err, size_t errlen)
{
	int r = -1;

	if (setns(ns, CLONE_NEWNET) < 0)
		return -1;
	if (tx_csum_off("eth0") == 0 && sandbox_link_up("eth0", err, errlen) == 0 &&
	    add_addr((int)if_nametoindex("eth0"), a, plen) == 0) {
		wait_running("eth0");
		r = 0;
	}
	go_home(hs);
	return r;
}

/* Host ho's namespace, pair and address, made new (from the sandbox's, and back there). */
static int host_make(struct hosts *hs, struct host *ho, char *err, size_t errlen)
{
	const char *step = "veth";
	int e;

	/* a host's connection hash is small and its own, as the sandbox's */
	{
		int fd = open("/proc/sys/net/ipv4/tcp_child_ehash_entries", O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			if (write(fd, "1024", 4) != 4) {
				/* an older kernel: the host shares the global hash, slower to read */
			}
			close(fd);
		}
	}
	ho->nsfd = fresh_ns(hs, err, errlen);
	if (ho->nsfd < 0)
		return -1;
	snprintf(ho->ifname, sizeof ho->ifname, "sp%u", hs->made++);
	if (make_veth(ho->ifname, ho->nsfd, (unsigned)(ho - hs->v) + 1) < 0)
		goto fail;
	ho->ifindex = (int)if_nametoindex(ho->ifname);
	ipv6_off(ho->ifname);
	step = "link";
	if (ho->ifindex == 0 || sandbox_link_up(ho->ifname, err, errlen) < 0)
		goto fail;
	step = "eth0";
	if (eth0_setup(hs, ho->nsfd, ho->addr, ho->plen, err, errlen) < 0)
		goto fail;
	wait_running(ho->ifname);
	return 0;
fail:
	e = errno;
	snprintf(err, errlen, _("cannot make host %s (%s): %s"), ho->name, step, strerror(e));
	if (ho->ifindex > 0)
		(void)del_link(ho->ifindex);
	ho->ifindex = 0;
	close(ho->nsfd);
	ho->nsfd = -1;
	errno = e;
	return -1;
}

int hosts_direct_pair(struct hosts *hs, struct in_addr a, struct in_addr b, int plen, int nsfd[2],
		      char *err, size_t errlen)
{
	int r = -1;

	err[0] = '\0';
	if (hs->homefd < 0 && (hs->homefd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	nsfd[0] = fresh_ns(hs, err, errlen);
	nsfd[1] = nsfd[0] < 0 ? -1 : fresh_ns(hs, err, errlen);
	if (nsfd[1] < 0)
		goto out;
	/* the pair made in the first, its peer in the second: both are eth0 */
	if (setns(nsfd[0], CLONE_NEWNET) < 0)
		goto out;
	r = make_veth("eth0", nsfd[1], 200);
	go_home(hs);
	if (r == 0)
		r = eth0_setup(hs, nsfd[0], a, plen, err, errlen) < 0 ||
		    eth0_setup(hs, nsfd[1], b, plen, err, errlen) < 0 ? -1 : 0;
out:
	if (r < 0) {
		if (!err[0])
			snprintf(err, errlen, _("cannot make a direct pair: %s"), strerror(errno));
		for (int i = 0; i < 2; i++)
			if (nsfd[i] >= 0)
				close(nsfd[i]);
	}
	return r;
}

int hosts_add(struct hosts *hs, const char *name, struct in_addr addr, int plen,
	      char *err, size_t errlen)
{
	struct host *ho;

	if (hosts_find(hs, name)) {
		snprintf(err, errlen, _("there is a host named '%s' already"), name);
		errno = EEXIST;
		return -1;
	}
	for (size_t i = 0; i < hs->n; i++)
		if (hs->v[i].addr.s_addr == addr.s_addr) {
			char a[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &addr, a, sizeof a);
			snprintf(err, errlen, _("host %s has %s already"), hs->v[i].name, a);
			errno = EEXIST;
			return -1;
		}
	if (hs->n == HOSTS_MAX) {
		snprintf(err, errlen, _("at most %d hosts"), HOSTS_MAX);
		errno = ENOSPC;
		return -1;
	}
	if (hs->homefd < 0) {
		hs->homefd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (hs->homefd < 0) {
			snprintf(err, errlen, _("cannot hold the sandbox's namespace: %s"), strerror(errno));
			return -1;
		}
	}
	ho = &hs->v[hs->n];
	memset(ho, 0, sizeof *ho);
	ho->nsfd = -1;
	snprintf(ho->name, sizeof ho->name, "%s", name);
	ho->addr = addr;
	ho->plen = plen;
	if (host_make(hs, ho, err, errlen) < 0)
		return -1;
	return (int)++hs->n;
}

int hosts_restart(struct hosts *hs, int h, char *err, size_t errlen)
{
	struct host *ho = (struct host *)hosts_get(hs, h);

	if (ho == NULL) {
		snprintf(err, errlen, _("no host %d"), h);
		return -1;
	}
	/* the cable first: from now on nothing of the old machine reaches anyone */
	if (ho->ifindex > 0)
		(void)del_link(ho->ifindex);
	ho->ifindex = 0;
	if (ho->nsfd >= 0)
		close(ho->nsfd);
	ho->nsfd = -1;
	ho->restarts++;
	return host_make(hs, ho, err, errlen);
}

void hosts_clear(struct hosts *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		if (hs->v[i].ifindex > 0)
			(void)del_link(hs->v[i].ifindex);
		if (hs->v[i].nsfd >= 0)
			close(hs->v[i].nsfd);
		hs->v[i].nsfd = -1;
		hs->v[i].ifindex = 0;
	}
	hs->n = 0;
	if (hs->homefd >= 0)
		close(hs->homefd);
	hs->homefd = -1;
}

int hosts_find(const struct hosts *hs, const char *name)
{
	for (size_t i = 0; i < hs->n; i++)
		if (strcmp(hs->v[i].name, name) == 0)
			return (int)i + 1;
	return 0;
}

const struct host *hosts_get(const struct hosts *hs, int h)
{
	return h >= 1 && (size_t)h <= hs->n ? &hs->v[h - 1] : NULL;
}

const char *hosts_name(const struct hosts *hs, int h)
{
	const struct host *ho = hosts_get(hs, h);

	return ho ? ho->name : "";
}

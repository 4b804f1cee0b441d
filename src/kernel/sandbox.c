/*
 * sandbox: unshare(2) plus a little netlink.  All in C: no `ip`, no shell.
 *
 * The connection hash: a new namespace normally shares the host's TCP
 * established hash (often 2^18 buckets), and /proc/net/tcp walks every
 * bucket, so even an empty table costs milliseconds to read.
 * net.ipv4.tcp_child_ehash_entries, written in a namespace, gives the
 * namespaces created from it a private hash of that size; so we unshare
 * twice: once to own a namespace we may write, once to get the child with
 * the small hash.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/sandbox.h"
#include "kernel/sysctl.h"
#include "util/i18n.h"

#define SANDBOX_EHASH "1024"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = (ssize_t)strlen(text);

	if (fd < 0)
		return -1;
	if (write(fd, text, (size_t)n) != n) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

static int read_int_file(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	return atoi(buf);
}

/* The process's seccomp mode (/proc/self/status): 2 when a filter is on it, 0 none, -1 unknown. */
static int seccomp_mode(void)
{
	char line[128];
	int mode = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode;
}

/*
 * Why a namespace was refused, as one line that names the wall and its way
 * out.  Every wall is read from the kernel, never guessed: the settings of
 * Debian (unprivileged_userns_clone), of every kernel (max_user_namespaces),
 * of Ubuntu 23.10 and later (AppArmor's restriction, lifted for a program
 * by a profile with a `userns,` rule: data/apparmor/sockplay, installed in
 * PKGDATADIR/apparmor), and a
 * seccomp filter (a container's profile, a sandboxing launcher).
 */
static void ns_reason(int err, bool userns, char *msg, size_t len)
{
	if (userns && read_int_file("/proc/sys/kernel/unprivileged_userns_clone") == 0)
		snprintf(msg, len, _("unprivileged user namespaces are disabled "
			 "(kernel.unprivileged_userns_clone = 0): run as root, or set it to 1"));
	else if (userns && (err == ENOSPC || read_int_file("/proc/sys/user/max_user_namespaces") == 0))
		snprintf(msg, len, _("no user namespace may be made "
			 "(user.max_user_namespaces = %d): run as root, or raise it"),
			 read_int_file("/proc/sys/user/max_user_namespaces"));
	else if (userns && read_int_file("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
		snprintf(msg, len, _("AppArmor forbids unprivileged user namespaces "
			 "(kernel.apparmor_restrict_unprivileged_userns = 1): as root, copy %s to "
			 "/etc/apparmor.d/ and run apparmor_parser -r /etc/apparmor.d/sockplay; or run as root"),
			 PKGDATADIR "/apparmor/sockplay");
	else if (err == EPERM && seccomp_mode() == 2)
		snprintf(msg, len, _("a seccomp filter on this process refuses namespaces "
			 "(a container's profile?): run sockplay outside it, or allow unshare(2)"));
	else if (userns)
		snprintf(msg, len, _("cannot create a user namespace: %s"), strerror(err));
	else
		snprintf(msg, len, _("cannot create a network namespace: %s"), strerror(err));
}

int sandbox_link_up(const char *ifname, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		snprintf(err, errlen, _("socket: %s"), strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "%s: %s", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, _("bringing %s up: %s"), ifname, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* A new net namespace with a private hash of `entries` buckets, loopback up. */
static int new_netns_sized(const char *entries, char *err, size_t errlen)
{
	/* best effort: older kernels have no tcp_child_ehash_entries */
	(void)sysctl_write("net.ipv4.tcp_child_ehash_entries", entries);
	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(err, errlen, _("cannot create a network namespace: %s"), strerror(errno));
		return -1;
	}
	return sandbox_link_up("lo", err, errlen);
}

static int new_netns(char *err, size_t errlen)
{
	return new_netns_sized(SANDBOX_EHASH, err, errlen);
}

int sandbox_enter(char *err, size_t errlen)
{
	if (geteuid() != 0) {
		uid_t uid = geteuid();
		gid_t gid = getegid();
		char map[64];

		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
			ns_reason(errno, true, err, errlen);
			return -1;
		}
		/* be root inside, ourselves outside */
		(void)write_file("/proc/self/setgroups", "deny");
		snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
		if (write_file("/proc/self/uid_map", map) < 0) {
			snprintf(err, errlen, _("writing uid_map: %s"), strerror(errno));
			return -2;	/* inside already: no way back */
		}
		snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
		if (write_file("/proc/self/gid_map", map) < 0) {
			snprintf(err, errlen, _("writing gid_map: %s"), strerror(errno));
			return -2;
		}
	} else if (unshare(CLONE_NEWNET) < 0) {
		ns_reason(errno, false, err, errlen);
		return -1;
	}
	/*
	 * We own this namespace: its tcp_child_ehash_entries is ours to set,
	 * and a child namespace gets the small hash.  Should that second
	 * unshare fail (a namespace limit), the first namespace is a sandbox
	 * all the same: bring its loopback up and stay.  There is no way back
	 * to the host's network from here, so a failure past this point is
	 * reported as a sandbox that cannot be used (-2), never as "none".
	 */
	if (new_netns(err, errlen) == 0)
		return 0;
	if (sandbox_link_up("lo", err, errlen) == 0)
		return 0;
	return -2;
}

int sandbox_renew(char *err, size_t errlen)
{
	return new_netns(err, errlen);
}

int sandbox_renew_hash(unsigned entries, char *err, size_t errlen)
{
	char text[16];

	snprintf(text, sizeof text, "%u", entries);
	return new_netns_sized(text, err, errlen);
}

/* RTM_NEWADDR for lo: the one netlink request the sandbox needs. */
int sandbox_addr_add(const char *text, char *err, size_t errlen)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
		char attrs[64];
	} req;
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr e;
	} ans;
	unsigned char addr[16];
	int family, plen, alen, fd;
	struct rtattr *rta;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t r;

	if (inet_pton(AF_INET, text, addr) == 1)
		family = AF_INET, plen = 32, alen = 4;
	else if (inet_pton(AF_INET6, text, addr) == 1)
		family = AF_INET6, plen = 128, alen = 16;
	else {
		snprintf(err, errlen, _("bad address '%s': not IPv4 or IPv6"), text);
		errno = EINVAL;
		return -1;
	}
	memset(&req, 0, sizeof req);
	req.nh.nlmsg_type = RTM_NEWADDR;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	req.nh.nlmsg_seq = 1;
	req.ifa.ifa_family = (unsigned char)family;
	req.ifa.ifa_prefixlen = (unsigned char)plen;
	req.ifa.ifa_scope = RT_SCOPE_HOST;
	/* usable at once: a bind right after must not meet a tentative IPv6 address */
	req.ifa.ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	req.ifa.ifa_index = if_nametoindex("lo");
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof req.ifa);
	for (int i = 0; i < 2; i++) {	/* IFA_LOCAL and IFA_ADDRESS, same value */
		rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
		rta->rta_type = i == 0 ? IFA_LOCAL : IFA_ADDRESS;
		rta->rta_len = (unsigned short)RTA_LENGTH(alen);
		memcpy(RTA_DATA(rta), addr, (size_t)alen);
		req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		snprintf(err, errlen, _("netlink: %s"), strerror(errno));
		return -1;
	}
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    (r = recv(fd, &ans, sizeof ans, 0)) < 0) {
		snprintf(err, errlen, _("netlink: %s"), strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if ((size_t)r >= sizeof ans && ans.nh.nlmsg_type == NLMSG_ERROR && ans.e.error != 0) {
		errno = -ans.e.error;
		snprintf(err, errlen, _("adding %s to lo: %s"), text, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * sockets: the table of the session's sockets and the syscalls on them.
 *
 * Everything is non-blocking (SOCK_NONBLOCK at creation), so no call here
 * can freeze the event loop; the caller waits for connect completion in the
 * loop.  After a successful call the entry is refreshed from the kernel, so
 * what the screen shows is what the kernel holds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <linux/sock_diag.h>

#include "util/i18n.h"
#include "util/grow.h"
#include "kernel/sockets.h"
#include "kernel/sysctl.h"

/* Linux 6.3; older C libraries do not name it */
#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif

const struct sockopt_desc sock_opts[] = {
	{ "reuseaddr", "SO_REUSEADDR", SOPT_REUSEADDR, SOL_SOCKET, SO_REUSEADDR },
	{ "reuseport", "SO_REUSEPORT", SOPT_REUSEPORT, SOL_SOCKET, SO_REUSEPORT },
	{ "v6only", "IPV6_V6ONLY", SOPT_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY },
	{ "nodelay", "TCP_NODELAY", SOPT_NODELAY, IPPROTO_TCP, TCP_NODELAY },
	{ "keepalive", "SO_KEEPALIVE", SOPT_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE },
	{ "linger", "SO_LINGER", SOPT_LINGER, SOL_SOCKET, SO_LINGER },
	{ "bind_address_no_port", "IP_BIND_ADDRESS_NO_PORT", SOPT_BIND_NO_PORT, IPPROTO_IP,
	  IP_BIND_ADDRESS_NO_PORT },
	{ "local_port_range", "IP_LOCAL_PORT_RANGE", SOPT_PORT_RANGE, IPPROTO_IP, IP_LOCAL_PORT_RANGE },
	{ NULL, NULL, 0, 0, 0 },
};

const struct sockopt_desc *sock_opt_find(const char *name)
{
	for (const struct sockopt_desc *o = sock_opts; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

double sock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A new value for t->gen, never given before to any table (one freed and made again at the same address too). */
static void changed(struct socktab *t)
{
	static unsigned long changes;

	t->gen = ++changes;
}

void socktab_init(struct socktab *t)
{
	memset(t, 0, sizeof *t);
	t->next_auto = 1;
	changed(t);
}

#define TOUCHED_MAX 4096	/* past this the reader looks at every entry: memory stays bounded */


/* Note that s's addresses may have changed. */
static void touch(struct sock *s)
{
	struct socktab *t = s->table;

	if (t)
		changed(t);	/* the join's index is stale */
	if (t == NULL || t->touched_lost)
		return;
	if (t->ntouched && t->touched[t->ntouched - 1] == s->idx)
		return;
	if ((t->ntouched == t->captouched && t->captouched * 2 > TOUCHED_MAX) ||
	    !GROW(t->touched, t->ntouched, t->captouched, 64)) {
		t->touched_lost = true;
		t->ntouched = 0;
		return;
	}
	t->touched[t->ntouched++] = s->idx;
}

const size_t *socktab_touched(const struct socktab *t, size_t *n, bool *lost)
{
	*n = t->ntouched;
	*lost = t->touched_lost;
	return t->touched;
}

void socktab_touched_clear(struct socktab *t)
{
	t->ntouched = 0;
	t->touched_lost = false;
}

void socktab_reset(struct socktab *t)
{
	changed(t);
	t->touched_lost = true;
	t->ntouched = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i]->fd >= 0)
			close(t->v[i]->fd);
		free(t->v[i]);
	}
	t->n = 0;
	t->next_auto = 1;
}

void socktab_free(struct socktab *t)
{
	socktab_reset(t);
	free(t->v);
	t->v = NULL;
	free(t->touched);
	t->touched = NULL;
	t->cap = 0;
}

struct sock *socktab_find(const struct socktab *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i]->state != SOCK_CLOSED && strcmp(t->v[i]->name, name) == 0)
			return t->v[i];
	return NULL;
}

struct sock *socktab_find_any(const struct socktab *t, const char *name)
{
	struct sock *s = socktab_find(t, name);

	for (size_t i = t->n; s == NULL && i-- > 0;)
		if (strcmp(t->v[i]->name, name) == 0)
			s = t->v[i];
	return s;
}

struct sock *socktab_find_fd(const struct socktab *t, int fd)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i]->fd == fd)
			return t->v[i];
	return NULL;
}

size_t socktab_count_open(const struct socktab *t)
{
	size_t c = 0;

	for (size_t i = 0; i < t->n; i++)
		c += t->v[i]->state != SOCK_CLOSED;
	return c;
}

bool sock_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= SOCK_NAMELEN)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

void socktab_next_name(struct socktab *t, char out[SOCK_NAMELEN])
{
	/* skip names the user gave by hand, so sN never shadows one */
	do
		snprintf(out, SOCK_NAMELEN, "s%u", t->next_auto++);
	while (socktab_find(t, out) != NULL);
}

static struct sock *socktab_add(struct socktab *t, const char *name, int fd,
				int family, int type)
{
	struct sock *s;

	if (!GROW(t->v, t->n, t->cap, 16))
		return NULL;
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	snprintf(s->name, sizeof s->name, "%s", name);
	s->fd = fd;
	s->family = family;
	s->type = type;
	s->state = SOCK_CREATED;
	s->serial = ++t->serial;
	s->rx_mark = -1;
	s->table = t;
	s->idx = t->n;
	t->v[t->n++] = s;
	touch(s);
	return s;
}

/* What makes one of the sockets on a port a candidate for its packets. */
static bool takes(const struct sock *s, int type, uint16_t port)
{
	return s->fd >= 0 && s->type == type && s->local.family && s->local.port == port &&
	       (type == SOCK_DGRAM || s->state == SOCK_LISTENING);
}

void sock_dl(const struct sock *s, struct dl_sock *d)
{
	memset(d, 0, sizeof *d);
	d->type = s->type;
	d->family = s->family;
	d->local = s->local;
	if (s->type == SOCK_DGRAM && s->peer.family && s->peer.port)
		d->peer = s->peer;
	d->v6only = s->opts & SOPT_V6ONLY;
	d->reuseport = s->opts & SOPT_REUSEPORT;
	d->seq = s->hash_seq;
	d->tail = s->hash_tail;
	d->cseq = s->conn_seq;
	d->group = s->rp_group;
}

size_t socktab_port_dl(const struct socktab *t, int type, uint16_t port, int host, struct dl_sock *v,
		       struct sock **who, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i]->host == host && takes(t->v[i], type, port)) {
			if (k < max) {
				sock_dl(t->v[i], &v[k]);
				who[k] = t->v[i];
			}
			k++;
		}
	return k;
}

/* The groups a socket may join are among the first of these on its port. */
#define PLACE_MAX 64

/* s has just gone into its slot: anew, or again (rehash) at a new address. */
static void slot_place(struct sock *s, bool rehash)
{
	struct dl_sock others[PLACE_MAX], me;
	struct sock *who[PLACE_MAX];
	size_t n;

	if (s->table == NULL)
		return;
	if (!rehash)
		s->rp_group = 0;	/* it joins anew, not its own old group */
	n = socktab_port_dl(s->table, s->type, s->local.port, s->host, others, who, PLACE_MAX);
	sock_dl(s, &me);
	deliver_place(others, n < PLACE_MAX ? n : PLACE_MAX, &me, rehash, &s->table->hash_count,
		      &s->table->group_count);
	s->hash_seq = me.seq;
	s->hash_tail = me.tail;
	s->rp_group = me.group;
}

/* A UDP socket's address or peer changed under a call: its place in the lookup follows. */
static void slot_follow(struct sock *s, const struct endpoint *was, const struct endpoint *was_peer)
{
	bool had = was->family && was->port, has = s->local.family && s->local.port;

	if (s->type != SOCK_DGRAM || s->fd < 0)
		return;
	if (!has) {
		s->hash_seq = s->rp_group = 0;	/* unhashed: a disconnect gave back its port */
	} else if (!had || was->port != s->local.port) {
		slot_place(s, false);
	} else if (!addr_equal(was, &s->local)) {
		slot_place(s, true);
	}
	if (!(s->peer.family && s->peer.port))
		s->conn_seq = 0;
	else if (!(was_peer->family && was_peer->port) || !addr_equal(was_peer, &s->peer))
		s->conn_seq = s->table ? ++s->table->hash_count : 1;
}

static void refresh(struct sock *s);

void sock_refresh(struct sock *s)
{
	struct endpoint was = s->local, was_peer = s->peer;

	refresh(s);
	slot_follow(s, &was, &was_peer);
}

static void refresh(struct sock *s)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct stat st;

	if (s->fd < 0)
		return;
	s->opts = 0;
	for (const struct sockopt_desc *o = sock_opts; o->name; o++) {
		if (o->bit == SOPT_LINGER) {
			struct linger lg;

			len = sizeof lg;
			if (getsockopt(s->fd, o->level, o->optname, &lg, &len) == 0 && lg.l_onoff) {
				s->opts |= SOPT_LINGER;
				s->linger = lg.l_linger;
			}
		} else if (o->bit == SOPT_PORT_RANGE) {
			uint32_t v = 0;

			len = sizeof v;
			if (getsockopt(s->fd, o->level, o->optname, &v, &len) == 0 && v) {
				s->opts |= SOPT_PORT_RANGE;
				s->port_lo = (uint16_t)(v & 0xffff);
				s->port_hi = (uint16_t)(v >> 16);
			}
		} else {
			int v = 0;

			if (o->level == IPPROTO_IPV6 && s->family != AF_INET6)
				continue;
			if (o->level == IPPROTO_TCP && s->type != SOCK_STREAM)
				continue;
			len = sizeof v;
			if (getsockopt(s->fd, o->level, o->optname, &v, &len) == 0 && v)
				s->opts |= o->bit;
		}
	}
	len = sizeof ss;
	if (getsockname(s->fd, (struct sockaddr *)&ss, &len) == 0) {
		struct endpoint ep;

		addr_from_sockaddr((struct sockaddr *)&ss, &ep);
		/* an unbound socket reports the wildcard, port 0: no address yet */
		if (ep.port != 0 || !addr_is_wildcard(&ep))
			s->local = ep;
		else
			memset(&s->local, 0, sizeof s->local);
	}
	len = sizeof ss;
	if (getpeername(s->fd, (struct sockaddr *)&ss, &len) == 0)
		addr_from_sockaddr((struct sockaddr *)&ss, &s->peer);
	if (fstat(s->fd, &st) == 0)
		s->inode = (uint64_t)st.st_ino;
	touch(s);
}

struct sock *sock_open(struct socktab *t, const char *name, int family, int type)
{
	int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sock *s;

	if (fd < 0)
		return NULL;
	s = socktab_add(t, name, fd, family, type);
	if (s == NULL) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	sock_refresh(s);
	return s;
}

int sock_setopt(struct sock *s, const struct sockopt_desc *opt, int value)
{
	int r;

	if (opt->bit == SOPT_LINGER) {
		struct linger lg = { value >= 0, value >= 0 ? value : 0 };

		r = setsockopt(s->fd, opt->level, opt->optname, &lg, sizeof lg);
	} else if (opt->bit == SOPT_PORT_RANGE) {
		uint32_t v = (uint32_t)value;	/* hi << 16 | lo */

		r = setsockopt(s->fd, opt->level, opt->optname, &v, sizeof v);
	} else {
		r = setsockopt(s->fd, opt->level, opt->optname, &value, sizeof value);
	}
	if (r == 0)
		sock_refresh(s);
	return r;
}

int sock_bind(struct sock *s, const struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_to_sockaddr(ep, &ss);

	if (bind(s->fd, (struct sockaddr *)&ss, len) < 0)
		return -1;
	s->state = SOCK_BOUND;
	sock_refresh(s);
	return 0;
}

int sock_listen(struct sock *s, int backlog)
{
	if (listen(s->fd, backlog) < 0)
		return -1;
	s->state = SOCK_LISTENING;
	s->was_listening = true;
	sock_refresh(s);
	slot_place(s, false);
	return 0;
}

int sock_connect_start(struct sock *s, const struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_to_sockaddr(ep, &ss);

	if (connect(s->fd, (struct sockaddr *)&ss, len) < 0) {
		if (errno != EINPROGRESS)
			return -1;
		s->state = SOCK_CONNECTING;
		s->peer = *ep;
		sock_refresh(s);	/* the kernel already chose the local port */
		return 1;
	}
	s->state = SOCK_CONNECTED;
	sock_refresh(s);
	return 0;
}

int sock_disconnect(struct sock *s)
{
	struct sockaddr unspec;

	memset(&unspec, 0, sizeof unspec);
	unspec.sa_family = AF_UNSPEC;
	if (connect(s->fd, &unspec, sizeof unspec) < 0)
		return -1;
	struct endpoint was = s->local, was_peer = s->peer;

	memset(&s->peer, 0, sizeof s->peer);
	memset(&s->local, 0, sizeof s->local);
	s->state = SOCK_CREATED;
	refresh(s);	/* what the kernel kept: a UDP socket keeps a port it was bound to */
	slot_follow(s, &was, &was_peer);
	if (s->local.family)
		s->state = SOCK_BOUND;
	return 0;
}

int sock_connect_finish(struct sock *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -1;
	if (err == 0) {
		/*
		 * Complete it the way a non-blocking program must: connect()
		 * again.  Until then the kernel keeps the socket "connecting",
		 * and the student's next connect() would return 0 instead of
		 * EISCONN, unlike any blocking program.
		 */
		sl = addr_to_sockaddr(&s->peer, &ss);
		if (connect(s->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EISCONN)
			err = errno;
	}
	if (err != 0) {
		/* a failed connect leaves the socket usable only for close() */
		s->state = s->local.family ? SOCK_BOUND : SOCK_CREATED;
		memset(&s->peer, 0, sizeof s->peer);
		touch(s);
		errno = err;
		return -1;
	}
	s->state = SOCK_CONNECTED;
	sock_refresh(s);
	return 0;
}

struct sock *sock_accept(struct socktab *t, struct sock *ls, const char *name)
{
	int fd = accept4(ls->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct sock *s;

	if (fd < 0)
		return NULL;
	s = socktab_add(t, name, fd, ls->family, ls->type);
	if (s == NULL) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	snprintf(s->parent, sizeof s->parent, "%s", ls->name);
	s->host = ls->host;	/* an accepted connection lives where its listener does */
	s->state = SOCK_CONNECTED;
	sock_refresh(s);
	return s;
}

/* A call met the peer's RST: remembered, for what a later recv of 0 means. */
static ssize_t note_reset(struct sock *s, ssize_t r)
{
	if (r < 0 && errno == ECONNRESET)
		s->was_reset = true;
	return r;
}

ssize_t sock_send(struct sock *s, const void *buf, size_t len)
{
	return note_reset(s, send(s->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT));
}

ssize_t sock_sendto(struct sock *s, const struct endpoint *to, const void *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(to, &ss);
	ssize_t r = sendto(s->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT,
			   (struct sockaddr *)&ss, sl);

	if (r >= 0 && (s->local.family == 0 || s->local.port == 0))
		sock_refresh(s);	/* sendto on a UDP socket with no port binds it */
	return r;
}

ssize_t sock_recv(struct sock *s, void *buf, size_t len, struct endpoint *from)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	ssize_t r;

	memset(&ss, 0, sizeof ss);
	r = note_reset(s, recvfrom(s->fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&ss, &sl));
	if (from) {
		memset(from, 0, sizeof *from);
		if (r >= 0 && sl > 0)
			addr_from_sockaddr((struct sockaddr *)&ss, from);
	}
	return r;
}

/* The kernel's state of s's connection (TCP_ESTABLISHED ...), or -1. */
static int tcp_state(const struct sock *s)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	if (s->fd < 0 || getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return -1;
	return ti.tcpi_state;
}

/*
 * A FIN from the peer leaves CLOSE_WAIT, LAST_ACK, CLOSING; once both FINs
 * are through, an open socket is CLOSE (its TIME_WAIT is a separate
 * entry), as it is after an RST.  Otherwise the 0 is our own SHUT_RD.
 */
enum sock_eof sock_eof_why(const struct sock *s)
{
	switch (tcp_state(s)) {
	case TCP_CLOSE_WAIT:
	case TCP_LAST_ACK:
	case TCP_CLOSING:
	case TCP_TIME_WAIT:
		return EOF_FIN;
	case TCP_CLOSE:
		return s->was_reset || !s->shut_wr ? EOF_RESET : EOF_FIN;
	default:
		return s->shut_rd ? EOF_SHUT_RD : EOF_FIN;
	}
}

int sock_shutdown(struct sock *s, int how)
{
	if (shutdown(s->fd, how) < 0)
		return -1;
	if (how == SHUT_RD || how == SHUT_RDWR)
		s->shut_rd = true;
	if (how == SHUT_WR || how == SHUT_RDWR)
		s->shut_wr = true;
	return 0;
}

/* What close() will do depends on the socket as it is: kept before it is gone. */
static void note_before_close(struct sock *s)
{
	sock_refresh(s);	/* keep the last truth: addresses and options */
	if (s->type == SOCK_STREAM) {
		/* what close() will do depends on it: the kernel's own answer, before it is gone */
		struct tcp_info ti;
		socklen_t len = sizeof ti;
		int unread = 0;

		if (getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0)
			s->state_at_close = ti.tcpi_state;
		if (ioctl(s->fd, FIONREAD, &unread) == 0)
			s->unread_at_close = unread;
	}
}

/* The socket is closed to the session (its descriptor closed, or given to a lingering close). */
static void mark_closed(struct sock *s)
{
	s->fd = -1;
	s->state = SOCK_CLOSED;
	s->closed_at = sock_now();
	if (s->table)
		changed(s->table);
}

int sock_close(struct sock *s)
{
	int r;

	note_before_close(s);
	r = close(s->fd);
	/* Linux releases the descriptor even when close reports an error */
	mark_closed(s);
	return r;
}

bool sock_lingers(const struct sock *s)
{
	return (s->opts & SOPT_LINGER) && s->linger > 0 && s->type == SOCK_STREAM;
}

/* A lingering close's thread: close(2) may block up to the linger time; then it says so on the pipe. */
struct lingering {
	int fd, pipe[2];
};

static void *lingering_close(void *arg)
{
	struct lingering *lg = arg;
	int r = close(lg->fd), e = r < 0 ? errno : 0;
	ssize_t w;

	do
		w = write(lg->pipe[1], &e, sizeof e);
	while (w < 0 && errno == EINTR);
	close(lg->pipe[1]);
	free(lg);
	return NULL;
}

int sock_close_background(struct sock *s)
{
	struct lingering *lg = malloc(sizeof *lg);
	pthread_attr_t at;
	pthread_t t;
	int done = -1;

	note_before_close(s);
	if (lg && pipe2(lg->pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
		lg->fd = s->fd;
		done = lg->pipe[0];
		pthread_attr_init(&at);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &at, lingering_close, lg) != 0) {
			close(lg->pipe[0]);
			close(lg->pipe[1]);
			done = -1;
		} else {
			lg = NULL;	/* the thread's now */
		}
		pthread_attr_destroy(&at);
	}
	if (done < 0)
		close(s->fd);	/* no thread: it blocks here, as close(2) would anyway */
	free(lg);
	mark_closed(s);
	return done;
}

enum sock_event sock_poll_event(struct sock *s, long *bytes)
{
	char c;
	int n = 0;
	ssize_t r;

	*bytes = 0;
	if (s->fd < 0)
		return SEV_NONE;
	if (s->state == SOCK_CONNECTING) {
		if (sock_connect_finish(s) < 0) {
			*bytes = errno;
			return SEV_CONNECT_FAILED;
		}
		return SEV_CONNECTED;
	}
	if (s->state == SOCK_LISTENING)
		return SEV_CONNECTION;
	{
		/*
		 * A pending error (an RST) must not be consumed here: recv, even
		 * with MSG_PEEK, takes it, and the student's own recv would then
		 * read 0 instead of ECONNRESET.  poll sees it without taking it.
		 */
		struct pollfd p = { s->fd, POLLIN, 0 };

		if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR)) {
			if (s->type != SOCK_STREAM)
				return SEV_NONE;
			s->was_reset = true;
			return SEV_RESET;
		}
	}
	r = recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (r > 0) {
		if (ioctl(s->fd, FIONREAD, &n) == 0)
			*bytes = n;
		return SEV_DATA;
	}
	if (r == 0 && s->type == SOCK_STREAM) {
		/* a 0 after an RST (its error already taken) or after our own SHUT_RD is no FIN */
		switch (sock_eof_why(s)) {
		case EOF_FIN:
			return SEV_EOF;
		case EOF_RESET:
			if (!s->was_reset) {
				s->was_reset = true;
				return SEV_RESET;
			}
			return SEV_NONE;
		case EOF_SHUT_RD:
			return SEV_NONE;
		}
	}
	if (r == 0)
		return SEV_DATA;	/* an empty datagram */
	if (errno == ECONNRESET) {
		s->was_reset = true;
		return SEV_RESET;
	}
	return SEV_NONE;
}

const char *sock_state_name(enum sock_state st)
{
	switch (st) {
	case SOCK_CREATED: return N_("created");
	case SOCK_BOUND: return N_("bound");
	case SOCK_LISTENING: return N_("listening");
	case SOCK_CONNECTING: return N_("connecting");
	case SOCK_CONNECTED: return N_("connected");
	case SOCK_CLOSED: return N_("closed");
	}
	return "?";
}

char *sock_opts_format(const struct sock *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct sockopt_desc *o = sock_opts; o->name; o++) {
		if (!(s->opts & o->bit))
			continue;
		if (o->bit == SOPT_LINGER)
			used += (size_t)snprintf(buf + used, len - used, "%slinger=%d",
						 used ? "," : "", s->linger);
		else if (o->bit == SOPT_PORT_RANGE)
			used += (size_t)snprintf(buf + used, len - used, "%srange=%u-%u",
						 used ? "," : "", s->port_lo, s->port_hi);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "," : "", o->name);
		if (used >= len) {
			buf[len - 1] = '\0';
			break;
		}
	}
	return buf;
}

const char *sock_proto_name(const struct sock *s)
{
	if (s->type == SOCK_STREAM)
		return s->family == AF_INET6 ? "tcp6" : "tcp";
	return s->family == AF_INET6 ? "udp6" : "udp";
}

bool sock_holds(const struct sock *s, const struct endpoint *ep)
{
	struct endpoint x = addr_unmap(&s->local), y = addr_unmap(ep);

	if (x.family == 0 || x.port != y.port)
		return false;
	if (addr_is_wildcard(&x))
		return x.family == y.family || (x.family == AF_INET6 && y.family == AF_INET &&
						!(s->opts & SOPT_V6ONLY));
	return addr_same_host(&x, &y);
}

bool socktab_serves(const struct socktab *t, int type, const struct endpoint *ep)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct sock *s = t->v[i];

		if (s->type == type && s->state != SOCK_CLOSED && sock_holds(s, ep) &&
		    (type == SOCK_DGRAM ? !(s->peer.family && s->peer.port) : s->state == SOCK_LISTENING))
			return true;
	}
	return false;
}

/* What s has queued: a UDP socket's receive memory, a listener's accept queue; -1 when unknown. */
static long rx_level(const struct sock *s)
{
	if (s->type == SOCK_DGRAM) {
		uint32_t mem[SK_MEMINFO_VARS];
		socklen_t len = sizeof mem;

		if (getsockopt(s->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) == 0 && len > SK_MEMINFO_RMEM_ALLOC * 4)
			return (long)mem[SK_MEMINFO_RMEM_ALLOC];
	} else {
		struct tcp_info ti;
		socklen_t len = sizeof ti;

		/* a listener's tcpi_unacked is its accept queue (tcp_get_info) */
		if (getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0)
			return (long)ti.tcpi_unacked;
	}
	return -1;
}

void socktab_rx_mark(struct socktab *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct sock *s = t->v[i];

		s->rx_got = false;
		s->rx_mark = s->rp_group && takes(s, s->type, s->local.port) ? rx_level(s) : -1;
	}
}

void socktab_rx_seen(struct socktab *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct sock *s = t->v[i];

		if (s->rx_mark >= 0 && s->fd >= 0)
			s->rx_got = rx_level(s) > s->rx_mark;
	}
}

bool sock_rx_recheck(struct sock *s)
{
	if (s->rx_mark >= 0 && s->fd >= 0 && !s->rx_got)
		s->rx_got = rx_level(s) > s->rx_mark;
	return s->rx_got;
}

void port_range_narrow(int *lo, int *hi, unsigned sk_lo, unsigned sk_hi)
{
	if (sk_lo && (int)sk_lo >= *lo && (int)sk_lo <= *hi)
		*lo = (int)sk_lo;
	if (sk_hi && (int)sk_hi >= *lo && (int)sk_hi <= *hi)
		*hi = (int)sk_hi;
}

void sock_port_range(const struct sock *s, int *lo, int *hi, bool *own)
{
	char v[64];
	int l = *lo = 32768, h = *hi = 60999;

	if (sysctl_read("net.ipv4.ip_local_port_range", v, sizeof v) == 0 && sscanf(v, "%d %d", &l, &h) == 2) {
		*lo = l;
		*hi = h;
	}
	if (s && (s->opts & SOPT_PORT_RANGE))
		port_range_narrow(lo, hi, s->port_lo, s->port_hi);
	if (own)
		*own = *lo != l || *hi != h;
}

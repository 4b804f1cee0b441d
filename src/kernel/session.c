/*
 * session: glue between the socket table, the kernel view and the loop.
 * Waiting is done by running the loop (nested ev_run, which libev allows)
 * with one io watcher and one timer that break it, so the screen's own
 * watchers (redraw, the kernel panel timer) keep going during a wait.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/session.h"
#include "kernel/sockdiag.h"
#include "kernel/sysctl.h"
#include "util/errname.h"
#include "util/i18n.h"

void session_init(struct session *s, struct ev_loop *loop)
{
	memset(s, 0, sizeof *s);
	s->loop = loop;
	s->sink = (struct sink){ NULL, NULL };
	s->connect_timeout = 3.0;
	socktab_init(&s->socks);
	procnet_init(&s->pn, NULL);
	hosts_init(&s->hosts);
	cable_init(&s->cable, loop);
	s->cable.tap = session_cable_tap;
	s->cable.tap_ctx = s;
}

void session_free(struct session *s)
{
	free(s->tw_seen);
	session_hosts_clear(s);
	session_wire_stop(s);
	socktab_free(&s->socks);
	netview_free(&s->nv);
	procnet_free(&s->pn);
}

struct waiter {
	ev_io io;
	ev_timer timer;
	int ready;
};

static void waiter_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct waiter *wt = (struct waiter *)((char *)w - offsetof(struct waiter, io));

	(void)revents;
	wt->ready = 1;
	ev_break(loop, EVBREAK_ONE);
}

static void waiter_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(loop, EVBREAK_ONE);
}

int session_wait_fd(struct session *s, int fd, int events, double timeout)
{
	struct waiter wt = { .ready = 0 };

	if (s->stopping)
		return 0;
	s->busy++;
	if (fd >= 0) {
		ev_io_init(&wt.io, waiter_io_cb, fd, events);
		ev_io_start(s->loop, &wt.io);
	}
	ev_timer_init(&wt.timer, waiter_timer_cb, timeout, 0.);
	ev_timer_start(s->loop, &wt.timer);
	ev_run(s->loop, 0);
	if (fd >= 0)
		ev_io_stop(s->loop, &wt.io);
	ev_timer_stop(s->loop, &wt.timer);
	s->busy--;
	return wt.ready;
}

int session_sleep(struct session *s, double seconds)
{
	double end = ev_time() + seconds;

	/*
	 * A nested ev_break from someone else's watcher must not cut the wait
	 * short; session_interrupt and session_stop must, and they say so in
	 * flags, because the nested ev_run clears libev's own break flag.
	 */
	while (ev_time() < end && !s->interrupted && !s->stopping)
		session_wait_fd(s, -1, 0, end - ev_time());
	return s->interrupted || s->stopping ? -1 : 0;
}

int session_close(struct session *s, struct sock *sk, bool *still)
{
	double until;
	int done, e = 0;

	*still = false;
	if (!sock_lingers(sk))
		return sock_close(sk);
	until = ev_time() + sk->linger + 1.0;
	if ((done = sock_close_background(sk)) < 0)
		return 0;
	while (!s->interrupted && !s->stopping && ev_time() < until)
		if (session_wait_fd(s, done, EV_READ, until - ev_time()))
			break;
	if (read(done, &e, sizeof e) != (ssize_t)sizeof e) {
		*still = true;	/* not done yet: it finishes in the background */
		e = 0;
	}
	close(done);
	errno = e;
	return e ? -1 : 0;
}

void session_interrupt(struct session *s)
{
	s->interrupted = true;
	if (s->busy)
		ev_break(s->loop, EVBREAK_ONE);
}

void session_stop(struct session *s)
{
	s->stopping = true;
	if (s->busy)
		ev_break(s->loop, EVBREAK_ONE);
}

#define AUTO_DIAG_COST 0.020	/* seconds: a /proc refresh slower than this switches */

int session_refresh_net(struct session *s)
{
	return session_refresh_net_mask(s, PN_ALL);
}

static int session_read_net(struct session *s, unsigned mask);

/* Each host's table after the sandbox's own, its entries marked with their host. */
static int read_hosts(struct session *s, unsigned mask)
{
	for (size_t h = 1; h <= s->hosts.n; h++) {
		size_t from = s->pn.n;
		int r;

		if (hosts_get(&s->hosts, (int)h)->nsfd < 0 || hosts_enter(&s->hosts, (int)h) < 0)
			continue;
		r = s->source == SRC_PROC ? procnet_read(&s->pn, mask | PN_APPEND)
					  : sockdiag_read(&s->pn, mask | PN_APPEND, 0);
		hosts_leave(&s->hosts);
		if (r < 0)
			return -1;
		for (size_t i = from; i < s->pn.n; i++)
			s->pn.v[i].host = (uint8_t)h;
	}
	return 0;
}

int session_refresh_net_mask(struct session *s, unsigned mask)
{
	int r;

	/* the sandbox's own table from the sandbox, wherever a why-line has entered */
	if (hosts_enter(&s->hosts, 0) < 0)
		return -1;
	r = session_read_net(s, mask);
	hosts_leave(&s->hosts);
	if (r < 0 || read_hosts(s, mask) < 0)
		return -1;
	return netview_build(&s->nv, &s->pn, &s->socks);
}

/* The sandbox's (or the machine's) own table, from the source asked for. */
static int session_read_net(struct session *s, unsigned mask)
{
	double t0;
	size_t tcp_n;

	s->nv_read_at = ev_time();
	if (s->source == SRC_DIAG || (s->source == SRC_AUTO && s->using_diag)) {
		if (sockdiag_read(&s->pn, mask, 0) == 0) {
			s->using_diag = true;
			return 0;
		}
		if (s->source == SRC_DIAG)
			return -1;	/* asked for it and it failed: say so */
		s->using_diag = false;
	}
	if (s->source == SRC_PROC)
		return procnet_read(&s->pn, mask) < 0 ? -1 : 0;
	/*
	 * auto: TCP from /proc, UDP from sock_diag (the kernel prints
	 * /proc/net/udp in time quadratic in the number of sockets).  A /proc
	 * read that got slow moves the next refresh to sock_diag: this one's
	 * entries are good, so nothing is read twice.
	 */
	t0 = ev_time();
	if (procnet_read(&s->pn, mask & PN_TCPS) < 0)
		return -1;
	if ((mask & PN_TCPS) && ev_time() - t0 > AUTO_DIAG_COST)
		s->using_diag = true;
	tcp_n = s->pn.n;
	if ((mask & PN_UDPS) && sockdiag_read(&s->pn, (mask & PN_UDPS) | PN_APPEND, 0) < 0) {
		s->pn.n = tcp_n;	/* what a failed dump added is not to be trusted */
		if (procnet_read(&s->pn, (mask & PN_UDPS) | PN_APPEND) < 0)
			return -1;
	}
	return 0;
}

int session_port_gauge(struct session *s, struct port_gauge *g)
{
	/* one bit per port: which are used at all, which by anything but TIME_WAIT */
	static unsigned char any[65536 / 8], live[65536 / 8];
	char range[64];

	memset(g, 0, sizeof *g);
	if (sysctl_read("net.ipv4.ip_local_port_range", range, sizeof range) < 0 ||
	    sscanf(range, "%d %d", &g->lo, &g->hi) != 2)
		return -1;
	memset(any, 0, sizeof any);
	memset(live, 0, sizeof live);
	for (size_t i = 0; i < s->pn.n; i++) {
		const struct pn_entry *e = &s->pn.v[i];
		unsigned p = e->local.port;

		if (e->proto != IPPROTO_TCP || (int)p < g->lo || (int)p > g->hi)
			continue;
		any[p / 8] |= (unsigned char)(1u << (p % 8));
		if (e->state != PN_TIME_WAIT)
			live[p / 8] |= (unsigned char)(1u << (p % 8));
	}
	for (int p = g->lo; p <= g->hi; p++) {
		if (any[p / 8] & (1u << (p % 8))) {
			g->used++;
			if (!(live[p / 8] & (1u << (p % 8))))
				g->timewait++;
		}
	}
	return 0;
}

/* The line an event is told with ("" for SEV_NONE). */
static void event_text(enum sock_event ev, const char *name, long n, char *line, size_t len)
{
	switch (ev) {
	case SEV_CONNECTION:
		snprintf(line, len, _("a connection is waiting on %s (accept %s)"), name, name);
		return;
	case SEV_DATA:
		snprintf(line, len, ngettext("%ld byte waiting on %s (recv %s)", "%ld bytes waiting on %s (recv %s)",
					     (unsigned long)n), n, name, name);
		return;
	case SEV_EOF:
		snprintf(line, len, _("the peer closed %s's connection (FIN): recv returns 0; close %s to finish"),
			 name, name);
		return;
	case SEV_RESET:
		snprintf(line, len, _("the peer reset %s's connection (RST)"), name);
		return;
	case SEV_CONNECTED:
		snprintf(line, len, "connect(%s) completed = 0", name);
		return;
	case SEV_CONNECT_FAILED:
		snprintf(line, len, "connect(%s) failed = -1 %s", name, errname((int)n));
		return;
	case SEV_NONE:
		break;
	}
	line[0] = '\0';
}

/* News between commands: the runner's sink takes it to the front end and the transcript. */
static void tell_event(struct session *s, const char *line)
{
	sink_printf(&s->sink, SINK_EVENT, "%s", line);
}

/* The socket of the table with this serial (creation order is table order), or NULL. */
static const struct sock *sock_by_serial(const struct socktab *t, unsigned serial)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid]->serial < serial)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->v[lo]->serial == serial ? t->v[lo] : NULL;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

void session_note_timewait_ends(struct session *s)
{
	unsigned *now = malloc((s->nv.n ? s->nv.n : 1) * sizeof *now);
	size_t n = 0, j = 0;
	char line[200], a[ADDR_STRLEN];

	if (now == NULL)
		return;
	for (size_t i = 0; i < s->nv.n; i++) {
		const struct netrow *r = &s->nv.rows[i];

		if (r->own && r->was && r->e && r->e->state == PN_TIME_WAIT)
			now[n++] = r->own->serial;
	}
	qsort(now, n, sizeof *now, cmp_unsigned);
	/* both sorted: what was there last time and is not now has ended */
	for (size_t i = 0; i < s->ntw_seen; i++) {
		const struct sock *gone;

		while (j < n && now[j] < s->tw_seen[i])
			j++;
		if (j < n && now[j] == s->tw_seen[i])
			continue;
		if ((gone = sock_by_serial(&s->socks, s->tw_seen[i])) == NULL)
			continue;	/* forgotten by a reset */
		snprintf(line, sizeof line, _("the TIME_WAIT of was %s on %s ended: the port is free "
			 "again, SO_REUSEADDR or not"), gone->name, addr_format(&gone->local, a, sizeof a));
		tell_event(s, line);
	}
	free(s->tw_seen);
	s->tw_seen = now;
	s->ntw_seen = n;
}

enum sock_event session_watch_event(struct session *s, const char *name, int told)
{
	struct sock *sk = socktab_find(&s->socks, name);
	enum sock_event ev;
	char line[200];
	long n;

	if (sk == NULL)
		return SEV_NONE;
	ev = sock_poll_event(sk, &n);	/* may finish a connect: the state changes here */
	if (ev == SEV_NONE || ((int)ev == told && ev != SEV_DATA))
		return ev;
	event_text(ev, sk->name, n, line, sizeof line);
	tell_event(s, line);
	return ev;
}


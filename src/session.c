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
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "session.h"
#include "sockdiag.h"
#include "sysctl.h"

void session_init(struct session *s, struct ev_loop *loop, struct sink sink)
{
	memset(s, 0, sizeof *s);
	s->loop = loop;
	s->sink = sink;
	s->connect_timeout = 3.0;
	s->transcript_fd = -1;
	socktab_init(&s->socks);
	procnet_init(&s->pn, NULL);
}

void session_free(struct session *s)
{
	for (size_t i = 0; i < s->nrecords; i++) {
		free(s->records[i].line);
		free(s->records[i].output);
		free(s->records[i].context);
	}
	free(s->records);
	free(s->context);
	if (s->transcript_fd >= 0)
		close(s->transcript_fd);
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

void session_sleep(struct session *s, double seconds)
{
	double end = ev_time() + seconds;

	/* a nested ev_break from someone else's watcher must not cut the wait short */
	while (ev_time() < end)
		session_wait_fd(s, -1, 0, end - ev_time());
}

#define AUTO_DIAG_COST 0.020	/* seconds: a /proc refresh slower than this switches */

int session_refresh_net(struct session *s)
{
	bool diag = s->source == SRC_DIAG || (s->source == SRC_AUTO && s->using_diag);

	if (diag && sockdiag_read(&s->pn, PN_ALL, 0) == 0) {
		s->using_diag = true;
	} else {
		double t0 = ev_time();

		if (s->source == SRC_DIAG)
			return -1;	/* asked for it and it failed: say so */
		s->using_diag = false;
		if (procnet_read(&s->pn, PN_ALL) < 0)
			return -1;
		/* /proc prints every socket as text; past a size, netlink is far cheaper */
		if (s->source == SRC_AUTO && ev_time() - t0 > AUTO_DIAG_COST &&
		    sockdiag_read(&s->pn, PN_ALL, 0) == 0)
			s->using_diag = true;
	}
	return netview_build(&s->nv, &s->pn, &s->socks);
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

/* write(2) all of it; a transcript must not lose lines to a short write */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		len -= (size_t)w;
	}
}

int session_transcript_open(struct session *s, const char *path)
{
	char head[160];
	time_t now = time(NULL);
	struct tm tm;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	if (s->transcript_fd >= 0)
		close(s->transcript_fd);
	s->transcript_fd = fd;
	localtime_r(&now, &tm);
	strftime(head, sizeof head, "# sockplay transcript, %Y-%m-%d %H:%M:%S\n"
		 "# replay it with: sockplay --batch FILE\n", &tm);
	write_all(fd, head, strlen(head));
	return 0;
}

void session_set_context(struct session *s, const char *context)
{
	free(s->context);
	s->context = context ? strdup(context) : NULL;
}

void session_record(struct session *s, const char *line, const char *replay, long ret, int err,
		    const char *output)
{
	struct record *r;

	if (s->nrecords == s->caprecords) {
		size_t cap = s->caprecords ? s->caprecords * 2 : 64;
		struct record *v = realloc(s->records, cap * sizeof *v);

		if (v == NULL)
			return;
		s->records = v;
		s->caprecords = cap;
	}
	r = &s->records[s->nrecords];
	r->line = strdup(line);
	r->output = strdup(output ? output : "");
	r->context = s->context ? strdup(s->context) : NULL;
	r->ret = ret;
	r->err = err;
	if (r->line == NULL || r->output == NULL) {
		free(r->line);
		free(r->output);
		free(r->context);
		return;
	}
	s->nrecords++;
	if (s->transcript_fd >= 0) {
		const struct record *prev = s->nrecords > 1 ? &s->records[s->nrecords - 2] : NULL;
		bool new_context = r->context && (!prev || !prev->context ||
						  strcmp(prev->context, r->context) != 0);
		size_t cap = strlen(line) + strlen(r->output) * 2 + 128 +
			     (r->context ? strlen(r->context) : 0);
		char *buf = malloc(cap), *o;
		size_t n = 0;

		if (buf == NULL)
			return;
		if (new_context)
			n = (size_t)snprintf(buf, cap, "\n# == %s\n", r->context);
		/* the line, with what happened as its expectation when it had none */
		if (replay)
			n += (size_t)snprintf(buf + n, cap - n, "%s => %s\n", line, replay);
		else
			n += (size_t)snprintf(buf + n, cap - n, "%s\n", line);
		for (const char *p = r->output; *p; p = *o ? o + 1 : o) {
			o = strchr(p, '\n');
			if (o == NULL)
				o = (char *)p + strlen(p);
			n += (size_t)snprintf(buf + n, cap - n, "#%s%.*s\n", *p == ' ' ? "" : " ",
					      (int)(o - p), p);
		}
		write_all(s->transcript_fd, buf, n);
		free(buf);
	}
}

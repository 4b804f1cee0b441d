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

#include "cmd.h"
#include "errname.h"
#include "errname.h"
#include "grow.h"
#include "session.h"
#include "sockdiag.h"
#include "sysctl.h"
#include "i18n.h"

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
	session_transcript_close(s);
	for (size_t i = 0; i < s->nrecords; i++) {
		free(s->records[i].argv);
		free(s->records[i].line);
		free(s->records[i].output);
		free(s->records[i].context);
	}
	free(s->records);
	free(s->context);
	free(s->tw_seen);
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

int session_refresh_net_mask(struct session *s, unsigned mask)
{
	double t0;
	size_t tcp_n;

	s->nv_read_at = ev_time();
	if (s->source == SRC_DIAG || (s->source == SRC_AUTO && s->using_diag)) {
		if (sockdiag_read(&s->pn, mask, 0) == 0) {
			s->using_diag = true;
			return netview_build(&s->nv, &s->pn, &s->socks);
		}
		if (s->source == SRC_DIAG)
			return -1;	/* asked for it and it failed: say so */
		s->using_diag = false;
	}
	if (s->source == SRC_PROC)
		return procnet_read(&s->pn, mask) < 0 ? -1 : netview_build(&s->nv, &s->pn, &s->socks);
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
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

static void transcript_write(struct session *s, const char *buf, size_t len)
{
	if (s->transcript_fd < 0 || s->transcript_failed)
		return;
	if (write_all(s->transcript_fd, buf, len) == 0)
		return;
	s->transcript_failed = true;
	snprintf(s->transcript_error, sizeof s->transcript_error,
		 _("the transcript could not be written (%s): it stops here"),
		 strerror(errno ? errno : EIO));
	sink_printf(&s->sink, SINK_INFO, "%s", s->transcript_error);
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

/* A line between commands: to the sink as an event, to the transcript as a comment. */
static void tell_event(struct session *s, const char *line)
{
	char comment[300];

	sink_printf(&s->sink, SINK_EVENT, "%s", line);
	snprintf(comment, sizeof comment, "%s%s", sink_prefix(SINK_EVENT), line);
	session_transcript_comment(s, comment);
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

void session_transcript_comment(struct session *s, const char *text)
{
	char line[300];
	int len = snprintf(line, sizeof line, "# %s\n", text);

	transcript_write(s, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
}

static void transcript_head(struct session *s)
{
	char head[160];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(head, sizeof head, "# sockplay transcript, %Y-%m-%d %H:%M:%S\n"
		 "# replay it with: sockplay --batch FILE\n", &tm);
	transcript_write(s, head, strlen(head));
}

static int transcript_attach(struct session *s, int fd)
{
	if (fd < 0)
		return -1;
	session_transcript_close(s);
	s->transcript_fd = fd;
	s->transcript_failed = false;
	s->transcript_error[0] = '\0';
	transcript_head(s);
	return 0;
}

int session_transcript_open(struct session *s, const char *path)
{
	return transcript_attach(s, open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
}

int session_transcript_create(struct session *s, const char *path)
{
	return transcript_attach(s, open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					 O_APPEND | O_CLOEXEC, 0600));
}

int session_transcript_close(struct session *s)
{
	int r = 0;

	if (s->transcript_fd < 0)
		return 0;
	/* a regular file must reach the disk; a pipe or a terminal cannot be synced */
	if (!s->transcript_failed && fsync(s->transcript_fd) < 0 && errno != EINVAL &&
	    errno != EROFS) {
		s->transcript_failed = true;
		snprintf(s->transcript_error, sizeof s->transcript_error,
			 "the transcript could not be saved (%s)", strerror(errno));
	}
	if (close(s->transcript_fd) < 0 && !s->transcript_failed) {
		s->transcript_failed = true;
		snprintf(s->transcript_error, sizeof s->transcript_error,
			 "the transcript could not be saved (%s)", strerror(errno));
	}
	s->transcript_fd = -1;
	if (s->transcript_failed)
		r = -1;
	return r;
}

void session_set_context(struct session *s, const char *context)
{
	free(s->context);
	s->context = context ? strdup(context) : NULL;
}

/* A copy of argv in one allocation: the pointers, then the strings. */
static char **argv_copy(const struct cmd_line *cl)
{
	size_t bytes = (size_t)(cl->argc + 1) * sizeof(char *);
	char **v, *p;

	for (int i = 0; i < cl->argc; i++)
		bytes += strlen(cl->argv[i]) + 1;
	v = malloc(bytes);
	if (v == NULL)
		return NULL;
	p = (char *)(v + cl->argc + 1);
	for (int i = 0; i < cl->argc; i++) {
		size_t n = strlen(cl->argv[i]) + 1;

		memcpy(p, cl->argv[i], n);
		v[i] = p;
		p += n;
	}
	v[cl->argc] = NULL;
	return v;
}

/* The record as the transcript keeps it: the line, then its output as comments. */
static void transcript_record(struct session *s, const struct record *r, const char *replay)
{
	const struct record *prev = s->nrecords > 1 ? &s->records[s->nrecords - 2] : NULL;
	bool new_context = r->context && (!prev || !prev->context ||
					  strcmp(prev->context, r->context) != 0);
	size_t cap = strlen(r->line) + strlen(r->output) * 2 + 128 +
		     (r->context ? strlen(r->context) : 0);
	char *buf = malloc(cap), *o;
	size_t n = 0;

	if (buf == NULL)
		return;
	if (new_context)
		n = (size_t)snprintf(buf, cap, "\n# == %s\n", r->context);
	/* the line, with what happened as its expectation when it had none */
	if (replay)
		n += (size_t)snprintf(buf + n, cap - n, "%s => %s\n", r->line, replay);
	else
		n += (size_t)snprintf(buf + n, cap - n, "%s\n", r->line);
	for (const char *p = r->output; *p; p = *o ? o + 1 : o) {
		o = strchr(p, '\n');
		if (o == NULL)
			o = (char *)p + strlen(p);
		n += (size_t)snprintf(buf + n, cap - n, "#%s%.*s\n", *p == ' ' ? "" : " ",
				      (int)(o - p), p);
	}
	transcript_write(s, buf, n);
	free(buf);
}

/*
 * Once the transcript has it all, a record keeps SESSION_OUTPUT_KEEP bytes
 * of its output (export needs the call and why-lines): a session's memory
 * does not grow with every table it prints.
 */
static void record_bound_output(struct record *r)
{
	size_t len = strlen(r->output), cut, lines = 0;
	char *shrunk;

	if (len <= SESSION_OUTPUT_KEEP)
		return;
	for (cut = SESSION_OUTPUT_KEEP; cut > 0 && r->output[cut - 1] != '\n'; cut--)
		;
	for (const char *p = r->output + cut; *p; p++)
		lines += *p == '\n';
	shrunk = malloc(cut + 64);
	if (shrunk == NULL)
		return;
	snprintf(shrunk, cut + 64, "%.*s  (%zu more lines: in the transcript)\n", (int)cut, r->output,
		 lines + 1);
	free(r->output);
	r->output = shrunk;
}

void session_transcript_line(struct session *s, const struct cmd_line *cl)
{
	size_t need = cmd_line_text(cl, NULL, 0) + 2;
	char *line = malloc(need);

	if (line == NULL)
		return;
	cmd_line_text(cl, line, need);
	line[need - 2] = '\n';
	line[need - 1] = '\0';
	transcript_write(s, line, need - 1);
	free(line);
}

void session_transcript_output(struct session *s, enum sink_kind kind, const char *text)
{
	char line[1200];
	const char *pre = sink_prefix(kind);
	int n;

	if (s->transcript_fd < 0 || s->transcript_failed)
		return;	/* nothing to write to: no formatting either (50,000 rows of net) */
	n = snprintf(line, sizeof line, "#%s%s%s\n", *pre == ' ' || (!*pre && *text == ' ') ? "" : " ",
		     pre, text);
	transcript_write(s, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

void session_record(struct session *s, const struct cmd_line *cl, const struct outcome *o,
		    const struct record_sock *rs, const char *created, const char *output,
		    bool streamed)
{
	struct record *r;
	const char *replay = NULL;
	char count[24] = "";
	size_t need;

	if (!GROW(s->records, s->nrecords, s->caprecords, 64))
		return;
	r = &s->records[s->nrecords];
	memset(r, 0, sizeof *r);
	need = cmd_line_text(cl, NULL, 0) + 1;
	r->line = malloc(need);
	if (r->line)
		cmd_line_text(cl, r->line, need);
	r->argv = argv_copy(cl);
	r->output = strdup(output ? output : "");
	r->context = s->context ? strdup(s->context) : NULL;
	if (r->line == NULL || r->output == NULL || r->argv == NULL) {
		free(r->line);
		free(r->output);
		free(r->context);
		free(r->argv);
		return;
	}
	r->cmd = cl->cmd;
	r->argc = cl->argc;
	r->ret = o->ret;
	r->err = o->err;
	r->sock = *rs;
	r->addr = o->addr;
	snprintf(r->created, sizeof r->created, "%s", created);
	r->serial = s->serial;
	r->started = s->call_started;
	s->nrecords++;
	/* a replayed transcript checks the kernel still answers the same */
	if ((cl->cmd->flags & CMDF_REPLAY) && cl->expect.kind == EXPECT_NONE) {
		/* a send replays the number of bytes it sent: the same bytes, the same count */
		if (!o->err && (cl->cmd->flags & CMDF_COUNT))
			snprintf(count, sizeof count, "%ld", o->ret);
		replay = o->err ? errname(o->err) : count[0] ? count : "ok";
	}
	if (!streamed)
		transcript_record(s, r, replay);
	record_bound_output(r);
}

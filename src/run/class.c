/*
 * class: the class session's two ends (see class.h): the room the
 * teacher's instance serves, and the seat a student's joins with.  Both
 * speak the same lines; neither runs anything the other sends.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "run/class.h"
#include "run/grade.h"
#include "util/fdio.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/xdg.h"

struct class_conn {
	struct class_room *cr;
	int fd;
	ev_io io, wio;
	char in[CLASS_LINE_MAX];
	size_t nin;
	char out[CLASS_OUT_MAX];
	size_t nout;
	long seat;		/* -1 until HELLO */
	double since;		/* accepted at */
	double tokens, refill;	/* the flood bucket: lines it may still send, when it was last filled */
};

/* --- addresses ------------------------------------------------------------ */

/* where as a socket address: a path (with a '/'), HOST:PORT or [V6]:PORT.  0, or -1 with err. */
static int where_parse(const char *where, struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errlen)
{
	char host[160];
	const char *colon, *h = where;
	size_t hl;
	struct addrinfo hints, *ai = NULL;
	char *end;
	long port;

	memset(ss, 0, sizeof *ss);
	if (strchr(where, '/')) {
		struct sockaddr_un *un = (struct sockaddr_un *)ss;

		if (strlen(where) >= sizeof un->sun_path) {
			snprintf(err, errlen, _("%s: a socket path of at most %zu bytes"), where, sizeof un->sun_path - 1);
			return -1;
		}
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, where);
		*len = sizeof *un;
		return 0;
	}
	colon = strrchr(where, ':');
	if (colon == NULL || colon == where) {
		snprintf(err, errlen, _("%s: give HOST:PORT, [IPV6]:PORT or a socket path"), where);
		return -1;
	}
	hl = (size_t)(colon - where);
	if (where[0] == '[' && colon[-1] == ']') {
		h++;
		hl -= 2;
	}
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 1 || port > 65535 || hl >= sizeof host) {
		snprintf(err, errlen, _("%s: a port from 1 to 65535 after the ':'"), where);
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || ai == NULL) {
		snprintf(err, errlen, _("%s: '%s' is not a numeric IPv4 or IPv6 address"), where, host);
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* n random characters of an alphabet that reads aloud (no 0/O, 1/I/L). */
static void random_text(char *buf, size_t n, const char *alphabet)
{
	unsigned char r[32];
	size_t k = strlen(alphabet);

	if (n > sizeof r)
		n = sizeof r;
	if (getrandom(r, n, 0) != (ssize_t)n)
		for (size_t i = 0; i < n; i++)
			r[i] = (unsigned char)(rand() ^ (int)(now() * 1e6));
	for (size_t i = 0; i < n; i++)
		buf[i] = alphabet[r[i] % k];
	buf[n] = '\0';
}

/* --- the room ---------------------------------------------------------------- */

long class_pred_at(const struct lesson *l, size_t step, size_t item)
{
	long q = 0;

	for (size_t s = 0; s < l->nsteps; s++)
		for (size_t i = 0; i < l->steps[s].n; i++)
			if (l->steps[s].items[i].question) {
				if (s == step && i == item)
					return q;
				q++;
			}
	return -1;
}

/*
 * What students pass to --join: where itself, but for a wildcard (0.0.0.0,
 * [::]) this machine's first address on a network, which a room can reach
 * (read before the sandbox, where only loopback would be seen).
 */
static void join_address(struct class_room *cr, const char *where, const struct sockaddr_storage *ss)
{
	struct ifaddrs *ifs, *i;
	char host[INET_ADDRSTRLEN];
	bool any = (ss->ss_family == AF_INET && ((const struct sockaddr_in *)ss)->sin_addr.s_addr == htonl(INADDR_ANY)) ||
		   (ss->ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)ss)->sin6_addr));

	snprintf(cr->where, sizeof cr->where, "%s", where);
	if (!any || getifaddrs(&ifs) < 0)
		return;
	for (i = ifs; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET && (i->ifa_flags & IFF_UP) &&
		    !(i->ifa_flags & IFF_LOOPBACK) &&
		    inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, host, sizeof host)) {
			snprintf(cr->where, sizeof cr->where, "%s%s", host, strrchr(where, ':'));
			break;
		}
	freeifaddrs(ifs);
}

size_t class_pred_count(const struct lesson *l)
{
	size_t n = 0;

	for (size_t s = 0; s < l->nsteps; s++)
		for (size_t i = 0; i < l->steps[s].n; i++)
			n += l->steps[s].items[i].question != NULL;
	return n;
}

int class_room_open(struct class_room *cr, const char *where, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	memset(cr, 0, sizeof *cr);
	cr->lfd = -1;
	cr->cur = -1;
	if (where_parse(where, &ss, &len, err, errlen) < 0)
		return -1;
	cr->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (cr->lfd < 0) {
		snprintf(err, errlen, "%s: %s", where, strerror(errno));
		return -1;
	}
	if (ss.ss_family != AF_UNIX)
		setsockopt(cr->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);	/* a class restarted at once */
	if (bind(cr->lfd, (struct sockaddr *)&ss, len) < 0 || listen(cr->lfd, 64) < 0) {
		snprintf(err, errlen, "%s: %s", where, strerror(errno));
		close(cr->lfd);
		cr->lfd = -1;
		return -1;
	}
	if (ss.ss_family == AF_UNIX) {
		snprintf(cr->path, sizeof cr->path, "%s", where);
		chmod(where, 0666);	/* students are other users on the lab's server */
	}
	join_address(cr, where, &ss);
	random_text(cr->code, 6, "ABCDEFGHJKMNPQRSTUVWXYZ23456789");
	return 0;
}

static void conn_drop(struct class_conn *c);

static void notify(struct class_room *cr)
{
	if (cr->changed)
		cr->changed(cr->ctx);
}

static void conn_flush(struct class_conn *c)
{
	while (c->nout) {
		ssize_t w = send(c->fd, c->out, c->nout, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w <= 0) {
			if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				ev_io_start(c->cr->loop, &c->wio);
				return;
			}
			c->nout = 0;
			return;	/* the read side sees the end */
		}
		memmove(c->out, c->out + w, c->nout - (size_t)w);
		c->nout -= (size_t)w;
	}
	ev_io_stop(c->cr->loop, &c->wio);
}

/* A line to one connection; one that cannot take it is cut off (false). */
static bool conn_say(struct class_conn *c, const char *fmt, ...)
{
	char line[CLASS_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line - 1)
		return true;
	line[n++] = '\n';
	if (c->nout + (size_t)n > sizeof c->out) {
		conn_drop(c);
		return false;
	}
	memcpy(c->out + c->nout, line, (size_t)n);
	c->nout += (size_t)n;
	conn_flush(c);
	return true;
}

static void conn_drop(struct class_conn *c)
{
	struct class_room *cr = c->cr;

	ev_io_stop(cr->loop, &c->io);
	ev_io_stop(cr->loop, &c->wio);
	close(c->fd);
	if (c->seat >= 0)
		cr->seats[c->seat].here = false;
	for (size_t i = 0; i < cr->nconns; i++)
		if (cr->conns[i] == c) {
			cr->conns[i] = cr->conns[--cr->nconns];
			break;
		}
	free(c);
	notify(cr);
}

/* Cut off a client that broke the rules: the refusal is all the screen hears of it.  false: c is gone. */
static bool refuse(struct class_conn *c, const char *reason)
{
	struct class_room *cr = c->cr;

	cr->refused++;
	/* the reason is ours, never the client's text; what it cannot take it does without */
	if (c->nout + strlen(reason) + 16 <= sizeof c->out)
		conn_say(c, "REFUSED %s", reason);
	/*
	 * What it sent and we did not read would make close() send RST, and an
	 * RST can take the REFUSED line with it: the FIN goes first, then what
	 * is waiting is read away (at most 64 KiB: the cost stays bounded).
	 */
	shutdown(c->fd, SHUT_WR);
	for (int k = 0; k < 64; k++) {
		char junk[1024];

		if (recv(c->fd, junk, sizeof junk, MSG_DONTWAIT) <= 0)
			break;
	}
	conn_drop(c);
	return false;
}

static void broadcast(struct class_room *cr, const char *fmt, long a, long b)
{
	/* a seat dropped while told leaves the list: walk it from the end */
	for (size_t i = cr->nconns; i-- > 0;)
		if (i < cr->nconns && cr->conns[i]->seat >= 0)
			conn_say(cr->conns[i], fmt, a, b);
}

/* What a seat that just came in must hear to be where the class is.  false: c is gone. */
static bool catch_up(struct class_room *cr, struct class_conn *c)
{
	struct class_seat *s = &cr->seats[c->seat];

	if (!conn_say(c, "WELCOME %d %ld %s", CLASS_PROTO, c->seat + 1, s->token) ||
	    !conn_say(c, "LESSON %s %zu %zu %s", cr->les->name, cr->les->nsteps, cr->npreds,
		      cr->les->seed[0] ? cr->les->seed : "-"))
		return false;
	if (cr->at_known && !conn_say(c, "AT %zu %zu", cr->at_step + 1, cr->at_item))
		return false;
	if (cr->cur >= 0 && !cr->preds[cr->cur].revealed) {
		long q = cr->cur;
		int round = cr->preds[q].round;

		if (!conn_say(c, "ASK %ld %d", q + 1, round))
			return false;
		for (int r = 1; r <= round; r++)
			if (s->ans[2 * q + r - 1] && !conn_say(c, "YOURS %ld %d %d", q + 1, r, s->ans[2 * q + r - 1]))
				return false;
	}
	return !cr->ended || conn_say(c, "END");
}

/* A name: printable UTF-8, no blank, 1..CLASS_NAME_MAX bytes. */
static bool name_ok(const char *name)
{
	size_t n = strlen(name), bad;

	if (n == 0 || n > CLASS_NAME_MAX || !utf8_text(name, n, false, &bad))
		return false;
	return strpbrk(name, " \t") == NULL;
}

/* A new seat for name: its index, or -1 (out of room or memory). */
static long seat_new(struct class_room *cr, const char *name)
{
	struct class_seat *s;

	if (cr->nseats >= CLASS_SEATS_MAX)
		return -1;
	s = realloc(cr->seats, (cr->nseats + 1) * sizeof *s);
	if (s == NULL)
		return -1;
	cr->seats = s;
	s = &cr->seats[cr->nseats];
	memset(s, 0, sizeof *s);
	s->ans = calloc(2 * cr->npreds + 1, 1);
	if (s->ans == NULL)
		return -1;
	snprintf(s->name, sizeof s->name, "%s", name);
	random_text(s->token, 16, "abcdefghijkmnpqrstuvwxyz23456789");
	return (long)cr->nseats++;
}

/* The connection that holds seat, closed: its token came back on another. */
static void drop_seat(struct class_room *cr, long seat)
{
	for (size_t i = 0; i < cr->nconns; i++)
		if (cr->conns[i]->seat == seat) {
			conn_drop(cr->conns[i]);
			return;
		}
}

/* HELLO 1 CODE NAME [TOKEN]: a seat, new or taken back.  false: c is gone. */
static bool hello(struct class_conn *c, char **w, int nw)
{
	struct class_room *cr = c->cr;
	long seat = -1;

	if (nw < 4 || nw > 5 || strcmp(w[0], "HELLO") != 0 || strcmp(w[1], "1") != 0)
		return refuse(c, strcmp(w[0], "HELLO") == 0 && nw >= 2 ? "version: this class speaks 1" : "not a HELLO");
	if (strcmp(w[2], cr->code) != 0)
		return refuse(c, "wrong code");
	if (!name_ok(w[3]))
		return refuse(c, "a name is printable, without blanks, at most 32 bytes");
	for (size_t i = 0; i < cr->nseats; i++)
		if (strcmp(cr->seats[i].name, w[3]) == 0)
			seat = (long)i;
	/* one seat cannot answer for another: a seat is taken back only with its token */
	if (seat >= 0 && (nw < 5 || strcmp(w[4], cr->seats[seat].token) != 0))
		return refuse(c, "that name has a seat: choose another");
	if (seat >= 0 && cr->seats[seat].here)
		drop_seat(cr, seat);	/* the old connection is dead and does not know it yet (a cable pulled) */
	if (seat < 0 && (seat = seat_new(cr, w[3])) < 0)
		return refuse(c, "the class is full");
	c->seat = seat;
	cr->seats[seat].here = true;
	notify(cr);
	return catch_up(cr, c);
}

/* ANSWER Q ROUND CHOICE from a seat: its own answer only.  false: c is gone. */
static bool answer(struct class_conn *c, char **w, int nw)
{
	struct class_room *cr = c->cr;
	char *end;
	long q, round, choice;
	struct class_pred *p;
	unsigned char *slot;

	if (nw != 4 || strcmp(w[0], "ANSWER") != 0)
		return refuse(c, strcmp(w[0], "HELLO") == 0 ? "already joined" : "not a line of the protocol");
	q = strtol(w[1], &end, 10) - 1;
	if (*end || q < 0 || (size_t)q >= cr->npreds)
		return refuse(c, "an answer out of range");
	round = strtol(w[2], &end, 10);
	if (*end || round < 1 || round > 2)
		return refuse(c, "an answer out of range");
	p = &cr->preds[q];
	choice = strtol(w[3], &end, 10);
	if (*end || choice < 1 || choice > p->it->nchoices || choice > 9)
		return refuse(c, "an answer out of range");
	if (q != cr->cur || round != p->round || p->revealed)
		return conn_say(c, "CLOSED %ld", q + 1);	/* a race with the teacher, not a fault */
	slot = &cr->seats[c->seat].ans[2 * q + round - 1];
	if (*slot)
		p->counts[round - 1][*slot]--;
	*slot = (unsigned char)choice;
	p->counts[round - 1][choice]++;
	if (cr->trace && cr->npending < sizeof cr->pending_arrival / sizeof cr->pending_arrival[0])
		cr->pending_arrival[cr->npending++] = now();
	notify(cr);
	return true;
}

/* One whole line from a client.  false: c is gone. */
static bool conn_line(struct class_conn *c, char *line)
{
	char *w[6], *save = NULL;
	int nw = 0;

	for (char *p = strtok_r(line, " ", &save); p && nw < 6; p = strtok_r(NULL, " ", &save))
		w[nw++] = p;
	if (nw == 0 || nw >= 6)
		return refuse(c, "not a line of the protocol");
	return c->seat < 0 ? hello(c, w, nw) : answer(c, w, nw);
}

/* The flood bucket: false (and cut off) when the client sends faster than a class answers. */
static bool within_rate(struct class_conn *c)
{
	double t = now();

	c->tokens += (t - c->refill) * CLASS_RATE;
	if (c->tokens > CLASS_BURST)
		c->tokens = CLASS_BURST;
	c->refill = t;
	if (c->tokens < 1)
		return refuse(c, "too many lines");
	c->tokens -= 1;
	return true;
}

static void conn_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct class_conn *c = w->data;
	char buf[1024];
	ssize_t n;

	(void)loop;
	(void)revents;
	n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_drop(c);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			c->in[c->nin] = '\0';
			if (c->nin && c->in[c->nin - 1] == '\r')
				c->in[c->nin - 1] = '\0';
			c->nin = 0;
			if (!within_rate(c) || !conn_line(c, c->in))
				return;	/* c is gone */
			continue;
		}
		if (buf[i] == '\0' || c->nin + 1 >= sizeof c->in) {
			refuse(c, buf[i] ? "a line too long" : "a NUL byte");
			return;
		}
		c->in[c->nin++] = buf[i];
	}
}

static void conn_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	conn_flush(w->data);
}

/* Connections that said nothing in time are cut off; the timer runs only while one waits. */
static void hello_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct class_room *cr = w->data;
	double t = now();
	bool waiting = false;

	(void)revents;
	for (size_t i = cr->nconns; i-- > 0;) {
		if (i >= cr->nconns || cr->conns[i]->seat >= 0)
			continue;
		if (t - cr->conns[i]->since >= CLASS_HELLO_SECS)
			refuse(cr->conns[i], "no HELLO in time");
		else
			waiting = true;
	}
	if (!waiting)
		ev_timer_stop(loop, w);
}

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct class_room *cr = w->data;

	(void)revents;
	for (int k = 0; k < 64; k++) {
		int fd = accept4(cr->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct class_conn *c;

		if (fd < 0)
			return;
		if (cr->nconns >= CLASS_CONNS_MAX || (c = calloc(1, sizeof *c)) == NULL) {
			cr->refused++;	/* full: closed unheard */
			close(fd);
			notify(cr);
			continue;
		}
		c->cr = cr;
		c->fd = fd;
		c->seat = -1;
		c->since = c->refill = now();
		c->tokens = CLASS_BURST;
		ev_io_init(&c->io, conn_read_cb, fd, EV_READ);
		ev_io_init(&c->wio, conn_write_cb, fd, EV_WRITE);
		c->io.data = c->wio.data = c;
		ev_io_start(loop, &c->io);
		cr->conns[cr->nconns++] = c;
		if (!ev_is_active(&cr->hello_timer)) {
			ev_timer_set(&cr->hello_timer, 1.0, 1.0);
			ev_timer_start(loop, &cr->hello_timer);
		}
	}
}

int class_room_start(struct class_room *cr, struct ev_loop *loop, const struct lesson *l, void (*changed)(void *),
		     void *ctx)
{
	const char *trace = getenv("SOCKPLAY_CLASS_TRACE");
	size_t q = 0;

	cr->loop = loop;
	cr->les = l;
	cr->changed = changed;
	cr->ctx = ctx;
	cr->npreds = class_pred_count(l);
	cr->preds = calloc(cr->npreds + 1, sizeof *cr->preds);
	cr->conns = calloc(CLASS_CONNS_MAX, sizeof *cr->conns);
	if (cr->preds == NULL || cr->conns == NULL)
		return -1;
	for (size_t s = 0; s < l->nsteps; s++)
		for (size_t i = 0; i < l->steps[s].n; i++)
			if (l->steps[s].items[i].question) {
				cr->preds[q].step = s;
				cr->preds[q].item = i;
				cr->preds[q++].it = &l->steps[s].items[i];
			}
	if (trace && *trace)
		cr->trace = fopen(trace, "we");
	ev_io_init(&cr->lio, accept_cb, cr->lfd, EV_READ);
	cr->lio.data = cr;
	ev_io_start(loop, &cr->lio);
	ev_timer_init(&cr->hello_timer, hello_timer_cb, 1.0, 1.0);
	cr->hello_timer.data = cr;
	return 0;
}

void class_room_close(struct class_room *cr)
{
	if (cr->loop) {
		cr->ended = true;
		broadcast(cr, "END", 0, 0);
		while (cr->nconns) {
			conn_flush(cr->conns[0]);
			cr->changed = NULL;
			conn_drop(cr->conns[0]);
		}
		ev_io_stop(cr->loop, &cr->lio);
		ev_timer_stop(cr->loop, &cr->hello_timer);
	}
	if (cr->lfd >= 0)
		close(cr->lfd);
	if (cr->path[0])
		unlink(cr->path);
	for (size_t i = 0; i < cr->nseats; i++)
		free(cr->seats[i].ans);
	free(cr->seats);
	free(cr->preds);
	free(cr->conns);
	if (cr->trace)
		fclose(cr->trace);
	memset(cr, 0, sizeof *cr);
	cr->lfd = -1;
}

void class_room_at(struct class_room *cr, size_t step, size_t item, bool asking)
{
	long q = asking ? class_pred_at(cr->les, step, item) : -1;

	if (!cr->at_known || step != cr->at_step || item != cr->at_item) {
		cr->at_known = true;
		cr->at_step = step;
		cr->at_item = item;
		broadcast(cr, "AT %ld %ld", (long)step + 1, (long)item);
	}
	if (q >= 0 && (q != cr->cur || cr->preds[q].revealed)) {
		struct class_pred *p = &cr->preds[q];

		/* asked again (the teacher went back, or restarted): a fresh vote */
		memset(p->counts, 0, sizeof p->counts);
		for (size_t i = 0; i < cr->nseats; i++)
			cr->seats[i].ans[2 * q] = cr->seats[i].ans[2 * q + 1] = 0;
		p->round = 1;
		p->revealed = false;
		cr->cur = q;
		broadcast(cr, "ASK %ld %ld", q + 1, 1);
		notify(cr);
	}
}

bool class_room_again(struct class_room *cr)
{
	struct class_pred *p;

	if (cr->cur < 0)
		return false;
	p = &cr->preds[cr->cur];
	if (p->revealed || p->round != 1)
		return false;
	p->round = 2;
	broadcast(cr, "ASK %ld %ld", cr->cur + 1, 2);
	notify(cr);
	return true;
}

int class_room_plurality(const struct class_room *cr)
{
	const struct class_pred *p;
	int best = 0;

	if (cr->cur < 0 || cr->preds[cr->cur].round < 1)
		return 0;
	p = &cr->preds[cr->cur];
	for (int c = 1; c <= 9; c++)
		if (p->counts[p->round - 1][c] > (best ? p->counts[p->round - 1][best] : 0))
			best = c;
	return best;
}

void class_room_reveal(struct class_room *cr, unsigned right_mask)
{
	struct class_pred *p;

	if (cr->cur < 0 || cr->preds[cr->cur].revealed)
		return;
	p = &cr->preds[cr->cur];
	p->revealed = true;
	p->right_mask = right_mask;
	broadcast(cr, "REVEAL %ld", cr->cur + 1, 0);
	notify(cr);
}

size_t class_room_here(const struct class_room *cr)
{
	size_t n = 0;

	for (size_t i = 0; i < cr->nseats; i++)
		n += cr->seats[i].here;
	return n;
}

size_t class_room_answered(const struct class_room *cr)
{
	size_t n = 0;
	int round;

	if (cr->cur < 0)
		return 0;
	round = cr->preds[cr->cur].round;
	for (size_t i = 0; i < cr->nseats && round; i++)
		n += cr->seats[i].ans[2 * cr->cur + round - 1] != 0;
	return n;
}

void class_room_right(const struct class_room *cr, size_t q, int round, size_t *right, size_t *given)
{
	*right = *given = 0;
	for (size_t i = 0; i < cr->nseats; i++) {
		int a = cr->seats[i].ans[2 * q + round - 1];

		if (a) {
			(*given)++;
			*right += (cr->preds[q].right_mask >> (a - 1)) & 1;
		}
	}
}

void class_room_drawn(struct class_room *cr)
{
	double t = now();

	for (size_t i = 0; i < cr->npending; i++)
		fprintf(cr->trace, "%.6f\n", t - cr->pending_arrival[i]);
	if (cr->npending)
		fflush(cr->trace);
	cr->npending = 0;
}

/* One answer as the results say it: the choice's words, "" when none. */
static const char *said(const struct class_pred *p, int a)
{
	return a ? litem_choice_text(p->it, a - 1) : "";
}

static const char *right_word(const struct class_pred *p, int a)
{
	if (!a || !p->revealed)
		return a ? "not revealed" : "";
	return (p->right_mask >> (a - 1)) & 1 ? "yes" : "no";
}

static void save_csv(FILE *f, const struct class_room *cr, const char *lang)
{
	char num[160];

	fputs("student,lesson,lang,step,line,question,round1,right1,round2,right2\n", f);
	for (size_t i = 0; i < cr->nseats; i++)
		for (size_t q = 0; q < cr->npreds; q++) {
			const struct class_pred *p = &cr->preds[q];
			const unsigned char *a = &cr->seats[i].ans[2 * q];

			grade_csv_cell(f, cr->seats[i].name, false);
			snprintf(num, sizeof num, "%d %s", cr->les->number, cr->les->name);
			grade_csv_cell(f, num, false);
			grade_csv_cell(f, lang, false);
			snprintf(num, sizeof num, "%zu", p->step + 1);
			grade_csv_cell(f, num, false);
			snprintf(num, sizeof num, "%u", p->it->qline);
			grade_csv_cell(f, num, false);
			grade_csv_cell(f, p->it->question, false);
			grade_csv_cell(f, said(p, a[0]), false);
			grade_csv_cell(f, right_word(p, a[0]), false);
			grade_csv_cell(f, said(p, a[1]), false);
			grade_csv_cell(f, right_word(p, a[1]), true);
		}
}

static void save_json(FILE *f, const struct class_room *cr, const char *lang)
{
	fprintf(f, "{\n  \"lesson\": { \"number\": %d, \"name\": ", cr->les->number);
	grade_json_str(f, cr->les->name);
	fputs(", \"lang\": ", f);
	grade_json_str(f, lang);
	fputs(" },\n  \"seed\": ", f);
	grade_json_str(f, cr->les->seed);
	fprintf(f, ",\n  \"refused\": %lu,\n  \"seats\": [", cr->refused);
	for (size_t i = 0; i < cr->nseats; i++) {
		fprintf(f, "%s\n    { \"student\": ", i ? "," : "");
		grade_json_str(f, cr->seats[i].name);
		fputs(", \"predictions\": [", f);
		for (size_t q = 0; q < cr->npreds; q++) {
			const struct class_pred *p = &cr->preds[q];
			const unsigned char *a = &cr->seats[i].ans[2 * q];

			fprintf(f, "%s\n        { \"step\": %zu, \"line\": %u, \"question\": ", q ? "," : "", p->step + 1,
				p->it->qline);
			grade_json_str(f, p->it->question);
			fprintf(f, ", \"revealed\": %s, \"rounds\": [", p->revealed ? "true" : "false");
			for (int r = 0; r < 2; r++) {
				fputs(r ? ", { \"answer\": " : "{ \"answer\": ", f);
				grade_json_str(f, said(p, a[r]));
				fprintf(f, ", \"right\": %s }", a[r] && p->revealed && ((p->right_mask >> (a[r] - 1)) & 1) ?
					"true" : "false");
			}
			fputs("] }", f);
		}
		fputs("\n      ] }", f);
	}
	fputs("\n  ]\n}\n", f);
}

int class_room_save(const struct class_room *cr, const char *path, const char *lang, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f;

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, errno == ELOOP ? _("a symbolic link: sockplay does not write "
			 "through one") : strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (grade_format_of(path) == GRADE_CSV)
		save_csv(f, cr, lang);
	else
		save_json(f, cr, lang);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* --- the seat ------------------------------------------------------------------ */

/* Where the token for (code, name) is kept: the state directory, or NULL. */
static char *token_path(char *buf, size_t len, const char *code, const char *name)
{
	char file[120];

	snprintf(file, sizeof file, "class/%s-", code);
	for (size_t i = 0, n = strlen(file); name[i] && n + 3 < sizeof file; i++) {
		unsigned char ch = (unsigned char)name[i];

		/* the name as a file name: letters and digits as they are, the rest in hex */
		n += (size_t)snprintf(file + n, sizeof file - n, (ch < 0x80 && (ch == '-' || ch == '_' ||
				      (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))) ?
				      "%c" : "%%%02x", ch);
	}
	return state_path(buf, len, file, 1);
}

static void token_load(struct class_join *cj)
{
	char path[700];
	int fd;
	ssize_t n;

	cj->token[0] = '\0';
	if (token_path(path, sizeof path, cj->code, cj->name) == NULL || (fd = state_open(path, O_RDONLY)) < 0)
		return;
	n = read(fd, cj->token, 16);
	close(fd);
	cj->token[n == 16 ? 16 : 0] = '\0';
	for (int i = 0; cj->token[i]; i++)
		if (!((cj->token[i] >= 'a' && cj->token[i] <= 'z') || (cj->token[i] >= '0' && cj->token[i] <= '9')))
			cj->token[0] = '\0';
}

static void token_save(const struct class_join *cj)
{
	char path[700];
	int fd;

	if (token_path(path, sizeof path, cj->code, cj->name) == NULL)
		return;
	fd = state_open(path, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd >= 0) {
		if (write_full(fd, cj->token, strlen(cj->token)) < 0)
			unlink(path);
		close(fd);
	}
}

/* A whole line from the buffer (its '\n' taken off), or NULL; an overlong one loses the connection. */
static char *take_line(struct class_join *cj, char *line, size_t len)
{
	char *nl = memchr(cj->buf, '\n', cj->n);
	size_t k;

	if (nl == NULL) {
		if (cj->n >= sizeof cj->buf - 1) {
			cj->lost = true;
			snprintf(cj->why, sizeof cj->why, "%s", _("the teacher sent a line too long"));
		}
		return NULL;
	}
	k = (size_t)(nl - cj->buf);
	if (k >= len)
		k = len - 1;
	memcpy(line, cj->buf, k);
	line[k] = '\0';
	memmove(cj->buf, nl + 1, cj->n - (size_t)(nl - cj->buf) - 1);
	cj->n -= (size_t)(nl - cj->buf) + 1;
	utf8_clean(line, strlen(line));
	return line;
}

static bool number(const char *s, long lo, long hi, long *v)
{
	char *end;

	*v = strtol(s, &end, 10);
	return s[0] && !*end && *v >= lo && *v <= hi;
}

static void queue(struct class_join *cj, enum class_ev kind, long a, long b, long c)
{
	if (cj->nq >= sizeof cj->q / sizeof cj->q[0]) {
		cj->lost = true;	/* a teacher that talks faster than a class can follow */
		snprintf(cj->why, sizeof cj->why, "%s", _("the teacher sent more than a class can follow"));
		return;
	}
	cj->q[cj->nq++] = (struct class_event){ kind, a, b, c };
}

/* One line from the teacher, checked against what this seat knows; what it does not know is skipped. */
static void heard(struct class_join *cj, char *line)
{
	char *w[6], *save = NULL;
	int nw = 0;
	long a, b, c;

	for (char *p = strtok_r(line, " ", &save); p && nw < 6; p = strtok_r(NULL, " ", &save))
		w[nw++] = p;
	if (nw == 3 && strcmp(w[0], "AT") == 0 && number(w[1], 1, (long)cj->nsteps, &a) && number(w[2], 0, 100000, &b))
		queue(cj, CE_AT, a - 1, b, 0);
	else if (nw == 3 && strcmp(w[0], "ASK") == 0 && number(w[1], 1, (long)cj->npreds, &a) && number(w[2], 1, 2, &b))
		queue(cj, CE_ASK, a - 1, b, 0);
	else if (nw == 4 && strcmp(w[0], "YOURS") == 0 && number(w[1], 1, (long)cj->npreds, &a) &&
		 number(w[2], 1, 2, &b) && number(w[3], 1, 9, &c))
		queue(cj, CE_YOURS, a - 1, b, c);
	else if (nw == 2 && strcmp(w[0], "REVEAL") == 0 && number(w[1], 1, (long)cj->npreds, &a))
		queue(cj, CE_REVEAL, a - 1, 0, 0);
	else if (nw == 1 && strcmp(w[0], "END") == 0)
		queue(cj, CE_END, 0, 0, 0);
}

static void join_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct class_join *cj = w->data;
	char line[CLASS_LINE_MAX];
	ssize_t n;

	(void)revents;
	n = recv(cj->fd, cj->buf + cj->n, sizeof cj->buf - 1 - cj->n, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		cj->lost = true;
		snprintf(cj->why, sizeof cj->why, "%s", _("the teacher's class has ended or the network went"));
	} else {
		cj->n += (size_t)n;
		while (!cj->lost && take_line(cj, line, sizeof line))
			heard(cj, line);
	}
	if (cj->lost) {
		ev_io_stop(loop, w);
		if (cj->nq == sizeof cj->q / sizeof cj->q[0])
			cj->nq--;	/* the loss is told, whatever else waits */
		cj->q[cj->nq++] = (struct class_event){ CE_LOST, 0, 0, 0 };
	}
	if (cj->notify)
		cj->notify(cj->ctx);
}

/* Wait for a line (at most until deadline): it, or NULL with err. */
static char *wait_line(struct class_join *cj, char *line, size_t len, double deadline, char *err, size_t errlen)
{
	for (;;) {
		struct pollfd pf = { cj->fd, POLLIN, 0 };
		double left = deadline - now();
		ssize_t n;

		if (take_line(cj, line, len))
			return line;
		if (cj->lost || left <= 0 || poll(&pf, 1, (int)(left * 1000) + 1) <= 0) {
			snprintf(err, errlen, "%s", cj->lost ? cj->why : _("the teacher did not answer in 5 s"));
			return NULL;
		}
		n = recv(cj->fd, cj->buf + cj->n, sizeof cj->buf - 1 - cj->n, 0);
		if (n <= 0) {
			snprintf(err, errlen, "%s", _("the teacher closed the connection"));
			return NULL;
		}
		cj->n += (size_t)n;
	}
}

static int join_connect(struct class_join *cj, const char *where, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (where_parse(where, &ss, &len, err, errlen) < 0)
		return -1;
	cj->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cj->fd < 0 || connect(cj->fd, (struct sockaddr *)&ss, len) < 0) {
		snprintf(err, errlen, "%s: %s", where, strerror(errno));
		return -1;
	}
	return 0;
}

/* HELLO, then WELCOME and LESSON (or REFUSED). */
static int join_hello(struct class_join *cj, char *err, size_t errlen)
{
	char line[CLASS_LINE_MAX], hello[200], *w[6], *save = NULL;
	double deadline = now() + 5;
	int nw = 0;
	long v;

	snprintf(hello, sizeof hello, "HELLO %d %s %s%s%s\n", CLASS_PROTO, cj->code, cj->name, cj->token[0] ? " " : "",
		 cj->token);
	if (write_full(cj->fd, hello, strlen(hello)) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (wait_line(cj, line, sizeof line, deadline, err, errlen) == NULL)
		return -1;
	if (strncmp(line, "REFUSED ", 8) == 0) {
		snprintf(err, errlen, _("the teacher refused: %s"), line + 8);
		return -1;
	}
	for (char *p = strtok_r(line, " ", &save); p && nw < 6; p = strtok_r(NULL, " ", &save))
		w[nw++] = p;
	if (nw != 4 || strcmp(w[0], "WELCOME") != 0 || strcmp(w[1], "1") != 0 || !number(w[2], 1, 100000, &v) ||
	    strlen(w[3]) != 16) {
		snprintf(err, errlen, "%s", _("not a sockplay class (no WELCOME 1)"));
		return -1;
	}
	cj->seat = (unsigned)v;
	snprintf(cj->token, sizeof cj->token, "%s", w[3]);
	token_save(cj);
	if (wait_line(cj, line, sizeof line, deadline, err, errlen) == NULL)
		return -1;
	nw = 0;
	save = NULL;
	for (char *p = strtok_r(line, " ", &save); p && nw < 6; p = strtok_r(NULL, " ", &save))
		w[nw++] = p;
	if (nw != 5 || strcmp(w[0], "LESSON") != 0 || strlen(w[1]) >= sizeof cj->lesson || strchr(w[1], '/') ||
	    !number(w[2], 1, 10000, &v) || strlen(w[4]) >= sizeof cj->seed) {
		snprintf(err, errlen, "%s", _("the teacher named no lesson this program can open"));
		return -1;
	}
	snprintf(cj->lesson, sizeof cj->lesson, "%s", w[1]);
	cj->nsteps = (size_t)v;
	if (!number(w[3], 0, 100000, &v)) {
		snprintf(err, errlen, "%s", _("the teacher named no lesson this program can open"));
		return -1;
	}
	cj->npreds = (size_t)v;
	snprintf(cj->seed, sizeof cj->seed, "%s", strcmp(w[4], "-") == 0 ? "" : w[4]);
	return 0;
}

int class_join_open(struct class_join *cj, const char *where, const char *code, const char *name, char *err,
		    size_t errlen)
{
	memset(cj, 0, sizeof *cj);
	cj->fd = -1;
	if (name == NULL) {
		const struct passwd *pw = getpwuid(getuid());

		name = pw ? pw->pw_name : "student";
	}
	if (!name_ok(name)) {
		snprintf(err, errlen, _("--name '%s': printable, without blanks, at most %d bytes"), name, CLASS_NAME_MAX);
		return -1;
	}
	if (strlen(code) >= sizeof cj->code || strpbrk(code, " \t\r\n/")) {
		snprintf(err, errlen, _("--code '%s': the code the teacher's screen shows"), code);
		return -1;
	}
	snprintf(cj->name, sizeof cj->name, "%s", name);
	snprintf(cj->code, sizeof cj->code, "%s", code);
	token_load(cj);
	if (join_connect(cj, where, err, errlen) < 0 || join_hello(cj, err, errlen) < 0) {
		if (cj->fd >= 0)
			close(cj->fd);
		cj->fd = -1;
		return -1;
	}
	return 0;
}

void class_join_start(struct class_join *cj, struct ev_loop *loop, void (*notify_cb)(void *), void *ctx)
{
	char line[CLASS_LINE_MAX];

	cj->loop = loop;
	cj->notify = notify_cb;
	cj->ctx = ctx;
	fcntl(cj->fd, F_SETFL, fcntl(cj->fd, F_GETFL) | O_NONBLOCK);
	while (take_line(cj, line, sizeof line))	/* what came with the LESSON line */
		heard(cj, line);
	ev_io_init(&cj->io, join_read_cb, cj->fd, EV_READ);
	cj->io.data = cj;
	ev_io_start(loop, &cj->io);
}

bool class_join_next(struct class_join *cj, struct class_event *ev)
{
	if (cj->nq == 0)
		return false;
	*ev = cj->q[0];
	memmove(cj->q, cj->q + 1, (cj->nq - 1) * sizeof cj->q[0]);
	cj->nq--;
	return true;
}

int class_join_answer(struct class_join *cj, long q, int round, int choice)
{
	char line[64];
	int n = snprintf(line, sizeof line, "ANSWER %ld %d %d\n", q + 1, round, choice);

	if (cj->fd < 0 || cj->lost || send(cj->fd, line, (size_t)n, MSG_NOSIGNAL) != n)
		return -1;
	return 0;
}

void class_join_close(struct class_join *cj)
{
	if (cj->loop)
		ev_io_stop(cj->loop, &cj->io);
	if (cj->fd >= 0)
		close(cj->fd);
	cj->fd = -1;
}

int class_join_batch(struct class_join *cj, const char *answers, FILE *out, FILE *errout)
{
	FILE *in = fopen(answers, "re");
	char line[CLASS_LINE_MAX], a[64];
	int status = 0;

	if (in == NULL) {
		fprintf(errout, "sockplay: --answers %s: %s\n", answers, strerror(errno));
		return 2;
	}
	fprintf(out, "SEAT %u %s %s\n", cj->seat, cj->name, cj->lesson);
	fflush(out);
	for (;;) {
		char err[200];

		if (wait_line(cj, line, sizeof line, now() + 3600, err, sizeof err) == NULL)
			break;
		fprintf(out, "%s\n", line);
		fflush(out);
		if (strncmp(line, "ASK ", 4) == 0) {
			long q, r;

			if (sscanf(line + 4, "%ld %ld", &q, &r) == 2 && fgets(a, sizeof a, in)) {
				int choice = atoi(a);

				if (class_join_answer(cj, q - 1, (int)r, choice) < 0) {
					status = 2;
					break;
				}
			}
		} else if (strcmp(line, "END") == 0) {
			break;
		}
	}
	fclose(in);
	return status;
}

/*
 * cable: a user-space hub of AF_PACKET sockets, with faults.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "kernel/cable.h"
#include "kernel/wire.h"
#include "util/grow.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define FRAME_MAX 2048		/* an Ethernet frame of MTU 1500 and room to spare */
#define RING_FRAMES 4096	/* per end: 8 MiB, a TCP window's burst and more (make bench counts drops) */
#define RING_BLOCK (1u << 16)
#define SPIN_SECONDS 30e-6	/* how long an end is looked at again once it went quiet */
#define SPIN_AFTER 3		/* frames in one read that make it a flow worth the spin */

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents);

void cable_init(struct cable *c, struct ev_loop *loop)
{
	memset(c, 0, sizeof *c);
	c->loop = loop;
	for (size_t i = 0; i < HOSTS_MAX; i++)
		c->port[i].fd = -1;
	ev_timer_init(&c->timer, timer_cb, 0., 0.);
	c->timer.data = c;
	cable_set_seed(c, 1);
}

static void frames_free(struct cable_frame *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].data);
}

void cable_free(struct cable *c)
{
	for (size_t i = 0; i < HOSTS_MAX; i++)
		cable_port_remove(c, c->port[i].host);
	frames_free(c->held, c->nheld);
	frames_free(c->later, c->nlater);
	free(c->held);
	free(c->later);
	ev_timer_stop(c->loop, &c->timer);
	{
		struct ev_loop *loop = c->loop;

		cable_init(c, loop);
	}
}

/* xorshift64*: the same seed, the same faults */
static unsigned roll(struct cable *c)
{
	uint64_t x = c->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return (unsigned)((x * 0x2545F4914F6CDD1DULL) >> 33) % 100;
}

void cable_set_seed(struct cable *c, uint64_t seed)
{
	c->seed = seed;
	c->rng = seed ? seed : 0x9E3779B97F4A7C15ULL;
}

static struct cable_port *port_of(struct cable *c, int h)
{
	for (size_t i = 0; i < HOSTS_MAX; i++)
		if (c->port[i].fd >= 0 && c->port[i].host == h)
			return &c->port[i];
	return NULL;
}

/*
 * The frames waiting to go out of port p, in one sendmmsg.  A veth whose
 * peer's backlog is full refuses a frame (ENOBUFS): the kernel's softirq
 * drains it in a moment, so the frame is sent again, a few times, before
 * it is counted lost: a cable must not lose what the class did not drop.
 */
static void flush_port(struct cable *c, struct cable_port *p)
{
	unsigned done = 0;
	int tries = 0;

	while (done < p->nout) {
		int r = sendmmsg(p->fd, p->out + done, p->nout - done, MSG_DONTWAIT);

		if (r > 0) {
			done += (unsigned)r;
			tries = 0;
		} else if ((errno == ENOBUFS || errno == EAGAIN || errno == EINTR) && tries++ < 400) {
			/* 50 us a try, 20 ms in all: the softirq (ksoftirqd, under load) empties the backlog */
			nanosleep(&(struct timespec){ 0, 50000 }, NULL);
		} else {
			c->failed++;	/* this one is lost: counted, the rest go on */
			done++;
			tries = 0;
		}
	}
	p->nout = 0;
}

static void flush_all(struct cable *c)
{
	for (size_t i = 0; i < HOSTS_MAX; i++)
		if (c->port[i].fd >= 0 && c->port[i].nout)
			flush_port(c, &c->port[i]);
}

/*
 * Out of every end but the one it came in by (counted when it is one of
 * the lesson's, an IP frame).  batch: queued, its bytes kept by the caller
 * until flush_all; else sent now.
 */
static bool send_on(struct cable *c, const struct cable_frame *f, bool batch)
{
	bool ok = true;

	for (size_t i = 0; i < HOSTS_MAX; i++) {
		struct cable_port *p = &c->port[i];

		if (p->fd < 0 || p->host == f->from)
			continue;
		if (batch) {
			if (p->nout == CABLE_BATCH)
				flush_port(c, p);
			p->outv[p->nout] = (struct iovec){ f->data, f->len };
			p->out[p->nout] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &p->outv[p->nout], .msg_iovlen = 1 } };
			p->nout++;
		} else if (send(p->fd, f->data, f->len, MSG_DONTWAIT) < 0) {
			c->failed++;
			ok = false;
		}
	}
	if (ok && f->id)
		c->passed++;
	return ok;
}

static bool matches(const struct cable_rule *r, const struct cable_frame *f, const struct wire_pkt *pk)
{
	uint8_t fl = pk->flags;

	if (r->from && r->from != f->from)
		return false;
	switch (r->kind) {
	case CK_ANY:
		return true;
	case CK_UDP:
		return pk->proto == IPPROTO_UDP;
	default:
		break;
	}
	if (pk->proto != IPPROTO_TCP)
		return false;
	switch (r->kind) {
	case CK_SYN:
		return (fl & (WF_SYN | WF_ACK)) == WF_SYN;
	case CK_SYNACK:
		return (fl & (WF_SYN | WF_ACK)) == (WF_SYN | WF_ACK);
	case CK_FIN:
		return fl & WF_FIN;
	case CK_RST:
		return fl & WF_RST;
	case CK_DATA:
		return pk->len > 0;
	case CK_ACK:	/* a bare ACK: no SYN, FIN, RST, no data */
		return (fl & (WF_SYN | WF_FIN | WF_RST | WF_ACK)) == WF_ACK && pk->len == 0;
	default:
		return false;
	}
}

static double wall_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void arm(struct cable *c)
{
	ev_timer_stop(c->loop, &c->timer);
	if (c->nlater) {
		double in = c->later[0].due - ev_now(c->loop);

		ev_timer_set(&c->timer, in > 0 ? in : 0., 0.);
		ev_timer_start(c->loop, &c->timer);
	}
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct cable *c = w->data;
	size_t i = 0;

	(void)revents;
	while (i < c->nlater && c->later[i].due <= ev_now(loop) + 0.0005)
		send_on(c, &c->later[i++], false);
	frames_free(c->later, i);
	memmove(c->later, c->later + i, (c->nlater - i) * sizeof *c->later);
	c->nlater -= i;
	arm(c);
}

/* Keep f (its data taken over) in `later`, in order of due. */
static bool delay(struct cable *c, struct cable_frame *f)
{
	size_t i;

	if (!GROW(c->later, c->nlater, c->caplater, 16))
		return false;
	for (i = c->nlater; i > 0 && c->later[i - 1].due > f->due; i--)
		;
	memmove(c->later + i + 1, c->later + i, (c->nlater - i) * sizeof *c->later);
	c->later[i] = *f;
	c->nlater++;
	arm(c);
	return true;
}

static void show(struct cable *c, const struct cable_frame *f, enum cable_fate fate, unsigned ms)
{
	if (c->tap)
		c->tap(c->tap_ctx, f, fate, ms);
}

/* A frame came in from host f->from: what becomes of it.  Its bytes stay put until flush_all. */
static void decide(struct cable *c, struct cable_frame *f)
{
	struct wire_pkt pk;

	if (!wire_parse(WIRE_DLT_ETHER, f->data, f->len, &pk)) {
		send_on(c, f, true);	/* ARP and the rest: not the lesson */
		return;
	}
	f->id = ++c->next_id;
	c->frames++;
	for (size_t i = 0; i < c->nrules; i++) {
		struct cable_rule *r = &c->rules[i];

		if (matches(r, f, &pk)) {
			if (--r->count == 0) {
				memmove(r, r + 1, (c->nrules - i - 1) * sizeof *r);
				c->nrules--;
			}
			c->dropped++;
			show(c, f, CF_DROPPED, 0);
			return;
		}
	}
	if (c->loss && roll(c) < c->loss) {
		c->dropped++;
		show(c, f, CF_DROPPED, 0);
		return;
	}
	if (c->step) {
		if (c->nheld == CABLE_HOLD_MAX)
			cable_forward(c, 1, NULL, NULL);	/* never a frame lost to a full hold */
		if (GROW(c->held, c->nheld, c->capheld, 16)) {
			c->held[c->nheld] = *f;
			c->held[c->nheld].data = malloc(f->len);
			if (c->held[c->nheld].data) {
				memcpy(c->held[c->nheld].data, f->data, f->len);
				c->nheld++;
				show(c, f, CF_HELD, 0);
				return;
			}
		}
	}
	if (c->delay_ms || c->jitter_ms) {
		unsigned ms = c->delay_ms + (c->jitter_ms ? (unsigned)(roll(c) * (c->jitter_ms + 1) / 100) : 0);
		struct cable_frame later = *f;

		later.due = ev_now(c->loop) + ms / 1000.;
		later.data = malloc(f->len);
		if (later.data) {
			memcpy(later.data, f->data, f->len);
			if (delay(c, &later)) {
				show(c, f, CF_DELAYED, ms);
				return;
			}
			free(later.data);
		}
	}
	if (c->dup && roll(c) < c->dup) {
		show(c, f, CF_DOUBLED, 0);
		send_on(c, f, true);
		send_on(c, f, true);
		return;
	}
	show(c, f, CF_PASSED, 0);
	send_on(c, f, true);
}

/* The frames the ring holds for us, a bounded batch: decided, sent on in one go, then given back. */
static unsigned ring_read(struct cable *c, struct cable_port *p)
{
	unsigned start = p->head, n = 0;

	while (n < CABLE_BATCH * 4) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)(p->ring + (size_t)p->head * p->frame_size);
		struct cable_frame f;

		if (!(h->tp_status & TP_STATUS_USER))
			break;
		memset(&f, 0, sizeof f);
		f.from = p->host;
		f.t = (double)h->tp_sec + (double)h->tp_nsec / 1e9;
		f.len = h->tp_snaplen;
		f.data = (unsigned char *)h + h->tp_mac;
		if (h->tp_snaplen < h->tp_len || (h->tp_status & TP_STATUS_LOSING))
			c->failed++;	/* cut short, or the ring overflowed: counted, never sent half */
		if (h->tp_snaplen == h->tp_len)
			decide(c, &f);
		p->head = (p->head + 1) % p->frames;
		n++;
	}
	flush_all(c);
	/* the frames sent on are the kernel's again */
	for (unsigned i = 0, k = start; i < n; i++, k = (k + 1) % p->frames)
		((struct tpacket2_hdr *)(p->ring + (size_t)k * p->frame_size))->tp_status = TP_STATUS_KERNEL;
	return n;
}

static void port_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct cable_port *p = w->data;
	struct cable *c = p->c;
	unsigned char buf[FRAME_MAX];

	(void)loop;
	(void)revents;
	if (p->ring) {
		/*
		 * A bulk flow keeps coming: after a batch of many frames, look
		 * at the ring again for a moment before sleeping, as a NIC's
		 * busy polling does; a wakeup for every few frames costs more
		 * than the frames.  A lone frame (a ping, a handshake) is not
		 * followed by a spin: the CPU is the peers'.  Idle, the loop
		 * sleeps at once.
		 */
		double until = 0;

		for (;;) {
			unsigned got = ring_read(c, p);
			struct timespec ts;
			double t;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
			if (got >= SPIN_AFTER)
				until = t + SPIN_SECONDS;
			else if (got == 0 && (t >= until || c->nheld))
				break;
			else if (got > 0 && until == 0)
				break;
		}
		return;
	}
	/* a bounded batch: one busy end cannot starve the screen */
	for (int i = 0; i < 64 && p->fd >= 0; i++) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(p->fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&from, &fl);
		struct cable_frame f;

		if (n < 0)
			break;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;	/* our own sends, on a kernel without PACKET_IGNORE_OUTGOING */
		if ((size_t)n > sizeof buf) {
			c->failed++;	/* larger than any frame of MTU 1500: counted, never cut */
			continue;
		}
		memset(&f, 0, sizeof f);
		f.from = p->host;
		f.t = wall_now();
		f.len = (size_t)n;
		f.data = buf;
		decide(c, &f);
		flush_all(c);	/* buf is used again at once */
	}
}

/* A receive ring for the port (TPACKET_V2): the kernel writes frames there, no copy, no drop at a burst. */
static void ring_open(struct cable_port *p)
{
	int v = TPACKET_V2;
	struct tpacket_req req = { .tp_block_size = RING_BLOCK, .tp_frame_size = FRAME_MAX,
				   .tp_frame_nr = RING_FRAMES,
				   .tp_block_nr = RING_FRAMES / (RING_BLOCK / FRAME_MAX) };
	void *m;

	if (setsockopt(p->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0 ||
	    setsockopt(p->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
		return;
	m = mmap(NULL, (size_t)req.tp_block_size * req.tp_block_nr, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
	if (m == MAP_FAILED)
		return;
	p->ring = m;
	p->ring_size = (size_t)req.tp_block_size * req.tp_block_nr;
	p->frames = req.tp_frame_nr;
	p->frame_size = req.tp_frame_size;
	p->head = 0;
}

int cable_port_add(struct cable *c, int h, int ifindex)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	struct cable_port *p = NULL;
	int one = 1, fd;

	for (size_t i = 0; i < HOSTS_MAX && p == NULL; i++)
		if (c->port[i].fd < 0)
			p = &c->port[i];
	if (p == NULL) {
		errno = ENOSPC;
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
	/* straight to the driver: no qdisc to wait for on a link just up, nor to queue behind */
	(void)setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	p->fd = fd;
	p->host = h;
	p->c = c;
	p->nout = 0;
	p->ring = NULL;
	ring_open(p);
	ev_io_init(&p->io, port_cb, fd, EV_READ);
	p->io.data = p;
	ev_io_start(c->loop, &p->io);
	return 0;
}

static size_t forget_from(struct cable_frame *v, size_t n, int h)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].from == h)
			free(v[i].data);
		else
			v[k++] = v[i];
	return k;
}

void cable_port_remove(struct cable *c, int h)
{
	struct cable_port *p = port_of(c, h);

	if (p == NULL)
		return;
	ev_io_stop(c->loop, &p->io);
	if (p->ring)
		munmap(p->ring, p->ring_size);
	p->ring = NULL;
	close(p->fd);
	p->fd = -1;
	p->host = 0;
	c->nheld = forget_from(c->held, c->nheld, h);
	c->nlater = forget_from(c->later, c->nlater, h);
	arm(c);
}

static size_t take_held(struct cable *c, size_t n, bool forward, cable_tap_fn *fn, void *ctx)
{
	if (n == 0 || n > c->nheld)
		n = c->nheld;
	for (size_t i = 0; i < n; i++) {
		if (fn)
			fn(ctx, &c->held[i], forward ? CF_PASSED : CF_DROPPED, 0);
		if (forward)
			send_on(c, &c->held[i], false);
		else
			c->dropped++;
		free(c->held[i].data);
	}
	memmove(c->held, c->held + n, (c->nheld - n) * sizeof *c->held);
	c->nheld -= n;
	return n;
}

size_t cable_forward(struct cable *c, size_t n, cable_tap_fn *fn, void *ctx)
{
	return take_held(c, n, true, fn, ctx);
}

size_t cable_drop(struct cable *c, size_t n, cable_tap_fn *fn, void *ctx)
{
	return take_held(c, n, false, fn, ctx);
}

void cable_set_step(struct cable *c, bool on)
{
	c->step = on;
	if (!on)
		cable_forward(c, 0, NULL, NULL);
}

int cable_rule_add(struct cable *c, enum cable_kind kind, int from, unsigned count)
{
	if (c->nrules == CABLE_RULES)
		return -1;
	c->rules[c->nrules++] = (struct cable_rule){ kind, from, count ? count : 1 };
	return 0;
}

static const char *const kinds[] = {
	[CK_ANY] = "any", [CK_SYN] = "syn", [CK_SYNACK] = "syn-ack", [CK_ACK] = "ack",
	[CK_DATA] = "data", [CK_FIN] = "fin", [CK_RST] = "rst", [CK_UDP] = "udp",
};

int cable_kind_parse(const char *word)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (strcmp(word, kinds[i]) == 0)
			return (int)i;
	return -1;
}

const char *cable_kind_name(enum cable_kind k)
{
	return (size_t)k < sizeof kinds / sizeof *kinds ? kinds[k] : "?";
}

void cable_clear_faults(struct cable *c)
{
	c->nrules = 0;
	c->loss = c->dup = c->delay_ms = c->jitter_ms = 0;
}

size_t cable_pending(const struct cable *c)
{
	return c->nheld + c->nlater;
}

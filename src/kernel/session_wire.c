/*
 * session_wire: the capture's place in a session.  Each call gets a number
 * (its serial); the packets read while it runs are its, told after its
 * why-lines ("  wire: s2 -> s1 [S] seq 0"); those read between calls, or
 * with none of the call's sockets at an end, the kernel sent on its own (a
 * delayed ACK, a retransmission): told "(by the kernel)", under the last
 * call, with how long after it they came.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "util/i18n.h"
#include "kernel/session.h"

static double wall_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);	/* pcap stamps packets with this clock */
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void session_wire_want(struct session *s)
{
	s->wire_wanted = true;
	s->wire_why[0] = '\0';
}

int session_wire_start(struct session *s)
{
	s->wire_wanted = false;	/* tried: a refusal is not tried again */
	session_wire_stop(s);
	s->wire = wire_open(!s->sandboxed, s->wire_why, sizeof s->wire_why);
	wire_use_hosts(s->wire, &s->hosts);
	s->wire_told = 0;
	return s->wire ? 0 : -1;
}

void session_wire_stop(struct session *s)
{
	wire_close(s->wire);
	s->wire = NULL;
}

/* What the cable did with a frame between hosts, after the packet: " [cable #3: held]". */
static void cable_mark(const struct wire_pkt *p, char *line, size_t len)
{
	size_t k = strlen(line);
	const char *what;
	char ms[48];

	switch (p->fate) {
	case CF_HELD: what = _("held"); break;
	case CF_DROPPED: what = _("dropped"); break;
	case CF_DOUBLED: what = _("passed twice"); break;
	case CF_DELAYED:
		snprintf(ms, sizeof ms, _("delayed %u ms"), (unsigned)p->fate_ms);
		what = ms;
		break;
	default:
		return;
	}
	if (k < len)
		snprintf(line + k, len - k, " [%s #%u: %s]", _("cable"), p->frame, what);
}

/* Packets told one by one at a time (a call's, or those between calls): past this, one line says how many more. */
#define TELL_MAX 200

/* Tell the packets not told yet, each once. */
static void tell(struct session *s)
{
	size_t n, first = wire_forgotten(s->wire), told = 0;
	const struct wire_pkt *v = wire_packets(s->wire, &n);
	char line[200];

	if (s->wire_told < first)
		s->wire_told = first;
	if (n - (s->wire_told - first) > TELL_MAX) {
		/* a flood: the last TELL_MAX are told, the rest counted (`wire` lists every one kept) */
		size_t skip = n - (s->wire_told - first) - TELL_MAX;

		snprintf(line, sizeof line, _("(%zu packets not shown one by one: `wire` lists them)"), skip);
		sink_text(&s->sink, SINK_WIRE, line);
		s->wire_told += skip;
	}
	for (size_t i = s->wire_told - first; i < n && told++ < TELL_MAX; i++) {
		const struct wire_pkt *p = &v[i];

		int k = 0;

		if (p->late) {
			double after = (double)p->ts_sec + (double)p->ts_usec / 1e6 - s->call_started;

			if (!p->between)
				k = snprintf(line, sizeof line, "%s", _("(by the kernel) "));
			else if (after >= 1.0)
				k = snprintf(line, sizeof line, _("(by the kernel, %.1f s later) "), after);
			else
				k = snprintf(line, sizeof line, _("(by the kernel, %.0f ms later) "), after * 1000);
			if (k < 0 || (size_t)k >= sizeof line)
				k = 0;	/* never: the mark is short */
		} else {
			/* the call's own, long after it began: a SYN sent again after a loss */
			double after = (double)p->ts_sec + (double)p->ts_usec / 1e6 - s->call_started;

			if (after >= 0.5)
				k = snprintf(line, sizeof line, _("(%.1f s later) "), after);
			if (k < 0 || (size_t)k >= sizeof line)
				k = 0;
		}
		wire_format(p, line + k, sizeof line - (size_t)k);
		cable_mark(p, line, sizeof line);
		sink_text(&s->sink, SINK_WIRE, line);
	}
	s->wire_told = first + n;
}

void session_wire_between(struct session *s)
{
	if (s->wire == NULL)
		return;
	if (s->busy)
		return;	/* the call under way reads them when it ends */
	if (wire_drain(s->wire, &s->socks, s->serial, NULL) == 0)
		return;
	tell(s);
	if (s->on_between)
		s->on_between(s->on_between_ctx);
}

void session_cable_tap(void *ctx, const struct cable_frame *f, enum cable_fate fate, unsigned ms)
{
	struct session *s = ctx;

	wire_feed(s->wire, f->data, f->len, f->t, (uint8_t)fate, f->id, ms);
	session_wire_between(s);
}

void session_wire_call_begins(struct session *s, bool opens, bool a_call)
{
	if (s->wire == NULL && s->wire_wanted && opens)
		session_wire_start(s);
	if (s->wire == NULL)
		return;
	session_wire_between(s);
	if (a_call) {
		s->serial++;
		s->call_started = wall_now();
		socktab_rx_mark(&s->socks);	/* where a group's hash chooses, watch who gets it */
	}
}

/*
 * Between hosts a frame crosses the cable only while the loop runs: after
 * a call, let it run until the cable has been quiet a moment (a send's
 * segment and its ACK, a close's FIN), so the call's packets are its own.
 * Bounded: a flood ends it after CABLE_SETTLE_MAX seconds.
 */
#define CABLE_QUIET 0.004
#define CABLE_SETTLE_MAX 0.1

static void cable_settle(struct session *s)
{
	double until = ev_time() + CABLE_SETTLE_MAX;

	if (s->hosts.n == 0)
		return;
	for (;;) {
		unsigned long before = s->cable.frames + s->cable.failed;

		session_wait_fd(s, -1, 0, CABLE_QUIET);
		if (s->cable.frames + s->cable.failed == before || ev_time() > until || s->stopping)
			break;
	}
}

void session_wire_call_ends(struct session *s, const char *subject)
{
	cable_settle(s);
	if (s->wire == NULL)
		return;
	socktab_rx_seen(&s->socks);
	wire_drain(s->wire, &s->socks, s->serial, subject ? subject : "");
	tell(s);
}

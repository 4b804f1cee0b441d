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
	s->wire_told = 0;
	return s->wire ? 0 : -1;
}

void session_wire_stop(struct session *s)
{
	wire_close(s->wire);
	s->wire = NULL;
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
		}
		wire_format(p, line + k, sizeof line - (size_t)k);
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

void session_wire_call_ends(struct session *s, const char *subject)
{
	if (s->wire == NULL)
		return;
	socktab_rx_seen(&s->socks);
	wire_drain(s->wire, &s->socks, s->serial, subject ? subject : "");
	tell(s);
}

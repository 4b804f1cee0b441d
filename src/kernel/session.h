/*
 * session: the state the command language works on, and nothing above it.
 *
 * A session owns the socket table, the kernel view (procnet + netview) and
 * the capture; it borrows the program's one libev loop, which it runs while
 * a command waits (connect completion, `wait`).  It writes every line
 * through its sink, which the runner (run/runner.h) plugs in once and
 * which no one else assigns: the runner tees a call's lines into its
 * record and the transcript, and sends what comes between calls (events,
 * the kernel's own packets) to the front end and the transcript.  The
 * screen's live events come through session_watch_event(), so every change
 * of a socket's state happens in the engine.  The session knows nothing of
 * commands, records or transcripts.
 */
#ifndef SOCKPLAY_SESSION_H
#define SOCKPLAY_SESSION_H

#include <stdbool.h>

#include <ev.h>

#include "kernel/cable.h"
#include "kernel/hosts.h"
#include "kernel/netview.h"
#include "kernel/procnet.h"
#include "util/sink.h"
#include "kernel/sockets.h"
#include "kernel/wire.h"

/* Where the kernel table comes from. */
enum net_source {
	SRC_AUTO,	/* /proc, until a refresh costs more than 20 ms: then sock_diag */
	SRC_PROC,	/* /proc/net/{tcp,tcp6,udp,udp6} */
	SRC_DIAG,	/* NETLINK_SOCK_DIAG */
};

struct session {
	struct ev_loop *loop;
	struct socktab socks;
	struct procnet pn;
	struct netview nv;
	double nv_read_at;	/* when nv's table was read (ev_time): countdowns tick from it */
	struct sink sink;	/* the runner's: see the opening paragraph */
	double connect_timeout;	/* seconds a connect may take before we report */
	bool sandboxed;		/* in a namespace of our own: sysctl writes allowed */
	char sandbox_why[256];	/* a sandbox was tried for a lesson and could not be had: the wall */
	int busy;		/* > 0 while a command runs the loop itself */
	enum net_source source;	/* asked for */
	bool using_diag;	/* what the last refresh used */
	bool interrupted;	/* a wait was cut short (session_interrupt) */
	bool stopping;		/* the program is ending: no wait waits any more */
	unsigned *tw_seen;	/* serials of the sockets whose TIME_WAIT was in the last table, sorted */
	size_t ntw_seen;
	/* the wire: packets on loopback (NULL: no capture, wire_why says why) */
	struct wire *wire;
	bool wire_wanted;	/* open it when the first socket is made (opening costs ~40 ms) */
	char wire_why[200];
	unsigned serial;	/* calls run so far: a packet's cause */
	double call_started;	/* wall-clock seconds when the last call began (pcap's clock) */
	size_t wire_told;	/* absolute number of the next packet to tell */
	/* hosts in the sandbox and the cable between them (none: one host, the sandbox) */
	struct hosts hosts;
	struct cable cable;
	/* the front end's: packets were told between calls (the cable's, a timer's) */
	void (*on_between)(void *ctx);
	void *on_between_ctx;
};

/* The sink starts as one that drops every line, until the runner plugs in its own. */
void session_init(struct session *s, struct ev_loop *loop);
void session_free(struct session *s);

/*
 * Run the loop until fd is ready for `events` (EV_READ/EV_WRITE) or timeout
 * seconds pass.  Returns 1 when ready, 0 on timeout.  Other watchers keep
 * running meanwhile, so the screen stays alive.
 */
int session_wait_fd(struct session *s, int fd, int events, double timeout);
/*
 * Let time pass with the loop running.  Returns 0, or -1 when it was cut
 * short by session_interrupt() or session_stop().
 */
int session_sleep(struct session *s, double seconds);
/*
 * close(2) a socket without blocking the loop: a lingering one (SO_LINGER
 * with a time) closes in the background while the loop runs, waited for up
 * to its linger time and a second, or until a key or a signal cuts the
 * wait short (the close then finishes by itself).  0, or -1 with errno;
 * *still set when it was left lingering.
 */
int session_close(struct session *s, struct sock *sk, bool *still);
/* Cut the wait under way short (a key in the screen); the next command is not affected. */
void session_interrupt(struct session *s);
/* The program is ending (a signal): every wait returns at once from now on. */
void session_stop(struct session *s);

/*
 * The local port range and how much of it is taken: distinct local TCP
 * ports inside ip_local_port_range in the last kernel table read (used),
 * and how many of those are held only by TIME_WAIT.
 */
struct port_gauge {
	int lo, hi;
	unsigned used, timewait;
};
int session_port_gauge(struct session *s, struct port_gauge *g);

/*
 * What the open socket `name` has to say between commands: a connection
 * waiting, data, the peer's FIN or RST, or the end of a connect that was
 * still under way.  That last one changes the socket's state, so it happens
 * here, in the engine, like every change of state.  Unless the event is
 * `told` already (data is always news), its line goes to the sink as
 * SINK_EVENT.  SEV_NONE when nothing happened or there is no such socket.
 */
enum sock_event session_watch_event(struct session *s, const char *name, int told);

/*
 * After a refresh: the TIME_WAITs of the session's closed sockets that
 * were in the table last time and are gone now have ended; each is told
 * (SINK_EVENT) once.  The screen calls it per refresh.
 */
void session_note_timewait_ends(struct session *s);

/*
 * Capture on loopback (the sandbox's, or the host's own-socket traffic
 * where the program may), from the first command that makes a socket or
 * asks for the packets: a session that only reads the table never pays
 * for a capture (its ring and its close cost about 40 ms).
 */
void session_wire_want(struct session *s);
/*
 * Open the capture now: 0, or -1 with wire_why set.  After a `reset` in
 * the sandbox the capture is opened again on the new loopback.
 */
int session_wire_start(struct session *s);
void session_wire_stop(struct session *s);
/*
 * Read the packets that came while no call ran (a kernel timer: a delayed
 * ACK, a retransmission) and tell them, marked late, under the last call.
 * The runner calls it before each command; the screen when the capture is
 * readable.  While a command runs (busy), it only reads.
 */
void session_wire_between(struct session *s);
/*
 * The runner, around a command.  opens: the command may open the capture
 * (it makes a socket, or reads the packets); a_call: it is a call, whose
 * packets are its own (a look at the table or the packets is not: the last
 * call keeps its packets).  The packets since the last call are told first.
 */
void session_wire_call_begins(struct session *s, bool opens, bool a_call);
/* subject: the socket the call was about (a packet without it is a timer's), or NULL */
void session_wire_call_ends(struct session *s, const char *subject);

/*
 * Hosts: make one (its end joined to the cable), restart one (its sockets
 * forgotten, closed where they are: nothing they send reaches anyone), or
 * let every one go (reset).  0 or -1 with err.
 */
int session_host_add(struct session *s, const char *name, struct in_addr addr, int plen,
		     char *err, size_t errlen);
int session_host_restart(struct session *s, int h, char *err, size_t errlen);
void session_hosts_clear(struct session *s);
/* The cable's tap (session_wire.c): each frame to the capture, told between calls. */
void session_cable_tap(void *ctx, const struct cable_frame *f, enum cable_fate fate, unsigned ms);

/* Re-read the kernel table and join it with the sockets: 0 or -1 (errno). */
int session_refresh_net(struct session *s);
/* The same, reading only the tables in mask (PN_TCPS, PN_UDPS): `net tcp` needs no UDP. */
int session_refresh_net_mask(struct session *s, unsigned mask);

#endif

/*
 * session: the state one run of the command language works on.
 *
 * A session owns the socket table, the kernel view (procnet + netview) and
 * the sink its commands write to; it borrows the program's one libev loop,
 * which it runs while a command waits (connect completion, `wait`).  Every
 * front end (screen, batch, lesson checker, tests) makes one session and
 * feeds it command lines through the one runner, cmd_run_line(); the
 * screen's live events come through session_watch_event(), so every
 * change of a socket's state happens in the engine and is recorded.
 */
#ifndef SOCKPLAY_SESSION_H
#define SOCKPLAY_SESSION_H

#include <stdbool.h>

#include <ev.h>

#include "netview.h"
#include "procnet.h"
#include "sink.h"
#include "sockets.h"
#include "wire.h"

/* Where the kernel table comes from. */
enum net_source {
	SRC_AUTO,	/* /proc, until a refresh costs more than 20 ms: then sock_diag */
	SRC_PROC,	/* /proc/net/{tcp,tcp6,udp,udp6} */
	SRC_DIAG,	/* NETLINK_SOCK_DIAG */
};

struct cmd_line;
struct cmd_result;
struct cmd_entry;
struct outcome;

/* The socket a record is about: its name, family and type when the call was made. */
struct record_sock {
	char name[SOCK_NAMELEN];	/* "" when the call named no socket */
	int family, type;
};

/*
 * One executed command, kept as data: its row, its words, what the kernel
 * said, the socket it was about and the one it made.  export emits from
 * this, never from text.
 */
struct record {
	const struct cmd_entry *cmd;
	int argc;
	char **argv;		/* argv[0] the verb; one allocation holds them all */
	char *line;		/* as it would be typed again, expectation included */
	long ret;
	int err;
	struct record_sock sock;
	struct endpoint addr;	/* the address the call was given ($NAME resolved), family 0: none */
	char created[SOCK_NAMELEN];	/* the socket it made, or "" */
	char *output;		/* the transcript lines it produced, '\n'-separated */
	char *context;		/* e.g. the lesson step it belonged to, or NULL */
	unsigned serial;	/* the call's number: the cause of the packets it sent */
	double started;		/* wall-clock seconds when it began (pcap's clock) */
};

/*
 * A front end's hooks around every command the runner runs (cmd_run_line):
 * before, the screen stops its watchers (no watcher may outlive its fd);
 * after, it re-arms them and redraws.  Either may be NULL.
 */
struct session_hooks {
	void (*before)(void *ctx, const struct cmd_line *cl);
	void (*after)(void *ctx, const struct cmd_result *r);
	void *ctx;
};

struct session {
	struct ev_loop *loop;
	struct socktab socks;
	struct procnet pn;
	struct netview nv;
	double nv_read_at;	/* when nv's table was read (ev_time): countdowns tick from it */
	struct sink sink;
	double connect_timeout;	/* seconds a connect may take before we report */
	bool sandboxed;		/* in a namespace of our own: sysctl writes allowed */
	int busy;		/* > 0 while a command runs the loop itself */
	enum net_source source;	/* asked for */
	/* what ran: for the transcript file and for `export c` */
	struct record *records;
	size_t nrecords, caprecords;
	int transcript_fd;	/* -1: none */
	char *context;		/* set by a lesson runner: recorded with each command */
	bool using_diag;	/* what the last refresh used */
	struct session_hooks hooks;
	bool interrupted;	/* a wait was cut short (session_interrupt) */
	bool stopping;		/* the program is ending: no wait waits any more */
	bool transcript_failed;	/* a transcript write failed (said once) */
	unsigned *tw_seen;	/* serials of the sockets whose TIME_WAIT was in the last table, sorted */
	size_t ntw_seen;
	char transcript_error[160];	/* what failed, for the front end to show */
	/* the wire: packets on loopback (NULL: no capture, wire_why says why) */
	struct wire *wire;
	bool wire_wanted;	/* open it when the first socket is made (opening costs ~40 ms) */
	char wire_why[200];
	unsigned serial;	/* calls run so far: a packet's cause */
	double call_started;	/* wall-clock seconds when the last call began (pcap's clock) */
	size_t wire_told;	/* absolute number of the next packet to tell */
};

void session_init(struct session *s, struct ev_loop *loop, struct sink sink);
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
 * Write every command from now on to path as a replayable script: the
 * line with its outcome as an expectation, then its transcript as
 * comments.  Each line goes out with one write(2), so a crash or a signal
 * leaves the file complete up to the last call.  0 or -1/errno.
 */
int session_transcript_open(struct session *s, const char *path);
/*
 * Like session_transcript_open, for a file of the program's own choosing
 * in a state directory: created new (O_EXCL, never through a symlink),
 * mode 0600.  0 or -1/errno.
 */
int session_transcript_create(struct session *s, const char *path);
/* Write "# TEXT" to the transcript (a note for its reader; a replay skips it). */
void session_transcript_comment(struct session *s, const char *text);
/* fsync and close the transcript: 0, or -1 (and transcript_error) when it failed. */
int session_transcript_close(struct session *s);
/*
 * What a record keeps of a command's output, in bytes: the call line and its
 * why-lines, never the 50,000 rows of a `net` (the transcript has them all).
 */
#define SESSION_OUTPUT_KEEP 4096

/*
 * Append a record (the runner does, after each command that ran) and
 * write it to the transcript: the line, with its outcome as an expectation
 * when the verb replays (CMDF_REPLAY) and it had none, then its output as
 * comments.  A failed write sets transcript_failed and transcript_error.
 */
void session_record(struct session *s, const struct cmd_line *cl, const struct outcome *o,
		    const struct record_sock *rs, const char *created, const char *output,
		    bool streamed);
/*
 * For a bulk command (CMDF_BULK), whose record is then made with streamed
 * set: its line goes to the transcript before it runs, and each line of
 * its output as it comes.
 */
void session_transcript_line(struct session *s, const struct cmd_line *cl);
void session_transcript_output(struct session *s, enum sink_kind kind, const char *text);
/* Set the context recorded with the following commands (NULL: none). */
void session_set_context(struct session *s, const char *context);

/*
 * What the open socket `name` has to say between commands: a connection
 * waiting, data, the peer's FIN or RST, or the end of a connect that was
 * still under way.  That last one changes the socket's state, so it happens
 * here, in the engine, like every change of state.  Unless the event is
 * `told` already (data is always news), its line goes to the sink as
 * SINK_EVENT and to the transcript as a comment.  SEV_NONE when nothing
 * happened or there is no such socket.
 */
enum sock_event session_watch_event(struct session *s, const char *name, int told);

/*
 * After a refresh: the TIME_WAITs of the session's closed sockets that
 * were in the table last time and are gone now have ended; each is told
 * (SINK_EVENT, and the transcript) once.  The screen calls it per refresh.
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
/* The runner, around a command: the call's number, and after it the packets it sent. */
void session_wire_call_begins(struct session *s, const struct cmd_entry *c);
/* subject: the socket the call was about (a packet without it is a timer's), or NULL */
void session_wire_call_ends(struct session *s, const char *subject);
/* The record whose call has this serial, or NULL. */
const struct record *session_record_of(const struct session *s, unsigned serial);

/* Re-read the kernel table and join it with the sockets: 0 or -1 (errno). */
int session_refresh_net(struct session *s);
/* The same, reading only the tables in mask (PN_TCPS, PN_UDPS): `net tcp` needs no UDP. */
int session_refresh_net_mask(struct session *s, unsigned mask);

#endif

/*
 * session: the state one run of the command language works on.
 *
 * A session owns the socket table, the kernel view (procnet + netview) and
 * the sink its commands write to; it borrows the program's one libev loop,
 * which it runs while a command waits (connect completion, `wait`).  Every
 * front end (screen, batch, lesson checker, tests) makes one session and
 * feeds it command lines through cmd_run().
 */
#ifndef SOCKPLAY_SESSION_H
#define SOCKPLAY_SESSION_H

#include <stdbool.h>

#include <ev.h>

#include "netview.h"
#include "procnet.h"
#include "sink.h"
#include "sockets.h"

/* Where the kernel table comes from. */
enum net_source {
	SRC_AUTO,	/* /proc, until a refresh costs more than 20 ms: then sock_diag */
	SRC_PROC,	/* /proc/net/{tcp,tcp6,udp,udp6} */
	SRC_DIAG,	/* NETLINK_SOCK_DIAG */
};

/* One executed command: what was typed, what the kernel said, and why. */
struct record {
	char *line;		/* as typed, expectation included */
	long ret;
	int err;
	char *output;		/* the transcript lines it produced, '\n'-separated */
	char *context;		/* e.g. the lesson step it belonged to, or NULL */
};

struct session {
	struct ev_loop *loop;
	struct socktab socks;
	struct procnet pn;
	struct netview nv;
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
};

void session_init(struct session *s, struct ev_loop *loop, struct sink sink);
void session_free(struct session *s);

/*
 * Run the loop until fd is ready for `events` (EV_READ/EV_WRITE) or timeout
 * seconds pass.  Returns 1 when ready, 0 on timeout.  Other watchers keep
 * running meanwhile, so the screen stays alive.
 */
int session_wait_fd(struct session *s, int fd, int events, double timeout);
/* Let time pass with the loop running. */
void session_sleep(struct session *s, double seconds);

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
 * Append a record (cmd_exec does, after each command that ran).  replay,
 * when not NULL, is the expectation the transcript gives the line
 * ("ok", "EADDRINUSE") so that replaying it checks the outcome again.
 */
void session_record(struct session *s, const char *line, const char *replay, long ret, int err,
		    const char *output);
/* Set the context recorded with the following commands (NULL: none). */
void session_set_context(struct session *s, const char *context);

/* Re-read the kernel table and join it with the sockets: 0 or -1 (errno). */
int session_refresh_net(struct session *s);

#endif

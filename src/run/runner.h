/*
 * runner: one call from text to record, the same for every front end.
 *
 *   parse (once) -> run the verb on the session -> judge the expectation
 *   -> record it in the history -> write the transcript -> tell the call's
 *   packets (after its why-lines)
 *
 * The screen, --batch, --check-lessons, the lesson stepper and the tests
 * all run lines through runner_line().  A runner owns the history (the
 * calls, for export and `wire`) and the transcript, and it is the only one
 * that sets the session's sink: a front end pushes its own sink onto the
 * runner's stack and pops it when done; the top one gets every line.  What
 * the session says between calls (an event, a packet the kernel sent on its
 * own) goes to the top sink and, as a comment, to the transcript.
 *
 * Hooks (the screen's) are called around every line that runs: before, it
 * stops its watchers (no watcher may outlive its fd); after, it re-arms
 * them and redraws.
 */
#ifndef SOCKPLAY_RUNNER_H
#define SOCKPLAY_RUNNER_H

#include <stdbool.h>

#include "kernel/session.h"
#include "lang/cmd.h"
#include "lang/history.h"
#include "run/transcript.h"
#include "util/sink.h"

/* What one line did, as the runner saw it. */
struct cmd_result {
	int status;		/* CMD_BLANK, CMD_REFUSED (parse or usage error), CMD_RAN */
	struct cmd_line cl;	/* the parsed line (cl.cmd NULL when it did not parse) */
	struct outcome o;
	bool expected;		/* the line carried an expectation */
	bool met;		/* ...and the kernel met it (true without one) */
	char want[32], got[48];	/* with an expectation: "EADDRINUSE", "EADDRNOTAVAIL" */
	char created[SOCK_NAMELEN];/* the socket it made (CMDF_CREATES), or "" */
	bool interrupted;	/* a key or a signal cut a wait short */
	char err[256];		/* CMD_REFUSED: the message (also sent to the sink) */
};
enum { CMD_BLANK = 1, CMD_REFUSED = 2, CMD_RAN = 0 };

struct runner_hooks {
	void (*before)(void *ctx, const struct cmd_line *cl);
	void (*after)(void *ctx, const struct cmd_result *r);
	void *ctx;
};

#define RUNNER_SINKS 4
struct run_call;

struct runner {
	struct session *s;
	struct history hist;
	struct transcript tr;
	struct sink sinks[RUNNER_SINKS];	/* the front ends', pushed; the top one is used */
	int nsinks;
	struct runner_hooks hooks;
	char *context;		/* recorded with each call (a lesson's step), or NULL */
	bool from_lesson;	/* the lines run now are a lesson's (its waits pace what it shows) */
	bool confined;		/* ...outside the sandbox: they reach only the session's own sockets */
	bool stdout_is_screen;	/* the screen draws on standard output: nothing else may write there */
	struct run_call *cur;	/* the call under way, NULL between calls */
	bool told_transcript;	/* a failed transcript write was said */
	unsigned long between_packets;	/* packet lines between calls since the last call */
};

/* Packet lines told one by one between two calls: past this, counted and told in one line. */
#define RUNNER_BETWEEN_PACKETS 100

/* Take over s's sink; the sink stack starts empty (lines are dropped). */
void runner_init(struct runner *r, struct session *s);
/* Close the transcript (see runner_transcript_close) and free the history. */
void runner_free(struct runner *r);

/* The front end's sink on top of the stack (at most RUNNER_SINKS deep), and off again. */
void runner_push_sink(struct runner *r, struct sink sink);
void runner_pop_sink(struct runner *r);

/*
 * Parse text and run it.  A refused line (parse or usage error) is told as
 * SINK_ERROR, an expectation the kernel did not meet as SINK_FAIL
 * ("expected EADDRINUSE, got EADDRNOTAVAIL").  Returns res->status.
 */
int runner_line(struct runner *r, const char *text, struct cmd_result *res);
/* Parse and run; a convenience for the engine's own lines ("reset"): 0 ran, 1 blank, -1 refused. */
int runner_run(struct runner *r, const char *text, struct outcome *o);

/* Forget the calls made so far (--check-lessons between lessons): what a run keeps stays bounded. */
void runner_forget(struct runner *r);

/* The context recorded with the calls that follow (a lesson step's title), NULL for none. */
void runner_set_context(struct runner *r, const char *context);

/* Tell the front end a line of the runner's own (not a call's): SINK_INFO and friends. */
void runner_say(struct runner *r, enum sink_kind kind, const char *text);

/* The transcript: see run/transcript.h (-t FILE, and the screen's own). */
int runner_transcript_open(struct runner *r, const char *path, char *err, size_t errlen);
int runner_transcript_create(struct runner *r, const char *path);
/* A note for the transcript's reader ("# TEXT"). */
void runner_transcript_comment(struct runner *r, const char *text);
/* fsync and close: 0, or -1 with r->tr.error set. */
int runner_transcript_close(struct runner *r);

#endif

/*
 * transcript: the session as a replayable script, written as it goes.
 *
 * Each call is its line, with what happened as its expectation when it
 * had none, then its output as comments; news between calls (events, the
 * kernel's own packets) are comments too.  A replay with --batch runs the
 * calls and checks the kernel still agrees.  Each piece goes out with one
 * write(2), so a crash or a signal leaves the file whole up to the last
 * call.  The runner owns the one transcript of a session and is its only
 * writer.
 */
#ifndef SOCKPLAY_TRANSCRIPT_H
#define SOCKPLAY_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/sink.h"

struct transcript {
	int fd;			/* -1: none */
	bool failed;		/* a write failed: nothing more is written */
	char error[160];	/* what failed, for the front end to show */
	char *context;		/* the context of the last record written (a "# == " header when it changes) */
};

void transcript_init(struct transcript *t);
/*
 * -t FILE: a transcript written new, made 0600, never through a symbolic
 * link.  A file that exists and holds anything is refused (it is another
 * run's: a replay of the two would not hold); an empty one, a terminal, a
 * pipe with a reader are taken.  0, or -1 with errno and a message in err.
 */
int transcript_open(struct transcript *t, const char *path, char *err, size_t errlen);
/* A file of the program's own choosing: made new (O_EXCL, never through a symbolic link), 0600.  0 or -1/errno. */
int transcript_create(struct transcript *t, const char *path);
/* fsync and close: 0, or -1 with error set. */
int transcript_close(struct transcript *t);

/* "# TEXT": a note for its reader (a replay skips it). */
void transcript_comment(struct transcript *t, const char *text);
/* The line of a call, alone: a bulk call writes it before its output (the header as in transcript_call). */
void transcript_line(struct transcript *t, const char *context, const char *line);
/* One line of output, as a comment with its kind's prefix ("#  why: ..."). */
void transcript_output(struct transcript *t, enum sink_kind kind, const char *text);
/*
 * A whole call: a "# == CONTEXT" header when the context changed, the line
 * (" => REPLAY" added when replay is not NULL), then its output lines
 * ('\n'-separated) as comments.
 */
void transcript_call(struct transcript *t, const char *context, const char *line,
		     const char *replay, const char *output);

#endif

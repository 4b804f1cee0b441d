/*
 * history: the calls a session made, kept as data (records).  The runner
 * appends one record per call that ran; export writes C from them, `wire`
 * names a packet's call by its serial, and the screen looks back at them
 * (where a socket last sent to).  A record owns its strings; the history
 * owns its records, which never move once the caller stops adding (an
 * append may move them: hold a record's index, not a pointer, across one).
 */
#ifndef SOCKPLAY_HISTORY_H
#define SOCKPLAY_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/addr.h"
#include "kernel/sockets.h"

struct cmd_line;
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
	char *output;		/* the lines it produced, '\n'-separated (at most HISTORY_OUTPUT_KEEP bytes) */
	char *context;		/* e.g. the lesson step it belonged to, or NULL (shared by the records of one step) */
	bool own_context;	/* this record's context is its own allocation (the first of its run) */
	unsigned serial;	/* the call's number: the cause of the packets it sent */
	double started;		/* wall-clock seconds when it began (pcap's clock) */
};

/*
 * What a record keeps of a command's output, in bytes: the call line and its
 * why-lines, never the 50,000 rows of a `net` (the transcript has them all).
 */
#define HISTORY_OUTPUT_KEEP 4096

struct history {
	struct record *v;
	size_t n, cap;
};

void history_init(struct history *h);
void history_free(struct history *h);

/* What the runner knows of a call when it ends. */
struct history_call {
	const struct cmd_line *cl;
	const struct outcome *o;
	struct record_sock sock;
	const char *created;	/* "" when none */
	const char *output;	/* its lines */
	const char *context;	/* NULL: none */
	unsigned serial;
	double started;
};

/* Append the call's record; its output is cut to HISTORY_OUTPUT_KEEP.  The record, or NULL (out of memory). */
const struct record *history_add(struct history *h, const struct history_call *c);

/* The record whose call has this serial, or NULL. */
const struct record *history_of(const struct history *h, unsigned serial);

#endif

/*
 * cmd: the command language: what a line is, the table of verbs and the
 * parser.  Every front end hands its text to the runner (run/runner.h),
 * which parses it here once, runs it through the verb's row and judges
 * the expectation; a key in the screen, a typed line, a lesson step, a
 * batch script and a unit test all take that one path.
 *
 * A line is: VERB ARGS... [=> EXPECTATION] [# comment].  Words are split on
 * blanks; "double quotes" keep blanks and '#' (with \" \\ \n \t \xNN
 * escapes).  An expectation is ok, ok PORT (the socket's local port after
 * the call), an errno name or a count.  In ADDR:PORT, PORT may be $NAME:
 * the local port of socket NAME (open or closed) when the line runs.
 *
 * Parsing checks everything that does not need the session (verb, argument
 * count, names, addresses, option values), so a whole file can be refused
 * before any of it runs.  Running may still find a usage error that needs
 * the session (a socket name that does not exist): the verb reports it,
 * sets outcome.usage and changes nothing.
 *
 * Each verb lives in one file of its family (verb_sock.c, verb_conn.c,
 * verb_misc.c, verb_wire.c): its row, its handler and its C emitter side
 * by side; cmd_table.c lists the rows in help order.
 */
#ifndef SOCKPLAY_CMD_H
#define SOCKPLAY_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/session.h"

struct history;

#define CMD_MAXARGS 16
#define CMD_LINEMAX 1024	/* bytes of the words, once unquoted */
/*
 * Longest line of text the parser reads.  Writing a parsed line back can
 * turn a byte into four ("\x1b"), so the text may be four times the words:
 * every line the parser accepted fits when written back (cmd_line_text).
 */
#define CMD_TEXTMAX (4 * CMD_LINEMAX + 128)

enum expect_kind {
	EXPECT_NONE,
	EXPECT_OK,	/* => ok: the call succeeded */
	EXPECT_ERRNO,	/* => EADDRINUSE: it failed with that errno */
	EXPECT_COUNT,	/* => N: it succeeded and returned N (net: N entries) */
};

struct expect {
	enum expect_kind kind;
	long value;		/* errno or count */
	int port;		/* => ok PORT: the socket's local port after the call; 0 unchecked */
};

struct cmd_entry;

struct cmd_line {
	const struct cmd_entry *cmd;	/* the verb's row, set by cmd_parse */
	int argc;		/* argv[0] is the verb */
	char *argv[CMD_MAXARGS];
	struct expect expect;
	char buf[CMD_LINEMAX];	/* argv points in here */
};

struct outcome {
	long ret;		/* the call's return value; for net, the count */
	int err;		/* 0 on success, else the errno */
	bool usage;		/* the line itself was wrong; nothing was done */
	int port;		/* the named socket's local port after the call (0: none) */
	struct endpoint addr;	/* the address the call was given, $NAME resolved (family 0: none) */
};

/* What a verb does to the session, beyond its own call: the runners read these. */
enum cmd_flag {
	CMDF_RECORD = 1 << 0,	/* kept in the session's records and transcript */
	CMDF_REPLAY = 1 << 1,	/* the transcript gives it its outcome as an expectation */
	CMDF_CREATES = 1 << 2,	/* on success it made a socket (named in the result) */
	CMDF_CLOSES = 1 << 3,	/* it may close descriptors: watchers stop first */
	CMDF_FILE = 1 << 4,	/* it touches files: refused in a lesson */
	CMDF_WAITS = 1 << 5,	/* it lets time pass: a signal (and in the screen a key, past 1 s) cuts it short */
	CMDF_COUNT = 1 << 6,	/* with CMDF_REPLAY: the transcript expects the count it returned */
	CMDF_BULK = 1 << 7,	/* its output can be as large as the kernel's table: streamed, not kept */
	CMDF_CAPTURE = 1 << 8,	/* it reads the packets: the capture opens for it as for a new socket */
	CMDF_SENDS = 1 << 9,	/* it sends data (send, sendto): the screen's guesses look for it */
};

/*
 * What a verb runs against: the session (its sockets, the kernel view, the
 * capture) and the calls made so far (export and wire read them).  A
 * handler called with a NULL context only checks its arguments.
 */
struct cmd_ctx {
	struct session *s;
	const struct history *hist;
	bool confined;		/* a lesson outside the sandbox: connect and sendto reach only the session's sockets */
	bool stdout_is_screen;	/* export c - would write over the screen */
};

struct record;
struct export_ctx;

struct cmd_entry {
	const char *name;
	const char *usage;	/* "bind NAME ADDR:PORT" */
	const char *help;	/* one line */
	int min_args, max_args;	/* not counting the verb */
	unsigned flags;		/* enum cmd_flag */
	/*
	 * What each argument is, one letter per position, for completion:
	 * S an open socket, N a new name, A ADDR:PORT, O an option, V on|off,
	 * H rd|wr|rdwr, K a sysctl key, F a net filter word, T text, - other.
	 */
	const char *args;
	/* It changes the kernel (a lesson must ask for the sandbox) with this many args; 0 never. */
	int kernel_write_args;
	/*
	 * Check the arguments and, when x is not NULL, run the command.  With
	 * x NULL only the checks that need no session are made.  Returns 0, or
	 * -1 with a message in err for a usage error.
	 */
	int (*exec)(const struct cmd_ctx *x, const struct cmd_line *cl, struct outcome *o,
		    char *err, size_t errlen);
	/* Write the record as C (lang/export.h); NULL: not exported, said in a comment. */
	void (*emit)(struct export_ctx *x, const struct record *r);
	const char *no_export;	/* with emit NULL: why ("only sockplay's sandbox may do this") */
	const char *file_word;	/* with this first word it touches files, as CMDF_FILE ("save") */
};

/*
 * A usage line as the user's language writes it: its placeholders
 * translated ("bind NAME ADDR:PORT"); a usage with none ("reset") is the
 * command itself and never translated.
 */
const char *cmd_usage_text(const char *usage);

/* The line touches files (CMDF_FILE, or its row's file_word): a lesson may not. */
bool cmd_writes_files(const struct cmd_line *cl);

/* Every verb's row, in help order; NULL-terminated (cmd_table.c). */
extern const struct cmd_entry *const cmd_table[];
const struct cmd_entry *cmd_find(const char *verb);

/*
 * Parse one line.  Returns 0 for a command, 1 for a blank or comment-only
 * line, -1 with a one-line message in err (which names the bad word, with
 * control bytes shown as \xNN).
 */
int cmd_parse(const char *text, struct cmd_line *cl, char *err, size_t errlen);

/*
 * Did the outcome meet the line's expectation?  Always true without one.
 * On false, `got` describes the outcome ("ok", "EADDRINUSE", "3").
 */
bool cmd_expect_met(const struct expect *e, const struct outcome *o,
		    char *got, size_t gotlen);
/* Parse an expectation word ("ok", "EADDRINUSE", "3") into all of *e: 0, or -1 with err. */
int cmd_expect_parse(const char *word, struct expect *e, char *err, size_t errlen);
/* "ok", "EADDRINUSE", "3" */
void cmd_expect_format(const struct expect *e, char *buf, size_t len);

/*
 * The line as it would be typed again: quoted where needed, every control
 * byte escaped, the expectation kept, so that cmd_parse gives back the same
 * command.  Returns the length the whole text needs (as snprintf does);
 * a buffer of CMD_TEXTMAX always holds a line cmd_parse accepted.
 */
size_t cmd_line_text(const struct cmd_line *cl, char *buf, size_t len);

/* A word as an error message may show it: control bytes as \xNN, cut at 60 bytes. */
const char *cmd_word_show(const char *word, char *buf, size_t len);

#endif

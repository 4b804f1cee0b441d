/*
 * cmd: the command language.  One parser and one executor for every front
 * end: a key in the screen, a typed line, a lesson step, a batch script and
 * a unit test all call cmd_parse() and cmd_exec() and get the same
 * transcript through the session's sink.
 *
 * A line is: VERB ARGS... [=> EXPECTATION] [# comment].  Words are split on
 * blanks; "double quotes" keep blanks and '#' (with \" \\ \n \t escapes).
 *
 * Parsing checks everything that does not need the session (verb, argument
 * count, names, addresses, option values), so a whole file can be refused
 * before any of it runs.  Execution may still find a usage error that needs
 * the session (a socket name that does not exist): it reports it, sets
 * outcome.usage and changes nothing.
 */
#ifndef SOCKPLAY_CMD_H
#define SOCKPLAY_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

#define CMD_MAXARGS 16
#define CMD_LINEMAX 1024

enum expect_kind {
	EXPECT_NONE,
	EXPECT_OK,	/* => ok: the call succeeded */
	EXPECT_ERRNO,	/* => EADDRINUSE: it failed with that errno */
	EXPECT_COUNT,	/* => N: it succeeded and returned N (net: N entries) */
};

struct expect {
	enum expect_kind kind;
	long value;		/* errno or count */
};

struct cmd_line {
	int argc;		/* argv[0] is the verb */
	char *argv[CMD_MAXARGS];
	struct expect expect;
	char buf[CMD_LINEMAX];	/* argv points in here */
};

struct outcome {
	long ret;		/* the call's return value; for net, the count */
	int err;		/* 0 on success, else the errno */
	bool usage;		/* the line itself was wrong; nothing was done */
};

struct cmd_entry {
	const char *name;
	const char *usage;	/* "bind NAME ADDR:PORT" */
	const char *help;	/* one line */
	int min_args, max_args;	/* not counting the verb */
	bool replay;		/* a transcript replays its outcome as an expectation */
	/*
	 * Check the arguments and, when s is not NULL, run the command.  With
	 * s NULL only the checks that need no session are made.  Returns 0, or
	 * -1 with a message in err for a usage error.
	 */
	int (*exec)(struct session *s, const struct cmd_line *cl, struct outcome *o,
		    char *err, size_t errlen);
};

/* Every command, in help order; terminated by a NULL name. */
extern const struct cmd_entry cmd_table[];
const struct cmd_entry *cmd_find(const char *verb);

/*
 * Parse one line.  Returns 0 for a command, 1 for a blank or comment-only
 * line, -1 with a one-line message in err (which names the bad word).
 */
int cmd_parse(const char *text, struct cmd_line *cl, char *err, size_t errlen);

/*
 * Run a parsed line on the session.  The transcript goes to the session's
 * sink; a usage error is reported there as SINK_ERROR and sets o->usage.
 */
void cmd_exec(struct session *s, const struct cmd_line *cl, struct outcome *o);

/* Parse and run; a parse error is reported like a usage error.  1 = blank. */
int cmd_run(struct session *s, const char *text, struct outcome *o);

/*
 * Did the outcome meet the line's expectation?  Always true without one.
 * On false, `got` describes the outcome ("ok", "EADDRINUSE", "3").
 */
bool cmd_expect_met(const struct expect *e, const struct outcome *o,
		    char *got, size_t gotlen);
/* "ok", "EADDRINUSE", "3" */
void cmd_expect_format(const struct expect *e, char *buf, size_t len);

/* The line as it would be typed again (quoting where needed, expectation kept). */
void cmd_line_text(const struct cmd_line *cl, char *buf, size_t len);

#endif

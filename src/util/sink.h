/*
 * sink: the one output seam of the engine.
 *
 * The engine never prints.  Every transcript line, why-line, note and error
 * goes through a sink, and whoever ran the command decides where it lands:
 * stdout in batch mode, the log pane in the screen, a string buffer in the
 * tests, the lesson checker.  A sink is a plain value: a function and its
 * context.  Front ends push theirs on the runner (run/runner.h), which
 * alone plugs a sink into the session.
 */
#ifndef SOCKPLAY_SINK_H
#define SOCKPLAY_SINK_H

#include <stddef.h>

enum sink_kind {
	SINK_CALL,	/* the call and its result: bind(s1, ...) = 0 */
	SINK_CALL_FAILED,	/* the same, for a call that failed: ... = -1 EADDRINUSE (...) */
	SINK_WHY,	/* why the kernel answered so */
	SINK_INFO,	/* detail: a table row, a value read */
	SINK_ERROR,	/* the command line itself was wrong */
	SINK_FAIL,	/* the kernel did not meet the line's expectation */
	SINK_EVENT,	/* news between commands: a connection waiting, data, FIN, RST */
	SINK_WIRE,	/* a packet on the wire: s2 -> s1 [S] seq 0 */
};

/* text is len bytes and a NUL: a sink passing a line on need not measure it again */
struct sink {
	void (*line)(void *ctx, enum sink_kind kind, const char *text, size_t len);
	void *ctx;
};

/* Hand a line already made to the sink: control bytes in it are made '?' in place. */
void sink_text(const struct sink *s, enum sink_kind kind, char *text);
/* Format one line and hand it to the sink (a NULL sink drops it). */
void sink_printf(const struct sink *s, enum sink_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A sink that appends every line, prefixed by its kind's indentation
 * ("  why: " for SINK_WHY), to a growing string.  Used by the tests and by
 * anyone who wants the transcript as text.
 */
struct strsink {
	char *buf;
	size_t len, cap;
};
struct sink strsink_sink(struct strsink *ss);
void strsink_clear(struct strsink *ss);
void strsink_free(struct strsink *ss);

/* The text of a line as the transcript shows it ("  why: ..." etc.). */
const char *sink_prefix(enum sink_kind kind);

#endif

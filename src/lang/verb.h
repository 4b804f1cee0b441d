/*
 * verb: what the verb families (verb_sock.c, verb_conn.c, verb_misc.c,
 * verb_wire.c) share: the handler's shape, argument helpers, and the C
 * emitter's helpers (export_int.h).  A family file holds, per verb, its
 * row of the command table, its handler and its emitter; cmd_table.c lists
 * the rows.  Not for use outside the command language.
 */
#ifndef SOCKPLAY_VERB_H
#define SOCKPLAY_VERB_H

#include "lang/cmd.h"
#include "lang/export_int.h"
#include "util/errname.h"
#include "util/sink.h"

/*
 * A handler: x NULL checks the arguments only; else it runs on x->s.  Its
 * body starts with VERB_SESSION, which names the session s (NULL when it
 * only checks).
 */
#define CMD_HANDLER(fn) static int fn(const struct cmd_ctx *x, const struct cmd_line *cl, \
				      struct outcome *o, char *err, size_t errlen)
#define VERB_SESSION struct session *s = x ? x->s : NULL

/*
 * Look up the open socket named cl->argv[i] into *out.  With s NULL only the
 * name's syntax is checked and *out is NULL.  Returns 0, or -1 with err.
 */
int cmd_arg_sock(struct session *s, const struct cmd_line *cl, int i,
		 struct sock **out, char *err, size_t errlen);

/* "@NAME" (or NAME) into a host number (verb_host.c); with s NULL the syntax only.  0, or -1 with err. */
int cmd_arg_host(struct session *s, const char *word, int *h, char *err, size_t errlen);

/* Report a syscall's result: "CALL = RET" or "CALL = -1 ENAME (text)" (SINK_CALL_FAILED). */
void cmd_report(struct session *s, struct outcome *o, const char *call, long ret, int err);

/* Quote text for the transcript: "hello\n" -> "\"hello\\n\"" (truncated). */
void cmd_quote(const void *data, size_t len, char *buf, size_t buflen);

/* Join argv[from..argc) with single spaces. */
void cmd_join(const struct cmd_line *cl, int from, char *buf, size_t len);

#endif

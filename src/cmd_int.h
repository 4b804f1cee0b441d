/*
 * cmd_int: what the command families (cmd_sock.c, cmd_conn.c, cmd_misc.c)
 * share: argument helpers and the handlers the table in cmd.c points at.
 * Not for use outside the command language.
 */
#ifndef SOCKPLAY_CMD_INT_H
#define SOCKPLAY_CMD_INT_H

#include "cmd.h"
#include "errname.h"
#include "sink.h"

#define CMD_HANDLER(fn) int fn(struct session *s, const struct cmd_line *cl, \
			       struct outcome *o, char *err, size_t errlen)

/*
 * Look up the open socket named cl->argv[i] into *out.  With s NULL only the
 * name's syntax is checked and *out is NULL.  Returns 0, or -1 with err.
 */
int cmd_arg_sock(struct session *s, const struct cmd_line *cl, int i,
		 struct sock **out, char *err, size_t errlen);

/* Report a syscall's result: "CALL = RET" or "CALL = -1 ENAME (text)". */
void cmd_report(struct session *s, struct outcome *o, const char *call, long ret, int err);

/* Quote text for the transcript: "hello\n" -> "\"hello\\n\"" (truncated). */
void cmd_quote(const void *data, size_t len, char *buf, size_t buflen);

/* Join argv[from..argc) with single spaces. */
void cmd_join(const struct cmd_line *cl, int from, char *buf, size_t len);

CMD_HANDLER(cmd_tcp);
CMD_HANDLER(cmd_udp);
CMD_HANDLER(cmd_set);
CMD_HANDLER(cmd_shutdown);
CMD_HANDLER(cmd_close);
CMD_HANDLER(cmd_disconnect);
CMD_HANDLER(cmd_bind);
CMD_HANDLER(cmd_listen);
CMD_HANDLER(cmd_connect);
CMD_HANDLER(cmd_accept);
CMD_HANDLER(cmd_send);
CMD_HANDLER(cmd_sendto);
CMD_HANDLER(cmd_recv);
CMD_HANDLER(cmd_wait);
CMD_HANDLER(cmd_sysctl);
CMD_HANDLER(cmd_addr);
CMD_HANDLER(cmd_reset);
CMD_HANDLER(cmd_net);
CMD_HANDLER(cmd_wire);
CMD_HANDLER(cmd_help);
CMD_HANDLER(cmd_export);

#endif

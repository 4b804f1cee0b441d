/*
 * cmd_conn: the calls that involve addresses and data: bind, listen,
 * connect, accept, send, sendto, recv.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd_int.h"
#include "explain.h"
#include "i18n.h"

#define LISTEN_BACKLOG 128

/*
 * ADDR:PORT, checked (s NULL) or parsed for the socket's family.  PORT may
 * be $NAME, the local port of socket NAME (open or closed) when the line
 * runs, as the kernel's selftests reuse a port bind(0) chose.  The address
 * the call was given goes to o->addr for the records.
 */
static int arg_endpoint(struct session *s, const struct cmd_line *cl, int i, const struct sock *sk,
			struct endpoint *ep, struct outcome *o, char *err, size_t errlen)
{
	char msg[200], text[CMD_LINEMAX];
	const char *dollar = strstr(cl->argv[i], ":$");
	const struct sock *ref = NULL;

	snprintf(text, sizeof text, "%s", cl->argv[i]);
	if (dollar) {
		const char *name = dollar + 2;

		if (!sock_name_valid(name)) {
			snprintf(err, errlen, _("%s: bad port reference '$%s': $ and a socket name"),
				 cl->argv[0], name);
			return -1;
		}
		if (s && ((ref = socktab_find_any(&s->socks, name)) == NULL || ref->local.port == 0)) {
			snprintf(err, errlen, _("%s: $%s: %s"), cl->argv[0], name, ref ? _("that socket has no "
				 "port yet") : _("no socket of that name"));
			return -1;
		}
		snprintf(text + (dollar - cl->argv[i]), sizeof text - (size_t)(dollar - cl->argv[i]),
			 ":%u", ref ? ref->local.port : 1);
	}
	if (addr_parse(text, sk ? sk->family : AF_INET, ep, msg, sizeof msg) < 0) {
		snprintf(err, errlen, _("%s: %s"), cl->argv[0], msg);
		return -1;
	}
	o->addr = *ep;
	return 0;
}

/* After a call that may have bound implicitly, say what the kernel chose. */
static void note_autobind(struct session *s, const struct sock *sk, bool had_local,
			  const struct endpoint *asked)
{
	char a[ADDR_STRLEN];

	if (sk->local.family == 0)
		return;
	if (!had_local)
		sink_printf(&s->sink, SINK_INFO, _("%s is now %s (address and port chosen by the kernel)"),
			    sk->name, addr_format(&sk->local, a, sizeof a));
	else if (asked && asked->port == 0 && sk->local.port == 0)
		sink_printf(&s->sink, SINK_INFO, _("%s has its address; with IP_BIND_ADDRESS_NO_PORT the "
			    "kernel picks the port at connect(), for the 4-tuple"), sk->name);
	else if (asked && asked->port == 0)
		sink_printf(&s->sink, SINK_INFO, _("%s is now %s (port chosen by the kernel)"),
			    sk->name, addr_format(&sk->local, a, sizeof a));
}

CMD_HANDLER(cmd_bind)
{
	struct endpoint ep;
	struct sock *sk;
	char call[128], a[ADDR_STRLEN];

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0 ||
	    arg_endpoint(s, cl, 2, sk, &ep, o, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "bind(%s, %s)", sk->name, addr_format(&ep, a, sizeof a));
	if (sock_bind(sk, &ep) < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_bind(s, sk, &ep, o->err);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	note_autobind(s, sk, true, &ep);
	explain_bind(s, sk, &ep, 0);
	return 0;
}

CMD_HANDLER(cmd_listen)
{
	int backlog = LISTEN_BACKLOG;
	struct sock *sk;
	char call[96];
	bool had_local;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (cl->argc > 2 && (backlog = addr_parse_port(cl->argv[2])) < 0) {
		snprintf(err, errlen, _("listen: bad backlog '%s': use 0..65535"), cl->argv[2]);
		return -1;
	}
	if (s == NULL)
		return 0;
	had_local = sk->local.family != 0;
	snprintf(call, sizeof call, "listen(%s, %d)", sk->name, backlog);
	if (sock_listen(sk, backlog) < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_listen(s, sk, o->err);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	note_autobind(s, sk, had_local, NULL);
	return 0;
}

CMD_HANDLER(cmd_connect)
{
	struct endpoint ep;
	struct sock *sk;
	char call[128], a[ADDR_STRLEN];
	bool had_local;
	int r;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0 ||
	    arg_endpoint(s, cl, 2, sk, &ep, o, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	had_local = sk->local.family != 0;
	snprintf(call, sizeof call, "connect(%s, %s)", sk->name, addr_format(&ep, a, sizeof a));
	r = sock_connect_start(sk, &ep);
	if (r == 1) {
		if (session_wait_fd(s, sk->fd, EV_WRITE, s->connect_timeout))
			r = sock_connect_finish(sk);
		else {
			cmd_report(s, o, call, -1, EINPROGRESS);
			sink_printf(&s->sink, SINK_WHY,
				    _("no answer after %.1f s: the kernel keeps retrying the SYN "
				    "(SYN_SENT); is the listener's accept queue full?"),
				    s->connect_timeout);
			return 0;
		}
	}
	if (r < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_connect(s, sk, &ep, o->err);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	note_autobind(s, sk, had_local, NULL);
	return 0;
}

CMD_HANDLER(cmd_accept)
{
	char name[SOCK_NAMELEN] = "", call[64], a[ADDR_STRLEN], b[ADDR_STRLEN];
	struct sock *ls, *ns;
	unsigned save;

	if (cmd_arg_sock(s, cl, 1, &ls, err, errlen) < 0)
		return -1;
	if (cl->argc > 2) {
		if (!sock_name_valid(cl->argv[2])) {
			snprintf(err, errlen, _("bad socket name '%s': a letter, then letters, digits, _ or -"),
				 cl->argv[2]);
			return -1;
		}
		snprintf(name, sizeof name, "%s", cl->argv[2]);
	}
	if (s == NULL)
		return 0;
	if (name[0] && socktab_find(&s->socks, name)) {
		snprintf(err, errlen, _("accept: a socket named '%s' is already open"), name);
		return -1;
	}
	snprintf(call, sizeof call, "accept(%s)", ls->name);
	save = s->socks.next_auto;
	if (!name[0])
		socktab_next_name(&s->socks, name);
	ns = sock_accept(&s->socks, ls, name);
	if (ns == NULL) {
		/* the automatic name is spent only when a connection really comes */
		s->socks.next_auto = save;
		cmd_report(s, o, call, -1, errno);
		explain_accept(s, ls, o->err);
		return 0;
	}
	o->ret = 0;
	o->err = 0;
	sink_printf(&s->sink, SINK_CALL, "%s = %s", call, ns->name);
	sink_printf(&s->sink, SINK_INFO, _("%s: %s <- %s"), ns->name,
		    addr_format(&ns->local, a, sizeof a), addr_format(&ns->peer, b, sizeof b));
	return 0;
}

static void report_send(struct session *s, struct outcome *o, struct sock *sk,
			const char *call, ssize_t r)
{
	if (r < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_io(s, sk, false, o->err);
	} else {
		cmd_report(s, o, call, (long)r, 0);
	}
}

CMD_HANDLER(cmd_send)
{
	char text[CMD_LINEMAX], q[96], call[160];
	struct sock *sk;
	size_t n;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	cmd_join(cl, 2, text, sizeof text);
	n = strlen(text);
	cmd_quote(text, n, q, sizeof q);
	snprintf(call, sizeof call, "send(%s, %s, %zu)", sk->name, q, n);
	report_send(s, o, sk, call, sock_send(sk, text, n));
	return 0;
}

CMD_HANDLER(cmd_sendto)
{
	char text[CMD_LINEMAX], q[96], call[200], a[ADDR_STRLEN];
	struct endpoint ep;
	struct sock *sk;
	bool had_local;
	size_t n;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0 ||
	    arg_endpoint(s, cl, 2, sk, &ep, o, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	had_local = sk->local.family != 0;
	cmd_join(cl, 3, text, sizeof text);
	n = strlen(text);
	cmd_quote(text, n, q, sizeof q);
	snprintf(call, sizeof call, "sendto(%s, %s, %zu, %s)", sk->name, q, n,
		 addr_format(&ep, a, sizeof a));
	report_send(s, o, sk, call, sock_sendto(sk, &ep, text, n));
	if (o->err == 0)
		note_autobind(s, sk, had_local, NULL);
	return 0;
}

CMD_HANDLER(cmd_recv)
{
	char data[4096], q[256], call[64], a[ADDR_STRLEN];
	struct endpoint from;
	struct sock *sk;
	ssize_t r;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "%s(%s)", sk->type == SOCK_DGRAM ? "recvfrom" : "recv", sk->name);
	r = sock_recv(sk, data, sizeof data, &from);
	if (r < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_io(s, sk, true, o->err);
		return 0;
	}
	o->ret = (long)r;
	cmd_quote(data, (size_t)r, q, sizeof q);
	if (sk->type == SOCK_DGRAM)
		sink_printf(&s->sink, SINK_CALL, "%s = %zd %s from %s", call, r, q,
			    addr_format(&from, a, sizeof a));
	else if (r == 0)
		sink_printf(&s->sink, SINK_CALL, "%s = 0 (end of stream: the peer sent FIN)", call);
	else
		sink_printf(&s->sink, SINK_CALL, "%s = %zd %s", call, r, q);
	return 0;
}

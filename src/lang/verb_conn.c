/*
 * verb_conn: the calls that involve addresses and data: bind, listen,
 * connect, accept, send, sendto, recv. Each verb's handler,
 * its C emitter and its row of the command table stand together; the
 * rows are listed, in help order, in cmd_table.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lang/verb.h"
#include "lang/explain.h"
#include "util/i18n.h"

/* a row's flags, short */
#define R CMDF_RECORD
#define P CMDF_REPLAY

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

/* After a call that may have bound implicitly (before: the address it had), say what the kernel chose. */
static void note_autobind(struct session *s, const struct sock *sk, const struct endpoint *before,
			  const struct endpoint *asked)
{
	char a[ADDR_STRLEN];

	if (sk->local.family == 0)
		return;
	if (asked) {
		/* bind: only a port 0 leaves the kernel a choice */
		if (asked->port == 0 && sk->local.port == 0)
			sink_printf(&s->sink, SINK_INFO, sk->type == SOCK_STREAM ?
				    _("%s has its address; with IP_BIND_ADDRESS_NO_PORT the kernel picks the port at "
				      "connect(), for the 4-tuple") :
				    _("%s has its address, no port yet: UDP picks one at connect() or the first send, "
				      "from ip_local_port_range by bind's rule (IP_BIND_ADDRESS_NO_PORT saves no port "
				      "for UDP: it has no 4-tuple to share by)"), sk->name);
		else if (asked->port == 0)
			sink_printf(&s->sink, SINK_INFO, _("%s is now %s (port chosen by the kernel)"),
				    sk->name, addr_format(&sk->local, a, sizeof a));
		return;
	}
	if (before->family == 0)
		sink_printf(&s->sink, SINK_INFO, _("%s is now %s (address and port chosen by the kernel)"),
			    sk->name, addr_format(&sk->local, a, sizeof a));
	else if (before->port == 0 && sk->local.port != 0)
		sink_printf(&s->sink, SINK_INFO, _("%s is now %s (port chosen by the kernel now, not at bind)"),
			    sk->name, addr_format(&sk->local, a, sizeof a));
}

CMD_HANDLER(cmd_bind)
{
	VERB_SESSION;
	struct endpoint ep, was;
	struct sock *sk;
	char call[128], a[ADDR_STRLEN];

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0 ||
	    arg_endpoint(s, cl, 2, sk, &ep, o, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "bind(%s, %s)", sk->name, addr_format(&ep, a, sizeof a));
	was = sk->local;
	if (sock_bind(sk, &ep) < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_bind(s, sk, &ep, o->err);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	note_autobind(s, sk, &was, &ep);
	explain_bind(s, sk, &ep, 0);
	return 0;
}

static void emit_bind(struct export_ctx *x, const struct record *r)
{
	export_addr_call(x, r, "bind_to");
}

const struct cmd_entry cmd_entry_bind = {
	.name = "bind", .usage = N_("bind NAME ADDR:PORT"),
	.help = N_("bind to 1.2.3.4:P, [::1]:P or *:P (port 0: kernel picks)"),
	.min_args = 2, .max_args = 2, .flags = R | P, .args = "SA", .exec = cmd_bind, .emit = emit_bind };

CMD_HANDLER(cmd_listen)
{
	VERB_SESSION;
	int backlog = LISTEN_BACKLOG;
	struct sock *sk;
	char call[96];
	struct endpoint was;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (cl->argc > 2 && (backlog = addr_parse_port(cl->argv[2])) < 0) {
		snprintf(err, errlen, _("listen: bad backlog '%s': use 0..65535"), cl->argv[2]);
		return -1;
	}
	if (s == NULL)
		return 0;
	was = sk->local;
	snprintf(call, sizeof call, "listen(%s, %d)", sk->name, backlog);
	if (sock_listen(sk, backlog) < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_listen(s, sk, o->err);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	note_autobind(s, sk, &was, NULL);
	explain_listen(s, sk, 0);
	return 0;
}

static void emit_listen(struct export_ctx *x, const struct record *r)
{
	char var[80];

	export_var(r, var, sizeof var);
	export_open_result(x, r, "result");
	fprintf(x->f, ", listen(%s, %d));\n", var, r->argc > 2 ? atoi(r->argv[2]) : 128);
}

const struct cmd_entry cmd_entry_listen = {
	.name = "listen", .usage = N_("listen NAME [BACKLOG]"), .help = N_("start listening (TCP)"),
	.min_args = 1, .max_args = 2, .flags = R | P, .args = "S-", .exec = cmd_listen,
	.emit = emit_listen };

/*
 * A lesson outside the sandbox runs on the machine's own network: it may
 * reach only what the session made itself, never a service of the machine.
 */
static int confined(const struct cmd_ctx *x, const struct sock *sk, const struct endpoint *ep, char *err,
		    size_t errlen)
{
	char a[ADDR_STRLEN];

	if (!x->confined || socktab_serves(&x->s->socks, sk->type, ep))
		return 0;
	snprintf(err, errlen, _("no sandbox here: a lesson reaches only the sockets it made, and none of them "
		 "serves %s"), addr_format(ep, a, sizeof a));
	return -1;
}

#define CONNECT_HOSTS_WAIT 10.0	/* seconds: a give-up at 7 s (tcp_syn_retries 2), and time to spare */

CMD_HANDLER(cmd_connect)
{
	VERB_SESSION;
	struct endpoint ep;
	struct sock *sk;
	char call[128], a[ADDR_STRLEN];
	struct endpoint was;
	int r;
	double took = 0;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0 ||
	    arg_endpoint(s, cl, 2, sk, &ep, o, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	if (confined(x, sk, &ep, err, errlen) < 0)
		return -1;
	was = sk->local;
	snprintf(call, sizeof call, "connect(%s, %s)", sk->name, addr_format(&ep, a, sizeof a));
	r = sock_connect_start(sk, &ep);
	if (r == 1) {
		/*
		 * Between hosts a SYN may be lost on the cable and sent again
		 * (after 1 s, then 2 s more): time for two of those.  Held by
		 * the class, it waits for them: connect goes on in the background.
		 */
		bool held = sk->host && s->cable.step;
		double wait = held ? 0.05 : sk->host ? CONNECT_HOSTS_WAIT : s->connect_timeout;
		double t0 = ev_time();

		if (session_wait_fd(s, sk->fd, EV_WRITE, wait)) {
			r = sock_connect_finish(sk);
			took = ev_time() - t0;
		}
		else if (held) {
			cmd_report(s, o, call, -1, EINPROGRESS);
			sink_printf(&s->sink, SINK_WHY, _("the SYN waits on the cable (stepping): 'cable forward' "
				    "lets it go; connect() goes on meanwhile (SYN_SENT), and the kernel sends the "
				    "SYN again if no answer comes in 1 s"));
			return 0;
		} else {
			cmd_report(s, o, call, -1, EINPROGRESS);
			sink_printf(&s->sink, SINK_WHY,
				    _("no answer after %.1f s: the kernel keeps retrying the SYN "
				    "(SYN_SENT); is the listener's accept queue full?"),
				    wait);
			return 0;
		}
	}
	if (r < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_connect(s, sk, &ep, o->err);
		if (o->err == ETIMEDOUT)
			explain_syn_retries(s, sk, took, true);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	if (took >= 0.5)
		explain_syn_retries(s, sk, took, false);
	note_autobind(s, sk, &was, NULL);
	return 0;
}

static void emit_connect(struct export_ctx *x, const struct record *r)
{
	export_addr_call(x, r, "connect_to");
}

const struct cmd_entry cmd_entry_connect = {
	.name = "connect", .usage = N_("connect NAME ADDR:PORT"), .help = N_("connect and report the final result"),
	.min_args = 2, .max_args = 2, .flags = R | P, .args = "SA", .exec = cmd_connect,
	.emit = emit_connect };

CMD_HANDLER(cmd_accept)
{
	VERB_SESSION;
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

static void emit_accept(struct export_ctx *x, const struct record *r)
{
	char var[80], var2[80];

	export_cname(r->argv[1], var, sizeof var);
	if (!r->created[0]) {
		export_open_result(x, r, "accept_one");
		fprintf(x->f, ", \"\", %s);\n", var);
		return;
	}
	export_cname(r->created, var2, sizeof var2);
	fprintf(x->f, "\t%s%s = accept_one(", export_declare(x, var2), var2);
	{
		char call[600];

		export_call_part(r, call, sizeof call);
		export_cstr(x->f, call);
	}
	fprintf(x->f, ", \"%s\", %s);\n\t(void)%s;\n", r->created, var, var2);
}

const struct cmd_entry cmd_entry_accept = {
	.name = "accept", .usage = N_("accept NAME [NEWNAME]"), .help = N_("take one waiting connection (EAGAIN if none)"),
	.min_args = 1, .max_args = 2, .flags = R | P | CMDF_CREATES, .args = "SN", .exec = cmd_accept,
	.emit = emit_accept };

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
	VERB_SESSION;
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

static void emit_send(struct export_ctx *x, const struct record *r)
{
	char var[80], *text = export_joined(r, 2);

	if (text == NULL) {
		x->oom = true;
		return;
	}
	export_var(r, var, sizeof var);
	export_open_result(x, r, "result");
	fprintf(x->f, ", send(%s, ", var);
	export_cstr(x->f, text);
	fprintf(x->f, ", %zu, MSG_NOSIGNAL | MSG_DONTWAIT));\n", strlen(text));
	free(text);
}

const struct cmd_entry cmd_entry_send = {
	.name = "send", .usage = N_("send NAME TEXT"), .help = N_("send text on a connected socket"),
	.min_args = 2, .max_args = CMD_MAXARGS - 1, .flags = R | P | CMDF_COUNT | CMDF_SENDS, .args = "ST", .exec = cmd_send,
	.emit = emit_send };

CMD_HANDLER(cmd_sendto)
{
	VERB_SESSION;
	char text[CMD_LINEMAX], q[96], call[200], a[ADDR_STRLEN];
	struct endpoint ep;
	struct sock *sk;
	struct endpoint was;
	size_t n;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0 ||
	    arg_endpoint(s, cl, 2, sk, &ep, o, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	if (confined(x, sk, &ep, err, errlen) < 0)
		return -1;
	was = sk->local;
	cmd_join(cl, 3, text, sizeof text);
	n = strlen(text);
	cmd_quote(text, n, q, sizeof q);
	snprintf(call, sizeof call, "sendto(%s, %s, %zu, %s)", sk->name, q, n,
		 addr_format(&ep, a, sizeof a));
	report_send(s, o, sk, call, sock_sendto(sk, &ep, text, n));
	if (o->err == 0)
		note_autobind(s, sk, &was, NULL);
	return 0;
}

static void emit_sendto(struct export_ctx *x, const struct record *r)
{
	char var[80], *text = export_joined(r, 3);

	if (text == NULL) {
		x->oom = true;
		return;
	}
	export_var(r, var, sizeof var);
	export_open_result(x, r, "result");
	fprintf(x->f, ", send_to(%s, ", var);
	export_endpoint(x->f, r, r->argv[2]);
	fprintf(x->f, ", ");
	export_cstr(x->f, text);
	fprintf(x->f, "));\n");
	free(text);
}

const struct cmd_entry cmd_entry_sendto = {
	.name = "sendto", .usage = N_("sendto NAME ADDR:PORT TEXT"), .help = N_("send a datagram to an address"),
	.min_args = 3, .max_args = CMD_MAXARGS - 1, .flags = R | P | CMDF_COUNT | CMDF_SENDS, .args = "SAT", .exec = cmd_sendto,
	.emit = emit_sendto };

/*
 * What a 0 from recv on a TCP socket means, from the kernel's state of the
 * connection.  Part of the call's line, as strace would print it: English,
 * as the exported C program prints it too.
 */
static const char *eof_words(const struct sock *sk)
{
	switch (sock_eof_why(sk)) {
	case EOF_SHUT_RD:
		return "shut down for reading: recv returns 0 at once";
	case EOF_RESET:
		return "the connection was reset: after its one ECONNRESET, recv returns 0";
	case EOF_FIN:
		break;
	}
	return "end of stream: the peer sent FIN";
}

CMD_HANDLER(cmd_recv)
{
	VERB_SESSION;
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
		sink_printf(&s->sink, SINK_CALL, "%s = 0 (%s)", call, eof_words(sk));
	else
		sink_printf(&s->sink, SINK_CALL, "%s = %zd %s", call, r, q);
	return 0;
}

static void emit_recv(struct export_ctx *x, const struct record *r)
{
	char var[80];

	export_var(r, var, sizeof var);
	export_open_result(x, r, "receive");
	fprintf(x->f, ", %s, %d);\n", var, r->sock.type == SOCK_DGRAM);
}

const struct cmd_entry cmd_entry_recv = {
	.name = "recv", .usage = N_("recv NAME"), .help = N_("read what has arrived (EAGAIN if nothing)"),
	.min_args = 1, .max_args = 1, .flags = R, .args = "S", .exec = cmd_recv, .emit = emit_recv };

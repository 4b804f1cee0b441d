/*
 * verb_sock: making sockets and setting them up: tcp, udp, set, shutdown,
 * disconnect, close. Each verb's handler,
 * its C emitter and its row of the command table stand together; the
 * rows are listed, in help order, in cmd_table.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lang/verb.h"
#include "lang/explain.h"
#include "util/i18n.h"

/* a row's flags, short */
#define R CMDF_RECORD
#define P CMDF_REPLAY

static int make_socket(struct session *s, const struct cmd_line *cl, struct outcome *o,
		       char *err, size_t errlen, int type)
{
	char name[SOCK_NAMELEN] = "", call[96];
	int family = AF_INET, host = 0;
	const char *on = NULL;
	struct sock *sk;

	for (int i = 1; i < cl->argc; i++) {
		if (cl->argv[i][0] == '@') {
			if (on) {
				snprintf(err, errlen, _("%s: two hosts given"), cl->argv[0]);
				return -1;
			}
			on = cl->argv[i];
			if (cmd_arg_host(s, on, &host, err, errlen) < 0)
				return -1;
		} else if (strcmp(cl->argv[i], "-6") == 0) {
			family = AF_INET6;
		} else if (cl->argv[i][0] == '-') {
			snprintf(err, errlen, _("%s: unknown flag '%s' (only -6)"), cl->argv[0], cl->argv[i]);
			return -1;
		} else if (name[0]) {
			snprintf(err, errlen, _("%s: two names given ('%s' and '%s')"), cl->argv[0],
				 name, cl->argv[i]);
			return -1;
		} else if (!sock_name_valid(cl->argv[i])) {
			snprintf(err, errlen, _("bad socket name '%s': a letter, then letters, digits, _ or -"),
				 cl->argv[i]);
			return -1;
		} else {
			snprintf(name, sizeof name, "%s", cl->argv[i]);
		}
	}
	if (s == NULL)
		return 0;
	if (name[0] && socktab_find(&s->socks, name)) {
		snprintf(err, errlen, _("%s: a socket named '%s' is already open"), cl->argv[0], name);
		return -1;
	}
	if (!name[0])
		socktab_next_name(&s->socks, name);
	snprintf(call, sizeof call, "socket(%s, %s)%s%s", family == AF_INET6 ? "AF_INET6" : "AF_INET",
		 type == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM", host ? " on " : "",
		 hosts_name(&s->hosts, host));
	/* the socket is made in the host's namespace and stays there */
	if (hosts_enter(&s->hosts, host) < 0) {
		cmd_report(s, o, call, -1, errno);
		return 0;
	}
	sk = sock_open(&s->socks, name, family, type);
	{
		int e = errno;

		hosts_leave(&s->hosts);
		errno = e;
	}
	if (sk)
		sk->host = host;
	o->ret = 0;
	o->err = sk ? 0 : errno;
	if (sk)
		sink_printf(&s->sink, SINK_CALL, "%s = %s", call, name);
	else
		cmd_report(s, o, call, -1, errno);
	if (!sk)
		explain_socket(s, o->err);
	return 0;
}

CMD_HANDLER(cmd_tcp)
{
	VERB_SESSION;

	return make_socket(s, cl, o, err, errlen, SOCK_STREAM);
}

static void emit_socket(struct export_ctx *x, const struct record *r)
{
	char var[80];
	int family = AF_INET, type = r->argv[0][0] == 'u' ? SOCK_DGRAM : SOCK_STREAM;

	for (int i = 1; i < r->argc; i++)
		if (strcmp(r->argv[i], "-6") == 0)
			family = AF_INET6;
	if (!r->created[0]) {
		export_open_result(x, r, "new_socket");
		fprintf(x->f, ", \"\", %s, %s);\n", export_family(family), export_type(type));
		return;
	}
	export_cname(r->created, var, sizeof var);
	fprintf(x->f, "\t%s%s = new_socket(", export_declare(x, var), var);
	{
		char call[600];

		export_call_part(r, call, sizeof call);
		export_cstr(x->f, call);
	}
	fprintf(x->f, ", \"%s\", %s, %s);\n\t(void)%s;\n", r->created, export_family(family),
		export_type(type), var);
}

const struct cmd_entry cmd_entry_tcp = {
	.name = "tcp", .usage = N_("tcp [NAME] [-6] [@HOST]"), .help = N_("create a TCP socket (IPv4, or IPv6 with -6)"),
	.min_args = 0, .max_args = 3, .flags = R | P | CMDF_CREATES, .args = "N--",
	.exec = cmd_tcp, .emit = emit_socket };

CMD_HANDLER(cmd_udp)
{
	VERB_SESSION;

	return make_socket(s, cl, o, err, errlen, SOCK_DGRAM);
}

const struct cmd_entry cmd_entry_udp = {
	.name = "udp", .usage = N_("udp [NAME] [-6] [@HOST]"), .help = N_("create a UDP socket (IPv4, or IPv6 with -6)"),
	.min_args = 0, .max_args = 3, .flags = R | P | CMDF_CREATES, .args = "N--",
	.exec = cmd_udp, .emit = emit_socket };

static int parse_onoff(const char *w)
{
	if (strcmp(w, "on") == 0 || strcmp(w, "1") == 0)
		return 1;
	if (strcmp(w, "off") == 0 || strcmp(w, "0") == 0)
		return 0;
	return -1;
}

CMD_HANDLER(cmd_set)
{
	VERB_SESSION;
	const struct sockopt_desc *opt = sock_opt_find(cl->argv[2]);
	const char *v = cl->argv[3];
	char call[128];
	struct sock *sk;
	int value;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (opt == NULL) {
		snprintf(err, errlen, _("set: unknown option '%s' (reuseaddr, reuseport, v6only, "
			 "nodelay, keepalive, linger, bind_address_no_port, local_port_range)"), cl->argv[2]);
		return -1;
	}
	if ((opt->bit == SOPT_PORT_RANGE) != (cl->argc == 5)) {
		snprintf(err, errlen, opt->bit == SOPT_PORT_RANGE ? _("set: local_port_range takes LO HI "
			 "(0 0 turns it off)") : _("set: %s takes one value"), opt->name);
		return -1;
	}
	if (opt->bit == SOPT_PORT_RANGE) {
		int lo = addr_parse_port(v), hi = addr_parse_port(cl->argv[4]);

		/* any two ports: the kernel refuses LO > HI itself (EINVAL), and 0 leaves an end open */
		if (lo < 0 || hi < 0) {
			snprintf(err, errlen, _("set: local_port_range takes LO HI, two ports (0..65535)"));
			return -1;
		}
		value = (int)((uint32_t)hi << 16 | (uint32_t)lo);
	} else if (opt->bit == SOPT_LINGER) {
		int secs = addr_parse_port(v);	/* a small non-negative integer */

		if (strcmp(v, "off") == 0)
			value = -1;
		else if (secs >= 0 && secs <= 3600)
			value = secs;
		else {
			snprintf(err, errlen, _("set: linger takes off or SECONDS (0..3600), not '%s'"), v);
			return -1;
		}
	} else if ((value = parse_onoff(v)) < 0) {
		snprintf(err, errlen, _("set: %s takes on or off, not '%s'"), opt->name, v);
		return -1;
	}
	if (s == NULL)
		return 0;
	if (opt->bit == SOPT_PORT_RANGE)
		snprintf(call, sizeof call, "setsockopt(%s, %s, %s-%s)", sk->name, opt->cname, v,
			 cl->argv[4]);
	else if (opt->bit == SOPT_LINGER)
		snprintf(call, sizeof call, value < 0 ? "setsockopt(%s, %s, {off})" :
			 "setsockopt(%s, %s, {on, %ds})", sk->name, opt->cname, value);
	else
		snprintf(call, sizeof call, "setsockopt(%s, %s, %s)", sk->name, opt->cname,
			 value ? "on" : "off");
	errno = 0;
	if (sock_setopt(sk, opt, value) < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_setsockopt(s, sk, o->err);
	} else {
		cmd_report(s, o, call, 0, 0);
	}
	return 0;
}

static void emit_set(struct export_ctx *x, const struct record *r)
{
	const struct sockopt_desc *o = sock_opt_find(r->argv[2]);
	const char *level = o->level == SOL_SOCKET ? "SOL_SOCKET" :
			    o->level == IPPROTO_IPV6 ? "IPPROTO_IPV6" :
			    o->level == IPPROTO_IP ? "IPPROTO_IP" : "IPPROTO_TCP";
	char var[80];

	export_var(r, var, sizeof var);
	if (o->bit == SOPT_LINGER) {
		bool on = strcmp(r->argv[3], "off") != 0;

		fprintf(x->f, "\t{\n\t\tstruct linger lg = { %d, %d };\n\n", on, on ? atoi(r->argv[3]) : 0);
		export_open_result(x, r, "\tresult");
		fprintf(x->f, ", setsockopt(%s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));\n\t}\n", var);
		return;
	}
	export_open_result(x, r, "set_flag");
	if (o->bit == SOPT_PORT_RANGE)	/* one 32-bit value: HI << 16 | LO */
		fprintf(x->f, ", %s, %s, %s, (int)(%uu << 16 | %uu));\n", var, level, o->cname,
			(unsigned)atoi(r->argv[4]), (unsigned)atoi(r->argv[3]));
	else
		fprintf(x->f, ", %s, %s, %s, %d);\n", var, level, o->cname,
			strcmp(r->argv[3], "on") == 0 || strcmp(r->argv[3], "1") == 0);
}

const struct cmd_entry cmd_entry_set = {
	.name = "set", .usage = N_("set NAME OPTION VALUE"),
	.help = N_("setsockopt: reuseaddr reuseport v6only nodelay keepalive bind_address_no_port "
		  "on|off; linger off|SECONDS; local_port_range LO HI"),
	.min_args = 3, .max_args = 4, .flags = R | P, .args = "SOV-", .exec = cmd_set, .emit = emit_set };

CMD_HANDLER(cmd_shutdown)
{
	VERB_SESSION;
	static const struct { const char *w, *c; int how; } hows[] = {
		{ "rd", "SHUT_RD", SHUT_RD }, { "wr", "SHUT_WR", SHUT_WR },
		{ "rdwr", "SHUT_RDWR", SHUT_RDWR },
	};
	struct sock *sk;
	char call[96];
	int h;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	for (h = 0; h < 3; h++)
		if (strcmp(cl->argv[2], hows[h].w) == 0)
			break;
	if (h == 3) {
		snprintf(err, errlen, _("shutdown: say rd, wr or rdwr, not '%s'"), cl->argv[2]);
		return -1;
	}
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "shutdown(%s, %s)", sk->name, hows[h].c);
	if (sock_shutdown(sk, hows[h].how) < 0) {
		cmd_report(s, o, call, -1, errno);
		explain_shutdown(s, sk, o->err);
	} else {
		cmd_report(s, o, call, 0, 0);
	}
	return 0;
}

static void emit_shutdown(struct export_ctx *x, const struct record *r)
{
	const char *how = strcmp(r->argv[2], "rd") == 0 ? "SHUT_RD" :
			  strcmp(r->argv[2], "wr") == 0 ? "SHUT_WR" : "SHUT_RDWR";
	char var[80];

	export_var(r, var, sizeof var);
	export_open_result(x, r, "result");
	fprintf(x->f, ", shut(%s, %s));\n", var, how);
}

const struct cmd_entry cmd_entry_shutdown = {
	.name = "shutdown", .usage = N_("shutdown NAME rd|wr|rdwr"), .help = N_("shut down one or both directions"),
	.min_args = 2, .max_args = 2, .flags = R | P, .args = "SH", .exec = cmd_shutdown,
	.emit = emit_shutdown };

CMD_HANDLER(cmd_disconnect)
{
	VERB_SESSION;
	struct endpoint was;
	struct sock *sk;
	char call[96], a[ADDR_STRLEN];

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "connect(%s, AF_UNSPEC)", sk->name);
	was = sk->local;
	if (sock_disconnect(sk) < 0) {
		cmd_report(s, o, call, -1, errno);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	if (sk->type == SOCK_STREAM) {
		sink_printf(&s->sink, SINK_WHY, _("connect() with AF_UNSPEC dissolves %s's association: a TCP "
			    "connection is aborted (RST), and the socket may connect again"), sk->name);
		return 0;
	}
	/* udp_disconnect: what bind() gave by hand stays, what connect() or a send chose goes */
	sink_printf(&s->sink, SINK_WHY, _("connect() with AF_UNSPEC dissolves %s's association: it takes "
		    "datagrams from anyone again"), sk->name);
	if (sk->local.family == 0 && was.family)
		sink_printf(&s->sink, SINK_WHY, _("%s's port %u was chosen by the kernel, not bound by hand: "
			    "the kernel takes it back, and the next send picks a new one"), sk->name, was.port);
	else if (sk->local.family && !addr_equal(&was, &sk->local))
		sink_printf(&s->sink, SINK_WHY, _("%s keeps port %u, which bind() gave it; its address goes "
			    "back to %s, because connect() had chosen it"), sk->name, sk->local.port,
			    addr_format(&sk->local, a, sizeof a));
	else if (sk->local.family)
		sink_printf(&s->sink, SINK_WHY, _("%s keeps %s, which bind() gave it"), sk->name,
			    addr_format(&sk->local, a, sizeof a));
	return 0;
}

static void emit_disconnect(struct export_ctx *x, const struct record *r)
{
	char var[80];

	export_var(r, var, sizeof var);
	fprintf(x->f, "\t{\n\t\tstruct sockaddr unspec = { .sa_family = AF_UNSPEC };\n\n");
	export_open_result(x, r, "\tresult");
	fprintf(x->f, ", connect(%s, &unspec, sizeof unspec));\n\t}\n", var);
}

const struct cmd_entry cmd_entry_disconnect = {
	.name = "disconnect", .usage = N_("disconnect NAME"),
	.help = N_("connect(AF_UNSPEC): dissolve the association (TCP: abort with RST)"),
	.min_args = 1, .max_args = 1, .flags = R | P, .args = "S", .exec = cmd_disconnect,
	.emit = emit_disconnect };

CMD_HANDLER(cmd_close)
{
	VERB_SESSION;
	struct sock *sk;
	char call[64];
	bool still;
	int r;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "close(%s)", sk->name);
	r = session_close(s, sk, &still);
	cmd_report(s, o, call, r < 0 ? -1 : 0, r < 0 ? errno : 0);
	if (still)
		sink_printf(&s->sink, SINK_WHY, _("SO_LINGER %d: close() is still sending what was left; it "
			    "finishes by itself, within %d s"), sk->linger, sk->linger);
	explain_close(s, sk);
	return 0;
}

static void emit_close(struct export_ctx *x, const struct record *r)
{
	char var[80];

	export_var(r, var, sizeof var);
	export_open_result(x, r, "result");
	fprintf(x->f, ", close(%s));\n", var);
}

const struct cmd_entry cmd_entry_close = {
	.name = "close", .usage = N_("close NAME"), .help = N_("close the socket"),
	.min_args = 1, .max_args = 1, .flags = R | P | CMDF_CLOSES, .args = "S", .exec = cmd_close,
	.emit = emit_close };

/*
 * cmd_sock: making sockets and setting them up: tcp, udp, set, shutdown,
 * close.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd_int.h"
#include "explain.h"
#include "i18n.h"

static int make_socket(struct session *s, const struct cmd_line *cl, struct outcome *o,
		       char *err, size_t errlen, int type)
{
	char name[SOCK_NAMELEN] = "", call[96];
	int family = AF_INET;
	struct sock *sk;

	for (int i = 1; i < cl->argc; i++) {
		if (strcmp(cl->argv[i], "-6") == 0) {
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
	snprintf(call, sizeof call, "socket(%s, %s)", family == AF_INET6 ? "AF_INET6" : "AF_INET",
		 type == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM");
	sk = sock_open(&s->socks, name, family, type);
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
	return make_socket(s, cl, o, err, errlen, SOCK_STREAM);
}

CMD_HANDLER(cmd_udp)
{
	return make_socket(s, cl, o, err, errlen, SOCK_DGRAM);
}

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

		if (lo < 0 || hi < 0 || lo > hi) {
			snprintf(err, errlen, _("set: local_port_range takes LO HI, two ports with LO <= HI"));
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

CMD_HANDLER(cmd_shutdown)
{
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

CMD_HANDLER(cmd_disconnect)
{
	struct sock *sk;
	char call[96];

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "connect(%s, AF_UNSPEC)", sk->name);
	if (sock_disconnect(sk) < 0) {
		cmd_report(s, o, call, -1, errno);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	sink_printf(&s->sink, SINK_WHY, _("connect() with AF_UNSPEC dissolves %s's association%s"),
		    sk->name, sk->type == SOCK_STREAM ? _(": a TCP connection is aborted (RST), and the "
		    "socket may connect again") : _(": it takes datagrams from anyone again"));
	return 0;
}

CMD_HANDLER(cmd_close)
{
	struct sock *sk;
	char call[64];
	int r;

	if (cmd_arg_sock(s, cl, 1, &sk, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "close(%s)", sk->name);
	r = sock_close(sk);
	cmd_report(s, o, call, r < 0 ? -1 : 0, r < 0 ? errno : 0);
	explain_close(s, sk);
	return 0;
}

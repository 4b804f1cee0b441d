/*
 * ui_scmd: the screen's own commands, one table of the command table's
 * shape.  They change what the screen shows (filter, view, scroll, select,
 * help, prompt) or drive the lesson player, never a socket, so they are not
 * part of the language: a transcript never holds them.  Keys run them
 * through ui_run_command like any typed line; `toggle` builds the `set`
 * line of the language and runs that, so the log shows the real call.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui/ui_int.h"

struct screen_cmd {
	const char *name;
	const char *usage;
	const char *help;
	bool echo;		/* shown in the log as typed (it changes what is shown) */
	void (*exec)(struct ui *ui, const char *arg);
};

/* `filter WORDS`: the kernel pane shows the rows `net WORDS` would. */
static void do_filter(struct ui *ui, const char *words)
{
	struct cmd_line cl;
	char line[200], err[256];
	struct netfilter f;

	if (*words == '\0') {
		ui->kp.filter_text[0] = '\0';
		ui_message(ui, _("kernel pane: no filter"));
		return;
	}
	/* split the words as the language does, through its parser */
	snprintf(line, sizeof line, "net %s", words);
	if (cmd_parse(line, &cl, err, sizeof err) != 0 ||
	    netfilter_parse(cl.argc - 1, cl.argv + 1, &f, err, sizeof err) < 0) {
		ui_message(ui, _("filter: %s"), strncmp(err, "net: ", 5) == 0 ? err + 5 : err);
		return;
	}
	ui->kp.filter = f;
	snprintf(ui->kp.filter_text, sizeof ui->kp.filter_text, "%s", words);
	ui->kp.scroll = 0;
	ui_message(ui, _("kernel pane: filter %s (':filter' alone clears it)"), words);
}

/* `quit`: at once with no socket open, else it asks first. */
static void do_quit(struct ui *ui, const char *arg)
{
	size_t open = socktab_count_open(&ui->s->socks);
	char q[120];

	(void)arg;
	if (open == 0) {
		ui_quit(ui);
		return;
	}
	snprintf(q, sizeof q, ngettext("%zu socket open: quit and close it? (y/n)",
				       "%zu sockets open: quit and close them? (y/n)", open), open);
	ui_ask(ui, q, ui_quit);
}

static void do_help(struct ui *ui, const char *arg)
{
	(void)arg;
	mode_push(ui, &mode_help);
}

static void do_prompt(struct ui *ui, const char *text)
{
	prompt_open(ui, *text ? text : NULL);
}

static void do_redraw(struct ui *ui, const char *arg)
{
	(void)arg;
	clearok(curscr, TRUE);
	ui->dirty = true;
}

/* `toggle OPTION`: the `set` line that flips it on the selected socket. */
static void do_toggle(struct ui *ui, const char *name)
{
	const struct sock *sk = ui_selected(ui);
	const struct sockopt_desc *o = sock_opt_find(name);
	char line[200];
	bool on;

	if (o == NULL) {
		ui_message(ui, _("toggle: no option '%s'"), name);
		return;
	}
	if (sk == NULL) {
		ui_message(ui, _("no socket selected: press t or u to make one"));
		return;
	}
	on = sk->opts & o->bit;
	if (o->bit == SOPT_LINGER)
		snprintf(line, sizeof line, "set %s linger %s", sk->name, on ? "off" : "0");
	else
		snprintf(line, sizeof line, "set %s %s %s", sk->name, o->name, on ? "off" : "on");
	ui_run_command(ui, line, NULL);
}

/* The session's newest socket that listens (TCP) or waits bound and unconnected (UDP), not sk. */
static const struct sock *server_for(const struct ui *ui, const struct sock *sk)
{
	for (size_t i = ui->s->socks.n; i-- > 0;) {
		const struct sock *k = ui->s->socks.v[i];

		if (k == sk || k->type != sk->type || k->fd < 0 || k->local.family == 0)
			continue;
		if (sk->type == SOCK_STREAM ? k->state == SOCK_LISTENING : k->peer.family == 0)
			return k;
	}
	return NULL;
}

/* The host to reach ep on: its own address, or loopback for a wildcard ("[::1]" for IPv6). */
static void host_of(const struct endpoint *ep, char *buf, size_t len)
{
	char h[ADDR_STRLEN];

	if (addr_is_wildcard(ep))
		snprintf(buf, len, "%s", ep->family == AF_INET6 ? "[::1]" : "127.0.0.1");
	else if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]", addr_format_host(ep, h, sizeof h));
	else
		snprintf(buf, len, "%s", addr_format_host(ep, h, sizeof h));
}

/*
 * `guess bind|connect|send NAME`: open the prompt with the command and a
 * guessed address, selected: the socket's own loopback for bind ([::1]
 * for IPv6), a server of the session for connect (a listener, or for UDP
 * a bound socket), and for an unconnected UDP socket sendto to the
 * address it last sent to, or to such a server.
 */
static void do_guess(struct ui *ui, const char *arg)
{
	char verb[16] = "", name[SOCK_NAMELEN] = "", fixed[80], host[ADDR_STRLEN] = "";
	const struct sock *sk, *srv;
	int port = 0;

	if (sscanf(arg, "%15s %15s", verb, name) != 2 || (sk = socktab_find(&ui->s->socks, name)) == NULL) {
		ui_message(ui, _("guess: bind, connect or send, then an open socket"));
		return;
	}
	snprintf(host, sizeof host, "%s", sk->family == AF_INET6 ? "[::1]" : "127.0.0.1");
	srv = server_for(ui, sk);
	if (strcmp(verb, "bind") == 0) {
		snprintf(fixed, sizeof fixed, "bind %s ", name);
		prompt_open_guess(ui, fixed, host, 0);
	} else if (strcmp(verb, "connect") == 0) {
		if (srv && (srv->local.family == sk->family || sk->family == AF_INET6)) {
			host_of(&srv->local, host, sizeof host);
			port = srv->local.port;
		}
		snprintf(fixed, sizeof fixed, "connect %s ", name);
		prompt_open_guess(ui, fixed, host, port);
	} else if (strcmp(verb, "send") == 0) {
		char line[200], to[ADDR_STRLEN] = "";

		if (sk->type == SOCK_DGRAM && sk->peer.family == 0) {
			/* the address this socket last sent to, else a server of the session */
			for (size_t i = ui->s->nrecords; i-- > 0 && !to[0];) {
				const struct record *r = &ui->s->records[i];

				if (strcmp(r->sock.name, name) == 0 && r->addr.family && strcmp(r->argv[0], "sendto") == 0)
					addr_format(&r->addr, to, sizeof to);
			}
			if (!to[0] && srv) {
				host_of(&srv->local, host, sizeof host);
				snprintf(to, sizeof to, "%s:%d", host, srv->local.port);
			}
			snprintf(line, sizeof line, "sendto %s %s ", name, to[0] ? to : host);
		} else {
			snprintf(line, sizeof line, "send %s ", name);
		}
		prompt_open(ui, line);
	} else {
		ui_message(ui, _("guess: bind, connect or send, then an open socket"));
	}
}

/* `theme [default|projector]`: alone, the other one */
static void do_theme(struct ui *ui, const char *arg)
{
	bool proj;

	if (strcmp(arg, "projector") == 0)
		proj = true;
	else if (strcmp(arg, "default") == 0)
		proj = false;
	else if (*arg == '\0')
		proj = !theme_projector_on();
	else {
		ui_message(ui, _("theme: default or projector"));
		return;
	}
	theme_init(ui->use_colour, proj);
	clearok(curscr, TRUE);	/* every cell again, in its new colours */
	ui_message(ui, _("theme: %s"), proj ? _("projector (high contrast, nothing dim)") : _("default"));
}

static void do_select(struct ui *ui, const char *dir)
{
	int n = (int)socktab_count_open(&ui->s->socks);

	if (strcmp(dir, "up") == 0 && ui->sel > 0) {
		ui->sel--;
	} else if (strcmp(dir, "down") == 0 && ui->sel < n - 1) {
		ui->sel++;
	} else if (strcmp(dir, "up") != 0 && strcmp(dir, "down") != 0) {
		/* select NAME: its place among the open sockets */
		int k = 0;

		for (size_t i = 0; i < ui->s->socks.n; i++) {
			const struct sock *sk = ui->s->socks.v[i];

			if (sk->state == SOCK_CLOSED)
				continue;
			if (strcmp(sk->name, dir) == 0) {
				ui->sel = k;
				return;
			}
			k++;
		}
		ui_message(ui, _("select: up, down, or the name of an open socket"));
	}
}

static void do_view(struct ui *ui, const char *what)
{
	if (strcmp(what, "all") == 0) {
		ui->kp.all = !ui->kp.all;
		ui_message(ui, _("kernel pane: %s"), ui->kp.all ? _("every socket of this machine") :
			   _("only the ports this session touched"));
	} else if (strcmp(what, "own") == 0) {
		ui->kp.own = !ui->kp.own;
	} else if (strcmp(what, "proto") == 0) {
		ui->kp.proto = (ui->kp.proto + 1) % 3;
	} else if (strcmp(what, "sort") == 0) {
		ui->kp.sort = (enum ksort)((ui->kp.sort + 1) % KSORT_N);
		ui_message(ui, _("kernel pane sorted by %s"), ksort_name(ui->kp.sort));
	} else if (strcmp(what, "wire") == 0) {
		ui->wire_on = !ui->wire_on;
		if (ui->wire_on && ui->s->wire == NULL && ui->s->wire_why[0])
			ui_message(ui, _("%s"), ui->s->wire_why);
	} else {
		ui_message(ui, _("view: all, own, proto, sort or wire"));
	}
}

/* `scroll kernel|log up|down|end` */
static void do_scroll(struct ui *ui, const char *arg)
{
	bool log = strncmp(arg, "log ", 4) == 0;
	const char *dir = arg + strcspn(arg, " ");

	dir += strspn(dir, " ");
	if (!log && strncmp(arg, "kernel ", 7) != 0) {
		ui_message(ui, _("scroll: kernel or log, then up, down or end"));
		return;
	}
	if (!log) {
		ui->kp.scroll += strcmp(dir, "down") == 0 ? 1 : strcmp(dir, "up") == 0 ? -1 : 0;
		if (strcmp(dir, "end") == 0)
			ui->kp.scroll = 0;
		return;
	}
	if (strcmp(dir, "up") == 0)
		ui->lg.scroll = ui->lg.scroll + 5 > ui->lg.n * 4 ? ui->lg.n * 4 : ui->lg.scroll + 5;
	else if (strcmp(dir, "down") == 0)
		ui->lg.scroll = ui->lg.scroll > 5 ? ui->lg.scroll - 5 : 0;
	else
		ui->lg.scroll = 0;
}

/* `lesson next|answer N|step next|step back|restart` */
static void do_lesson(struct ui *ui, const char *arg)
{
	if (strcmp(arg, "list") == 0) {
		lesson_list(ui);
		return;
	}
	if (strncmp(arg, "open ", 5) == 0) {
		lesson_open_named(ui, arg + 5 + strspn(arg + 5, " "));
		return;
	}
	if (ui->lp.les == NULL) {
		ui_message(ui, _("no lesson is open: :lesson list shows them, :lesson open N opens one"));
		return;
	}
	if (strcmp(arg, "next") == 0)
		lesson_next(ui);
	else if (strncmp(arg, "answer ", 7) == 0)
		lesson_answer(ui, atoi(arg + 7));
	else if (strcmp(arg, "rest") == 0)
		lesson_rest(ui);
	else if (strcmp(arg, "step next") == 0)
		lesson_step(ui, 1);
	else if (strcmp(arg, "step back") == 0)
		lesson_step(ui, -1);
	else if (strcmp(arg, "restart") == 0)
		lesson_ask_restart(ui);
	else
		ui_message(ui, _("lesson: list, open N, next, rest, answer N, step next, step back or restart"));
}

static const struct screen_cmd screen_cmds[] = {
	{ "filter", "filter [WORDS]", N_("filter the kernel pane with the words of net; alone, clear it"),
	  true, do_filter },
	{ "quit", "quit", N_("leave sockplay (asks while sockets are open)"), true, do_quit },
	{ "q", "q", N_("the same as quit"), true, do_quit },
	{ "help-screen", "help-screen", N_("the help screen (help VERB: the language's help)"), false, do_help },
	{ "prompt", "prompt [TEXT]", N_("open the command line, TEXT typed"), false, do_prompt },
	{ "guess", "guess bind|connect|send NAME",
	  N_("open the command line with the call and a guessed address, selected (typing replaces it)"),
	  false, do_guess },
	{ "toggle", "toggle OPTION", N_("flip an on/off option of the selected socket (a set line)"),
	  false, do_toggle },
	{ "select", "select up|down|NAME", N_("select another socket"), false, do_select },
	{ "view", "view all|own|proto|sort|wire", N_("change what the kernel pane shows; show the wire pane"),
	  false, do_view },
	{ "scroll", "scroll kernel|log up|down|end", N_("scroll a pane"), false, do_scroll },
	{ "redraw", "redraw", N_("paint the whole screen again"), false, do_redraw },
	{ "theme", "theme [default|projector]", N_("the colours: projector is high contrast, nothing dim"),
	  false, do_theme },
	{ "lesson", "lesson list|open N|next|rest|answer N|step next|step back|restart",
	  N_("list the lessons with their progress, open one, drive the open one"),
	  false, do_lesson },
	{ NULL, NULL, NULL, false, NULL },
};

/*
 * Run text when it is a screen command: true then (echoed first when the
 * row says so), false when it is a line of the language.
 */
bool scmd_run(struct ui *ui, const char *text)
{
	const char *t = text + strspn(text, " ");
	size_t n = strcspn(t, " ");

	for (const struct screen_cmd *c = screen_cmds; c->name; c++) {
		char echo[300];
		const char *arg;

		if (strlen(c->name) != n || strncmp(t, c->name, n) != 0)
			continue;
		arg = t + n + strspn(t + n, " ");
		if (c->echo) {
			snprintf(echo, sizeof echo, ":%s", text);
			ui_log(ui, R_DIM, echo);
		}
		ui->msg[0] = '\0';
		c->exec(ui, arg);
		ui->dirty = true;
		return true;
	}
	return false;
}

const char *scmd_help_line(size_t i, char *buf, size_t len)
{
	for (const struct screen_cmd *c = screen_cmds; c->name; c++)
		if (i-- == 0) {
			snprintf(buf, len, "  %-28s %s", c->usage, _(c->help));
			return buf;
		}
	return NULL;
}

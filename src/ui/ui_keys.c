/*
 * ui_keys: the key bindings.  Each key is a command string of the
 * language (with %s for the selected socket), so a key press and a typed
 * line leave the same trace in the log: the student sees the command they
 * could have typed.  Keys that need an argument open the prompt prefilled.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

enum how { RUN, PREFILL, TOGGLE };

struct binding {
	wint_t key;
	enum how how;
	const char *cmd;	/* %s: the selected socket; TOGGLE: the option */
	bool needs_socket;
};

static const struct binding bindings[] = {
	{ L't', RUN, "tcp", false },
	{ L'T', RUN, "tcp -6", false },
	{ L'u', RUN, "udp", false },
	{ L'U', RUN, "udp -6", false },
	{ L'b', PREFILL, "bind %s 127.0.0.1:", true },
	{ L'l', RUN, "listen %s", true },
	{ L'c', PREFILL, "connect %s 127.0.0.1:", true },
	{ L'a', RUN, "accept %s", true },
	{ L's', PREFILL, "send %s ", true },
	{ L'v', RUN, "recv %s", true },
	{ L'w', RUN, "shutdown %s wr", true },
	{ L'x', RUN, "close %s", true },
	{ L'r', TOGGLE, "reuseaddr", true },
	{ L'p', TOGGLE, "reuseport", true },
	{ L'6', TOGGLE, "v6only", true },
	{ L'0', TOGGLE, "linger", true },
	{ L'n', RUN, "net", false },
	{ L'E', PREFILL, "export c sockplay-session.c", false },
	{ L'/', PREFILL, "filter ", false },
	{ 0, RUN, NULL, false },
};

const char *const keys_help[] = {
	"Keys on the selected socket (Up/Down or j/k selects; each key runs a command)",
	"  t  tcp          new TCP socket          T  tcp -6     new IPv6 TCP socket",
	"  u  udp          new UDP socket          U  udp -6     new IPv6 UDP socket",
	"  b  bind         (prompt: address)       l  listen",
	"  c  connect      (prompt: address)       a  accept",
	"  s  send         (prompt: text)          v  recv",
	"  w  shutdown wr                          x  close",
	"  r  toggle SO_REUSEADDR                  p  toggle SO_REUSEPORT",
	"  6  toggle IPV6_V6ONLY                   0  toggle linger 0 (RST)",
	"  n  net: print the kernel table into the log",
	"  E  export the session as a C program (prompt: file name)",
	"Kernel pane",
	"  A  all sockets / only ports touched     O  own sockets only",
	"  P  protocol: all, tcp, udp              S  sort: kernel, port, state, owner",
	"  /  filter, with the words of net: tcp udp own STATE :PORT ADDR:PORT ->ADDR:PORT",
	"     (':filter' alone clears it)            J/K  scroll",
	"Screen",
	"  :  command line (Tab completes, Up/Down history, Esc leaves)",
	"  PgUp/PgDn/End  scroll the log           Ctrl-L  redraw",
	"  ? or F1  this help                      q  quit",
	"Options in the sockets pane: RA reuseaddr, RP reuseport, V6 v6only,",
	"  ND nodelay, KA keepalive, L<n> linger n seconds",
	NULL,
};

static void run_binding(struct ui *ui, const struct binding *b)
{
	const struct sock *sk = ui_selected(ui);
	char line[256];

	if (b->needs_socket && sk == NULL) {
		ui_message(ui, "no socket selected: press t or u to make one");
		return;
	}
	if (b->how == TOGGLE) {
		const struct sockopt_desc *o = sock_opt_find(b->cmd);
		bool on = sk->opts & o->bit;

		if (o->bit == SOPT_LINGER)
			snprintf(line, sizeof line, "set %s linger %s", sk->name, on ? "off" : "0");
		else
			snprintf(line, sizeof line, "set %s %s %s", sk->name, o->name, on ? "off" : "on");
		ui_run_command(ui, line, NULL);
		return;
	}
	{
		/* the binding's text with %s replaced by the selected socket's name */
		const char *pct = strstr(b->cmd, "%s");

		if (pct)
			snprintf(line, sizeof line, "%.*s%s%s", (int)(pct - b->cmd), b->cmd,
				 sk ? sk->name : "", pct + 2);
		else
			snprintf(line, sizeof line, "%s", b->cmd);
	}
	if (b->how == PREFILL)
		prompt_open(ui, line);
	else
		ui_run_command(ui, line, NULL);
}

bool keys_handle(struct ui *ui, wint_t ch, bool is_key)
{
	if (is_key) {
		if (ch == KEY_F(1)) {
			ui->help = true;
			return true;
		}
		return pane_sockets.key(ui, ch, true) || pane_log.key(ui, ch, true);
	}
	if (ch == L':') {
		prompt_open(ui, NULL);
		return true;
	}
	if (ch == L'?') {
		ui->help = true;
		return true;
	}
	if (ch == 12) {		/* ^L */
		clearok(curscr, TRUE);
		return true;
	}
	for (const struct binding *b = bindings; b->cmd; b++)
		if (b->key == ch) {
			run_binding(ui, b);
			return true;
		}
	return pane_sockets.key(ui, ch, false) || pane_kernel.key(ui, ch, false);
}

void keys_draw_bar(struct ui *ui, int y)
{
	static const char *const items[][2] = {
		{ "?", "help" }, { "t", "tcp" }, { "u", "udp" }, { "b", "bind" }, { "l", "listen" },
		{ "c", "connect" }, { "a", "accept" }, { "x", "close" }, { "r", "reuseaddr" },
		{ "p", "reuseport" }, { ":", "command" }, { "A", "all" }, { "q", "quit" },
	};
	int x = 0;

	fill_line(y, 0, ui->cols, theme_attr(R_KEYBAR));
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		int need = (int)strlen(items[i][0]) + (int)strlen(items[i][1]) + 2;

		if (x + need > ui->cols)
			break;
		x += put_text(y, x, ui->cols - x, items[i][0], theme_attr(R_KEY));
		x += put_text(y, x, ui->cols - x, " ", theme_attr(R_KEYBAR));
		x += put_text(y, x, ui->cols - x, items[i][1], theme_attr(R_KEYBAR));
		x += put_text(y, x, ui->cols - x, " ", theme_attr(R_KEYBAR));
	}
}

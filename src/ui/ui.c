/*
 * ui: the playground screen's loop.  One libev loop: the stdin watcher
 * drains keys until ERR and dispatches them; SIGWINCH comes through
 * ev_signal and resizes; a repeating timer re-reads the kernel table; an
 * io watcher per socket reports connections, data, FIN and RST as they
 * come; everything only marks the screen dirty, and one ev_prepare
 * watcher redraws once per loop pass.  SIGINT, SIGTERM and SIGHUP end the
 * loop, and the terminal is restored on every way out.  The screen's sink
 * and hooks sit on the runner while it runs; the hooks keep the rule "no
 * watcher outlives its fd" in one place for every path a line takes.
 */
#include "config.h"

#include <curses.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "kernel/sysctl.h"
#include "lang/cmd.h"
#include "run/lesson.h"
#include "ui/ui_int.h"
#include "util/errname.h"
#include "util/i18n.h"
#include "util/pace.h"

/* A line's colour, from what it is (a failed call is its own kind), never from its text. */
static enum role role_of(enum sink_kind kind)
{
	switch (kind) {
	case SINK_CALL:
		return R_CALL;
	case SINK_CALL_FAILED:
		return R_ERROR;
	case SINK_WHY:
		return R_WHY;
	case SINK_ERROR:
	case SINK_FAIL:
		return R_ERROR;
	case SINK_EVENT:
		return R_OWN;
	case SINK_WIRE:
		return R_WIRE;
	case SINK_INFO:
		break;
	}
	return R_INFO;
}

static void ui_sink_line(void *ctx, enum sink_kind kind, const char *text, size_t len)
{
	struct ui *ui = ctx;
	char line[1200];

	(void)len;
	snprintf(line, sizeof line, "%s%s", sink_prefix(kind), text);
	ui_log(ui, role_of(kind), line);
}

void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->dirty = true;
}

/* The status row: how full the local port range is, and the knobs, each an item of its own. */
static void status_update(struct ui *ui)
{
	static const char *const knobs[][2] = {
		{ "net.ipv4.tcp_tw_reuse", "tw_reuse" },
		{ "net.ipv4.tcp_timestamps", "timestamps" },
		{ "net.ipv4.tcp_fin_timeout", "fin_timeout" },
		{ "net.ipv4.tcp_max_tw_buckets", "max_tw" },
	};
	const struct port_gauge *g = &ui->gauge;

	ui->nstatusitems = 0;
	ui->have_gauge = session_port_gauge(ui->s, &ui->gauge) == 0 && g->hi >= g->lo;
	if (!ui->have_gauge)
		return;
	snprintf(ui->statusitem[ui->nstatusitems++], sizeof ui->statusitem[0], _("ephemeral ports %d-%d: %u in use, %u TIME_WAIT"),
		 g->lo, g->hi, g->used, g->timewait);
	for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++) {
		char v[32];

		if (sysctl_read(knobs[i][0], v, sizeof v) == 0)
			snprintf(ui->statusitem[ui->nstatusitems++], sizeof ui->statusitem[0], "%s %s", knobs[i][1], v);
	}
}

/* Re-read the kernel table, and with it the status row. */
static void kernel_refresh(struct ui *ui)
{
	session_refresh_net(ui->s);
	status_update(ui);
	ui->dirty = true;
	ui->read_end = ev_time();
}

/* --- live events --------------------------------------------------------- */

/*
 * A watched socket is ready: the engine says what happened (and, for a
 * connect that was still under way, finishes it and records that).
 */
static void watch_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sockwatch *sw = (struct sockwatch *)w;
	enum sock_event ev;

	(void)revents;
	ev_io_stop(loop, w);	/* once per change: re-armed after the next command */
	sw->armed = false;
	ev = session_watch_event(sw->ui->s, sw->sk->name, sw->told);
	if (ev == SEV_NONE || ((int)ev == sw->told && ev != SEV_DATA))
		return;		/* said already; a command on this socket clears it */
	sw->told = (int)ev;
	kernel_refresh(sw->ui);
}

/* Packets came while no command ran: a timer's (a delayed ACK, a retransmission). */
static void wire_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui *ui = (struct ui *)((char *)w - offsetof(struct ui, wire_io));
	size_t told = ui->s->wire_told;

	(void)loop;
	(void)revents;
	session_wire_between(ui->s);
	if (ui->s->wire_told != told)
		kernel_refresh(ui);	/* a packet changes what the kernel holds */
}

/* The cable's frames were told between commands: the table and the ladder change with them. */
static void between_cb(void *ctx)
{
	struct ui *ui = ctx;

	kernel_refresh(ui);
	ui->dirty = true;
}

static void wire_watch(struct ui *ui, bool on)
{
	if (ui->wire_armed)
		ev_io_stop(ui->loop, &ui->wire_io);
	ui->wire_armed = false;
	if (!on || ui->s->wire == NULL || wire_fd(ui->s->wire) < 0)
		return;
	/* `reset` opens the capture again in the new namespace: its descriptor changes */
	ev_io_init(&ui->wire_io, wire_cb, wire_fd(ui->s->wire), EV_READ);
	ev_io_start(ui->loop, &ui->wire_io);
	ui->wire_armed = true;
}

static void watch_stop_all(struct ui *ui)
{
	for (size_t i = 0; i < ui->nwatch; i++)
		if (ui->watch[i].armed)
			ev_io_stop(ui->loop, &ui->watch[i].io);
	free(ui->watch);
	ui->watch = NULL;
	ui->nwatch = 0;
}

/* What was told of sk before, unless the last command named it. */
static int told_before(const struct sockwatch *old, size_t nold, const struct sock *sk,
		       const char *named)
{
	if (named && strcmp(named, sk->name) == 0)
		return 0;
	for (size_t i = 0; i < nold; i++)
		if (old[i].sk == sk)
			return old[i].told;
	return 0;
}

/*
 * One watcher per open socket that can have news.  `named` is the socket
 * the last command was about: news of it may be told again.
 */
static void watch_sync(struct ui *ui, const char *named)
{
	struct sockwatch *old = ui->watch;
	size_t n = 0, nold = ui->nwatch;

	for (size_t i = 0; i < nold; i++)
		if (old[i].armed) {
			ev_io_stop(ui->loop, &old[i].io);
			old[i].armed = false;
		}
	ui->watch = calloc(ui->s->socks.n ? ui->s->socks.n : 1, sizeof *ui->watch);
	if (ui->watch == NULL) {
		ui->watch = old;
		return;
	}
	for (size_t i = 0; i < ui->s->socks.n; i++) {
		const struct sock *sk = ui->s->socks.v[i];
		struct sockwatch *sw = &ui->watch[n];

		if (sk->fd < 0 || sk->state == SOCK_CREATED || (sk->state == SOCK_BOUND && sk->type == SOCK_STREAM))
			continue;
		sw->ui = ui;
		sw->sk = sk;
		sw->told = told_before(old, nold, sk, named);
		ev_io_init(&sw->io, watch_cb, sk->fd, sk->state == SOCK_CONNECTING ? EV_WRITE : EV_READ);
		ev_io_start(ui->loop, &sw->io);
		sw->armed = true;
		n++;
	}
	free(old);
	ui->nwatch = n;
}

/* --- commands ------------------------------------------------------------ */

static void resize_screen(struct ui *ui, bool from_signal);
static bool terminal_gone(struct ui *ui);
static void hang_up(struct ui *ui);



/* Before every command, from any path (key, prompt, lesson, restart): nothing may fire meanwhile. */
static void before_command(void *ctx, const struct cmd_line *cl)
{
	struct ui *ui = ctx;

	/* no key may start a command while one runs; and no watcher may outlive its fd */
	ev_io_stop(ui->loop, &ui->input);
	/*
	 * Keys typed meanwhile are read (interrupt_cb): a quit key cuts every
	 * wait short, a lesson's too; any key cuts a typed wait of a second or
	 * more; the others are kept for after the command.
	 */
	ui->any_key_cuts = (cl->cmd->flags & CMDF_WAITS) && cl->argc > 1 && strtod(cl->argv[1], NULL) >= 1.0 &&
			   !ui->run->from_lesson;	/* a lesson's wait is part of what it shows */
	ev_io_start(ui->loop, &ui->interrupt);
	if (ui->run->from_lesson) {
		/* a lesson's line shows in the log as a typed one does */
		char echo[CMD_TEXTMAX + 2];

		echo[0] = ':';
		cmd_line_text(cl, echo + 1, sizeof echo - 1);
		ui_log(ui, R_DIM, echo);
	}
	for (size_t i = 0; i < ui->nwatch; i++)
		if (ui->watch[i].armed) {
			ev_io_stop(ui->loop, &ui->watch[i].io);
			ui->watch[i].armed = false;
		}
	wire_watch(ui, false);	/* the call reads its own packets when it ends */
}

static void after_command(void *ctx, const struct cmd_result *r)
{
	struct ui *ui = ctx;
	const struct cmd_line *cl = &r->cl;

	ev_io_stop(ui->loop, &ui->interrupt);
	/* a refused line is told once, in the log, as "error: ..." (batch: FILE:LINE: ...) */
	if (r->interrupted && !ui->quit)
		ui_message(ui, "%s", _("wait interrupted by a key"));
	if (ui->run->tr.failed && ui->run->tr.error[0] && !ui->msg[0])
		ui_message(ui, "%s", ui->run->tr.error);
	kernel_refresh(ui);
	/* each pane hears of the command (a new socket selected, the wire's states noted) */
	for (int p = 0; p < P_N; p++)
		if (ui->panes[p].ops->after)
			ui->panes[p].ops->after(ui, ui->panes[p].data, r);
	watch_sync(ui, cl->argc > 1 ? cl->argv[1] : NULL);
	wire_watch(ui, true);
	if (!ui->quit)
		ev_io_start(ui->loop, &ui->input);
	ui->dirty = true;
}

/* A key while a command waits: drained, and the wait ends. */
/* q, F10, Ctrl-C and Ctrl-\: what quits, in every mode, during every wait */
static bool quit_key(wint_t ch, bool is_key)
{
	return is_key ? ch == KEY_F(10) : ch == L'q' || ch == 3 || ch == 0x1c;
}

/* A key while a command waits (see before_command). */
static void interrupt_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui *ui = (struct ui *)((char *)w - offsetof(struct ui, interrupt));
	wint_t ch;
	int r;
	bool any = false;

	(void)loop;
	(void)revents;
	while ((r = get_wch(&ch)) != ERR) {
		bool is_key = r == KEY_CODE_YES;

		any = true;
		if (is_key && ch == KEY_RESIZE) {
			resize_screen(ui, false);
		} else if (!is_key && ch == 27) {
			while (get_wch(&ch) != ERR)
				;	/* a sequence (a click) while a command runs: nothing of it acts */
		} else if (quit_key(ch, is_key)) {
			session_interrupt(ui->s);	/* and it acts once the command is back */
			ui_queue_key(ui, ch, is_key);
		} else if (ui->any_key_cuts) {
			session_interrupt(ui->s);
		} else {
			ui_queue_key(ui, ch, is_key);	/* typed ahead: for after the command */
		}
	}
	ui->empty_wakes = any ? 0 : ui->empty_wakes + 1;
	if (!any && terminal_gone(ui)) {
		ev_io_stop(loop, w);
		hang_up(ui);
	}
}

void ui_queue_key(struct ui *ui, wint_t ch, bool is_key)
{
	if (ui->nqueued < (int)(sizeof ui->queued / sizeof ui->queued[0]))
		ui->queued[ui->nqueued++] = (struct queued_key){ ch, is_key };
}

/* The next key: one typed while a command waited, else the terminal's; false when none. */
static bool next_key(struct ui *ui, wint_t *ch, bool *is_key)
{
	int r;

	if (ui->nqueued > 0) {
		*ch = ui->queued[0].ch;
		*is_key = ui->queued[0].is_key;
		memmove(ui->queued, ui->queued + 1, (size_t)--ui->nqueued * sizeof ui->queued[0]);
		return true;
	}
	r = get_wch(ch);
	*is_key = r == KEY_CODE_YES;
	return r != ERR;
}

void ui_run_command(struct ui *ui, const char *text, struct cmd_result *out)
{
	struct cmd_result *r = out ? out : malloc(sizeof *r);
	char echo[CMD_TEXTMAX + 2];

	if (r == NULL) {
		ui_message(ui, "%s", _("out of memory"));
		return;
	}
	memset(r, 0, sizeof *r);
	r->status = CMD_BLANK;
	if (!scmd_run(ui, text)) {
		snprintf(echo, sizeof echo, ":%s", text);
		ui_log(ui, R_DIM, echo);
		ui->msg[0] = '\0';
		runner_line(ui->run, text, r);
	}
	if (r != out)
		free(r);
}

void mode_push(struct ui *ui, const struct mode_ops *m)
{
	mode_pop(ui, m);	/* once on the stack at most */
	if (ui->nmodes < MODE_MAX)
		ui->modes[ui->nmodes++] = m;
	ui->dirty = true;
}

void mode_pop(struct ui *ui, const struct mode_ops *m)
{
	for (int i = 0; i < ui->nmodes; i++)
		if (ui->modes[i] == m) {
			memmove(ui->modes + i, ui->modes + i + 1, (size_t)(ui->nmodes - i - 1) * sizeof *ui->modes);
			ui->nmodes--;
			ui->dirty = true;
			return;
		}
}

bool mode_up(const struct ui *ui, const struct mode_ops *m)
{
	for (int i = 0; i < ui->nmodes; i++)
		if (ui->modes[i] == m)
			return true;
	return false;
}

/* A yes/no question (ui_ask): y does it, any other key keeps going. */
static void confirm_key(struct ui *ui, wint_t ch, bool is_key)
{
	void (*yes)(struct ui *) = ui->on_yes;

	mode_pop(ui, &mode_confirm);
	ui->on_yes = NULL;
	ui->msg[0] = '\0';
	if (!is_key && (ch == L'y' || ch == L'Y') && yes)
		yes(ui);
}

void ui_ask(struct ui *ui, const char *question, void (*yes)(struct ui *ui))
{
	ui->on_yes = yes;
	ui_message(ui, "%s", question);
	mode_push(ui, &mode_confirm);
}

const struct mode_ops mode_confirm = { "confirm", confirm_key };

void ui_quit(struct ui *ui)
{
	ui->quit = true;
	ev_break(ui->loop, EVBREAK_ALL);
}

/* --- watchers ------------------------------------------------------------ */

/*
 * SIGWINCH: tell curses the new size.  resizeterm() queues a KEY_RESIZE,
 * whose handling must not resize again (that loops), so it only re-reads.
 */
static void resize_screen(struct ui *ui, bool from_signal)
{
	struct winsize ws;

	if (from_signal && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	getmaxyx(stdscr, ui->rows, ui->cols);
	clearok(curscr, TRUE);
	ui->dirty = true;
}

/*
 * Readable, yet no key: a terminal that went away reads as end of file
 * for ever, and a loop that kept waking for it would spin.  poll says
 * POLLHUP then; a few empty wakes in a row say it too.
 */
static bool terminal_gone(struct ui *ui)
{
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };

	if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
		return true;
	return ui->empty_wakes >= 50;
}

/* As SIGHUP would: the program ends, the transcript complete. */
static void hang_up(struct ui *ui)
{
	ui->quit = true;
	ui->status = 128 + SIGHUP;
	session_stop(ui->s);
	ev_break(ui->loop, EVBREAK_ALL);
}

static void input_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ui *ui = (struct ui *)((char *)w - offsetof(struct ui, input));
	wint_t ch;
	bool is_key, any = false;

	(void)loop;
	(void)revents;
	/* drain every key that is there, as ncdu does */
	while (!ui->quit && next_key(ui, &ch, &is_key)) {
		any = true;
		if (is_key && ch == KEY_RESIZE)
			resize_screen(ui, false);
		else
			input_key(ui, ch, is_key);
		ui->dirty = true;
		if (!ev_is_active(&ui->input))
			break;	/* a command ran and re-armed us; go round the loop */
	}
	ui->empty_wakes = any ? 0 : ui->empty_wakes + 1;
	if (!any && terminal_gone(ui))
		hang_up(ui);
}

static void winch_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct ui *ui = (struct ui *)((char *)w - offsetof(struct ui, winch));

	(void)loop;
	(void)revents;
	resize_screen(ui, true);
}

static void quit_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct ui *ui = w->data;

	(void)revents;
	ui->quit = true;
	ui->status = 128 + w->signum;
	session_stop(ui->s);	/* a command waiting in a nested loop ends too */
	ev_break(loop, EVBREAK_ALL);
}

/*
 * Every --interval: a look at the kernel's counts (/proc/net/sockstat, a
 * few lines).  The table is read in full when they changed (a socket came
 * or went, data moved) and at least once a second (a foreign socket's
 * state may change without changing a count), but never sooner after the
 * last read than the pace allows (a twelfth of a core): pace_due().  Between
 * reads the countdowns tick from the last read.
 */
static void refresh_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ui *ui = (struct ui *)((char *)w - offsetof(struct ui, refresh));
	double t0 = ev_time(), since = t0 - ui->read_end;
	char stat[sizeof ui->stat];
	size_t n = procnet_sockstat(&ui->s->pn, stat, sizeof stat);
	bool changed = n == 0 || n != ui->stat_len || memcmp(stat, ui->stat, n) != 0;

	(void)revents;
	if (pace_due(&ui->pace, since, changed)) {
		memcpy(ui->stat, stat, n);
		ui->stat_len = n;
		kernel_refresh(ui);
		session_note_timewait_ends(ui->s);	/* a countdown that reached 0 is told */
		/*
		 * the look, the read and join now, the draw that last sorted the
		 * rows and the draws since (the countdowns' ticks): a refresh's cost
		 */
		ui->cost = ev_time() - t0 + ui->draw_cost + ui->between_cost;
		ui->between_cost = 0;
		pace_after(&ui->pace, ui->cost);
	} else if (kernel_pane_ticking(ui)) {
		ui->dirty = true;	/* the countdowns tick */
	}
	w->repeat = ui->pace.base;
	ev_timer_again(loop, w);
}

static void redraw_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ui *ui = (struct ui *)((char *)w - offsetof(struct ui, redraw));

	(void)loop;
	(void)revents;
	double t0;

	class_ui_sync(ui);	/* the class hears where the lesson went (between commands only) */
	if (!ui->dirty || ui->quit)
		return;
	t0 = ev_time();
	ui_draw(ui);
	wnoutrefresh(stdscr);
	doupdate();
	class_ui_drawn(ui);
	if (kernel_pane_rebuilt(ui))
		ui->draw_cost = ev_time() - t0;
	else
		ui->between_cost += ev_time() - t0;
	ui->dirty = false;
}

/* curses up, stderr silenced (nothing may paint over the screen): the saved stderr */
static int screen_start(struct ui *ui, bool projector)
{
	const char *nc = getenv("NO_COLOR");
	int saved_err, devnull;

	fflush(stderr);
	saved_err = dup(STDERR_FILENO);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull >= 0) {
		dup2(devnull, STDERR_FILENO);
		close(devnull);
	}
	initscr();
	cbreak();
	{
		/*
		 * Ctrl-C comes as a key, so it can ask first as q does; a SIGINT
		 * sent with kill still ends the program at once.  Ctrl-Z still
		 * suspends.  endwin() gives the shell its own settings back.
		 */
		struct termios tio;

		if (tcgetattr(STDIN_FILENO, &tio) == 0) {
			tio.c_cc[VINTR] = _POSIX_VDISABLE;
			tio.c_cc[VQUIT] = _POSIX_VDISABLE;	/* Ctrl-\ too: a key that quits, never a core in curses mode */
			if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0)
				def_prog_mode();
		}
	}
	noecho();
	mouse_start();
	putp("\033[?2004h");	/* bracketed paste: a paste arrives marked, never as keys (ui_input.c) */
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	ui->use_colour = !(nc && *nc);
	theme_init(ui->use_colour, projector);
	getmaxyx(stdscr, ui->rows, ui->cols);
	return saved_err;
}

static void screen_end(int saved_err)
{
	putp("\033[?2004l");
	endwin();
	if (saved_err >= 0) {
		dup2(saved_err, STDERR_FILENO);
		close(saved_err);
	}
}

static void watchers_start(struct ui *ui)
{
	ev_io_init(&ui->input, input_cb, STDIN_FILENO, EV_READ);
	ev_io_start(ui->loop, &ui->input);
	ev_io_init(&ui->interrupt, interrupt_cb, STDIN_FILENO, EV_READ);
	ui->run->hooks = (struct runner_hooks){ before_command, after_command, ui };
	ev_signal_init(&ui->winch, winch_cb, SIGWINCH);
	ev_signal_start(ui->loop, &ui->winch);
	ev_signal_init(&ui->sigint, quit_cb, SIGINT);
	ev_signal_init(&ui->sigterm, quit_cb, SIGTERM);
	ev_signal_init(&ui->sighup, quit_cb, SIGHUP);
	ev_signal_init(&ui->sigquit, quit_cb, SIGQUIT);
	ui->sigint.data = ui->sigterm.data = ui->sighup.data = ui->sigquit.data = ui;
	ev_signal_start(ui->loop, &ui->sigint);
	ev_signal_start(ui->loop, &ui->sigterm);
	ev_signal_start(ui->loop, &ui->sighup);
	ev_signal_start(ui->loop, &ui->sigquit);
	ev_timer_init(&ui->refresh, refresh_cb, 0., ui->pace.base);
	ev_timer_start(ui->loop, &ui->refresh);
	ev_prepare_init(&ui->redraw, redraw_cb);
	ev_prepare_start(ui->loop, &ui->redraw);
	wire_watch(ui, true);
}

static void watchers_stop(struct ui *ui)
{
	ui->run->hooks = (struct runner_hooks){ NULL, NULL, NULL };
	ev_io_stop(ui->loop, &ui->interrupt);
	watch_stop_all(ui);
	wire_watch(ui, false);
	ev_io_stop(ui->loop, &ui->input);
	ev_signal_stop(ui->loop, &ui->winch);
	ev_signal_stop(ui->loop, &ui->sigint);
	ev_signal_stop(ui->loop, &ui->sigterm);
	ev_signal_stop(ui->loop, &ui->sighup);
	ev_signal_stop(ui->loop, &ui->sigquit);
	ev_timer_stop(ui->loop, &ui->refresh);
	ev_prepare_stop(ui->loop, &ui->redraw);
}

void *pane_data(struct ui *ui, enum pane_id id)
{
	return ui->panes[id].data;
}

static const struct pane_ops *const pane_table[P_N] = {
	[P_SOCKETS] = &pane_sockets, [P_KERNEL] = &pane_kernel, [P_LOG] = &pane_log, [P_WIRE] = &pane_wire,
	[P_LESSON] = &pane_lesson, [P_HELP] = &pane_help, [P_PROMPT] = &pane_prompt, [P_MENU] = &pane_menu,
};

/* Every pane's state, made: 0, or -1 (out of memory) with what was made freed. */
static int panes_init(struct ui *ui)
{
	for (int p = 0; p < P_N; p++) {
		ui->panes[p].ops = pane_table[p];
		ui->panes[p].data = pane_table[p]->init(ui);
		if (ui->panes[p].data == NULL) {
			while (p-- > 0)
				ui->panes[p].ops->free(ui->panes[p].data);
			return -1;
		}
	}
	return 0;
}

static void panes_free(struct ui *ui)
{
	for (int p = 0; p < P_N; p++)
		ui->panes[p].ops->free(ui->panes[p].data);
}

int ui_run(struct runner *run, const struct ui_options *o)
{
	struct session *s = run->s;
	struct ui *ui;
	int saved_err, status;
	char class_said[700];

	/* the locale is set already: i18n_init(), first thing in main */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sockplay: %s\n", _("the playground screen needs a terminal; "
			"for scripts use --batch FILE (or --batch - for standard input)"));
		return 2;
	}
	if (!terminal_usable())
		return 2;
	ui = calloc(1, sizeof *ui);
	if (ui == NULL || (ui->run = run, panes_init(ui) < 0)) {
		fprintf(stderr, "sockplay: out of memory\n");
		free(ui);
		return 2;
	}
	ui->s = s;
	ui->loop = s->loop;
	s->on_between = between_cb;
	s->on_between_ctx = ui;
	pace_init(&ui->pace, o->interval);
	runner_push_sink(run, (struct sink){ ui_sink_line, ui });
	run->stdout_is_screen = true;
	saved_err = screen_start(ui, o->projector);

	ui_log(ui, R_INFO, _("Welcome to sockplay. Press L for the lessons, t for a TCP socket, ? for help, "
			     ": to type a command."));
	if (s->sandboxed)
		ui_log(ui, R_INFO, _("Sandbox: a private network namespace; sysctl and addr add may change it."));

	if (o->warning[0]) {
		ui_log(ui, R_ERROR, o->warning);
		ui_message(ui, "%s", o->warning);
	}
	watchers_start(ui);
	ui->dirty = true;
	if ((o->room || o->join) && class_ui_start(ui, o->room, o->join, o->class_results, o->lesson, o->lang) < 0)
		ui_log(ui, R_ERROR, _("out of memory: no class this time"));
	/* after the watchers: opening may replay steps through the runner */
	if (o->lesson)
		lesson_pane_open(ui, o->lesson, false, o->lang);	/* its summary comes at its end */

	ev_run(ui->loop, 0);

	class_ui_stop(ui, class_said, sizeof class_said);
	watchers_stop(ui);
	s->on_between = NULL;
	screen_end(saved_err);
	if (class_said[0])
		fprintf(stderr, "sockplay: %s\n", class_said);
	status = ui->status;
	panes_free(ui);
	free(ui);
	run->stdout_is_screen = false;
	runner_pop_sink(run);
	return status;
}

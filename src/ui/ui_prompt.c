/*
 * ui_prompt: the ':' command line.  A small line editor over wide
 * characters (so a student may send Chinese text): cursor keys, Home/End,
 * Backspace/Delete, ^A ^E ^U ^K ^W, history with Up/Down kept across runs
 * in $XDG_STATE_HOME/sockplay/history, and Tab completion of verbs,
 * socket names and options.  Enter hands the line to the same runner keys
 * and lessons use.  The pane owns the line, its history and its guess;
 * its screen commands (prompt, guess) open it.  When it is closed, its row
 * is the message line.
 *
 * Why not readline: it is GPL-3 (this project is MIT) and its callback
 * interface wants to own the terminal, which fights curses; libedit's
 * readline emulation has the same redisplay problem.  The editing a
 * playground prompt needs is small enough to own.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include <unistd.h>

#include "kernel/sockets.h"
#include "lang/cmd.h"
#include "lang/history.h"
#include "ui/ui_int.h"
#include "util/i18n.h"
#include "util/xdg.h"

#define PROMPT_MAX 512
#define HIST_MAX 200

struct prompt {
	wchar_t buf[PROMPT_MAX];
	int len, cur;
	/*
	 * A guessed address after the command's fixed words, selected as in a
	 * dialog box: the first character typed replaces it, and a port typed
	 * alone there takes the guessed host (bind s1 [::1]: then 80).
	 */
	int sel;		/* where the selection starts (it runs to the end), -1 none */
	int fixed;		/* where the replacement began, -1: nothing replaced */
	char guess_host[64];	/* "127.0.0.1", "[::1]" */
	char *hist[HIST_MAX];
	int nhist, hpos;
	char histfile[600];
	bool hist_failed;	/* saving it failed once: said, not again */
};

static void hist_add(struct prompt *p, const char *line)
{
	if (p->nhist > 0 && strcmp(p->hist[p->nhist - 1], line) == 0)
		return;
	if (p->nhist == HIST_MAX) {
		free(p->hist[0]);
		memmove(p->hist, p->hist + 1, (HIST_MAX - 1) * sizeof p->hist[0]);
		p->nhist--;
	}
	p->hist[p->nhist] = strdup(line);
	if (p->hist[p->nhist])
		p->nhist++;
}

static void load_history(struct prompt *p)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	if (state_path(p->histfile, sizeof p->histfile, "history", 0) == NULL) {
		p->histfile[0] = '\0';
		return;
	}
	{
		int fd = state_open(p->histfile, O_RDONLY);

		if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
			if (fd >= 0)
				close(fd);
			return;
		}
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0])
			hist_add(p, line);
	}
	free(line);
	fclose(f);
}

/* Append a line to the history file: 0, or -1 with errno (the caller says so). */
static int hist_save(struct prompt *p, const char *line)
{
	size_t n = strlen(line);
	char *buf;
	int fd, r = 0;

	if (!p->histfile[0])
		return 0;
	fd = state_open(p->histfile, O_WRONLY | O_APPEND | O_CREAT);
	if (fd < 0)
		return -1;
	buf = malloc(n + 1);
	if (buf == NULL) {
		close(fd);
		return -1;
	}
	memcpy(buf, line, n);
	buf[n] = '\n';
	if (write(fd, buf, n + 1) != (ssize_t)(n + 1))
		r = -1;
	free(buf);
	if (close(fd) < 0)
		r = -1;
	if (r < 0 && errno == 0)
		errno = ENOSPC;
	return r;
}

static void prompt_free(void *data)
{
	struct prompt *p = data;

	for (int i = 0; p && i < p->nhist; i++)
		free(p->hist[i]);
	free(p);
}

static void set_text(struct prompt *p, const char *text)
{
	size_t n = mbstowcs(p->buf, text, PROMPT_MAX - 1);

	if (n == (size_t)-1)
		n = 0;
	p->buf[n] = L'\0';
	p->len = p->cur = (int)n;
}

void prompt_open(struct ui *ui, const char *prefill)
{
	struct prompt *p = pane_data(ui, P_PROMPT);

	mode_push(ui, &mode_prompt);
	p->hpos = p->nhist;
	set_text(p, prefill ? prefill : "");
	p->sel = p->fixed = -1;
	p->guess_host[0] = '\0';
	ui->msg[0] = '\0';
	curs_set(1);
}

void prompt_open_guess(struct ui *ui, const char *fixed, const char *host, int port)
{
	struct prompt *pr = pane_data(ui, P_PROMPT);
	char line[PROMPT_MAX];
	int k;

	snprintf(line, sizeof line, "%s", fixed);
	prompt_open(ui, line);
	k = pr->len;
	if (port)
		snprintf(line, sizeof line, "%s%s:%d", fixed, host, port);
	else
		snprintf(line, sizeof line, "%s%s:", fixed, host);
	set_text(pr, line);
	pr->sel = k;
	snprintf(pr->guess_host, sizeof pr->guess_host, "%s", host);
}

/* Whatever the key, the selection ends; a typed character first takes its place. */
static void unselect(struct prompt *p, bool replace)
{
	if (p->sel < 0)
		return;
	if (replace) {
		p->fixed = p->sel;
		p->buf[p->sel] = L'\0';
		p->len = p->cur = p->sel;
	}
	p->sel = -1;
}

static void insert(struct prompt *p, wchar_t c)
{
	if (p->len >= PROMPT_MAX - 1)
		return;
	wmemmove(p->buf + p->cur + 1, p->buf + p->cur, (size_t)(p->len - p->cur));
	p->buf[p->cur++] = c;
	p->buf[++p->len] = L'\0';
}

static void delete_range(struct prompt *p, int from, int to)
{
	wmemmove(p->buf + from, p->buf + to, (size_t)(p->len - to));
	p->len -= to - from;
	p->buf[p->len] = L'\0';
	p->cur = from;
}

/* Candidates for the word being typed, given its index among the words. */
static int candidates(struct ui *ui, int word, const char *first, const char *prefix,
		      const char **out, int max)
{
	static const char *const onoff[] = { "on", "off", NULL };
	static const char *const hows[] = { "rd", "wr", "rdwr", NULL };
	static const char *const ui_verbs[] = { "quit", "filter", NULL };
	const struct cmd_entry *c = cmd_find(first);
	size_t pl = strlen(prefix);
	char kind;
	int n = 0;

#define ADD(s) do { if (n < max && strncmp((s), prefix, pl) == 0) out[n++] = (s); } while (0)
	if (word == 0) {
		for (const struct cmd_entry *const *e = cmd_table; *e; e++)
			ADD((*e)->name);
		for (int i = 0; ui_verbs[i]; i++)
			ADD(ui_verbs[i]);
		return n;
	}
	/* the verb's row says what each argument is */
	if (c == NULL || (size_t)word > strlen(c->args))
		return 0;
	kind = c->args[word - 1];
	if (kind == 'S') {
		for (size_t i = 0; i < ui->s->socks.n; i++)
			if (ui->s->socks.v[i]->state != SOCK_CLOSED)
				ADD(ui->s->socks.v[i]->name);
	} else if (kind == 'O') {
		for (const struct sockopt_desc *o = sock_opts; o->name; o++)
			ADD(o->name);
	} else if (kind == 'V') {
		for (int i = 0; onoff[i]; i++)
			ADD(onoff[i]);
	} else if (kind == 'H') {
		for (int i = 0; hows[i]; i++)
			ADD(hows[i]);
	}
#undef ADD
	return n;
}

static void complete(struct ui *ui)
{
	struct prompt *p = pane_data(ui, P_PROMPT);
	char line[PROMPT_MAX * 4], first[64] = "", *words[32];
	const char *cand[64];
	int start = p->cur, word = 0, n;
	size_t common;

	while (start > 0 && !iswspace((wint_t)p->buf[start - 1]))
		start--;
	/* which word is it, and what is the first word */
	{
		wchar_t save = p->buf[start];
		char *tok, *sp;

		p->buf[start] = L'\0';
		if (wcstombs(line, p->buf, sizeof line) == (size_t)-1)
			line[0] = '\0';
		p->buf[start] = save;
		for (tok = strtok_r(line, " \t", &sp); tok && word < 32; tok = strtok_r(NULL, " \t", &sp))
			words[word++] = tok;
		if (word > 0)
			snprintf(first, sizeof first, "%s", words[0]);
	}
	{
		wchar_t save = p->buf[p->cur];

		p->buf[p->cur] = L'\0';
		if (wcstombs(line, p->buf + start, sizeof line) == (size_t)-1)
			line[0] = '\0';
		p->buf[p->cur] = save;
	}
	n = candidates(ui, word, first, line, cand, 64);
	if (n == 0) {
		ui_message(ui, "%s", _("no completion"));
		return;
	}
	common = strlen(cand[0]);
	for (int i = 1; i < n; i++) {
		size_t k = 0;

		while (k < common && cand[i][k] == cand[0][k])
			k++;
		common = k;
	}
	for (size_t k = strlen(line); k < common; k++)
		insert(p, (wchar_t)(unsigned char)cand[0][k]);
	if (n == 1)
		insert(p, L' ');
	else {
		char list[256] = "";

		for (int i = 0; i < n && strlen(list) < 200; i++) {
			strcat(list, cand[i]);
			strcat(list, " ");
		}
		ui_message(ui, "%s", list);
	}
}

/* A port alone where the address was guessed: it takes the guessed host (see submit). */
static bool implied_host(const struct prompt *p)
{
	return p->fixed >= 0 && p->guess_host[0] && p->len > p->fixed && p->len - p->fixed <= 5 &&
	       wcsspn(p->buf + p->fixed, L"0123456789") == (size_t)(p->len - p->fixed);
}

static void submit(struct ui *ui)
{
	char line[PROMPT_MAX * 4];
	struct prompt *p = pane_data(ui, P_PROMPT);

	mode_pop(ui, &mode_prompt);
	curs_set(0);
	if (implied_host(p)) {
		/* a port alone where the address was guessed: the guessed host's */
		wchar_t port[8];

		wcscpy(port, p->buf + p->fixed);
		p->len = p->fixed + swprintf(p->buf + p->fixed, (size_t)(PROMPT_MAX - p->fixed), L"%s:%ls",
					    p->guess_host, port);
	}
	p->sel = p->fixed = -1;
	if (wcstombs(line, p->buf, sizeof line) == (size_t)-1) {
		ui_message(ui, "%s", _("the line is not valid text in this locale"));
		return;
	}
	if (line[strspn(line, " \t")] == '\0')
		return;
	hist_add(p, line);
	if (hist_save(p, line) < 0 && !p->hist_failed) {
		p->hist_failed = true;	/* said once; the prompt goes on without it */
		ui_log(ui, R_ERROR, _("the command history could not be saved"));
	}
	ui_run_command(ui, line, NULL);
}

static void prompt_key(struct ui *ui, wint_t ch, bool is_key)
{
	struct prompt *p = pane_data(ui, P_PROMPT);

	if (p->sel >= 0) {
		/* a selected guess: a character typed replaces it, Backspace and Delete remove it */
		bool printable = !is_key && ch >= 32 && iswprint(ch);
		bool erase = (is_key && (ch == KEY_BACKSPACE || ch == KEY_DC)) || (!is_key && (ch == 127 || ch == 8));

		if (printable || erase) {
			unselect(p, true);
			if (erase)
				return;
		} else if (!(is_key && ch == KEY_ENTER) && !(!is_key && (ch == L'\n' || ch == L'\r'))) {
			unselect(p, false);
		}
	}
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: if (p->cur > 0) p->cur--; break;
		case KEY_RIGHT: if (p->cur < p->len) p->cur++; break;
		case KEY_HOME: p->cur = 0; break;
		case KEY_END: p->cur = p->len; break;
		case KEY_BACKSPACE:
			if (p->cur > 0)
				delete_range(p, p->cur - 1, p->cur);
			break;
		case KEY_DC:
			if (p->cur < p->len)
				delete_range(p, p->cur, p->cur + 1);
			break;
		case KEY_UP:
			if (p->hpos > 0)
				set_text(p, p->hist[--p->hpos]);
			break;
		case KEY_DOWN:
			if (p->hpos < p->nhist - 1)
				set_text(p, p->hist[++p->hpos]);
			else {
				p->hpos = p->nhist;
				set_text(p, "");
			}
			break;
		case KEY_ENTER:
			submit(ui);
			break;
		default:
			break;
		}
		return;
	}
	switch (ch) {
	case L'\n':
	case L'\r':
		submit(ui);
		break;
	case 27:	/* Esc: leave the prompt, keep nothing */
		mode_pop(ui, &mode_prompt);
		curs_set(0);
		break;
	case L'\t':
		complete(ui);
		break;
	case 127:
	case 8:
		if (p->cur > 0)
			delete_range(p, p->cur - 1, p->cur);
		break;
	case 1: p->cur = 0; break;		/* ^A */
	case 5: p->cur = p->len; break;		/* ^E */
	case 11: delete_range(p, p->cur, p->len); break;	/* ^K */
	case 21: delete_range(p, 0, p->cur); break;		/* ^U */
	case 23: {					/* ^W */
		int k = p->cur;

		while (k > 0 && iswspace((wint_t)p->buf[k - 1]))
			k--;
		while (k > 0 && !iswspace((wint_t)p->buf[k - 1]))
			k--;
		delete_range(p, k, p->cur);
		break;
	}
	default:
		if (ch >= 32 && iswprint(ch))
			insert(p, (wchar_t)ch);
		break;
	}
}

const struct mode_ops mode_prompt = { "prompt", prompt_key };

void prompt_draw(struct ui *ui, int y)
{
	struct prompt *p = pane_data(ui, P_PROMPT);
	int w = ui->cols - 2, col = 0, start = 0, curcol = 0;

	if (!mode_up(ui, &mode_prompt)) {
		if (ui->msg[0])
			put_text(y, 0, ui->cols, ui->msg, theme_attr(R_WHY));
		return;
	}
	mvaddch(y, 0, ':');
	/* scroll the text so the cursor stays on screen */
	for (int i = 0; i < p->cur; i++) {
		int cw = wcwidth(p->buf[i]);

		col += cw > 0 ? cw : 1;
		while (col - curcol > w - 1) {
			int sw = wcwidth(p->buf[start]);

			curcol += sw > 0 ? sw : 1;
			start++;
		}
	}
	col = 1;
	move(y, 1);
	for (int i = start; i < p->len; i++) {
		if (i == p->fixed && implied_host(p)) {
			/* a port typed alone over the guess runs with the guessed host: shown, dim, where it goes */
			char host[72];

			snprintf(host, sizeof host, "%s:", p->guess_host);
			attron(A_DIM);
			addstr(host);
			attroff(A_DIM);
			col += (int)strlen(host);
		}
		int cw = wcwidth(p->buf[i]);

		if (cw < 0)
			cw = 1;
		if (col + cw > ui->cols)
			break;
		if (p->sel >= 0 && i >= p->sel)
			attron(A_REVERSE);	/* the guess: typing replaces it */
		addnwstr(&p->buf[i], 1);
		attroff(A_REVERSE);
		col += cw;
	}
	{
		int cx = 1 + (implied_host(p) && start <= p->fixed && p->cur >= p->fixed ?
			      (int)strlen(p->guess_host) + 1 : 0);

		for (int i = start; i < p->cur; i++) {
			int cw = wcwidth(p->buf[i]);

			cx += cw > 0 ? cw : 1;
		}
		move(y, cx < ui->cols ? cx : ui->cols - 1);
	}
}

static void prompt_pane_draw(struct ui *ui, void *data, const struct rect *r)
{
	(void)data;
	prompt_draw(ui, r->y);
}

static void *prompt_init(struct ui *ui)
{
	struct prompt *p = calloc(1, sizeof *p);

	(void)ui;
	if (p) {
		p->sel = p->fixed = -1;
		load_history(p);
	}
	return p;
}

static void do_prompt(struct ui *ui, void *data, const char *text)
{
	(void)data;
	prompt_open(ui, *text ? text : NULL);
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

/* bind: the socket's own loopback ([::1] for IPv6) */
static void guess_bind(struct ui *ui, const struct sock *sk, const char *host)
{
	char fixed[80];

	snprintf(fixed, sizeof fixed, "bind %s ", sk->name);
	prompt_open_guess(ui, fixed, host, 0);
}

/* connect: a server of the session (a listener, or for UDP a bound socket) */
static void guess_connect(struct ui *ui, const struct sock *sk, const char *host)
{
	const struct sock *srv = server_for(ui, sk);
	char fixed[80], h[ADDR_STRLEN];
	int port = 0;

	snprintf(h, sizeof h, "%s", host);
	if (srv && (srv->local.family == sk->family || sk->family == AF_INET6)) {
		host_of(&srv->local, h, sizeof h);
		port = srv->local.port;
	}
	snprintf(fixed, sizeof fixed, "connect %s ", sk->name);
	prompt_open_guess(ui, fixed, h, port);
}

/* send: for an unconnected UDP socket, sendto the address it last sent to, or a server of the session */
static void guess_send(struct ui *ui, const struct sock *sk, const char *host)
{
	const struct history *h = &ui->run->hist;
	const struct sock *srv = server_for(ui, sk);
	char line[200], to[ADDR_STRLEN + 8] = "", hh[ADDR_STRLEN];

	if (sk->type != SOCK_DGRAM || sk->peer.family != 0) {
		snprintf(line, sizeof line, "send %s ", sk->name);
		prompt_open(ui, line);
		return;
	}
	for (size_t i = h->n; i-- > 0 && !to[0];) {
		const struct record *r = &h->v[i];

		/* a call that sent to an address of its own (sendto) */
		if (strcmp(r->sock.name, sk->name) == 0 && r->addr.family && (r->cmd->flags & CMDF_SENDS))
			addr_format(&r->addr, to, sizeof to);
	}
	if (!to[0] && srv) {
		host_of(&srv->local, hh, sizeof hh);
		snprintf(to, sizeof to, "%s:%d", hh, srv->local.port);
	}
	snprintf(line, sizeof line, "sendto %s %s ", sk->name, to[0] ? to : host);
	prompt_open(ui, line);
}

/*
 * `guess bind|connect|send NAME`: open the prompt with the command and a
 * guessed address, selected (see each guess above).
 */
static void do_guess(struct ui *ui, void *data, const char *arg)
{
	static const struct {
		const char *what;
		void (*open)(struct ui *ui, const struct sock *sk, const char *host);
	} guesses[] = { { "bind", guess_bind }, { "connect", guess_connect }, { "send", guess_send } };
	char what[16] = "", name[SOCK_NAMELEN] = "";
	const struct sock *sk;

	(void)data;
	if (sscanf(arg, "%15s %15s", what, name) == 2 && (sk = socktab_find(&ui->s->socks, name)) != NULL)
		for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++)
			if (strcmp(guesses[i].what, what) == 0) {
				guesses[i].open(ui, sk, sk->family == AF_INET6 ? "[::1]" : "127.0.0.1");
				return;
			}
	ui_message(ui, _("guess: bind, connect or send, then an open socket"));
}

static const struct screen_cmd prompt_cmds[] = {
	{ "prompt", NULL, N_("prompt [TEXT]"), N_("open the command line, TEXT typed"), false, do_prompt },
	{ "guess", NULL, N_("guess bind|connect|send NAME"),
	  N_("open the command line with the call and a guessed address, selected (typing replaces it)"),
	  false, do_guess },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

const struct pane_ops pane_prompt = {
	.name = "prompt", .init = prompt_init, .free = prompt_free, .draw = prompt_pane_draw,
	.cmds = prompt_cmds,
};

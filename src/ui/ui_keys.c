/*
 * ui_keys: the key bindings, as rows of one table.  A row is a key, the
 * modes it acts in, a command line and a note (tmux's `bind -N NOTE KEY
 * COMMAND`): a key press runs its line through ui_run_command exactly as
 * if it had been typed, so a key and a typed line leave the same trace.
 * The line is either of the language (tcp, listen %s, ...) or one of the
 * screen's own commands (ui_scmd.c: prompt, toggle, view, lesson ...).
 * The help screen and the key bar are generated from these rows; nothing
 * else lists keys.  In a line, %s is the selected socket and %k the key.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "ui/ui_int.h"

/* Where a row acts. */
enum {
	M_PLAY = 1 << 0,	/* the playground, and a lesson between predictions */
	M_LESSON = 1 << 1,	/* only while a lesson is open (and no prediction waits) */
	M_ASK = 1 << 2,		/* while a prediction waits for the class's answer */
	M_TEACH = 1 << 3,	/* the teacher's screen while the class votes (--teach) */
	M_ALL = M_PLAY | M_LESSON | M_ASK | M_TEACH,
};

struct binding {
	const char *group;	/* the help heading this row starts, or NULL */
	wint_t ch, last;	/* the key (to `last` for a range); a curses KEY_ code with is_key */
	bool is_key;
	const char *label;	/* the key as help and the key bar write it */
	unsigned modes;
	const char *cmd;	/* the line it runs: %s the selected socket, %k the key */
	const char *note;	/* what it does, for help */
	const char *bar;	/* its word on the key bar, or NULL */
	int barpos;		/* order on the key bar (smaller first) */
	bool needs_socket;
};

#define K(c) (wint_t)(c), 0, false
#define KEY(c) (wint_t)(c), 0, true

static const struct binding bindings[] = {
	{ N_("Sockets: each key runs the command it shows; Up/Down or j/k select"),
	  K('t'), "t", M_PLAY, "tcp", N_("new TCP socket"), N_("tcp"), 10, false },
	{ NULL, K('T'), "T", M_PLAY, "tcp -6", N_("new IPv6 TCP socket"), NULL, 0, false },
	{ NULL, K('u'), "u", M_PLAY, "udp", N_("new UDP socket"), N_("udp"), 11, false },
	{ NULL, K('U'), "U", M_PLAY, "udp -6", N_("new IPv6 UDP socket"), NULL, 0, false },
	{ NULL, K('b'), "b", M_PLAY, "guess bind %s", N_("bind (prompt: the socket's loopback, selected)"), N_("bind"), 12, true },
	{ NULL, K('l'), "l", M_PLAY, "listen %s", N_("listen"), N_("listen"), 13, true },
	{ NULL, K('c'), "c", M_PLAY, "guess connect %s", N_("connect (prompt: a listener of the session, selected)"), N_("connect"), 14, true },
	{ NULL, K('a'), "a", M_PLAY, "accept %s", N_("accept"), N_("accept"), 15, true },
	{ NULL, K('s'), "s", M_PLAY, "guess send %s", N_("send (prompt: text; UDP: sendto its last peer)"), NULL, 0, true },
	{ NULL, K('v'), "v", M_PLAY, "recv %s", N_("recv"), NULL, 0, true },
	{ NULL, K('w'), "w", M_PLAY, "shutdown %s wr", N_("shutdown wr (send FIN)"), NULL, 0, true },
	{ NULL, K('x'), "x", M_PLAY, "close %s", N_("close"), N_("close"), 16, true },
	{ NULL, K('r'), "r", M_PLAY, "toggle reuseaddr", N_("toggle SO_REUSEADDR"), N_("reuseaddr"), 17, true },
	{ NULL, K('p'), "p", M_PLAY, "toggle reuseport", N_("toggle SO_REUSEPORT"), N_("reuseport"), 18, true },
	{ NULL, K('6'), "6", M_PLAY, "toggle v6only", N_("toggle IPV6_V6ONLY"), NULL, 0, true },
	{ NULL, K('0'), "0", M_PLAY, "toggle linger", N_("toggle linger 0 (close sends RST)"), NULL, 0, true },
	{ NULL, K('n'), "n", M_PLAY, "net", N_("print the kernel table into the log"), NULL, 0, false },
	{ NULL, K('E'), "E", M_PLAY, "prompt export c sockplay-session.c", N_("export the session as a C program"),
	  NULL, 0, false },
	{ NULL, KEY(KEY_UP), "Up", M_PLAY, "select up", N_("select the socket above"), NULL, 0, false },
	{ NULL, K('k'), "k", M_PLAY, "select up", N_("select the socket above"), NULL, 0, false },
	{ NULL, KEY(KEY_DOWN), "Down", M_PLAY, "select down", N_("select the socket below"), NULL, 0, false },
	{ NULL, K('j'), "j", M_PLAY, "select down", N_("select the socket below"), NULL, 0, false },

	{ N_("Kernel pane"), K('A'), "A", M_PLAY, "view all", N_("all sockets / only the ports touched"), N_("all"), 30, false },
	{ NULL, K('O'), "O", M_PLAY, "view own", N_("own sockets only, or every one"), NULL, 0, false },
	{ NULL, K('P'), "P", M_PLAY, "view proto", N_("protocol: all, tcp, udp"), NULL, 0, false },
	{ NULL, K('S'), "S", M_PLAY, "view sort", N_("sort: kernel order, port, state, owner"), NULL, 0, false },
	{ NULL, K('/'), "/", M_PLAY, "prompt filter ", N_("filter with the words of net (':filter' clears)"),
	  NULL, 0, false },
	{ NULL, K('J'), "J", M_PLAY, "scroll kernel down", N_("scroll the kernel pane down"), NULL, 0, false },
	{ NULL, K('K'), "K", M_PLAY, "scroll kernel up", N_("scroll the kernel pane up"), NULL, 0, false },
	{ NULL, K('W'), "W", M_PLAY, "view wire", N_("the wire: each call's packets as a ladder, or hide it"),
	  N_("wire"), 31, false },

	{ N_("Cable (between hosts)"), K('f'), "f", M_PLAY, "cable forward",
	  N_("let the oldest frame held on the cable go"), NULL, 0, false },
	{ NULL, K('d'), "d", M_PLAY, "cable drop", N_("drop the oldest frame held on the cable"), NULL, 0, false },
	{ NULL, K('g'), "g", M_PLAY, "cable step on", N_("step: hold every frame between hosts"), NULL, 0, false },
	{ NULL, K('G'), "G", M_PLAY, "cable step off", N_("stop stepping: the held frames go, in order"),
	  NULL, 0, false },

	{ N_("Lesson"), K('L'), "L", M_PLAY, "lessons", N_("the lesson menu: every lesson, how far it got; Enter opens one"),
	  N_("lessons"), 8, false },
	{ NULL, K('\r'), "Enter", M_LESSON, "lesson next", N_("run the lesson's next command; at a step's end, the next step; at "
	  "the lesson's end, the next lesson"), N_("next"), 3, false },
	{ NULL, K('\n'), NULL, M_LESSON, "lesson next", NULL, NULL, 0, false },
	{ NULL, KEY(KEY_ENTER), NULL, M_LESSON, "lesson next", NULL, NULL, 0, false },
	{ NULL, K(' '), "Space", M_LESSON, "lesson next", N_("run the lesson's next command"), NULL, 0, false },
	{ NULL, (wint_t)'1', (wint_t)'9', false, "1-9", M_ASK, "lesson answer %k", N_("answer the prediction"),
	  N_("answer"), 2, false },
	{ NULL, K('}'), "}", M_LESSON, "lesson rest", N_("run the rest of the step (up to a prediction)"), N_("rest"), 4, false },
	{ NULL, K(']'), "]", M_LESSON, "lesson step next", N_("next step (runs what was skipped)"), N_("step"), 4, false },
	{ NULL, K('['), "[", M_LESSON, "lesson step back", N_("previous step (the table is rebuilt)"), N_("back"), 5, false },
	{ NULL, K('R'), "R", M_LESSON, "lesson restart", N_("restart the lesson (asks first)"), N_("restart"), 6, false },

	{ N_("Class (the teacher's screen, while the class votes)"), K('V'), "V", M_TEACH, "class again",
	  N_("a second round of votes on the same prediction, after the class discussed"), N_("vote again"), 2, false },
	{ NULL, K('r'), "r", M_TEACH, "class reveal", N_("reveal: run the command with the class's most common "
	  "answer; every seat runs it on its own kernel"), N_("reveal"), 3, false },
	{ NULL, K('H'), "H", M_TEACH, "class votes", N_("hide or show the votes on this screen (the projector's)"),
	  N_("votes"), 4, false },

	{ N_("Screen"), K(':'), ":", M_PLAY, "prompt", N_("command line (Tab completes, Up/Down history, Esc leaves)"),
	  N_("command"), 9, false },
	{ NULL, KEY(KEY_PPAGE), "PgUp", M_ALL, "scroll log pgup", N_("scroll the log back a page"), NULL, 0, false },
	{ NULL, KEY(KEY_NPAGE), "PgDn", M_ALL, "scroll log pgdn", N_("scroll the log forward a page"), NULL, 0, false },
	{ NULL, KEY(KEY_END), "End", M_ALL, "scroll log end", N_("the log's newest line"), NULL, 0, false },
	{ NULL, KEY(KEY_SPREVIOUS), "Shift-PgUp", M_ALL, "scroll wire pgup", N_("scroll the wire pane back a page"),
	  NULL, 0, false },
	{ NULL, KEY(KEY_SNEXT), "Shift-PgDn", M_ALL, "scroll wire pgdn", N_("scroll the wire pane forward a page"),
	  NULL, 0, false },
	{ NULL, K(12), "Ctrl-L", M_ALL, "redraw", N_("redraw the screen"), NULL, 0, false },
	{ NULL, K('?'), "?", M_ALL, "help-screen", N_("this help"), N_("help"), 0, false },
	{ NULL, KEY(KEY_F(1)), "F1", M_ALL, "help-screen", N_("this help"), NULL, 0, false },
	{ NULL, K('q'), "q", M_ALL, "quit", N_("quit (asks while sockets are open)"), N_("quit"), 1, false },
	{ NULL, KEY(KEY_F(10)), "F10", M_ALL, "quit", N_("quit, as in htop and mc (asks the same)"), NULL, 0, false },
	{ NULL, KEY(KEY_F(2)), "F2", M_ALL, "theme", N_("switch the theme: default or projector (high contrast)"),
	  NULL, 0, false },
	{ NULL, K(3), "Ctrl-C", M_ALL, "quit", N_("quit, asking the same; a second Ctrl-C quits"), NULL, 0, false },
	{ NULL, 0, 0, false, NULL, 0, NULL, NULL, NULL, 0, false },
};

/* The mode the screen is in, for the table: what a key may do now. */
static unsigned mode_now(struct ui *ui)
{
	if (lesson_asking(ui))
		return class_teaching(ui) ? M_TEACH : M_ASK;
	if (class_following(ui))
		return M_PLAY;	/* the teacher leads the lesson */
	return lesson_pane_open_now(ui) ? M_PLAY | M_LESSON : M_PLAY;
}

static bool row_matches(const struct binding *b, wint_t ch, bool is_key)
{
	if (b->is_key != is_key)
		return false;
	return b->last ? ch >= b->ch && ch <= b->last : ch == b->ch;
}

/* The row's line with %s and %k filled in; false when it needs a socket and none is selected. */
static bool row_line(struct ui *ui, const struct binding *b, wint_t ch, char *line, size_t len)
{
	const struct sock *sk = ui_selected(ui);
	size_t n = 0;

	if (b->needs_socket && sk == NULL)
		return false;
	for (const char *p = b->cmd; *p && n + 1 < len; p++) {
		if (p[0] == '%' && p[1] == 's') {
			n += (size_t)snprintf(line + n, len - n, "%s", sk ? sk->name : "");
			p++;
		} else if (p[0] == '%' && p[1] == 'k') {
			n += (size_t)snprintf(line + n, len - n, "%lc", (wint_t)ch);
			p++;
		} else {
			line[n++] = *p;
		}
		if (n >= len)
			n = len - 1;
	}
	line[n] = '\0';
	return true;
}

bool keys_handle(struct ui *ui, wint_t ch, bool is_key)
{
	unsigned mode = mode_now(ui);
	char line[256];

	for (const struct binding *b = bindings; b->cmd; b++) {
		if (!row_matches(b, ch, is_key))
			continue;
		if (!(b->modes & mode))
			continue;
		if (!row_line(ui, b, ch, line, sizeof line)) {
			ui_message(ui, "%s", _("no socket selected: press t or u to make one"));
			return true;
		}
		ui_run_command(ui, line, NULL);
		return true;
	}
	if (mode == M_ASK && !(is_key && ch == KEY_RESIZE)) {
		ui_message(ui, _("answer the prediction first: press the number of your answer (1-%d)"),
			   lesson_nchoices(ui));
		return true;
	}
	if (mode == M_TEACH && !(is_key && ch == KEY_RESIZE)) {
		ui_message(ui, "%s", _("the class votes: V for a second round, r to reveal, H to hide the votes"));
		return true;
	}
	return false;
}

/*
 * Line i of the keys part of help: a group's heading (*heading set), or a
 * key and its note.  NULL past the last.
 */
const char *keys_help_line(size_t i, char *buf, size_t len, bool *heading)
{
	size_t n = 0;

	for (const struct binding *b = bindings; b->cmd; b++) {
		if (b->group && n++ == i) {
			*heading = true;
			snprintf(buf, len, "%s", _(b->group));
			return buf;
		}
		if (b->label == NULL || b->note == NULL)
			continue;
		if (n++ == i) {
			*heading = false;
			snprintf(buf, len, "  %-7s %s", b->label, _(b->note));
			return buf;
		}
	}
	return NULL;
}

void keys_list(FILE *f)
{
	for (const struct binding *b = bindings; b->cmd; b++)
		if (b->label)
			fprintf(f, "%s\t%s\t%s\n", b->label, b->cmd, b->note ? _(b->note) : "");
}

/* The rows the key bar shows in this mode, in bar order. */
static size_t bar_rows(unsigned mode, const struct binding **out, size_t cap)
{
	size_t n = 0;

	for (const struct binding *b = bindings; b->cmd; b++) {
		size_t i;

		if (b->bar == NULL || !(b->modes & mode) || n == cap)
			continue;
		for (i = n; i > 0 && out[i - 1]->barpos > b->barpos; i--)
			out[i] = out[i - 1];
		out[i] = b;
		n++;
	}
	return n;
}

/* The keys of a mode that takes every key itself: what the bar says while it is up. */
static const struct modekeys {
	const struct mode_ops *mode;
	const char *keys[6][2];
} mode_keys[] = {
	{ &mode_prompt, { { "Enter", N_("run") }, { "Esc", N_("leave") }, { "Tab", N_("complete") },
			  { "Up/Down", N_("history") }, { "Ctrl-C", N_("quit") } } },
	{ &mode_confirm, { { "y", N_("yes") }, { "n", N_("no") }, { "Ctrl-C", N_("quit") } } },
};

/* One key of the bar, "KEY word ", at x: the x after it. */
static int bar_item(const struct ui *ui, int y, int x, const char *key, const char *word)
{
	x += put_text(y, x, ui->cols - x, key, theme_attr(R_KEY));
	x += put_text(y, x, ui->cols - x, " ", theme_attr(R_KEYBAR));
	x += put_text(y, x, ui->cols - x, word, theme_attr(R_KEYBAR));
	return x + put_text(y, x, ui->cols - x, " ", theme_attr(R_KEYBAR));
}

/* The bar of the mode on top, when it is one of those: true. */
static bool draw_mode_bar(struct ui *ui, int y)
{
	const struct mode_ops *top = ui->nmodes ? ui->modes[ui->nmodes - 1] : NULL;
	int x = 0;

	for (size_t m = 0; top && m < sizeof mode_keys / sizeof mode_keys[0]; m++) {
		if (mode_keys[m].mode != top)
			continue;
		for (int i = 0; i < 6 && mode_keys[m].keys[i][0]; i++)
			x = bar_item(ui, y, x, mode_keys[m].keys[i][0], _(mode_keys[m].keys[i][1]));
		return true;
	}
	return false;
}

void keys_draw_bar(struct ui *ui, int y)
{
	const struct binding *rows[sizeof bindings / sizeof bindings[0]];
	size_t n;
	int x = 0;

	fill_line(y, 0, ui->cols, theme_attr(R_KEYBAR));
	if (draw_mode_bar(ui, y))
		return;
	n = bar_rows(mode_now(ui), rows, sizeof rows / sizeof rows[0]);
	for (size_t i = 0; i < n; i++) {
		int need = text_width(rows[i]->label) + text_width(_(rows[i]->bar)) + 2;
		/* what does not fit is in help: say so where the bar ends */
		int more = i + 1 < n ? text_width(_("? more")) + 1 : 0;

		if (x + need + more > ui->cols) {
			put_text(y, x, ui->cols - x, _("? more"), theme_attr(R_KEY));
			hit_key(ui, y, x, ui->cols, L'?', false);
			break;
		}
		hit_key(ui, y, x, x + need, rows[i]->ch, rows[i]->is_key);
		x = bar_item(ui, y, x, rows[i]->label, _(rows[i]->bar));
	}
}

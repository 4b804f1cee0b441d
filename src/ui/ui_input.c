/*
 * ui_input: what comes from the terminal, before it may act.  curses
 * decodes the keys its terminal description knows; whatever else begins
 * with ESC is read here whole and never acts as keys: an SGR mouse report
 * (xterm's ESC [ < B ; X ; Y M, which a terminal may send whether or not
 * its description says so) is a click or the wheel; a bracketed paste
 * (ESC [ 200 ~ ... ESC [ 201 ~) goes into the prompt when it is open, as
 * text, and nowhere else; any other sequence is dropped and counted.  A
 * lone Esc is Esc.  Then a key goes to the mode on top, or the binding
 * table; one that acts nowhere is named on the message line.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "ui/ui_int.h"
#include "util/i18n.h"

#define CTRL_C 3
#define ESC 27
#define SEQ_MAX 64		/* bytes of a sequence read before it is given up as garbage */


/* The next character already typed, or -1 when there is none. */
static long next_char(void)
{
	wint_t ch;
	int r = get_wch(&ch);

	if (r == ERR)
		return -1;
	return r == KEY_CODE_YES ? 0x110000 + (long)ch : (long)ch;	/* a curses key is no byte of a sequence */
}

/* Something no key of ours has: dropped, counted, said. */
static void dropped(struct ui *ui)
{
	ui->dropped_input++;
	ui_message(ui, ngettext("ignored %lu key sequence that no key of sockplay has",
				"ignored %lu key sequences that no key of sockplay has", ui->dropped_input),
		   ui->dropped_input);
}

/*
 * One character of a paste (after ESC [ 200 ~, up to ESC [ 201 ~, however
 * many reads it takes): text into the prompt when it is open, else nothing.
 */
static void paste_char(struct ui *ui, long c)
{
	struct paste *ps = &ui->paste;

	/* the end mark, held back until it is sure */
	if (c == ESC || ps->nt > 0) {
		ps->tail[ps->nt++] = (char)(c < 0x80 ? c : '?');
		ps->tail[ps->nt] = '\0';
		if (strncmp(ps->tail, "\033[201~", ps->nt) == 0) {
			if (ps->nt == 6) {
				ps->on = false;
				if (!ps->to_prompt)
					dropped(ui);
			}
			return;
		}
		ps->nt = 0;	/* a control sequence inside a paste: dropped */
		return;
	}
	if (!ps->to_prompt || !mode_up(ui, &mode_prompt))
		return;
	if (c < 0x110000 && iswprint((wint_t)c))
		mode_prompt.key(ui, (wint_t)c, false);
	else if (c == '\n' || c == '\r' || c == '\t')
		mode_prompt.key(ui, L' ', false);	/* a pasted line never submits itself */
}

static void paste(struct ui *ui)
{
	long c;

	ui->paste = (struct paste){ .on = true, .to_prompt = mode_up(ui, &mode_prompt) };
	while (ui->paste.on && (c = next_char()) >= 0)
		paste_char(ui, c);
}

/* After ESC [ : the parameters and the final byte; a mouse report or a paste acts, the rest is dropped. */
static void csi(struct ui *ui)
{
	char p[SEQ_MAX + 1];
	size_t n = 0;
	long c;
	int b, x, y;

	while ((c = next_char()) >= 0 && n < SEQ_MAX) {
		if (c >= 0x40 && c <= 0x7e) {	/* the final byte */
			p[n] = '\0';
			if ((c == 'M' || c == 'm') && sscanf(p, "<%d;%d;%d", &b, &x, &y) == 3 && x > 0 && y > 0) {
				mouse_sgr(ui, b, x - 1, y - 1, c == 'M');
				return;
			}
			if (c == '~' && strcmp(p, "200") == 0) {
				paste(ui);
				return;
			}
			break;
		}
		if (c < 0x20 || c > 0x3f) {	/* not a parameter byte: not a sequence we can read */
			break;
		}
		p[n++] = (char)c;
	}
	dropped(ui);
}

/*
 * ESC, then what is already there: a lone Esc is the key; ESC [ and ESC O
 * begin a sequence.  ESC and a key in one read is Alt and that key, which
 * no key of ours is; but while a mode is up, where Esc leaves it, it is Esc
 * typed quickly before the next key.
 */
static void escape(struct ui *ui, void (*key)(struct ui *, wint_t, bool))
{
	long c = next_char();

	if (c < 0) {
		key(ui, ESC, false);
		return;
	}
	if (c == '[') {
		csi(ui);
		return;
	}
	if (c == 'O') {
		next_char();	/* SS3 and its one byte */
		dropped(ui);
		return;
	}
	if (ui->nmodes > 0) {
		key(ui, ESC, false);
		input_key(ui, c >= 0x110000 ? (wint_t)(c - 0x110000) : (wint_t)c, c >= 0x110000);
		return;
	}
	dropped(ui);
}

/* The name of a key for a message: "Enter", "F5", "Ctrl-A", "x". */
static void keyname_of(wint_t ch, bool is_key, char *buf, size_t len)
{
	if (is_key && ch >= KEY_F(1) && ch <= KEY_F(63))
		snprintf(buf, len, "F%d", (int)(ch - KEY_F0));
	else if (is_key && ch == KEY_BACKSPACE)
		snprintf(buf, len, "Backspace");
	else if (is_key)
		snprintf(buf, len, "%s", keyname((int)ch) ? keyname((int)ch) : "?");
	else if (ch == '\r' || ch == '\n')
		snprintf(buf, len, "Enter");
	else if (ch == '\t')
		snprintf(buf, len, "Tab");
	else if (ch == 127 || ch == 8)
		snprintf(buf, len, "Backspace");
	else if (ch == ' ')
		snprintf(buf, len, "Space");
	else if (ch < 0x20)
		snprintf(buf, len, "Ctrl-%c", (char)(ch + '@'));
	else
		snprintf(buf, len, "%lc", (wint_t)ch);
}

/* A key: a modal question or pane first (quit's y/n, help, the prompt), then the binding table. */
static void key(struct ui *ui, wint_t ch, bool is_key)
{
	char name[32];

	if (!is_key && (ch == CTRL_C || ch == 0x1c)) {	/* Ctrl-C, Ctrl-\\ */
		/* Ctrl-C asks as q does, in every mode; asked already, it quits */
		if (mode_up(ui, &mode_confirm) && ui->on_yes == ui_quit) {
			ui_quit(ui);
			return;
		}
		while (ui->nmodes > 0)
			mode_pop(ui, ui->modes[ui->nmodes - 1]);
		ui->on_yes = NULL;
		ui_run_command(ui, "quit", NULL);
		return;
	}
	if (ui->nmodes > 0) {
		ui->modes[ui->nmodes - 1]->key(ui, ch, is_key);
		return;
	}
	if (ui->cols < 60 || ui->rows < 14) {	/* too small: only quit works */
		if (!is_key && ch == L'q')
			ui_run_command(ui, "quit", NULL);
		return;
	}
	if (keys_handle(ui, ch, is_key) || (!is_key && ch == ESC))
		return;
	keyname_of(ch, is_key, name, sizeof name);
	ui_message(ui, _("key '%s' does nothing here: press ? for help"), name);
}

void input_key(struct ui *ui, wint_t ch, bool is_key)
{
	if (ui->paste.on)	/* the rest of a paste that came in more than one read */
		paste_char(ui, is_key ? 0x110000 + (long)ch : (long)ch);
	else if (is_key && ch == KEY_MOUSE)
		mouse_event(ui);
	else if (!is_key && ch == ESC)
		escape(ui, key);
	else
		key(ui, ch, is_key);
}

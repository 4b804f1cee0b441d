/*
 * ui_log: the log pane (the transcript and why-lines, wrapped to the
 * width, newest at the bottom, scrollable) and the help screen (every key
 * and every command of the language).
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmd.h"
#include "i18n.h"
#include "ui/ui_int.h"

#define WRAP_INDENT 8

void ui_log(struct ui *ui, enum role role, const char *text)
{
	int slot = (ui->lg.head + ui->lg.n) % LOG_MAX;
	char *copy = strdup(text);

	if (copy == NULL)
		return;
	if (ui->lg.n == LOG_MAX) {
		free(ui->lg.lines[ui->lg.head].text);
		slot = ui->lg.head;
		ui->lg.head = (ui->lg.head + 1) % LOG_MAX;
	} else {
		ui->lg.n++;
	}
	ui->lg.lines[slot].role = role;
	ui->lg.lines[slot].text = copy;
	ui->lg.scroll = 0;	/* new output brings the view back to the end */
	ui->dirty = true;
}

/*
 * Split text into pieces of at most w columns (the first w, the rest
 * w - WRAP_INDENT), breaking after a blank past half the width; store the
 * byte offsets of the starts in starts[].  Returns the number of pieces.
 */
static int wrap(const char *text, int w, size_t *starts, int max)
{
	size_t off = 0, len = strlen(text);
	int n = 0, width = w;

	while (n < max) {
		starts[n++] = off;
		off += text_fit(text + off, width, width / 2);
		if (off >= len)
			break;
		width = w - WRAP_INDENT;
	}
	return n;
}

static void log_draw(struct ui *ui, const struct rect *r)
{
	int y = r->y + r->h - 1, skip = ui->lg.scroll;
	char head[80];

	snprintf(head, sizeof head, "%s%s", _("LOG"), ui->lg.scroll ? _("  (scrolled: End returns)") : "");
	fill_line(r->y, r->x, r->w, theme_attr(R_HEADER));
	put_text(r->y, r->x, r->w, head, theme_attr(R_HEADER));
	for (int i = ui->lg.n - 1; i >= 0 && y > r->y; i--) {
		const struct logline *ll = &ui->lg.lines[(ui->lg.head + i) % LOG_MAX];
		size_t starts[32];
		int n = wrap(ll->text, r->w, starts, 32);

		for (int k = n - 1; k >= 0 && y > r->y; k--) {
			size_t end = k + 1 < n ? starts[k + 1] : strlen(ll->text);
			char piece[1024];
			size_t plen = end - starts[k];

			if (skip > 0) {
				skip--;
				continue;
			}
			if (plen >= sizeof piece)
				plen = sizeof piece - 1;
			memcpy(piece, ll->text + starts[k], plen);
			piece[plen] = '\0';
			put_text(y, r->x + (k ? WRAP_INDENT : 0), r->w - (k ? WRAP_INDENT : 0), piece,
				 theme_attr(ll->role));
			y--;
		}
	}
	/* scrolled back: the newer rows below the pane */
	pane_more(r, 0, ui->lg.scroll);
}

const struct pane_ops pane_log = { "log", log_draw };

/*
 * The help screen, generated: the key rows (ui_keys.c), the legend of the
 * sockets pane, the language's commands (cmd_table) and the screen's own
 * (ui_scmd.c).  Line i of it, or NULL past the end.
 */


static const char *help_line(size_t i, char *buf, size_t len, bool *heading)
{
	static const char *const legend[] = {
		N_("Options in the sockets pane"),
		N_("  RA reuseaddr, RP reuseport, V6 v6only, ND nodelay, KA keepalive, L<n> linger n seconds,"),
		N_("  NP bind_address_no_port, PR local_port_range"),
		N_("Commands of the language (type them after ':'; any may end with => ok, => ERRNO or => COUNT)"),
	};
	size_t n;
	const char *t;

	for (n = 0; keys_help_line(n, buf, len, heading); n++)
		if (n == i)
			return buf;
	i -= n;
	if (i < sizeof legend / sizeof legend[0]) {
		*heading = legend[i][0] != ' ';
		snprintf(buf, len, "%s", _(legend[i]));
		return buf;
	}
	i -= sizeof legend / sizeof legend[0];
	*heading = false;
	for (const struct cmd_entry *c = cmd_table; c->name; c++)
		if (i-- == 0) {
			snprintf(buf, len, "  %-28s %s", c->usage, _(c->help));
			return buf;
		}
	if (i-- == 0) {
		*heading = true;
		snprintf(buf, len, "%s", _("Commands of the screen (after ':'; they change what is shown, no socket)"));
		return buf;
	}
	t = scmd_help_line(i, buf, len);
	return t;
}

static void help_draw(struct ui *ui, const struct rect *r)
{
	char line[300];
	bool heading;
	int y = 1, n;

	fill_line(0, 0, r->w, theme_attr(R_TITLE));
	put_text(0, 0, r->w, _(" Help: Up/Down PgUp/PgDn scroll; Esc ? q close"),
		 theme_attr(R_TITLE));
	/* each line wrapped to the width at a blank, the rest indented: no word is cut */
	n = 0;
	for (size_t i = 0; help_line(i, line, sizeof line, &heading); i++) {
		const char *p = line;
		int indent = 0, w = r->w - 1;

		while (*p) {
			size_t k = text_fit(p, w - indent, (w - indent) / 2);
			char piece[300];

			memcpy(piece, p, k);
			piece[k] = '\0';
			if (n >= ui->help_scroll && y < r->h)
				put_text(y++, 1 + indent, w - indent, piece, theme_attr(heading ? R_HEADER : R_NORMAL));
			n++;
			p += k;
			p += strspn(p, " ");
			indent = 12;
		}
	}
	if (ui->help_scroll > n - 3)
		ui->help_scroll = n - 3 > 0 ? n - 3 : 0;
}

static void help_key(struct ui *ui, wint_t ch, bool is_key)
{
	if (is_key && (ch == KEY_DOWN || ch == KEY_NPAGE)) {
		ui->help_scroll += ch == KEY_DOWN ? 1 : ui->rows - 2;
		return;
	}
	if (is_key && (ch == KEY_UP || ch == KEY_PPAGE)) {
		ui->help_scroll -= ch == KEY_UP ? 1 : ui->rows - 2;
		if (ui->help_scroll < 0)
			ui->help_scroll = 0;
		return;
	}
	if ((!is_key && (ch == 27 || ch == L'?' || ch == L'q')) || (is_key && ch == KEY_F(1))) {
		mode_pop(ui, &mode_help);
		ui->help_scroll = 0;
		return;
	}
	/* the help screen takes every key */
}

const struct pane_ops pane_help = { "help", help_draw };
const struct mode_ops mode_help = { "help", help_key };

/*
 * ui_help: the help screen, a mode over the whole screen: every key (from
 * the binding rows), the legend of the sockets pane, every command of the
 * language (the command table) and of the screen (ui_scmd.c), generated,
 * so nothing else lists them.  The pane owns its scroll.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lang/cmd.h"
#include "util/i18n.h"
#include "ui/ui_int.h"

struct help_pane {
	int scroll;		/* the first row shown */
	int rows;		/* rows the text took at the last draw */
};

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
	for (const struct cmd_entry *const *e = cmd_table; *e; e++) {
		const struct cmd_entry *c = *e;

		if (i-- == 0) {
			char u[96];

			snprintf(buf, len, "  %s %s", pad_cell(cmd_usage_text(c->usage), 28, u, sizeof u), _(c->help));
			return buf;
		}
	}
	if (i-- == 0) {
		*heading = true;
		snprintf(buf, len, "%s", _("Commands of the screen (after ':'; they change what is shown, no socket)"));
		return buf;
	}
	t = scmd_help_line(i, buf, len);
	return t;
}

static void help_draw(struct ui *ui, void *data, const struct rect *r)
{
	struct help_pane *hp = data;
	char line[300];
	bool heading;
	int y = 1, n;

	(void)ui;
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
			if (n >= hp->scroll && y < r->h)
				put_text(y++, 1 + indent, w - indent, piece, theme_attr(heading ? R_HEADER : R_NORMAL));
			n++;
			p += k;
			p += strspn(p, " ");
			indent = 12;
		}
	}
	hp->rows = n;
	if (hp->scroll > n - 3)
		hp->scroll = n - 3 > 0 ? n - 3 : 0;
}

static void help_key(struct ui *ui, wint_t ch, bool is_key)
{
	struct help_pane *hp = pane_data(ui, P_HELP);

	if (is_key && (ch == KEY_DOWN || ch == KEY_NPAGE)) {
		hp->scroll += ch == KEY_DOWN ? 1 : ui->rows - 2;
		return;
	}
	if (is_key && (ch == KEY_UP || ch == KEY_PPAGE)) {
		hp->scroll -= ch == KEY_UP ? 1 : ui->rows - 2;
		if (hp->scroll < 0)
			hp->scroll = 0;
		return;
	}
	if ((!is_key && (ch == 27 || ch == L'?' || ch == L'q')) || (is_key && ch == KEY_F(1))) {
		mode_pop(ui, &mode_help);
		hp->scroll = 0;
		return;
	}
	/* the help screen takes every key */
}

/* `scroll help up|down` (the wheel over it) */
static void do_scroll(struct ui *ui, void *data, const char *dir)
{
	struct help_pane *hp = data;

	(void)ui;
	hp->scroll += strcmp(dir, "up") == 0 ? -3 : 3;
	if (hp->scroll < 0)
		hp->scroll = 0;
}

static void *help_init(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct help_pane));
}

static const struct screen_cmd help_cmds[] = {
	{ "scroll", "help", NULL, NULL, false, do_scroll },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

const struct pane_ops pane_help = {
	.name = "help", .init = help_init, .free = free, .draw = help_draw, .cmds = help_cmds,
};
const struct mode_ops mode_help = { "help", help_key };

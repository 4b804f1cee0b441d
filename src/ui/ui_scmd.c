/*
 * ui_scmd: the screen's own commands.  They change what the screen shows
 * or drive the lesson player, never a socket, so they are not part of the
 * language: a transcript never holds them.  The ones that act on a pane
 * are that pane's rows (its ops' cmds) and get its data; the ones here are
 * the screen's (quit, help, redraw, theme, toggle).  Keys run them through
 * ui_run_command like any typed line; `toggle` builds the `set` line of
 * the language and runs that, so the log shows the real call.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/cmd.h"
#include "util/i18n.h"
#include "ui/ui_int.h"

/* `quit`: at once with no socket open, else it asks first. */
static void do_quit(struct ui *ui, void *data, const char *arg)
{
	size_t open = socktab_count_open(&ui->s->socks);
	char q[120];

	(void)data;
	(void)arg;
	if (open == 0) {
		ui_quit(ui);
		return;
	}
	snprintf(q, sizeof q, ngettext("%zu socket open: quit and close it? (y/n)",
				       "%zu sockets open: quit and close them? (y/n)", open), open);
	ui_ask(ui, q, ui_quit);
}

static void do_help(struct ui *ui, void *data, const char *arg)
{
	(void)data;
	(void)arg;
	mode_push(ui, &mode_help);
}

static void do_redraw(struct ui *ui, void *data, const char *arg)
{
	(void)data;
	(void)arg;
	clearok(curscr, TRUE);
	ui->dirty = true;
}

/* `toggle OPTION`: the `set` line that flips it on the selected socket. */
static void do_toggle(struct ui *ui, void *data, const char *name)
{
	const struct sock *sk = ui_selected(ui);
	const struct sockopt_desc *o = sock_opt_find(name);
	char line[200];
	bool on;

	(void)data;
	if (o == NULL) {
		ui_message(ui, _("toggle: no option '%s'"), name);
		return;
	}
	if (sk == NULL) {
		ui_message(ui, "%s", _("no socket selected: press t or u to make one"));
		return;
	}
	on = sk->opts & o->bit;
	if (o->bit == SOPT_LINGER)
		snprintf(line, sizeof line, "set %s linger %s", sk->name, on ? "off" : "0");
	else
		snprintf(line, sizeof line, "set %s %s %s", sk->name, o->name, on ? "off" : "on");
	ui_run_command(ui, line, NULL);
}

/* `theme [default|projector]`: alone, the other one */
static void do_theme(struct ui *ui, void *data, const char *arg)
{
	bool proj;

	(void)data;
	if (strcmp(arg, "projector") == 0)
		proj = true;
	else if (strcmp(arg, "default") == 0)
		proj = false;
	else if (*arg == '\0')
		proj = !theme_projector_on();
	else {
		ui_message(ui, "%s", _("theme: default or projector"));
		return;
	}
	theme_init(ui->use_colour, proj);
	clearok(curscr, TRUE);	/* every cell again, in its new colours */
	ui_message(ui, _("theme: %s"), proj ? _("projector (high contrast, nothing dim)") : _("default"));
}

static const struct screen_cmd screen_cmds[] = {
	{ "quit", NULL, "quit", N_("leave sockplay (asks while sockets are open)"), true, do_quit },
	{ "q", NULL, "q", N_("the same as quit"), true, do_quit },
	{ "help-screen", NULL, "help-screen", N_("the help screen (help VERB: the language's help)"), false, do_help },
	{ "toggle", NULL, N_("toggle OPTION"), N_("flip an on/off option of the selected socket (a set line)"),
	  false, do_toggle },
	{ "redraw", NULL, "redraw", N_("paint the whole screen again"), false, do_redraw },
	{ "theme", NULL, "theme [default|projector]", N_("the colours: projector is high contrast, nothing dim"),
	  false, do_theme },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

/* Does row c take text (verb of n bytes at t)?  Its argument then. */
static const char *matches(const struct screen_cmd *c, const char *t, size_t n)
{
	const char *arg;
	size_t k;

	if (strlen(c->name) != n || strncmp(t, c->name, n) != 0)
		return NULL;
	arg = t + n + strspn(t + n, " ");
	if (c->arg1 == NULL)
		return arg;
	k = strcspn(arg, " ");
	if (strlen(c->arg1) != k || strncmp(arg, c->arg1, k) != 0)
		return NULL;
	return arg + k + strspn(arg + k, " ");
}

/* The row for text: a pane's with its ARG1 first, then one without; its pane in *pane (-1: the screen's). */
static const struct screen_cmd *find(struct ui *ui, const char *t, size_t n, int *pane, const char **arg)
{
	for (int pass = 0; pass < 2; pass++)
		for (int p = -1; p < P_N; p++) {
			const struct screen_cmd *c = p < 0 ? screen_cmds : ui->panes[p].ops->cmds;

			for (; c && c->name; c++) {
				if ((c->arg1 == NULL) != (pass == 1))
					continue;
				if ((*arg = matches(c, t, n)) != NULL) {
					*pane = p;
					return c;
				}
			}
		}
	return NULL;
}

bool scmd_run(struct ui *ui, const char *text)
{
	const char *t = text + strspn(text, " "), *arg;
	size_t n = strcspn(t, " ");
	int pane;
	const struct screen_cmd *c = find(ui, t, n, &pane, &arg);

	if (c == NULL)
		return false;
	if (c->echo) {
		char echo[300];

		snprintf(echo, sizeof echo, ":%s", text);
		ui_log(ui, R_DIM, echo);
	}
	ui->msg[0] = '\0';
	c->exec(ui, pane < 0 ? NULL : ui->panes[pane].data, arg);
	ui->dirty = true;
	return true;
}

/* Every row with a usage, the screen's then the panes', for help. */
const char *scmd_help_line(size_t i, char *buf, size_t len)
{
	const struct pane_ops *const panes[] = { NULL, &pane_sockets, &pane_kernel, &pane_log, &pane_wire,
						 &pane_lesson, &pane_prompt, &pane_help };

	for (size_t p = 0; p < sizeof panes / sizeof panes[0]; p++)
		for (const struct screen_cmd *c = panes[p] ? panes[p]->cmds : screen_cmds; c && c->name; c++)
			if (c->usage && i-- == 0) {
				char u[96];

				snprintf(buf, len, "  %s %s", pad_cell(cmd_usage_text(c->usage), 28, u, sizeof u), _(c->help));
				return buf;
			}
	return NULL;
}

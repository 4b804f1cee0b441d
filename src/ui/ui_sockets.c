/*
 * ui_sockets: the sockets pane: the session's table, the selected socket
 * highlighted.  The pane owns the selection; keys reach it through its
 * screen command `select`, and a command that made a socket selects it.
 */
#include "config.h"

#include <curses.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "ui/ui_int.h"

struct sockets_pane {
	int sel;		/* the selected socket: an index among the open ones */
};

/* The open sockets in table order: the selection counts over these. */
static int open_index(const struct ui *ui, int n, const struct sock **out)
{
	int k = 0;

	for (size_t i = 0; i < ui->s->socks.n; i++) {
		const struct sock *sk = ui->s->socks.v[i];

		if (sk->state == SOCK_CLOSED)
			continue;
		if (k == n) {
			*out = sk;
			return 0;
		}
		k++;
	}
	return -1;
}

static int count_open(const struct ui *ui)
{
	return (int)socktab_count_open(&ui->s->socks);
}

const struct sock *ui_selected(struct ui *ui)
{
	struct sockets_pane *sp = pane_data(ui, P_SOCKETS);
	const struct sock *sk = NULL;
	int n = count_open(ui);

	if (n == 0)
		return NULL;
	if (sp->sel >= n)
		sp->sel = n - 1;
	if (sp->sel < 0)
		sp->sel = 0;
	open_index(ui, sp->sel, &sk);
	return sk;
}

static const struct netrow *row_of(const struct ui *ui, const struct sock *sk)
{
	for (size_t i = 0; i < ui->s->nv.n; i++)
		if (ui->s->nv.rows[i].own == sk && !ui->s->nv.rows[i].was)
			return &ui->s->nv.rows[i];
	return NULL;
}

static void short_opts(const struct sock *sk, char *buf, size_t len, bool wide)
{
	if (wide) {
		sock_opts_format(sk, buf, len);
		return;
	}
	snprintf(buf, len, "%s%s%s%s%s%s%s", sk->opts & SOPT_REUSEADDR ? "RA " : "",
		 sk->opts & SOPT_REUSEPORT ? "RP " : "", sk->opts & SOPT_V6ONLY ? "V6 " : "",
		 sk->opts & SOPT_NODELAY ? "ND " : "", sk->opts & SOPT_KEEPALIVE ? "KA " : "",
		 sk->opts & SOPT_BIND_NO_PORT ? "NP " : "", sk->opts & SOPT_PORT_RANGE ? "PR " : "");
	if (sk->opts & SOPT_LINGER)
		snprintf(buf + strlen(buf), len - strlen(buf), "L%d", sk->linger);
}

static void sockets_draw(struct ui *ui, void *data, const struct rect *r)
{
	const struct sockets_pane *sp = data;
	/*
	 * The addresses get the width (an address keeps its port); on a
	 * narrow screen the program's own STATE goes first, since KERNEL
	 * says what the kernel holds.
	 */
	bool narrow = r->w < 76, wide = r->w >= 120;
	int aw = (r->w - (narrow ? 28 : 50)) / 2, y = r->y + 1, n = 0;
	const struct sock *sel = ui_selected(ui);
	char line[512], l[ADDR_STRLEN], p[ADDR_STRLEN], o[96], lc[ADDR_STRLEN + 8], pc[ADDR_STRLEN + 8], kc[48];
	char state[48], name[SOCK_NAMELEN + HOST_NAMELEN + 1];

	if (aw < 12)
		aw = 12;
	if (aw > 46)
		aw = 46;
	{
		/* the headers in the user's language, padded by columns, not bytes */
		char c1[64], c2[64], c3[64], c4[64], c5[64], c6[64];

		snprintf(line, sizeof line, "  %s %s %s%s %s %s %s", pad_cell(_("NAME"), 6, c1, sizeof c1),
			 pad_cell(_("PROTO"), 5, c2, sizeof c2),
			 narrow ? "" : strcat(pad_cell(_("STATE"), 10, c3, sizeof c3 - 1), " "),
			 pad_cell(_("LOCAL"), aw, c4, sizeof c4), pad_cell(_("PEER"), aw, c5, sizeof c5),
			 pad_cell(_("KERNEL"), 11, c6, sizeof c6), wide ? _("OPTIONS") : _("OPTS"));
	}
	fill_line(r->y, r->x, r->w, theme_attr(R_HEADER));
	put_text(r->y, r->x, r->w, line, theme_attr(R_HEADER));
	if (count_open(ui) == 0 && r->h > 1) {
		put_text(y, 2, r->w - 2, _("No sockets yet: press t for TCP, u for UDP, or : to type a command."),
			 theme_attr(R_DIM));
		return;
	}
	/* keep the selection visible */
	int first = sp->sel - (r->h - 2);

	if (first < 0)
		first = 0;
	for (size_t i = 0; i < ui->s->socks.n && y < r->y + r->h; i++) {
		const struct sock *sk = ui->s->socks.v[i];
		const struct netrow *row;
		const char *kstate;

		if (sk->state == SOCK_CLOSED)
			continue;
		if (n++ < first)
			continue;
		row = row_of(ui, sk);
		kstate = row && row->e ? pn_state_name(row->e) : _("(unlisted)");
		short_opts(sk, o, sizeof o, wide);
		pad_cell(_(sock_state_name(sk->state)), 10, state, sizeof state - 1);
		strcat(state, " ");
		/* a socket on a host says which: "c@client" */
		snprintf(name, sizeof name, "%s%s%s", sk->name, sk->host ? "@" : "",
			 hosts_name(&ui->s->hosts, sk->host));
		snprintf(line, sizeof line, "%s %-6s %-5s %s%s %s %s %s",
			 sk == sel ? ">" : " ", name, sock_proto_name(sk), narrow ? "" : state,
			 addr_cell(sk->local.family ? addr_format(&sk->local, l, sizeof l) : "-", aw, lc, sizeof lc),
			 addr_cell(sk->peer.family ? addr_format(&sk->peer, p, sizeof p) : "-", aw, pc, sizeof pc),
			 pad_cell(kstate, 11, kc, sizeof kc), o);
		if (sk == sel)
			fill_line(y, r->x, r->w, theme_attr(R_SELECTED));
		put_text(y, r->x, r->w, line, sk == sel ? theme_attr(R_SELECTED) : theme_attr(R_NORMAL));
		hit_cmd(ui, y, r->x, r->x + r->w, "select %s", sk->name);
		y++;
	}
	pane_more(r, first, count_open(ui) - first - (y - r->y - 1));
}

/* `select up|down|NAME` */
static void do_select(struct ui *ui, void *data, const char *dir)
{
	struct sockets_pane *sp = data;
	int n = count_open(ui);

	if (strcmp(dir, "up") == 0 && sp->sel > 0) {
		sp->sel--;
	} else if (strcmp(dir, "down") == 0 && sp->sel < n - 1) {
		sp->sel++;
	} else if (strcmp(dir, "up") != 0 && strcmp(dir, "down") != 0) {
		/* select NAME: its place among the open sockets */
		int k = 0;

		for (size_t i = 0; i < ui->s->socks.n; i++) {
			const struct sock *sk = ui->s->socks.v[i];

			if (sk->state == SOCK_CLOSED)
				continue;
			if (strcmp(sk->name, dir) == 0) {
				sp->sel = k;
				return;
			}
			k++;
		}
		ui_message(ui, _("select: up, down, or the name of an open socket"));
	}
}

/* A new socket becomes the selected one. */
static void sockets_after(struct ui *ui, void *data, const struct cmd_result *r)
{
	struct sockets_pane *sp = data;

	if (r->created[0])
		sp->sel = count_open(ui) - 1;
}

static int sockets_rows(struct ui *ui, void *data)
{
	int n = count_open(ui);

	(void)data;
	return 1 + (n ? n : 1);
}

static void *sockets_init(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct sockets_pane));
}

static const struct screen_cmd sockets_cmds[] = {
	{ "select", NULL, N_("select up|down|NAME"), N_("select another socket"), false, do_select },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

const struct pane_ops pane_sockets = {
	.name = "sockets", .init = sockets_init, .free = free, .draw = sockets_draw,
	.after = sockets_after, .rows = sockets_rows, .cmds = sockets_cmds,
};


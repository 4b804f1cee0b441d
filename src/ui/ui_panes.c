/*
 * ui_panes: the sockets pane (the session's table, the selected one
 * highlighted) and the kernel pane (the live /proc/net table, own sockets
 * by name, TIME_WAIT counting down, by default only the ports the session
 * has touched).
 */
#include "config.h"

#include <curses.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui/ui_int.h"

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
	const struct sock *sk = NULL;
	int n = count_open(ui);

	if (n == 0)
		return NULL;
	if (ui->sel >= n)
		ui->sel = n - 1;
	if (ui->sel < 0)
		ui->sel = 0;
	open_index(ui, ui->sel, &sk);
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

static void sockets_draw(struct ui *ui, const struct rect *r)
{
	/*
	 * The addresses get the width (an address keeps its port); on a
	 * narrow screen the program's own STATE goes first, since KERNEL
	 * says what the kernel holds.
	 */
	bool narrow = r->w < 76, wide = r->w >= 120;
	int aw = (r->w - (narrow ? 28 : 50)) / 2, y = r->y + 1, n = 0;
	const struct sock *sel = ui_selected(ui);
	char line[512], l[ADDR_STRLEN], p[ADDR_STRLEN], o[96], lc[ADDR_STRLEN + 8], pc[ADDR_STRLEN + 8], kc[48];
	char state[48];

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
	int first = ui->sel - (r->h - 2);

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
		snprintf(line, sizeof line, "%s %-6s %-5s %s%s %s %s %s",
			 sk == sel ? ">" : " ", sk->name, sock_proto_name(sk), narrow ? "" : state,
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

const struct pane_ops pane_sockets = { "sockets", sockets_draw };

/* Has the session touched this port (any socket, open or closed)? */
static bool touched(const struct ui *ui, uint16_t port)
{
	return ui->kp.touched[port / 8] & (1u << (port % 8));
}

/* The ports of every socket of the session, once per rebuild, not per row. */
static void touched_build(struct ui *ui)
{
	memset(ui->kp.touched, 0, sizeof ui->kp.touched);
	for (size_t i = 0; i < ui->s->socks.n; i++) {
		const struct sock *sk = ui->s->socks.v[i];

		if (sk->local.family)
			ui->kp.touched[sk->local.port / 8] |= (unsigned char)(1u << (sk->local.port % 8));
		if (sk->peer.family)
			ui->kp.touched[sk->peer.port / 8] |= (unsigned char)(1u << (sk->peer.port % 8));
	}
}

static bool krow_visible(const struct ui *ui, const struct netrow *r)
{
	int proto = r->e ? r->e->proto : r->own->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;

	if (ui->kp.proto == 1 && proto != IPPROTO_TCP)
		return false;
	if (ui->kp.proto == 2 && proto != IPPROTO_UDP)
		return false;
	if (r->e == NULL)
		return false;	/* unlisted own sockets are in the sockets pane */
	if (ui->kp.own && r->own == NULL)
		return false;
	if (ui->kp.filter_text[0])
		return netfilter_match(&ui->kp.filter, r);	/* an explicit filter shows what it asks */
	if (ui->kp.all || r->own)
		return true;
	return touched(ui, r->e->local.port) || touched(ui, r->e->remote.port);
}

static struct ui *sort_ui;	/* qsort has no context argument */

static int krow_cmp(const void *a, const void *b)
{
	const struct netrow *x = *(const struct netrow *const *)a, *y = *(const struct netrow *const *)b;
	int d = 0;

	switch (sort_ui->kp.sort) {
	case KSORT_PORT:
		d = (int)x->e->local.port - (int)y->e->local.port;
		break;
	case KSORT_STATE:
		d = strcmp(pn_state_name(x->e), pn_state_name(y->e));
		break;
	case KSORT_OWNER:
		d = (x->own == NULL) - (y->own == NULL);
		if (!d && x->own && y->own)
			d = (int)x->own->serial - (int)y->own->serial;
		break;
	case KSORT_KERNEL:
	case KSORT_N:
		break;
	}
	return d ? d : (x < y ? -1 : x > y);
}

static void kview_now(const struct ui *ui, struct kview *v)
{
	memset(v, 0, sizeof *v);
	v->gen = ui->s->nv.gen;
	v->nsocks = ui->s->socks.n;
	v->all = ui->kp.all;
	v->own = ui->kp.own;
	v->proto = ui->kp.proto;
	v->sort = ui->kp.sort;
	snprintf(v->filter_text, sizeof v->filter_text, "%s", ui->kp.filter_text);
}

double krow_left(const struct ui *ui, const struct netrow *r)
{
	double left = netrow_timer_left(r);

	if (left < 0)
		return left;
	left -= ev_now(ui->loop) - ui->s->nv_read_at;
	return left > 0 ? left : 0;
}

/*
 * Filter and sort only when the table or the view changed: a draw between
 * reads (a key, a countdown's tick) does not sort 200,000 rows again.
 */
bool kernel_rows_build(struct ui *ui)
{
	struct kview now;

	kview_now(ui, &now);
	if (ui->kp.rows && memcmp(&now, &ui->kp.built, sizeof now) == 0)
		return false;
	ui->kp.built = now;
	ui->kp.nrows = 0;
	ui->kp.timers = 0;
	if (ui->kp.caprows < ui->s->nv.n) {
		const struct netrow **v = realloc(ui->kp.rows, ui->s->nv.n * sizeof *v);

		if (v == NULL) {
			ui->kp.built.gen = 0;	/* try again next time */
			return true;
		}
		ui->kp.rows = v;
		ui->kp.caprows = ui->s->nv.n;
	}
	touched_build(ui);
	for (size_t i = 0; i < ui->s->nv.n; i++)
		if (krow_visible(ui, &ui->s->nv.rows[i])) {
			ui->kp.rows[ui->kp.nrows++] = &ui->s->nv.rows[i];
			ui->kp.timers += ui->s->nv.rows[i].e && ui->s->nv.rows[i].e->timer != PN_TIMER_NONE;
		}
	if (ui->kp.sort != KSORT_KERNEL) {
		sort_ui = ui;
		qsort(ui->kp.rows, ui->kp.nrows, sizeof *ui->kp.rows, krow_cmp);
	}
	return true;
}

static const char *const sort_names[KSORT_N] = { N_("kernel order"), N_("port"), N_("state"), N_("owner") };

const char *ksort_name(enum ksort k)
{
	return _(sort_names[k]);
}

static void kernel_draw(struct ui *ui, const struct rect *r)
{
	/* proto, state, owner and a countdown keep their width; the addresses share the rest */
	int aw = (r->w - 44) / 2, y = r->y + 1;
	char line[512], l[ADDR_STRLEN], rem[ADDR_STRLEN], owner[40], detail[64], head[200];
	char lc[ADDR_STRLEN + 8], rc[ADDR_STRLEN + 8], oc[64];

	if (aw < 11)
		aw = 11;
	if (aw > 46)
		aw = 46;
	{
		char what[160];

		if (ui->kp.filter_text[0])
			snprintf(what, sizeof what, _("filter %s"), ui->kp.filter_text);
		else
			snprintf(what, sizeof what, "%s", ui->kp.all ? _("all sockets") : _("ports touched"));
		snprintf(head, sizeof head, _("KERNEL %s%s%s, by %s: "), what, ui->kp.own ? _(", own only") : "",
			 ui->kp.proto == 1 ? ", tcp" : ui->kp.proto == 2 ? ", udp" : "", _(sort_names[ui->kp.sort]));
		snprintf(head + strlen(head), sizeof head - strlen(head),
			 ngettext("%zu row", "%zu rows", ui->kp.nrows), ui->kp.nrows);
	}
	fill_line(r->y, r->x, r->w, theme_attr(R_HEADER));
	put_text(r->y, r->x, r->w, head, theme_attr(R_HEADER));
	if (ui->kp.nrows == 0 && r->h > 1) {
		put_text(y, 2, r->w - 2, ui->kp.all ? _("The kernel lists no socket here.") :
			 _("No port touched yet. A shows every socket of this machine."), theme_attr(R_DIM));
		return;
	}
	if (ui->kp.scroll > (int)ui->kp.nrows - (r->h - 1))
		ui->kp.scroll = (int)ui->kp.nrows - (r->h - 1);
	if (ui->kp.scroll < 0)
		ui->kp.scroll = 0;
	for (size_t i = (size_t)ui->kp.scroll; i < ui->kp.nrows && y < r->y + r->h; i++, y++) {
		const struct netrow *row = ui->kp.rows[i];
		const struct pn_entry *e = row->e;
		enum role role = R_NORMAL;

		netrow_owner(row, owner, sizeof owner);
		detail[0] = '\0';
		if (e->state == PN_TIME_WAIT)
			snprintf(detail, sizeof detail, _("%4.1fs left"), krow_left(ui, row));
		else if (e->state == PN_LISTEN && e->proto == IPPROTO_TCP)
			snprintf(detail, sizeof detail, _("queue %u"), e->rxq);
		else if (e->rxq || e->txq)
			snprintf(detail, sizeof detail, "rx %u tx %u", e->rxq, e->txq);
		else if (e->timer)
			snprintf(detail, sizeof detail, "%s %.1fs", pn_timer_label(e), krow_left(ui, row));
		snprintf(line, sizeof line, "%-4s %-11s %s %s %s %s", pn_proto_name(e), pn_state_name(e),
			 addr_cell(netrow_addr(&e->local, l, sizeof l), aw, lc, sizeof lc),
			 addr_cell(netrow_addr(&e->remote, rem, sizeof rem), aw, rc, sizeof rc),
			 pad_cell(owner, 9, oc, sizeof oc), detail);
		if (e->state == PN_TIME_WAIT)
			role = R_TIMEWAIT;
		else if (row->own)
			role = R_OWN;
		else
			role = R_FOREIGN;
		put_text(y, r->x, r->w, line, theme_attr(role));
		if (e->local.port)
			hit_cmd(ui, y, r->x, r->x + r->w, "filter :%u", e->local.port);
	}
	pane_more(r, ui->kp.scroll, (int)ui->kp.nrows - ui->kp.scroll - (y - r->y - 1));
}

const struct pane_ops pane_kernel = { "kernel", kernel_draw };

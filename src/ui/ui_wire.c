/*
 * ui_wire: the wire pane, the packets drawn as a textbook's ladder.  One
 * column per socket end in view (a vertical line), one row per packet (an
 * arrow from the sender's line to the receiver's, labelled with its flags
 * and length), the packets of each call under the call's line.  It
 * scrolls with the log.  Where the ends do not fit as columns, each packet
 * is a line of text instead, as the log writes it.
 */
#include "config.h"

#include <curses.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui/ui_int.h"

#define COL_MIN 14		/* the narrowest column that still holds a label */
#define COLS_MAX 8
#define ROWS_MAX 400		/* rows built back from the newest: more than any screen shows */

struct wrow {
	char kind;		/* 'h' a call's line, 'p' a packet, 's' the states after the call */
	size_t pkt;		/* the packet (for a head its first, for states its last) */
};

/* The kernel's state of a socket of the session now: "LISTEN", "TIME_WAIT", or "gone". */
static const char *state_now(const struct session *s, const struct sock *sk)
{
	for (size_t i = 0; i < s->nv.n; i++)
		if (s->nv.rows[i].own == sk && s->nv.rows[i].e)
			return pn_state_name(s->nv.rows[i].e);
	return sk->state == SOCK_CLOSED ? _("gone") : NULL;
}

void wire_note_states(struct ui *ui)
{
	struct session *s = ui->s;
	size_t n;
	const struct wire_pkt *v = wire_packets(s->wire, &n);
	struct wstate *ws;

	/* only a call that put packets on the wire */
	if (n == 0 || v[n - 1].cause != s->serial)
		return;
	ws = &ui->wstates[ui->wstate_next];
	ui->wstate_next = (ui->wstate_next + 1) % WSTATES;
	memset(ws, 0, sizeof *ws);
	ws->serial = s->serial;
	for (size_t i = n; i-- > 0 && v[i].cause == s->serial;) {
		for (int e = 0; e < 2; e++) {
			const char *name = e ? v[i].to : v[i].from;
			const struct sock *sk = name[0] ? socktab_find_any(&s->socks, name) : NULL;
			const char *st = sk ? state_now(s, sk) : NULL;
			int k;

			for (k = 0; k < ws->n && strcmp(ws->name[k], name) != 0; k++)
				;
			if (!st || k < ws->n || ws->n == WSTATE_COLS)
				continue;
			snprintf(ws->name[ws->n], SOCK_NAMELEN, "%s", name);
			snprintf(ws->state[ws->n++], sizeof ws->state[0], "%s", st);
		}
	}
}

static const struct wstate *wstate_of(const struct ui *ui, unsigned serial)
{
	for (int i = 0; i < WSTATES; i++)
		if (ui->wstates[i].serial == serial && ui->wstates[i].n)
			return &ui->wstates[i];
	return NULL;
}

/* The arrow's label: "SYN", "SYN,ACK", "PSH,ACK 5B", "UDP 2B", "ICMP port unreachable". */
static void label(const struct wire_pkt *p, char *buf, size_t len, bool wide)
{
	size_t k = 0;

	buf[0] = '\0';
	if (p->unreach) {
		snprintf(buf, len, "%s", _("ICMP port unreachable"));
		return;
	}
	if (p->proto == IPPROTO_UDP) {
		snprintf(buf, len, "UDP %uB", p->len);
		return;
	}
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { WF_SYN, "SYN" }, { WF_FIN, "FIN" }, { WF_RST, "RST" }, { WF_PSH, "PSH" }, { WF_ACK, "ACK" } };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((p->flags & names[i].bit) && k + 5 < len)
			k += (size_t)snprintf(buf + k, len - k, "%s%s", k ? "," : "", names[i].name);
	if (p->len && k < len)
		k += (size_t)snprintf(buf + k, len - k, " %uB", p->len);
	if (wide && k < len) {
		if (p->flags & WF_ACK)
			snprintf(buf + k, len - k, "  seq %u ack %u", p->seq, p->ack);
		else
			snprintf(buf + k, len - k, "  seq %u", p->seq);
	}
}

/* The rows to show, oldest first, the last `want` of them (before the scroll). */
static int build_rows(const struct ui *ui, const struct wire_pkt *v, size_t n, struct wrow *rows, int want)
{
	int k = 0;

	/*
	 * backwards from the newest: under a call's last packet the states it
	 * left, a packet, and above the first its call's line
	 */
	for (size_t i = n; i-- > 0 && k < want;) {
		if ((i + 1 == n || v[i + 1].cause != v[i].cause) && wstate_of(ui, v[i].cause))
			rows[k++] = (struct wrow){ 's', i };
		if (k < want)
			rows[k++] = (struct wrow){ 'p', i };
		if ((i == 0 || v[i - 1].cause != v[i].cause) && k < want)
			rows[k++] = (struct wrow){ 'h', i };
	}
	for (int a = 0, b = k - 1; a < b; a++, b--) {
		struct wrow t = rows[a];

		rows[a] = rows[b];
		rows[b] = t;
	}
	return k;
}

/* The column of an end's label, or -1. */
static int col_of(char names[][ADDR_STRLEN], int ncol, const char *name)
{
	for (int i = 0; i < ncol; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* A column's place: its socket's creation order; an address (no socket of ours) last. */
static unsigned col_rank(const struct session *s, const char *name)
{
	const struct sock *k = socktab_find_any(&s->socks, name);

	return k ? k->serial : ~0u;
}

static void put_repeat(int y, int x, int n, const char *ch, int attr)
{
	for (int i = 0; i < n; i++)
		put_text(y, x + i, 1, ch, attr);
}

static void draw_arrow(int y, int xa, int xb, const char *text, int attr)
{
	int lo = xa < xb ? xa : xb, hi = xa < xb ? xb : xa;
	int span = hi - lo - 1, tw = text_width(text), tx;

	if (span < 2)
		return;
	put_repeat(y, lo + 1, span, "─", attr);
	if (xa < xb)
		put_text(y, hi - 1, 1, "▶", attr | A_BOLD);
	else
		put_text(y, lo + 1, 1, "◀", attr | A_BOLD);
	if (tw > span - 4)
		tw = span - 4;
	if (tw <= 0)
		return;
	tx = lo + 1 + (span - tw - 2) / 2;
	put_text(y, tx, 1, " ", attr);
	put_text(y, tx + 1, tw, text, attr | A_BOLD);
	put_text(y, tx + 1 + tw, 1, " ", attr);
}

static void wire_draw(struct ui *ui, const struct rect *r)
{
	struct session *s = ui->s;
	size_t n;
	const struct wire_pkt *v = wire_packets(s->wire, &n);
	static struct wrow rows[ROWS_MAX];
	char names[COLS_MAX][ADDR_STRLEN], lab[96], buf[ADDR_STRLEN];
	int body = r->h - 2, nrows, first, scroll, ncol = 0, maxcol, xs[COLS_MAX];
	bool ladder = true;
	const struct sock *sel = ui_selected(ui);

	fill_line(r->y, r->x, r->w, theme_attr(R_HEADER));
	put_text(r->y, r->x, r->w, _("WIRE  packets on loopback, under the calls that sent them (W hides)"),
		 theme_attr(R_HEADER));
	if (r->h < 3)
		return;
	if (s->wire == NULL && s->wire_why[0]) {
		put_text(r->y + 1, r->x, r->w, s->wire_why, theme_attr(R_WHY));
		return;
	}
	if (n == 0) {
		put_text(r->y + 1, r->x, r->w, _("no packets yet: connect, send or close, and they show here"),
			 theme_attr(R_DIM));
		return;
	}
	scroll = ui->lg.scroll;
	nrows = build_rows(ui, v, n, rows, body + scroll < ROWS_MAX ? body + scroll : ROWS_MAX);
	if (scroll > nrows - body)
		scroll = nrows - body > 0 ? nrows - body : 0;
	first = nrows - body - scroll;
	if (first < 0)
		first = 0;
	/* the columns: the ends of the packets in view, in the order they first appear */
	maxcol = r->w / COL_MIN < COLS_MAX ? r->w / COL_MIN : COLS_MAX;
	for (int i = first; i < nrows && i < first + body && ladder; i++) {
		const struct wire_pkt *p = &v[rows[i].pkt];

		if (rows[i].kind != 'p')
			continue;
		for (int e = 0; e < 2 && ladder; e++) {
			const char *name = wire_end(p, e == 0, buf, sizeof buf);

			if (col_of(names, ncol, name) >= 0)
				continue;
			if (ncol == maxcol)
				ladder = false;
			else
				snprintf(names[ncol++], ADDR_STRLEN, "%s", name);
		}
	}
	if (ladder) {
		int cw = r->w / (ncol ? ncol : 1);

		/* in the order the sockets were made (a client left of its server, or the other way, stays so) */
		for (int a = 1; a < ncol; a++)
			for (int b = a; b > 0 && col_rank(s, names[b]) < col_rank(s, names[b - 1]); b--) {
				char tmp[ADDR_STRLEN];

				memcpy(tmp, names[b], sizeof tmp);
				memcpy(names[b], names[b - 1], sizeof tmp);
				memcpy(names[b - 1], tmp, sizeof tmp);
			}

		fill_line(r->y + 1, r->x, r->w, theme_attr(R_NORMAL));
		for (int c = 0; c < ncol; c++) {
			int len = (int)strlen(names[c]);
			bool is_sel = sel && strcmp(sel->name, names[c]) == 0;

			xs[c] = r->x + cw * c + cw / 2;
			put_text(r->y + 1, xs[c] - len / 2 > r->x ? xs[c] - len / 2 : r->x, cw, names[c],
				 theme_attr(is_sel ? R_SELECTED : R_HEADER));
		}
	}
	for (int i = first, y = r->y + 2; i < nrows && y < r->y + r->h; i++, y++) {
		const struct wire_pkt *p = &v[rows[i].pkt];
		int attr = theme_attr(p->late ? R_DIM : R_WIRE);

		if (rows[i].kind == 'h') {
			const struct record *rec = session_record_of(s, p->cause);

			put_text(y, r->x, r->w, rec ? rec->line : _("(before the first call)"), theme_attr(R_CALL));
			continue;
		}
		if (rows[i].kind == 's') {
			/* each column's kernel state once the call was over, under its line */
			const struct wstate *ws = wstate_of(ui, p->cause);

			for (int c = 0; ladder && ws && c < ncol; c++)
				for (int k = 0; k < ws->n; k++) {
					int len = (int)strlen(ws->state[k]), x;

					if (strcmp(ws->name[k], names[c]) != 0)
						continue;
					x = xs[c] - len / 2;
					if (x < r->x)
						x = r->x;
					put_text(y, x, r->x + r->w - x, ws->state[k],
						 theme_attr(strcmp(ws->state[k], "TIME_WAIT") == 0 ? R_TIMEWAIT : R_OWN));
				}
			continue;
		}
		if (!ladder) {
			char line[200];

			put_text(y, r->x + 2, r->w - 2, wire_format(p, line, sizeof line), attr);
			continue;
		}
		for (int c = 0; c < ncol; c++) {
			bool is_sel = sel && strcmp(sel->name, names[c]) == 0;

			put_text(y, xs[c], 1, "│", theme_attr(is_sel ? R_OWN : R_DIM));
		}
		{
			int a = col_of(names, ncol, wire_end(p, true, buf, sizeof buf));
			int b = col_of(names, ncol, wire_end(p, false, buf, sizeof buf));
			int span = a >= 0 && b >= 0 ? (xs[a] > xs[b] ? xs[a] - xs[b] : xs[b] - xs[a]) : 0;

			label(p, lab, sizeof lab, span > 40);
			if (p->late && strlen(lab) + strlen(_(" (kernel)")) < sizeof lab)
				strcat(lab, _(" (kernel)"));
			if (a >= 0 && b >= 0 && a != b)
				draw_arrow(y, xs[a], xs[b], lab, attr);
		}
	}
	pane_more(r, first, scroll);
}

const struct pane_ops pane_wire = { "wire", wire_draw };

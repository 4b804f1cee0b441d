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
#include <stdlib.h>
#include <string.h>

#include "lang/history.h"
#include "util/i18n.h"
#include "ui/ui_int.h"

#define COL_MIN 14		/* the narrowest column that still holds a label */
#define COLS_MAX 8
#define ROWS_MAX 400		/* rows built back from the newest: more than any screen shows */

#define WSTATES 64		/* calls whose states the pane keeps */
#define WSTATE_COLS 6

struct wrow {
	char kind;		/* 'h' a call's line, 'p' a packet, 's' the states after the call */
	size_t pkt;		/* the packet (for a head its first, for states its last) */
};

struct wire_pane {
	bool on;		/* shown */
	int scroll;		/* rows back from the newest */
	int body;		/* rows of packets the last draw had: a page */
	/*
	 * What the kernel said of each socket of a call's packets once the
	 * call was over, drawn under its arrows: the state changes they caused.
	 */
	struct wstate {
		unsigned serial;
		int n;
		char name[WSTATE_COLS][SOCK_NAMELEN];
		char state[WSTATE_COLS][12];
	} wstates[WSTATES];
	int wstate_next;
	struct wrow rows[ROWS_MAX];	/* the rows in view, built by each draw */
};

/* The ladder's columns: the ends of the packets in view, and where each is drawn. */
struct ladder {
	bool on;		/* false: the ends do not fit, packets are lines of text */
	int n;
	char names[COLS_MAX][ADDR_STRLEN];
	int xs[COLS_MAX];
};

/* The kernel's state of a socket of the session now: "LISTEN", "TIME_WAIT", or "gone". */
static const char *state_now(const struct session *s, const struct sock *sk)
{
	for (size_t i = 0; i < s->nv.n; i++)
		if (s->nv.rows[i].own == sk && s->nv.rows[i].e)
			return pn_state_name(s->nv.rows[i].e);
	return sk->state == SOCK_CLOSED ? _("gone") : NULL;
}

/* After a call and the kernel table's refresh: its sockets' states, for the ladder. */
static void wire_after(struct ui *ui, void *data, const struct cmd_result *r)
{
	struct wire_pane *wp = data;
	struct session *s = ui->s;
	size_t n;
	const struct wire_pkt *v = wire_packets(s->wire, &n);
	struct wstate *ws;

	(void)r;
	/* only a call that put packets on the wire */
	if (n == 0 || v[n - 1].cause != s->serial)
		return;
	ws = &wp->wstates[wp->wstate_next];
	wp->wstate_next = (wp->wstate_next + 1) % WSTATES;
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

static const struct wstate *wstate_of(const struct wire_pane *wp, unsigned serial)
{
	for (int i = 0; i < WSTATES; i++)
		if (wp->wstates[i].serial == serial && wp->wstates[i].n)
			return &wp->wstates[i];
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
static int build_rows(const struct wire_pane *wp, const struct wire_pkt *v, size_t n, struct wrow *rows,
		      int want)
{
	int k = 0;

	/*
	 * backwards from the newest: under the last packet that came while a
	 * call ran, the states the call left (packets the kernel sent later,
	 * a delayed ACK, come below them: the states were read before they
	 * came), a packet, and above the first its call's line
	 */
	for (size_t i = n; i-- > 0 && k < want;) {
		if (!v[i].between && (i + 1 == n || v[i + 1].cause != v[i].cause || v[i + 1].between) &&
		    wstate_of(wp, v[i].cause))
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
static int col_of(const char names[][ADDR_STRLEN], int ncol, const char *name)
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

/*
 * An arrow from xa to xb.  A frame the cable holds is dotted and has no
 * head yet (it has not arrived); one it dropped stops half way, at a cross.
 */
static void draw_arrow(int y, int xa, int xb, const char *text, int attr, uint8_t fate)
{
	int lo = xa < xb ? xa : xb, hi = xa < xb ? xb : xa;
	int span = hi - lo - 1, tw = text_width(text), tx;

	if (span < 2)
		return;
	if (fate == CF_DROPPED) {
		int half = span / 2;

		put_repeat(y, xa < xb ? lo + 1 : hi - half, half, glyph(G_HLINE), attr);
		put_text(y, xa < xb ? lo + 1 + half : hi - half - 1, 1, glyph(G_LOST), theme_attr(R_ERROR) | A_BOLD);
	} else if (fate == CF_HELD) {
		put_repeat(y, lo + 1, span, glyph(G_DOTS), attr);
	} else {
		put_repeat(y, lo + 1, span, glyph(G_HLINE), attr);
		if (xa < xb)
			put_text(y, hi - 1, 1, glyph(G_RIGHT), attr | A_BOLD);
		else
			put_text(y, lo + 1, 1, glyph(G_LEFT), attr | A_BOLD);
	}
	if (tw > span - 4)
		tw = span - 4;
	if (tw <= 0)
		return;
	tx = lo + 1 + (span - tw - 2) / 2;
	put_text(y, tx, 1, " ", attr);
	put_text(y, tx + 1, tw, text, attr | A_BOLD);
	put_text(y, tx + 1 + tw, 1, " ", attr);
}

/* The columns: the ends of the packets in view, in the order their sockets were made. */
static void ladder_columns(const struct session *s, const struct wire_pkt *v, const struct wrow *rows,
			   int from, int to, const struct rect *r, struct ladder *ld)
{
	int maxcol = r->w / COL_MIN < COLS_MAX ? r->w / COL_MIN : COLS_MAX, cw;
	char buf[ADDR_STRLEN];

	ld->on = true;
	ld->n = 0;
	for (int i = from; i < to && ld->on; i++) {
		const struct wire_pkt *p = &v[rows[i].pkt];

		if (rows[i].kind != 'p')
			continue;
		for (int e = 0; e < 2 && ld->on; e++) {
			const char *name = wire_end(p, e == 0, buf, sizeof buf);

			if (col_of(ld->names, ld->n, name) >= 0)
				continue;
			if (ld->n == maxcol)
				ld->on = false;
			else
				snprintf(ld->names[ld->n++], ADDR_STRLEN, "%s", name);
		}
	}
	if (!ld->on)
		return;
	/* in the order the sockets were made (a client left of its server, or the other way, stays so) */
	for (int a = 1; a < ld->n; a++)
		for (int b = a; b > 0 && col_rank(s, ld->names[b]) < col_rank(s, ld->names[b - 1]); b--) {
			char tmp[ADDR_STRLEN];

			memcpy(tmp, ld->names[b], sizeof tmp);
			memcpy(ld->names[b], ld->names[b - 1], sizeof tmp);
			memcpy(ld->names[b - 1], tmp, sizeof tmp);
		}
	cw = r->w / (ld->n ? ld->n : 1);
	for (int c = 0; c < ld->n; c++)
		ld->xs[c] = r->x + cw * c + cw / 2;
}

/* The names over the columns, the selected socket's marked. */
static void ladder_heads(struct session *s, const struct ladder *ld, const struct sock *sel, const struct rect *r)
{
	int cw = r->w / (ld->n ? ld->n : 1);

	fill_line(r->y + 1, r->x, r->w, theme_attr(R_NORMAL));
	for (int c = 0; c < ld->n; c++) {
		const struct sock *sk = socktab_find_any(&s->socks, ld->names[c]);
		char head[ADDR_STRLEN + HOST_NAMELEN + 1];
		int len;
		bool is_sel = sel && strcmp(sel->name, ld->names[c]) == 0;

		/* between hosts each column says whose it is: "c@client" */
		snprintf(head, sizeof head, "%s%s%s", ld->names[c], sk && sk->host ? "@" : "",
			 sk ? hosts_name(&s->hosts, sk->host) : "");
		len = (int)strlen(head);
		put_text(r->y + 1, ld->xs[c] - len / 2 > r->x ? ld->xs[c] - len / 2 : r->x, cw, head,
			 theme_attr(is_sel ? R_SELECTED : R_HEADER));
	}
}

/* Under a call's last packet: each column's kernel state once the call was over. */
static void draw_states(const struct wstate *ws, const struct ladder *ld, int y, const struct rect *r)
{
	for (int c = 0; ld->on && ws && c < ld->n; c++)
		for (int k = 0; k < ws->n; k++) {
			int len = (int)strlen(ws->state[k]), x;

			if (strcmp(ws->name[k], ld->names[c]) != 0)
				continue;
			x = ld->xs[c] - len / 2;
			if (x < r->x)
				x = r->x;
			put_text(y, x, r->x + r->w - x, ws->state[k],
				 theme_attr(strcmp(ws->state[k], "TIME_WAIT") == 0 ? R_TIMEWAIT : R_OWN));
		}
}

/* A packet: the columns' lines and its arrow, labelled; or, without a ladder, its text. */
static void draw_packet(const struct wire_pkt *p, const struct ladder *ld, const struct sock *sel, int y,
			const struct rect *r)
{
	int attr = theme_attr(p->late ? R_DIM : R_WIRE), a, b, span;
	char lab[96], buf[ADDR_STRLEN];

	if (!ld->on) {
		char line[200];

		put_text(y, r->x + 2, r->w - 2, wire_format(p, line, sizeof line), attr);
		return;
	}
	for (int c = 0; c < ld->n; c++) {
		bool is_sel = sel && strcmp(sel->name, ld->names[c]) == 0;

		put_text(y, ld->xs[c], 1, glyph(G_VLINE), theme_attr(is_sel ? R_OWN : R_DIM));
	}
	a = col_of(ld->names, ld->n, wire_end(p, true, buf, sizeof buf));
	b = col_of(ld->names, ld->n, wire_end(p, false, buf, sizeof buf));
	span = a >= 0 && b >= 0 ? (ld->xs[a] > ld->xs[b] ? ld->xs[a] - ld->xs[b] : ld->xs[b] - ld->xs[a]) : 0;
	label(p, lab, sizeof lab, span > 40);
	if (p->late && strlen(lab) + strlen(_(" (kernel)")) < sizeof lab)
		strcat(lab, _(" (kernel)"));
	if (p->fate == CF_HELD || p->fate == CF_DROPPED || p->fate == CF_DELAYED) {
		size_t k = strlen(lab);

		/* what the cable did: a frame not yet arrived, or never */
		if (p->fate == CF_DELAYED)
			snprintf(lab + k, sizeof lab - k, _(" delayed %u ms"), (unsigned)p->fate_ms);
		else
			snprintf(lab + k, sizeof lab - k, p->fate == CF_HELD ? _(" held #%u") : _(" dropped #%u"),
				 p->frame);
	}
	if (a >= 0 && b >= 0 && a != b)
		draw_arrow(y, ld->xs[a], ld->xs[b], lab, attr, p->fate);
}

static void wire_draw(struct ui *ui, void *data, const struct rect *r)
{
	struct wire_pane *wp = data;
	struct session *s = ui->s;
	size_t n;
	const struct wire_pkt *v = wire_packets(s->wire, &n);
	const struct sock *sel = ui_selected(ui);
	struct ladder ld;
	int body = r->h - 2, nrows, first, end;

	wp->body = body;
	fill_line(r->y, r->x, r->w, theme_attr(R_HEADER));
	put_text(r->y, r->x, r->w, s->hosts.n ?
		 _("WIRE  packets on loopback and the cable, under the calls that sent them (W hides)") :
		 _("WIRE  packets on loopback, under the calls that sent them (W hides)"),
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
	nrows = build_rows(wp, v, n, wp->rows, body + wp->scroll < ROWS_MAX ? body + wp->scroll : ROWS_MAX);
	if (wp->scroll > nrows - body)
		wp->scroll = nrows - body > 0 ? nrows - body : 0;
	first = nrows - body - wp->scroll;
	if (first < 0)
		first = 0;
	end = first + body < nrows ? first + body : nrows;
	/* too many ends for the columns: the newest rows whose ends fit, the older ones marked above */
	ladder_columns(s, v, wp->rows, first, end, r, &ld);
	while (!ld.on && first < end - 1) {
		first++;
		ladder_columns(s, v, wp->rows, first, end, r, &ld);
	}
	if (ld.on)
		ladder_heads(s, &ld, sel, r);
	for (int i = first, y = r->y + 2; i < end && y < r->y + r->h; i++, y++) {
		const struct wire_pkt *p = &v[wp->rows[i].pkt];

		if (wp->rows[i].kind == 'h') {
			const struct record *rec = history_of(&ui->run->hist, p->cause);

			put_text(y, r->x, r->w, rec ? rec->line : _("(before the first call)"), theme_attr(R_CALL));
		} else if (wp->rows[i].kind == 's') {
			draw_states(wstate_of(wp, p->cause), &ld, y, r);
		} else {
			draw_packet(p, &ld, sel, y, r);
		}
	}
	pane_more(r, first, wp->scroll);
}

bool wire_pane_shown(struct ui *ui)
{
	return ((struct wire_pane *)pane_data(ui, P_WIRE))->on;
}

/* `view wire`: show the pane, or hide it */
static void do_view(struct ui *ui, void *data, const char *arg)
{
	struct wire_pane *wp = data;

	(void)arg;
	wp->on = !wp->on;
	if (wp->on && ui->s->wire == NULL && ui->s->wire_why[0])
		ui_message(ui, "%s", ui->s->wire_why);
}

/* `scroll wire up|down|pgup|pgdn|end` */
static void do_scroll(struct ui *ui, void *data, const char *dir)
{
	struct wire_pane *wp = data;
	int page = wp->body > 1 ? wp->body - 1 : 1;

	(void)ui;
	wp->scroll += strcmp(dir, "up") == 0 ? 3 : strcmp(dir, "down") == 0 ? -3 :
		      strcmp(dir, "pgup") == 0 ? page : strcmp(dir, "pgdn") == 0 ? -page : -wp->scroll;
	if (wp->scroll < 0)
		wp->scroll = 0;
}

static void *wire_init(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct wire_pane));
}

static const struct screen_cmd wire_cmds[] = {
	{ "view", "wire", NULL, NULL, false, do_view },
	{ "scroll", "wire", NULL, NULL, false, do_scroll },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

const struct pane_ops pane_wire = {
	.name = "wire", .init = wire_init, .free = free, .draw = wire_draw, .after = wire_after,
	.cmds = wire_cmds,
};

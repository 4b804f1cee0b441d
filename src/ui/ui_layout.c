/*
 * ui_layout: the whole screen, drawn from the model (the session, the
 * panes' own state) each time something changed, into stdscr, and put on
 * the terminal once per loop pass with doupdate() (ui.c).  The layout
 * places the panes by what each says it would fill (its ops' rows): the
 * title and status rows, the sockets pane, the kernel pane, the log, the
 * wire pane beside or below the log, the lesson beside everything on a
 * wide screen or above it otherwise; then the prompt or message line and
 * the key bar.  Each pane draws itself into its rectangle; where each was
 * drawn is kept (ui->at) for the mouse wheel.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/i18n.h"

#define MIN_COLS 60
#define MIN_ROWS 14

/* Draw pane id into r (nothing when r is empty), and remember where. */
static void draw_pane(struct ui *ui, enum pane_id id, struct rect r)
{
	ui->at[id] = r.h > 0 && r.w > 0 ? r : (struct rect){ 0, 0, 0, 0 };
	if (r.h > 0 && r.w > 0)
		ui->panes[id].ops->draw(ui, ui->panes[id].data, &r);
}

static int pane_rows(struct ui *ui, enum pane_id id)
{
	const struct pane *p = &ui->panes[id];

	return p->ops->rows ? p->ops->rows(ui, p->data) : 1;
}

static void draw_title(struct ui *ui)
{
	char left[160], right[160];
	size_t open = socktab_count_open(&ui->s->socks);

	fill_line(0, 0, ui->cols, theme_attr(R_TITLE));
	snprintf(left, sizeof left, " sockplay%s  ", ui->s->sandboxed ? _(" [sandbox]") : "");
	snprintf(left + strlen(left), sizeof left - strlen(left),
		 ngettext("%zu socket open", "%zu sockets open", open), open);
	if (ui->pace.wait > ui->pace.base * 1.01)
		snprintf(right, sizeof right, _("%s every %.2fs at most (slowed: a refresh takes %.0f ms) "),
			 ui->s->using_diag ? "sock_diag" : "/proc", ui->pace.wait, ui->cost * 1000);
	else
		snprintf(right, sizeof right, _("%s on change, looked at every %.2fs "),
			 ui->s->using_diag ? "sock_diag" : "/proc", ui->pace.wait);
	put_text(0, 0, ui->cols, left, theme_attr(R_TITLE));
	if (text_width(right) + text_width(left) < ui->cols)
		put_text(0, ui->cols - text_width(right), text_width(right), right, theme_attr(R_TITLE));
}

/* The status row: the port range gauge, a bar as wide as fits, then the numbers. */
static void draw_status(struct ui *ui)
{
	const struct port_gauge *g = &ui->gauge;
	int bw = 10, x = 0;
	char bar[16];

	fill_line(1, 0, ui->cols, theme_attr(R_DIM));
	if (ui->have_gauge) {
		int span = g->hi - g->lo + 1;
		int u = (int)((long)g->used * bw / span), t = (int)((long)g->timewait * bw / span);

		if (g->used && u == 0)
			u = 1;
		if (g->timewait && t == 0)
			t = 1;
		for (int i = 0; i < bw; i++)
			bar[i] = i < u - t ? '#' : i < u ? 'T' : '.';
		bar[bw] = '\0';
		x += put_text(1, 0, ui->cols, "[", theme_attr(R_NORMAL));
		x += put_text(1, x, ui->cols - x, bar, theme_attr(g->timewait ? R_TIMEWAIT : R_OWN));
		x += put_text(1, x, ui->cols - x, "] ", theme_attr(R_NORMAL));
	}
	/* each item whole or not at all; what does not fit is marked, never cut in the middle */
	for (int i = 0; i < ui->nstatusitems; i++) {
		int w = text_width(ui->statusitem[i]) + (i ? 2 : 0), rest = i + 1 < ui->nstatusitems ? 3 : 0;

		if (x + w + rest > ui->cols) {
			int cw = text_width(glyph(G_CUT));

			if (i == 0)	/* the count itself: as much as fits, then the mark */
				x += put_text(1, x, ui->cols - x - cw - 1, ui->statusitem[0], theme_attr(R_NORMAL));
			put_text(1, x + 1, ui->cols - x - 1, glyph(G_CUT), theme_attr(R_NORMAL));
			break;
		}
		if (i)
			x += put_text(1, x, 2, "  ", theme_attr(R_NORMAL));
		x += put_text(1, x, ui->cols - x, ui->statusitem[i], theme_attr(R_NORMAL));
	}
}

/* Too small to draw the panes: say so, and the question q asked. */
static void draw_too_small(struct ui *ui)
{
	char m[96];

	snprintf(m, sizeof m, _("Terminal too small: %dx%d, need %dx%d."), ui->cols, ui->rows, MIN_COLS, MIN_ROWS);
	put_text(0, 0, ui->cols, m, A_BOLD);
	put_text(ui->rows > 1 ? 1 : 0, 0, ui->cols, _("Enlarge it, or press q to quit."), 0);
	if (mode_up(ui, &mode_confirm) && ui->rows > 2)
		put_text(2, 0, ui->cols, ui->msg, A_BOLD);
}

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/*
 * The sockets, kernel and log panes in area a: the log keeps three rows at
 * the least (its header, the newest lines: the why-lines a step talks
 * about); the sockets pane up to a third of the rest and none on a short
 * area (the kernel pane names the session's sockets); the kernel pane up
 * to half of what is left; each no more than it has rows for; the log
 * everything else.
 */
static void split_area(struct ui *ui, struct rect a, struct rect *rs, struct rect *rk, struct rect *rl)
{
	int room = a.h - 3, hs = 0, hk = 0;

	if (room >= 2) {
		if (room >= 6) {
			hs = min_int(pane_rows(ui, P_SOCKETS), room / 3);
			if (hs < 2)
				hs = min_int(2, pane_rows(ui, P_SOCKETS));
		}
		hk = min_int(pane_rows(ui, P_KERNEL), (a.h - hs) / 2);
		if (hk < 2)
			hk = 2;
		hk = min_int(hk, room - hs);
	}
	*rs = (struct rect){ a.y, a.x, hs, a.w };
	*rk = (struct rect){ a.y + hs, a.x, hk, a.w };
	*rl = (struct rect){ a.y + hs + hk, a.x, a.h - hs - hk, a.w };
}

/*
 * The lesson: beside the panes when wide (from below the status row to
 * above the message line), above them otherwise, as tall as its step needs
 * up to a little under half the rows, five at the least.
 */
static void place_lesson(struct ui *ui, struct rect *a, struct rect *rles, struct rect *rs, struct rect *rk,
			 struct rect *rl)
{
	int lh, cap = a->h * 45 / 100;

	if (ui->cols >= 140) {
		int lw = ui->cols * 2 / 5;

		*rles = (struct rect){ 2, ui->cols - lw, ui->rows - 4, lw };
		a->w = ui->cols - lw - 1;
		split_area(ui, *a, rs, rk, rl);
		return;
	}
	lh = min_int(pane_rows(ui, P_LESSON), cap > 5 ? cap : 5);
	if (lh < 5)
		lh = 5;
	*rles = (struct rect){ a->y, 0, lh, ui->cols };
	split_area(ui, (struct rect){ a->y + lh, 0, a->h - lh, ui->cols }, rs, rk, rl);
}

/*
 * The wire beside the log when wide, below it otherwise; the log keeps
 * three rows.  Where that leaves the wire too few rows to draw an arrow,
 * the wire (asked for with W) takes the log's place, and the message line
 * says the log is hidden.
 */
static struct rect place_wire(struct ui *ui, struct rect *rl)
{
	struct rect rw = *rl;

	if (rl->w >= 120) {
		rw.w = rl->w / 2;
		rl->w -= rw.w + 1;
		rw.x = rl->x + rl->w + 1;
		return rw;
	}
	rw.h = rl->h >= 12 ? rl->h / 2 : rl->h - 3;
	if (rw.h < 4) {
		if (!ui->msg[0])
			snprintf(ui->msg, sizeof ui->msg, "%s", _("the log is hidden under the wire pane: W hides it"));
		rl->h = 0;
		return rw;
	}
	rl->h -= rw.h;
	rw.y = rl->y + rl->h;
	return rw;
}

void ui_draw(struct ui *ui)
{
	struct rect area, rs, rk, rl, rles = { 0, 0, 0, 0 }, rw = { 0, 0, 0, 0 };

	erase();
	getmaxyx(stdscr, ui->rows, ui->cols);
	/* what a click does is made anew with what is drawn */
	ui->nhits = 0;
	memset(ui->at, 0, sizeof ui->at);
	if (ui->cols < MIN_COLS || ui->rows < MIN_ROWS) {
		draw_too_small(ui);
		return;
	}
	if (mode_up(ui, &mode_help)) {
		draw_pane(ui, P_HELP, (struct rect){ 0, 0, ui->rows, ui->cols });
		return;
	}
	draw_title(ui);
	draw_status(ui);
	kernel_pane_build(ui);
	area = (struct rect){ 2, 0, ui->rows - 4, ui->cols };
	if (lesson_pane_open_now(ui))
		place_lesson(ui, &area, &rles, &rs, &rk, &rl);
	else
		split_area(ui, area, &rs, &rk, &rl);
	if (theme_projector_on() && ui->rows >= 30 && rl.h > 6) {
		/* the projector theme: a blank row below the sockets and the kernel panes, taken from the log */
		rk.y += 1;
		rl.y += 2;
		rl.h -= 2;
	}
	if (wire_pane_shown(ui) && rl.h > 0)
		rw = place_wire(ui, &rl);
	draw_pane(ui, P_LESSON, rles);
	draw_pane(ui, P_SOCKETS, rs);
	draw_pane(ui, P_KERNEL, rk);
	draw_pane(ui, P_WIRE, rw);
	draw_pane(ui, P_LOG, rl);
	keys_draw_bar(ui, ui->rows - 1);
	ui->overlay_hits = ui->nhits;
	if (mode_up(ui, &mode_menu))	/* over the panes, below the title and above the key bar */
		draw_pane(ui, P_MENU, (struct rect){ 1, 0, ui->rows - 2, ui->cols });
	/* last: it leaves the cursor in the prompt */
	draw_pane(ui, P_PROMPT, (struct rect){ ui->rows - 2, 0, 1, ui->cols });
}

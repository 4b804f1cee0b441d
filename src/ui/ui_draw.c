/*
 * ui_draw: the layout and the drawing helpers.  The whole screen is drawn
 * from the model (session, ui state) each time something changed, into
 * stdscr, and put on the terminal once per loop pass with doupdate().
 * Text is UTF-8; widths are counted in columns (wcwidth), so Chinese text
 * lines up.
 */
#include "config.h"

#include <limits.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "ui/ui_int.h"

#define MIN_COLS 60
#define MIN_ROWS 14

int put_text(int y, int x, int w, const char *text, int attr)
{
	mbstate_t st;
	int used = 0;
	const char *p = text;
	size_t left = strlen(text);

	memset(&st, 0, sizeof st);
	attron(attr);
	move(y, x);
	while (left > 0 && used < w) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2) {
			wc = L'?';	/* not UTF-8: show a placeholder, go on */
			n = 1;
			memset(&st, 0, sizeof st);
		} else if (n == 0) {
			break;
		}
		cw = wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (used + cw > w)
			break;
		addnwstr(&wc, 1);
		used += cw;
		p += n;
		left -= n;
	}
	attroff(attr);
	return used;
}

size_t text_fit(const char *text, int w, int min_brk)
{
	mbstate_t st;
	size_t off = 0, brk = 0;
	int col = 0, brk_col = 0;

	/* no strlen: this runs once per wrapped row, and must cost only that row */
	memset(&st, 0, sizeof st);
	while (text[off]) {
		wchar_t wc = 0;
		size_t k = mbrtowc(&wc, text + off, MB_LEN_MAX, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			k = 1;	/* not UTF-8: one byte, one column */
			cw = 1;
			wc = 0;
			memset(&st, 0, sizeof st);
		} else {
			cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		}
		if (col + cw > w) {
			if (brk > 0 && brk_col > min_brk)
				return brk;	/* the word moves to the next line */
			return off ? off : k;	/* at least one character */
		}
		col += cw;
		off += k;
		if (wc == L' ') {
			brk = off;
			brk_col = col;
		}
	}
	return off;
}

int text_width(const char *text)
{
	mbstate_t st;
	const char *p = text;
	size_t left = strlen(text);
	int w = 0;

	memset(&st, 0, sizeof st);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);

		if (n == (size_t)-1 || n == (size_t)-2) {
			n = 1;	/* shown as '?' by put_text */
			w++;
			memset(&st, 0, sizeof st);
		} else if (n == 0) {
			break;
		} else {
			w += wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		}
		p += n;
		left -= n;
	}
	return w;
}

char *pad_cell(const char *text, int w, char *out, size_t len)
{
	int tw = text_width(text);

	snprintf(out, len, "%s%*s", text, tw < w ? w - tw : 0, "");
	return out;
}

char *addr_cell(const char *text, int w, char *out, size_t len)
{
	int n = (int)strlen(text);	/* addresses are ASCII: a byte is a column */

	if (w < 2 || len < (size_t)w + 4) {
		snprintf(out, len, "%s", text);
		return out;
	}
	if (n <= w)
		snprintf(out, len, "%-*s", w, text);
	else
		snprintf(out, len, "…%s", text + n - (w - 1));
	return out;
}

void fill_line(int y, int x, int w, int attr)
{
	attron(attr);
	mvhline(y, x, ' ', w);
	attroff(attr);
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

void pane_more(const struct rect *r, int above, int below)
{
	char more[64];
	int n = 0, cols;

	if (above <= 0 && below <= 0)
		return;
	n += snprintf(more + n, sizeof more - (size_t)n, " ");
	if (above > 0)
		n += snprintf(more + n, sizeof more - (size_t)n, "▲ %d ", above);
	if (below > 0)
		n += snprintf(more + n, sizeof more - (size_t)n, "▼ %d ", below);
	snprintf(more + n, sizeof more - (size_t)n, "%s ", _("more"));
	cols = text_width(more);
	if (cols < r->w)
		put_text(r->y, r->x + r->w - cols, cols, more, theme_attr(R_TITLE) | A_BOLD);
}

void ui_draw(struct ui *ui)
{
	struct rect rs, rk, rl;
	int avail, hs, hk, nsock = 0;

	erase();
	getmaxyx(stdscr, ui->rows, ui->cols);
	/* what a click does is made anew with what is drawn */
	ui->nhits = 0;
	ui->wheel_kernel = ui->wheel_log = ui->wheel_wire = (struct rect){ 0, 0, 0, 0 };
	if (ui->cols < MIN_COLS || ui->rows < MIN_ROWS) {
		char m[96];

		snprintf(m, sizeof m, _("Terminal too small: %dx%d, need %dx%d."), ui->cols, ui->rows,
			 MIN_COLS, MIN_ROWS);
		put_text(0, 0, ui->cols, m, A_BOLD);
		put_text(ui->rows > 1 ? 1 : 0, 0, ui->cols, _("Enlarge it, or press q to quit."), 0);
		if (mode_up(ui, &mode_confirm) && ui->rows > 2)	/* the question q asked */
			put_text(2, 0, ui->cols, ui->msg, A_BOLD);
		return;
	}
	if (mode_up(ui, &mode_help)) {
		struct rect r = { 0, 0, ui->rows, ui->cols };

		pane_help.draw(ui, &r);
		return;
	}
	draw_title(ui);
	for (size_t i = 0; i < ui->s->socks.n; i++)
		nsock += ui->s->socks.v[i]->state != SOCK_CLOSED;
	ui->rows_rebuilt = kernel_rows_build(ui);
	/* the port range gauge: a bar as wide as fits, then the numbers */
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
		put_text(1, x, ui->cols - x, ui->statusline, theme_attr(R_NORMAL));
	}
	avail = ui->rows - 4;
	hs = 1 + (nsock ? nsock : 1);
	if (hs > avail / 3)
		hs = avail / 3;
	hk = 1 + (ui->kp.nrows ? (int)ui->kp.nrows : 1);
	if (hk > (avail - hs) / 2)
		hk = (avail - hs) / 2;
	rs = (struct rect){ 2, 0, hs, ui->cols };
	rk = (struct rect){ 2 + hs, 0, hk, ui->cols };
	rl = (struct rect){ 2 + hs + hk, 0, avail - hs - hk, ui->cols };
	if (ui->lp.les) {
		/* the lesson: beside the panes when wide, above them otherwise */
		if (ui->cols >= 140) {
			int lw = ui->cols * 2 / 5;
			/* from below the status row to above the message line: the header stays whole */
			struct rect rles = { 2, ui->cols - lw, ui->rows - 4, lw };

			rs.w = rk.w = rl.w = ui->cols - lw - 1;
			pane_lesson.draw(ui, &rles);
		} else {
			/*
			 * above the panes: the lesson half the rows; the kernel pane and
			 * the log keep two rows each at the least, and on a short screen
			 * the sockets pane gives way (the kernel pane names own sockets)
			 */
			int lh = avail / 2 > 5 ? avail / 2 : 5;
			struct rect rles = { 2, 0, lh, ui->cols };

			hs = avail - lh >= 9 ? (hs * (avail - lh)) / avail : 0;
			if (hs && hs < 2)
				hs = 2;
			hk = (avail - lh - hs) / 2;
			rs = (struct rect){ 2 + lh, 0, hs, ui->cols };
			rk = (struct rect){ 2 + lh + hs, 0, hk, ui->cols };
			rl = (struct rect){ 2 + lh + hs + hk, 0, avail - lh - hs - hk, ui->cols };
			pane_lesson.draw(ui, &rles);
		}
	}
	if (theme_projector_on() && ui->rows >= 30 && rl.h > 6) {
		/* the projector theme: a blank row below the sockets and the kernel panes, taken from the log */
		rk.y += 1;
		rl.y += 2;
		rl.h -= 2;
	}
	if (rs.h > 0)
		pane_sockets.draw(ui, &rs);
	if (rk.h > 0)
		pane_kernel.draw(ui, &rk);
	ui->wheel_kernel = rk;
	if (ui->wire_on && rl.h > 0) {
		/* the wire beside the log when wide, below it otherwise, and alone on a short screen */
		struct rect rw = rl;

		if (rl.w >= 120) {
			rw.w = rl.w / 2;
			rl.w -= rw.w + 1;
			rw.x = rl.x + rl.w + 1;
		} else if (rl.h >= 8) {
			rw.h = rl.h / 2 > 6 ? rl.h / 2 : 6;
			rl.h -= rw.h;
			rw.y = rl.y + rl.h;
		} else {
			rl.h = 0;
		}
		pane_wire.draw(ui, &rw);
		ui->wheel_wire = rw;
	}
	if (rl.h > 0)
		pane_log.draw(ui, &rl);
	ui->wheel_log = rl;
	keys_draw_bar(ui, ui->rows - 1);
	prompt_draw(ui, ui->rows - 2);	/* last: it leaves the cursor in the prompt */
}

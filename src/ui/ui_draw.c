/*
 * ui_draw: the drawing helpers every pane uses.  Text is UTF-8; widths are
 * counted in columns (wcwidth), so Chinese text lines up; bytes that are
 * not UTF-8 show as '?'.
 */
#include "config.h"

#include <limits.h>

#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util/i18n.h"
#include "ui/ui_int.h"

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

int put_text_cut(int y, int x, int w, const char *text, int attr)
{
	int cw;

	if (text_width(text) <= w)
		return put_text(y, x, w, text, attr);
	cw = text_width(glyph(G_CUT));
	if (w <= cw)
		return put_text(y, x, w, glyph(G_CUT), attr);
	x += put_text(y, x, w - cw, text, attr);
	return w - cw + put_text(y, x, cw, glyph(G_CUT), attr);
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
	else if (strcmp(glyph(G_CUT), "…") == 0)
		snprintf(out, len, "…%s", text + n - (w - 1));
	else
		snprintf(out, len, "..%s", text + n - (w - 2));
	return out;
}

void fill_line(int y, int x, int w, int attr)
{
	attron(attr);
	mvhline(y, x, ' ', w);
	attroff(attr);
}

void pane_more(const struct rect *r, int above, int below)
{
	char more[64];
	int n = 0, cols;

	if (above <= 0 && below <= 0)
		return;
	n += snprintf(more + n, sizeof more - (size_t)n, " ");
	if (above > 0)
		n += snprintf(more + n, sizeof more - (size_t)n, "%s %d ", glyph(G_UP), above);
	if (below > 0)
		n += snprintf(more + n, sizeof more - (size_t)n, "%s %d ", glyph(G_DOWN), below);
	snprintf(more + n, sizeof more - (size_t)n, "%s ", _("more"));
	cols = text_width(more);
	if (cols < r->w)
		put_text(r->y, r->x + r->w - cols, cols, more, theme_attr(R_TITLE) | A_BOLD);
}

const char *glyph(enum glyph g)
{
	static const char *const utf8[G_N] = { "─", "▶", "◀", "│", "▲", "▼", "…", "┄", "✕" };
	static const char *const ascii[G_N] = { "-", ">", "<", "|", "^", "v", "...", ".", "X" };
	const char *cs = nl_langinfo(CODESET);

	return (cs && strcmp(cs, "UTF-8") == 0 ? utf8 : ascii)[g];
}

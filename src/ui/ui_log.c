/*
 * ui_log: the log pane: the transcript and why-lines, wrapped to the width,
 * newest at the bottom, scrollable by a page.  The pane owns its lines (a
 * ring of LOG_MAX) and its scroll; ui_log() appends, `scroll log` moves.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util/i18n.h"
#include "ui/ui_int.h"

#define WRAP_INDENT 8
#define LOG_MAX 2000

struct log_pane {
	struct logline {
		enum role role;
		char *text;
	} lines[LOG_MAX];	/* a ring: the oldest at head */
	int n, head;
	int scroll;		/* rows scrolled back from the newest */
	int body;		/* rows of text the last draw had: a page */
};

void ui_log(struct ui *ui, enum role role, const char *text)
{
	struct log_pane *lg = pane_data(ui, P_LOG);
	int slot = (lg->head + lg->n) % LOG_MAX;
	char *copy = strdup(text);

	if (copy == NULL)
		return;
	if (lg->n == LOG_MAX) {
		free(lg->lines[lg->head].text);
		slot = lg->head;
		lg->head = (lg->head + 1) % LOG_MAX;
	} else {
		lg->n++;
	}
	lg->lines[slot].role = role;
	lg->lines[slot].text = copy;
	lg->scroll = 0;	/* new output brings the view back to the end */
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

/* Rows the ring holds, wrapped to width w: how far back a scroll can go. */
static int wrapped_rows(const struct log_pane *lg, int w)
{
	int rows = 0;

	for (int i = 0; i < lg->n; i++) {
		size_t starts[32];

		rows += wrap(lg->lines[(lg->head + i) % LOG_MAX].text, w, starts, 32);
	}
	return rows;
}

static void log_draw(struct ui *ui, void *data, const struct rect *r)
{
	struct log_pane *lg = data;
	int y = r->y + r->h - 1, skip, most;
	char head[80];

	(void)ui;
	lg->body = r->h - 1;
	most = wrapped_rows(lg, r->w) - lg->body;
	if (lg->scroll > most)
		lg->scroll = most > 0 ? most : 0;
	skip = lg->scroll;
	snprintf(head, sizeof head, "%s%s", _("LOG"), lg->scroll ? _("  (scrolled: End returns)") : "");
	fill_line(r->y, r->x, r->w, theme_attr(R_HEADER));
	put_text(r->y, r->x, r->w, head, theme_attr(R_HEADER));
	for (int i = lg->n - 1; i >= 0 && y > r->y; i--) {
		const struct logline *ll = &lg->lines[(lg->head + i) % LOG_MAX];
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
	pane_more(r, 0, lg->scroll);
}

/* `scroll log up|down|pgup|pgdn|end`: a row (the wheel: three), a page, or back to the newest. */
static void do_scroll(struct ui *ui, void *data, const char *dir)
{
	struct log_pane *lg = data;
	int page = lg->body > 1 ? lg->body - 1 : 1;

	(void)ui;
	if (strcmp(dir, "up") == 0)
		lg->scroll += 3;
	else if (strcmp(dir, "down") == 0)
		lg->scroll -= 3;
	else if (strcmp(dir, "pgup") == 0)
		lg->scroll += page;
	else if (strcmp(dir, "pgdn") == 0)
		lg->scroll -= page;
	else
		lg->scroll = 0;
	if (lg->scroll < 0)
		lg->scroll = 0;	/* the draw keeps it from going past the oldest */
}

static void *log_init(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct log_pane));
}

static void log_free(void *data)
{
	struct log_pane *lg = data;

	for (int i = 0; lg && i < lg->n; i++)
		free(lg->lines[(lg->head + i) % LOG_MAX].text);
	free(lg);
}

static const struct screen_cmd log_cmds[] = {
	{ "scroll", "log", NULL, NULL, false, do_scroll },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

const struct pane_ops pane_log = {
	.name = "log", .init = log_init, .free = log_free, .draw = log_draw, .cmds = log_cmds,
};


/*
 * ui_mouse: the mouse, as htop and mc have it.  Every draw says what its
 * parts do when clicked (hit_cmd, hit_key): a socket's row selects it, a
 * kernel row filters to its port, a key of the key bar presses it, a
 * prediction's choice answers it (each registered by the draw that put it
 * there, never read back from the screen); the wheel scrolls the pane
 * under it.  A
 * click runs the same command line a key or a typed line would, so the
 * keyboard stays complete and the log shows the same trace.
 */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "util/i18n.h"
#include "ui/ui_int.h"

static struct hit *hit_new(struct ui *ui, int y, int x0, int x1)
{
	struct hit *h;

	if (ui->nhits == HITS_MAX || x1 <= x0)
		return NULL;
	h = &ui->hits[ui->nhits++];
	memset(h, 0, sizeof *h);
	h->y = (short)y;
	h->x0 = (short)x0;
	h->x1 = (short)x1;
	return h;
}

void hit_cmd(struct ui *ui, int y, int x0, int x1, const char *fmt, ...)
{
	struct hit *h = hit_new(ui, y, x0, x1);
	va_list ap;

	if (h == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(h->cmd, sizeof h->cmd, fmt, ap);
	va_end(ap);
}

void hit_key(struct ui *ui, int y, int x0, int x1, wint_t ch, bool is_key)
{
	struct hit *h = hit_new(ui, y, x0, x1);

	if (h) {
		h->ch = ch;
		h->is_key = is_key;
	}
}

void mouse_start(void)
{
	/* press events at once (no click timing); the wheel is buttons 4 and 5 */
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
}

static bool inside(const struct rect *r, int y, int x)
{
	return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

/* The wheel scrolls the pane under it (help, over everything, when it is up) by three rows. */
static void wheel(struct ui *ui, int y, int x, bool up)
{
	static const struct {
		enum pane_id id;
		const char *name;
	} scrolls[] = { { P_HELP, "help" }, { P_KERNEL, "kernel" }, { P_WIRE, "wire" }, { P_LOG, "log" } };
	char line[32];

	for (size_t i = 0; i < sizeof scrolls / sizeof scrolls[0]; i++)
		if (inside(&ui->at[scrolls[i].id], y, x)) {
			snprintf(line, sizeof line, "scroll %s %s", scrolls[i].name, up ? "up" : "down");
			ui_run_command(ui, line, NULL);
			return;
		}
}

/* A press of button 1 at y, x: what the draw put there runs. */
static void click(struct ui *ui, int y, int x)
{
	/* a question, the prompt or help has the keys: a click does not go past them; the menu's rows take it */
	if (ui->nmodes > 0 && ui->modes[ui->nmodes - 1] != &mode_menu)
		return;
	/* the last made wins: a pane drawn over another */
	for (int i = ui->nhits - 1; i >= (ui->nmodes > 0 ? ui->overlay_hits : 0); i--) {
		const struct hit *h = &ui->hits[i];

		if (h->y != y || x < h->x0 || x >= h->x1)
			continue;
		if (h->ch) {
			keys_handle(ui, h->ch, h->is_key);	/* the key's own row: its modes apply */
		} else if (lesson_asking(ui) && strncmp(h->cmd, "lesson answer ", 14) != 0) {
			ui_message(ui, "%s", _("answer the prediction first: click a choice or press its number"));
		} else {
			mode_pop(ui, &mode_menu);	/* a click on the menu's row opens that lesson */
			ui_run_command(ui, h->cmd, NULL);
		}
		return;
	}
}

void mouse_event(struct ui *ui)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return;
	if (me.bstate & BUTTON4_PRESSED) {
		wheel(ui, me.y, me.x, true);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (me.bstate & BUTTON5_PRESSED) {
		wheel(ui, me.y, me.x, false);
		return;
	}
#endif
	if (me.bstate & BUTTON1_PRESSED)
		click(ui, me.y, me.x);
}

void mouse_sgr(struct ui *ui, int button, int x, int y, bool press)
{
	if (!press)
		return;		/* a release: the press acted */
	if (button == 64 || button == 65)
		wheel(ui, y, x, button == 64);
	else if (button == 0)
		click(ui, y, x);
}

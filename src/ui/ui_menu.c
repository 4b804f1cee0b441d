/*
 * ui_menu: the lesson menu, a mode drawn over the screen: every lesson of
 * the language with how far it got, one selected.  L opens it (the key bar
 * and the welcome line say so); Up/Down or j/k move, Enter or a click opens
 * the selected lesson, a number selects that lesson (and opens it when no
 * other number starts with it), Esc, q or L closes.  It opens on the
 * first lesson not done, so L Enter walks a class through them in order.
 * The pane owns the list it read when it opened and the selection.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/lesson.h"
#include "run/progress.h"
#include "ui/ui_int.h"
#include "util/i18n.h"

#define MENU_MAX 99

struct menu_pane {
	struct menu_row {
		int number;
		char line[200];		/* "NN  title" */
		char progress[48];	/* "done", "3/6", "" */
		bool done;
	} rows[MENU_MAX];
	int n, sel, first;
	char digits[4];		/* a number being typed */
	char lang[8];
};

static struct menu_pane *mp_of(struct ui *ui)
{
	return pane_data(ui, P_MENU);
}

/* Read the lessons of lang and their progress; the selection on the first not done. */
static void menu_load(struct ui *ui, struct menu_pane *mp, const char *lang)
{
	char dir[512], err[256], key[120];
	char **paths = lesson_dir(dir, sizeof dir) == 0 ? lesson_paths(dir, lang) : NULL;

	mp->n = mp->sel = mp->first = 0;
	mp->digits[0] = '\0';
	snprintf(mp->lang, sizeof mp->lang, "%s", lang);
	for (size_t k = 0; paths && paths[k] && mp->n < MENU_MAX; k++) {
		struct menu_row *r = &mp->rows[mp->n];
		struct lesson l;
		long st;

		if (lesson_load(paths[k], &l, err, sizeof err) < 0) {
			ui_log(ui, R_ERROR, err);
			continue;
		}
		r->number = l.number;
		snprintf(r->line, sizeof r->line, "%2d  %s%s", l.number, l.title, l.sandbox ? _("  [sandbox]") : "");
		progress_key(lang, l.name, key, sizeof key);
		st = progress_get(key);
		r->done = st >= 0 && (size_t)st >= l.nsteps;
		if (r->done)
			snprintf(r->progress, sizeof r->progress, "%s", _("done"));
		else if (st >= 0)
			snprintf(r->progress, sizeof r->progress, _("step %1$ld of %2$zu"), st + 1, l.nsteps);
		else
			r->progress[0] = '\0';
		lesson_free(&l);
		mp->n++;
	}
	lesson_paths_free(paths);
	while (mp->sel < mp->n - 1 && mp->rows[mp->sel].done)
		mp->sel++;
	if (mp->sel == mp->n - 1 && mp->rows[mp->sel].done)
		mp->sel = 0;	/* every one done: from the start */
}

/* `lessons`: the menu, in the open lesson's language (or the program's). */
static void do_lessons(struct ui *ui, void *data, const char *arg)
{
	struct menu_pane *mp = data;

	(void)arg;
	menu_load(ui, mp, lesson_pane_lang(ui));
	if (mp->n == 0) {
		ui_message(ui, "%s", _("no lessons found (set SOCKPLAY_LESSONS to their directory)"));
		return;
	}
	mode_push(ui, &mode_menu);
}

static void open_selected(struct ui *ui, struct menu_pane *mp)
{
	char line[32];

	mode_pop(ui, &mode_menu);
	snprintf(line, sizeof line, "lesson open %d", mp->rows[mp->sel].number);
	ui_run_command(ui, line, NULL);
}

/* A digit: the lesson of that number selected; opened when no other number starts so. */
static void menu_digit(struct ui *ui, struct menu_pane *mp, int d)
{
	size_t k = strlen(mp->digits);
	int match = -1, starting = 0;

	if (k + 1 >= sizeof mp->digits)
		k = 0;
	mp->digits[k] = (char)('0' + d);
	mp->digits[k + 1] = '\0';
	for (int i = 0; i < mp->n; i++) {
		char num[8];

		snprintf(num, sizeof num, "%d", mp->rows[i].number);
		if (strncmp(num, mp->digits, strlen(mp->digits)) == 0)
			starting++;
		if (strcmp(num, mp->digits) == 0)
			match = i;
	}
	if (match < 0) {
		mp->digits[0] = (char)('0' + d);	/* a fresh number */
		mp->digits[1] = '\0';
		return;
	}
	mp->sel = match;
	if (starting == 1)
		open_selected(ui, mp);
}

static void menu_key(struct ui *ui, wint_t ch, bool is_key)
{
	struct menu_pane *mp = mp_of(ui);

	if ((is_key && ch == KEY_UP) || (!is_key && ch == L'k')) {
		mp->sel = mp->sel > 0 ? mp->sel - 1 : 0;
		mp->digits[0] = '\0';
	} else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == L'j')) {
		mp->sel = mp->sel + 1 < mp->n ? mp->sel + 1 : mp->sel;
		mp->digits[0] = '\0';
	} else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == L'\r' || ch == L'\n'))) {
		open_selected(ui, mp);
	} else if (!is_key && ch >= L'0' && ch <= L'9') {
		menu_digit(ui, mp, (int)(ch - L'0'));
	} else if ((!is_key && (ch == 27 || ch == L'q' || ch == L'L')) || (is_key && ch == KEY_F(10))) {
		mode_pop(ui, &mode_menu);
	}
	/* the menu takes every key */
}

/* The menu over the screen: a box in the middle, the selected row marked. */
static void menu_draw(struct ui *ui, void *data, const struct rect *r)
{
	struct menu_pane *mp = data;
	int w = r->w - 4 < 96 ? r->w - 4 : 96, h = mp->n + 4 < r->h - 2 ? mp->n + 4 : r->h - 2;
	int x = r->x + (r->w - w) / 2, y = r->y + (r->h - h) / 2, body = h - 4;

	if (mp->sel < mp->first)
		mp->first = mp->sel;
	if (mp->sel >= mp->first + body)
		mp->first = mp->sel - body + 1;
	for (int i = 0; i < h; i++)
		fill_line(y + i, x, w, theme_attr(R_NORMAL));
	fill_line(y, x, w, theme_attr(R_TITLE));
	put_text(y, x + 1, w - 2, _("Lessons: Enter or a click opens one, a number picks it, Esc closes"),
		 theme_attr(R_TITLE));
	for (int i = mp->first; i < mp->n && i < mp->first + body; i++) {
		const struct menu_row *row = &mp->rows[i];
		int ry = y + 2 + i - mp->first, pw = text_width(row->progress);
		enum role role = i == mp->sel ? R_SELECTED : row->done ? R_DIM : R_NORMAL;

		if (i == mp->sel)
			fill_line(ry, x, w, theme_attr(R_SELECTED));
		put_text(ry, x + 1, 2, i == mp->sel ? ">" : " ", theme_attr(role));
		put_text(ry, x + 3, w - 5 - pw - 2, row->line, theme_attr(role));
		put_text(ry, x + w - pw - 2, pw, row->progress, theme_attr(role));
		hit_cmd(ui, ry, x, x + w, "lesson open %d", row->number);
	}
	pane_more(&(struct rect){ y, x, h, w }, mp->first, mp->n - mp->first - body);
}

static void *menu_init(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct menu_pane));
}

static const struct screen_cmd menu_cmds[] = {
	{ "lessons", NULL, "lessons", N_("the lesson menu: every lesson, how far it got; Enter opens one"),
	  false, do_lessons },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

const struct pane_ops pane_menu = {
	.name = "menu", .init = menu_init, .free = free, .draw = menu_draw, .cmds = menu_cmds,
};
const struct mode_ops mode_menu = { "menu", menu_key };

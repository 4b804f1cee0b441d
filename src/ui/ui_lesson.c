/*
 * ui_lesson: the lesson pane, a view of the stepper (run/stepper.h) and
 * the keys' way to it.  The stepper plays the lesson; this pane draws what
 * the class has seen of the step (prose and commands up to the next one
 * not yet run, a prediction's question and its choices), says how each
 * answer was judged, and turns the screen command `lesson ...` into the
 * stepper's calls.  It owns the stepper, the lesson it opened itself and
 * the line it last said; every word it shows goes through gettext.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/class.h"
#include "run/lesson.h"
#include "run/progress.h"
#include "run/stepper.h"
#include "ui/ui_int.h"
#include "util/i18n.h"
#include "util/record.h"

struct lesson_pane {
	struct stepper st;
	struct lesson *les;	/* the lesson open, or NULL */
	bool owned;		/* the pane loaded it: it frees it */
	char said[400];		/* the last verdict */
	char end[400];		/* at the lesson's end: the score, and what comes next */
	long marked_step, marked_ask;	/* the step and the prediction last marked in a recording (-1: none) */
};

static struct lesson_pane *lp_of(struct ui *ui)
{
	return pane_data(ui, P_LESSON);
}

bool lesson_pane_open_now(struct ui *ui)
{
	return lp_of(ui)->les != NULL;
}

const char *lesson_pane_lang(struct ui *ui)
{
	struct lesson_pane *lp = lp_of(ui);

	return lp->les ? lp->st.lang : lesson_lang(NULL);
}

bool lesson_holding_kernel(struct ui *ui)
{
	struct lesson_pane *lp = lp_of(ui);

	return lp->les && stepper_holding_kernel(&lp->st);
}

bool lesson_asking(struct ui *ui)
{
	struct lesson_pane *lp = lp_of(ui);

	return lp->les && stepper_asking(&lp->st);
}

int lesson_nchoices(struct ui *ui)
{
	struct lesson_pane *lp = lp_of(ui);

	return lp->les ? stepper_nchoices(&lp->st) : 0;
}

/* In a recording (--record), a marker where a step begins and where a prediction is asked. */
static void mark(struct lesson_pane *lp)
{
	const struct lstep *sp;
	char label[200];
	size_t i;

	if (lp->les == NULL)
		return;
	sp = stepper_cur(&lp->st);
	if ((long)lp->st.step != lp->marked_step) {
		snprintf(label, sizeof label, _("Step %1$zu of %2$zu: %3$s"), lp->st.step + 1, lp->les->nsteps, sp->title);
		record_marker(label);
		lp->marked_step = (long)lp->st.step;
		lp->marked_ask = -1;
	}
	i = stepper_next_cmd(&lp->st);
	if (stepper_asking(&lp->st) && (long)i != lp->marked_ask) {
		snprintf(label, sizeof label, _("Prediction: %s"), sp->items[i].question);
		record_marker(label);
		lp->marked_ask = (long)i;
	}
}

/* The stepper's own trouble (a progress file that could not be written), said once; the recording's markers. */
static void say_error(struct ui *ui, struct lesson_pane *lp)
{
	mark(lp);
	if (lp->st.error[0]) {
		ui_message(ui, "%s", lp->st.error);
		lp->st.error[0] = '\0';
	}
}

/* The lessons of the open lesson's language (or the program's): paths, NULL-terminated, or NULL. */
static char **lesson_files(const struct lesson_pane *lp)
{
	char dir[512];

	if (lesson_dir(dir, sizeof dir) < 0)
		return NULL;
	return lesson_paths(dir, lp->les ? lp->st.lang : lesson_lang(NULL));
}

/* The last command of the last step ran: how the class did, and what comes next. */
static void finished(struct ui *ui, struct lesson_pane *lp)
{
	char **paths = lesson_files(lp), err[256];
	const char *after = lesson_after(paths, lp->les->path);
	struct lesson next;
	size_t n;

	n = (size_t)snprintf(lp->end, sizeof lp->end, _("Lesson done: %1$u of %2$u predictions right."),
			     lp->st.right, lp->st.asked);
	if (after && n < sizeof lp->end && lesson_load(after, &next, err, sizeof err) == 0) {
		snprintf(lp->end + n, sizeof lp->end - n, _(" Enter opens the next: %1$d %2$s, %3$s (L lists them all)"),
			 next.number, next.name, next.title);
		lesson_free(&next);
	}
	ui_log(ui, R_HEADER, lp->end);
	/* what the lesson showed, now that every question has been asked */
	if (lp->les->summary)
		ui_log(ui, R_INFO, lp->les->summary);
	lesson_paths_free(paths);
}

/* After the stepper ran something: the verdict, or the end. */
static void after_run(struct ui *ui, struct lesson_pane *lp)
{
	const struct verdict *v = &lp->st.verdict;

	lp->said[0] = lp->end[0] = '\0';
	if (lp->st.have_verdict && class_teaching(ui)) {
		/* the teacher answered nothing: the class's most common answer did */
		snprintf(lp->said, sizeof lp->said, v->right ? _("The class's most common answer, %1$s, was right: the "
			 "kernel said %2$s.") : _("The class's most common answer was %1$s; the kernel said %2$s. The "
			 "why-lines tell the rule."), v->said, v->got);
		ui_log(ui, v->right ? R_OWN : R_ERROR, lp->said);
	} else if (lp->st.have_verdict) {
		if (v->right)
			snprintf(lp->said, sizeof lp->said, _("Right: you said %1$s, the kernel said %2$s."),
				 v->said, v->got);
		else
			snprintf(lp->said, sizeof lp->said, _("Not quite: you said %1$s, the kernel said %2$s. "
				 "The why-lines tell the rule."), v->said, v->got);
		ui_log(ui, v->right ? R_OWN : R_ERROR, lp->said);
	}
	if (lp->st.finished)
		finished(ui, lp);
	say_error(ui, lp);
}

static void lesson_step(struct ui *ui, struct lesson_pane *lp, int delta);
static void lesson_open_named(struct ui *ui, struct lesson_pane *lp, const char *which);

/* The lesson after the open one, in its language: opened, or said there is none. */
static void open_following(struct ui *ui, struct lesson_pane *lp)
{
	char **paths = lesson_files(lp), which[16];
	const char *after = lesson_after(paths, lp->les->path);
	struct lesson next;
	char err[256];

	if (after == NULL || lesson_load(after, &next, err, sizeof err) < 0) {
		ui_message(ui, "%s", _("that was the last lesson: L lists them all"));
		lesson_paths_free(paths);
		return;
	}
	snprintf(which, sizeof which, "%d", next.number);
	lesson_free(&next);
	lesson_paths_free(paths);
	lesson_open_named(ui, lp, which);
}

/* Enter: the next command; at a step's end the next step; at the lesson's end the next lesson. */
static void lesson_next(struct ui *ui, struct lesson_pane *lp)
{
	if (stepper_asking(&lp->st)) {
		ui_message(ui, "%s", _("Predict first: press the number of your answer"));
		return;
	}
	if (stepper_step_done(&lp->st)) {
		if (lp->st.step + 1 < lp->les->nsteps)
			lesson_step(ui, lp, 1);
		else
			open_following(ui, lp);
		return;
	}
	if (stepper_next(&lp->st))
		after_run(ui, lp);
}

static void lesson_answer(struct ui *ui, struct lesson_pane *lp, int choice)
{
	if (!stepper_asking(&lp->st))
		return;
	if (choice < 1 || choice > stepper_nchoices(&lp->st)) {
		ui_message(ui, _("answer with a number from 1 to %d"), stepper_nchoices(&lp->st));
		return;
	}
	if (stepper_answer(&lp->st, choice))
		after_run(ui, lp);
}

static void lesson_rest(struct ui *ui, struct lesson_pane *lp)
{
	stepper_rest(&lp->st);
	after_run(ui, lp);
}

static void lesson_step(struct ui *ui, struct lesson_pane *lp, int delta)
{
	int ran = stepper_step(&lp->st, delta);

	if (ran < 0) {
		ui_message(ui, "%s", delta > 0 ? _("this is the last step") : _("this is the first step"));
		return;
	}

	lp->said[0] = lp->end[0] = '\0';
	if (ran > 0 && delta < 0)
		ui_message(ui, _("Step %zu: the steps before it were run again, so the table is what the "
			   "lesson says"), lp->st.step + 1);
	else if (ran > 0)
		ui_message(ui, _("Step %zu: the commands skipped were run first"), lp->st.step + 1);
	say_error(ui, lp);
}

static void restart_now(struct ui *ui)
{
	struct lesson_pane *lp = lp_of(ui);

	if (stepper_restart(&lp->st) < 0)
		ui_log(ui, R_ERROR, lp->st.error);
	lp->said[0] = lp->end[0] = '\0';
	say_error(ui, lp);
}

static void lesson_ask_restart(struct ui *ui, struct lesson_pane *lp)
{
	if (lp->st.step == 0 && lp->st.item == 0) {
		restart_now(ui);	/* nothing to lose */
		return;
	}
	ui_ask(ui, _("Restart the lesson from step 1? Its sockets are closed. (y/n)"), restart_now);
}

const struct lesson *lesson_open_lesson(struct ui *ui)
{
	return lp_of(ui)->les;
}

bool lesson_place(struct ui *ui, size_t *step, size_t *item, bool *asking)
{
	struct lesson_pane *lp = lp_of(ui);

	if (lp->les == NULL)
		return false;
	*step = lp->st.step;
	*item = stepper_next_cmd(&lp->st);
	*asking = stepper_asking(&lp->st);
	return true;
}

void lesson_class_follow(struct ui *ui, size_t step, size_t item)
{
	struct lesson_pane *lp = lp_of(ui);
	size_t was = lp->st.step;

	if (lp->les == NULL || step >= lp->les->nsteps)
		return;
	if (step == lp->st.step && item == stepper_next_cmd(&lp->st))
		return;
	lp->said[0] = lp->end[0] = '\0';
	if (stepper_goto(&lp->st, step, item) < 0)
		ui_log(ui, R_ERROR, lp->st.error);
	else if (step != was)
		ui_message(ui, _("Step %zu: the teacher moved on; the commands between ran here too"), step + 1);
	say_error(ui, lp);
}

void lesson_class_reveal(struct ui *ui, int choice, unsigned *mask)
{
	struct lesson_pane *lp = lp_of(ui);

	if (lp->les == NULL || !stepper_asking(&lp->st))
		return;
	if (choice >= 1 && stepper_answer(&lp->st, choice)) {
		if (mask)
			*mask = lp->st.have_verdict ? lp->st.verdict.right_mask : 0;
		after_run(ui, lp);
		return;
	}
	/* nobody answered: the kernel shows what it does all the same */
	stepper_run_unasked(&lp->st);
	after_run(ui, lp);
	ui_message(ui, "%s", mask ? _("Revealed with no answer from the class") : _("You did not answer this one"));
}

static void lesson_close(struct lesson_pane *lp)
{
	if (lp->les)
		stepper_close(&lp->st);
	if (lp->owned && lp->les) {
		lesson_free(lp->les);
		free(lp->les);
	}
	lp->les = NULL;
	lp->owned = false;
}

void lesson_pane_open(struct ui *ui, struct lesson *l, bool owned, const char *lang)
{
	struct lesson_pane *lp = lp_of(ui);
	int resumed;

	lesson_close(lp);
	lp->les = l;
	lp->owned = owned;
	lp->said[0] = lp->end[0] = '\0';
	lp->marked_step = lp->marked_ask = -1;
	ui_log(ui, R_HEADER, l->title);
	if (!ui->s->sandboxed && ui->s->sandbox_why[0]) {
		char line[600];

		snprintf(line, sizeof line, _("No sandbox here: %s. This lesson runs on the machine's own "
					      "network, and reaches only the sockets it makes itself."), ui->s->sandbox_why);
		ui_log(ui, R_ERROR, line);
	} else if (!ui->s->sandboxed) {
		ui_log(ui, R_ERROR, _("No sandbox here: this lesson runs on the machine's own network, and "
				      "reaches only the sockets it makes itself."));
	}
	/* a class starts at step 1, the teacher's and every seat's */
	resumed = stepper_open(&lp->st, ui->run, l, lang, !class_teaching(ui) && !class_following(ui));
	if (resumed < 0)
		ui_log(ui, R_ERROR, lp->st.error);
	else if (resumed > 0)
		ui_message(ui, _("Resuming at step %d: the steps before it were run again"), resumed + 1);
	say_error(ui, lp);
}

/* `lesson open WHICH`: a number, a name, or a teacher's own file by path. */
static void lesson_open_named(struct ui *ui, struct lesson_pane *lp, const char *which)
{
	bool by_path = lesson_is_path(which);
	char **paths = by_path ? NULL : lesson_files(lp), err[1024];
	const char *path = by_path ? which : lesson_find(paths, which);
	struct lesson *l = calloc(1, sizeof *l);
	char lang[8];

	snprintf(lang, sizeof lang, "%s", lp->les ? lp->st.lang : lesson_lang(NULL));
	if (l == NULL || path == NULL || lesson_load(path, l, err, sizeof err) < 0) {
		ui_message(ui, "%s", l == NULL ? _("out of memory") : path == NULL ?
			   _("no such lesson: :lesson list shows them") : err);
		free(l);
		lesson_paths_free(paths);
		return;
	}
	lesson_paths_free(paths);
	lesson_pane_open(ui, l, true, lang);
}

/* The lessons and how far each got, into the log. */
static void lesson_list(struct ui *ui, struct lesson_pane *lp)
{
	char **paths = lesson_files(lp), line[512], err[256], key[120], prog[48];
	const char *lang = lp->les ? lp->st.lang : lesson_lang(NULL);

	if (paths == NULL || paths[0] == NULL) {
		ui_message(ui, "%s", _("no lessons found (set SOCKPLAY_LESSONS to their directory)"));
		lesson_paths_free(paths);
		return;
	}
	for (size_t k = 0; paths[k]; k++) {
		struct lesson l;
		long st;

		if (lesson_load(paths[k], &l, err, sizeof err) < 0) {
			ui_log(ui, R_ERROR, err);
			continue;
		}
		progress_key(lang, l.name, key, sizeof key);
		st = progress_get(key);
		if (st < 0)
			snprintf(prog, sizeof prog, "-");
		else if ((size_t)st >= l.nsteps)
			snprintf(prog, sizeof prog, "%s", _("done"));
		else
			snprintf(prog, sizeof prog, "%ld/%zu", st + 1, l.nsteps);
		snprintf(line, sizeof line, "%2d %-18.60s %-5s %.300s", l.number, l.name, prog, l.title);
		ui_log(ui, lp->les && strcmp(l.path, lp->les->path) == 0 ? R_HEADER : R_INFO, line);
		lesson_free(&l);
	}
	ui_log(ui, R_INFO, _("open one with :lesson open NUMBER (or NAME, or a path)"));
	lesson_paths_free(paths);
}

/* `lesson list|open N|next|rest|answer N|step next|step back|restart` */
static void do_lesson(struct ui *ui, void *data, const char *arg)
{
	struct lesson_pane *lp = data;

	if (strcmp(arg, "list") == 0) {
		lesson_list(ui, lp);
		return;
	}
	if (strncmp(arg, "open ", 5) == 0) {
		if (class_following(ui) || class_teaching(ui)) {
			ui_message(ui, "%s", _("a class plays one lesson: start another class for another lesson"));
			return;
		}
		lesson_open_named(ui, lp, arg + 5 + strspn(arg + 5, " "));
		return;
	}
	if (lp->les == NULL) {
		ui_message(ui, "%s", _("no lesson is open: :lesson list shows them, :lesson open N opens one"));
		return;
	}
	if (class_following(ui)) {
		size_t step, item;
		bool asking;

		/* the teacher leads: a seat only answers */
		if (strncmp(arg, "answer ", 7) == 0 && lesson_place(ui, &step, &item, &asking) && asking) {
			int c = atoi(arg + 7);

			if (c >= 1 && c <= stepper_nchoices(&lp->st))
				class_ui_answer(ui, class_pred_at(lp->les, step, item), c);
			return;
		}
		ui_message(ui, "%s", _("the teacher leads the class: your screen follows theirs"));
		return;
	}
	if (strcmp(arg, "next") == 0)
		lesson_next(ui, lp);
	else if (strncmp(arg, "answer ", 7) == 0)
		lesson_answer(ui, lp, atoi(arg + 7));
	else if (strcmp(arg, "rest") == 0)
		lesson_rest(ui, lp);
	else if (strcmp(arg, "step next") == 0)
		lesson_step(ui, lp, 1);
	else if (strcmp(arg, "step back") == 0)
		lesson_step(ui, lp, -1);
	else if (strcmp(arg, "restart") == 0)
		lesson_ask_restart(ui, lp);
	else
		ui_message(ui, "%s", _("lesson: list, open N, next, rest, answer N, step next, step back or restart"));
}

/*
 * Rows of the pane, drawn bottom-aligned: the interesting part of a step is
 * its end (the next command, the verdict), so when the step is longer than
 * the pane the first rows are skipped.  Pass 1 counts, pass 2 draws.
 */
struct rows {
	struct ui *ui;
	int y, x, w, ymax;
	int skip;		/* rows still to skip before drawing */
	bool draw;
	int count;
};

/* The next row to draw on, or -1 when this one is skipped or counted only. */
static int row_next(struct rows *rw)
{
	rw->count++;
	if (!rw->draw)
		return -1;
	if (rw->skip > 0) {
		rw->skip--;
		return -1;
	}
	return rw->y < rw->ymax ? rw->y++ : -1;
}

static void row_put(struct rows *rw, const char *piece, int attr)
{
	int y = row_next(rw);

	if (y >= 0)
		put_text(y, rw->x, rw->w, piece, attr);
}

/* Text wrapped at blanks to the pane's width. */
static void wrapped(struct rows *rw, const char *text, int attr)
{
	const char *p = text;

	if (!*p) {
		row_put(rw, "", attr);	/* a blank line: a paragraph break */
		return;
	}
	while (*p) {
		char piece[1024];
		size_t n = text_fit(p, rw->w, 0);

		if (n > sizeof piece - 1)
			n = sizeof piece - 1;
		memcpy(piece, p, n);
		piece[n] = '\0';
		row_put(rw, piece, attr);
		p += n;
		while (*p == ' ')
			p++;
	}
}

/*
 * The choices of a prediction, "  1) ok   2) EADDRINUSE", as many to a row
 * as fit; each is a click target, registered where it is drawn.
 */
static void choice_rows(struct rows *rw, const struct litem *it, int attr)
{
	int x = 0, y = -2;

	for (int c = 0; c < it->nchoices; c++) {
		char piece[96];
		int pw;

		snprintf(piece, sizeof piece, "  %d) %s", c + 1, litem_choice_text(it, c));
		pw = text_width(piece);
		if (y == -2 || x + pw > rw->w) {
			y = row_next(rw);
			x = 0;
		}
		if (y >= 0) {
			put_text(y, rw->x + x, rw->w - x, piece, attr);
			hit_cmd(rw->ui, y, rw->x + x + 2, rw->x + x + (pw < rw->w - x ? pw : rw->w - x),
				"lesson answer %d", c + 1);
		}
		x += pw + 1;
	}
}

/* A command as the class may see it before answering: its expectation left out. */
static void without_expectation(const char *text, char *buf, size_t len)
{
	struct cmd_line *cl = malloc(sizeof *cl);
	char err[128];

	if (cl && cmd_parse(text, cl, err, sizeof err) == 0) {
		cl->expect.kind = EXPECT_NONE;
		cmd_line_text(cl, buf, len);
	} else {
		snprintf(buf, len, "%s", text);
	}
	free(cl);
}

/* "  (and 49 more: a repeat, run as one)" after a block's first command; "" otherwise. */
static const char *block_note(const struct lstep *sp, size_t i, char *buf, size_t len)
{
	size_t j = i;

	buf[0] = '\0';
	if (!sp->items[i].block || (i > 0 && sp->items[i - 1].block == sp->items[i].block))
		return buf;
	while (j < sp->n && sp->items[j].block == sp->items[i].block)
		j++;
	snprintf(buf, len, _("   (and %zu more: a repeat, run as one)"), j - i - 1);
	return buf;
}

/* One command item: run ([x] or [!]), or pending (" > " the next, then the rest of its prediction's group). */
static const struct lmark *command_rows(struct rows *rw, const struct stepper *st, size_t i, size_t upto)
{
	const struct lstep *sp = stepper_cur(st);
	const struct litem *it = &sp->items[i];
	const struct lmark *m = i < st->nmarks ? &st->marks[i] : NULL;
	char line[CMD_TEXTMAX + 200], text[CMD_TEXTMAX], note[120];

	if (it->question && i == upto) {
		snprintf(line, sizeof line, "? %s", it->question);
		wrapped(rw, line, theme_attr(R_HEADER));
		if (stepper_asking(st))
			choice_rows(rw, it, theme_attr(R_HEADER));
	}
	if (i >= upto) {
		/* not run yet: a prediction must not show its answer */
		if (stepper_asking(st))
			without_expectation(it->text, text, sizeof text);
		else
			snprintf(text, sizeof text, "%s", it->text);
		snprintf(line, sizeof line, "%s$ %s%s", i == upto ? " >  " : "    ", text,
			 block_note(sp, i, note, sizeof note));
		wrapped(rw, line, theme_attr(R_CALL));
		return NULL;
	}
	if (m && m->state == LM_MISMATCH) {
		snprintf(note, sizeof note, _("(the lesson expected %1$s; this kernel did %2$s)"), m->want, m->got);
		snprintf(line, sizeof line, "[!] $ %s  %s", it->text, note);
		wrapped(rw, line, theme_attr(R_ERROR));
		return m;
	}
	snprintf(line, sizeof line, "[x] $ %s%s", it->text, block_note(sp, i, note, sizeof note));
	wrapped(rw, line, theme_attr(R_DIM));
	return NULL;
}

/* One line of the class's box (ui_class.c), wrapped as the lesson's own. */
static void class_row(void *ctx, const char *text, int role)
{
	struct rows *rw = ctx;

	wrapped(rw, text, theme_attr((enum role)role));
}

/* Where the pending part ends: after the next command, or after its prediction's whole group. */
static size_t pending_end(const struct lstep *sp, size_t upto)
{
	size_t j = upto + 1;

	if (upto < sp->n && sp->items[upto].group)
		while (j < sp->n && sp->items[j].group == sp->items[upto].group)
			j++;
	return j;
}

static void lesson_rows(const struct lesson_pane *lp, struct rows *rw)
{
	const struct stepper *st = &lp->st;
	const struct lstep *sp = stepper_cur(st);
	size_t upto = stepper_next_cmd(st), end = pending_end(sp, upto);
	const struct lmark *miss = NULL;	/* the last command that did not do what the lesson says */

	/* everything up to and including the next command to run (with its prediction's group) */
	for (size_t i = 0; i < sp->n && i < end; i++) {
		const struct litem *it = &sp->items[i];
		const struct lmark *m = i < st->nmarks ? &st->marks[i] : NULL;

		if (it->kind == LI_PROSE) {
			if (miss) {	/* once: the prose below is the lesson's claim, not this kernel's */
				char line[300];

				snprintf(line, sizeof line, _("The lesson expected %1$s; this kernel did %2$s. What "
					 "follows is the lesson's claim, not this kernel's result:"), miss->want, miss->got);
				wrapped(rw, line, theme_attr(R_ERROR));
				miss = NULL;
			}
			wrapped(rw, it->text, theme_attr(R_NORMAL));
			continue;
		}
		if (it->block && i > 0 && sp->items[i - 1].block == it->block && i < upto &&
		    !(m && m->state == LM_MISMATCH))
			continue;	/* a block shows as its first command, unless one of it went wrong */
		if ((m = command_rows(rw, st, i, upto)) != NULL)
			miss = m;
	}
	if (lp->said[0])
		wrapped(rw, lp->said, theme_attr(R_WHY));
	if (lp->end[0] && st->finished)
		wrapped(rw, lp->end, theme_attr(R_OWN));
	class_box(rw->ui, class_row, rw);
	if (upto >= sp->n)
		wrapped(rw, st->step + 1 < st->les->nsteps ? _("Step done: Enter or ] for the next step.") :
			_("Lesson done: Enter for the next lesson, R starts this one again."), theme_attr(R_OWN));
}

/* The pane's last row: the keys that move the lesson, as this screen has them. */
static const char *key_hint(struct ui *ui, bool asking)
{
	if (class_teaching(ui))
		return asking ? _("The class votes: V: vote again   r: reveal   H: hide or show the votes") :
		       _("Enter: run next (every seat follows)   }: rest of step   ]: next step   [: previous");
	if (class_following(ui))
		return asking ? _("Predict: press the number of your answer; the teacher reveals") :
		       _("The teacher leads: your screen follows theirs");
	return asking ? _("Predict first: press the number of your answer") :
	       _("Enter: run next   }: rest of step   ]: next step   [: previous   R: restart");
}

static void lesson_draw(struct ui *ui, void *data, const struct rect *r)
{
	struct lesson_pane *lp = data;
	const struct stepper *st = &lp->st;
	/* a short pane gives its key hint line to the text (the key bar has the keys), but not while it asks */
	bool asking = stepper_asking(st), hint = r->h >= 8 || (asking && r->h >= 4);
	struct rows rw = { ui, r->y + 1, r->x + 1, r->w - 2, r->y + r->h - (hint ? 1 : 0), 0, false, 0 };
	char head[300];
	int hidden;

	snprintf(head, sizeof head, _("Step %1$zu of %2$zu: %3$s"), st->step + 1, st->les->nsteps,
		 stepper_cur(st)->title);
	fill_line(r->y, r->x, r->w, theme_attr(R_TITLE));
	lesson_rows(lp, &rw);
	hidden = rw.count - (rw.ymax - rw.y);
	rw.skip = hidden;
	rw.draw = true;
	lesson_rows(lp, &rw);
	if (hidden > 0) {
		/* the step's start is cut: say so, where it would be, and cut the title to make room */
		char more[48];

		snprintf(more, sizeof more, " %s %d %s ", glyph(G_UP), hidden, _("more"));
		put_text_cut(r->y, r->x + 1, r->w - 2 - text_width(more), head, theme_attr(R_TITLE));
		pane_more(r, hidden, 0);
	} else {
		put_text_cut(r->y, r->x + 1, r->w - 1, head, theme_attr(R_TITLE));
	}
	if (!hint)
		return;
	fill_line(r->y + r->h - 1, r->x, r->w, theme_attr(R_KEYBAR));
	put_text(r->y + r->h - 1, r->x + 1, r->w - 1, key_hint(ui, asking), theme_attr(asking ? R_WHY : R_DIM));
}

/* The rows the step needs at the screen's width: its text, the header and the key hint. */
static int lesson_rows_needed(struct ui *ui, void *data)
{
	struct lesson_pane *lp = data;
	struct rows rw = { ui, 0, 1, ui->cols - 2, 1 << 20, 0, false, 0 };

	if (lp->les == NULL)
		return 0;
	lesson_rows(lp, &rw);
	return rw.count + 2;
}

static void *lesson_init(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct lesson_pane));
}

static void lesson_free_pane(void *data)
{
	struct lesson_pane *lp = data;

	if (lp)
		lesson_close(lp);
	free(lp);
}

static const struct screen_cmd lesson_cmds[] = {
	{ "lesson", NULL, N_("lesson list|open N|next|rest|answer N|step next|step back|restart"),
	  N_("list the lessons with their progress, open one, drive the open one"), false, do_lesson },
	{ "class", NULL, N_("class again|reveal|votes|save FILE"),
	  N_("the teacher's class: a second round of votes, the reveal, the votes shown or hidden, the answers saved"),
	  false, class_cmd },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

const struct pane_ops pane_lesson = {
	.name = "lesson", .init = lesson_init, .free = lesson_free_pane, .draw = lesson_draw,
	.rows = lesson_rows_needed, .cmds = lesson_cmds,
};

/*
 * ui_lesson: the lesson pane.  A step unfolds as it runs: prose and
 * commands are shown up to the next command not yet run, so the prose that
 * explains an outcome appears only after the class has seen it (and, for a
 * prediction, answered first).  Enter or Space runs the next command
 * through the same executor as every key; digits answer a prediction;
 * ] and [ move between steps; R restarts the lesson.  The step reached is
 * kept in $XDG_STATE_HOME/sockplay/progress so a student can resume.
 */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"
#include "lesson.h"
#include "ui/ui_int.h"
#include "xdg.h"

/* The pane's own words, in the lesson's language. */
enum lword {
	W_STEP, W_KEYS, W_KEYS_PREDICT, W_DONE, W_LAST, W_RIGHT, W_WRONG, W_RESUME, W_MISMATCH,
	W_CLAIM, W_ASK_RESTART, W_REPLAY, W_BLOCK, W_SUMMARY, W_NEXT, W_N
};
static const char *const words[2][W_N] = {
	{ "Step %zu of %zu", "Enter: run next   }: rest of step   ]: next step   [: previous   R: restart",
	  "Predict first: press the number of your answer", "Step done: press ] for the next step.",
	  "Lesson done. R starts it again.", "Right: you said %s, the kernel said %s.",
	  "Not quite: you said %s, the kernel said %s. The why-lines tell the rule.",
	  "Resuming at step %zu: replaying the steps before it",
	  "(the lesson expected %s; this kernel did %s)",
	  "The lesson expected %s; this kernel did %s. What follows is the lesson's claim, not this "
	  "kernel's result:",
	  "Restart the lesson from step 1? Its sockets are closed. (y/n)",
	  "Step %zu: the steps before it were run again, so the table is what the lesson says",
	  "   (and %zu more: a repeat, run as one)",
	  "Lesson done: %d of %d predictions right.",
	  " Next: %d %s, %s (:lesson open %d; L lists them all)" },
	{ "第 %zu 步，共 %zu 步", "回车：运行下一条   }：本步其余   ]：下一步   [：上一步   R：重新开始",
	  "先预测：请按下你的答案编号", "本步完成：按 ] 进入下一步。", "课程结束。按 R 重新开始。",
	  "答对了：你选 %s，内核给出 %s。", "不对：你选 %s，内核给出 %s。why 行说明了规则。",
	  "从第 %zu 步继续：重放之前的步骤",
	  "（课程预期 %s；本机内核给出 %s）",
	  "课程预期 %s；本机内核给出 %s。下文是课程的说法，不是本机内核的结果：",
	  "从第 1 步重新开始课程？课程的套接字将被关闭。(y/n)",
	  "第 %zu 步：之前的步骤已重新运行，套接字表与课程所述一致",
	  "   （另有 %zu 条：一个重复块，一起运行）",
	  "课程结束：%2$d 个预测中答对 %1$d 个。",
	  " 下一课：%d %s，%s（:lesson open %d；L 列出全部课程）" },
};

enum { LM_NOT_RUN, LM_MET, LM_MISMATCH };

static const char *W(const struct ui *ui, enum lword w)
{
	return words[ui->lp.zh][w];
}

/*
 * snprintf with one of the formats above.  They are constants of this file,
 * chosen by language, so the format checker cannot see them: the one place
 * that warning is turned off.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void Wfmt(const struct ui *ui, char *buf, size_t len, enum lword w, ...)
{
	va_list ap;

	va_start(ap, w);
	vsnprintf(buf, len, words[ui->lp.zh][w], ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

/* A lesson's line in the progress file: per language, "en/restart". */
static void progress_key(bool zh, const struct lesson *l, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", zh ? "zh_CN" : "en", l->name);
}

/* The saved step under key: 0..nsteps (nsteps: finished), or -1 for none. */
static long progress_of(const char *key)
{
	char path[600], name[80];
	long step = -1;
	size_t st;
	FILE *f;
	int fd;

	if (state_path(path, sizeof path, "progress", 0) == NULL ||
	    (fd = state_open(path, O_RDONLY)) < 0)
		return -1;
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return -1;
	}
	while (fscanf(f, "%79s %zu", name, &st) == 2)
		if (strcmp(name, key) == 0)
			step = (long)st;
	fclose(f);
	return step;
}

/* The step to resume this lesson at: a finished or unknown one starts again. */
static size_t progress_load(const struct ui *ui, const struct lesson *l)
{
	char key[120];
	long step;

	progress_key(ui->lp.zh, l, key, sizeof key);
	step = progress_of(key);
	return step > 0 && (size_t)step < l->nsteps ? (size_t)step : 0;
}

/* Keep the step reached: a new file renamed over the old, so a crash leaves one whole. */
static void progress_save(struct ui *ui, size_t step)
{
	char path[600], tmp[640], name[80], key[120];
	size_t st;
	FILE *in, *out;
	int fd;
	bool ok;

	if (state_path(path, sizeof path, "progress", 1) == NULL)
		return;
	snprintf(tmp, sizeof tmp, "%s.%ld.new", path, (long)getpid());
	unlink(tmp);
	fd = state_open(tmp, O_WRONLY | O_CREAT | O_EXCL);
	if (fd < 0 || (out = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		ui_message(ui, "lesson progress could not be saved: %s", strerror(errno));
		return;
	}
	/* every other lesson's line, then ours */
	progress_key(ui->lp.zh, ui->lp.les, key, sizeof key);
	if ((fd = state_open(path, O_RDONLY)) >= 0 && (in = fdopen(fd, "r")) != NULL) {
		while (fscanf(in, "%79s %zu", name, &st) == 2)
			if (strcmp(name, key) != 0)
				fprintf(out, "%s %zu\n", name, st);
		fclose(in);
	}
	fprintf(out, "%s %zu\n", key, step);
	ok = fflush(out) == 0 && fsync(fileno(out)) == 0;
	if (fclose(out) != 0)
		ok = false;
	if (!ok || rename(tmp, path) < 0) {
		ui_message(ui, "lesson progress could not be saved: %s", strerror(errno));
		unlink(tmp);
	}
}

static const struct lstep *cur_step(const struct ui *ui)
{
	return &ui->lp.les->steps[ui->lp.step];
}

/* Index of the next command item not yet run in this step, or n. */
static size_t next_cmd(const struct ui *ui)
{
	const struct lstep *st = cur_step(ui);
	size_t i;

	for (i = ui->lp.item; i < st->n && st->items[i].kind != LI_CMD; i++)
		;
	return i;
}

/* Is the next command a prediction still to be answered? */
bool lesson_asking(const struct ui *ui)
{
	const struct lstep *st = cur_step(ui);
	size_t i = next_cmd(ui);

	return i < st->n && st->items[i].question && ui->lp.choice < 0;
}

/* A fresh mark per item of the current step: nothing has run yet. */
static void marks_reset(struct ui *ui)
{
	const struct lstep *st = cur_step(ui);
	struct lmark *m = calloc(st->n ? st->n : 1, sizeof *m);

	if (m == NULL)
		return;
	free(ui->lp.marks);
	ui->lp.marks = m;
	ui->lp.nmarks = st->n;
}

/* What the lesson's expectation met on this kernel, kept for the pane to show. */
static void mark(struct ui *ui, size_t i, const struct cmd_result *r)
{
	struct lmark *m;

	if (i >= ui->lp.nmarks)
		return;
	m = &ui->lp.marks[i];
	if (r->status == CMD_RAN && r->met) {
		m->state = LM_MET;
		return;
	}
	m->state = LM_MISMATCH;
	snprintf(m->want, sizeof m->want, "%s", r->expected ? r->want : "ok");
	snprintf(m->got, sizeof m->got, "%s", r->status == CMD_RAN ? r->got : "a refused line");
}

/* Run item i of the current step through the runner, and mark it. */
static struct cmd_result *run_item(struct ui *ui, size_t i)
{
	const struct lstep *st = cur_step(ui);
	struct cmd_result *r = malloc(sizeof *r);

	if (r == NULL)
		return NULL;
	session_set_context(ui->s, st->title);	/* the transcript and export say which step */
	ui->lp.running = true;
	ui_run_command(ui, st->items[i].text, r);
	ui->lp.running = false;
	session_set_context(ui->s, NULL);
	mark(ui, i, r);
	return r;
}

/* The lessons of the open lesson's language (or $LANG's): paths, NULL-terminated, or NULL. */
static char **lesson_files(const struct ui *ui)
{
	char dir[512];

	if (lesson_dir(dir, sizeof dir) < 0)
		return NULL;
	return lesson_paths(dir, ui->lp.les ? (ui->lp.zh ? "zh_CN" : "en") : lesson_lang(NULL));
}

/* The last command of the last step ran: say so, how the class did, and what comes next. */
static void finished(struct ui *ui)
{
	char **paths = lesson_files(ui), line[400], err[256];
	struct lesson next;
	bool have_next = false;

	progress_save(ui, ui->lp.les->nsteps);
	for (size_t k = 0; paths && paths[k]; k++)
		if (strcmp(paths[k], ui->lp.les->path) == 0 && paths[k + 1] &&
		    lesson_load(paths[k + 1], &next, err, sizeof err) == 0) {
			have_next = true;
			break;
		}
	Wfmt(ui, line, sizeof line, W_SUMMARY, ui->lp.right, ui->lp.asked);
	if (have_next) {
		size_t n = strlen(line);

		Wfmt(ui, line + n, sizeof line - n, W_NEXT, next.number, next.name, next.title, next.number);
		lesson_free(&next);
	}
	ui_log(ui, R_HEADER, line);
	snprintf(ui->lp.result, sizeof ui->lp.result, "%s", line);
	lesson_paths_free(paths);
}

void lesson_next(struct ui *ui)
{
	const struct lstep *st = cur_step(ui);
	size_t i = next_cmd(ui);
	const struct litem *it;
	struct cmd_result *r;

	if (i >= st->n) {
		ui->lp.item = st->n;
		return;
	}
	it = &st->items[i];
	if (lesson_asking(ui)) {
		ui_message(ui, "%s", W(ui, W_KEYS_PREDICT));	/* ask first */
		return;
	}
	if (it->block) {
		/* a repeat's commands run as one: the whole block, one key */
		size_t j;

		for (j = i; j < st->n && st->items[j].block == it->block && !ui->quit; j++)
			free(run_item(ui, j));
		ui->lp.result[0] = '\0';
		ui->lp.item = j;
		return;
	}
	if ((r = run_item(ui, i)) == NULL)
		return;
	ui->lp.result[0] = '\0';
	if (it->question && ui->lp.choice >= 0) {
		const char *said = it->choices[ui->lp.choice];
		struct expect e;
		char got[48], msg[64];
		/* the class's answer is judged by the rule an expectation is: one rule */
		bool right = cmd_expect_parse(said, &e, msg, sizeof msg) == 0 &&
			     r->status == CMD_RAN && cmd_expect_met(&e, &r->o, got, sizeof got);

		if (r->status != CMD_RAN)
			snprintf(got, sizeof got, "?");
		else if (right)
			cmd_expect_format(&e, got, sizeof got);
		Wfmt(ui, ui->lp.result, sizeof ui->lp.result, right ? W_RIGHT : W_WRONG, said, got);
		ui_log(ui, right ? R_OWN : R_ERROR, ui->lp.result);
		ui->lp.asked++;
		ui->lp.right += right;
	}
	free(r);
	ui->lp.choice = -1;
	ui->lp.item = i + 1;
	if (next_cmd(ui) >= st->n && ui->lp.step + 1 == ui->lp.les->nsteps)
		finished(ui);
}

static void go_step(struct ui *ui, size_t step)
{
	ui->lp.step = step;
	ui->lp.item = 0;
	ui->lp.choice = -1;
	ui->lp.result[0] = '\0';
	marks_reset(ui);
	progress_save(ui, step);
}

void lesson_rest(struct ui *ui)
{
	const struct lstep *st = cur_step(ui);

	while (next_cmd(ui) < st->n && !lesson_asking(ui) && !ui->quit)
		lesson_next(ui);
	ui->lp.item = next_cmd(ui) < st->n ? ui->lp.item : st->n;
}

/* Run, unasked, every command of the current step not yet run: what a skip must not leave out. */
static void run_skipped(struct ui *ui)
{
	const struct lstep *st = cur_step(ui);

	for (size_t i = next_cmd(ui); i < st->n && !ui->quit; i = next_cmd(ui)) {
		free(run_item(ui, i));
		ui->lp.item = i + 1;
	}
}

/* Run every command of steps [from, to) unasked: the table the lesson has at step `to`. */
static void replay_steps(struct ui *ui, size_t from, size_t to)
{
	for (size_t s = from; s < to && !ui->quit; s++) {
		ui->lp.step = s;
		ui->lp.item = 0;
		marks_reset(ui);
		run_skipped(ui);
	}
}

/* Restart: a clean table (a fresh namespace in the sandbox) and the settings. */
void lesson_restart(struct ui *ui)
{
	char err[300];

	if (lesson_begin(ui->s, ui->lp.les, err, sizeof err) < 0)
		ui_log(ui, R_ERROR, err);
	go_step(ui, 0);
}

void lesson_ask_restart(struct ui *ui)
{
	if (ui->lp.step == 0 && ui->lp.item == 0) {
		lesson_restart(ui);	/* nothing to lose */
		return;
	}
	ui_ask(ui, W(ui, W_ASK_RESTART), lesson_restart);
}

void lesson_step(struct ui *ui, int delta)
{
	size_t target = ui->lp.step;
	char msg[200];

	if (delta > 0 && ui->lp.step + 1 < ui->lp.les->nsteps) {
		/* forward: what the skipped commands do is part of the story */
		run_skipped(ui);
		target = ui->lp.step + 1;
	} else if (delta < 0 && ui->lp.step > 0) {
		/* back: the table is rebuilt from a clean one up to there */
		char err[300];

		target = ui->lp.step - 1;
		if (lesson_begin(ui->s, ui->lp.les, err, sizeof err) < 0)
			ui_log(ui, R_ERROR, err);
		replay_steps(ui, 0, target);
	} else {
		return;
	}
	go_step(ui, target);
	if (target > 0) {
		Wfmt(ui, msg, sizeof msg, W_REPLAY, target + 1);
		ui_message(ui, "%s", msg);
	}
}

void lesson_list(struct ui *ui)
{
	char **paths = lesson_files(ui), line[512], err[256], key[120], prog[48];

	if (paths == NULL || paths[0] == NULL) {
		ui_message(ui, "no lessons found (set SOCKPLAY_LESSONS to their directory)");
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
		progress_key(ui->lp.les ? ui->lp.zh : strcmp(lesson_lang(NULL), "zh_CN") == 0, &l, key, sizeof key);
		st = progress_of(key);
		if (st < 0)
			snprintf(prog, sizeof prog, "-");
		else if ((size_t)st >= l.nsteps)
			snprintf(prog, sizeof prog, "done");
		else
			snprintf(prog, sizeof prog, "%ld/%zu", st + 1, l.nsteps);
		snprintf(line, sizeof line, "%2d %-18.60s %-5s %.300s", l.number, l.name, prog, l.title);
		ui_log(ui, ui->lp.les && strcmp(l.path, ui->lp.les->path) == 0 ? R_HEADER : R_INFO, line);
		lesson_free(&l);
	}
	ui_log(ui, R_INFO, "open one with :lesson open NUMBER (or NAME, or a path)");
	lesson_paths_free(paths);
}

void lesson_close(struct ui *ui)
{
	if (ui->lp.owned) {
		lesson_free(ui->lp.owned);
		free(ui->lp.owned);
		ui->lp.owned = NULL;
	}
	free(ui->lp.marks);
	ui->lp.marks = NULL;
	ui->lp.nmarks = 0;
}

void lesson_open_named(struct ui *ui, const char *which)
{
	bool by_path = lesson_is_path(which);
	char **paths = by_path ? NULL : lesson_files(ui), err[1024];
	const char *path = by_path ? which : lesson_find(paths, which);
	struct lesson *l = calloc(1, sizeof *l);
	bool zh = ui->lp.les ? ui->lp.zh : strcmp(lesson_lang(NULL), "zh_CN") == 0;

	if (l == NULL || path == NULL || lesson_load(path, l, err, sizeof err) < 0) {
		ui_message(ui, "%s", l == NULL ? "out of memory" : path == NULL ?
			   "no such lesson: :lesson list shows them" : err);
		free(l);
		lesson_paths_free(paths);
		return;
	}
	lesson_paths_free(paths);
	lesson_close(ui);
	ui->lp.owned = l;
	ui_log(ui, R_HEADER, l->title);
	lesson_open(ui, l, zh);
}

void lesson_open(struct ui *ui, const struct lesson *l, bool zh)
{
	size_t resume;
	char msg[160];

	ui->lp.les = l;
	ui->lp.zh = zh;
	ui->lp.choice = -1;
	ui->lp.asked = ui->lp.right = 0;
	resume = progress_load(ui, l);	/* before restart() saves step 1 */
	lesson_restart(ui);
	if (resume > 0) {
		Wfmt(ui, msg, sizeof msg, W_RESUME, resume + 1);
		ui_log(ui, R_INFO, msg);
		replay_steps(ui, 0, resume);
		go_step(ui, resume);
		ui_message(ui, "%s", msg);	/* the replay pushed it out of the log */
	}
}

/*
 * Rows of the pane, drawn bottom-aligned: the interesting part of a step is
 * its end (the next command, the verdict), so when the step is longer than
 * the pane the first rows are skipped.  Pass 1 counts, pass 2 draws.
 */
struct rows {
	int y, x, w, ymax;
	int skip;		/* rows still to skip before drawing */
	bool draw;
	int count;
};

static void row_put(struct rows *rw, const char *piece, int attr)
{
	rw->count++;
	if (!rw->draw)
		return;
	if (rw->skip > 0) {
		rw->skip--;
		return;
	}
	if (rw->y < rw->ymax)
		put_text(rw->y++, rw->x, rw->w, piece, attr);
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

/* "  (and 49 more, a repeat run as one)" after a block's first command; "" otherwise. */
static const char *block_note(const struct ui *ui, const struct lstep *st, size_t i, char *buf, size_t len)
{
	size_t j = i;

	buf[0] = '\0';
	if (!st->items[i].block || (i > 0 && st->items[i - 1].block == st->items[i].block))
		return buf;
	while (j < st->n && st->items[j].block == st->items[i].block)
		j++;
	Wfmt(ui, buf, len, W_BLOCK, j - i - 1);
	return buf;
}

static void lesson_rows(struct ui *ui, struct rows *rw)
{
	const struct lstep *st = cur_step(ui);
	size_t upto = next_cmd(ui);
	const struct lmark *miss = NULL;	/* the last command that did not do what the lesson says */

	/* everything up to and including the next command to run */
	for (size_t i = 0; i < st->n && i <= upto; i++) {
		const struct litem *it = &st->items[i];
		const struct lmark *m = i < ui->lp.nmarks ? &ui->lp.marks[i] : NULL;
		char line[CMD_TEXTMAX + 200], text[CMD_TEXTMAX], note[80];

		if (it->kind == LI_PROSE) {
			if (miss) {	/* once: the prose below is the lesson's claim, not this kernel's */
				Wfmt(ui, line, sizeof line, W_CLAIM, miss->want, miss->got);
				wrapped(rw, line, theme_attr(R_ERROR));
				miss = NULL;
			}
			wrapped(rw, it->text, theme_attr(R_NORMAL));
			continue;
		}
		if (it->block && i > 0 && st->items[i - 1].block == it->block && i != upto &&
		    !(m && m->state == LM_MISMATCH))
			continue;	/* a block shows as its first command, unless one of it went wrong */
		if (it->question && i == upto) {
			int n = snprintf(line, sizeof line, "? %s  ", it->question);

			for (int c = 0; c < it->nchoices && n < (int)sizeof line; c++)
				n += snprintf(line + n, sizeof line - (size_t)n, " %d) %s", c + 1, it->choices[c]);
			wrapped(rw, line, theme_attr(R_HEADER));
		}
		if (i == upto) {
			/* not run yet: a prediction must not show its answer */
			if (lesson_asking(ui))
				without_expectation(it->text, text, sizeof text);
			else
				snprintf(text, sizeof text, "%s", it->text);
			snprintf(line, sizeof line, " >  $ %s%s", text, block_note(ui, st, i, note, sizeof note));
			wrapped(rw, line, theme_attr(R_CALL));
		} else if (m && m->state == LM_MISMATCH) {
			Wfmt(ui, note, sizeof note, W_MISMATCH, m->want, m->got);
			snprintf(line, sizeof line, "[!] $ %s  %s", it->text, note);
			wrapped(rw, line, theme_attr(R_ERROR));
			miss = m;
		} else {
			snprintf(line, sizeof line, "[x] $ %s%s", it->text, block_note(ui, st, i, note, sizeof note));
			wrapped(rw, line, theme_attr(R_DIM));
		}
	}
	if (ui->lp.result[0])
		wrapped(rw, ui->lp.result, theme_attr(R_WHY));
	if (upto >= st->n)
		wrapped(rw, W(ui, ui->lp.step + 1 < ui->lp.les->nsteps ? W_DONE : W_LAST), theme_attr(R_OWN));
}

static void lesson_draw(struct ui *ui, const struct rect *r)
{
	const struct lstep *st = cur_step(ui);
	/* a short pane gives its key hint line to the text: the key bar has the keys */
	bool hint = r->h >= 8;
	struct rows rw = { r->y + 1, r->x + 1, r->w - 2, r->y + r->h - (hint ? 1 : 0), 0, false, 0 };
	char head[300];
	int hidden;

	Wfmt(ui, head, sizeof head, W_STEP, ui->lp.step + 1, ui->lp.les->nsteps);
	snprintf(head + strlen(head), sizeof head - strlen(head), ": %s", st->title);
	fill_line(r->y, r->x, r->w, theme_attr(R_TITLE));
	put_text(r->y, r->x + 1, r->w - 1, head, theme_attr(R_TITLE));
	lesson_rows(ui, &rw);
	hidden = rw.count - (rw.ymax - rw.y);
	rw.skip = hidden;
	rw.draw = true;
	lesson_rows(ui, &rw);
	if (lesson_asking(ui)) {
		/* each " N) choice" of the question answers N when clicked */
		struct rect text = { r->y + 1, r->x + 1, rw.ymax - r->y - 1, r->w - 2 };

		hit_choices(ui, &text, lesson_nchoices(ui));
	}
	if (hidden > 0) {
		/* the step's start is cut: say so, where it would be */
		char more[40];
		int mw;

		snprintf(more, sizeof more, " ▲ %d more ", hidden);
		mw = (int)strlen(more) - 2;	/* ▲ is 3 bytes, 1 column */
		put_text(r->y, r->x + r->w - mw - 1, mw, more, theme_attr(R_TITLE) | A_BOLD);
	}
	if (!hint)
		return;
	fill_line(r->y + r->h - 1, r->x, r->w, theme_attr(R_KEYBAR));
	put_text(r->y + r->h - 1, r->x + 1, r->w - 1, W(ui, lesson_asking(ui) ? W_KEYS_PREDICT : W_KEYS),
		 theme_attr(lesson_asking(ui) ? R_WHY : R_DIM));
}

int lesson_nchoices(const struct ui *ui)
{
	const struct lstep *st = cur_step(ui);
	size_t i = next_cmd(ui);

	return i < st->n ? st->items[i].nchoices : 0;
}

void lesson_answer(struct ui *ui, int choice)
{
	if (!lesson_asking(ui))
		return;
	if (choice < 1 || choice > lesson_nchoices(ui)) {
		ui_message(ui, "answer with a number from 1 to %d", lesson_nchoices(ui));
		return;
	}
	ui->lp.choice = choice - 1;
	lesson_next(ui);
}


const struct pane_ops pane_lesson = { "lesson", lesson_draw };

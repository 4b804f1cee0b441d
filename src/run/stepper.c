/*
 * stepper: the lesson player (see stepper.h).  Its state is the step and
 * the next item; everything the class has seen follows from them and from
 * the marks of the commands run.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/progress.h"
#include "run/stepper.h"
#include "util/errname.h"
#include "util/i18n.h"

const struct lstep *stepper_cur(const struct stepper *st)
{
	return &st->les->steps[st->step];
}

size_t stepper_next_cmd(const struct stepper *st)
{
	const struct lstep *sp = stepper_cur(st);
	size_t i;

	for (i = st->item; i < sp->n && sp->items[i].kind != LI_CMD; i++)
		;
	return i;
}

bool stepper_asking(const struct stepper *st)
{
	const struct lstep *sp = stepper_cur(st);
	size_t i = stepper_next_cmd(st);

	return i < sp->n && sp->items[i].question && st->choice < 0;
}

int stepper_nchoices(const struct stepper *st)
{
	const struct lstep *sp = stepper_cur(st);
	size_t i = stepper_next_cmd(st);

	return i < sp->n && sp->items[i].question ? sp->items[i].nchoices : 0;
}

bool stepper_holding_kernel(const struct stepper *st)
{
	return stepper_asking(st) && stepper_cur(st)->items[stepper_next_cmd(st)].hold_kernel;
}

bool stepper_step_done(const struct stepper *st)
{
	return stepper_next_cmd(st) >= stepper_cur(st)->n;
}

/* Keep the step reached; a failure costs only the progress, and is said. */
static void save_progress(struct stepper *st, size_t step)
{
	char key[120];

	if (!st->keep_progress)
		return;
	progress_key(st->lang, st->les->name, key, sizeof key);
	if (progress_put(key, step) < 0)
		snprintf(st->error, sizeof st->error, _("lesson progress could not be saved: %s"),
			 strerror(errno));
}

/* A fresh mark per item of the current step: nothing has run yet. */
static void marks_reset(struct stepper *st)
{
	const struct lstep *sp = stepper_cur(st);
	struct lmark *m = calloc(sp->n ? sp->n : 1, sizeof *m);

	if (m == NULL)
		return;
	free(st->marks);
	st->marks = m;
	st->nmarks = sp->n;
}

/* What the lesson's expectation met on this kernel, for the pane and the tally. */
static void mark(struct stepper *st, size_t i, const struct cmd_result *r)
{
	const struct litem *it = &stepper_cur(st)->items[i];
	struct stepper_tally *t = &st->tally;
	bool held = r->status == CMD_RAN && r->met;
	struct lmark *m = i < st->nmarks ? &st->marks[i] : NULL;

	t->commands++;
	if (r->expected) {
		t->expectations++;
		t->held += held;
	}
	if (!held) {
		t->failed++;
		if (!t->first_failure[0])
			snprintf(t->first_failure, sizeof t->first_failure, "%s:%u: %.200s: expected %s, got %s",
				 st->les->path, it->line, it->text, r->expected ? r->want : "-",
				 r->status == CMD_REFUSED ? "a usage error" : r->got);
	}
	if (m == NULL)
		return;
	if (held) {
		m->state = LM_MET;
		return;
	}
	m->state = LM_MISMATCH;
	snprintf(m->want, sizeof m->want, "%s", r->expected ? r->want : "ok");
	snprintf(m->got, sizeof m->got, "%s", r->status == CMD_RAN ? r->got : "a refused line");
}

/* Run item i of the current step through the runner, and mark it. */
static bool run_item(struct stepper *st, size_t i, struct cmd_result *r)
{
	const struct lstep *sp = stepper_cur(st);

	runner_set_context(st->run, sp->title);	/* the transcript and export say which step */
	st->run->from_lesson = true;
	st->run->confined = !st->run->s->sandboxed;	/* a lesson file from anyone: never at the machine's services */
	runner_line(st->run, sp->items[i].text, r);
	st->run->from_lesson = st->run->confined = false;
	runner_set_context(st->run, NULL);
	mark(st, i, r);
	return !st->run->s->stopping;
}

/* The words a class would use for an outcome: the label of the choice that has it, else the outcome. */
static const char *outcome_words(const struct litem *it, const char *outcome)
{
	for (int c = 0; c < it->nchoices; c++)
		if (strcmp(it->choices[c], outcome) == 0 ||
		    (errname_value(outcome) >= 0 && errname_value(outcome) == errname_value(it->choices[c])))
			return litem_choice_text(it, c);
	return outcome;
}

/*
 * The class's answer against what the kernel did, by the one rule: the
 * answer is read as an expectation (every field of it set) and met or not
 * as the lesson's own expectation would be.
 */
static void judge(struct stepper *st, const struct litem *it, const struct cmd_result *r)
{
	const char *said = it->choices[st->choice];
	struct expect e;
	char msg[128], got[48], unused[48];
	bool right = cmd_expect_parse(said, &e, msg, sizeof msg) == 0 && r->status == CMD_RAN &&
		     cmd_expect_met(&e, &r->o, unused, sizeof unused);

	/* what the kernel did, in the words of the lesson's own expectation ("2", not "ok") */
	if (r->status != CMD_RAN)
		snprintf(got, sizeof got, "?");
	else if (cmd_expect_met(&r->cl.expect, &r->o, got, sizeof got))
		cmd_expect_format(&r->cl.expect, got, sizeof got);
	st->verdict.right = right;
	st->verdict.right_mask = 0;
	for (int c = 0; c < it->nchoices && c < 32 && r->status == CMD_RAN; c++)
		if (cmd_expect_parse(it->choices[c], &e, msg, sizeof msg) == 0 &&
		    cmd_expect_met(&e, &r->o, unused, sizeof unused))
			st->verdict.right_mask |= 1u << c;
	snprintf(st->verdict.said, sizeof st->verdict.said, "%s", litem_choice_text(it, st->choice));
	snprintf(st->verdict.got, sizeof st->verdict.got, "%s", outcome_words(it, got));
	st->have_verdict = true;
	st->asked++;
	st->right += right;
}

/* The end of the unit that starts at item i: a repeat block or a prediction's group run as one. */
static size_t unit_end(const struct lstep *sp, size_t i)
{
	size_t j = i + 1;

	if (sp->items[i].block)
		while (j < sp->n && sp->items[j].block == sp->items[i].block)
			j++;
	else if (sp->items[i].group)
		while (j < sp->n && sp->items[j].group == sp->items[i].group)
			j++;
	return j;
}

/* Run the unit at the next command; r holds the last one's result.  The question, when answered, is judged on it. */
static void run_unit(struct stepper *st, bool judged)
{
	const struct lstep *sp = stepper_cur(st);
	size_t i = stepper_next_cmd(st), j = unit_end(sp, i);
	struct cmd_result *r = malloc(sizeof *r);

	if (r == NULL)
		return;
	st->have_verdict = false;
	for (size_t k = i; k < j; k++) {
		st->item = k + 1;
		/* a key that cut a wait short (quit) stops the block: the rest waits for the next key */
		if (!run_item(st, k, r) || r->interrupted)
			break;
	}
	if (judged && sp->items[i].question && st->choice >= 0 && st->item == j)
		judge(st, &sp->items[i], r);
	free(r);
	st->choice = -1;
	if (stepper_step_done(st) && st->step + 1 == st->les->nsteps && !st->finished) {
		st->finished = true;
		if (judged)
			save_progress(st, st->les->nsteps);
	}
}

bool stepper_next(struct stepper *st)
{
	if (stepper_step_done(st)) {
		st->item = stepper_cur(st)->n;
		return false;
	}
	if (stepper_asking(st))
		return false;	/* ask first */
	run_unit(st, true);
	return true;
}

bool stepper_answer(struct stepper *st, int choice)
{
	if (!stepper_asking(st) || choice < 1 || choice > stepper_nchoices(st))
		return false;
	st->choice = choice - 1;
	return stepper_next(st);
}

void stepper_rest(struct stepper *st)
{
	while (!stepper_step_done(st) && !stepper_asking(st) && !st->run->s->stopping)
		stepper_next(st);
}

/* Run, unasked, every command of the current step not yet run; how many ran. */
static int run_skipped(struct stepper *st)
{
	const struct lstep *sp = stepper_cur(st);
	struct cmd_result *r = malloc(sizeof *r);
	int n = 0;

	if (r == NULL)
		return 0;
	for (size_t i = stepper_next_cmd(st); i < sp->n; i = stepper_next_cmd(st)) {
		n++;
		st->item = i + 1;
		if (!run_item(st, i, r))
			break;
	}
	free(r);
	return n;
}

static void go_step(struct stepper *st, size_t step)
{
	st->step = step;
	st->item = 0;
	st->choice = -1;
	st->have_verdict = false;
	marks_reset(st);
	save_progress(st, step);
}

/* Run every command of steps [from, to) unasked: the table the lesson has at step `to`. */
static int replay_steps(struct stepper *st, size_t from, size_t to)
{
	int n = 0;

	for (size_t s = from; s < to && !st->run->s->stopping; s++) {
		st->step = s;
		st->item = 0;
		marks_reset(st);
		n += run_skipped(st);
	}
	return n;
}

int stepper_begin(struct stepper *st)
{
	const struct lesson *l = st->les;
	struct outcome o;

	if (l->sandbox && !st->run->s->sandboxed) {
		if (st->run->s->sandbox_why[0])	/* it was tried: say the wall, not a flag that would meet it again */
			snprintf(st->error, sizeof st->error, _("lesson %d (%s) changes kernel settings and needs the "
				 "sandbox, which cannot be had here: %s"), l->number, l->name, st->run->s->sandbox_why);
		else
			snprintf(st->error, sizeof st->error, _("lesson %d (%s) changes kernel settings and needs the "
				 "sandbox: start sockplay with --sandbox"), l->number, l->name);
		return -1;
	}
	runner_run(st->run, "reset", &o);
	if (o.err || o.usage) {
		/* a lesson on a table that is not clean would not show what it says */
		snprintf(st->error, sizeof st->error, _("cannot start %s on a clean table: reset failed (%s)"),
			 l->path, o.usage ? "refused" : errname(o.err));
		return -1;
	}
	for (size_t i = 0; i < l->nsetup; i++) {
		runner_run(st->run, l->setup[i], &o);
		if (o.err || o.usage) {
			snprintf(st->error, sizeof st->error, _("%s: cannot set the sandbox up (%s): %s"), l->path,
				 l->setup[i], o.usage ? "bad line" : errname(o.err));
			return -1;
		}
	}
	return 0;
}

int stepper_step(struct stepper *st, int delta)
{
	size_t target;
	int ran;

	if (delta > 0 && st->step + 1 < st->les->nsteps) {
		/* forward: what the skipped commands do is part of the story */
		ran = run_skipped(st);
		target = st->step + 1;
	} else if (delta < 0 && st->step > 0) {
		/* back: the table is rebuilt from a clean one up to there */
		target = st->step - 1;
		stepper_begin(st);
		ran = replay_steps(st, 0, target);
	} else {
		return -1;
	}
	st->finished = false;
	go_step(st, target);
	return ran;
}

int stepper_goto(struct stepper *st, size_t step, size_t item)
{
	int ran = 0;

	if (step >= st->les->nsteps)
		return -1;
	if (step < st->step || (step == st->step && item < stepper_next_cmd(st))) {
		/* back: from a clean table, as [ does */
		if (stepper_begin(st) < 0)
			return -1;
		ran = replay_steps(st, 0, step);
		st->finished = false;
		go_step(st, step);
	}
	while (st->step < step && !st->run->s->stopping) {
		ran += run_skipped(st);
		go_step(st, st->step + 1);
	}
	while (stepper_next_cmd(st) < item && !stepper_step_done(st) && !st->run->s->stopping) {
		run_unit(st, false);
		ran++;
	}
	return ran;
}

int stepper_restart(struct stepper *st)
{
	int r = stepper_begin(st);

	st->asked = st->right = 0;
	st->finished = false;
	go_step(st, 0);
	return r;
}

int stepper_open(struct stepper *st, struct runner *run, const struct lesson *l, const char *lang,
		 bool keep_progress)
{
	long saved = -1;
	size_t resume = 0;

	memset(st, 0, sizeof *st);
	st->run = run;
	st->les = l;
	st->choice = -1;
	st->keep_progress = keep_progress;
	snprintf(st->lang, sizeof st->lang, "%s", lang);
	if (keep_progress) {
		char key[120];

		progress_key(st->lang, l->name, key, sizeof key);
		saved = progress_get(key);	/* before the restart keeps step 1 */
		/* a finished or unknown one starts again */
		resume = saved > 0 && (size_t)saved < l->nsteps ? (size_t)saved : 0;
	}
	if (stepper_restart(st) < 0)
		return -1;
	if (resume > 0) {
		replay_steps(st, 0, resume);
		go_step(st, resume);
	}
	return (int)resume;
}

void stepper_close(struct stepper *st)
{
	free(st->marks);
	st->marks = NULL;
	st->nmarks = 0;
}

bool stepper_run_unasked(struct stepper *st)
{
	if (stepper_step_done(st))
		return false;
	run_unit(st, false);
	return true;
}

int stepper_run_all(struct stepper *st)
{
	for (;;) {
		while (stepper_run_unasked(st) && !st->run->s->stopping)
			;
		if (st->step + 1 >= st->les->nsteps || st->run->s->stopping)
			break;
		go_step(st, st->step + 1);
	}
	return st->tally.failed ? -1 : 0;
}

/*
 * stepper: plays a lesson, for every front end.  The screen sends it what
 * its keys mean (next, answer N, rest, step, restart) and draws its state;
 * --check-lessons plays every lesson through it unattended; check_stepper
 * plays lessons through it without a terminal.  Every command runs through
 * the runner, with the step's title as its context.
 *
 * A step unfolds as it runs: the items up to the next command not yet run
 * are what the class has seen.  A prediction before a command must be
 * answered first (stepper_answer); the answer is judged by the rule an
 * expectation is judged by (cmd_expect_met), on a fully set expectation.
 * A repeat's commands run as one.  Moving forward runs what was skipped,
 * unasked; moving back starts a clean table (stepper_begin: a reset and
 * sysctls) and runs the steps before the target, so the table is always
 * what the lesson says it is.  The score (asked, right) is of this run of
 * the lesson: a restart clears it.
 *
 * The stepper borrows the lesson and the runner; it owns its marks.
 */
#ifndef SOCKPLAY_STEPPER_H
#define SOCKPLAY_STEPPER_H

#include <stdbool.h>
#include <stddef.h>

#include "run/lesson.h"
#include "run/runner.h"

/* What a command of the current step did, as the lesson said it would. */
enum lmark_state { LM_NOT_RUN, LM_MET, LM_MISMATCH };
struct lmark {
	enum lmark_state state;
	char want[32], got[48];	/* LM_MISMATCH: the lesson's expectation, and this kernel's outcome */
};

/* How the last prediction was judged. */
struct verdict {
	bool right;
	char said[96];		/* the class's answer, as the choice shows it (its label, or its outcome) */
	char got[96];		/* what the kernel did, in the same words ("ok", "EADDRINUSE", a label) */
	unsigned right_mask;	/* every choice judged by the same rule: bit c set when choice c+1 was right */
};

/* What the commands run since stepper_open did: the lesson check's report. */
struct stepper_tally {
	unsigned commands, expectations, held;
	unsigned failed;	/* commands that missed their expectation or were refused */
	char first_failure[1400];	/* "FILE:LINE: CMD: expected X, got Y" */
};

struct stepper {
	struct runner *run;
	const struct lesson *les;
	char lang[8];		/* the lesson's language, "en" or "zh_CN": its progress key */
	bool keep_progress;	/* keep the step reached in the progress file */
	size_t step, item;	/* the current step; its next item not yet run */
	int choice;		/* the answer given to the waiting prediction (0-based), or -1 */
	struct lmark *marks;	/* marks[i] for the current step's items[i] */
	size_t nmarks;
	unsigned asked, right;	/* predictions answered, and right, in this run of the lesson */
	bool have_verdict;	/* the last command ran answered a prediction: verdict says how */
	struct verdict verdict;
	bool finished;		/* the last command of the last step has run */
	struct stepper_tally tally;
	char error[600];	/* what went wrong beside the commands (begin, progress), or "" */
};

/*
 * Make the stepper play l on run, from a clean table (stepper_begin).
 * With keep_progress, it resumes at the step kept for (lang, l->name),
 * running the steps before it unasked.  Returns the step it resumed at
 * (0: the start), or -1 when the lesson could not begin (error says why).
 */
int stepper_open(struct stepper *st, struct runner *run, const struct lesson *l, const char *lang,
		 bool keep_progress);
void stepper_close(struct stepper *st);

/*
 * A clean table for the lesson: in the sandbox a fresh namespace and the
 * lesson's sysctls, elsewhere every socket closed.  Refuses a lesson that
 * needs the sandbox outside one.  0, or -1 with error set.
 */
int stepper_begin(struct stepper *st);

const struct lstep *stepper_cur(const struct stepper *st);
/* The index of the current step's next command not yet run, or its item count. */
size_t stepper_next_cmd(const struct stepper *st);
/* A prediction waits for its answer before the next command. */
bool stepper_asking(const struct stepper *st);
/* The waiting prediction's number of choices (0 when none waits). */
int stepper_nchoices(const struct stepper *st);
/* A prediction waits and holds the kernel pane back until its answer. */
bool stepper_holding_kernel(const struct stepper *st);
/* The current step has no command left. */
bool stepper_step_done(const struct stepper *st);

/*
 * Run the next command (a repeat's block as one).  Nothing runs while a
 * prediction waits (false), nor when the step is done (false).  true when
 * something ran; have_verdict then says whether it answered a prediction.
 */
bool stepper_next(struct stepper *st);
/* Answer the waiting prediction with choice 1..nchoices and run its command: false when none waits or out of range. */
bool stepper_answer(struct stepper *st, int choice);
/* Run the step's commands up to a prediction or the step's end. */
void stepper_rest(struct stepper *st);
/*
 * Move to the next (+1) or previous (-1) step.  Returns the number of
 * commands run to get there (what was skipped going forward, the steps
 * before the target going back), or -1 when there is no such step.
 */
int stepper_step(struct stepper *st, int delta);
/*
 * Go to step's item (the place another stepper is at: a class's teacher):
 * forward runs what lies between unasked, back rebuilds the table from a
 * clean one.  The number of commands run, or -1 (no such step; begin failed).
 */
int stepper_goto(struct stepper *st, size_t step, size_t item);
/* From step 1, on a clean table, the score cleared. */
int stepper_restart(struct stepper *st);
/* Run the next command (or repeat block) unasked, its prediction skipped: false when the step is done. */
bool stepper_run_unasked(struct stepper *st);
/* Every command of every step, unasked (--check-lessons): 0 when every expectation held. */
int stepper_run_all(struct stepper *st);

#endif

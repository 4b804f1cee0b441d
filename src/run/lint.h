/*
 * lint: a lesson must not give an answer before its question.  lint_play
 * plays a lesson unattended through the stepper, as --check-lessons does,
 * and at each prediction looks at what the class has seen by then: the
 * lesson's title, the step's title, the step's prose before the question,
 * and every line the step's commands printed so far (their calls and
 * why-lines).  A line that states the right outcome is a spoiler: the
 * outcome's own words (EADDRINUSE, "Address already in use"), the tells
 * of that outcome in English and Chinese ("can bind", "成功"), or the
 * right choice's label.  The summary is not looked at: the screen shows it
 * at the end.
 */
#ifndef SOCKPLAY_LINT_H
#define SOCKPLAY_LINT_H

#include <stddef.h>

#include "run/stepper.h"

/* What the lint found: the spoilers, and the first of them as "FILE:LINE: ...". */
struct lint_result {
	unsigned predictions, spoilers;
	char first[1400];
};

/*
 * Play the lesson st was opened on, every command, checking each
 * prediction before its command runs.  The stepper's tally says what held.
 * Returns the number of spoilers.
 */
unsigned lint_play(struct stepper *st, struct lint_result *lr);

/*
 * Does text give away the outcome (an expectation word: "ok",
 * "EADDRINUSE", "0") of a prediction whose right choice shows label (NULL:
 * no label)?  The word that does, or NULL.
 */
const char *lint_spoils(const char *text, const char *outcome, const char *label);

#endif

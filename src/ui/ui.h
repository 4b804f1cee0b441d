/*
 * ui: the playground screen, an ncurses front end over one session.
 * The only part of sockplay that includes curses.
 */
#ifndef SOCKPLAY_UI_H
#define SOCKPLAY_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "run/runner.h"

struct lesson;
struct class_room;
struct class_join;

struct ui_options {
	double interval;	/* kernel pane refresh, seconds */
	struct lesson *lesson;		/* open on this lesson (the caller keeps it), or NULL */
	const char *lang;		/* the lesson's language: "en" or "zh_CN" */
	char warning[800];		/* shown in the log at the start when not "" */
	bool projector;			/* --theme projector */
	struct class_room *room;	/* --teach: the class, open (run/class.h), or NULL */
	struct class_join *join;	/* --join: the seat, joined, or NULL */
	const char *class_results;	/* --teach --results FILE: the class's answers at the end */
};

/*
 * Run the screen over run (and its session) until the user quits (the
 * locale set, i18n_init); returns the exit status.  The screen pushes its
 * sink and hooks on the runner for the while.
 */
int ui_run(struct runner *run, const struct ui_options *o);

/* Can the screen draw here?  When not, one line on stderr says why (ui_run then exits 2). */
bool terminal_usable(void);

/* Every key binding as "KEY<TAB>COMMAND<TAB>NOTE" lines (--list-keys). */
void keys_list(FILE *f);

#endif

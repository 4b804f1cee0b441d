/*
 * ui: the playground screen, an ncurses front end over one session.
 * The only part of sockplay that includes curses.
 */
#ifndef SOCKPLAY_UI_H
#define SOCKPLAY_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "session.h"

struct lesson;

struct ui_options {
	double interval;	/* kernel pane refresh, seconds */
	const struct lesson *lesson;	/* open on this lesson, or NULL */
	int lesson_zh;			/* its language is Chinese */
	char warning[800];		/* shown in the log at the start when not "" */
	bool projector;			/* --theme projector */
};

/* Run the screen until the user quits (the locale set, i18n_init); returns the exit status. */
int ui_run(struct session *s, const struct ui_options *o);

/* Can the screen draw here?  When not, one line on stderr says why (ui_run then exits 2). */
bool terminal_usable(void);

/* Every key binding as "KEY<TAB>COMMAND<TAB>NOTE" lines (--list-keys). */
void keys_list(FILE *f);

#endif

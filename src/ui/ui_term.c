/*
 * ui_term: can the screen draw on this terminal at all?  Kept apart from
 * the rest of ui/ because <term.h> defines macros (lines, columns, ...)
 * that clash with ordinary names.
 */
#include "config.h"

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

#include "ui/ui.h"

/*
 * A terminal the screen can draw on: terminfo knows it and it can place the
 * cursor.  Otherwise one clear line (curses would exit with its own, or draw
 * garbage on a dumb terminal) and the caller exits 2.
 */
bool terminal_usable(void)
{
	const char *term = getenv("TERM");
	const char *cup;
	int err = 0;

	if (term == NULL || *term == '\0') {
		fprintf(stderr, "sockplay: TERM is not set: the screen needs to know the terminal "
			"(or use --batch)\n");
		return false;
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		fprintf(stderr, "sockplay: unknown terminal type '%s' (TERM): the screen cannot draw "
			"on it; try TERM=xterm-256color, or use --batch\n", term);
		return false;
	}
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		fprintf(stderr, "sockplay: the terminal '%s' cannot place the cursor: the screen needs "
			"one that can (or use --batch)\n", term);
		del_curterm(cur_term);
		return false;
	}
	del_curterm(cur_term);
	return true;
}


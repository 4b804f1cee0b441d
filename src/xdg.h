/*
 * xdg: where sockplay keeps what outlives a run (history, lesson progress,
 * transcripts): $XDG_STATE_HOME/sockplay, or ~/.local/state/sockplay.
 */
#ifndef SOCKPLAY_XDG_H
#define SOCKPLAY_XDG_H

#include <stddef.h>

/*
 * The path of `name` inside the state directory, whose directories (and,
 * with make_parent, name's own parent) are created as needed.  Returns buf,
 * or NULL when there is neither $XDG_STATE_HOME nor $HOME.
 */
char *state_path(char *buf, size_t len, const char *name, int make_parent);

#endif

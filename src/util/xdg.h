/*
 * xdg: where sockplay keeps what outlives a run (history, lesson progress,
 * transcripts): $XDG_STATE_HOME/sockplay, or ~/.local/state/sockplay.
 * (Data that came with the program is found by util/exe.h.)
 *
 * The directory is made 0700 when missing, and refused when it is not a
 * directory of the user's own that only the user may write (as ssh and
 * tmux treat theirs): another user must not be able to plant a symlink
 * there.  Files in it are opened with O_NOFOLLOW.  Losing a state file
 * costs only that file: callers say so and go on.
 */
#ifndef SOCKPLAY_XDG_H
#define SOCKPLAY_XDG_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The path of `name` (which may hold one '/', as "transcripts/x.spl")
 * inside the state directory, whose directories are made and checked.
 * Returns buf, or NULL with a one-line reason in err (err may be NULL).
 */
char *state_path_err(char *buf, size_t len, const char *name, char *err, size_t errlen);
/* The same, without the reason. */
char *state_path(char *buf, size_t len, const char *name, int make_parent);

/* open(2) a state file, never through a symbolic link, mode 0600 when created. */
int state_open(const char *path, int flags);

#endif

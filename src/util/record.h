/*
 * record: --record FILE, the screen as an asciicast (v2) that `asciinema
 * play` replays.
 *
 * record_start() forks: the parent stays on the real terminal as the
 * recorder (raw mode; keys go to the program, the program's output goes
 * to the terminal and, timed, into FILE; a resize is passed on and
 * recorded), and the child goes on as sockplay on a pseudo-terminal of the
 * same size, unchanged: curses never knows.  record_marker() puts a marker
 * (asciicast's "m" event) in the recording, such as a lesson's step or a
 * prediction, so a teacher can jump to it.
 */
#ifndef SOCKPLAY_RECORD_H
#define SOCKPLAY_RECORD_H

#include <stddef.h>

/*
 * Start recording to path (created new, mode 0600).  Returns 0 in the
 * program that goes on; the recorder never returns (it exits with the
 * program's status); -1 with a one-line message in err when nothing could
 * start (standard input is not a terminal, the file exists, no pty).
 */
int record_start(const char *path, char *err, size_t errlen);

/* A marker in the recording, when one is being made (a no-op otherwise). */
void record_marker(const char *label);

#endif

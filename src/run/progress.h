/*
 * progress: how far each lesson got, kept in the state directory
 * ($XDG_STATE_HOME/sockplay/progress), one "KEY STEP" line per lesson,
 * where KEY is the lesson's language and name ("zh_CN/restart") and STEP
 * the step reached (0-based; the number of steps: finished).  The file is
 * written new and renamed over the old, so a crash leaves one whole.
 */
#ifndef SOCKPLAY_PROGRESS_H
#define SOCKPLAY_PROGRESS_H

#include <stddef.h>

/* "LANG/NAME" into buf. */
void progress_key(const char *lang, const char *name, char *buf, size_t len);
/* The step kept under key, or -1 when none (or the file cannot be read). */
long progress_get(const char *key);
/* Keep step under key: 0, or -1 with errno. */
int progress_put(const char *key, size_t step);

#endif

/*
 * exe: data that came with the program, found from where the program is,
 * so a moved install (DESTDIR, a relocated prefix) and a build tree find
 * their lessons and catalogues without being told.
 */
#ifndef SOCKPLAY_EXE_H
#define SOCKPLAY_EXE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * For each directory above the executable (up to three), each of rel[]
 * (NULL-ended) below it, the first path for which ok() holds.  This finds
 * a moved install (share/... beside bin/) and a build tree (src/sockplay
 * beside data/).  0 with the path in buf, or -1.
 */
int beside_exe(const char *const rel[], bool (*ok)(const char *path), char *buf, size_t len);

#endif

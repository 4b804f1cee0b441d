/*
 * export: the session's calls as one standalone C program.
 *
 * The program makes the same sockets, options and calls in the same order,
 * checks each, and prints the same call lines as the transcript
 * ("bind(s2, 0.0.0.0:8888) = -1 EADDRINUSE (Address already in use)").
 * Why-lines and lesson steps become comments.  It needs only libc and
 * compiles with cc -Wall -Wextra without a warning.  What only sockplay's
 * sandbox can do (sysctl writes, addr add, reset) and the kernel table view
 * (net) are left as comments and a line saying so.
 */
#ifndef SOCKPLAY_EXPORT_H
#define SOCKPLAY_EXPORT_H

#include <stddef.h>

#include "session.h"

/* Write the program to path: 0, or -1 with a message in err. */
int export_c(const struct session *s, const char *path, char *err, size_t errlen);

#endif

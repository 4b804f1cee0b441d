/*
 * export: a session's calls (its history) as one standalone C program.
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

#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>

struct history;

/*
 * Write the program to path ("-": standard output).  The file is created
 * new, never through a symbolic link; an existing one is overwritten only
 * with force.  0, or -1 with errno and a message in err.
 */
int export_c(const struct history *h, const char *path, bool force, char *err, size_t errlen);

/*
 * Open path to write a file the user asked for (a program, a capture):
 * created new, never through a symbolic link, an existing file replaced
 * only with force.  The stream, or NULL with errno and a message in err.
 */
FILE *export_open_file(const char *path, bool force, char *err, size_t errlen);

#endif

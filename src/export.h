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

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

/*
 * Write the program to path ("-": standard output).  The file is created
 * new, never through a symbolic link; an existing one is overwritten only
 * with force.  0, or -1 with errno and a message in err.
 */
int export_c(const struct session *s, const char *path, bool force, char *err, size_t errlen);

/*
 * Open path to write a file the user asked for (a program, a capture):
 * created new, never through a symbolic link, an existing file replaced
 * only with force.  The stream, or NULL with errno and a message in err.
 */
FILE *export_open_file(const char *path, bool force, char *err, size_t errlen);

/* The emitters the command table's rows point at, one per verb. */
struct export_ctx;
void export_socket(struct export_ctx *x, const struct record *r);
void export_set(struct export_ctx *x, const struct record *r);
void export_bind(struct export_ctx *x, const struct record *r);
void export_listen(struct export_ctx *x, const struct record *r);
void export_connect(struct export_ctx *x, const struct record *r);
void export_accept(struct export_ctx *x, const struct record *r);
void export_send(struct export_ctx *x, const struct record *r);
void export_sendto(struct export_ctx *x, const struct record *r);
void export_recv(struct export_ctx *x, const struct record *r);
void export_shutdown(struct export_ctx *x, const struct record *r);
void export_close(struct export_ctx *x, const struct record *r);
void export_disconnect(struct export_ctx *x, const struct record *r);
void export_wait(struct export_ctx *x, const struct record *r);
void export_sysctl(struct export_ctx *x, const struct record *r);
/* A record that is not exported: a comment, and a line saying so when run. */
void export_none(struct export_ctx *x, const struct record *r);

#endif

/*
 * errname: errno values by name and back.
 *
 * Expectations in scripts and lessons name errors ("=> EADDRINUSE"); the
 * transcript prints them.  Names compare by value, so the aliases the C
 * library defines (ENOTSUP = EOPNOTSUPP, EWOULDBLOCK = EAGAIN) are the same
 * error.
 */
#ifndef SOCKPLAY_ERRNAME_H
#define SOCKPLAY_ERRNAME_H

/* The symbolic name of err ("EADDRINUSE"), or "E?" for an unknown value. */
const char *errname(int err);

/* The value of a name such as "EADDRINUSE" or "ENOTSUP"; -1 if unknown. */
int errname_value(const char *name);

#endif

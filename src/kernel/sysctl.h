/*
 * sysctl: the few kernel knobs (net.*) the lessons need, read and written
 * through /proc/sys.  Reading always works; writing is the caller's
 * decision (the command refuses it outside the sandbox), this module only
 * validates the key so that a lesson can never reach outside net.*.
 */
#ifndef SOCKPLAY_SYSCTL_H
#define SOCKPLAY_SYSCTL_H

#include <stddef.h>

/* net.ipv4.x / net.ipv6.x / net.core.x with [a-z0-9_.] only. */
int sysctl_key_valid(const char *key);
/* Read the value (whitespace collapsed to single spaces): 0 or -1/errno. */
int sysctl_read(const char *key, char *val, size_t len);
/* Write the value: 0 or -1 with the kernel's errno (EINVAL for a bad range). */
int sysctl_write(const char *key, const char *val);

#endif

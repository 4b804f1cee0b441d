/*
 * exe: where the running program is (/proc/self/exe), and what lies beside
 * it.  See exe.h.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/exe.h"

int beside_exe(const char *const rel[], bool (*ok)(const char *path), char *buf, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	for (int up = 0; up < 3 && (slash = strrchr(exe, '/')); up++) {
		*slash = '\0';
		for (int i = 0; rel[i]; i++) {
			snprintf(buf, len, "%s/%s", exe, rel[i]);
			if (ok(buf))
				return 0;
		}
	}
	return -1;
}

/*
 * xdg: the state directory of the XDG base directory spec.  Failing to
 * create it only costs what would have been kept there.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xdg.h"

/* mkdir -p of every directory in path up to its last '/' */
static void make_dirs(const char *path)
{
	char tmp[600];

	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0700);
			*p = '/';
		}
}

char *state_path(char *buf, size_t len, const char *name, int make_parent)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (x && *x == '/')
		snprintf(buf, len, "%s/sockplay/%s", x, name);
	else if (home && *home)
		snprintf(buf, len, "%s/.local/state/sockplay/%s", home, name);
	else
		return NULL;
	if (make_parent)
		make_dirs(buf);
	return buf;
}

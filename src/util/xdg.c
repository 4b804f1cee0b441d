/*
 * xdg: the state directory of the XDG base directory spec, made and
 * checked before anything is kept in it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xdg.h"
#include "util/i18n.h"

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

/* Ours alone: a real directory, owned by us, writable by nobody else. */
static int dir_ok(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(dir, &st) < 0) {
		if (err)
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (err)
			snprintf(err, errlen, _("%s is not a directory (a symbolic link?): not used"), dir);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		if (err)
			snprintf(err, errlen, _("%s belongs to uid %u, not to you: not used"), dir,
				 (unsigned)st.st_uid);
		return -1;
	}
	if (st.st_mode & 022) {
		if (err)
			snprintf(err, errlen, _("%s is writable by others (mode %03o): not used"), dir,
				 (unsigned)(st.st_mode & 0777));
		return -1;
	}
	return 0;
}

char *state_path_err(char *buf, size_t len, const char *name, char *err, size_t errlen)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[600];
	const char *slash = strchr(name, '/');

	if (x && *x == '/')
		snprintf(dir, sizeof dir, "%s/sockplay", x);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%s/.local/state/sockplay", home);
	else {
		if (err)
			snprintf(err, errlen, _("neither XDG_STATE_HOME nor HOME is set"));
		return NULL;
	}
	if (strlen(dir) + strlen(name) + 2 > len || strlen(dir) + 2 > sizeof dir - 64) {
		if (err)
			snprintf(err, errlen, _("the state directory's path is too long"));
		return NULL;
	}
	snprintf(buf, len, "%s/", dir);
	make_dirs(buf);
	if (dir_ok(dir, err, errlen) < 0)
		return NULL;
	if (slash) {
		char sub[700];

		snprintf(sub, sizeof sub, "%s/%.*s", dir, (int)(slash - name), name);
		mkdir(sub, 0700);
		if (dir_ok(sub, err, errlen) < 0)
			return NULL;
	}
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

char *state_path(char *buf, size_t len, const char *name, int make_parent)
{
	(void)make_parent;	/* the directory is always made and checked */
	return state_path_err(buf, len, name, NULL, 0);
}

int state_open(const char *path, int flags)
{
	return open(path, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
}

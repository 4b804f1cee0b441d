/*
 * i18n: where the catalogues are.  See i18n.h.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

static int has_catalogue(const char *dir)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/%s.mo", dir, PACKAGE);
	return stat(path, &st) == 0;
}

void i18n_init(void)
{
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	const char *found = NULL;
	ssize_t n;

	setlocale(LC_ALL, "");
	if (has_catalogue(LOCALEDIR)) {
		found = LOCALEDIR;
	} else if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		/* moved (DESTDIR, a relocated prefix): share/locale beside bin/; not installed: builddir/locale */
		char *slash;

		exe[n] = '\0';
		for (int up = 0; up < 3 && !found && (slash = strrchr(exe, '/')); up++) {
			*slash = '\0';
			snprintf(dir, sizeof dir, "%s/share/locale", exe);
			if (has_catalogue(dir))
				found = dir;
			else if (snprintf(dir, sizeof dir, "%s/locale", exe), has_catalogue(dir))
				found = dir;
		}
	}
	bindtextdomain(PACKAGE, found ? found : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

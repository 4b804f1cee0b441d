/*
 * i18n: where the catalogues are.  See i18n.h.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

#include "i18n.h"
#include "xdg.h"

static bool has_catalogue(const char *dir)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/%s.mo", dir, PACKAGE);
	return stat(path, &st) == 0;
}

void i18n_init(void)
{
	/* moved (DESTDIR, a relocated prefix): share/locale beside bin/; not installed: builddir/locale */
	static const char *const rel[] = { "share/locale", "locale", NULL };
	char dir[PATH_MAX + 32];
	const char *found = NULL;

	/*
	 * The language and the character set, nothing else: the command
	 * language's numbers have a decimal point in every locale (a German
	 * LC_NUMERIC made strtod refuse "wait 0.05"), and the other categories
	 * were files to open at every start for nothing.
	 */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	if (has_catalogue(LOCALEDIR))
		found = LOCALEDIR;
	else if (beside_exe(rel, has_catalogue, dir, sizeof dir) == 0)
		found = dir;
	bindtextdomain(PACKAGE, found ? found : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

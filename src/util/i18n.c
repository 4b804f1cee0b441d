/*
 * i18n: where the catalogues are.  See i18n.h.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/i18n.h"
#include "util/exe.h"

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

void i18n_set_lang(const char *lang)
{
	const char *msg = setlocale(LC_MESSAGES, NULL);

	setenv("LANGUAGE", lang, 1);
	if (msg == NULL || strcmp(msg, "C") == 0 || strcmp(msg, "POSIX") == 0) {
		/* the language's own locale when the machine has it, else C.UTF-8 */
		if (strcmp(lang, "zh_CN") != 0 || setlocale(LC_MESSAGES, "zh_CN.UTF-8") == NULL)
			setlocale(LC_MESSAGES, "C.UTF-8");
	}
	textdomain(PACKAGE);	/* gettext's cache of translations starts again */
}

const char *i18n_pgettext(const char *ctx_msgid, const char *msgid)
{
	const char *t = gettext(ctx_msgid);

	return t == ctx_msgid ? msgid : t;
}

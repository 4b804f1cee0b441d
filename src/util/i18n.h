/*
 * i18n: the program's messages in the user's language, with GNU gettext
 * (glibc's libintl).  _("text") is translated where it is used; N_("text")
 * marks a string in a table, translated when shown.  The catalogues are
 * po/LANG.po; `make update-po` refreshes po/sockplay.pot and merges it
 * into them, and `make check` (tests/catalog.sh) fails on a message
 * missing from a catalogue or a format that does not match.  The
 * transcript's call lines stay C syntax in every language.
 */
#ifndef SOCKPLAY_I18N_H
#define SOCKPLAY_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
/*
 * A message in a context: the same English word in two places ("on" a
 * timer, "on" an option) may take two translations.  xgettext reads C_
 * as a context keyword (C_:1c,2).
 */
#define C_(ctx, s) i18n_pgettext(ctx "\004" s, s)
const char *i18n_pgettext(const char *ctx_msgid, const char *msgid);

/*
 * Set the locale from the environment and find the catalogues: the
 * installed ones, or beside a build tree (builddir/locale).
 */
void i18n_init(void);

/*
 * Speak lang ("en" or "zh_CN") whatever the locale says: --lang sets the
 * whole program's language, not only the lessons'.  Call before the first
 * message.  A locale whose messages are plain C (LANG=C) is moved to
 * C.UTF-8 for it, since GNU gettext ignores $LANGUAGE there.
 */
void i18n_set_lang(const char *lang);

#endif

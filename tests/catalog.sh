#!/bin/sh
# The message catalogues: every message the sources mark (po/POTFILES) is
# in po/sockplay.pot and translated, not fuzzy, in every po/LANG.po, with
# formats that match (msgfmt -c) and the numbers, arrows and negations of
# the English (tests/po-meaning.awk); and the program speaks the language:
# --help in zh_CN.UTF-8 is Chinese.  `make update-po` brings them in step.
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
: "${XGETTEXT:=xgettext}"
: "${MSGFMT:=msgfmt}"
: "${PO_LANGS:=zh_CN}"
: "${XGETTEXT_FLAGS:=--from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=ngettext:1,2 --keyword=WHY:2 --keyword=fail:2 --keyword=C_:1c,2 -s}"
. "$top_srcdir/tests/testlib.sh"
po="$top_srcdir/po"

# every source file that marks a message is in po/POTFILES (else its messages are never translated)
missing=""
for f in $(cd "$top_srcdir" && find src -name '*.c' | sort); do
	grep -qE '(^|[^A-Za-z0-9_])(N?_|ngettext|WHY)\(' "$top_srcdir/$f" || continue
	grep -qxF "$f" "$po/POTFILES" || missing="$missing $f"
done
if [ -z "$missing" ]; then ok; else bad "files with messages missing from po/POTFILES:$missing"; fi
for f in $(cat "$po/POTFILES"); do
	[ -f "$top_srcdir/$f" ] || bad "po/POTFILES names $f, which does not exist"
done
command -v msgcmp >/dev/null 2>&1 || skip "gettext's msgcmp is not installed (./bootstrap installs gettext)"
# shellcheck disable=SC2086
(cd "$top_srcdir" && $XGETTEXT $XGETTEXT_FLAGS -f po/POTFILES -o "$tmp/fresh.pot") || bad "xgettext failed"
# the template in git has exactly the messages of the sources
if msgcmp --use-untranslated "$po/sockplay.pot" "$tmp/fresh.pot" >"$tmp/out" 2>&1 &&
   msgcmp --use-untranslated "$tmp/fresh.pot" "$po/sockplay.pot" >>"$tmp/out" 2>&1; then ok; else
	bad "po/sockplay.pot is not the sources' messages: run make update-po"; head -20 "$tmp/out"; fi
for l in $PO_LANGS; do
	# every message of the sources is in the catalogue, translated
	if msgcmp "$po/$l.po" "$tmp/fresh.pot" >"$tmp/out" 2>&1; then ok; else
		bad "$l.po lacks messages of the sources"; head -20 "$tmp/out"; fi
	# formats match, and nothing untranslated or fuzzy
	if $MSGFMT -c --statistics -o /dev/null "$po/$l.po" >"$tmp/out" 2>&1 &&
	   ! grep -q "untranslated\|fuzzy" "$tmp/out"; then ok; else
		bad "$l.po: msgfmt -c"; cat "$tmp/out"; fi
	# what can be checked of the meaning is checked: the same numbers, arrows and printf
	# conversions (in argument order), and no English negation lost in the translation
	if [ "$l" = zh_CN ]; then
		msgcat --no-wrap "$po/$l.po" -o "$tmp/$l.po" &&
			awk -f "$top_srcdir/tests/po-meaning.awk" "$tmp/$l.po" >"$tmp/out" 2>&1
		if [ $? -eq 0 ] && [ ! -s "$tmp/out" ]; then ok; else
			bad "$l.po says something else than the English (line numbers of msgcat --no-wrap):"; head -30 "$tmp/out"; fi
	fi
done
# the program speaks it: --help, where the machine has the locale
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	LC_ALL=zh_CN.UTF-8 "$SOCKPLAY" --help >"$tmp/help" 2>&1
	if grep -q "^用法：sockplay" "$tmp/help" && grep -q -- "--no-wire" "$tmp/help"; then ok; else
		bad "--help in zh_CN.UTF-8 is not Chinese"; head -3 "$tmp/help"; fi
	LC_ALL=C.UTF-8 "$SOCKPLAY" --help >"$tmp/help" 2>&1
	if grep -q "^Usage: sockplay" "$tmp/help"; then ok; else bad "--help in C.UTF-8 is not English"; fi
else
	skip "no zh_CN.UTF-8 locale here (./bootstrap makes it)"
fi
# a comma-decimal locale (German, built here: the machine's own are not
# touched) changes neither how numbers are read nor how they are written
if localedef -i de_DE -f UTF-8 "$tmp/de_DE.UTF-8" >/dev/null 2>&1; then
	printf 'wait 0.05\n' >"$tmp/wait"
	LOCPATH="$tmp" LC_ALL=de_DE.UTF-8 "$SOCKPLAY" --interval 0.5 --batch "$tmp/wait" >"$tmp/out" 2>&1
	if grep -q "^wait(0.05 s) = 0$" "$tmp/out"; then ok; else
		bad "in de_DE.UTF-8, 'wait 0.05' and --interval 0.5 are not read as numbers"; cat "$tmp/out"; fi
else
	skip "localedef cannot build de_DE.UTF-8 here (./bootstrap installs locales)"
fi
finish

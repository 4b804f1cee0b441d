#!/bin/sh
# The man pages: lint clean, and in step with the program: every option of
# --help is in sockplay(1) and every option documented there is in --help;
# every command of the language is documented.  The Chinese pages (po4a,
# man/po/zh_CN.po): every entry translated, none fuzzy, in step with the
# English page, and the page made from them renders.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
man1="$top_srcdir/man/sockplay.1"
man5="$top_srcdir/man/sockplay-lesson.5"

for m in "$man1" "$man5"; do
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -T lint -W warning "$m" 2>&1)
	else
		out=$(groff -ww -z -man "$m" 2>&1)
	fi
	if [ -z "$out" ]; then ok; else bad "$(basename "$m") is not lint clean:"; echo "$out"; fi
done

# the Chinese pages: translated whole and in step (an English change leaves entries fuzzy or
# untranslated once merged), lint clean, rendering as Chinese
: "${top_builddir:=..}"
if command -v po4a-updatepo >/dev/null 2>&1; then
	cp "$top_srcdir/man/po/zh_CN.po" "$tmp/man-zh.po"
	po4a-updatepo -f man -m "$man5" -m "$man1" -p "$tmp/man-zh.po" -M UTF-8 >/dev/null 2>&1
	if msgfmt --statistics -o /dev/null "$tmp/man-zh.po" >"$tmp/st" 2>&1 && ! grep -q "fuzzy\|untranslated" "$tmp/st"; then ok
	else bad "man/po/zh_CN.po is not the English pages' translation, whole: $(cat "$tmp/st") (make update-man-po, then translate)"; fi
else
	bad "po4a is not installed (./bootstrap installs it)"
fi
for page in "sockplay.1|sockplay - 真实内核上的套接字游乐场" "sockplay-lesson.5|sockplay-lesson - sockplay 引导课程的格式"; do
	zh="$top_builddir/man/zh_CN/${page%%|*}"
	if [ -s "$zh" ] && mandoc -T lint -W warning "$zh" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ] &&
	   mandoc -T utf8 "$zh" 2>/dev/null | grep -q "${page#*|}"; then ok
	else bad "the Chinese ${page%%|*} is not made, not lint clean, or does not render"; cat "$tmp/lint" 2>/dev/null; fi
done
# and it says what the English says of the program: the same options, in its OPTIONS section
zh_opts=$(sed -n '/^\.SH 选项/,/^\.SH /p' "$top_builddir/man/zh_CN/sockplay.1" | sed 's/\\-/-/g' | grep -o -- '--[a-z][a-z-]*' | sort -u)
en_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man1" | sed 's/\\-/-/g' | grep -o -- '--[a-z][a-z-]*' | sort -u)
if [ -n "$en_opts" ] && [ "$zh_opts" = "$en_opts" ]; then ok; else bad "the Chinese sockplay(1) documents other options: $zh_opts"; fi

# options: --help against the OPTIONS section (\-\-name in roff)
help_opts=$("$SOCKPLAY" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man1" | sed 's/\\-/-/g' | grep -o -- '--[a-z][a-z-]*' | sort -u)
for o in $help_opts; do
	if echo "$man_opts" | grep -qx -- "$o"; then ok; else bad "--help has $o, sockplay(1) OPTIONS does not"; fi
done
for o in $man_opts; do
	if echo "$help_opts" | grep -qx -- "$o"; then ok; else bad "sockplay(1) documents $o, --help does not"; fi
done

# every verb of the language has an entry in COMMANDS
nverbs=0
for v in $(printf 'help\n' | "$SOCKPLAY" --batch - 2>/dev/null | awk '/^  [a-z]/ && $1 != "any" {print $1}' | sort -u); do
	nverbs=$((nverbs + 1))
	if sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$man1" | grep -q "^\.B[IR]* *\"*$v\b"; then ok; else
		bad "sockplay(1) COMMANDS lacks '$v'"; fi
done
# a help that lost its verbs must not pass
if [ $nverbs -ge 20 ]; then ok; else bad "help lists only $nverbs verbs"; fi
# every key of the screen's binding table has an entry in KEYS
man_keys=$(sed -n '/^\.SH KEYS/,/^\.S[HS] /p' "$man1" | grep '^\.B' | sed 's/^\.[BIR]* *//; s/\\-/-/g; s/\\f[BIRP]//g; s/["，,()]/ /g' | tr ' ' '\n' | sed '/^\/$/!s|/|\n|g' | grep -v '^$' | sort -u)
nkeys=0
for k in $("$SOCKPLAY" --list-keys | cut -f1); do
	nkeys=$((nkeys + 1))
	if echo "$man_keys" | grep -qxF -- "$k"; then ok; else bad "sockplay(1) KEYS lacks the key '$k'"; fi
done
# a table that lost its rows must not pass
if [ "$nkeys" -ge 40 ]; then ok; else bad "--list-keys lists only $nkeys keys"; fi
finish

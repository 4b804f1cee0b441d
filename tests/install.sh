#!/bin/sh
# make install into a DESTDIR: the program, both man pages, the lessons and
# the bash completion land there, and the installed program finds its
# lessons without being told; moved to another prefix, it still finds them
# and speaks Chinese in zh_CN.UTF-8.
set -u
: "${top_srcdir:=..}"
: "${top_builddir:=..}"
: "${MAKE:=make}"
. "$top_srcdir/tests/testlib.sh"

if ! $MAKE -s -C "$top_builddir" install DESTDIR="$tmp/root" >"$tmp/log" 2>&1; then
	bad "make install failed"; cat "$tmp/log"; echo "$pass passed, $fail failed"; exit 1
fi
bin=$(find "$tmp/root" -path '*/bin/sockplay' -type f | head -1)
if [ -n "$bin" ] && [ -x "$bin" ]; then ok; else bad "no installed program"; fi
for f in man1/sockplay.1 man5/sockplay-lesson.5 sockplay/lessons/en/03-restart.lesson \
	 sockplay/lessons/zh_CN/08-tw-exhaustion.lesson bash-completion/completions/sockplay sockplay/apparmor/sockplay \
	 man/zh_CN/man1/sockplay.1 man/zh_CN/man5/sockplay-lesson.5; do
	if [ -n "$(find "$tmp/root" -path "*/$f" -type f)" ]; then ok; else bad "not installed: $f"; fi
done
# the installed program, told nothing, finds the installed lessons and runs one
out=$(env -u SOCKPLAY_LESSONS "$bin" --list-lessons --lang en 2>&1)
if echo "$out" | grep -q "^ 3  restart"; then ok; else bad "installed --list-lessons: $out"; fi
# (only in a namespace of its own: on the host, port 8888 may hold an earlier TIME_WAIT)
if "$bin" --sandbox --batch - </dev/null >/dev/null 2>&1; then
	if env -u SOCKPLAY_LESSONS "$bin" --check-lessons --lang en 1 >"$tmp/out" 2>&1 &&
	   grep -q "^ok   en/01-tcp-udp.lesson" "$tmp/out"; then ok; else bad "installed lesson run"; cat "$tmp/out"; fi
fi
# moved elsewhere (a relocated prefix: the tree copied as it is), it still finds its lessons and,
# in Chinese, its message catalogue, beside bin/ (unless a real install in the configured
# prefix answers first: then the move proves nothing, and is skipped)
prefix=${bin%/bin/sockplay}
cp -a "$prefix" "$tmp/moved"
moved="$tmp/moved/bin/sockplay"
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	for b in "$bin" "$moved"; do
		LC_ALL=zh_CN.UTF-8 env -u SOCKPLAY_LESSONS "$b" --help >"$tmp/out" 2>&1
		if grep -q "^用法：sockplay" "$tmp/out"; then ok; else bad "$b in zh_CN.UTF-8: --help is not Chinese"; head -3 "$tmp/out"; fi
		LC_ALL=zh_CN.UTF-8 env -u SOCKPLAY_LESSONS "$b" --list-lessons >"$tmp/out" 2>&1
		if grep -q "^ 3  restart .*重启服务器" "$tmp/out"; then ok; else bad "$b in zh_CN.UTF-8: --list-lessons"; head -3 "$tmp/out"; fi
	done
else
	skip "no zh_CN.UTF-8 locale here (./bootstrap makes it)"
fi
if [ -f "${prefix#"$tmp/root"}/share/locale/zh_CN/LC_MESSAGES/sockplay.mo" ]; then
	echo "note: a catalogue is installed in ${prefix#"$tmp/root"}: the relocated program may have read that one"
fi

# the completion completes: options (every one --help names), values, lessons
if command -v bash >/dev/null 2>&1; then
	comp=$(find "$tmp/root" -path '*/completions/sockplay')
	complete_words() {	# WORDS...: what completing the last word offers
		PATH="$(dirname "$bin"):$PATH" bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
			_sockplay; printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" "$@" 2>&1
	}
	for o in $("$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		if complete_words sockplay "$o" | grep -qx -- "$o"; then ok; else bad "completion lacks $o"; fi
	done
	if [ "$(complete_words sockplay --source "" | sort | tr '\n' ' ')" = "auto diag proc " ]; then ok; else
		bad "completion of --source: $(complete_words sockplay --source "")"; fi
	if complete_words sockplay --lesson "" | grep -qx restart; then ok; else
		bad "completion of --lesson: $(complete_words sockplay --lesson "" | head -3)"; fi
	if complete_words sockplay --check-lessons r | grep -qx restart; then ok; else bad "completion after --check-lessons"; fi
fi
finish

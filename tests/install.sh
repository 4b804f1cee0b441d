#!/bin/sh
# make install into a DESTDIR: the program, both man pages, the lessons and
# the bash completion land there, and the installed program finds its
# lessons without being told.
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
	 sockplay/lessons/zh_CN/08-tw-exhaustion.lesson bash-completion/completions/sockplay; do
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

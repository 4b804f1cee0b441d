#!/bin/sh
# The lessons: every one passes --check-lessons in both languages on this
# kernel; both languages run the very same commands; a malformed lesson is
# refused with FILE:LINE, never half-run; --list-lessons and --lesson.
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
: "${SOCKPLAY_LESSONS:=../data/lessons}"
. "$top_srcdir/tests/testlib.sh"
export SOCKPLAY_LESSONS
# without a namespace of their own, lessons on fixed ports meet each other's TIME_WAIT
"$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>&1 || skip "no sandbox here"

# the two languages teach the same experiment, line for line
for f in "$SOCKPLAY_LESSONS"/en/*.lesson; do
	b=$(basename "$f")
	if [ ! -f "$SOCKPLAY_LESSONS/zh_CN/$b" ]; then bad "zh_CN/$b missing"; continue; fi
	if grep -E '^(\$|sandbox:|sysctl:|host:|repeat:|end$)' "$f" >"$tmp/a" &&
	   grep -E '^(\$|sandbox:|sysctl:|host:|repeat:|end$)' "$SOCKPLAY_LESSONS/zh_CN/$b" >"$tmp/b" && cmp -s "$tmp/a" "$tmp/b"; then
		ok
	else
		bad "$b: the English and Chinese lessons run different commands"; diff "$tmp/a" "$tmp/b"
	fi
done

"$SOCKPLAY" --check-lessons >"$tmp/out" 2>"$tmp/err"
st=$?
cat "$tmp/out"
if [ $st -eq 0 ] && grep -q "^32 passed, 0 failed" "$tmp/out"; then ok; else bad "--check-lessons: exit $st"; cat "$tmp/err"; fi
# --lang sets the program's language, not only the lessons': the verdicts are Chinese
"$SOCKPLAY" --check-lessons --lang zh_CN restart 8 >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q "^2 个通过，0 个失败" "$tmp/out"; then ok; else bad "--check-lessons by name"; cat "$tmp/out"; fi

"$SOCKPLAY" --list-lessons --lang en >"$tmp/out" 2>&1
if grep -q "^ 3  restart" "$tmp/out" && grep -q "^ 8  tw-exhaustion .*\[sandbox\]" "$tmp/out"; then ok; else bad "--list-lessons"; cat "$tmp/out"; fi
LC_ALL=zh_CN.UTF-8 "$SOCKPLAY" --list-lessons >"$tmp/out" 2>&1
if grep -q "^ 1  tcp-udp      TCP 和 UDP" "$tmp/out"; then ok; else bad "LANG=zh_CN picks Chinese"; cat "$tmp/out"; fi
"$SOCKPLAY" --lesson nosuch >"$tmp/out" 2>&1
if [ $? -eq 2 ] && grep -q "no lesson 'nosuch'" "$tmp/out"; then ok; else bad "--lesson nosuch"; cat "$tmp/out"; fi

# every failed call of every lesson has a why-line a student can act on
for f in "$SOCKPLAY_LESSONS"/en/*.lesson; do
	# the lesson's commands as a script, a repeat's block expanded ({n} counting 1..N)
	{ sed -n 's/^sysctl: */sysctl /p' "$f"
	  awk '/^repeat: / { n = $2; k = 0; inblock = 1; next }
	       inblock && /^end$/ { for (i = 1; i <= n; i++) for (j = 1; j <= k; j++) {
			l = body[j]; gsub(/\{n\}/, i, l); print l } inblock = 0; next }
	       inblock && /^\$ / { body[++k] = substr($0, 3); next }
	       /^\$ / { print substr($0, 3) }' "$f"; } >"$tmp/script"
	"$SOCKPLAY" --sandbox --batch "$tmp/script" >"$tmp/out" 2>&1
	missing=$(awk '/ = -1 / { if (pending) print prev; pending = 1; prev = $0; next }
		/^  why: / { pending = 0 } !/^  why: / && !/ = -1 / { if (pending) print prev; pending = 0 }
		END { if (pending) print prev }' "$tmp/out")
	if [ -z "$missing" ]; then ok; else bad "$(basename "$f"): failed calls without a why-line:"; echo "$missing"; fi
done

# malformed lessons: refused with FILE:LINE: message, and nothing runs
mkdir -p "$tmp/bad/en"
check_bad() {	# NAME WANT TEXT (printf escapes): not in a pipeline, so a failure counts
	printf "$3" >"$tmp/bad/en/01-$1.lesson"
	SOCKPLAY_LESSONS="$tmp/bad" "$SOCKPLAY" --check-lessons --lang en >"$tmp/out" 2>&1
	st=$?
	if [ $st -eq 1 ] && grep -qF -- "$2" "$tmp/out" && ! grep -q "expectations held" "$tmp/out"; then ok
	else bad "malformed $1: exit $st"; cat "$tmp/out"; fi
	rm -f "$tmp/bad/en/01-$1.lesson"
}
check_bad port "01-port.lesson:4: bind: bad port '99999'" 'title: t\nstep: s\n$ tcp a\n$ bind a 1.2.3.4:99999 => ok\n'
check_bad predict "01-predict.lesson:4: the 'predict:' of line 3 has no command with an expectation" 'title: t\nstep: s\npredict: what? | ok | EADDRINUSE\n$ tcp a\n'
check_bad predprose "01-predprose.lesson:4: between the 'predict:' of line 3 and its command" 'title: t\nstep: s\npredict: what? | ok | EADDRINUSE\nprose\n$ tcp a => ok\n'
check_bad hold "01-hold.lesson:3: 'hold:' belongs to a 'predict:'" 'title: t\nstep: s\nhold: kernel\n$ tcp a\n'
check_bad label "01-label.lesson:3: prediction choice 'maybe'" 'title: t\nstep: s\npredict: q | yes => ok | no => maybe\n$ tcp a => ok\n'
check_bad choice "01-choice.lesson:4: the expected outcome EADDRINUSE is not among" 'title: t\nstep: s\npredict: q | ok | EINVAL\n$ tcp a => EADDRINUSE\n'
check_bad header "01-header.lesson:2: 'hello' before the first step" 'title: t\nhello\nstep: s\n$ tcp a\n'
check_bad sysctl "01-sysctl.lesson:3: 'sysctl' changes the kernel: the lesson needs 'sandbox: yes'" 'title: t\nstep: s\n$ sysctl net.ipv4.tcp_tw_reuse 1\n'
check_bad notitle "no 'title:'" 'step: s\n$ tcp a\n'
# a lesson that runs but fails: the count of held expectations is right
mkdir -p "$tmp/fails/en"
printf 'title: t\nstep: s\n$ tcp a\n$ bind a 127.0.0.1:8000 => EADDRINUSE\n$ listen nosuch\n$ listen a => ok\n' \
	>"$tmp/fails/en/01-fails.lesson"
SOCKPLAY_LESSONS="$tmp/fails" "$SOCKPLAY" --check-lessons --lang en >"$tmp/out" 2>&1
st=$?
if [ $st -eq 1 ] && grep -q "^FAIL en/01-fails.lesson: 1 of 2 expectations held" "$tmp/out" &&
   grep -q "01-fails.lesson:4: bind a 127.0.0.1:8000 => EADDRINUSE: expected EADDRINUSE, got ok" "$tmp/out"; then ok
else bad "failing lesson report: exit $st"; cat "$tmp/out"; fi
check_bad empty "01-empty.lesson:3: the step before this one is empty" 'title: t\nstep: s\nstep: u\n$ tcp a\n'
# repeat: a block must end, hold commands only, not nest; each copy is checked as a command
check_bad noend "the 'repeat:' of line 3 has no 'end'" 'title: t\nstep: s\nrepeat: 3\n$ tcp c{n}\n'
check_bad repprose "01-repprose.lesson:4: only '\$' commands and 'end' may stand in a repeat" 'title: t\nstep: s\nrepeat: 2\nprose\nend\n'
check_bad nested "01-nested.lesson:4: a repeat inside a repeat" 'title: t\nstep: s\nrepeat: 2\nrepeat: 2\n'
check_bad toomany "repeat: takes a count from 1 to 100" 'title: t\nstep: s\nrepeat: 101\n$ tcp a\nend\n'
check_bad stray "01-stray.lesson:4: 'end' without a 'repeat:'" 'title: t\nstep: s\n$ tcp a\nend\n'
check_bad repport "01-repport.lesson:5: bind: bad port '99999'" 'title: t\nstep: s\nrepeat: 2\n$ tcp c{n}\n$ bind c{n} 1.2.3.4:99999\nend\n'

# the lint: an answer on screen before its question fails the check, naming FILE:LINE and what said it
spoiler() {	# NAME WANT TEXT
	mkdir -p "$tmp/spoil/en"
	printf '%b' "$3" >"$tmp/spoil/en/01-$1.lesson"
	SOCKPLAY_LESSONS="$tmp/spoil" "$SOCKPLAY" --check-lessons --lang en >"$tmp/out" 2>&1
	st=$?
	if [ $st -eq 1 ] && grep -qF -- "$2" "$tmp/out" && grep -q "answer shows before" "$tmp/out"; then ok
	else bad "planted spoiler $1: exit $st"; cat "$tmp/out"; fi
	rm -f "$tmp/spoil/en/01-$1.lesson"
}
spoiler title '01-title.lesson:4: the answer shows before the question "Can u bind?": the lesson'"'"'s title says "can bind"' \
	'title: UDP can bind beside TCP\nstep: s\n$ udp u\npredict: Can u bind? | ok | EADDRINUSE\n$ bind u 127.0.0.1:8001 => ok\n'
spoiler steptitle 'the step'"'"'s title says "already in use"' \
	'title: t\nstep: The port is already in use\n$ tcp a\n$ bind a 127.0.0.1:8002\n$ listen a\n$ tcp b\npredict: Can b bind? | ok | EADDRINUSE\n$ bind b 127.0.0.1:8002 => EADDRINUSE\n'
spoiler prose '01-prose.lesson:8: the answer shows before the question "And c?": line 7 says "EADDRINUSE"' \
	'title: t\nstep: s\n$ tcp a\n$ bind a 127.0.0.1:8003\n$ listen a\n$ tcp c\nc will get EADDRINUSE.\npredict: And c? | ok | EADDRINUSE\n$ bind c 127.0.0.1:8003 => EADDRINUSE\n'
spoiler whyline 'what `bind b 127.0.0.1:8004 => EADDRINUSE` printed says "EADDRINUSE"' \
	'title: t\nstep: s\n$ tcp a\n$ bind a 127.0.0.1:8004\n$ listen a\n$ tcp b\n$ bind b 127.0.0.1:8004 => EADDRINUSE\n$ tcp c\npredict: And c? | ok | EADDRINUSE\n$ bind c 127.0.0.1:8004 => EADDRINUSE\n'
spoiler label 'the step'"'"'s title says "on the client"' \
	'title: t\nstep: TIME_WAIT stays on the client\n$ tcp a\npredict: Where? | on the client => 0 | on the server => 1\n$ net tcp TIME_WAIT => 0\n'
# the same question, asked before its answer shows, passes
mkdir -p "$tmp/clean/en"
printf 'title: t\nstep: s\n$ tcp a\n$ bind a 127.0.0.1:8005\n$ listen a\n$ tcp b\npredict: Can b bind? | ok | EADDRINUSE\n$ bind b 127.0.0.1:8005 => EADDRINUSE\n' \
	>"$tmp/clean/en/01-clean.lesson"
if SOCKPLAY_LESSONS="$tmp/clean" "$SOCKPLAY" --check-lessons --lang en >"$tmp/out" 2>&1 &&
   grep -q "^ok   en/01-clean.lesson" "$tmp/out"; then ok; else bad "a clean lesson fails the lint"; cat "$tmp/out"; fi

finish

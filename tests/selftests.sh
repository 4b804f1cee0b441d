#!/bin/sh
# The Linux kernel's bind selftests (tools/testing/selftests/net), translated
# into scripts of the language: every outcome is the kernel's (each line's
# expectation), and every why-line the scripts name is checked: a line
# "#! must: TEXT" must appear in the transcript, "#! never: TEXT" must not.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
export LC_ALL=C.UTF-8 LANG=C.UTF-8
"$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>&1 || skip "no sandbox here"

# each script with each source of the kernel's table, named: --source auto would switch
# to diag only when a /proc read is slow, and a test must not depend on the machine's pace
n=0
for f in "$top_srcdir"/tests/selftests/*.spl; do
for src in proc diag; do
	n=$((n + 1))
	name="$(basename "$f") (--source $src)"
	# each script in a namespace of its own: fixed ports and TIME_WAIT never meet
	"$SOCKPLAY" --sandbox --source $src --batch "$f" >"$tmp/out" 2>&1
	st=$?
	if [ $st -eq 0 ]; then ok; else bad "$name: exit $st"; grep -E 'FAILED|:[0-9]+:' "$tmp/out"; fi
	musts=0
	while IFS= read -r line; do
		case $line in
		"#! must: "*)
			musts=$((musts + 1))
			if grep -qF -- "${line#\#! must: }" "$tmp/out"; then ok; else bad "$name: no '${line#\#! must: }'"; fi ;;
		"#! never: "*)
			if grep -qF -- "${line#\#! never: }" "$tmp/out"; then bad "$name: says '${line#\#! never: }'"; else ok; fi ;;
		esac
	done <"$f"
	# a script that checks no why-line would prove nothing about them
	if [ $musts -gt 0 ]; then ok; else bad "$name: no '#! must:' line"; fi
done
done
if [ $n -ge 16 ]; then ok; else bad "only $((n / 2)) selftest scripts"; fi
finish

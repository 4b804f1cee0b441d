# testlib.sh: what the scripted tests share.  Source it after setting
# top_srcdir: a scratch directory $tmp removed on exit (plus whatever
# $cleanup says), ok / bad to count, skip, finish to report and set the status.
tmp=$(mktemp -d) || exit 99
# the locale the tests read the screen in, whatever the caller's is
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LC_MESSAGES LANGUAGE
cleanup=:
trap 'eval "$cleanup"; rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# skip WHY: this test cannot run here (exit 77); where it must run (CI sets
# SOCKPLAY_NO_SKIP), a skip is a failure
skip() {
	echo "SKIP: $*"
	if [ -n "${SOCKPLAY_NO_SKIP:-}" ]; then
		echo "FAIL: skipped, but SOCKPLAY_NO_SKIP says this machine must run it"
		exit 1
	fi
	exit 77
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

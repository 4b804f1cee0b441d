# testlib.sh: what the scripted tests share.  Source it after setting
# top_srcdir: a scratch directory $tmp removed on exit (plus whatever
# $cleanup says), ok / bad to count, skip, finish to report and set the status.
tmp=$(mktemp -d) || exit 99
# the locale the tests read the screen in, whatever the caller's is
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LC_MESSAGES LANGUAGE
cleanup=:
# a test never hangs: past TEST_LIMIT seconds (600) it is stopped, and says so
test_limit=${TEST_LIMIT:-600}
( sleep "$test_limit" & sp=$!; trap 'kill $sp 2>/dev/null; exit 0' TERM; wait $sp || exit 0
  trap '' TERM
  echo "FAIL: $(basename "$0") still running after $test_limit s: stopped"
  kill -TERM $$; pkill -TERM -P $$ ) &
watchdog=$!
trap 'kill $watchdog 2>/dev/null; eval "$cleanup"; rm -rf "$tmp"' EXIT
trap 'exit 1' TERM INT
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

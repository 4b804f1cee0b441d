# testlib.sh: what the scripted tests share.  Source it after setting
# top_srcdir: a scratch directory $tmp removed on exit (plus whatever
# $cleanup says), ok / bad to count, finish to report and set the status.
tmp=$(mktemp -d) || exit 99
cleanup=:
trap 'eval "$cleanup"; rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

#!/bin/sh
# The lesson stepper under valgrind's memcheck: an uninitialised read (the
# kind that once judged a right answer wrong at random) fails here, where
# ASan cannot see it.  In a build with AddressSanitizer valgrind cannot run;
# ASan's own run of the same suite covers what it can there.
set -u
: "${top_srcdir:=..}"
: "${top_builddir:=..}"
. "$top_srcdir/tests/testlib.sh"
prog="$top_builddir/tests/check_stepper"
command -v valgrind >/dev/null 2>&1 || skip "valgrind is not installed (./bootstrap installs it)"
if grep -q __asan_init "$prog" 2>/dev/null; then
	echo "# built with AddressSanitizer: valgrind cannot run it; check_stepper itself ran under ASan"
	ok
	finish
	exit $?
fi
for tc in judge walk; do
	if CK_FORK=no CK_RUN_CASE=$tc valgrind -q --error-exitcode=3 --track-origins=yes \
		"$prog" >"$tmp/out" 2>&1; then ok; else
		bad "memcheck on check_stepper's $tc cases"; tail -40 "$tmp/out"; fi
done
finish

#!/bin/sh
# End-to-end: the program's --batch mode, options and exit status, as a user
# would run them.  Runs sockplay in its own sandbox so fixed ports and
# TIME_WAIT never meet another run's.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
S="$top_srcdir/tests/scripts"

# expect STATUS GREP-PATTERN FILE DESCRIPTION
check() {
	if [ "$1" != "$2" ]; then bad "$4: exit $1, want $2"; return; fi
	if [ -n "$3" ] && ! grep -q -- "$3" "$5"; then
		bad "$4: output lacks '$3'"; sed 's/^/    /' "$5"; return
	fi
	ok
}

if ! "$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>"$tmp/err"; then
	skip "no sandbox here: $(cat "$tmp/err")"
fi

"$SOCKPLAY" --help >"$tmp/out" 2>&1
check $? 0 "--batch FILE" "--help" "$tmp/out"
"$SOCKPLAY" --version >"$tmp/out" 2>&1
check $? 0 "^sockplay [0-9]" "--version" "$tmp/out"
"$SOCKPLAY" --frob >"$tmp/out" 2>&1
check $? 2 "Try 'sockplay --help'" "unknown option" "$tmp/out"
"$SOCKPLAY" --interval 0 --batch - </dev/null >"$tmp/out" 2>&1
check $? 2 "bad --interval '0'" "bad interval" "$tmp/out"
"$SOCKPLAY" --batch /nonexistent.spl >"$tmp/out" 2>&1
check $? 2 "/nonexistent.spl: No such file" "missing script" "$tmp/out"

# the article: every expectation holds on this kernel
"$SOCKPLAY" --sandbox --batch "$S/article.spl" >"$tmp/out" 2>"$tmp/err"
st=$?
cat "$tmp/err" >>"$tmp/out"
check $st 0 "bind(s3, 0.0.0.0:8888) = -1 EADDRINUSE (Address already in use)" "article" "$tmp/out"
check $st 0 "why: s1 is LISTEN on 0.0.0.0:8888" "article why" "$tmp/out"
check $st 0 "was conn sits in TIME_WAIT on 127.0.0.1:7000" "article TIME_WAIT" "$tmp/out"
check $st 0 "22 of 22 expectations held" "article count" "$tmp/out"

# a malformed script is refused whole, with FILE:LINE, before anything runs
"$SOCKPLAY" --sandbox --batch "$S/bad-parse.spl" >"$tmp/out" 2>"$tmp/err"
st=$?
check $st 2 "bad-parse.spl:3: bind: bad port '99999'" "parse error" "$tmp/err"
check $st 2 "bad-parse.spl:4: unknown command 'frobnicate'" "parse error 2" "$tmp/err"
if [ -s "$tmp/out" ]; then bad "a refused script ran: $(cat "$tmp/out")"; else ok; fi

# a failed expectation: exit 1, the line named, the rest still runs
"$SOCKPLAY" --sandbox --batch "$S/fail-expect.spl" >"$tmp/out" 2>"$tmp/err"
st=$?
check $st 1 "fail-expect.spl:4: expectation failed: expected ok, got EADDRINUSE" "failed expectation" "$tmp/err"
check $st 1 "bind(s2, 127.0.0.1:8001) = 0" "runs on after a failure" "$tmp/out"
check $st 1 "FAILED: expected ok, got EADDRINUSE" "failure in transcript" "$tmp/out"

# standard input, line by line; an unknown socket is a usage error (2)
printf 'tcp s1\nbind s1 127.0.0.1:8000\nlisten nosuch\nlisten s1\n' |
	"$SOCKPLAY" --sandbox --batch - >"$tmp/out" 2>"$tmp/err"
st=$?
check $st 2 "^-:3: listen: no socket named 'nosuch'" "stdin usage error" "$tmp/err"
if grep -q "listen(s1" "$tmp/out"; then bad "stdin ran on after a usage error"; else ok; fi

# writes to sysctls: refused outside the sandbox, allowed in it
printf 'sysctl net.ipv4.tcp_tw_reuse 1 => EPERM\n' | "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
check $? 0 "start it with --sandbox" "host sysctl write refused" "$tmp/out"
printf 'sysctl net.ipv4.ip_local_port_range 40000 40009 => ok\nsysctl net.ipv4.ip_local_port_range\nsysctl net.ipv4.ip_local_port_range 50000 40000 => EINVAL\n' |
	"$SOCKPLAY" --sandbox --batch - >"$tmp/out" 2>&1
check $? 0 "= 40000 40009" "sandbox sysctl write" "$tmp/out"

# one table whatever the source: a TCP socket that is only bound is in neither (sock_diag
# lists it since Linux 6.8 if asked; /proc never does), a UDP one is in both
for src in proc diag; do
	printf 'tcp b\nbind b 127.0.0.1:7777\nnet tcp :7777 => 0\nudp u\nbind u 127.0.0.1:7777\nnet udp :7777 => 1\ntcp l\nbind l 127.0.0.1:7778\nlisten l\nnet tcp :7778 => 1\n' |
		"$SOCKPLAY" --sandbox --source $src --batch - >"$tmp/out" 2>&1
	check $? 0 "3 of 3 expectations held" "bound-only sockets with --source $src" "$tmp/out"
done

# net's timer column keeps the kernel's tenths: three samples 0.13 s apart count down,
# each a tenth apart or more, whatever the source (the kernel gives hundredths)
for src in proc diag; do
	printf 'tcp l\nbind l 127.0.0.1:7000\nlisten l\ntcp c\nconnect c 127.0.0.1:7000\naccept l a\nclose c\nclose a\nwait 0.1\nnet tcp\nwait 0.13\nnet tcp\nwait 0.13\nnet tcp\n' |
		"$SOCKPLAY" --sandbox --source $src --batch - 2>&1 | sed -n 's/.*TIME_WAIT .* timewait \([0-9]*\)\.\([0-9]\)s$/\1\2/p' >"$tmp/tw"
	if [ "$(wc -l <"$tmp/tw")" -eq 3 ] && awk 'NR > 1 && $1 >= prev { exit 1 } { prev = $1 } $1 < 580 || $1 > 600 { exit 1 }' "$tmp/tw"
	then ok; else bad "net's TIME_WAIT timer with --source $src does not count down in tenths (x10: $(tr '\n' ' ' <"$tmp/tw"))"; fi
done

finish

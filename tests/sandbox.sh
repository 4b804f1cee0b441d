#!/bin/sh
# End-to-end: the sandbox.  Port exhaustion and tcp_tw_reuse, an added
# address, reset; the host's own settings are read before and after and
# must not change; the sandbox as an unprivileged user; and every wall
# that keeps a sandbox from being made, made for real (a seccomp filter,
# user.max_user_namespaces = 0 in a namespace of the test's own), said in
# one line that names it, exit 2; a lesson that does not need the sandbox
# runs without it and says why.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${NOSHARE:=../tests/noshare}"
: "${NOUSERNS:=../tests/nouserns}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"

if ! "$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>"$tmp/err"; then
	skip "no sandbox here: $(cat "$tmp/err")"
fi

knobs="net/ipv4/ip_local_port_range net/ipv4/tcp_tw_reuse net/ipv4/tcp_max_tw_buckets
net/ipv4/tcp_timestamps net/ipv4/tcp_fin_timeout net/ipv6/bindv6only
net/ipv4/tcp_child_ehash_entries"
[ -e /proc/sys/net/ipv4/tcp_tw_reuse_delay ] && knobs="$knobs net/ipv4/tcp_tw_reuse_delay"
snapshot() { for k in $knobs; do printf '%s=' "$k"; cat "/proc/sys/$k" 2>/dev/null || echo -; done; }
snapshot >"$tmp/before"
ip -o addr show dev lo >"$tmp/addr-before" 2>/dev/null

"$SOCKPLAY" --sandbox --batch "$top_srcdir/tests/scripts/sandbox.spl" >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -eq 0 ] && grep -q "31 of 31 expectations held" "$tmp/err"; then ok; else
	bad "sandbox.spl: exit $st"; cat "$tmp/err"; grep -B3 FAILED "$tmp/out"; fi
if grep -q "why: no local port is free toward 127.0.0.1:9000: ip_local_port_range is 40000-40009; 10 connections" "$tmp/out"; then ok; else bad "exhaustion why-line"; fi

# every knob the sandbox wrote is exactly as before on the host
snapshot >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then ok; else bad "host sysctls changed:"; diff "$tmp/before" "$tmp/after"; fi
ip -o addr show dev lo >"$tmp/addr-after" 2>/dev/null
if cmp -s "$tmp/addr-before" "$tmp/addr-after"; then ok; else bad "host loopback addresses changed"; fi

# sysctls may be set in the sandbox: every knob of the issue, then read back
{
	echo "sysctl net.ipv4.tcp_fin_timeout 30 => ok"
	echo "sysctl net.ipv4.tcp_fin_timeout => 30"
	echo "sysctl net.ipv6.bindv6only 1 => ok"
	echo "sysctl net.ipv6.bindv6only => 1"
	[ -e /proc/sys/net/ipv4/tcp_tw_reuse_delay ] && echo "sysctl net.ipv4.tcp_tw_reuse_delay 2000 => ok"
	echo "sysctl net.ipv4.no_such_knob => ENOENT"
} | "$SOCKPLAY" --sandbox --batch - >"$tmp/out" 2>&1
st=$?
if [ $st -eq 0 ]; then ok; else bad "sandbox knobs: exit $st"; cat "$tmp/out"; fi

# outside the sandbox: reads work, writes and addr add are refused with the way out
printf 'sysctl net.ipv4.tcp_fin_timeout\nsysctl net.ipv4.tcp_fin_timeout 30 => EPERM\naddr add 192.168.1.100 => EPERM\n' |
	"$SOCKPLAY" --batch - >"$tmp/out" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q "use --sandbox\|start it with --sandbox" "$tmp/out"; then ok; else bad "host writes: exit $st"; cat "$tmp/out"; fi

# as an unprivileged user (nobody), where the machine allows user namespaces
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	printf 'sysctl net.ipv4.ip_local_port_range 40000 40009 => ok\ntcp s1\nbind s1 127.0.0.1:80 => ok\nlisten s1\nnet tcp LISTEN => 1\n' |
		setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKPLAY" --sandbox --batch - >"$tmp/out" 2>&1
	st=$?
	if [ $st -eq 0 ]; then
		ok
	elif [ $st -eq 2 ] && grep -q "namespaces\|user namespace" "$tmp/out"; then
		echo "note: unprivileged user namespaces are not allowed here: $(cat "$tmp/out")"
		ok	# the refusal names the setting, as it must
	else
		bad "unprivileged sandbox: exit $st"; cat "$tmp/out"
	fi
fi

# EACCES, and the why-line that names the setting (as nobody, no sandbox)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
	if [ "$start" -gt 80 ]; then
		printf 'tcp s1\nbind s1 127.0.0.1:80 => EACCES\n' |
			setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
		if [ $? -eq 0 ] && grep -q "why: ports below $start need privilege" "$tmp/out"; then ok; else bad "EACCES"; cat "$tmp/out"; fi
	fi
fi

# -- the walls.  wall NAME TEXT CMD...: --sandbox behind the wall exits 2 with one line that names it
wall() {
	w_name=$1 w_text=$2
	shift 2
	"$@" "$SOCKPLAY" --sandbox --batch - </dev/null >"$tmp/wout" 2>"$tmp/werr"
	w_st=$?
	if [ $w_st -eq 77 ]; then echo "note: cannot build the wall '$w_name' here"; return 1; fi
	if [ $w_st -eq 2 ] && [ "$(wc -l <"$tmp/werr")" -eq 1 ] && grep -q "^sockplay: --sandbox: .*$w_text" "$tmp/werr" &&
	   [ ! -s "$tmp/wout" ]; then ok
	else bad "$w_name: --sandbox gave exit $w_st and: $(cat "$tmp/werr" "$tmp/wout")"; fi
	return 0
}
wall "a seccomp filter (root)" "a seccomp filter on this process refuses namespaces .*allow unshare(2)" "$NOSHARE"
# as nobody, where nobody may run the program at all (not a build in a directory only root enters)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=65534 --regid=65534 --clear-groups "$NOSHARE" "$SOCKPLAY" --version >/dev/null 2>&1; then
	wall "a seccomp filter (nobody)" "a seccomp filter on this process refuses namespaces" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$NOSHARE"
else
	echo "note: nobody cannot run $SOCKPLAY here: the seccomp wall is shown as root only"
fi
if wall "user.max_user_namespaces = 0" "no user namespace may be made (user.max_user_namespaces = 0): run as root, or raise it" "$NOUSERNS"; then
	# behind it, a lesson that only prefers the sandbox runs and says why; one that needs it is refused, naming the wall
	"$NOUSERNS" "$SOCKPLAY" --check-lessons --lang en 1 8 >"$tmp/wout" 2>&1
	if grep -q "^note: no sandbox: no user namespace may be made (user.max_user_namespaces = 0)" "$tmp/wout" &&
	   grep -q "^ok   en/01-tcp-udp.lesson" "$tmp/wout" &&
	   grep -q "^FAIL en/08-tw-exhaustion.lesson: refused: .*needs the sandbox, which cannot be had here: no user namespace" "$tmp/wout"
	then ok; else bad "lessons behind the wall"; cat "$tmp/wout"; fi
	# and the screen says it, in the log, where the class sees it
	if command -v tmux >/dev/null 2>&1; then
		tmux -S "$tmp/tm" new-session -d -s w -x 120 -y 30 \
			"env TERM=xterm-256color XDG_STATE_HOME=$tmp/st $NOUSERNS $SOCKPLAY --lesson 1; sleep 30"
		i=0; while [ $i -lt 100 ] && ! tmux -S "$tmp/tm" capture-pane -t w -p | grep -q "No sandbox here: no user namespace"; do
			sleep 0.05; i=$((i + 1)); done
		tmux -S "$tmp/tm" capture-pane -t w -p >"$tmp/wscreen"
		if grep -q "No sandbox here: no user namespace may be made" "$tmp/wscreen" && grep -q "Step 1 of" "$tmp/wscreen"; then ok
		else bad "the screen does not say why there is no sandbox"; cat "$tmp/wscreen"; fi
		tmux -S "$tmp/tm" kill-server 2>/dev/null
	fi
fi

finish

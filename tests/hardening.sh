#!/bin/sh
# End-to-end: what an attacker, a full disk or a signal meets.  One check
# (at least) for every defect the hardening issue found; each would fail
# again if the defect came back.
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
. "$top_srcdir/tests/testlib.sh"
export LC_ALL=C.UTF-8 LANG=C.UTF-8
"$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>&1 || skip "no sandbox here"
SB="$SOCKPLAY --sandbox"

# -- 1, 2: long escaped lines and control bytes survive the transcript round trip
bs=$(printf '%500s' '' | tr ' ' '\\')
x77=$(printf '%77s' '' | tr ' ' 'x')
printf 'udp w\nbind w 127.0.0.1:9999 => ok\nsend w "%s %s \\"\n' "$bs" "$x77" >"$tmp/long.spl"
$SB --batch "$tmp/long.spl" -t "$tmp/long.tr" >"$tmp/out" 2>&1
st=$?
# the line is refused or run, never cut: whatever ran replays to the same outcome
if [ $st -le 2 ] && ! grep -q "AddressSanitizer\|overflow" "$tmp/out"; then ok; else bad "long line: exit $st"; cat "$tmp/out"; fi
if $SB --batch "$tmp/long.tr" >"$tmp/out" 2>&1; then ok; else bad "long line transcript does not replay"; cat "$tmp/out"; fi

cr=$(printf '\r')
printf 'udp w\nbind w 127.0.0.1:9999 => ok\nsendto w 127.0.0.1:9999 "A%sB\001C"\nrecv w\n' "$cr" >"$tmp/cr.spl"
$SB --batch "$tmp/cr.spl" -t "$tmp/cr.tr" --export-c "$tmp/cr.c" >"$tmp/out" 2>&1
if grep -q 'recvfrom(w) = 5 "A\\x0dB\\x01C"' "$tmp/out"; then ok; else bad "CR not sent as sent"; cat "$tmp/out"; fi
if grep -q 'sendto w 127.0.0.1:9999 "A\\rB\\x01C" => 5' "$tmp/cr.tr"; then ok; else bad "CR not escaped in transcript"; cat "$tmp/cr.tr"; fi
$SB --batch "$tmp/cr.tr" >"$tmp/out2" 2>&1
if grep -q 'recvfrom(w) = 5 "A\\x0dB\\x01C"' "$tmp/out2"; then ok; else bad "replay sent other bytes"; cat "$tmp/out2"; fi
if grep -q '"A\\015B\\001C"' "$tmp/cr.c"; then ok; else bad "export sent other bytes"; grep send_to "$tmp/cr.c"; fi
# a quoted => is text, and stays text when written back
printf 'udp w\nbind w 127.0.0.1:9998\nsendto w 127.0.0.1:9998 "=>"\n' | $SB --batch - -t "$tmp/arrow.tr" >/dev/null 2>&1
if $SB --batch "$tmp/arrow.tr" >"$tmp/out" 2>&1 && grep -q 'sendto(w, "=>", 2' "$tmp/out"; then ok; else bad "quoted => lost"; cat "$tmp/arrow.tr" "$tmp/out"; fi

# -- 3: an unterminated quote names what was typed, nothing stale, no raw control byte
printf 'send c "ab\033[31mX\n' | "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
if grep -q "unterminated \" in 'ab\\\\x1b\[31mX'" "$tmp/out" && ! grep -q "$(printf '\033')" "$tmp/out"; then ok; else
	bad "unterminated quote message"; od -c "$tmp/out" | head; fi
printf 'frob\033]0;owned\007 x\n' | "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
if ! grep -q "$(printf '\033')" "$tmp/out" && grep -q "unknown command" "$tmp/out"; then ok; else bad "escape reached the terminal"; fi

# -- 5: lessons cannot touch files; export refuses symlinks and overwrites
mkdir -p "$tmp/lessons/en"
cat >"$tmp/lessons/en/01-evil.lesson" <<'L'
title: evil
step: one
$ export c /tmp/sockplay-evil.c
L
if "$SOCKPLAY" --check-lessons "$tmp/lessons/en/01-evil.lesson" >"$tmp/out" 2>&1; then bad "export lesson passed"; else
	if grep -q "01-evil.lesson:3: 'export' writes files: a lesson may not use it" "$tmp/out"; then ok; else bad "export lesson message"; cat "$tmp/out"; fi; fi
[ -e /tmp/sockplay-evil.c ] && bad "a lesson wrote a file"
echo secret >"$tmp/target"
ln -s "$tmp/target" "$tmp/link"
printf 'tcp\nexport c %s\n' "$tmp/link" | "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
st=$?
if [ $st -eq 2 ] && grep -q "symbolic link" "$tmp/out" && [ "$(cat "$tmp/target")" = secret ]; then ok; else bad "export through symlink: $st"; cat "$tmp/out"; fi
printf 'tcp\nexport c %s\n' "$tmp/target" | "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
if grep -q "exists: give -f" "$tmp/out" && [ "$(cat "$tmp/target")" = secret ]; then ok; else bad "export overwrote"; cat "$tmp/out"; fi
printf 'tcp\nexport c -f %s\n' "$tmp/target" | "$SOCKPLAY" --batch - >/dev/null 2>&1
if grep -q "new_socket" "$tmp/target"; then ok; else bad "export -f did not write"; fi
printf 'tcp\nexport c -\n' | "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
if grep -q "int main(void)" "$tmp/out"; then ok; else bad "export c - wrote nothing"; fi

# -- 6: bad addr add lines are refused before anything runs; [::1] is an address
printf 'tcp a\nbind a 127.0.0.1:7000\naddr add notanaddr\n' >"$tmp/addr.spl"
$SB --batch "$tmp/addr.spl" >"$tmp/out" 2>&1
st=$?
if [ $st -eq 2 ] && grep -q "addr.spl:3: addr: bad address 'notanaddr'" "$tmp/out" && ! grep -q "socket(" "$tmp/out"; then ok; else
	bad "addr add notanaddr: $st"; cat "$tmp/out"; fi
printf 'addr add [::2] => ok\ntcp a -6\nbind a [::2]:7000 => ok\n' | $SB --batch - >"$tmp/out" 2>&1
if [ $? -eq 0 ]; then ok; else bad "addr add [::2]"; cat "$tmp/out"; fi
printf 'tcp a -6\nbind a [fe80::1%%lo]:80\n' | "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
if grep -q "zone ids (%lo) are not supported" "$tmp/out"; then ok; else bad "zone id message"; cat "$tmp/out"; fi

# -- 7: a full disk is said, with a failing status
if [ -w /dev/full ]; then
	printf 'tcp\ntcp\n' | "$SOCKPLAY" --batch - >/dev/full 2>"$tmp/err"
	st=$?
	if [ $st -eq 2 ] && grep -q "No space left on device" "$tmp/err"; then ok; else bad "stdout on a full disk: $st"; cat "$tmp/err"; fi
	printf 'tcp\n' | "$SOCKPLAY" --batch - -t /dev/full >/dev/null 2>"$tmp/err"
	st=$?
	if [ $st -eq 2 ] && grep -q "transcript" "$tmp/err"; then ok; else bad "transcript on a full disk: $st"; cat "$tmp/err"; fi
fi

# -- 8: a sandbox is all or nothing: a namespace limit after the first unshare
if unshare -U -r --net true 2>/dev/null; then
	cat >"$tmp/lim.sh" <<L
echo \$1 > /proc/sys/user/max_net_namespaces || exit 0
printf 'tcp a\nbind a 127.0.0.1:5000 => ok\nlisten a => ok\ntcp b\nconnect b 127.0.0.1:5000 => ok\n' |
	$SOCKPLAY --sandbox --batch - 2>&1
echo "exit=\$?"
L
	unshare -U -r --net sh "$tmp/lim.sh" 2 >"$tmp/out" 2>&1
	if grep -q "exit=0" "$tmp/out"; then ok; else bad "sandbox with one namespace to spare"; cat "$tmp/out"; fi
	unshare -U -r --net sh "$tmp/lim.sh" 1 >"$tmp/out" 2>&1
	if grep -q "exit=2" "$tmp/out" && grep -q "cannot create a network namespace" "$tmp/out"; then ok; else
		bad "sandbox with no namespace to spare"; cat "$tmp/out"; fi
fi

# -- 9: batch output is kept when a signal ends a wait
# (SIGINT through timeout: a job a script puts in the background ignores SIGINT from its start)
printf 'tcp\ntcp\ntcp\ntcp\nwait 30\n' >"$tmp/wait.spl"
start=$(date +%s)
timeout -s INT 1 $SB --batch "$tmp/wait.spl" >"$tmp/out.INT" 2>&1
if [ "$(grep -c '^socket' "$tmp/out.INT")" -eq 4 ] && [ $(( $(date +%s) - start )) -lt 10 ]; then ok; else
	bad "SIGINT lost batch output, or did not end the wait"; cat "$tmp/out.INT"; fi
for sig in TERM HUP; do
	$SB --batch "$tmp/wait.spl" >"$tmp/out.$sig" 2>&1 &
	pid=$!
	# until the four lines are out (the file may not exist yet: the child makes it)
	i=0 n=0
	while [ $i -lt 100 ] && [ "${n:-0}" -lt 4 ]; do
		sleep 0.05; i=$((i + 1)); n=$(grep -c '^socket' "$tmp/out.$sig" 2>/dev/null); done
	kill -"$sig" $pid
	wait $pid 2>/dev/null
	if [ "$(grep -c '^socket' "$tmp/out.$sig")" -eq 4 ]; then ok; else bad "SIG$sig lost batch output"; cat "$tmp/out.$sig"; fi
done

# -- 10, 11: bounded lessons, the lessons asked for, headers checked whole, NUL bytes
head -c 1100000 /dev/zero | tr '\0' 'a' | fold -w 100 >"$tmp/big.txt"
{ echo "title: big"; echo "step: one"; cat "$tmp/big.txt"; echo '$ tcp'; } >"$tmp/lessons/en/02-big.lesson"
"$SOCKPLAY" --check-lessons "$tmp/lessons/en/02-big.lesson" >"$tmp/out" 2>&1
if grep -q "larger than 1024 KiB" "$tmp/out"; then ok; else bad "big lesson"; head -3 "$tmp/out"; fi
"$SOCKPLAY" --check-lessons 42 >"$tmp/out" 2>&1
st=$?
if [ $st -eq 2 ] && grep -q "no lesson '42'" "$tmp/out" && ! grep -q FAIL "$tmp/out"; then ok; else bad "--check-lessons 42: $st"; head -3 "$tmp/out"; fi
{ echo "title: junk"; echo "sandbox: yes"; printf 'sysctl: net.ipv4.tcp_fin_timeout 30%290s junk\n' ''; echo "step: one"; echo '$ tcp'; } >"$tmp/lessons/en/03-junk.lesson"
"$SOCKPLAY" --check-lessons "$tmp/lessons/en/03-junk.lesson" >"$tmp/out" 2>&1
if grep -q "03-junk.lesson:3: sysctl: bad value" "$tmp/out"; then ok; else bad "sysctl header junk"; cat "$tmp/out"; fi
printf 'tcp\ntcp a\000b\n' >"$tmp/nul.spl"
"$SOCKPLAY" --batch "$tmp/nul.spl" >"$tmp/out" 2>&1
if [ $? -eq 2 ] && grep -q "nul.spl:2: a NUL byte" "$tmp/out"; then ok; else bad "NUL byte"; cat "$tmp/out"; fi
printf 'title: c\nstep: one\n\033[2J prose\n$ tcp\n' >"$tmp/lessons/en/04-ctl.lesson"
"$SOCKPLAY" --check-lessons "$tmp/lessons/en/04-ctl.lesson" >"$tmp/out" 2>&1
if grep -q "04-ctl.lesson:3: a control character (byte 1)" "$tmp/out"; then ok; else bad "control byte in lesson"; cat "$tmp/out"; fi

# export past 64 sockets, with reused names and UDP after the 64th
{
	i=1; while [ $i -le 70 ]; do echo "tcp t$i"; echo "close t$i"; i=$((i + 1)); done
	echo "udp t65"; echo "bind t65 127.0.0.1:0"; echo "tcp a-b"; echo "tcp a_b"
} >"$tmp/many.spl"
$SB --batch "$tmp/many.spl" --export-c "$tmp/many.c" >"$tmp/many.out" 2>&1
if command -v cc >/dev/null 2>&1; then
	if cc -Wall -Wextra -Werror -o "$tmp/many" "$tmp/many.c" 2>"$tmp/cc.err" && "$tmp/many" >"$tmp/many.run"; then ok; else
		bad "export past 64 does not compile"; head "$tmp/cc.err"; fi
	if grep -q "socket(AF_INET, SOCK_DGRAM) = t65" "$tmp/many.run" && grep -q "bind(t65, 127.0.0.1:0) = 0" "$tmp/many.run"; then ok; else
		bad "UDP socket after the 64th"; tail -4 "$tmp/many.run"; fi
fi

# -- 4: in the screen, a signal or a key ends a wait; a vanished terminal ends the program
if command -v tmux >/dev/null 2>&1; then
	sock="$tmp/tmux.sock"
	T() { tmux -S "$sock" "$@"; }
	cleanup='T kill-server 2>/dev/null'
	pid_of() { pgrep -P "$(T list-panes -t "$1" -F '#{pane_pid}')" -x sockplay; }
	start() {
		T new-session -d -s "$1" -x 80 -y 24 \
			"env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/st-$1 $SOCKPLAY --sandbox; echo EXIT=\$?; sleep 60"
	}
	wait_for() {
		i=0
		while [ $i -lt 100 ]; do
			T capture-pane -t "$1" -p | grep -qF -- "$2" && return 0
			sleep 0.05; i=$((i + 1))
		done
		return 1
	}
	for sig in TERM INT HUP; do
		start "w$sig"
		wait_for "w$sig" "Welcome" || bad "screen did not start"
		T send-keys -t "w$sig" t : "wait 20" Enter
		sleep 0.3
		pid=$(pid_of "w$sig")
		kill -"$sig" "$pid"
		if wait_for "w$sig" "EXIT=" 1; then ok; else bad "SIG$sig during wait: still running"; fi
		f=$(ls "$tmp/st-w$sig/sockplay/transcripts/"*.spl 2>/dev/null | head -1)
		if [ -n "$f" ] && grep -q "^tcp => ok" "$f"; then ok; else bad "SIG$sig: transcript incomplete"; fi
		# the program caught it (a default death would leave the terminal raw and say nothing)
		if [ -n "$f" ] && grep -q "^# sockplay ended by SIG$sig" "$f" && grep -q "^# wait(20 s) = -1 EINTR" "$f"; then ok
		else bad "SIG$sig was not caught: the transcript does not say how it ended"; cat "$f"; fi
	done
	start wkey
	wait_for wkey "Welcome"
	T send-keys -t wkey : "wait 20" Enter
	sleep 0.3
	T send-keys -t wkey x
	if wait_for wkey "wait interrupted" 1; then ok; else bad "a key did not end the wait"; fi
	# the terminal goes away during a wait: the program must not live on
	start wgone
	wait_for wgone "Welcome"
	T send-keys -t wgone : "wait 20" Enter
	sleep 0.3
	pid=$(pid_of wgone)
	T kill-session -t wgone
	i=0; while [ $i -lt 40 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
	if kill -0 "$pid" 2>/dev/null; then bad "terminal gone: sockplay $pid lives on"; kill -9 "$pid"; else ok; fi
	# an unusable state directory costs only the transcript, with a warning
	mkdir -p "$tmp/bad/sockplay"; chmod 777 "$tmp/bad/sockplay"
	T new-session -d -s wbad -x 100 -y 24 \
		"env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/bad $SOCKPLAY --sandbox; echo EXIT=\$?; sleep 60"
	if wait_for wbad "writable by others"; then ok; else bad "state directory not refused"; T capture-pane -t wbad -p; fi
	T send-keys -t wbad t
	if wait_for wbad "socket(AF_INET, SOCK_STREAM) = s1"; then ok; else bad "no screen without a state directory"; fi
fi

finish

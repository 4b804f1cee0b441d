#!/bin/sh
# Take it home: the exported C program of a script covering every verb
# compiles with -Wall -Wextra -Werror and prints the transcript's call lines
# line for line (kernel-chosen ports normalized); the transcript file
# replays with --batch; a session killed by SIGTERM or SIGHUP leaves its
# transcript complete.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
: "${CC:=cc}"
. "$top_srcdir/tests/testlib.sh"
cleanup='tmux -S "$tmp/tmux.sock" kill-server 2>/dev/null'
# ports the kernel chose (the ephemeral range) differ from run to run
norm() { sed -E 's/:(3[2-9][0-9]{3}|[4-6][0-9]{4})\b/:PORT/g'; }
# a fresh network namespace for the exported program, as sockplay's sandbox
isolated() {
	if unshare -n true 2>/dev/null; then unshare -n sh -c 'ip link set lo up && "$0"' "$1"
	elif unshare -rn true 2>/dev/null; then unshare -rn sh -c 'ip link set lo up && "$0"' "$1"
	else return 77; fi
}
"$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>&1 || skip "no sandbox here"

script="$top_srcdir/tests/scripts/every-verb.spl"
"$SOCKPLAY" --sandbox --batch "$script" --export-c "$tmp/session.c" --transcript "$tmp/session.spl" \
	>"$tmp/transcript" 2>"$tmp/err"
st=$?
if [ $st -eq 0 ]; then ok; else bad "every-verb.spl: exit $st"; cat "$tmp/err"; fi
if $CC -Wall -Wextra -Werror -o "$tmp/session" "$tmp/session.c" 2>"$tmp/cc"; then ok; else
	bad "the exported program does not compile cleanly"; cat "$tmp/cc"; fi
isolated "$tmp/session" >"$tmp/program"
st=$?
[ $st -eq 77 ] && skip "cannot make a namespace for the exported program"
# call lines only (why-lines are comments in the program); sandbox-only and
# net lines are not exported and say so
grep -v '^ ' "$tmp/transcript" | grep -v -e '^sysctl(net[^)]*, ' -e '^net(' -e '^reset()' -e '^addr_add(' | norm >"$tmp/want"
grep -v '^# not exported: ' "$tmp/program" | norm >"$tmp/got"
if cmp -s "$tmp/want" "$tmp/got"; then ok; else bad "the program's output differs:"; diff "$tmp/want" "$tmp/got"; fi
if [ "$(wc -l <"$tmp/got")" -ge 30 ]; then ok; else bad "too few calls compared: $(wc -l <"$tmp/got")"; fi
if grep -q "# not exported: net tcp :8000" "$tmp/program"; then ok; else bad "net not marked as not exported"; fi
if grep -q '/\* why: no connection is waiting in l' "$tmp/session.c"; then ok; else bad "why-lines are not comments in the program"; fi

# what the exported program really did, seen by strace, not by what it prints:
# every setsockopt with its value, every listen with its backlog and every shutdown's how, in order
if command -v strace >/dev/null 2>&1; then
	traced() { strace -f -qq -e trace=setsockopt,listen,shutdown -o "$tmp/trace" "$tmp/session" >/dev/null; }
	isolated_traced() {
		if unshare -n true 2>/dev/null; then
			unshare -n sh -c 'ip link set lo up && strace -f -qq -e trace=setsockopt,listen,shutdown -o "$1" "$0" >/dev/null' "$tmp/session" "$tmp/trace"
		else
			unshare -rn sh -c 'ip link set lo up && strace -f -qq -e trace=setsockopt,listen,shutdown -o "$1" "$0" >/dev/null' "$tmp/session" "$tmp/trace"
		fi
	}
	isolated_traced
	# sockplay's transcript: setsockopt(l, SO_REUSEADDR, on) = 0 / {on, 0s} / 40000-40009; listen(l, 128)
	sed -n -E -e 's/^setsockopt\([^,]+, ([A-Z_0-9]+), on\) = .*/\1=1/p' \
		-e 's/^setsockopt\([^,]+, ([A-Z_0-9]+), off\) = .*/\1=0/p' \
		-e 's/^setsockopt\([^,]+, SO_LINGER, \{on, ([0-9]+)s\}\) = .*/SO_LINGER=1,\1/p' \
		-e 's/^setsockopt\([^,]+, SO_LINGER, \{off\}\) = .*/SO_LINGER=0,0/p' \
		-e 's/^listen\([^,]+, ([0-9]+)\) = .*/listen=\1/p' \
		-e 's/^shutdown\([^,]+, (SHUT_[A-Z]+)\) = .*/shutdown=\1/p' "$tmp/transcript" >"$tmp/want-calls"
	# strace: setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0; SO_LINGER {l_onoff=1, l_linger=0}
	sed -n -E -e 's/^[0-9]+ +setsockopt\([0-9]+, [A-Z_0-9]+, ([A-Z_0-9]+), \[([0-9]+)\], [0-9]+\).*/\1=\2/p' \
		-e 's/^[0-9]+ +setsockopt\([0-9]+, SOL_SOCKET, SO_LINGER, \{l_onoff=([0-9]+), l_linger=([0-9]+)\}.*/SO_LINGER=\1,\2/p' \
		-e 's/^[0-9]+ +listen\([0-9]+, ([0-9]+)\).*/listen=\1/p' \
		-e 's/^[0-9]+ +shutdown\([0-9]+, (SHUT_[A-Z]+)\).*/shutdown=\1/p' "$tmp/trace" >"$tmp/got-calls"
	if [ -s "$tmp/want-calls" ] && cmp -s "$tmp/want-calls" "$tmp/got-calls"; then ok; else
		bad "the exported program's setsockopt/listen calls differ (strace):"; diff "$tmp/want-calls" "$tmp/got-calls"; fi
	if [ "$(wc -l <"$tmp/want-calls")" -ge 5 ] && grep -qx "shutdown=SHUT_RD" "$tmp/want-calls"; then ok
	else bad "too few setsockopt/listen/shutdown calls compared"; cat "$tmp/want-calls"; fi
fi

# the transcript file is a script: it replays, and the kernel agrees again
if grep -q '^bind l 127.0.0.1:8000 => ok$' "$tmp/session.spl" && grep -q '^# bind(l, 127.0.0.1:8000) = 0$' "$tmp/session.spl"; then ok; else
	bad "transcript format"; head -20 "$tmp/session.spl"; fi
"$SOCKPLAY" --sandbox --batch "$tmp/session.spl" >"$tmp/replay" 2>&1
st=$?
if [ $st -eq 0 ]; then ok; else bad "the transcript does not replay: exit $st"; tail -5 "$tmp/replay"; fi
# and the replay sends and receives the very same bytes: its call lines are the original's
grep -v '^ ' "$tmp/transcript" | norm >"$tmp/calls-first"
grep -v -e '^ ' -e '^sockplay: ' "$tmp/replay" | norm >"$tmp/calls-replay"
if cmp -s "$tmp/calls-first" "$tmp/calls-replay"; then ok; else
	bad "the replay's calls differ from the session's:"; diff "$tmp/calls-first" "$tmp/calls-replay"; fi
if grep -q '^recv[a-z]*([a-z0-9]*) = [1-9][0-9]* "' "$tmp/calls-replay"; then ok; else bad "no bytes received in the replay"; fi
if grep -q '^send[a-z]* .* => [1-9][0-9]*$' "$tmp/session.spl"; then ok; else bad "the transcript does not count a send's bytes"; fi

# the screen writes a transcript as it goes: SIGTERM and SIGHUP leave it complete
if command -v tmux >/dev/null 2>&1; then
	for sig in TERM HUP; do
		T() { tmux -S "$tmp/tmux.sock" "$@"; }
		T new-session -d -s "t$sig" -x 80 -y 24 \
			"env LANG=C.UTF-8 XDG_STATE_HOME=$tmp/state-$sig $SOCKPLAY --sandbox; sleep 30"
		i=0; while [ $i -lt 100 ] && ! T capture-pane -t "t$sig" -p | grep -q Welcome; do sleep 0.05; i=$((i+1)); done
		T send-keys -t "t$sig" t
		T send-keys -t "t$sig" : "bind s1 127.0.0.1:7000" Enter
		T send-keys -t "t$sig" : "listen s1" Enter
		i=0; while [ $i -lt 100 ] && ! T capture-pane -t "t$sig" -p | grep -q "listen(s1, 128) = 0"; do sleep 0.05; i=$((i+1)); done
		# the program is the pane's child: found by its parent, never by a pattern
		pid=$(pgrep -P "$(T list-panes -t "t$sig" -F '#{pane_pid}')" -x sockplay)
		if [ -z "$pid" ]; then bad "SIG$sig: no sockplay in the pane"; continue; fi
		kill -"$sig" "$pid"
		i=0; while [ $i -lt 60 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; i=$((i+1)); done
		if kill -0 "$pid" 2>/dev/null; then bad "SIG$sig did not end sockplay"; fi
		f=$(ls "$tmp/state-$sig/sockplay/transcripts/"*.spl 2>/dev/null | head -1)
		if [ -n "$f" ] && grep -q '^tcp => ok$' "$f" && grep -q '^listen s1 => ok$' "$f" &&
		   grep -q '^# listen(s1, 128) = 0$' "$f"; then ok; else bad "SIG$sig: transcript incomplete: ${f:-none}"; [ -n "$f" ] && cat "$f"; fi
	done
fi

finish

#!/bin/sh
# The kernel pane reads the table when the kernel's counts change and at
# least once a second, and its countdowns tick between reads: a foreign
# listener shows within a second of its listen() and is gone within a
# second of its close(); a TIME_WAIT's seconds left go down by about the
# time that passed.  In tmux, as a person sees it.
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
. "$top_srcdir/tests/testlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"

# 1. On the machine's own table (loopback only): another program's listener.
port=$(( 20000 + $$ % 20000 ))
sp_start host 120 30
expect "Welcome to sockplay"
keys : "filter :$port" Enter
expect "filter :$port"
now() { date +%s.%N; }
# shows TEXT: poll until the pane shows TEXT (or, with "not", stops showing it); the seconds it took
shows() {
	t0=$(now)
	while :; do
		if screen | grep -qF -- "$1"; then [ "${2:-}" = not ] || break; else [ "${2:-}" = not ] && break; fi
		[ "$(echo "$t0 $(now)" | awk '{ print ($2 - $1 > 5) }')" = 1 ] && break
		sleep 0.02
	done
	echo "$t0 $(now)" | awk '{ printf "%.2f", $2 - $1 }'
}
within() { echo "$1 $2" | awk '{ exit !($1 <= $2) }'; }
# the other program: another sockplay that listens, waits and closes
printf 'tcp x\nbind x 127.0.0.1:%s\nlisten x\nwait 3\nclose x\n' "$port" |
	"$SOCKPLAY" --batch - >"$tmp/other.out" 2>&1 &
other=$!
# its listen() comes a few ms after its start: within a second (and the poll's own time) it shows
took=$(shows "127.0.0.1:$port")
if within "$took" 1.3; then ok; else bad "a foreign listener showed after $took s, not within a second"; fi
wait $other
took=$(shows "127.0.0.1:$port" not)
if within "$took" 1.3; then ok; else bad "a closed foreign listener went after $took s, not within a second"; fi
keys q y

# 2. A TIME_WAIT of the session's: its countdown goes down between reads.
sp_start tw 120 30 --sandbox
expect "Welcome to sockplay"
for c in "tcp l" "bind l 127.0.0.1:8100" "listen l" "tcp c" "connect c 127.0.0.1:8100" \
	"accept l a" "close c" "close a"; do
	keys : "$c" Enter
done
expect "TIME_WAIT"
left() { screen | grep "TIME_WAIT" | grep -o '[0-9][0-9]*\.[0-9]s left' | head -1 | sed 's/s left//'; }
# a sample every quarter second for two seconds: the table is read once a
# second (nothing else changes), yet the countdown moves at each sample
# (the time between the first and the last sample is measured: a busy machine stretches it)
samples=""
for i in 1 2 3 4 5 6 7 8 9; do
	[ $i -eq 1 ] && t0=$(date +%s.%N)
	samples="$samples $(left)"
	[ $i -eq 9 ] && t1=$(date +%s.%N)
	[ $i -lt 9 ] && sleep 0.25
done
a=$(echo $samples | awk '{ print $1 }')
b=$(echo $samples | awk '{ print $NF }')
el=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
distinct=$(echo $samples | tr ' ' '\n' | sort -u | grep -c .)
# a sample shows the time when it was drawn, up to a tenth and a capture's delay from when it was read
if [ -n "$a" ] && [ -n "$b" ] && echo "$a $b $el" | awk '{ d = $1 - $2; exit !(d >= $3 - 0.6 && d <= $3 + 0.6) }'
then ok; else bad "the countdown went from '$a' to '$b' in $el s:$samples"; fi
if [ "$distinct" -ge 6 ]; then ok; else bad "the countdown did not tick between reads:$samples"; fi
keys q y
finish

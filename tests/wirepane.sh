#!/bin/sh
# The wire pane in the screen, as a person sees it in tmux: W shows the
# ladder (one column per socket, an arrow per packet, under its call),
# the log tells each packet, a timer's packet between calls is told as it
# comes, W hides it, and without a capture the pane says why.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"

run() { for l in "$@"; do keys ":" "$l" Enter; done; }

S=w1
T new-session -d -s $S -x 100 -y 32 "$SOCKPLAY --sandbox -t $tmp/t.spl"
expect "sockplay [sandbox]"
keys W
expect "WIRE  packets on loopback"
expect "no packets yet"
run "tcp l" "bind l 127.0.0.1:8888" "listen l" "tcp c" "connect c 127.0.0.1:8888"
expect "wire: c -> l [S] seq 0"
expect "wire: c -> l [.] seq 1 ack 1"
# the ladder: l was made first, so its line is on the left; SYN goes from c to l: leftwards
line=$(screen | grep "│.* SYN  seq 0 .*│")
case "$line" in
*"◀"*) ok ;;
*) bad "the SYN arrow does not point from c to l: '$line'" ;;
esac
line=$(screen | grep "SYN,ACK")
case "$line" in
*"▶"*) ok ;;
*) bad "the SYN,ACK arrow does not point from l to c: '$line'" ;;
esac
# the columns are named, and the call heads its packets
if screen | grep -qE "^ +l +c *$"; then ok; else bad "no column heads 'l' and 'c'"; fi
if screen | grep -qxF "connect c 127.0.0.1:8888"; then ok; else bad "the call does not head its packets"; fi
# under the call's arrows, the states the kernel gave its sockets once it was over
if screen | grep -qE "^ +LISTEN +ESTABLISHED *$"; then ok; else bad "no state row 'LISTEN ESTABLISHED' under the handshake"; fi
# the order of the handshake, top to bottom
screen | grep -n "SYN\|ACK" | grep -v "wire:" >"$tmp/order"
if awk -F: '/ SYN  seq/ {s=$1} /SYN,ACK/ {sa=$1} / ACK  seq 1 ack 1/ {a=$1} END {exit !(s < sa && sa < a)}' "$tmp/order"; then
	ok; else bad "the handshake is not drawn in order"; cat "$tmp/order"; fi
# the kernel's own packet between calls: the FIN of an unread connection is ACKed late
run "accept l a" "close c"
expect "wire: c -> a [F.] seq 1 ack 1"
expect "(by the kernel" 3
expect "ACK (kernel)"
# the states read when `close c` returned (FIN_WAIT1) are drawn above the ACK the kernel sent later,
# never under it (that ACK is what made c FIN_WAIT2)
screen >"$tmp/s"
st=$(grep -n "FIN_WAIT1" "$tmp/s" | grep -v "wire:" | tail -1 | cut -d: -f1)
ka=$(grep -n "ACK (kernel)" "$tmp/s" | tail -1 | cut -d: -f1)
if [ -n "$st" ] && [ -n "$ka" ] && [ "$st" -lt "$ka" ]; then ok; else
	bad "the states of 'close c' are not drawn above the kernel's later ACK (row $st, ACK row $ka)"; cat "$tmp/s"; fi
# it scrolls with the log: once later packets push the handshake out, PgUp brings it back
run "send a x1" "send a x2" "send a x3" "send a x4"
expect "PSH,ACK 2B" 3
sleep 0.3
if screen | grep -qxF "connect c 127.0.0.1:8888"; then bad "the pane was meant to be full"; else ok; fi
keys S-PPage S-PPage S-PPage
expect "connect c 127.0.0.1:8888"
keys End
# W hides the pane, and shows it again
keys W
gone "WIRE  packets"
keys W
expect "WIRE  packets"
# a small screen: the pane still draws, nothing crashes
T resize-window -t $S -x 60 -y 14 2>/dev/null || T resize-pane -t $S -x 60 -y 14
sleep 0.3
expect "WIRE"
T resize-window -t $S -x 100 -y 32 2>/dev/null
keys q
expect "(y/n)" 3
keys y
sleep 0.3
if grep -qF "#  wire: c -> l [S] seq 0" "$tmp/t.spl" && grep -qF "#  wire: (by the kernel" "$tmp/t.spl"; then ok; else
	bad "the transcript lacks the packets"; grep wire "$tmp/t.spl"; fi

# no capture: the pane says why
S=w2
T new-session -d -s $S -x 100 -y 32 "$SOCKPLAY --sandbox --no-wire"
expect "sockplay [sandbox]"
keys W
expect "the capture is off (--no-wire)"
keys q
finish

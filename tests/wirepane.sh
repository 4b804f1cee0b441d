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
# the call heads its packets: its line is above the SYN it sent, not merely somewhere on screen
screen >"$tmp/s"
hd=$(grep -nxF "connect c 127.0.0.1:8888" "$tmp/s" | head -1 | cut -d: -f1)
sy=$(grep -n "│.* SYN  seq 0 .*│" "$tmp/s" | head -1 | cut -d: -f1)
if [ -n "$hd" ] && [ -n "$sy" ] && [ "$hd" -lt "$sy" ]; then ok; else
	bad "the call does not head its packets (call row '$hd', SYN row '$sy')"; cat "$tmp/s"; fi
# under the call's arrows, the states the kernel gave its sockets once it was over
if screen | grep -qE "^ +LISTEN +ESTABLISHED *$"; then ok; else bad "no state row 'LISTEN ESTABLISHED' under the handshake"; fi
# the order of the handshake, top to bottom
screen | grep -n "SYN\|ACK" | grep -v "wire:" >"$tmp/order"
if awk -F: '/ SYN  seq/ {s=$1} /SYN,ACK/ {sa=$1} / ACK  seq 1 ack 1/ {a=$1} END {exit !(s < sa && sa < a)}' "$tmp/order"; then
	ok; else bad "the handshake is not drawn in order"; cat "$tmp/order"; fi
# the kernel's own packet between calls: once a has received data its ACKs are delayed
# (the delack timer starts at TCP_ATO_MIN, 40 ms), so the ACK of c's FIN comes late
run "accept l a" "send c hi" "recv a" "close c"
expect "wire: c -> a [F.] seq 3 ack 1"
expect "(by the kernel" 3
expect "(kernel)"
# the ladder labels the close's FIN as a FIN, and nothing on it is a reset
screen >"$tmp/s"
if grep -v "wire:" "$tmp/s" | grep -q "FIN,ACK"; then ok; else bad "the ladder does not label c's FIN 'FIN,ACK'"; cat "$tmp/s"; fi
if grep -v "wire:" "$tmp/s" | grep -q "RST"; then bad "the ladder shows an RST nobody sent"; cat "$tmp/s"; else ok; fi
# the delayed ACK's timing, as the kernel took it: 40 ms or a little more after close began,
# well under a second; a clock off by ten leaves this window
ms=$(sed -n 's/.*(by the kernel, \([0-9]*\) ms later).*/\1/p' "$tmp/s" | tail -1)
if [ -n "$ms" ] && [ "$ms" -ge 20 ] && [ "$ms" -le 1000 ]; then ok; else
	bad "the kernel's ACK is said to come '$ms' ms later (want 20..1000)"; grep "by the kernel" "$tmp/s"; fi
# the states read when `close c` returned (FIN_WAIT1) are drawn above the ACK the kernel sent later,
# never under it (that ACK is what made c FIN_WAIT2)
screen >"$tmp/s"
st=$(grep -n "FIN_WAIT1" "$tmp/s" | grep -v "wire:" | tail -1 | cut -d: -f1)
ka=$(grep -n "ACK.*(kernel)" "$tmp/s" | tail -1 | cut -d: -f1)
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

# the other labels: a reset from a closed port, UDP with its length, the ICMP that answers it
S=w3
T new-session -d -s $S -x 100 -y 32 "$SOCKPLAY --sandbox"
expect "sockplay [sandbox]"
keys W
expect "no packets yet"
run "tcp c" "connect c 127.0.0.1:9" "udp u" "sendto u 127.0.0.1:9 hello"
expect "icmp port unreachable"
screen | grep -v "wire:" >"$tmp/s"
for label in "SYN" "RST,ACK" "UDP 5B" "ICMP port unreachable"; do
	if grep -q "│.*$label" "$tmp/s" || grep -q "$label.*│" "$tmp/s"; then ok; else bad "the ladder has no '$label' arrow"; cat "$tmp/s"; fi
done
if grep -q "FIN" "$tmp/s"; then bad "the ladder shows a FIN nobody sent"; cat "$tmp/s"; else ok; fi
keys q; expect "(y/n)"; keys y

# no capture: the pane says why
S=w2
T new-session -d -s $S -x 100 -y 32 "$SOCKPLAY --sandbox --no-wire"
expect "sockplay [sandbox]"
keys W
expect "the capture is off (--no-wire)"
keys q
finish

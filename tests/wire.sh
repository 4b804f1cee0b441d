#!/bin/sh
# The wire: the packets of each call, captured on the sandbox's loopback
# with libpcap, as an unprivileged user (nobody) where this test runs as
# root; their names, flags, relative numbers; `wire` counts; the pcap file
# that tcpdump reads; and the refusal where the program has no right.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
SOCKPLAY=$(cd "$(dirname "$SOCKPLAY")" && pwd)/$(basename "$SOCKPLAY")	# the test runs in $tmp

# as nobody when we are root: the sandbox must give an ordinary user the capture
as_user=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	if ! printf 'tcp s1\n' | $as_user "$SOCKPLAY" --sandbox --batch - >"$tmp/out" 2>&1; then
		echo "note: no unprivileged sandbox here ($(head -1 "$tmp/out")): running as root"
		as_user=""
	fi
fi
SP="$as_user $SOCKPLAY"
cd "$tmp" || exit 99
chmod 777 "$tmp"

# has FILE LINE: the line is in the output, whole
has() {
	if grep -qxF -- "$2" "$1"; then ok; else bad "no line '$2'"; sed 's/^/    /' "$1"; fi
}
# play SCRIPT WHAT: run it in the sandbox into ./out; every expectation in it must hold
play() {
	$SP --sandbox --batch "$1" >out 2>&1
	st=$?
	if [ $st -eq 0 ]; then ok; else bad "$2: exit $st"; cat out; fi
}
# hasnt FILE PATTERN
hasnt() {
	if grep -q -- "$2" "$1"; then bad "unexpected '$2'"; grep -- "$2" "$1" | sed 's/^/    /'; else ok; fi
}

# the handshake, data, the close from the client's side, the close from the server's
cat >hs.spl <<'S'
tcp l
bind l 127.0.0.1:8888
listen l
tcp c
connect c 127.0.0.1:8888
wire last => 3
wire last syn => 2
accept l a
send c hello
recv a
close c
wire last from c fin => 1
close a
wire last from a fin => 1
wire last from c ack => 1
wire fin => 2
wire rst => 0
S
play hs.spl "handshake script"
has out "  wire: c -> l [S] seq 0"
has out "  wire: l -> c [S.] seq 0 ack 1"
has out "  wire: c -> l [.] seq 1 ack 1"
has out "  wire: c -> a [P.] seq 1 ack 1 len 5"
has out "  wire: a -> c [.] seq 1 ack 6"
has out "  wire: c -> a [F.] seq 6 ack 1"
has out "  wire: a -> c [F.] seq 1 ack 7"
has out "  wire: c -> a [.] seq 7 ack 2"
# the packets come after the call's own lines, not before
if awk '/^connect\(c,/ {c=NR} /wire: c -> l \[S\]/ {w=NR} END {exit !(c && w > c)}' out; then ok; else bad "wire lines before their call"; fi

# the server closes first: it is the one left in TIME_WAIT
cat >srv.spl <<'S'
tcp l
bind l 127.0.0.1:8888
listen l
tcp c
connect c 127.0.0.1:8888
accept l a
close a
wire last from a fin => 1
wait 0.2
close c
wire last from c fin => 1
net TIME_WAIT => 1
S
play srv.spl "server closes first"
has out "  wire: a -> c [F.] seq 1 ack 1"
# the FIN's ACK is delayed by the kernel: its own packet, told during the wait
has out "  wire: (by the kernel) c -> a [.] seq 1 ack 2"
has out "  wire: c -> a [F.] seq 1 ack 2"
if grep -q "was a .*timewait" out; then ok; else bad "TIME_WAIT not on the server's side"; cat out; fi

# SO_LINGER 0: RST, no FIN, no TIME_WAIT
cat >linger.spl <<'S'
tcp l
bind l 127.0.0.1:8888
listen l
tcp c
connect c 127.0.0.1:8888
accept l a
set c linger 0
close c
wire last from c rst => 1
wire last fin => 0
net TIME_WAIT => 0
S
play linger.spl "linger 0"
has out "  wire: c -> a [R.] seq 1 ack 1"

# a closed port: RST; UDP to a closed port: ICMP, ECONNREFUSED only when connected
cat >closed.spl <<'S'
tcp c
connect c 127.0.0.1:9 => ECONNREFUSED
wire last rst to c => 1
udp u
sendto u 127.0.0.1:9 hi
wire last icmp to u => 1
sendto u 127.0.0.1:9 again => 5
udp v
connect v 127.0.0.1:9
send v x => 1
send v y => ECONNREFUSED
wire last => 0
wire icmp => 3
S
play closed.spl "closed ports"
has out "  wire: c -> 127.0.0.1:9 [S] seq 0"
has out "  wire: 127.0.0.1:9 -> c [R.] seq 0 ack 1"
has out "  wire: u -> 127.0.0.1:9 udp len 2"
has out "  wire: 127.0.0.1 -> u icmp port unreachable (to 127.0.0.1:9 udp)"
has out "  wire: 127.0.0.1 -> v icmp port unreachable (to 127.0.0.1:9 udp)"

# IPv6: both ends named, ICMPv6 for UDP
cat >v6.spl <<'S'
tcp l -6
bind l [::1]:7777
listen l
tcp c -6
connect c [::1]:7777
wire last => 3
udp u -6
sendto u [::1]:9 x
wire last icmp => 1
S
play v6.spl "IPv6"
has out "  wire: l -> c [S.] seq 0 ack 1"
has out "  wire: ::1 -> u icmp6 port unreachable (to [::1]:9 udp)"

# the receiving end is the socket the kernel chose (kernel/deliver.h), not the newest on the port:
# an exact address beats wildcards; of two UDP sockets on one address, the one bound last
cat >pick.spl <<'S'
tcp w2
set w2 reuseport 1
bind w2 0.0.0.0:8890
listen w2
tcp s2
set s2 reuseport 1
bind s2 127.0.0.1:8890
listen s2
tcp w3
set w3 reuseport 1
bind w3 0.0.0.0:8890
listen w3
tcp c2
connect c2 127.0.0.1:8890
accept w3 => EAGAIN
accept s2 => ok
udp r1
set r1 reuseaddr 1
bind r1 127.0.0.1:8891
udp r2
set r2 reuseaddr 1
bind r2 127.0.0.1:8891
udp x
sendto x 127.0.0.1:8891 hi
sendto r1 127.0.0.1:8891 me
recv r1 => EAGAIN
recv r2 => 2
recv r2 => 2
S
play pick.spl "delivery"
has out "  wire: c2 -> s2 [S] seq 0"
has out "  wire: s2 -> c2 [S.] seq 0 ack 1"
has out "  wire: x -> r2 udp len 2"
has out "  wire: r1 -> r2 udp len 2"
# an SO_REUSEPORT group: each connection is named after the member that queued it (watched, not guessed)
{ printf 'tcp w1
set w1 reuseport 1
bind w1 127.0.0.1:8892
listen w1
tcp w2
set w2 reuseport 1
bind w2 127.0.0.1:8892
listen w2
'
  for i in 1 2 3 4 5 6 7 8; do printf 'tcp c%s
connect c%s 127.0.0.1:8892
' $i $i; done
  for i in 1 2 3 4 5 6 7 8; do printf 'accept w1
accept w2
'; done; } >group.spl
$SP --sandbox --batch group.spl >out 2>&1
awk '/ is now 127\.0\.0\.1:/ { split($4, a, ":"); port[a[2]] = $1 }
     /wire: c[0-9] -> w[12] \[S\]/ { said[$2] = $4 }
     /^accept\(w[12]\) = s/ { l = substr($1, 8, 2) }
     /^  s[0-9]+: .* <- / { split($4, a, ":"); c = port[a[2]]; n++; if (said[c] != l) { bad++; print c " said " said[c] ", queued on " l } }
     END { exit !(n == 8 && bad == 0) }' out >why 2>&1
if [ $? -eq 0 ]; then ok; else bad "a group's connection named after the wrong member"; cat why; fi
# a new connection on a TIME_WAIT's 4-tuple is named after the listener, not the closed socket
cat >recycle.spl <<'S'
sysctl net.ipv4.tcp_tw_reuse 1
tcp l
set l reuseaddr 1
bind l 127.0.0.1:8893
listen l
tcp c
set c reuseaddr 1
bind c 127.0.0.1:40001
connect c 127.0.0.1:8893
accept l a
close c
close a
wait 0.1
tcp c2
set c2 reuseaddr 1
bind c2 127.0.0.1:40001
connect c2 127.0.0.1:8893 => ok
S
$SP --sandbox --batch recycle.spl >out 2>&1
if grep -qxF "  wire: c2 -> l [S] seq 0" out && grep -qxF "  wire: l -> c2 [S.] seq 0 ack 1" out; then ok
else bad "a recycled 4-tuple named after its old socket"; cat out; fi

# wire save: a pcap file tcpdump reads, packet for packet; never over a file without -f
printf 'tcp l\nbind l 127.0.0.1:8888\nlisten l\ntcp c\nconnect c 127.0.0.1:8888\nsend c hi\nwire save cap.pcap => 5\nwire save cap.pcap => EEXIST\n' >save.spl
$SP --sandbox --batch save.spl >out 2>&1
if grep -q "cap.pcap exists: give -f" out && [ -s cap.pcap ]; then ok; else bad "wire save"; cat out; fi
if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -nr cap.pcap >dump 2>dumperr
	if [ "$(wc -l <dump)" -eq 5 ] && grep -q "127.0.0.1.8888: Flags \[S\]" dump &&
	   grep -q "Flags \[P.\].*length 2" dump; then ok; else bad "tcpdump -r"; cat dump dumperr; fi
else
	skip "tcpdump is not installed (./bootstrap installs it)"
fi

# the saved file read back field by field: the header (magic, version, snaplen, linktype), then
# each record's time, captured and original length; a 400-byte send is kept to the snaplen (256)
# while its original length stays the frame's (14 + 20 + 32 + 400); tcpdump reads the same times
big=$(head -c 400 /dev/zero | tr '\0' x)
printf 'tcp l\nbind l 127.0.0.1:8888\nlisten l\ntcp c\nconnect c 127.0.0.1:8888\nsend c %s\nwire save big.pcap => 5\n' "$big" >big.spl
t0=$(date +%s)
$SP --sandbox --batch big.spl >out 2>&1
t1=$(date +%s)
# the send's length is the packet's, not what the capture kept of it
if grep -qxF "  wire: c -> l [P.] seq 1 ack 1 len 400" out; then ok; else bad "a 400-byte send told with another length"; grep "wire: c" out; fi
set -- $(od -An -tu4 -N24 big.pcap)
if [ "${1:-}" = 2712847316 ] && [ "${2:-}" = 262146 ] && [ "${5:-}" = 256 ] && [ "${6:-}" = 1 ]; then ok
else bad "pcap header: magic, version 2.4, snaplen 256, linktype 1 (ethernet on lo): got '$*'"; fi
size=$(wc -c <big.pcap) off=24 recs= last=0 cut=0 whole=0
while [ "$off" -lt "$size" ]; do
	set -- $(od -An -tu4 -j "$off" -N16 big.pcap)
	recs="$recs$1.$(printf %06d "$2") $3 $4
"
	[ "$1" -ge "$t0" ] && [ "$1" -le "$t1" ] && [ "$1" -ge "$last" ] || bad "record at $off: time $1 not within the run ($t0..$t1) in order"
	last=$1
	if [ "$3" -eq "$4" ] && [ "$3" -le 256 ]; then whole=$((whole + 1))
	elif [ "$3" -eq 256 ] && [ "$4" -eq 466 ]; then cut=$((cut + 1))
	else bad "record at $off: captured $3, original $4"; fi
	off=$((off + 16 + $3))
done
if [ "$off" -eq "$size" ] && [ "$cut" -eq 1 ] && [ "$whole" -eq 4 ]; then ok
else bad "pcap records: $whole whole, $cut cut to the snaplen (want 4 and 1), end at $off of $size"; fi
if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -tt -nr big.pcap 2>/dev/null | awk '{print $1}' >tdtimes
	printf %s "$recs" | awk '{print $1}' >ourtimes
	if [ -s tdtimes ] && cmp -s tdtimes ourtimes && tcpdump -nr big.pcap 2>/dev/null | grep -q "seq 1:401, .*length 400"
	then ok; else bad "tcpdump reads other times or lengths"; cat tdtimes ourtimes; fi
fi

# a .pcapng name: pcapng, each packet with a comment naming its sockets and the call that sent it;
# tcpdump reads the packets, tshark the comments, and the cut packet keeps both its lengths
printf 'tcp l\nbind l 127.0.0.1:8888\nlisten l\ntcp c\nconnect c 127.0.0.1:8888\naccept l a\nsend c %s\nrecv a\nclose c\nwait 0.3\nwire save cap.pcapng => 7\n' "$big" >ng.spl
$SP --sandbox --batch ng.spl >out 2>&1
if [ $? -eq 0 ] && [ "$(od -An -tx4 -N4 cap.pcapng | tr -d ' ')" = 0a0d0d0a ]; then ok; else bad "wire save cap.pcapng"; cat out; fi
if command -v tcpdump >/dev/null 2>&1; then
	if [ "$(tcpdump -nr cap.pcapng 2>/dev/null | wc -l)" -eq 7 ]; then ok; else bad "tcpdump -r cap.pcapng"; tcpdump -nr cap.pcapng; fi
fi
if command -v tshark >/dev/null 2>&1; then
	tshark -r cap.pcapng -T fields -E separator='|' -e frame.comment -e frame.cap_len -e frame.len >ng 2>ngerr
	cat >ngwant <<'W'
c -> l [S] seq 0 (sent by: connect c 127.0.0.1:8888)|74|74
l -> c [S.] seq 0 ack 1 (sent by: connect c 127.0.0.1:8888)|74|74
c -> l [.] seq 1 ack 1 (sent by: connect c 127.0.0.1:8888)|66|66
c -> a [P.] seq 1 ack 1 len 400 (sent by: send c BIG)|256|466
a -> c [.] seq 1 ack 401 (sent by: send c BIG)|66|66
c -> a [F.] seq 401 ack 1 (sent by: close c)|66|66
a -> c [.] seq 1 ack 402 (by the kernel, after: wait 0.3)|66|66
W
	sed "s/send c $big/send c BIG/" ng >ngseen
	# the last two may come in either call (the delayed ACK's timer): compared by packet, not by call
	if cmp -s ngwant ngseen || { head -6 ngwant | cmp -s - "$(head -6 ngseen >ng6; echo ng6)" &&
	   sed -n 7p ngseen | grep -q '^a -> c \[\.\] seq 1 ack 402 (by the kernel, after: .*)|66|66$'; }
	then ok; else bad "tshark reads other comments or lengths"; diff ngwant ngseen; cat ngerr; fi
else
	bad "tshark is not installed (./bootstrap installs it)"
fi

# a full disk is said, not a cut file passed off as whole
printf 'tcp l\nbind l 127.0.0.1:8888\nlisten l\ntcp c\nconnect c 127.0.0.1:8888\nwire save -f /dev/full\n' >full.spl
"$SOCKPLAY" --sandbox --batch full.spl >out 2>&1
if [ $? -eq 2 ] && grep -q "wire: /dev/full: No space left on device" out; then ok; else bad "wire save to a full disk"; cat out; fi

# a lesson may not save the capture: it writes a file
mkdir -p les/en
printf 'title: t\nstep: s\n$ wire save x.pcap\n' >les/en/01-t.lesson
if "$SOCKPLAY" --check-lessons les/en/01-t.lesson >out 2>&1; then bad "wire save in a lesson"; cat out;
elif grep -q "writes files" out; then ok; else bad "wire save in a lesson: message"; cat out; fi

# the transcript keeps the packets as comments
$SP --sandbox --batch hs.spl -t hs.out.spl >/dev/null 2>&1
if grep -qxF "#  wire: c -> l [S] seq 0" hs.out.spl; then ok; else bad "transcript lacks the wire"; head -20 hs.out.spl; fi

# --no-wire: no lines, and `wire` says why
printf 'tcp l\nbind l 127.0.0.1:8888\nlisten l\ntcp c\nconnect c 127.0.0.1:8888\nwire => EPERM\n' |
	$SP --sandbox --no-wire --batch - >out 2>&1
if [ $? -eq 0 ] && grep -q "capture is off (--no-wire)" out; then ok; else bad "--no-wire"; cat out; fi
hasnt out "wire: c ->"

# outside the sandbox, without the right: EPERM, and the way to get it
if [ -n "$as_user" ]; then
	printf 'tcp c\nwire => EPERM\n' | $as_user "$SOCKPLAY" --batch - >out 2>&1
	if [ $? -eq 0 ] && grep -q "CAP_NET_RAW: run sockplay --sandbox" out; then ok; else bad "no right"; cat out; fi
fi
# outside the sandbox, with the right (root): only the session's own packets
if [ "$(id -u)" -eq 0 ]; then
	cat >host.spl <<'S'
tcp l
bind l 127.0.0.1:0
listen l
tcp c
connect c 127.0.0.1:$l
wire last => 3
S
	"$SOCKPLAY" --batch host.spl >out 2>&1
	if [ $? -eq 0 ]; then ok; else bad "host capture"; cat out; fi
	hasnt out "wire: [0-9]"
fi

# bad words are refused, naming the word
printf 'wire bogus!\n' | $SP --sandbox --batch - >out 2>&1
if grep -q "unknown word 'bogus!'" out; then ok; else bad "bad filter"; cat out; fi
printf 'wire from\n' | $SP --sandbox --batch - >out 2>&1
if grep -q "'from' needs a socket name" out; then ok; else bad "from without a name"; cat out; fi
printf 'wire s9\n' | $SP --sandbox --batch - >out 2>&1
if grep -q "no socket named 's9'" out; then ok; else bad "unknown socket"; cat out; fi

finish

#!/bin/sh
# End-to-end: hosts in the sandbox and the cable between them, as a user
# sees them.  Two hosts connect through the cable (as nobody where the test
# runs as root); a dropped SYN makes connect() take a second and the
# retransmission is told; a stepped handshake shows each frame held, then
# delivered; why TIME_WAIT exists (the client's last ACK lost, the server's
# FIN comes again and is answered), and what happens without it
# (tcp_max_tw_buckets 0: the FIN meets RST); a host that reboots answers an
# old connection with RST, and the why-line says so; each host's own
# settings; faults by chance are the same for the same seed; `wire save`
# of a cable session reads back in tcpdump; hostile and wrong input is
# refused naming the word; the machine's own settings and links are never
# touched; and the screen draws a held frame dotted and a delivered one as
# an arrow.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"

if ! "$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>"$tmp/err"; then
	skip "no sandbox here: $(cat "$tmp/err")"
fi
# hosts need veth in the kernel: where it is missing, the one line says so
printf 'host a 10.0.0.1\n' | "$SOCKPLAY" --sandbox --batch - >"$tmp/veth" 2>&1
if grep -q "(veth): Operation not supported\|(veth): No such" "$tmp/veth"; then
	skip "no veth in this kernel: $(cat "$tmp/veth")"
fi

# as an ordinary user where the test is root: what a student has
as_user() { "$SOCKPLAY" "$@"; }
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>&1; then
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKPLAY" "$@"; }
fi

# two hosts and one connection between them, c on client to a on server: a script's start
connected() {
	printf '%s\n' "host server 192.168.1.1" "host client 192.168.1.100" "tcp l @server" "bind l 192.168.1.1:80" \
		"listen l" "tcp c @client" "connect c 192.168.1.1:80" "accept l a"
}

knobs="net/ipv4/tcp_syn_retries net/ipv4/tcp_max_tw_buckets net/ipv4/tcp_child_ehash_entries
net/ipv6/conf/default/disable_ipv6 net/ipv6/conf/all/disable_ipv6"
snapshot() { for k in $knobs; do printf '%s=' "$k"; cat "/proc/sys/$k" 2>/dev/null || echo -; done; ip -o link 2>/dev/null | cut -d: -f2; }
snapshot >"$tmp/before"

# the whole story, every expectation held
as_user --sandbox --batch - <"$top_srcdir/tests/scripts/hosts.spl" >"$tmp/out" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q "37 of 37 expectations held" "$tmp/out"; then ok; else
	bad "hosts.spl: exit $st"; grep -B3 FAILED "$tmp/out"; tail -3 "$tmp/out"; fi
has() { if grep -qE -- "$1" "$tmp/out"; then ok; else bad "${2:-no line matching '$1'}"; fi; }
hasnt() { if grep -qE -- "$1" "$tmp/out"; then bad "${2:-a line matching '$1'}"; else ok; fi; }
has '^socket\(AF_INET, SOCK_STREAM\) on server = l$'
has '^  wire: c -> l \[S\] seq 0$' "the SYN between hosts, named by its sockets"
has 'why: 192\.168\.1\.1 is not an address of host client: a host binds only its own addresses \(192\.168\.1\.100 and 127\.0\.0\.1\)'
hasnt "add it with 'addr add'" "a host's bind why-line sends the student to addr add"
# the lost last ACK: dropped, the server's FIN again (by the kernel), the client's ACK from TIME_WAIT
has '^  wire: c -> a \[\.\] seq 7 ack 2 \[cable #[0-9]+: dropped\]$'
has '^  wire: \(by the kernel\) a -> c \[F\.\] seq 1 ack 7$' "the server's FIN never came again"
has '^  wire: \(by the kernel\) c -> a \[\.\] seq 7 ack 2$' "the client in TIME_WAIT did not answer the FIN"
sed -n '1,/^reboot(server)/p' "$tmp/out" >"$tmp/before-reboot"
if grep -q '\[R\]' "$tmp/before-reboot"; then bad "an RST before the reboot: $(grep '\[R\]' "$tmp/before-reboot")"; else ok; fi
# the dropped SYN: connect took a second, the SYN told again a second later
has '^  why: connect\(\) took 1\.[0-9] s: the SYN got no SYN-ACK, so the kernel sent it again: '
has '^  wire: c2 -> l \[S\] seq 0 \[cable #[0-9]+: dropped\]$'
has '^  wire: \(1\.[0-9] s later\) c2 -> l \[S\] seq 0$'
# stepping: held, forwarded one by one, the connect ends in the background
has '^  wire: c3 -> l \[S\] seq 0 \[cable #([0-9]+): held\]$'
has '^  cable #[0-9]+ forwarded: c3 -> l \[S\] seq 0$'
has '^  cable #[0-9]+ forwarded: l -> c3 \[S\.\] seq 0 ack 1$'
has '^event: connect\(c3\) completed = 0$'
# the reboot: silence on the cable, then the new kernel's RST, and the why-line from what happened
sed -n '/^reboot(server)/,$p' "$tmp/out" >"$tmp/after-reboot"
if grep -q '^  wire: 192\.168\.1\.1:80 -> c2 \[R\] seq 1$' "$tmp/after-reboot"; then ok; else bad "no RST from the rebooted server"; fi
if grep -q "why: a2's host restarted: its new kernel knows no such connection" "$tmp/after-reboot"; then ok; else
	bad "the RST's why-line guesses"; cat "$tmp/after-reboot"; fi
if grep -q "SO_LINGER 0\|data unread" "$tmp/after-reboot"; then bad "a reboot's RST blamed on the peer's close"; else ok; fi

# without TIME_WAIT the late FIN meets RST; the why-line says so, not '60 s'
cat >"$tmp/notw.spl" <<'S'
host server 192.168.1.1
host client 192.168.1.100
sysctl net.ipv4.tcp_max_tw_buckets 0 @client => ok
tcp l @server
bind l 192.168.1.1:80
listen l
tcp c @client
connect c 192.168.1.1:80 => ok
accept l a
close c
close a
net @client TIME_WAIT => 0
S
as_user --sandbox --batch - <"$tmp/notw.spl" >"$tmp/out" 2>&1
st=$?
if [ $st -eq 0 ]; then ok; else bad "notw.spl: exit $st"; cat "$tmp/out"; fi
has "why: c closed first: it sent its FIN; but net.ipv4.tcp_max_tw_buckets is 0, so the kernel keeps no TIME_WAIT"
has '^  wire: c -> a \[R\]' "the late FIN was not answered with RST"
hasnt 'keeps TIME_WAIT for 60 s on 192\.168\.1\.100' "the why-line promised a TIME_WAIT the kernel does not keep"

# the SYN's schedule, measured: how many SYNs and when the kernel gives up, for
# tcp_syn_retries 1 and 2, against the rule the why-line states (linear waits
# where the kernel has tcp_syn_linear_timeouts; the give-up by time, 2^(n+1) - 1 s)
lin=$(cat /proc/sys/net/ipv4/tcp_syn_linear_timeouts 2>/dev/null || echo 0)
for n in 1 2; do
	printf 'host server 192.168.1.1\nhost client 192.168.1.100\nsysctl net.ipv4.tcp_syn_retries %s @client\ntcp c @client\ncable drop next syn from client 20\nconnect c 192.168.1.1:80 => ETIMEDOUT\nwire from c syn\n' "$n" |
		as_user --sandbox --batch - >"$tmp/out" 2>&1
	st=$?
	budget=$(( (2 << n) - 1 ))
	want=$(awk -v L="$lin" -v B="$budget" 'BEGIN { t = 0; k = 0; w = 1; n = 1;
		while (1) { k++; w = (k <= L + 1) ? 1 : w * 2; if (t + w >= B) break; t += w; n++ } print n }')
	got=$(sed -n 's/^wire(from c syn) = \([0-9]*\)$/\1/p' "$tmp/out")
	took=$(sed -n 's/.*why: no SYN-ACK came in \([0-9.]*\) s:.*/\1/p' "$tmp/out")
	# the why-line states the rule it was measured against: the waits and the give-up time
	if [ "$lin" -gt 0 ]; then said="the first $((lin + 1)) waits are 1 s each (net.ipv4.tcp_syn_linear_timeouts = $lin), then each doubles"
	else said="each wait doubles: 1 s, 2 s, 4 s..."; fi
	if grep -qF "($said) and gave up once the time since the first reached what net.ipv4.tcp_syn_retries = $n doubling waits would take: $budget s" "$tmp/out"; then ok; else
		bad "tcp_syn_retries $n: the why-line does not state the schedule measured"; grep why "$tmp/out"; fi
	if [ $st -eq 0 ] && [ "$got" = "$want" ] &&
	   awk -v t="$took" -v b="$budget" 'BEGIN { exit !(t >= b - 0.05 && t < b + 0.6) }'; then ok; else
		bad "tcp_syn_retries $n: $got SYNs (rule: $want), gave up after ${took:-?} s (rule: $budget s)"; cat "$tmp/out"; fi
done

# every host its own table and rules: a bind on one host is judged by that host's sockets only
printf 'host a 10.0.0.1\nhost b 10.0.0.2\ntcp x @a\nbind x 0.0.0.0:7000\nlisten x\ntcp y @b\nbind y 0.0.0.0:7000 => ok\nlisten y => ok\ntcp z @b\nbind z 0.0.0.0:7000 => EADDRINUSE\n' |
	as_user --sandbox --batch - >"$tmp/out" 2>&1
if [ $? -eq 0 ]; then ok; else bad "two hosts on one port"; cat "$tmp/out"; fi
has '^  why: y is LISTEN on 0\.0\.0\.0:7000$'
hasnt 'why: x is LISTEN' "a bind on host b explained by a socket on host a"

# faults by chance: the same seed drops the same frames; a delay holds a datagram back
cat >"$tmp/loss.spl" <<'S'
host a 10.0.0.1/24
host b 10.0.0.2/24
udp u @a
udp v @b
bind v 10.0.0.2:53
cable seed 7
cable loss 40
S
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "sendto u 10.0.0.2:53 x$i" >>"$tmp/loss.spl"; done
as_user --sandbox --batch - <"$tmp/loss.spl" 2>&1 | grep -o 'cable #[0-9]*: dropped' >"$tmp/drop1"
as_user --sandbox --batch - <"$tmp/loss.spl" 2>&1 | grep -o 'cable #[0-9]*: dropped' >"$tmp/drop2"
n=$(wc -l <"$tmp/drop1")
if [ "$n" -ge 1 ] && [ "$n" -le 11 ] && cmp -s "$tmp/drop1" "$tmp/drop2"; then ok; else
	bad "seeded loss not the same twice ($n dropped): $(tr '\n' ' ' <"$tmp/drop1") / $(tr '\n' ' ' <"$tmp/drop2")"; fi
printf 'cable clear\ncable delay 300\nudp v2 @b\nbind v2 10.0.0.2:54\nsendto u 10.0.0.2:54 late\nrecv v2 => EAGAIN\nwait 0.5\nrecv v2 => 4\n' >>"$tmp/loss.spl"
as_user --sandbox --batch - <"$tmp/loss.spl" >"$tmp/out" 2>&1
st=$?
if [ $st -eq 0 ]; then ok; else bad "delay: exit $st"; grep -B3 FAILED "$tmp/out"; fi
has 'cable #[0-9]+: delayed 300 ms\]'

# nothing to read because the cable dropped it: the why-line says so (TCP: sent again; UDP: never)
{ connected; cat <<'S'
cable drop next data from client
send c hello => 5
recv a => EAGAIN
wait 0.5
recv a => 5
udp u @client
udp v @server
bind v 192.168.1.1:53
cable drop next udp
sendto u 192.168.1.1:53 hi => 2
recv v => EAGAIN
S
} >"$tmp/lost.spl"
as_user --sandbox --batch - <"$tmp/lost.spl" >"$tmp/out" 2>&1
if [ $? -eq 0 ]; then ok; else bad "lost.spl"; grep -B3 FAILED "$tmp/out"; fi
has "why: what c sent was dropped on the cable \(#[0-9]+\): its kernel keeps the bytes and sends them again"
has "why: the datagram u sent was dropped on the cable \(#[0-9]+\): UDP never sends it again"
hasnt "nothing has arrived on a yet" "a lost segment explained as nothing sent"

# the capture of a cable session, read back by tcpdump: the same packets, between the hosts' addresses
if command -v tcpdump >/dev/null 2>&1; then
	{ connected; echo "send c hello"; } >"$tmp/save.spl"
	echo "wire save $tmp/cable.pcap" >>"$tmp/save.spl"
	"$SOCKPLAY" --sandbox --batch "$tmp/save.spl" >"$tmp/out" 2>&1
	kept=$(sed -n 's/^wire_save(.*) = \([0-9]*\)$/\1/p' "$tmp/out")
	tcpdump -nr "$tmp/cable.pcap" >"$tmp/dump" 2>/dev/null
	if [ -n "$kept" ] && [ "$(wc -l <"$tmp/dump")" -eq "$kept" ] && [ "$kept" -ge 5 ] &&
	   grep -q '192\.168\.1\.100\.[0-9]* > 192\.168\.1\.1\.80: Flags \[S\]' "$tmp/dump" &&
	   grep -q '192\.168\.1\.100\.[0-9]* > 192\.168\.1\.1\.80: Flags \[P\.\].* length 5' "$tmp/dump"; then ok; else
		bad "tcpdump -r of the cable's capture ($kept kept)"; cat "$tmp/dump"; fi
else
	skip "tcpdump not installed"
fi

# wrong and hostile input: refused, naming the word, the line number, nothing made
for line in "host 1abc 10.0.0.1" "host a 127.0.0.1" "host a 224.0.0.1" "host a 10.0.0.0/24" "host a 10.0.0.1/33" \
	"host a 10.0.0.1/x" "host a ::1" "host a $(printf 'x\033[2J')" "tcp x @nohost" "udp x @a @b" \
	"sysctl net.ipv4.tcp_syn_retries @ghost" "net @ghost" "cable drop next smurf" "cable loss 101" \
	"cable delay 99999" "cable forward 0" "cable frobnicate" "reboot ghost"; do
	printf '%s\n' "$line" >"$tmp/bad.spl"
	"$SOCKPLAY" --sandbox --batch "$tmp/bad.spl" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ $st -eq 2 ] && grep -q "bad.spl:1: " "$tmp/err" && ! grep -q "$(printf '\033')" "$tmp/err"; then ok; else
		bad "'$line' not refused as a usage error (exit $st): $(cat "$tmp/err")"; fi
done
# outside the sandbox: hosts are refused with the way in
printf 'host a 10.0.0.1 => EPERM\n' | "$SOCKPLAY" --batch - >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q "hosts live in the sandbox: start sockplay with --sandbox" "$tmp/out"; then ok; else
	bad "host outside the sandbox"; cat "$tmp/out"; fi
# at most eight hosts; a ninth is refused with the limit
: >"$tmp/many.spl"
for i in 1 2 3 4 5 6 7 8; do echo "host h$i 10.0.0.$i => ok" >>"$tmp/many.spl"; done
echo "host h9 10.0.0.9 => ENOSPC" >>"$tmp/many.spl"
as_user --sandbox --batch - <"$tmp/many.spl" >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q "at most 8 hosts" "$tmp/out"; then ok; else bad "nine hosts"; tail -4 "$tmp/out"; fi

# the machine's own settings and links: exactly as before
snapshot >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then ok; else bad "the machine changed:"; diff "$tmp/before" "$tmp/after"; fi

# the screen: a held frame is dotted and labelled, f lets it go and the answer is held in turn
if command -v tmux >/dev/null 2>&1; then
	. "$top_srcdir/tests/tmuxlib.sh"
	sp_start h1 120 40 --sandbox
	expect "sockplay [sandbox]"
	for l in "host server 192.168.1.1" "host client 192.168.1.100" "tcp l @server" "bind l 192.168.1.1:80" \
		"listen l" "tcp c @client" "cable step on" "connect c 192.168.1.1:80"; do
		keys ":" "$l" Enter
	done
	expect "[cable #1: held]"
	keys W
	expect "WIRE  packets on loopback and the cable"
	expect "l@server"
	expect "c@client"
	if screen | grep -q "┄ SYN held #1 ┄"; then ok; else bad "the held SYN is not drawn dotted"; fi
	never "SYN,ACK"
	keys f
	expect "cable #1 forwarded: c -> l [S] seq 0"
	expect "SYN,ACK (kernel) held #2"
	if screen | grep -q "◀─* SYN ─*│"; then ok; else bad "the forwarded SYN is not drawn as an arrow"; fi
	keys d
	expect "cable #2 dropped: l -> c [S.] seq 0 ack 1"
	if screen | grep -q "SYN,ACK (kernel) dropped"; then ok; else bad "the dropped SYN,ACK is not marked"; fi
	# the kernel pane and the sockets pane say which host
	expect "SYN_SENT"
	if screen | grep -q "^> c@client"; then ok; else bad "the sockets pane does not say c is on client"; fi
fi
finish

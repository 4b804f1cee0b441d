#!/bin/sh
# The capture outside the sandbox keeps only the session's packets.  A
# second process (another sockplay, with no capture) talks on loopback
# where the session's capture could be fooled into keeping it: on a port
# the session listened on and closed, and beside a [::] listener with
# V6ONLY (which holds no IPv4 address).  Its secret must never show in
# `wire`, nor in a saved capture, which is made 0600.  As root, and as an
# ordinary user running a copy of the program given CAP_NET_RAW.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
SOCKPLAY=$(cd "$(dirname "$SOCKPLAY")" && pwd)/$(basename "$SOCKPLAY")
cd "$tmp" || exit 99
chmod 755 "$tmp"
[ "$(id -u)" -eq 0 ] || skip "the capture outside the sandbox needs root or CAP_NET_RAW"

# a port of its own for this run, and the other process's exchange on it (IPv4)
port=$((30000 + $$ % 2000))
other() {	# PORT: listen, connect, send the secret, read it, close; no capture
	printf 'tcp srv\nbind srv 127.0.0.1:%d\nlisten srv\ntcp cli\nconnect cli 127.0.0.1:%d\naccept srv a\n' "$1" "$1" >other.spl
	printf 'send cli "Authorization: Bearer SECRET-%d"\nwait 0.1\nrecv a\nclose cli\nclose a\nclose srv\n' "$1" >>other.spl
	"$SOCKPLAY" --no-wire --batch other.spl >other.out 2>&1 || { echo "the other process failed:"; cat other.out; }
}

# session PROG PORT SETUP: the session runs SETUP, then waits while the other process talks, then lists its packets
session() {
	{
		printf '%s\n' "$3"
		sleep 0.4
		other "$2" >&2
		printf 'wait 0.3\nwire\nwire save cap.pcap\n'
	} | $1 --batch - >out 2>&1
}
# check WHAT: no packet of the other process in the list or the file, and the file is 0600
check() {
	if grep -q "SECRET" out || grep -q "SECRET" cap.pcap 2>/dev/null; then
		bad "$1: the other process's secret was captured"; cat out
	else ok; fi
	if grep -q "wire(): = 0\|wire() = 0" out; then ok; else bad "$1: foreign packets kept"; cat out; fi
	if [ -f cap.pcap ] && [ "$(stat -c %a cap.pcap)" = 600 ]; then ok; else
		bad "$1: the capture file is not 0600: $(stat -c %a cap.pcap 2>/dev/null)"; fi
	rm -f cap.pcap
}

# 1. a port the session listened on and closed is not the session's any more
session "$SOCKPLAY" "$port" "$(printf 'tcp l\nbind l 127.0.0.1:%d\nlisten l\nclose l' "$port")"
check "a closed listener's port"
# 2. a [::] listener with V6ONLY holds no IPv4 address: the other's IPv4 exchange on its port is not ours
session "$SOCKPLAY" $((port + 1)) "$(printf 'tcp l6 -6\nset l6 v6only on\nbind l6 [::]:%d\nlisten l6' $((port + 1)))"
check "beside a V6ONLY [::] listener"
# 3. the session's own exchange is kept: the filter is not simply closed
printf 'tcp l\nbind l 127.0.0.1:%d\nlisten l\ntcp c\nconnect c 127.0.0.1:%d\nwire last => 3\n' \
	$((port + 2)) $((port + 2)) | "$SOCKPLAY" --batch - >out 2>&1
if [ $? -eq 0 ]; then ok; else bad "the session's own handshake is not kept"; cat out; fi

# 4. the same as an ordinary user with a copy of the program given CAP_NET_RAW
if command -v setcap >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	cp "$SOCKPLAY" ./sp-cap && chmod 755 ./sp-cap && setcap cap_net_raw+ep ./sp-cap
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups $tmp/sp-cap"
	chmod 777 "$tmp"
	session "$as_user" $((port + 3)) "$(printf 'tcp l\nbind l 127.0.0.1:%d\nlisten l\nclose l' $((port + 3)))"
	if grep -q "CAP_NET_RAW" out; then bad "the cap_net_raw copy cannot capture"; cat out; else
		check "a cap_net_raw copy, a closed listener's port"; fi
elif [ -n "${SOCKPLAY_NO_SKIP:-}" ]; then
	bad "setcap (libcap2-bin) is not installed: the cap_net_raw copy is not checked"
else
	echo "note: no setcap here (./bootstrap installs libcap2-bin): the cap_net_raw copy is not checked"
fi
finish

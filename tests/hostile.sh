#!/bin/sh
# What a hostile lesson, transcript or packet flood meets (the second
# hardening round): each repro of the issue, which failed on the tree
# before, must fail no more.
#   - a lesson where no sandbox can be made reaches no service of the machine
#   - a 1 MiB lesson of one repeat block, and /dev/zero, cost little and say FILE:LINE
#   - C1 controls, CR and bytes that are not UTF-8 reach no terminal and no transcript
#   - a transcript handed to someone writes no file when replayed
#   - a packet flood leaves the transcript small
#   - -t refuses a symbolic link, the script itself, and another run's transcript
#   - a NUL in quotes, a reader gone, a SIGTERM during --check-lessons, a huge lesson number
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
: "${NOSHARE:=../tests/noshare}"
. "$top_srcdir/tests/testlib.sh"
SOCKPLAY=$(cd "$(dirname "$SOCKPLAY")" && pwd)/$(basename "$SOCKPLAY")
NOSHARE=$(cd "$(dirname "$NOSHARE")" && pwd)/$(basename "$NOSHARE")
"$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>&1 || skip "no sandbox here"
cd "$tmp" || exit 99
SB="$SOCKPLAY --sandbox"
port=$((31000 + $$ % 2000))

# -- a lesson without a sandbox reaches no service: a "service" listens in another process
printf 'tcp svc\nbind svc 127.0.0.1:%d\nlisten svc\nwait 2\naccept svc => EAGAIN\n' "$port" >svc.spl
"$SOCKPLAY" --no-wire --batch svc.spl >svc.out 2>&1 &
svc=$!
sleep 0.5
printf 'title: t\nstep: s\n$ tcp c\n$ connect c 127.0.0.1:%d => ok\n$ send c "write authorized_keys"\n' "$port" >evil.lesson
"$NOSHARE" "$SOCKPLAY" --check-lessons ./evil.lesson >evil.out 2>&1
if grep -q "note: no sandbox" evil.out && grep -q "a lesson reaches only the sockets it made" evil.out; then ok; else
	bad "a lesson without sandbox was not confined"; cat evil.out; fi
if wait "$svc"; then ok; else bad "the service got a connection from the lesson"; cat svc.out; fi
# the same lesson reaches its own sockets
printf 'title: t\nstep: s\n$ tcp l\n$ bind l 127.0.0.1:%d\n$ listen l\n$ tcp c\n$ connect c 127.0.0.1:%d => ok\n' \
	$((port + 1)) $((port + 1)) >own.lesson
if "$NOSHARE" "$SOCKPLAY" --check-lessons ./own.lesson >own.out 2>&1; then ok; else
	bad "a confined lesson cannot reach its own listener"; cat own.out; fi

# -- costs: a 1 MiB lesson of one repeat: 100 block; /dev/zero; each bounded in memory and time
# (an AddressSanitizer build reserves terabytes of shadow: there only time is bounded)
memcap() { if grep -q __asan_init "$SOCKPLAY" 2>/dev/null; then :; else ulimit -v "$1"; fi; }
{ printf 'title: big\nstep: s\nrepeat: 100\n'; i=0; while [ $i -lt 33000 ]; do echo '$ tcp c{n}'; i=$((i + 1)); done
  printf 'end\n'; } >big.lesson
st=$( (memcap 200000; timeout 5 "$SOCKPLAY" --check-lessons ./big.lesson >big.out 2>&1; echo $?) )
if [ "$st" = 1 ] && grep -q "big.lesson:[0-9]*: more than 10000 commands" big.out; then ok; else
	bad "a 1 MiB repeat: exit $st"; head -3 big.out; fi
st=$( (memcap 64000; timeout 5 "$SOCKPLAY" --check-lessons /dev/zero >zero.out 2>&1; echo $?) )
if [ "$st" = 1 ] && grep -q "/dev/zero: not a regular file" zero.out; then ok; else
	bad "/dev/zero as a lesson: exit $st"; head -3 zero.out; fi

# -- bytes: C1 (CSI as U+009B), a raw 0x9b, a CR in a title; never raw on stdout or in a transcript
printf 'title: a \302\233 title\nstep: s\n$ tcp a\n' >c1.lesson
if "$SOCKPLAY" --check-lessons ./c1.lesson 2>&1 | grep -q "c1.lesson:1: a control character"; then ok; else
	bad "a C1 control in a lesson was taken"; fi
printf 'title: t\nstep: Harmless step\r# rm -rf ~\n$ tcp a\n' >cr.lesson
if "$SOCKPLAY" --check-lessons ./cr.lesson 2>&1 | grep -q "cr.lesson:2: a control character"; then ok; else
	bad "a CR inside a step title was taken"; fi
printf 'udp u\nbind u 127.0.0.1:9999\nsendto u 127.0.0.1:9999 "a\302\233[2Jb\233c"\nrecv u\n' >bytes.spl
$SB --batch bytes.spl -t bytes.tr >bytes.out 2>&1
for f in bytes.out bytes.tr; do
	if LC_ALL=C grep -q "$(printf '\302\233')\|$(printf '\233')" "$f"; then bad "a C1 byte reached $f"; else ok; fi
done
if grep -q 'sendto u 127.0.0.1:9999 "a\\xc2\\x9b\[2Jb\\x9bc"' bytes.tr; then ok; else
	bad "the transcript does not keep the bytes escaped"; cat bytes.tr; fi
if $SB --batch bytes.tr >/dev/null 2>&1; then ok; else bad "the escaped transcript does not replay"; fi

# -- a transcript replays calls, never file writes
printf 'tcp a\nwire save cap.pcap\nwire save -f cap.pcap\n' >save.spl
$SB --batch save.spl -t save.tr >/dev/null 2>&1
rm -f cap.pcap
if grep -q "^# not replayed (it writes a file): wire save" save.tr && ! grep -q "^wire save" save.tr; then ok; else
	bad "a file write is replayable in the transcript"; cat save.tr; fi
$SB --batch save.tr >/dev/null 2>&1
if [ -e cap.pcap ]; then bad "replaying a transcript wrote a file"; else ok; fi

# -- a flood: the session (root, outside the sandbox) binds a UDP port another process floods
if [ "$(id -u)" -eq 0 ]; then
	i=0; : >flood.spl; echo 'udp f' >>flood.spl
	while [ $i -lt 3000 ]; do printf 'sendto f 127.0.0.1:%d x\n' $((port + 2)) >>flood.spl; i=$((i + 1)); done
	{ printf 'udp r\nbind r 127.0.0.1:%d\n' $((port + 2)); sleep 0.3
	  "$SOCKPLAY" --no-wire --batch flood.spl >/dev/null 2>&1; printf 'wait 0.5\ntcp z\nwait 0.2\n'; } |
		"$SOCKPLAY" --batch - -t flood.tr >flood.out 2>&1
	size=$(wc -c <flood.tr)
	if [ "$size" -lt 50000 ] && grep -q "packets not shown one by one\|more packets came between calls" flood.tr; then ok
	else bad "a flood of 3000 datagrams made a transcript of $size bytes"; fi
fi

# -- -t: never through a symbolic link, never the script itself, never another run's transcript
echo 'tcp a' >one.spl
ln -s one.spl link.tr
if "$SOCKPLAY" --sandbox --batch one.spl -t link.tr 2>&1 | grep -q "symbolic link"; then ok; else bad "-t through a symlink"; fi
if "$SOCKPLAY" --sandbox --batch one.spl -t one.spl 2>&1 | grep -q "is the script itself"; then ok; else bad "-t its own input"; fi
if [ "$(cat one.spl)" = "tcp a" ]; then ok; else bad "the script was written over"; fi
$SB --batch one.spl -t first.tr >/dev/null 2>&1
if $SB --batch one.spl -t first.tr 2>&1 | grep -q "holds another run"; then ok; else bad "-t appended to another run"; fi
if [ "$(stat -c %a first.tr)" = 600 ]; then ok; else bad "a transcript made $(stat -c %a first.tr)"; fi

# -- small ones: a NUL in quotes; a reader gone; SIGTERM during --check-lessons; a huge lesson number
printf 'udp u\nsendto u 127.0.0.1:9 "a\\x00b"\n' >nul.spl
if $SB --batch nul.spl 2>&1 | grep -q 'nul.spl:2: a NUL byte'; then ok; else bad "a NUL in quotes was cut silently"; fi
printf 'wait 1\nwait 1\nwait 1\nwait 1\nwait 1\nwait 1\n' >slow.spl
start=$(date +%s)
$SB --batch slow.spl | head -c 1 >/dev/null
if [ $(( $(date +%s) - start )) -le 3 ]; then ok; else bad "a batch ran every wait for a reader that was gone"; fi
"$SOCKPLAY" --sandbox --check-lessons >term.out 2>/dev/null &
cl=$!
sleep 1.5; kill -TERM "$cl"; wait "$cl"
if grep -q "^ok " term.out; then ok; else bad "--check-lessons lost its verdicts to SIGTERM"; cat term.out; fi
mkdir -p huge/en
printf 'title: huge\nstep: s\n$ tcp a\n' >huge/en/99999999999999999999-huge.lesson
cp huge/en/99999999999999999999-huge.lesson huge/en/01-small.lesson
if SOCKPLAY_LESSONS="$tmp/huge" "$SOCKPLAY" --list-lessons --lang en >huge.out 2>&1 &&
   [ "$(head -1 huge.out | awk '{print $1}')" = 1 ]; then ok; else bad "a huge lesson number"; cat huge.out; fi
finish

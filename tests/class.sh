#!/bin/sh
# The class (--teach, --join): a teacher and three students, each another
# user, in tmux, and a fourth seat with no screen; a lesson played with two
# voting rounds and a reveal.  What each screen shows and what it must not:
# the votes only on the teacher's, never on a student's, and no answer
# before the reveal.  Hostile clients (a wrong code, garbage, a huge line,
# escape sequences, NUL bytes, silence, a flood) change nothing on the
# teacher's screen but the refusal count; an impostor cannot take a seat; a
# student who drops out comes back to the same seat; the class's answers
# saved as CSV (a row per seat and prediction) and JSON, parsed back; a
# class on a socket path (a shared lab server), its path removed at the end.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed for the hostile clients"
SOCKPLAY=$(cd "$(dirname "$SOCKPLAY")" && pwd)/$(basename "$SOCKPLAY")

# the students are other users when the test runs as root (CI), each with a state directory of their own;
# where other users cannot run this program (a build in a private directory: make mutants), this user
chmod 711 "$tmp"
others=no
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=65534 --regid=65534 --clear-groups env "$SOCKPLAY" --version >/dev/null 2>&1; then
	# (through env, as the students' sessions run it: setpriv's own exec still holds root's capabilities)
	others=yes
else
	echo "note: the students run as this user (other users cannot run $SOCKPLAY here)"
fi
as() {	# as UID CMD...: CMD as that user (or as this one)
	u=$1
	shift
	mkdir -p "$tmp/home-$u"
	if [ $others = yes ]; then
		chown "$u:$u" "$tmp/home-$u"
		echo "setpriv --reuid=$u --regid=$u --clear-groups env HOME=$tmp/home-$u XDG_STATE_HOME=$tmp/home-$u $*"
	else
		echo "env XDG_STATE_HOME=$tmp/home-$u $*"
	fi
}
# reap PID: a seat with no screen ends when the class does; one that does not is stopped (10 s), never waited on forever
reap() {
	poll 10 sh -c "! kill -0 $1 2>/dev/null" || kill "$1" 2>/dev/null
	wait "$1"
}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
where=127.0.0.1:$port

# the teacher, on lesson 3 (three predictions)
T new-session -d -s teach -x 120 -y 50 \
	"env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state-teach $SOCKPLAY --teach 3 --listen $where --results $tmp/end.csv; echo EXIT=\$?; sleep 60"
S=teach
expect "--code "
code=$(screen | sed -n 's/.*--code \([A-Z0-9]*\).*/\1/p' | head -1)
[ ${#code} -eq 6 ] && ok || bad "no join code on the teacher's screen: '$code'"

student() {	# student SESSION UID NAME
	T new-session -d -s "$1" -x 100 -y 40 \
		"$(as "$2" env LANG=C.UTF-8 TERM=xterm-256color "$SOCKPLAY" --join "$where" --code "$code" --name "$3"); echo EXIT=\$?; sleep 60"
}
student s1 65534 ann
student s2 65533 bob
student s3 65532 cy
for s in s1 s2 s3; do
	S=$s
	expect "following the teacher" 10
done
S=s2
bob_seat=$(screen | sed -n 's/.*Class: seat \([0-9]*\) (bob).*/\1/p')
[ -n "$bob_seat" ] && ok || bad "bob's screen names no seat"
# nothing below means anything without the class: stop here rather than wait on every screen
[ "$fail" -eq 0 ] || { finish; exit 1; }
# a seat with no screen: it answers 2 to every vote and prints every line it hears
printf '2\n2\n2\n2\n2\n2\n' >"$tmp/dan.answers"
chmod 644 "$tmp/dan.answers"
$(as 65531 "$SOCKPLAY" --join "$where" --code "$code" --name dan --answers "$tmp/dan.answers") >"$tmp/dan.out" 2>&1 &
dan=$!
S=teach
expect "4 here, 4 seats, 0 refused" 10

# --- hostile clients: each refused, nothing of theirs on the screen ---------------------------
screen | sed 's/[0-9]* refused/N refused/; s/every [0-9.]*s/every Xs/' >"$tmp/before"
# a client of the protocol, for the hostile ones: connect, and read all the teacher says until it closes
cat >"$tmp/client.py" <<'PY'
import socket
def conn(port):
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(8); return s
def reply(s):
    data = b""
    try:
        while True:
            b = s.recv(4096)
            if not b: break
            data += b
    except Exception as e:
        data += b"<" + str(e).encode() + b">"
    return data.decode(errors="replace").strip()
PY
PYTHONPATH=$tmp python3 - "$port" "$code" >"$tmp/hostile" 2>&1 <<'PY' &
import sys
from client import conn, reply
port, code = int(sys.argv[1]), sys.argv[2]
cases = [
    ("wrong code", b"HELLO 1 ZZZZZZ mallory\n"),
    ("garbage", b"GET / HTTP/1.0\r\n\r\n"),
    ("huge line", b"HELLO 1 " + b"A" * 100000 + b"\n"),
    ("escapes", b"HELLO 1 " + code.encode() + b" \x1b[31mevil\x1b]0;pwned\x07\n"),
    ("nul", b"HELLO 1 " + code.encode() + b" n\x00ul\n"),
    ("flood", b"HELLO 1 WRONG x\n" * 5000),
]
for name, data in cases:
    s = conn(port)
    try:
        s.sendall(data)
    except Exception:
        pass
    print(name, "->", reply(s)[:80])
s = conn(port)        # silence: cut off after 5 s
print("silent ->", reply(s)[:80])
PY
hostile=$!
wait $hostile
for r in "wrong code -> REFUSED wrong code" "garbage -> REFUSED not a HELLO" "huge line -> REFUSED a line too long" \
	"escapes -> REFUSED a name is printable" "nul -> REFUSED a NUL byte" "flood -> REFUSED wrong code" \
	"silent -> REFUSED no HELLO in time"; do
	grep -qF "$r" "$tmp/hostile" && ok || bad "hostile: wanted '$r': $(cat "$tmp/hostile")"
done
expect "4 here, 4 seats, 7 refused" 5
screen | sed 's/[0-9]* refused/N refused/; s/every [0-9.]*s/every Xs/' >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then ok; else bad "hostile clients changed more than the refusal count: $(diff "$tmp/before" "$tmp/after")"; fi
for w in evil pwned mallory GET AAAA; do never "$w"; done
case "$(T display -p -t teach '#{pane_title}')" in *pwn*) bad "a client's escape sequence reached the terminal";; *) ok;; esac

# --- round 1 -------------------------------------------------------------------------------------
keys ']'
expect "Step 2 of"
keys ']'
expect "Step 3 of"
keys Enter
expect "Round 1: 1 of 4 answered" 10	# dan answers at once
expect "Not yet: "
for n in ann bob cy; do
	if screen | grep "Not yet: " | grep -qw "$n"; then ok; else bad "'Not yet:' does not name $n"; fi
done
if screen | grep "Not yet: " | grep -qw dan; then bad "'Not yet:' names dan, who answered"; else ok; fi
for s in s1 s2 s3; do
	S=$s
	expect "Can the restarted server bind" 10
	expect "Round 1: press the number of your answer"
done
T send-keys -t s1 2
T send-keys -t s2 1
T send-keys -t s3 2
S=teach
expect "Round 1: 4 of 4 answered"
gone "Not yet:"
expect "1) ok"
if screen | grep -qE "1\) ok +1 #$" && screen | grep -qE "2\) EADDRINUSE +3 ###$"; then ok; else bad "the votes: 1 for ok, 3 for EADDRINUSE"; fi
keys H
gone "3 ###"
keys H
expect "3 ###"
for s in s1 s2 s3; do
	S=$s
	expect "sent. You may change it"
	# never on a student's screen before the reveal: the votes, the count, the answer
	never "###"
	never "answered"
	never "Right:"
	never "[x] $ bind srv2"
done

# --- round 2, then the reveal ------------------------------------------------------------------------
S=teach
keys V
for s in s1 s2 s3; do
	S=$s
	expect "Round 2: press the number of your answer"
done
T send-keys -t s1 2
T send-keys -t s2 2
S=s2
expect "Round 2: your answer is 2"
S=teach
expect "Round 2: 3 of 4 answered"
keys r
expect "The class: round 1, 3 of 4 right; round 2, 3 of 3 right."
expect "most common answer, EADDRINUSE, was right"
for s in s1 s2 s3; do
	S=$s
	expect "Right: you said EADDRINUSE" 10
	expect "[x] $ bind srv2"
	never "###"
done

# --- a student drops out and comes back; an impostor cannot take the seat -------------------------------
kill "$(pid_of s2)"
S=teach
expect "3 here, 4 seats" 5
out=$(timeout 10 $(as 65530 "$SOCKPLAY" --join "$where" --code "$code" --name bob --answers /dev/null) 2>&1)
st=$?
case "$st:$out" in 2:*"that name has a seat"*) ok;; *) bad "an impostor took bob's seat: $st: $out";; esac
T kill-session -t s2
student s2 65533 bob
S=s2
expect "seat $bob_seat (bob), following the teacher" 10
S=teach
expect "4 here, 4 seats" 5
# bob again, from another terminal while the first still holds the seat (a cable pulled, unnoticed): the token takes it over
student s2b 65533 bob
S=s2b
expect "seat $bob_seat (bob), following the teacher" 10
S=s2
expect "The class connection is lost" 10
S=teach
expect "4 here, 4 seats" 5

# --- a seated client that floods is cut off; the class goes on ---------------------------------------------
PYTHONPATH=$tmp python3 - "$port" "$code" >"$tmp/flood" 2>&1 <<'PY'
import sys
from client import conn, reply
s = conn(int(sys.argv[1]))
s.sendall(b"HELLO 1 " + sys.argv[2].encode() + b" flood\n" + b"ANSWER 1 1 1\n" * 200)
print(reply(s))
PY
grep -q "REFUSED too many lines" "$tmp/flood" && ok || bad "a flood was not cut off: $(cat "$tmp/flood")"
expect "4 here, 5 seats, 9 refused" 5

# --- the protocol as a seat hears it: no count, no vote of another seat ------------------------------------
keys ':' 'class save '"$tmp/class.json" Enter
expect "the class's answers are in $tmp/class.json"
keys ':' 'class save '"$tmp/class.csv" Enter
expect "the class's answers are in $tmp/class.csv"
if grep -vE '^(SEAT|WELCOME|LESSON|AT|ASK|YOURS|REVEAL|CLOSED|END)( |$)' "$tmp/dan.out"; then
	bad "a seat heard a line outside the protocol"
else
	ok
fi
grep -q "^REVEAL 1$" "$tmp/dan.out" && grep -q "^ASK 1 2$" "$tmp/dan.out" && ok || bad "dan: $(cat "$tmp/dan.out")"

# --- the teacher goes back a step and on: every seat follows, and the same prediction is voted on afresh -------
keys '['
expect "Step 2 of"
S=s1
expect "Step 2 of" 10
S=teach
keys ']'
expect "Step 3 of"
keys Enter
expect "Round 1: 1 of 4 answered" 10
S=s3
expect "Round 1: press the number of your answer" 10
never "Right:"

# --- the end: the teacher quits, the results are written; a seat's lesson is its own again ------------------------
S=teach
keys q
wait_for "(y/n)" 3 && keys y
expect "EXIT=0" 10
reap $dan
grep -q "^END$" "$tmp/dan.out" && ok || bad "the seat did not hear END"
S=s1
expect "The teacher ended the class" 10
expect "Class: ended; the lesson is yours"
keys 2	# the seat's own lesson now: the answer runs here at once
expect "Right: you said EADDRINUSE"
[ "$(grep -c . "$tmp/end.csv")" -eq 16 ] && ok || bad "the results at the end: $(cat "$tmp/end.csv")"
# --- a class on a socket path (a shared lab server): another user joins; the path goes with the class -------------
T new-session -d -s t2 -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state-t2 $SOCKPLAY --teach 1 --listen $tmp/class.sock; echo EXIT=\$?; sleep 60"
S=t2
expect "--code "
code2=$(screen | sed -n 's/.*--code \([A-Z0-9]*\).*/\1/p' | head -1)
[ "$(stat -c %a "$tmp/class.sock")" = 666 ] && ok || bad "the class's socket is not open to the lab's users"
$(as 65534 "$SOCKPLAY" --join "$tmp/class.sock" --code "$code2" --name eve --answers /dev/null) >"$tmp/eve.out" 2>&1 &
eve=$!
expect "1 here, 1 seats, 0 refused" 10
keys q
expect "EXIT=0" 10
reap $eve
grep -q "^SEAT 1 eve tcp-udp$" "$tmp/eve.out" && grep -q "^END$" "$tmp/eve.out" && ok || bad "eve: $(cat "$tmp/eve.out")"
[ ! -e "$tmp/class.sock" ] && ok || bad "the class's socket path was left behind"

python3 - "$tmp/class.csv" "$tmp/class.json" >"$tmp/py" 2>&1 <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 5 * 3, len(rows)               # a row per seat and prediction
by = {(r["student"], int(r["step"])): r for r in rows}
a = by[("ann", 3)]
assert (a["round1"], a["right1"], a["round2"], a["right2"]) == ("EADDRINUSE", "yes", "EADDRINUSE", "yes"), a
b = by[("bob", 3)]
assert (b["round1"], b["right1"], b["round2"], b["right2"]) == ("ok", "no", "EADDRINUSE", "yes"), b
c = by[("cy", 3)]
assert (c["round1"], c["right1"], c["round2"]) == ("EADDRINUSE", "yes", ""), c
assert by[("ann", 4)]["round1"] == "", by[("ann", 4)]
j = json.load(open(sys.argv[2]))
assert j["lesson"]["number"] == 3 and len(j["seats"]) == 5, j
seat = {s["student"]: s for s in j["seats"]}
p = seat["bob"]["predictions"][0]
assert p["revealed"] and p["rounds"][0] == {"answer": "ok", "right": False} and p["rounds"][1]["right"], p
PY
[ $? -eq 0 ] && ok || bad "the class's results: $(cat "$tmp/py")"
finish

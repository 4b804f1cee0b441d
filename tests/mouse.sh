#!/bin/sh
# The mouse, as a teacher at the projector uses it, sent to the pane as
# xterm SGR sequences: a click on a socket selects it, on a kernel row
# filters to its port, on a key of the key bar presses it, on a
# prediction's choice answers it; the wheel scrolls the pane under it; a
# click never acts past a question.  The keyboard tests are keys.sh.
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
: "${SOCKPLAY_LESSONS:=../data/lessons}"
. "$top_srcdir/tests/testlib.sh"
export SOCKPLAY_LESSONS
. "$top_srcdir/tests/tmuxlib.sh"

start() {	# NAME COLS ROWS ARGS
	S=$1
	T new-session -d -s "$1" -x "$2" -y "$3" \
		"env LC_ALL=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state-$1 $SOCKPLAY $4; echo EXIT=\$?; sleep 60"
}
# click COL ROW (0-based, as the screen counts): press and release of button 1
click() { T send-keys -t "$S" -l "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' $(($1 + 1)) $(($2 + 1)) $(($1 + 1)) $(($2 + 1)))"; }
wheel() { T send-keys -t "$S" -l "$(printf '\033[<%d;%d;%dM' "$3" $(($1 + 1)) $(($2 + 1)))"; }	# COL ROW 64|65
# where TEXT is on screen: "COL ROW" of its first character (first match), or nothing
find() { screen | awk -v t="$1" '{ i = index($0, t); if (i) { print i - 1, NR - 1; exit } }'; }

start m 100 30 --sandbox
expect "Welcome to sockplay"
keys t t u; expect "= s3"
# a click on s1's row selects it
set -- $(find "  s1     tcp")
click 10 "$2"
expect "> s1     tcp"
# a key of the key bar: "t tcp" makes a socket
set -- $(find "t tcp ")
if [ $# -eq 2 ]; then click "$1" "$2"; expect "socket(AF_INET, SOCK_STREAM) = s4"; else bad "no 't tcp' on the key bar"; fi
# "? more" opens help; Esc leaves it
set -- $(find "? more")
if [ $# -eq 2 ]; then click "$1" "$2"; expect "Sockets: each key runs"; keys Escape; else bad "no '? more'"; fi
# a kernel row: filters the pane to its port
keys : "bind s1 127.0.0.1:9001" Enter : "bind s2 127.0.0.1:9002" Enter : "listen s1" Enter : "listen s2" Enter
expect "listen(s2, 128) = 0"
set -- $(find "tcp  LISTEN      127.0.0.1:9002")
if [ $# -eq 2 ]; then click 5 "$2"; expect "KERNEL filter :9002"; else bad "no kernel row for 9002"; fi
never "127.0.0.1:9001               0.0.0.0"
keys : "filter" Enter
# the wheel over the log scrolls it back, and forward again
i=0; while [ $i -lt 12 ]; do keys : "udp" Enter; i=$((i + 1)); done
expect "= s16"
set -- $(find "LOG")
wheel 5 $(($2 + 2)) 64; wheel 5 $(($2 + 2)) 64
expect "LOG  (scrolled: End returns)"
wheel 5 $(($2 + 2)) 65; wheel 5 $(($2 + 2)) 65
wait_for "= s16" 3
never "(scrolled"
# the wheel over the kernel pane scrolls the kernel pane, not the log
i=3; while [ $i -le 16 ]; do keys : "bind s$i 127.0.0.1:$((9000 + i))" Enter; i=$((i + 1)); done
expect "bind(s16, 127.0.0.1:9016) = 0"
# the kernel pane's title says what is above and below it: "▲ N more" and "▼ N more"
khead() { screen | grep "^KERNEL ports touched" | grep -q "$1"; }
if poll 5 khead "▼ [0-9]* more" && ! khead "▲"; then ok; else bad "the kernel pane does not say there is more below"; fi
set -- $(find "KERNEL ports touched")
wheel 5 $(($2 + 2)) 65; wheel 5 $(($2 + 2)) 65
if poll 5 khead "▲ [0-9]* "; then ok; else bad "the wheel over the kernel pane did not scroll it"; fi
never "(scrolled"
wheel 5 $(($2 + 2)) 64; wheel 5 $(($2 + 2)) 64
if poll 5 eval '! khead "▲"'; then ok; else bad "the wheel back over the kernel pane did not scroll it back"; fi
# a click while a question is up does not go past it
set -- $(find "t tcp ")
keys q; expect "(y/n)"
click "$1" "$2"; sleep 0.3
expect "(y/n)"
never "= s17"
keys n

# a prediction: the class answers with a click on a choice
start les 100 32 "--lesson 1"
expect "Step 1 of"
i=0
while [ $i -lt 12 ] && ! screen | grep -q "1-9 answer"; do
	if screen | grep -q "Step done"; then keys ']'; else keys '}'; fi
	sleep 0.3; i=$((i + 1))
done
expect "1-9 answer"
# anything but a choice is refused until the class has answered
set -- $(find "> dns")
if [ $# -eq 2 ]; then click 10 "$2"; expect "answer the prediction first"; else bad "no row for dns"; fi
set -- $(find "2) EADDRINUSE")
if [ $# -eq 2 ]; then
	click "$1" "$2"
	expect "bind dns 0.0.0.0:8888 => ok"
	expect "EADDRINUSE"
	never "1-9 answer"
else
	bad "no clickable choice '2) EADDRINUSE'"
fi
# the lesson menu: a click on a lesson opens it
start menu 100 30 --sandbox
expect "Press L for the lessons"
keys L; expect "Lessons: Enter or a click opens one"
set -- $(find " 2  Two servers on one port")
if [ $# -eq 2 ]; then
	click "$1" "$2"
	expect "Step 1 of 3: The same IP and port twice"
	never "Lessons: Enter or a click opens one"
else
	bad "no row for lesson 2 in the menu"
fi
finish

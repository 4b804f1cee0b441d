#!/bin/sh
# End-to-end: the playground screen as a person sees it.  sockplay runs in a
# detached tmux session of a fixed size; we send keys, capture the pane and
# poll until it shows what we wait for (never a bare sleep).
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
. "$top_srcdir/tests/testlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"

# start NAME COLS ROWS [ENV...]: sockplay in a fresh session; after it exits
# the pane shows EXIT=<status>.
start() {
	S=$1
	T new-session -d -s "$1" -x "$2" -y "$3" \
		"env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state $4 $SOCKPLAY --sandbox; echo EXIT=\$?; sleep 60"
}

start main 80 24 ""
expect "Welcome to sockplay"
expect "? help"
expect "No sockets yet"
expect "sockplay [sandbox]"
# the port range gauge and the knobs, from the sandbox's own sysctls
keys : "sysctl net.ipv4.ip_local_port_range 40000 40009" Enter
expect "ephemeral ports 40000-40009: 0 in use, 0 TIME_WAIT  tw_reuse 2"

# a listener with keys only: t, b + port, l
keys t; expect "socket(AF_INET, SOCK_STREAM) = s1"
keys b; expect ":bind s1 127.0.0.1:"
keys 8000 Enter; expect "bind(s1, 127.0.0.1:8000) = 0"
keys l; expect "listen(s1, 128) = 0"
expect "LISTEN      127.0.0.1:8000"
# a second socket on the same address: the kernel refuses, and says why
keys t b; keys 8000 Enter
expect "bind(s2, 127.0.0.1:8000) = -1 EADDRINUSE"
expect "why: s1 is LISTEN on"
# a client connects: the live event shows without asking
keys : "connect s2 127.0.0.1:8000" Enter
expect "connect(s2, 127.0.0.1:8000) = 0"
expect "event: a connection is waiting on s1"
expect "ephemeral ports 40000-40009: 1 in use, 0 TIME_WAIT"
# typed and keyed lines leave the same trace
keys k a; expect "accept(s1) = s3"
expect "ESTABLISHED"
# the server closes first; the client closes; TIME_WAIT counts down as "was s3"
keys x; expect "close(s3) = 0"
keys : "close s2" Enter; expect "close(s2) = 0"
expect "TIME_WAIT   127.0.0.1:8000"
expect "was s3"
expect "s left"
# the server closed first: the client's port is free again, 8000 holds TIME_WAIT
expect "ephemeral ports 40000-40009: 0 in use, 0 TIME_WAIT"

# the kernel pane's filter takes the words of net
keys / "TIME_WAIT" Enter
expect "KERNEL filter TIME_WAIT, by kernel order: 1 row"
keys / "LISTEN :9" Enter
expect "KERNEL filter LISTEN :9, by kernel order: 0 rows"
keys / "BOGUS" Enter
expect "filter: unknown filter 'BOGUS'"
keys : "filter" Enter
expect "KERNEL ports touched"

# tab completion and history
keys : "bi" Tab "s"; expect ":bind s"
keys Escape; expect "? help"

# the help screen lists every key and command
keys '?'; expect "Sockets: each key runs the command it shows"
keys Escape; expect "? help"

# resize: too small shows a message, not garbage; back again, panes return
T resize-window -t main -x 50 -y 10; expect "Terminal too small: 50x10"
T resize-window -t main -x 120 -y 30; expect "KERNEL ports touched"
expect "OPTIONS"

# quitting asks while sockets are open; n keeps going, y quits
keys q; expect "1 socket open: quit and close it? (y/n)"
keys n; gone "(y/n)"
# the program goes on: a key after n still works, and the next question counts its socket
keys t; expect "2 sockets open"
keys q; expect "2 sockets open: quit and close them? (y/n)"
keys y; expect "EXIT=0"
if [ -s "$tmp/state/sockplay/history" ] && grep -q "^connect s2 127.0.0.1:8000$" "$tmp/state/sockplay/history"; then ok; else bad "history not kept"; fi

# help is made from the binding table: every key --list-keys names is in it
# (a screen tall enough to hold all of help at once)
start helpall 120 150 ""
expect "Welcome to sockplay"
keys '?'
expect "Commands of the screen"
helptext=$(T capture-pane -t helpall -p)
n=0
for k in $("$SOCKPLAY" --list-keys | cut -f1); do
	n=$((n + 1))
	if printf '%s\n' "$helptext" | grep -qE -- "^   $(printf '%s' "$k" | sed 's/[][\\.*^$?+(){}|/]/\\&/g') "; then ok; else
		bad "help does not list the key '$k'"; fi
done
if [ $n -ge 40 ]; then ok; else bad "--list-keys gave only $n keys"; fi

# SIGTERM and SIGHUP restore the terminal and exit
for sig in TERM HUP; do
	start "sig$sig" 80 24 ""
	expect "Welcome to sockplay"
	pid=$(T list-panes -t "sig$sig" -F '#{pane_pid}')
	# the program is the pane's child: found by its parent, never by a pattern
	kill -"$sig" "$(pgrep -P "$pid" -x sockplay)"
	case $sig in TERM) want=143;; HUP) want=129;; esac
	expect "EXIT=$want"
done

# monochrome: NO_COLOR leaves no colour escapes on the screen
start mono 80 24 "NO_COLOR=1"
expect "Welcome to sockplay"
if T capture-pane -t mono -p -e | grep -q "$(printf '\033')\[[0-9;]*3[0-7]m"; then
	bad "NO_COLOR still painted colours"
else
	ok
fi
start colour 80 24 ""
expect "Welcome to sockplay"
if T capture-pane -t colour -p -e | grep -q "$(printf '\033')\[[0-9;]*3[0-9]m"; then ok; else bad "no colour on a colour terminal"; fi

# lesson 3, start to end, with only the keys the screen shows: Enter runs
# and goes on to the next step, a digit answers a prediction (we always
# pick 2: the pane says whether it was right)
S=lesson
T new-session -d -s lesson -x 80 -y 24 \
	"env LANG=C.UTF-8 XDG_STATE_HOME=$tmp/state $SOCKPLAY --lesson 3; echo EXIT=\$?; sleep 60"
expect "Step 1 of 6: A server with a client"
done_lesson=0 verdicts=0
i=0
while [ $i -lt 120 ]; do
	screen=$(T capture-pane -t lesson -p)
	case $screen in
	*"Lesson done: Enter for the next lesson"*) done_lesson=1; break ;;
	*"1-9 answer"*)
		keys 2
		if wait_for "the kernel said" 3; then verdicts=$((verdicts + 1)); fi ;;
	*) keys Enter ;;
	esac
	sleep 0.15
	i=$((i + 1))
done
if [ $done_lesson -eq 1 ]; then ok; else bad "lesson 3 never finished with the keys shown"; fi
# Enter alone walks the lesson: a key a command or a step (a prediction's key runs its
# command): commands + steps - 1 keys, a few more if a key came while the screen was behind
l3="$SOCKPLAY_LESSONS/en/03-restart.lesson"
want=$(( $(grep -c '^\$ ' "$l3") + $(grep -c '^step:' "$l3") - 1 ))
if [ $i -ge $want ] && [ $i -le $((want + 3)) ]; then ok; else bad "lesson 3 took $i keys (want $want)"; fi
expect "[x] \$ bind p2 127.0.0.1:8890 => ok"
# each of the lesson's three predictions was judged on screen
if [ $verdicts -eq 3 ]; then ok; else bad "$verdicts of 3 predictions judged"; fi
# a finished lesson says how the class did and offers the next one
expect "predictions right. Enter opens the next: 4"
keys q; expect "(y/n)"; keys y; expect "EXIT=0"
if grep -q "^en/restart 6$" "$tmp/state/sockplay/progress"; then ok; else bad "progress not kept: $(cat "$tmp/state/sockplay/progress")"; fi
# a lesson left half way resumes where it was
S=lesson2
T new-session -d -s lesson2 -x 100 -y 60 \
	"env LANG=C.UTF-8 XDG_STATE_HOME=$tmp/state $SOCKPLAY --lesson 5; echo EXIT=\$?; sleep 60"
expect "Step 1 of"
# L opens the lesson menu: every lesson with how far it got, per language; Esc closes it
keys L; expect "Lessons: Enter or a click opens one"
if screen | grep -qE "^ +.  3  Restarting a server: TIME_WAIT and SO_REUSEADDR +done *$"; then ok; else bad "lesson 3 not done in the menu"; fi
if screen | grep -qE "^ +.  5  SO_REUSEPORT: several listeners on one address +step 1 of 4 *$"; then ok; else bad "lesson 5's step not in the menu"; fi
if screen | grep -qE "^ +.  4  SO_REUSEADDR, 0.0.0.0 and a specific address *$"; then ok; else bad "lesson 4 not untouched in the menu"; fi
keys Escape; gone "Lessons: Enter or a click opens one"
keys ']'; expect "Step 2 of"
keys q y; expect "EXIT=0"
if grep -q "^en/reuseport 1$" "$tmp/state/sockplay/progress"; then ok; else bad "progress of lesson 5: $(cat "$tmp/state/sockplay/progress")"; fi
T kill-session -t lesson2
T new-session -d -s lesson2 -x 80 -y 24 \
	"env LANG=C.UTF-8 XDG_STATE_HOME=$tmp/state $SOCKPLAY --lesson 5; echo EXIT=\$?; sleep 60"
expect "Step 2 of"
expect "Resuming at step 2"

# the Chinese lesson, wide characters aligned, on a wide screen beside the panes
S=zh
T new-session -d -s zh -x 150 -y 30 \
	"env LANG=C.UTF-8 XDG_STATE_HOME=$tmp/state-zh $SOCKPLAY --lesson 1 --lang zh_CN; echo EXIT=\$?; sleep 60"
expect "第 1 步，共 4 步: 端口 8888 上的 TCP 服务器"
expect "回车：运行下一条"
keys Enter; expect "socket(AF_INET, SOCK_STREAM) = web"
# Space runs the next command, one only (never the rest of the step)
keys Space; expect "bind(web, 0.0.0.0:8888) = 0"
sleep 0.3; never "listen(web"
# its progress is the Chinese lesson's, whatever the environment's language (C here)
keys ']'; expect "第 2 步，共 4 步"
keys q; expect "(y/n)"; keys y; expect "EXIT=0"
if grep -qx "zh_CN/tcp-udp 1" "$tmp/state-zh/sockplay/progress" && ! grep -q "^en/" "$tmp/state-zh/sockplay/progress"
then ok; else bad "the Chinese lesson's progress: $(cat "$tmp/state-zh/sockplay/progress")"; fi

# a terminal the screen cannot draw on: one clear line, exit 2 (never garbage)
for t in dumb nosuchterm; do
	S="term$t"
	T new-session -d -s "$S" -x 80 -y 24 "env TERM=$t $SOCKPLAY --sandbox; echo EXIT=\$?; sleep 60"
	expect "EXIT=2"
	case $t in dumb) expect "cannot place the cursor" ;; *) expect "unknown terminal type 'nosuchterm'" ;; esac
done

# F10 quits as in htop and mc: it asks the same question as q
start f10 80 24 ""
expect "Welcome to sockplay"
keys t; expect "= s1"
keys F10; expect "1 socket open: quit and close it? (y/n)"
keys y; expect "EXIT=0"

# the key bar shows the keys of the mode on top: the prompt's, a question's (help has its own title)
start bar 80 24 ""
expect "Welcome to sockplay"
keys :
expect "Enter run Esc leave Tab complete"
never "t tcp"
keys Escape; expect "t tcp"
keys t; keys q; expect "y yes n no"
keys n; expect "t tcp"
keys q y

# a refused line is told once, in the log, in one form (error: VERB: ...)
start err 80 24 ""
expect "Welcome to sockplay"
keys : "bind s9 127.0.0.1:80" Enter
expect "error: bind: no socket named 's9'"
sleep 0.3
n=$(screen | grep -c "no socket named 's9'")
if [ "$n" -eq 1 ]; then ok; else bad "the error is shown $n times"; fi
keys : "frobnicate" Enter
expect "error: unknown command 'frobnicate'"
sleep 0.3
n=$(screen | grep -c "frobnicate")
# the echoed line and the error: nothing else
if [ "$n" -eq 2 ]; then ok; else bad "'frobnicate' is on screen $n times"; fi
keys q

# nothing cut without a sign: at 80 columns an IPv4-mapped IPv6 address keeps its port; at 60
# the sockets pane keeps its KERNEL column whole; help wraps at a blank, never inside a word
S=cut80
T new-session -d -s cut80 -x 80 -y 24 \
	"env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state $SOCKPLAY --sandbox; echo EXIT=\$?; sleep 60"
expect "Welcome to sockplay"
keys : "tcp a -6" Enter : "bind a [::]:8888" Enter : "listen a" Enter : "tcp b" Enter : "connect b 127.0.0.1:8888" Enter
expect "connect(b, 127.0.0.1:8888) = 0"
expect "127.0.0.1]:8888 "
# both addresses of the row end in ]:PORT
if screen | grep "^tcp6 ESTABLISHED" | grep -q "\]:8888 .*\]:[0-9][0-9]* "; then ok; else
	bad "an IPv6 kernel row lost a port at 80 columns"; fi
T resize-window -t cut80 -x 60 -y 14 2>/dev/null
sleep 0.4
if screen | grep -q "^> b .*ESTABLISHED"; then ok; else bad "60 columns: the KERNEL column is cut"; fi
keys '?'
expect "Help:"
if screen | grep -q "connect (prompt: a listener of the session,$"; then ok; else bad "help does not wrap at a blank"; fi
keys Escape q y

# the screen in the class's language: zh_CN.UTF-8 gives Chinese chrome, aligned by columns
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	S=zhui
	T new-session -d -s zhui -x 100 -y 24 \
		"env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state $SOCKPLAY --sandbox; echo EXIT=\$?; sleep 60"
	expect "欢迎使用 sockplay"
	keys t
	expect "已创建"
	expect "? 帮助 q 退出 L 课程 : 命令"
	expect "日志"
	never "Welcome to sockplay"
	never "No sockets yet"
	# the header's columns sit over the rows' (wide characters count two)
	h=$(screen | grep "名称" | head -1) r=$(screen | grep "^> s1 " | head -1)
	hx=$(printf '%s' "$h" | sed 's/本地.*//' | wc -L) rx=$(printf '%s' "$r" | sed 's/ -  .*//' | wc -L)
	if [ "$hx" -gt 0 ] && [ "$hx" -eq "$((rx + 1))" ]; then ok; else bad "the Chinese header is not over its column ($hx, $rx)"; fi
	keys q y
# --lang zh_CN in any UTF-8 locale: every word the screen shows is Chinese but what
# stays the same in every language: the language's commands and their words (as the
# lesson writes them), C, kernel and tcpdump names (upper case, or with an _), key
# names, program names; checked on the lesson with the most on screen, and on help
S=zhall
T new-session -d -s zhall -x 160 -y 45 \
	"env LC_ALL=C.UTF-8 XDG_STATE_HOME=$tmp/state-zhall $SOCKPLAY --lesson 11 --lang zh_CN; echo EXIT=\$?; sleep 60"
expect "第 1 步"
keys W '}' 1 '}' Enter '}' Enter '}'; expect "第 3 步"
keys : "net" Enter; expect "net() ="
screen >"$tmp/zh-screen"
keys '?'; expect "帮助"
screen >>"$tmp/zh-screen"
keys Escape
allowed=$( (sed -n 's/^\$ //p' "$SOCKPLAY_LESSONS/zh_CN/11-wire.lesson"; printf 'help\n' | "$SOCKPLAY" --batch - 2>/dev/null
	"$SOCKPLAY" --list-keys | cut -f2) |
	grep -oE '[a-z][a-z0-9]*' | sort -u | tr '\n' '|')
english=$(grep -oE '[A-Za-z][A-Za-z0-9_]+' "$tmp/zh-screen" | grep -vxE "(${allowed}[A-Z0-9_]+|[a-z0-9]+_[a-z0-9_]+|tcp6?|udp6?|icmp|seq|ack|len|sockplay|proc|sock_diag|Linux|IPv[46]|timestamps|Enter|Esc|Tab|Space|Ctrl|Up|Down|PgUp|PgDn|Shift|F[0-9]+|tcpdump|Wireshark|hello|on|off|ok)" |
	sort -u | tr '\n' ' ')
if [ -z "$english" ]; then ok; else bad "English on the Chinese screen: $english"; fi
elif [ -n "${SOCKPLAY_NO_SKIP:-}" ]; then
	bad "no zh_CN.UTF-8 locale, and SOCKPLAY_NO_SKIP says this machine must check the Chinese screen"
else
	echo "note: no zh_CN.UTF-8 locale here (./bootstrap makes it): the Chinese screen is not checked"
fi

# themes: the projector theme has nothing dim and no yellow text, and a blank row between
# panes; the default has no yellow text either (it vanishes on a white terminal); F2 switches
sgr() { T capture-pane -e -t "$S" -p | grep -cP "$1"; }
dim='\e\[(?:\d+;)*2(?:;\d+)*m' yellow='\e\[(?:\d+;)*(?:33|93)(?:;\d+)*m'
S=proj
T new-session -d -s proj -x 100 -y 32 \
	"env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=$tmp/state $SOCKPLAY --sandbox --theme projector; echo EXIT=\$?; sleep 60"
expect "Welcome to sockplay"
keys t b 8888 Enter l t : "bind s2 127.0.0.1:8888" Enter
expect "why: s1 is LISTEN on 127.0.0.1:8888"
sleep 0.3
if [ "$(sgr "$dim")" -eq 0 ] && [ "$(sgr "$yellow")" -eq 0 ]; then ok; else
	bad "projector theme: dim or yellow on screen"; T capture-pane -e -t "$S" -p | grep -P "$dim|$yellow" | head -3 | cat -v; fi
if screen | awk '/^> s2 / { getline; exit !($0 ~ /^ *$/) }'; then ok; else bad "projector theme: no gap below the sockets pane"; fi
keys F2; expect "theme: default"
sleep 0.3
if [ "$(sgr "$yellow")" -eq 0 ]; then ok; else bad "default theme: yellow text"; fi
if screen | awk '/^> s2 / { getline; exit !($0 ~ /^KERNEL/) }'; then ok; else bad "default theme: a gap"; fi
keys q y
out=$("$SOCKPLAY" --theme loud 2>&1); st=$?
if [ $st -eq 2 ] && echo "$out" | grep -q "bad --theme 'loud'"; then ok; else bad "--theme loud: exit $st: $out"; fi

# a pipe is not a terminal: a clear one-line error, exit 2
out=$("$SOCKPLAY" </dev/null 2>&1); st=$?
if [ $st -eq 2 ] && echo "$out" | grep -q "needs a terminal"; then ok; else bad "no-tty: exit $st: $out"; fi

finish

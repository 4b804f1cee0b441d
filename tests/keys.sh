#!/bin/sh
# End-to-end: every key of the playground, pressed as a person would, and
# what it must do on screen; the TIME_WAIT countdown moves; a signal or a
# vanished terminal ends the program in every mode, terminal restored and
# transcript complete.  sockplay runs in tmux; we poll the pane.
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
. "$top_srcdir/tests/testlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"

start() {	# NAME COLS ROWS: sockplay in a fresh session, in $tmp/NAME
	S=$1
	mkdir -p "$tmp/$1"
	T new-session -d -s "$1" -x "$2" -y "$3" -c "$tmp/$1" \
		"env LC_ALL=C.UTF-8 XDG_STATE_HOME=$tmp/$1/state $SOCKPLAY --sandbox; echo EXIT=\$?; sleep 60"
}

start k 100 40
expect "Welcome to sockplay"
# T u U: sockets of each kind; a new socket is the selected one
keys T; expect "socket(AF_INET6, SOCK_STREAM) = s1"
keys u; expect "socket(AF_INET, SOCK_DGRAM) = s2"
keys U; expect "socket(AF_INET6, SOCK_DGRAM) = s3"
# r p 6 0 toggle each its own option on the selected socket (s3), and back
keys r; expect "setsockopt(s3, SO_REUSEADDR, on) = 0"
keys p; expect "setsockopt(s3, SO_REUSEPORT, on) = 0"
keys 6; expect "setsockopt(s3, IPV6_V6ONLY, on) = 0"
keys 0; expect "setsockopt(s3, SO_LINGER, {on, 0s}) = 0"
keys r; expect "setsockopt(s3, SO_REUSEADDR, off) = 0"
never "setsockopt(s3, SO_REUSEPORT, off)"
# a server and a client with keys: t b l, then t c s
keys t; expect "socket(AF_INET, SOCK_STREAM) = s4"
# a port typed over the guessed address keeps its host, shown where it goes: a line the language takes
keys b; expect ":bind s4 127.0.0.1:"; keys 9000; expect ":bind s4 127.0.0.1:9000"
keys Enter; expect "bind(s4, 127.0.0.1:9000) = 0"
keys l; expect "listen(s4, 128) = 0"
keys t; expect "socket(AF_INET, SOCK_STREAM) = s5"
# c guesses the session's listener, selected; a port typed alone keeps the guessed host
keys c; expect ":connect s5 127.0.0.1:9000"; keys 9000 Enter; expect "connect(s5, 127.0.0.1:9000) = 0"
keys s; expect ":send s5"; keys hello Enter; expect 'send(s5, "hello", 5) = 5'
# k selects the listener above; a accepts; v reads; w shuts down the writing side
keys k a; expect "accept(s4) = s6"
keys v; expect 'recv(s6) = 5 "hello"'
keys w; expect "shutdown(s6, SHUT_WR) = 0"
# j moves down again: x on the selection closes s6, not another
keys k j x; expect "close(s6) = 0"
# n prints the kernel table into the log
keys n; expect "LISTEN       127.0.0.1:9000"
# the kernel pane: A O P S change what it shows
keys A; expect "kernel pane: every socket of this machine"; expect "KERNEL all sockets"
keys A; expect "KERNEL ports touched"
keys O; expect ", own only"
keys O P; expect "KERNEL ports touched, tcp"
keys P; expect "KERNEL ports touched, udp"
keys P S; expect "kernel pane sorted by port"
# E opens the export prompt; Enter writes the program here
keys E; expect ":export c sockplay-session.c"; keys Enter
expect "calls written"
if grep -q "int main(void)" "$tmp/k/sockplay-session.c" 2>/dev/null; then ok; else bad "E wrote no program"; fi

# the TIME_WAIT countdown moves: two readings a second and more apart
keys : "close s5" Enter; expect "close(s5) = 0"
expect "s left"
left() { T capture-pane -t k -p | grep -o '[0-9][0-9.]*s left' | head -1 | tr -d 's left'; }
a=$(left); sleep 1.6; b=$(left)
if [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { exit !(a - b >= 1.0 && a - b < 3) }'; then ok; else
	bad "countdown did not move: $a then $b"; fi
# and it ticks between the kernel reads (once a second when nothing changes), not only at them:
# sampled every 0.1 s for 1.5 s, it shows several values, each below the one before
: >"$tmp/ticks"
i=0; while [ $i -lt 15 ]; do left >>"$tmp/ticks"; sleep 0.1; i=$((i + 1)); done
n=$(uniq "$tmp/ticks" | wc -l); echo "countdown, every 0.1 s: $(tr "\n" " " <"$tmp/ticks")"
if [ "$n" -ge 5 ] && uniq "$tmp/ticks" | awk 'NR > 1 && $1 >= prev { exit 1 } { prev = $1 }'; then ok; else
	bad "the countdown moves only at the kernel reads: $(uniq "$tmp/ticks" | tr '\n' ' ')"; fi

# J and K scroll the kernel pane: with more rows than it shows, the first row changes
i=0; while [ $i -lt 16 ]; do keys : "udp" Enter : "bind s$((i + 7)) 127.0.0.1:$((9100 + i))" Enter; i=$((i + 1)); done
expect "bind(s22, 127.0.0.1:9115) = 0"
# more sockets than the panes hold: each says how many it does not show
expect "▼ "
expect " more"
keys S S S S; expect "kernel pane sorted by port"
# the first address in the kernel pane (below its KERNEL title), not the sockets pane's
first() { T capture-pane -t k -p | sed -n '/^KERNEL /,/^LOG/p' | grep -o '127\.0\.0\.1:91[0-9][0-9]' | head -1; }
f1=$(first); keys J J J; sleep 0.3; f2=$(first); keys K K K; sleep 0.3; f3=$(first)
if [ -n "$f1" ] && [ "$f1" != "$f2" ] && [ "$f1" = "$f3" ]; then ok; else bad "J/K: $f1 -> $f2 -> $f3"; fi

# PgUp scrolls the log back, End returns; Ctrl-L redraws
keys PPage; sleep 0.2; never "bind(s22, 127.0.0.1:9115) = 0"
expect "LOG  (scrolled: End returns)"
keys End; expect "bind(s22, 127.0.0.1:9115) = 0"
keys C-l; expect "KERNEL"
# F1 and ? open help; / opens the filter prompt
keys F1; expect "Sockets: each key runs the command it shows"; keys Escape
keys /; expect ":filter"; keys Escape
# q asks; any key but y keeps going; y quits
keys q; expect "open: quit and close them? (y/n)"
keys n; sleep 0.2; never "(y/n)"
# Ctrl-C asks the same, from the prompt and from help too; a second Ctrl-C quits
keys C-c; expect "open: quit and close them? (y/n)"
keys n; sleep 0.2; never "(y/n)"
keys : "bind s1"; expect ":bind s1"; keys C-c; expect "open: quit and close them? (y/n)"
keys n; sleep 0.2; never "(y/n)"; never ":bind s1"
keys '?'; expect "Sockets: each key"; keys C-c; expect "open: quit and close them? (y/n)"
keys n; sleep 0.2; never "(y/n)"
keys C-c C-c; expect "EXIT=0"

# the guesses of b c s, in a session of their own: Enter takes one as it is; a whole
# address typed replaces it (never 127.0.0.1:127.0.0.1:...); an IPv6 socket is offered
# [::1]; an unconnected UDP socket's s is sendto the UDP server of the session
start guess 100 40
expect "Welcome to sockplay"
keys t; expect "= s1"; keys b 9000 Enter l; expect "listen(s1, 128) = 0"
keys t; expect "= s2"; keys c; expect ":connect s2 127.0.0.1:9000"; keys Enter
expect "connect(s2, 127.0.0.1:9000) = 0"
keys t; expect "= s3"; keys c "127.0.0.1:9000" Enter; expect "connect(s3, 127.0.0.1:9000) = 0"
never "127.0.0.1:127.0.0.1"
keys T; expect "socket(AF_INET6, SOCK_STREAM) = s4"; keys b; expect ":bind s4 [::1]:"; keys 9001 Enter
expect "bind(s4, [::1]:9001) = 0"
keys u; expect "= s5"; keys b 9300 Enter; expect "bind(s5, 127.0.0.1:9300) = 0"
keys u; expect "= s6"; keys s; expect ":sendto s6 127.0.0.1:9300"; keys hi Enter
expect 'sendto(s6, "hi", 2, 127.0.0.1:9300) = 2'
T kill-session -t guess

# a signal ends the program in every mode: terminal restored, transcript complete
for mode in idle prompt help confirm; do
	for sig in HUP TERM INT; do
		start "m$mode$sig" 80 24
		wait_for "Welcome to sockplay"
		keys t; wait_for "= s1"
		case $mode in
		prompt) keys : "bind s1"; wait_for ":bind s1" ;;
		help) keys '?'; wait_for "Sockets: each key" ;;
		confirm) keys q; wait_for "(y/n)" ;;
		esac
		kill -"$sig" "$(pid_of "$S")"
		case $sig in HUP) want=129 ;; TERM) want=143 ;; INT) want=130 ;; esac
		if wait_for "EXIT=$want" 2; then ok; else bad "$mode: SIG$sig did not end it"; fi
		if [ "$(T display -p -t "$S" '#{alternate_on}')" = 0 ]; then ok; else bad "$mode: terminal not restored"; fi
		f=$(ls "$tmp/$S/state/sockplay/transcripts/"*.spl 2>/dev/null | head -1)
		if [ -n "$f" ] && grep -q "^tcp => ok" "$f" && tail -1 "$f" | grep -q "^# sockplay ended by SIG$sig"; then ok; else
			bad "$mode: SIG$sig: transcript incomplete or no final line"; cat "$f" 2>/dev/null; fi
		T kill-session -t "$S"
	done
done
# the terminal goes away in every mode: the program does not live on
for mode in idle prompt help; do
	start "g$mode" 80 24
	wait_for "Welcome to sockplay"
	case $mode in
	prompt) keys : "bind"; wait_for ":bind" ;;
	help) keys '?'; wait_for "Sockets: each key" ;;
	esac
	pid=$(pid_of "$S")
	T kill-session -t "$S"
	i=0; while [ $i -lt 40 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
	if kill -0 "$pid" 2>/dev/null; then bad "$mode: terminal gone, sockplay $pid lives on"; kill -9 "$pid"; else ok; fi
done

# input no key has never acts: an SGR mouse report where the terminal's
# description announces none (its "0" once toggled linger 0), stray escape
# sequences, a paste outside the prompt; a paste into the prompt is text
S=esc
mkdir -p "$tmp/esc"
T new-session -d -s esc -x 100 -y 30 -c "$tmp/esc" \
	"env LC_ALL=C.UTF-8 TERM=tmux-256color XDG_STATE_HOME=$tmp/esc/state $SOCKPLAY --sandbox; echo EXIT=\$?; sleep 60"
expect "Welcome to sockplay"
keys t; expect "socket(AF_INET, SOCK_STREAM) = s1"
raw() { T send-keys -t esc -l "$1"; }
raw "$(printf '\033[<0;40;20M\033[<0;40;20m')"; sleep 0.3
raw "$(printf '\033[<64;40;20M')"; sleep 0.2
raw "$(printf '\033[99;99X\033Oz\033x')"; sleep 0.2
raw "$(printf '\033[200~t0rx\033[201~')"; sleep 0.3
expect "ignored"
never "setsockopt"
never "= s2"
never "close(s1)"
# the prompt takes a paste as text: its line does not run until Enter, a newline in it does not submit
keys :
raw "$(printf '\033[200~tcp pasted\nx\033[201~')"; sleep 0.3
never "= pasted"
expect ":tcp pasted x"
keys BSpace BSpace Enter; expect "socket(AF_INET, SOCK_STREAM) = pasted"
# a key that acts nowhere is named as the keyboard names it
keys F5; expect "key 'F5' does nothing here"
keys Tab; expect "key 'Tab' does nothing here"
keys q y; expect "EXIT=0"
finish

#!/bin/sh
# bench_idle: the screen's idle CPU, whole process, measured from
# /proc/PID/stat over IDLE seconds, in tmux: with the capture open (a
# socket made, nothing on the wire) against the same with --no-wire, and
# the screen on the host's own table (no sandbox).  A report (make bench):
# exits 1 when the capture adds more than 0.5% of a core, or when the
# screen on the host's table takes 0.5% or more.
set -u
: "${SOCKPLAY:=../src/sockplay}"
IDLE=${IDLE:-10}	# a tick of CPU accounting is 10 ms: 0.1% of a core over 10 s
BENCH=bench_idle
. "$(dirname "$0")/benchlib.sh"

# cpu [--host] ARGS: seconds of CPU the idle screen used over $IDLE seconds
cpu() {
	where=--sandbox key=t
	[ "$1" = --host ] && { where= key=A; shift; }	# the host's table: every socket shown
	tmux -S "$sock" new-session -d -s b -x 100 -y 30 "env TERM=xterm-256color XDG_STATE_HOME=$tmp/st $SOCKPLAY $where $*"
	sleep 1
	tmux -S "$sock" send-keys -t b $key	# a socket: the capture opens with it
	sleep 1
	screen_cpu b "$IDLE"
	tmux -S "$sock" kill-session -t b
}
with=$(cpu "")
without=$(cpu --no-wire)
host=$(cpu --host)
rows=$(cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null | grep -vc "local_address")
echo "idle screen, $IDLE s, one socket, whole process:"
echo "$with $without $IDLE" | awk '{ printf "  with the capture %.0f ms CPU (%.2f%% of a core), without %.0f ms (%.2f%%)\n", $1 * 1000, $1 / $3 * 100, $2 * 1000, $2 / $3 * 100 }'
echo "$host $IDLE $rows" | awk '{ printf "  on the host'"'"'s table (%d rows, every socket shown): %.0f ms CPU (%.2f%% of a core)\n", $3, $1 * 1000, $1 / $2 * 100 }'
st=0
if echo "$with $without $IDLE" | awk '{ exit !(($1 - $2) / $3 > 0.005) }'; then
	echo "  target missed: the capture adds more than 0.5% of a core to an idle screen"
	st=1
fi
if echo "$host $IDLE" | awk '{ exit !($1 / $2 >= 0.005) }'; then
	echo "  target missed: the idle screen on the host's table takes 0.5% of a core or more"
	st=1
fi
exit $st

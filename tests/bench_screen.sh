#!/bin/sh
# bench_screen: the screen's CPU on a big table, whole process, in tmux:
# run by bench_procnet inside its namespace at 200,000 entries.  The
# kernel pane shows every socket (A), sorted by port (S); after the
# refresh interval has settled, the CPU the process used over SECS seconds
# is read from /proc/PID/stat.  Target: <= 10% of a core.  It also checks
# what a person sees: the pane says "all sockets" and "by port".
set -u
: "${SOCKPLAY:?}"
SECS=${SECS:-10}
BENCH=bench_screen
. "$(dirname "$0")/benchlib.sh"
rows=$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | wc -l)

tmux -S "$sock" new-session -d -s b -x 120 -y 40 "env TERM=xterm-256color XDG_STATE_HOME=$tmp/st $SOCKPLAY"
sleep 2
tmux -S "$sock" send-keys -t b A
sleep 1
tmux -S "$sock" send-keys -t b S
sleep 5	# the interval settles: twelve times what a refresh costs
used=$(screen_cpu b "$SECS")
screen=$(tmux -S "$sock" capture-pane -p -t b)
tmux -S "$sock" kill-session -t b
pct=$(echo "$used $SECS" | awk '{ printf "%.2f", $1 / $2 * 100 }')
echo "screen at about $rows entries, all sockets sorted by port: $pct% of a core over $SECS s"
st=0
case $screen in
*"all sockets"*"by port"*) ;;
*) echo "  target missed: the kernel pane does not say \"all sockets ... by port\":"; echo "$screen" | head -5; st=1 ;;
esac
if echo "$pct" | awk '{ exit !($1 > 10) }'; then
	echo "  target missed: the screen takes $pct% of a core (target <= 10%)"
	st=1
fi
exit $st

# benchlib.sh: what the screen benchmarks share (bench_idle.sh,
# bench_screen.sh).  Source it with $BENCH set to the script's name: it
# stops the script (a report, exit 0) when tmux is missing, runs a private
# tmux server in a temporary directory (both removed on exit), and gives
# screen_cpu: the seconds of CPU a sockplay in a tmux session used.
command -v tmux >/dev/null 2>&1 || { echo "$BENCH: tmux not installed: skipped"; exit 0; }
tmp=$(mktemp -d) || exit 1
sock="$tmp/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
hz=$(getconf CLK_TCK)

# screen_cpu SESSION SECONDS: the CPU (s) the session's sockplay used over SECONDS, from /proc/PID/stat
screen_cpu() {
	pid=$(pgrep -P "$(tmux -S "$sock" list-panes -t "$1" -F '#{pane_pid}')" -x sockplay ||
		tmux -S "$sock" list-panes -t "$1" -F '#{pane_pid}')
	a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	sleep "$2"
	b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	echo "$a $b $hz" | awk '{ printf "%.3f\n", ($2 - $1) / $3 }'
}

#!/bin/sh
# bench_class: a class of SEATS (60) seats with no screen (sockplay --join
# --answers, over loopback) joins a teacher's screen in tmux and answers two
# rounds of ten predictions.  Reported: how long each answer took from its
# arrival at the teacher to the screen that shows it (the teacher's trace,
# SOCKPLAY_CLASS_TRACE: median and worst, against the 100 ms target and as
# a ratio of the screen's own redraw pace, measured in the same run), and
# the teacher's CPU while the whole class sits idle (target: under 1% of a
# core).  A report (make bench): exits 1 when a target is missed.
set -u
: "${SOCKPLAY:=../src/sockplay}"
SEATS=${SEATS:-60}
IDLE=${IDLE:-10}
BENCH=bench_class
. "$(dirname "$0")/benchlib.sh"
T() { tmux -S "$sock" "$@"; }
shows() { T capture-pane -t teach -p | grep -qF -- "$1"; }
# until SECONDS TEXT: wait for TEXT on the teacher's screen (1 when it never came)
until_shows() {
	n=0
	while ! shows "$2"; do
		n=$((n + 1))
		[ $n -gt $(($1 * 50)) ] && { echo "$BENCH: the teacher's screen never showed '$2'"; return 1; }
		sleep 0.02
	done
}

# ten predictions, one a step, each a bind that the kernel refuses or lets pass
{
	echo "title: bench: ten predictions"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo "step: prediction $i"
		echo "\$ tcp s$i"
		echo "predict: Does s$i bind 127.0.0.1:$((9000 + i))? | ok | EADDRINUSE"
		echo "\$ bind s$i 127.0.0.1:$((9000 + i)) => ok"
		echo
	done
} >"$tmp/bench.lesson"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 48017)
T new-session -d -s teach -x 120 -y 50 "env TERM=xterm-256color XDG_STATE_HOME=$tmp/st SOCKPLAY_CLASS_TRACE=$tmp/trace $SOCKPLAY --teach $tmp/bench.lesson --listen 127.0.0.1:$port"
until_shows 10 "--code " || exit 1
code=$(T capture-pane -t teach -p | sed -n 's/.*--code \([A-Z0-9]*\).*/\1/p' | head -1)
i=0
while [ $i -lt "$SEATS" ]; do
	i=$((i + 1))
	printf '%s\n' 1 2 2 1 1 2 2 1 1 2 2 1 1 2 2 1 1 2 2 1 >"$tmp/a$i"
	XDG_STATE_HOME=$tmp/seat$i "$SOCKPLAY" --join "127.0.0.1:$port" --code "$code" --name "seat$i" \
		--answers "$tmp/a$i" >/dev/null 2>&1 &
done
until_shows 20 "$SEATS here, $SEATS seats, 0 refused" || exit 1

idle=$(screen_cpu teach "$IDLE")
q=0
while [ $q -lt 10 ]; do
	q=$((q + 1))
	T send-keys -t teach Enter
	until_shows 20 "Round 1: $SEATS of $SEATS answered" || exit 1
	if [ $q -eq 1 ]; then
		# the baseline: a key through tmux to the screen and back to us (H hides the votes, H shows them)
		t0=$(date +%s.%N)
		T send-keys -t teach H
		until_shows 5 "H: show the votes" || exit 1
		T send-keys -t teach H
		until_shows 5 "H: hide the votes" || exit 1
		t1=$(date +%s.%N)
	fi
	T send-keys -t teach V
	until_shows 20 "Round 2: $SEATS of $SEATS answered" || exit 1
	T send-keys -t teach r
	until_shows 20 "The class: round 1" || exit 1
	T send-keys -t teach Enter	# the step's end: the next step
	[ $q -lt 10 ] && { until_shows 20 "Step $((q + 1)) of 10" || exit 1; }
done
n=$(wc -l <"$tmp/trace")
sort -g "$tmp/trace" >"$tmp/sorted"
median=$(awk -v n="$n" 'NR == int((n + 1) / 2) { print $1 }' "$tmp/sorted")
worst=$(tail -1 "$tmp/sorted")
key=$(echo "$t0 $t1" | awk '{ printf "%.6f", ($2 - $1) / 2 }')
echo "class of $SEATS seats, two rounds of ten predictions: $n answers on the teacher's screen"
echo "$median $worst $key" | awk '{ printf "  arrival to screen: median %.1f ms, worst %.1f ms (target 100 ms); a key through tmux to the screen, the baseline: %.1f ms (median %.2fx, worst %.2fx of it)\n", $1 * 1000, $2 * 1000, $3 * 1000, $1 / $3, $2 / $3 }'
echo "$idle $IDLE" | awk '{ printf "  the teacher idle with the class joined, %d s: %.0f ms CPU (%.2f%% of a core; target under 1%%)\n", $2, $1 * 1000, $1 / $2 * 100 }'
st=0
[ "$n" -eq $((SEATS * 20)) ] || { echo "  target missed: $((SEATS * 20)) answers expected"; st=1; }
echo "$worst" | awk '{ exit !($1 >= 0.1) }' && { echo "  target missed: an answer took 100 ms or more to show"; st=1; }
echo "$idle $IDLE" | awk '{ exit !($1 / $2 >= 0.01) }' && { echo "  target missed: the idle teacher used 1% of a core or more"; st=1; }
T kill-session -t teach
wait
exit $st

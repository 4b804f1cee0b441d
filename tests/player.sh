#!/bin/sh
# The lesson player as a class sees it, in tmux: every lesson, both
# languages, run start to end with only the keys the screen shows; at
# every prediction the pending command shows no expectation until the
# class has answered, and shows it after; skipping forward runs what was
# skipped and going back rebuilds the table; R asks first; at 60x14,
# 80x24 and 160x45 a lesson still runs to its end.
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
: "${SOCKPLAY_LESSONS:=../data/lessons}"
. "$top_srcdir/tests/testlib.sh"
export SOCKPLAY_LESSONS
. "$top_srcdir/tests/tmuxlib.sh"

start() {	# NAME COLS ROWS ARGS...
	S=$1 cols=$2 rows=$3
	shift 3
	T new-session -d -s "$S" -x "$cols" -y "$rows" \
		"env LC_ALL=C.UTF-8 XDG_STATE_HOME=$tmp/state-$S $SOCKPLAY $*; echo EXIT=\$?; sleep 60"
}

# play LANG [quick]: run the open lesson to its end with the keys the screen
# shows; check every prediction (quick: not what shows after the answer, a
# small screen may have scrolled it away); sets $predictions
play() {
	lang=$1 quick=${2:-} predictions=0 n=0
	# a prediction waits: the key bar offers only the answers (every size, in the lesson's language)
	if [ "$lang" = zh_CN ]; then stepdone="本步完成" done_="课程结束" ask="1-9 回答"; else
		stepdone="Step done" done_="Lesson done" ask="1-9 answer"; fi
	while [ $n -lt 200 ]; do
		n=$((n + 1))
		s=$(screen)
		case $s in
		*"$done_"*)
			# a teacher runs any lesson in well under a minute of key presses
			if [ $n -le 40 ]; then ok; else bad "$lang: $n key presses to the end"; fi
			return 0 ;;
		*"$ask"*)
			# the pending command: wherever the lesson pane is (above the panes, or beside them)
			pending=$(printf '%s\n' "$s" | grep -oE ' > +\$ .*' | head -1 | sed -E 's/ {3,}.*//')
			if [ -z "$pending" ]; then bad "$lang: a prediction with no pending command"
			elif printf '%s' "$pending" | grep -q '=>'; then bad "$lang: the answer shows before the class answered: $pending"
			else ok; fi
			cmd=$(printf '%s' "$pending" | sed -E 's/^ *> +\$ //; s/ +$//')
			keys 1
			# after the answer the command is run and shows its expectation, ticked or marked
			if [ -n "$quick" ]; then :; elif wait_for "$cmd =>" 5; then ok; else
				bad "$lang: no expectation after the answer: $cmd"; fi
			predictions=$((predictions + 1)) ;;
		*"$stepdone"*) keys ']' ;;
		*) keys '}' ;;
		esac
		# wait for the screen to change before looking again
		i=0; while [ $i -lt 60 ] && [ "$(screen)" = "$s" ]; do sleep 0.05; i=$((i + 1)); done
	done
	bad "$lang: the lesson never ended"
	return 1
}

# every lesson, both languages, at 80x24
for lang in en zh_CN; do
	for f in "$SOCKPLAY_LESSONS"/en/*.lesson; do
		b=$(basename "$f" .lesson)
		num=${b%%-*}
		want=$(grep -c '^predict:' "$f")
		start "l$lang$num" 100 30 --lesson "$num" --lang "$lang"
		wait_for "1" 5
		if play "$lang"; then ok; fi
		if [ "$predictions" -eq "$want" ]; then ok; else bad "$lang $b: $predictions of $want predictions met"; fi
		if screen | grep -q '^ \[!\]'; then bad "$lang $b: a command did not do what the lesson says"; else ok; fi
		T kill-session -t "$S"
	done
done

# lesson 3: skipping forward runs the skipped steps; the kernel agrees with the ticks
start skip 100 30 --lesson 3
expect "Step 1 of 6"
keys ']'; expect "Step 2 of 6"
keys ']'; expect "Step 3 of 6"
expect "the commands skipped were run first"
keys Enter; expect "Predict first"
keys 1; expect "[x] \$ bind srv2 127.0.0.1:8888 => EADDRINUSE"
expect "Not quite: you said ok, the kernel said EADDRINUSE"
expect "was conn"
# while a prediction waits, other keys do nothing but say so
keys R; expect "Restart the lesson from step 1? Its sockets are closed. (y/n)"
keys n; sleep 0.2
if screen | grep -q "Step 3 of 6"; then ok; else bad "n to the restart question restarted"; fi
# back to step 1: a fresh table; its first command runs again without complaint
keys '[' ; expect "Step 2 of 6"
keys '['; expect "Step 1 of 6"
keys Enter; expect "socket(AF_INET, SOCK_STREAM) = srv"
if screen | grep -q "already open"; then bad "going back left the old sockets"; else ok; fi
keys q y; expect "EXIT=0"

# a prediction is modal: x, 0 and Enter do nothing but say so
start modal 100 30 --lesson 3
expect "Step 1 of 6"
keys ']' ']' Enter; expect "Predict first"
keys x; expect "answer the prediction first"
keys 0 Enter; sleep 0.2
if screen | grep -q "setsockopt\|close("; then bad "a key acted during a prediction"; else ok; fi
keys q y; expect "EXIT=0"

# the lesson runs to its end on a small, a usual and a projector screen
for size in 60x14 80x24 160x45; do
	start "size$size" "${size%x*}" "${size#*x}" --lesson 2
	wait_for "Step 1" 5
	if play en quick; then ok; fi
	T kill-session -t "$S"
done

# a teacher's own lesson opens by path
mkdir -p "$tmp/mine"
printf 'title: Mine\nstep: one\nA line of prose.\n$ tcp a => ok\n' >"$tmp/mine/my.lesson"
start path 80 24 --lesson "$tmp/mine/my.lesson"
expect "Step 1 of 1: one"
keys Enter; expect "socket(AF_INET, SOCK_STREAM) = a"
# and from inside, another one opens by number; a name never seen says so
keys : "lesson open 2" Enter; expect "Step 1 of 3: The same IP and port twice"
keys : "lesson open nosuch" Enter; expect "no such lesson: :lesson list shows them"
finish

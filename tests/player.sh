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

# choose FILE QUESTION-PREFIX RIGHT: the answer to the prediction whose
# question starts so, read from the lesson file: "NUMBER|SAID|GOT", the
# right choice (RIGHT=1) or another one; SAID and GOT as the screen words them
choose() {
	awk -v q="$2" -v right="$3" '
	index($0, "predict:") == 1 {
		n = split(substr($0, 9), part, "|")
		question = part[1]; gsub(/^ +| +$/, "", question)
		want = index(question, q) == 1
		for (i = 2; i <= n; i++) {
			c = part[i]; gsub(/^ +| +$/, "", c); shown[i - 1] = c; value[i - 1] = c
			k = index(c, "=>")
			if (k) { lab = substr(c, 1, k - 1); gsub(/ +$/, "", lab); shown[i - 1] = lab
				v = substr(c, k + 2); gsub(/^ +/, "", v); value[i - 1] = v }
		}
		nch = n - 1
		next
	}
	want && /^\$ .* => / {
		e = $0; sub(/.* => /, "", e); gsub(/ +$/, "", e)
		for (i = 1; i <= nch; i++) if (value[i] == e) {
			p = right ? i : i % nch + 1
			print p "|" shown[p] "|" shown[i]; exit
		}
	}' "$1"
}

# play LANG FILE MODE: run the open lesson to its end with the keys the
# screen shows, answering every prediction (MODE right, wrong, or quick:
# always 1 and no verdict read, for a small screen that may scroll it
# away); every verdict and the final score are checked; sets $predictions
play() {
	lang=$1 file=$2 mode=$3 predictions=0 n=0 stuck=0
	# a prediction waits: the key bar offers only the answers (every size, in the lesson's language)
	if [ "$lang" = zh_CN ]; then stepdone="本步完成" done_="课程结束" ask="1-9 回答"; else
		stepdone="Step done" done_="Lesson done" ask="1-9 answer"; fi
	while [ $n -lt 200 ]; do
		n=$((n + 1))
		s=$(screen)
		case $s in
		*"$done_"*)
			# a teacher runs any lesson in well under a minute of key presses
			if [ $n -le 45 ]; then ok; else bad "$lang: $n key presses to the end"; fi
			score "$lang" "$mode"
			return 0 ;;
		*"$ask"*) answer "$lang" "$file" "$mode" "$s" ;;
		*"$stepdone"*) keys ']' ;;
		*) keys '}' ;;
		esac
		# wait for the screen to change before looking again; a screen that will not change fails fast
		if poll 2 changed "$s"; then stuck=0; else stuck=$((stuck + 1)); fi
		if [ $stuck -ge 3 ]; then bad "$lang: the screen stopped changing"; return 1; fi
	done
	bad "$lang: the lesson never ended"
	return 1
}
changed() { [ "$(screen)" != "$1" ]; }

# answer LANG FILE MODE SCREEN: one prediction, its pending commands shown without expectations
answer() {
	a_pending=$(printf '%s\n' "$4" | grep -oE '( >|   ) +\$ .*' | sed -E 's/ {3,}.*//')
	if [ -z "$a_pending" ]; then bad "$1: a prediction with no pending command"
	elif printf '%s' "$a_pending" | grep -q '=>'; then bad "$1: the answer shows before the class answered: $a_pending"
	else ok; fi
	predictions=$((predictions + 1))
	if [ "$3" = quick ]; then keys 1; return; fi
	a_q=$(printf '%s\n' "$4" | grep -oE '^ *\? .*' | head -1 | sed -E 's/^ *\? //' | cut -c1-24)
	a_pick=$(choose "$2" "$a_q" "$([ "$3" = right ] && echo 1 || echo 0)")
	a_num=${a_pick%%|*} a_rest=${a_pick#*|}
	a_said=${a_rest%%|*} a_got=${a_rest#*|}
	if [ -z "$a_num" ]; then bad "$1: no choice found for '$a_q' in $2"; keys 1; return; fi
	keys "$a_num"
	if [ "$1" = zh_CN ]; then
		if [ "$3" = right ]; then a_v="答对了：你选 $a_said，内核给出 $a_got。"; else a_v="不对：你选 $a_said，内核给出 $a_got。"; fi
	elif [ "$3" = right ]; then a_v="Right: you said $a_said, the kernel said $a_got."
	else a_v="Not quite: you said $a_said, the kernel said $a_got."; fi
	# the verdict wraps in the pane: its first words, which fit one row
	a_v=$(printf '%s' "$a_v" | cut -c1-60)
	if wait_for "$a_v" 5; then ok; else bad "$1: the verdict '$a_v' never showed"; fi
}

# score LANG MODE: the end's count of right answers
score() {
	[ "$2" = quick ] && return
	s_r=$predictions; [ "$2" = wrong ] && s_r=0
	if [ "$1" = zh_CN ]; then s_line="$predictions 个预测中答对 $s_r 个"; else s_line="$s_r of $predictions predictions right"; fi
	if wait_for "$s_line" 3; then ok; else bad "$1: the score '$s_line' never showed"; fi
}

# every lesson, both languages, every prediction answered right and then
# wrong: four walks side by side (each a subshell: its checks are counted in
# it, and it exits with its failures, its messages in a file of its own)
walk() {	# LANG MODE
	for f in "$SOCKPLAY_LESSONS"/en/*.lesson; do
		b=$(basename "$f" .lesson)
		num=${b%%-*}
		want=$(grep -c '^predict:' "$f")
		start "l$1$num$2" 100 30 --lesson "$num" --lang "$1"
		if [ "$1" = zh_CN ]; then first="第 1 步，共"; else first="Step 1 of"; fi
		if wait_for "$first" 5; then ok; else bad "$1 $b: the lesson did not open on its first step"; fi
		if play "$1" "$SOCKPLAY_LESSONS/$1/$b.lesson" "$2"; then ok; fi
		if [ "$predictions" -eq "$want" ]; then ok; else bad "$1 $b $2: $predictions of $want predictions met"; fi
		if screen | grep -q '^ \[!\]'; then bad "$1 $b: a command did not do what the lesson says"; else ok; fi
		T kill-session -t "$S"
	done
	exit "$fail"
}
walks=""
for lang in en zh_CN; do
	for mode in right wrong; do
		(fail=0; walk "$lang" "$mode") >"$tmp/walk-$lang-$mode" 2>&1 &
		walks="$walks $!:$lang-$mode"
	done
done
for w in $walks; do
	if wait "${w%%:*}"; then ok; else bad "the ${w#*:} walk:"; cat "$tmp/walk-${w#*:}"; fi
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
before=$(screen | grep -c "setsockopt\|close(")
keys x; expect "answer the prediction first"
keys 0 Enter; sleep 0.2
if [ "$(screen | grep -c "setsockopt\|close(")" -gt "$before" ]; then bad "a key acted during a prediction"; else ok; fi
keys q y; expect "EXIT=0"

# the lesson runs to its end on a small, a usual and a projector screen
for size in 60x14 80x24 160x45; do
	start "size$size" "${size%x*}" "${size#*x}" --lesson 2
	wait_for "Step 1" 5
	if play en "$SOCKPLAY_LESSONS/en/02-same-address.lesson" quick; then ok; fi
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
# the lesson menu opens a lesson in at most three keys: L and its number, or L Enter for the next one not done
start menu 100 30 --sandbox
expect "Press L for the lessons"
keys L; expect "Lessons: Enter or a click opens one"
keys 3; expect "Step 1 of 6: A server with a client"
never "Lessons: Enter or a click opens one"
keys L 1 1; expect "Step 1 of 6: connect() is three packets"
keys L 1; expect "> "; sleep 0.2
if on_screen "Lessons: Enter or a click opens one"; then ok; else bad "L 1 did not wait for a second digit (10, 11)"; fi
keys Enter; expect "Step 1 of 4: A TCP server on port 8888"
keys L Escape; gone "Lessons: Enter or a click opens one"
# the menu opens on the first lesson not done: lesson 1 done, L Enter opens lesson 2
ended="Lesson done: Enter for the next lesson"	# the lesson pane's own end line, never the log's
keys : "lesson open 1" Enter; expect "Step 1 of 4"
i=0; while [ $i -lt 40 ] && ! on_screen "$ended"; do
	if on_screen "1-9 answer"; then keys 1; else keys Enter; fi; sleep 0.15; i=$((i + 1)); done
expect "$ended"
keys L Enter; expect "Step 1 of 3: The same IP and port twice"
# at a lesson's end, Enter opens the next one
keys : "lesson open 10" Enter; expect "Step 1 of 3"
i=0; while [ $i -lt 40 ] && ! on_screen "$ended"; do
	if on_screen "1-9 answer"; then keys 1; else keys Enter; fi; sleep 0.15; i=$((i + 1)); done
expect "Enter opens the next: 11"
keys Enter; expect "Step 1 of 6: connect() is three packets"
finish

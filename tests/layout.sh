#!/bin/sh
# The lesson layout, row by row, as a class sees it: every step of every
# lesson, in both languages, at 60x14, 80x24, 120x35 and 160x45.  At the
# end of each step: the step's header and its last line ("Step done") are
# on screen, the log has its header and two rows at the least, the status
# row is whole or ends with the cut mark, and no pane's text is cut without
# a mark.  The eight combinations run side by side.  Then the screen under
# LANG=C: the ladder and the marks in ASCII, never "???".
set -u
: "${top_srcdir:=..}"
: "${SOCKPLAY:=../src/sockplay}"
: "${SOCKPLAY_LESSONS:=../data/lessons}"
. "$top_srcdir/tests/testlib.sh"
export SOCKPLAY_LESSONS
. "$top_srcdir/tests/tmuxlib.sh"

# check SCREENFILE LANG WHAT: the assertions on one step's end; prints failures
check() {
	c_f=$1 c_lang=$2 c_what=$3
	if [ "$c_lang" = zh_CN ]; then head_re='第 [0-9]+ 步，共 [0-9]+ 步' end_re='本步完成|课程结束' log='日志'
	else head_re='Step [0-9]+ of [0-9]+' end_re='Step done|Lesson done' log='LOG'; fi
	grep -qE "$head_re" "$c_f" || echo "FAIL: $c_what: no step header"
	grep -qE "$end_re" "$c_f" || echo "FAIL: $c_what: the step's end is not on screen"
	c_rows=$(wc -l <"$c_f")
	c_logrow=$(grep -nE "^$log( |$)" "$c_f" | head -1 | cut -d: -f1)
	if [ -z "$c_logrow" ]; then echo "FAIL: $c_what: no log"
	elif [ $((c_rows - c_logrow)) -lt 4 ]; then echo "FAIL: $c_what: the log has $((c_rows - c_logrow - 2)) rows"; fi
	sed -n 2p "$c_f" | grep -qE '(max_tw [0-9]+|…) *$' || echo "FAIL: $c_what: the status row is cut without a mark: $(sed -n 2p "$c_f")"
	! grep -q '???' "$c_f" || echo "FAIL: $c_what: '???' on screen"
}

# walk SIZE LANG: every lesson at that size and language; failures to $tmp/out-SIZE-LANG
walk() {
	size=$1 lang=$2 out="$tmp/out-$1-$2"
	cols=${size%x*} rows=${size#*x}
	: >"$out"
	for f in "$SOCKPLAY_LESSONS"/en/*.lesson; do
		b=$(basename "$f" .lesson) num=${b%%-*}
		s="w$size$lang$num"
		T new-session -d -s "$s" -x "$cols" -y "$rows" \
			"env LC_ALL=C.UTF-8 XDG_STATE_HOME=$tmp/st-$s $SOCKPLAY --lesson $num --lang $lang; sleep 60"
		steps=0 n=0 last=""
		while [ $n -lt 150 ]; do
			n=$((n + 1))
			scr=$(T capture-pane -t "$s" -p 2>/dev/null)
			case $scr in
			*"Lesson done"*|*"课程结束"*)
				printf '%s\n' "$scr" >"$tmp/scr-$s"
				check "$tmp/scr-$s" "$lang" "$size $lang $b end" >>"$out"
				steps=$((steps + 1))
				break ;;
			*"Step done"*|*"本步完成"*)
				# once a step: the header says which (a slow screen may show it twice)
				at=$(printf '%s\n' "$scr" | grep -oE '(Step [0-9]+ of|第 [0-9]+ 步)' | head -1 | tr -dc 0-9)
				if [ -n "$at" ] && [ "$at" -gt "${last:-0}" ]; then
					printf '%s\n' "$scr" >"$tmp/scr-$s"
					check "$tmp/scr-$s" "$lang" "$size $lang $b step $((steps + 1))" >>"$out"
					steps=$((steps + 1)) last=$at
				fi
				T send-keys -t "$s" Enter ;;
			*"1-9 answer"*|*"1-9 回答"*) T send-keys -t "$s" 1 ;;
			*) T send-keys -t "$s" '}' ;;	# the rest of the step, up to a prediction
			esac
			# until the screen changes: a second at the most (a key's answer takes a few
			# tens of milliseconds: looked at every 40 ms, it is seen within one look or two)
			i=0
			while [ $i -lt 25 ] && { sleep 0.04; [ "$(T capture-pane -t "$s" -p 2>/dev/null)" = "$scr" ]; }; do
				i=$((i + 1))
			done
		done
		want=$(grep -c '^step:' "$f")
		[ "$steps" -eq "$want" ] || echo "FAIL: $size $lang $b: $steps of $want steps reached their end" >>"$out"
		T kill-session -t "$s" 2>/dev/null
	done
	echo done >>"$out"
}

pids=""
for size in 60x14 80x24 120x35 160x45; do
	for lang in en zh_CN; do
		walk "$size" "$lang" &
		pids="$pids $!"
	done
done
for p in $pids; do wait "$p"; done
for size in 60x14 80x24 120x35 160x45; do
	for lang in en zh_CN; do
		out="$tmp/out-$size-$lang"
		if ! grep -q '^done$' "$out"; then bad "$size $lang: the walk did not finish"; fi
		if grep -q '^FAIL' "$out"; then bad "$size $lang:"; grep '^FAIL' "$out" | head -5; else ok; fi
	done
done

# LANG=C: the ladder and the marks in ASCII
S=ascii
T new-session -d -s ascii -x 80 -y 30 \
	"env LC_ALL=C XDG_STATE_HOME=$tmp/st-ascii $SOCKPLAY --lesson 11; sleep 60"
expect "Step 1 of 6"
keys W Enter Enter Enter Enter 1
expect "SYN,ACK"
if screen | grep -qE -- '-+>|<-+'; then ok; else bad "no ASCII arrow in the ladder under LANG=C"; fi
never "???"
never "─"
finish

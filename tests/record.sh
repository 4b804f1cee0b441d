#!/bin/sh
# --record FILE: the screen as an asciicast (v2).  A lesson played with the
# keys is recorded: every line of the file is JSON, times never go back,
# the header has the size, a marker stands at each step and at the
# prediction, a resize is an "r" event; `asciinema play` replays it (the
# lesson's second step is seen on the replaying screen); a signal to the
# recorder ends the program as it would end it, transcript complete.  And
# the refusals: with --batch, over an existing file, without a terminal.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (asciinema, which ./bootstrap installs, brings it)"

cast="$tmp/r.cast"
sp_start rec 100 30 --record "$cast" --sandbox --lesson 1
expect "Step 1 of 4"
n=0
while [ $n -lt 20 ] && ! on_screen "1-9 answer"; do keys Enter; sleep 0.2; n=$((n + 1)); done
expect "1-9 answer"
keys 1; expect "Right: you said ok"
T resize-window -t rec -x 90 -y 28; sleep 0.5
keys q; expect "(y/n)"; keys y; expect "EXIT=0"

# the file: JSON line by line, the header, times in order, the markers and the resize
python3 - "$cast" >"$tmp/py" 2>&1 <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
h = json.loads(lines[0])
assert h["version"] == 2 and h["width"] == 100 and h["height"] == 30, h
t, kinds = 0.0, {}
for l in lines[1:]:
    e = json.loads(l)
    assert len(e) == 3 and isinstance(e[0], float) and e[0] >= t and e[1] in ("o", "m", "r"), l
    t = e[0]
    kinds.setdefault(e[1], []).append(e[2])
out = "".join(kinds["o"])
for m in kinds["m"]:
    print("marker:", m)
for r in kinds.get("r", []):
    print("resize:", r)
print("output has the welcome:", "Welcome to sockplay" in out)
PY
if [ $? -eq 0 ]; then ok; else bad "the recording is not asciicast v2:"; cat "$tmp/py"; fi
for want in "marker: Step 1 of 4: A TCP server on port 8888" "marker: Step 2 of 4: A UDP socket on the same port" \
	    "marker: Prediction: Can the UDP socket bind 0.0.0.0:8888 too?" "resize: 90x28" "output has the welcome: True"; do
	if grep -qxF "$want" "$tmp/py"; then ok; else bad "the recording lacks '$want'"; cat "$tmp/py"; fi
done
if [ "$(grep -c '^marker: Prediction' "$tmp/py")" -eq 1 ]; then ok; else bad "the prediction is marked more than once"; fi
if [ "$(stat -c %a "$cast")" = 600 ]; then ok; else bad "the recording is mode $(stat -c %a "$cast"), not 0600"; fi

# it plays back: asciinema shows the lesson's second step on its own screen
if command -v asciinema >/dev/null 2>&1; then
	S=play
	T new-session -d -s play -x 100 -y 30 "asciinema play -i 0.3 $cast; echo PLAYED; sleep 30"
	expect "Step 2 of 4: A UDP socket on the same port" 15
	expect "PLAYED" 20
else
	bad "asciinema is not installed (./bootstrap installs it)"
fi

# a signal to the recorder ends the program as the signal would: its transcript says so
sp_start sig 80 24 --record "$tmp/s.cast" --sandbox -t "$tmp/s.spl"
expect "Welcome to sockplay"
keys t; expect "= s1"
kill -TERM "$(pid_of sig)"
expect "EXIT=143"
if grep -q "^# sockplay ended by SIGTERM" "$tmp/s.spl" && tail -1 "$tmp/s.cast" | python3 -c 'import json,sys; json.loads(sys.stdin.read())'
then ok; else bad "SIGTERM to the recorder: transcript or recording not ended"; tail -3 "$tmp/s.spl" "$tmp/s.cast"; fi

# refusals: one line, exit 2, nothing made
"$SOCKPLAY" --record "$tmp/b.cast" --batch - </dev/null >"$tmp/out" 2>&1
if [ $? -eq 2 ] && grep -q "^sockplay: --record records the screen: not with --batch" "$tmp/out" && [ ! -e "$tmp/b.cast" ]; then ok
else bad "--record with --batch"; cat "$tmp/out"; fi
"$SOCKPLAY" --record "$cast" </dev/null >"$tmp/out" 2>&1
if [ $? -eq 2 ] && grep -q "^sockplay: --record: the screen must be a terminal" "$tmp/out"; then ok; else bad "--record without a terminal"; cat "$tmp/out"; fi
S=exists
T new-session -d -s exists -x 80 -y 24 "$SOCKPLAY --record $cast; echo EXIT=\$?; sleep 30"
expect "File exists"
expect "EXIT=2"
finish

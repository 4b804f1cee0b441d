#!/bin/sh
# --grade: a lesson played unattended with a student's answers, judged as
# the screen judges a class, the result written as JSON, CSV or JUnit XML
# and read back by a parser (python3's json, csv and ElementTree), with the
# exit status a course system reads: 0 all right, 1 some wrong, 2 not
# graded.  Right answers and wrong ones, by number, by words, by label;
# missing, extra and meaningless answers; hostile answers (control bytes,
# a huge file, a symbolic link as the results) and a hostile lesson.
set -u
: "${SOCKPLAY:=../src/sockplay}"
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to parse the results"
"$SOCKPLAY" --sandbox --batch - </dev/null >/dev/null 2>&1 || skip "no sandbox here"

# lesson 3: three predictions; right, by words and by number
printf '# restart, all right\nEADDRINUSE\n2\nok\n' >"$tmp/right"
"$SOCKPLAY" --grade 3 --answers "$tmp/right" --student s001 --results "$tmp/r.json" 2>"$tmp/err"
st=$?
if [ $st -eq 0 ]; then ok; else bad "all right: exit $st: $(cat "$tmp/err")"; fi
python3 - "$tmp/r.json" >"$tmp/py" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["lesson"]["number"] == 3 and r["lesson"]["name"] == "restart", r["lesson"]
assert r["student"] == "s001" and r["asked"] == 3 and r["right"] == 3, r
assert [p["answer"] for p in r["predictions"]] == ["EADDRINUSE", "2", "ok"]
assert [p["kernel"] for p in r["predictions"]] == ["EADDRINUSE", "EADDRINUSE", "ok"]
assert all(p["right"] and p["answered"] for p in r["predictions"])
assert all(p["line"] > 0 and p["question"] for p in r["predictions"])
PY
if [ $? -eq 0 ]; then ok; else bad "the JSON of right answers: $(cat "$tmp/py")"; fi

# wrong ones: one wrong, one that names no choice, one missing; JUnit says which and why
printf 'ok\nmaybe\n' >"$tmp/wrong"
"$SOCKPLAY" --grade restart --answers "$tmp/wrong" --results "$tmp/r.xml" 2>"$tmp/err"
st=$?
if [ $st -eq 1 ]; then ok; else bad "wrong answers: exit $st (want 1): $(cat "$tmp/err")"; fi
python3 - "$tmp/r.xml" >"$tmp/py" 2>&1 <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
assert suite.get("name") == "sockplay.restart" and suite.get("tests") == "3" and suite.get("failures") == "3", suite.attrib
cases = suite.findall("testcase")
assert len(cases) == 3
msgs = [c.find("failure").get("message") for c in cases]
assert msgs[0] == "answered ok; the kernel did EADDRINUSE", msgs
assert msgs[1] == "'maybe' is none of the choices; the kernel did EADDRINUSE", msgs
assert msgs[2] == "no answer; the kernel did ok", msgs
assert all(c.get("name").startswith("step ") for c in cases)
PY
if [ $? -eq 0 ]; then ok; else bad "the JUnit of wrong answers: $(cat "$tmp/py")"; fi

# CSV: one row per prediction, parsed back; the right one says yes
printf 'EADDRINUSE\nok\nok\n' >"$tmp/mixed"
"$SOCKPLAY" --grade 3 --answers "$tmp/mixed" --student '=HYPERLINK("x")' --results "$tmp/r.csv" 2>"$tmp/err"
st=$?
python3 - "$tmp/r.csv" >"$tmp/py" 2>&1 <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 3, rows
assert [r["right"] for r in rows] == ["yes", "no", "yes"], rows
assert [r["answer"] for r in rows] == ["EADDRINUSE", "ok", "ok"]
assert rows[0]["lesson"] == "3 restart" and rows[0]["lang"] == "en"
# a spreadsheet never runs a student id as a formula
assert rows[0]["student"] == "'=HYPERLINK(\"x\")", rows[0]["student"]
PY
if [ $st -eq 1 ] && [ $? -eq 0 ]; then ok; else bad "the CSV (exit $st): $(cat "$tmp/py")"; fi

# by a choice's label, case aside, and in Chinese
printf 'eaddrinuse\nEADDRINUSE\nOK\n' >"$tmp/case"
if "$SOCKPLAY" --grade 3 --lang zh_CN --answers "$tmp/case" --results "$tmp/zh.json" 2>"$tmp/err"; then ok; else
	bad "answers in another case, Chinese lesson: $(cat "$tmp/err")"; fi
if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["lesson"]["lang"] == "zh_CN"; assert any(ord(ch) > 0x3000 for ch in r["predictions"][0]["question"])' "$tmp/zh.json"; then ok; else
	bad "the Chinese lesson's result"; fi

# extra answers are counted, not judged
printf 'EADDRINUSE\nEADDRINUSE\nok\nok\nok\n' >"$tmp/extra"
"$SOCKPLAY" --grade 3 --answers "$tmp/extra" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -q '"extra_answers": 2' "$tmp/out"; then ok; else bad "extra answers: $(cat "$tmp/err")"; fi

# hostile answers: control bytes never reach the result; a huge file is refused; a link is not written through
printf 'EADDRINUSE\x1b[2J\x07\nok\n\xff\xfe\n' >"$tmp/hostile"
"$SOCKPLAY" --grade 3 --answers "$tmp/hostile" --results "$tmp/h.json" 2>"$tmp/err"
st=$?
if [ $st -eq 1 ] && ! grep -q "$(printf '\033')" "$tmp/h.json" && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/h.json"; then ok; else
	bad "hostile answers (exit $st) reached the result raw"; cat -v "$tmp/h.json" | head; fi
head -c 70000 /dev/zero | tr '\0' 'x' >"$tmp/huge"
"$SOCKPLAY" --grade 3 --answers "$tmp/huge" >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -eq 2 ] && grep -q "larger than 65536 bytes" "$tmp/err" && [ ! -s "$tmp/out" ]; then ok; else bad "a huge answers file: exit $st"; fi
ln -s "$tmp/target" "$tmp/link.json"
"$SOCKPLAY" --grade 3 --answers "$tmp/right" --results "$tmp/link.json" 2>"$tmp/err"
st=$?
if [ $st -eq 2 ] && [ ! -e "$tmp/target" ] && grep -q "symbolic link" "$tmp/err"; then ok; else bad "results through a link: exit $st"; fi

# a hostile lesson: markup in its question is escaped in every format
cat >"$tmp/mark.lesson" <<'L'
title: <b>&"markup"</b>
step: one
$ tcp s
predict: <script>alert("x")</script> & "quotes", = too? | ok | EADDRINUSE
$ bind s 127.0.0.1:0 => ok
L
printf '1\n' >"$tmp/one"
for fmt in json csv xml; do
	"$SOCKPLAY" --grade "$tmp/mark.lesson" --answers "$tmp/one" --results "$tmp/m.$fmt" 2>"$tmp/err" ||
		bad "the markup lesson ($fmt): $(cat "$tmp/err")"
done
if python3 - "$tmp" >"$tmp/py" 2>&1 <<'PY'
import csv, json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
q = '<script>alert("x")</script> & "quotes", = too?'
assert json.load(open(d + "/m.json"))["predictions"][0]["question"] == q
assert list(csv.DictReader(open(d + "/m.csv", newline="")))[0]["question"] == q
case = ET.parse(d + "/m.xml").getroot().find("testsuite").find("testcase")
assert case.get("name").endswith(q), case.get("name")
PY
then ok; else bad "markup in a question: $(cat "$tmp/py")"; fi

# lesson variables: two students, two ports, the same answers right for both; a seed gives the same
for who in ana ben; do
	"$SOCKPLAY" --grade 1 --answers - --student "$who" --results "$tmp/$who.json" <<'A' 2>"$tmp/err" || bad "lesson 1 for $who: $(cat "$tmp/err")"
ok
A
done
"$SOCKPLAY" --grade 1 --answers - --seed ana --results "$tmp/again.json" <<'A' 2>"$tmp/err"
1
A
if python3 - "$tmp" >"$tmp/py" 2>&1 <<'PY'
import json, sys
d = sys.argv[1]
a, b, again = (json.load(open(d + "/" + n + ".json")) for n in ("ana", "ben", "again"))
pa, pb = a["variables"]["port"], b["variables"]["port"]
assert a["seed"] == "ana" and b["seed"] == "ben", (a["seed"], b["seed"])
assert pa != pb and 8888 <= int(pa) <= 8999 and 8888 <= int(pb) <= 8999, (pa, pb)
assert again["variables"]["port"] == pa, "the same seed, another port"
assert a["right"] == b["right"] == 1
# the question the student saw carries the student's own port
assert pa in a["predictions"][0]["question"] and pb in b["predictions"][0]["question"]
PY
then ok; else bad "lesson variables: $(cat "$tmp/py")"; fi
# --check-lessons plays a lesson with variables under more seeds, each its own verdict
"$SOCKPLAY" --check-lessons 1 --lang en >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q "^ok   en/01-tcp-udp.lesson (seed 1): " "$tmp/out" && grep -q "^ok   en/01-tcp-udp.lesson (seed 2): " "$tmp/out"; then ok; else
	bad "--check-lessons under seeds"; cat "$tmp/out"; fi
# a hostile pool: a value that would carry a command or a control byte is refused, naming the line
printf 'title: t
var: p 1 | 2;reset
step: s
$ tcp x
' >"$tmp/badvar.lesson"
"$SOCKPLAY" --check-lessons "$tmp/badvar.lesson" >"$tmp/out" 2>&1
if [ $? -ne 0 ] && grep -q "badvar.lesson:2: 'var: p': bad value '2;reset'" "$tmp/out"; then ok; else bad "a hostile pool: $(cat "$tmp/out")"; fi

# usage: --grade needs --answers; --answers alone is refused; an unknown lesson is 2
"$SOCKPLAY" --grade 3 >/dev/null 2>"$tmp/err"
if [ $? -eq 2 ] && grep -q -- "--grade needs --answers" "$tmp/err"; then ok; else bad "--grade without --answers"; fi
"$SOCKPLAY" --answers "$tmp/right" >/dev/null 2>"$tmp/err"
if [ $? -eq 2 ] && grep -q -- "go with --grade" "$tmp/err"; then ok; else bad "--answers without --grade"; fi
"$SOCKPLAY" --grade 99 --answers "$tmp/right" >/dev/null 2>"$tmp/err"
if [ $? -eq 2 ] && grep -q "no lesson '99'" "$tmp/err"; then ok; else bad "an unknown lesson"; fi
"$SOCKPLAY" --grade 3 --answers "$tmp/nonexistent" >/dev/null 2>"$tmp/err"
if [ $? -eq 2 ] && grep -q "nonexistent" "$tmp/err"; then ok; else bad "a missing answers file"; fi
finish

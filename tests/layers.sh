#!/bin/sh
# The house, as HACKING.md draws it, checked from the sources themselves:
#   - src/ holds folders by layer, util < kernel < lang < run < ui < main.c,
#     and a file includes only its own folder and the ones below it;
#   - no include cycle between modules (a module is a .c and .h of one stem;
#     X_int.h belongs to X), found with tsort;
#   - at most three files directly in src/;
#   - no function longer than 100 lines;
#   - no verb of the language compared by name outside src/lang/ (the
#     command table is the one place that knows verbs by name);
#   - every src/ path HACKING.md names exists.
set -u
: "${top_srcdir:=..}"
. "$top_srcdir/tests/testlib.sh"
cd "$top_srcdir" || exit 99

files=$(find src -name '*.[ch]' | sort)
# one pass: every #include "..." line, as "FILE INCLUDED"; then, in awk, the
# layers (util 0 < kernel 1 < lang 2 < run 3 < ui 4 < main.c 5) and the
# modules (a file's stem; X_int.h belongs to X)
grep -H '^#include "' $files | sed 's/:#include "\(.*\)".*/ \1/' | grep -v ' config.h$' >"$tmp/incs"
awk -v out="$tmp/edges" '
function layer(f) {
	if (f ~ /^src\/util\//) return 0; if (f ~ /^src\/kernel\//) return 1; if (f ~ /^src\/lang\//) return 2
	if (f ~ /^src\/run\//) return 3; if (f ~ /^src\/ui\//) return 4; if (f == "src/main.c") return 5
	return 9
}
function module(f,   m) { m = f; sub(/\.[ch]$/, "", m); sub(/_int$/, "", m); return m }
{
	f = $1; h = "src/" $2
	if (layer(f) == 9) printf " %s(not in a layer'"'"'s folder)", f
	if ((getline line < h) < 0) { printf " %s->%s(not under src/ by its folder)", f, $2; next }
	close(h)
	if (layer(h) > layer(f)) printf " %s->%s", f, $2
	if (module(f) != module(h)) print module(f), module(h) > out
}' "$tmp/incs" >"$tmp/upward"
upward=$(cat "$tmp/upward")
if [ -z "$upward" ]; then ok; else bad "includes against the layers:$upward"; fi

# modules: tsort finds a loop; folders: the graph of layers is the order above
sort -u "$tmp/edges" >"$tmp/medges"
if tsort "$tmp/medges" >/dev/null 2>"$tmp/loop"; then ok; else
	bad "an include cycle between modules:"; cat "$tmp/loop"; fi
awk '{ split($1, a, "/"); split($2, b, "/"); if (a[2] != b[2]) print a[2], b[2] }' "$tmp/medges" |
	sort -u >"$tmp/fedges"
if tsort "$tmp/fedges" >/dev/null 2>"$tmp/loop"; then ok; else
	bad "an include cycle between folders:"; cat "$tmp/loop"; fi
echo "# folders: $(tr '\n' ';' <"$tmp/fedges")"

n=$(find src -maxdepth 1 -type f -name '*.[ch]' | wc -l)
if [ "$n" -le 3 ]; then ok; else bad "$n files directly in src/ (at most 3)"; fi

# K&R: a function's body runs from a "{" to a "}" in the first column
long=$(for f in $files; do
	awk -v F="$f" '/^\{/ { start = NR; name = prev } /^\}/ && start {
		if (NR - start - 1 > 100) print F ": " name ": " NR - start - 1 " lines"; start = 0 }
		{ prev = $0 }' "$f"
done)
if [ -z "$long" ]; then ok; else bad "functions over 100 lines:"; echo "$long"; fi

# verbs by name: a string compare against a verb, outside the language
verbs=$(sed -n 's/^[[:space:]]*\.name = "\([a-z]*\)".*/\1/p' src/lang/verb_*.c | sort -u | tr '\n' '|')
verbs=${verbs%|}
if [ -n "$verbs" ]; then ok; else bad "no verb rows found in src/lang/verb_*.c"; fi
cmp=$(grep -nE "(strn?cmp|strcasecmp)\([^;]*\"($verbs)\"" $(echo "$files" | grep -v '^src/lang/') || true)
if [ -z "$cmp" ]; then ok; else bad "verbs compared by name outside src/lang/:"; echo "$cmp"; fi

# HACKING.md's walks name files that exist
if [ -f HACKING.md ]; then
	missing=""
	for p in $(grep -oE 'src/[A-Za-z0-9_/.]+\.[ch]' HACKING.md | sort -u); do
		[ -f "$p" ] || missing="$missing $p"
	done
	if [ -z "$missing" ]; then ok; else bad "HACKING.md names files that do not exist:$missing"; fi
else
	bad "no HACKING.md"
fi
finish

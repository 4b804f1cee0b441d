# meaning.awk: read a .po made single-line by msgcat --no-wrap; for each
# translated message print a line per disagreement between English and
# the translation that can be checked mechanically: the numbers, the
# arrows, the printf conversions, and a negation the translation lost.
function unq(s) { sub(/^"/, "", s); sub(/"$/, "", s); return s }
function flush(   en, tr, a, b, i, n, k, why) {
	if (id == "" || str == "" || fuzzy) { reset(); return }
	en = id; tr = str
	# numbers: the same multiset (digits runs, outside conversions like %1$zu)
	why = ""
	# "4-tuple" is one word, written 四元组
	if (index(tr, "四元组")) gsub(/4-tuple/, "tuple", en)
	na = nums(en, a); nb = nums(tr, b)
	if (na != nb) why = why " numbers [" na "] vs [" nb "]"
	if (count(en, "->") != count(tr, "->") || count(en, "<-") != count(tr, "<-") ||
	    count(en, "=>") != count(tr, "=>") || count(en, "▶") != count(tr, "▶") || count(en, "◀") != count(tr, "◀"))
		why = why " arrows"
	if (convs(en) != convs(tr)) why = why " conversions [" convs(en) "] vs [" convs(tr) "]"
	if (neg_en(en) && !neg_zh(tr)) why = why " negation lost"
	if (why != "") printf "%s:%d:%s\n  en: %s\n  zh: %s\n", FILENAME, line, why, en, tr
	reset()
}
function reset() { id = ""; str = ""; fuzzy = 0; state = "" }
function count(s, t,   n, i) { n = 0; while ((i = index(s, t)) > 0) { n++; s = substr(s, i + length(t)) } return n }
# the digit runs of S, sorted, printf conversions and %1$ positions left out
function nums(s, out,   t, n, i, j, v, k, r) {
	t = s; gsub(/%[0-9]+\$/, "%", t); gsub(/%[-+ #0]*[0-9*]*(\.[0-9*]+)?(hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcspn%]/, " ", t)
	n = 0
	while (match(t, /[0-9]+/)) { v = substr(t, RSTART, RLENGTH); n++; out[n] = v + 0; t = substr(t, RSTART + RLENGTH) }
	for (i = 2; i <= n; i++) { v = out[i]; for (j = i - 1; j >= 1 && out[j] > v; j--) out[j + 1] = out[j]; out[j + 1] = v }
	r = ""; for (i = 1; i <= n; i++) r = r (i > 1 ? " " : "") out[i]
	return r
}
# the printf conversions, in argument order (a %2$ counts as the second)
function convs(s,   t, c, r, p, n, i, arr) {
	t = s; n = 0; delete arr
	while (match(t, /%([0-9]+\$)?[-+ #0]*[0-9*]*(\.[0-9*]+)?(hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcsp]/)) {
		c = substr(t, RSTART, RLENGTH); t = substr(t, RSTART + RLENGTH)
		n++; p = n
		if (match(c, /^%[0-9]+\$/)) { p = substr(c, 2, RLENGTH - 2) + 0; sub(/^%[0-9]+\$/, "%", c) }
		arr[p] = c
	}
	r = ""; for (i = 1; i <= n; i++) r = r arr[i] " "
	return r
}
function neg_en(s,   t) {
	# identifiers (bind_address_no_port, IP_BIND_ADDRESS_NO_PORT) and the words of the language
	# (on|off) say nothing
	t = " " s " "; gsub(/[A-Za-z0-9]*_[A-Za-z0-9_]*/, " ", t); t = tolower(t); gsub(/[^a-z']/, " ", t)
	return t ~ / (not|no|never|cannot|can't|won't|isn't|doesn't|don't|didn't|aren't|wasn't|nothing|none|neither|nor|without|nobody|unknown) /
}
function neg_zh(s) { return s ~ /不|没|无|未|非|别|勿|否|缺|免|禁|拒|空|未知|零/ }
/^#,.*fuzzy/ { fuzzy = 1 }
/^msgid / { flush(); state = "id"; id = unq(substr($0, 7)); line = FNR; next }
/^msgid_plural / { state = "plural"; next }
/^msgstr / { state = "str"; str = unq(substr($0, 8)); next }
/^msgstr\[0\] / { state = "str"; str = unq(substr($0, 12)); next }
/^msgstr\[/ { state = "other"; next }
/^"/ { if (state == "id") id = id unq($0); else if (state == "str") str = str unq($0); next }
/^$/ { flush() }
END { flush() }

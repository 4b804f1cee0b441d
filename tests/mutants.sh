#!/bin/sh
# make mutants: plant, one at a time, the small bugs that once got past
# `make check`, and check that make check now fails on each.  Works on a
# copy of the source tree; the tree itself is never touched.  Prints a
# line per mutant and "N passed, N failed" (a mutant that survives fails).
# Takes a few minutes: one build and one make check per mutant.
set -u
: "${top_srcdir:=.}"
. "$top_srcdir/tests/testlib.sh"
src=$(cd "$top_srcdir" && pwd)
work="$tmp/tree"
mkdir -p "$work"
(cd "$src" && git ls-files -z | xargs -0 cp --parents -t "$work") || { bad "cannot copy the tree"; finish; exit 1; }
cd "$work" || exit 1
(autoreconf -fi && ./configure -q && make -j2) >"$tmp/build.log" 2>&1 || { bad "the copy does not build"; tail "$tmp/build.log"; finish; exit 1; }

# mutant NAME FILE SED-EXPRESSION: the bug, as the change it makes to FILE
mutant() {
	name=$1 file=$2 expr=$3
	cp "$file" "$tmp/orig"
	sed -i -e "$expr" "$file"
	if cmp -s "$file" "$tmp/orig"; then
		bad "$name: the mutant no longer applies to $file (update it)"
		return
	fi
	if ! make -j2 >"$tmp/m.log" 2>&1; then
		bad "$name: does not build"
	elif make -j2 check >"$tmp/m.log" 2>&1; then
		bad "$name: survived: make check passed with it planted"
	else
		echo "caught: $name ($(grep -h '^FAIL' "$tmp/m.log" | head -3 | tr '\n' ' '))"
		ok
	fi
	cp "$tmp/orig" "$file"
	touch "$file"
}

mutant "any errno meets => ERRNO" src/lang/cmd.c \
	's/met = !o->usage \&\& o->err == e->value;/met = !o->usage \&\& o->err != 0;/'
mutant "r and p keys swapped" src/ui/ui_keys.c \
	's/"toggle reuseaddr"/"toggle XX"/; s/"toggle reuseport"/"toggle reuseaddr"/; s/"toggle XX"/"toggle reuseport"/'
mutant "the kernel pane never refreshes on its own" src/ui/ui.c \
	'/static void refresh_cb/,/^}/s/^\tkernel_refresh(ui);$/\t(void)0;/'
mutant "export inverts a setsockopt value" src/lang/export.c \
	's/strcmp(r->argv\[3\], "on") == 0 || strcmp(r->argv\[3\], "1") == 0);/strcmp(r->argv[3], "off") == 0);/'
mutant "export listens with another backlog" src/lang/export.c \
	'/void export_listen/,/^}/s/ : 128);/ : 5);/'
mutant "the TIME_WAIT rule line gives the old socket's SO_REUSEADDR as the new one's" src/lang/explain_bind.c \
	'/a bind over TIME_WAIT passes only/,/SOPT_REUSEPORT));/s/explain_has(sk->opts, SOPT_REUSEADDR)/explain_has(h->reuseaddr, 1)/'
mutant "no SIGHUP handler" src/ui/ui.c \
	's/^\tev_signal_start(ui->loop, &ui->sighup);$//'
finish

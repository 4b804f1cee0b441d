#!/bin/sh
# The Debian package, as a lab installs it (CI runs this: it needs root and
# installs, then removes, a package on the machine; not part of make check).
#   tests/package.sh TARBALL
# From the distributed tarball and debian/: dpkg-buildpackage builds it;
# lintian reports no error and no warning; it installs; /usr/bin/sockplay,
# as nobody, told nothing, runs every lesson in both languages and speaks
# Chinese in zh_CN.UTF-8; both man pages render; dpkg --purge leaves none of
# its files behind.
set -u
: "${top_srcdir:=.}"
. "$top_srcdir/tests/testlib.sh"
tarball=${1:?usage: tests/package.sh TARBALL}
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
[ "$(id -u)" -eq 0 ] || skip "the package test installs a package: run it as root (CI does)"
src=$(cd "$top_srcdir" && pwd)
ver=$(sed -n '1s/^sockplay (\([^)-]*\)-[^)]*).*/\1/p' "$src/debian/changelog")
case "$tarball" in *"sockplay-$ver.tar.gz") ok ;; *) bad "debian/changelog says $ver, the tarball is $(basename "$tarball")" ;; esac

# -- build, from the tarball plus debian/, as a packager would
cd "$tmp" || exit 99
cp "$tarball" "sockplay_$ver.orig.tar.gz"
tar -xzf "sockplay_$ver.orig.tar.gz"
cp -r "$src/debian" "sockplay-$ver/"
if (cd "sockplay-$ver" && dpkg-buildpackage -us -uc) >build.log 2>&1; then ok; else
	bad "dpkg-buildpackage failed"; tail -30 build.log; finish; exit 1; fi
deb=$(ls sockplay_"$ver"-*_*.deb)
# -- lintian: no error, no warning (an override carries its reason in debian/)
if lintian --fail-on error,warning sockplay_"$ver"-*.changes >lintian.log 2>&1; then ok; else
	bad "lintian:"; cat lintian.log; fi
# -- what it ships
dpkg -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >contents
for f in /usr/bin/sockplay /usr/share/man/man1/sockplay.1.gz /usr/share/man/man5/sockplay-lesson.5.gz \
	 /usr/share/man/zh_CN/man1/sockplay.1.gz /usr/share/man/zh_CN/man5/sockplay-lesson.5.gz \
	 /usr/share/locale/zh_CN/LC_MESSAGES/sockplay.mo /usr/share/bash-completion/completions/sockplay \
	 /usr/share/sockplay/lessons/en/01-tcp-udp.lesson /usr/share/sockplay/lessons/zh_CN/11-wire.lesson \
	 /usr/share/sockplay/apparmor/sockplay /usr/share/doc/sockplay/copyright; do
	if grep -qx "$f" contents; then ok; else bad "the package lacks $f"; fi
done
# -- installed, with what it depends on
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >install.log 2>&1; then ok; else
	bad "the package does not install"; cat install.log; finish; exit 1; fi
dpkg -L sockplay >installed
if ldd /usr/bin/sockplay | grep -q "libncursesw\|libev"; then ok; else bad "the packaged program is not linked to the shared libncursesw and libev"; fi
# -- as nobody, told nothing: every lesson, both languages, in its own sandbox
for lang in en zh_CN; do
	(cd / && env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 \
		setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/sockplay --check-lessons --lang $lang) >"lessons.$lang" 2>&1
	st=$?
	n=$(grep -c "^ok " "lessons.$lang")
	if [ $st -eq 0 ] && [ "$n" -ge 11 ] && ! grep -q "^FAIL" "lessons.$lang"; then ok; else
		bad "/usr/bin/sockplay --check-lessons --lang $lang as nobody: exit $st, $n ok"; cat "lessons.$lang"; fi
done
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	if env -i PATH=/usr/bin:/bin LC_ALL=zh_CN.UTF-8 /usr/bin/sockplay --help 2>&1 | grep -q "^用法：sockplay"; then ok; else
		bad "the installed program does not speak Chinese in zh_CN.UTF-8"; fi
fi
# -- the man pages render, as man shows them
for page in "1 sockplay" "5 sockplay-lesson"; do
	# shellcheck disable=SC2086
	if command -v man >/dev/null 2>&1; then MANPAGER=cat MANWIDTH=80 man $page >man.out 2>man.err
	else mandoc -T utf8 "/usr/share/man/man${page% *}/${page#* }.${page% *}.gz" >man.out 2>man.err; fi
	if grep -q "^NAME" man.out && grep -q "sockplay" man.out && [ ! -s man.err ]; then ok; else
		bad "man $page does not render"; head -5 man.out man.err; fi
done
# the Chinese pages, as man -L zh_CN shows them
for page in "1 sockplay|真实内核上的套接字游乐场" "5 sockplay-lesson|sockplay 引导课程的格式"; do
	p=${page%%|*}
	# shellcheck disable=SC2086
	if command -v man >/dev/null 2>&1; then MANPAGER=cat MANWIDTH=80 man -L zh_CN $p >man.out 2>man.err
	else mandoc -T utf8 "/usr/share/man/zh_CN/man${p% *}/${p#* }.${p% *}.gz" >man.out 2>man.err; fi
	if grep -q "${page#*|}" man.out; then ok; else bad "man -L zh_CN $p is not Chinese"; head -5 man.out man.err; fi
done
# -- removed: nothing of it left
if dpkg --purge sockplay >purge.log 2>&1; then ok; else bad "dpkg --purge"; cat purge.log; fi
left=$(while read -r f; do
	[ -e "$f" ] || continue
	[ -d "$f" ] && [ -n "$(ls -A "$f" 2>/dev/null)" ] && continue	# a shared directory, still used
	case "$f" in /|/usr|/usr/bin|/usr/share|/usr/share/*/) continue ;; esac
	[ -d "$f" ] && case "$f" in /usr/share/sockplay*|/usr/share/doc/sockplay*) ;; *) continue ;; esac
	echo "$f"
done <installed)
if [ -z "$left" ]; then ok; else bad "left behind after dpkg --purge: $left"; fi
finish

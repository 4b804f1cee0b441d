#!/bin/sh
# make mutants: plant, one at a time, small bugs a developer could make and
# a user would notice, and check that the tests fail on each.  Each mutant
# names the tests that must catch it (a part of make check: when they fail,
# make check fails), so a run takes minutes, not hours.  Works on a copy of
# the source tree; the tree itself is never touched.  Prints a line per
# mutant and "N passed, N failed" (a mutant that survives fails).
#   MUTANTS=WORD make mutants    only the mutants whose name has WORD
set -u
: "${top_srcdir:=.}"
. "$top_srcdir/tests/testlib.sh"
src=$(cd "$top_srcdir" && pwd)
work="$tmp/tree"
mkdir -p "$work"
(cd "$src" && git ls-files -z | xargs -0 cp --parents -t "$work") || { bad "cannot copy the tree"; finish; exit 1; }
cd "$work" || exit 1
(autoreconf -fi && ./configure -q && make -j2 && make -j2 check TESTS=) >"$tmp/build.log" 2>&1 ||
	{ bad "the copy does not build"; tail "$tmp/build.log"; finish; exit 1; }
only=${MUTANTS:-}
killed=0

# mutant NAME FILE SED-EXPRESSION TEST...: the bug, as the change it makes to FILE, and the tests that catch it
mutant() {
	name=$1 file=$2 expr=$3
	shift 3
	case "$name" in *"$only"*) ;; *) return ;; esac
	cp "$file" "$tmp/orig"
	sed -i -e "$expr" "$file"
	if cmp -s "$file" "$tmp/orig"; then
		bad "$name: the mutant no longer applies to $file (update it)"
		return
	fi
	if ! make -j2 >"$tmp/m.log" 2>&1 || ! make -j2 check TESTS= >>"$tmp/m.log" 2>&1; then
		bad "$name: does not build"
	elif make check TESTS="$*" >"$tmp/m.log" 2>&1; then
		bad "$name: survived: $* passed with it planted"
	else
		echo "killed: $name ($(grep -h '^FAIL' "$tmp/m.log" | head -2 | tr '\n' ' '))"
		killed=$((killed + 1))
		ok
	fi
	cp "$tmp/orig" "$file"
	touch "$file"
}

# -- the language and the judge
mutant "any errno meets => ERRNO" src/lang/cmd.c \
	's/met = !o->usage \&\& o->err == e->value;/met = !o->usage \&\& o->err != 0;/' tests/check_cmd
mutant "a name one longer than the limit is taken" src/kernel/sockets.c \
	's/if (n == 0 || n >= SOCK_NAMELEN)/if (n == 0 || n > SOCK_NAMELEN)/' tests/check_cmd
mutant "a failed accept uses up the next automatic name" src/lang/verb_conn.c \
	's/^\t\ts->socks.next_auto = save;$//' tests/check_cmd
mutant "local_port_range refuses LO above HI itself" src/lang/verb_sock.c \
	's/if (lo < 0 || hi < 0) {/if (lo < 0 || hi < 0 || (lo \&\& hi \&\& lo > hi)) {/' tests/check_cmd tests/check_ports
# -- the models and the why-lines
mutant "delivery: of equals the oldest, not the newest" src/kernel/deliver.c \
	's/return (x->seq < y->seq) == x->tail ? -1 : 1;/return (x->seq < y->seq) == x->tail ? 1 : -1;/' tests/check_deliver tests/wire.sh
mutant "delivery: a wildcard as good as the exact address" src/kernel/deliver.c \
	's/return zero(a, 4) ? SLOT_ANY : memcmp/return zero(a, 4) ? SLOT_EXACT : memcmp/' tests/check_deliver tests/wire.sh
mutant "delivery: IPv4 no better than a dual-stack [::]" src/kernel/deliver.c \
	's/s->family == AF_INET ? 1 : 0;/s->family == AF_INET ? 0 : 0;/' tests/check_deliver
mutant "the wire names a group's first member, not the one seen to receive" src/kernel/wire.c \
	's/if (dl_in_pick(v, n, i, \&p) \&\& sock_rx_recheck(who\[i\]))/if (0)/' tests/wire.sh
mutant "the wire names the sender by the model, not the call's socket" src/kernel/wire.c \
	's/	    (a == NULL || !(a->peer.family \&\& a->peer.port)))/	    (a == NULL))/' tests/wire.sh
mutant "a recycled 4-tuple named after its closed socket" src/kernel/wire.c \
	's/(s->state == SOCK_CLOSED \&\& (s->tuple_reused || type == SOCK_DGRAM))/(s->state == SOCK_CLOSED \&\& type == SOCK_DGRAM)/' tests/wire.sh
mutant "close: the first closer left without TIME_WAIT" src/kernel/teardown.c \
	'0,/c.time_wait = true;/s//c.time_wait = false;/' tests/check_teardown
mutant "close: unread bytes send a FIN" src/kernel/teardown.c \
	's/if (unread > 0) {/if (unread > 100) {/' tests/check_teardown
mutant "close why-line: FIN_WAIT1 and FIN_WAIT2 swapped" src/lang/explain.c \
	's/sk->state_at_close == PN_FIN_WAIT2 ? "FIN_WAIT2" : "FIN_WAIT1"/sk->state_at_close == PN_FIN_WAIT2 ? "FIN_WAIT1" : "FIN_WAIT2"/' tests/check_explain
mutant "port range: the socket's low end taken outside the sysctl's" src/kernel/sockets.c \
	's/if (sk_lo \&\& (int)sk_lo >= \*lo \&\& (int)sk_lo <= \*hi)/if (sk_lo)/' tests/check_ports
mutant "recv's 0 after an RST called a FIN" src/kernel/sockets.c \
	's/return s->was_reset || !s->shut_wr ? EOF_RESET : EOF_FIN;/return EOF_FIN;/' tests/check_explain
mutant "a UDP disconnect said to keep a port the kernel took back" src/lang/verb_sock.c \
	's/if (sk->local.family == 0 \&\& was.family)/if (0)/' tests/check_explain
mutant "the TIME_WAIT rule line gives the old socket's SO_REUSEADDR as the new one's" src/lang/explain_bind.c \
	'/a bind over TIME_WAIT passes only/,/SOPT_REUSEPORT));/s/explain_has(sk->opts, SOPT_REUSEADDR)/explain_has(SOPT_REUSEADDR, SOPT_REUSEADDR)/' tests/check_explain
mutant "sock_diag lists a TCP socket that is only bound" src/kernel/sockdiag.c \
	's/unsigned none = 1u << PN_CLOSE | 1u << 13;/unsigned none = 0;/' tests/batch.sh
mutant "net's timer loses its tenths" src/kernel/netview.c \
	's/rb_uint(\&b, tenths % 10);/rb_uint(\&b, 0);/' tests/batch.sh
# -- the wire and its ladder
mutant "the ladder labels a FIN as RST" src/ui/ui_wire.c \
	's/{ WF_FIN, "FIN" }/{ WF_FIN, "RST" }/' tests/wirepane.sh
mutant "(by the kernel, N ms later) off by ten" src/kernel/session_wire.c \
	's/after \* 1000);/after * 100);/' tests/wirepane.sh
mutant "a saved pcap with captured and original lengths swapped" src/kernel/wire.c \
	's/put32le(rec + 8, p->caplen);/put32le(rec + 8, p->wirelen);/; s/put32le(rec + 12, p->wirelen);/put32le(rec + 12, p->caplen);/' tests/wire.sh
mutant "the states a call left drawn under the kernel's later packets" src/ui/ui_wire.c \
	's/if (!v\[i\].between \&\& (i + 1 == n || v\[i + 1\].cause != v\[i\].cause || v\[i + 1\].between) \&\&/if ((i + 1 == n || v[i + 1].cause != v[i].cause) \&\&/' tests/wirepane.sh
mutant "the capture outside the sandbox keeps every process's packets" src/kernel/wire.c \
	's/if (w->own_only \&\& !session_packet(w, w->t, \&pk))/if (0)/' tests/privacy.sh
# -- the screen
mutant "r and p keys swapped" src/ui/ui_keys.c \
	's/"toggle reuseaddr"/"toggle XX"/; s/"toggle reuseport"/"toggle reuseaddr"/; s/"toggle XX"/"toggle reuseport"/' tests/keys.sh
mutant "the wheel over the kernel pane scrolls the log" src/ui/ui_mouse.c \
	's/{ P_KERNEL, "kernel" }/{ P_KERNEL, "log" }/' tests/mouse.sh
mutant "the kernel pane never refreshes on its own" src/ui/ui.c \
	'/static void refresh_cb/,/^}/s/^\t\tkernel_refresh(ui);$/\t\t(void)0;/' tests/refresh.sh
mutant "no SIGHUP handler" src/ui/ui.c \
	's/^\tev_signal_start(ui->loop, \&ui->sighup);$//' tests/hardening.sh
# -- the lesson player
mutant "a step ticked [x] though its command did not do what the lesson says" src/run/stepper.c \
	's/bool held = r->status == CMD_RAN \&\& r->met;/bool held = r->status == CMD_RAN;/' tests/check_stepper tests/player.sh
mutant "judge: the lesson's expectation read as the class's answer" src/run/stepper.c \
	's/cmd_expect_met(\&e, \&r->o, unused, sizeof unused);/cmd_expect_met(\&r->cl.expect, \&r->o, unused, sizeof unused);/' tests/check_stepper tests/player.sh
mutant "judge: the score counts the wrong answers" src/run/stepper.c \
	's/st->right += right;/st->right += !right;/' tests/check_stepper tests/player.sh
mutant "progress saved under the environment's language, not the lesson's" src/run/stepper.c \
	's/progress_key(st->lang, st->les->name, key, sizeof key);/progress_key(getenv("LANG") ? "en" : "en", st->les->name, key, sizeof key);/' tests/screen.sh
mutant "the end's summary: right and asked swapped" src/ui/ui_lesson.c \
	's/lp->st.right, lp->st.asked);/lp->st.asked, lp->st.right);/' tests/player.sh
mutant "Space runs the rest of the step" src/ui/ui_keys.c \
	"s/K(' '), \"Space\", M_LESSON, \"lesson next\"/K(' '), \"Space\", M_LESSON, \"lesson rest\"/" tests/screen.sh
# -- installed
mutant "a relocated program does not find its catalogue" src/util/i18n.c \
	's/{ "share\/locale", "locale", NULL }/{ "share\/locales", "locale", NULL }/' tests/install.sh
# -- the sandbox's walls, the recording, the saved capture
mutant "the seccomp wall said as a bare EPERM" src/kernel/sandbox.c \
	's/else if (err == EPERM \&\& seccomp_mode() == 2)/else if (0)/' tests/sandbox.sh
mutant "user.max_user_namespaces = 0 not named" src/kernel/sandbox.c \
	's/else if (userns \&\& (err == ENOSPC || read_int_file("\/proc\/sys\/user\/max_user_namespaces") == 0))/else if (0)/' tests/sandbox.sh
mutant "a recording without its markers" src/util/record.c \
	's/marker_fd = marks\[1\];/marker_fd = -1;/' tests/record.sh
mutant "a pcapng without its comments" src/kernel/wire.c \
	's/^\t\tif (text\[0\])$/\t\tif (0)/' tests/wire.sh
mutant "a long packet's length taken from what the capture kept" src/kernel/wire.c \
	's/pk->len = (uint32_t)(full - hl - off);/pk->len = (uint32_t)(l4len - off);/' tests/wire.sh
mutant "the English man page changed, its Chinese translation not" man/sockplay.1 \
	's/^Show the version and exit\.$/Print the version and exit./' tests/man.sh
# -- export
mutant "export inverts a setsockopt value" src/lang/verb_sock.c \
	's/strcmp(r->argv\[3\], "on") == 0 || strcmp(r->argv\[3\], "1") == 0);/strcmp(r->argv[3], "off") == 0);/' tests/export.sh
mutant "export listens with another backlog" src/lang/verb_conn.c \
	's/atoi(r->argv\[2\]) : 128);/atoi(r->argv[2]) : 5);/' tests/export.sh
mutant "export calls shutdown(SHUT_WR) for shutdown rd" src/lang/verb_sock.c \
	's/strcmp(r->argv\[2\], "rd") == 0 ? "SHUT_RD" :/strcmp(r->argv[2], "rd") == 0 ? "SHUT_WR" :/' tests/export.sh
# -- translations
mutant "a Chinese message says the opposite of the English" po/zh_CN.po \
	's/^msgstr "%s 不能再发送：/msgstr "%s 能再发送：/' tests/catalog.sh
mutant "a Chinese why-line gives another number" po/zh_CN.po \
	's/tcp_tw_reuse_delay（1 秒；自 Linux 6.14/tcp_tw_reuse_delay（10 秒；自 Linux 6.14/' tests/catalog.sh
# -- hosts and the cable
mutant "the cable's frames named by no host: the sockets between hosts unnamed" src/kernel/wire.c \
	's/^\t\t\treturn (int)i + 1;$/\t\t\treturn 0;/' tests/hosts.sh
mutant "the bind model sees every host's sockets" src/lang/explain_bind.c \
	's/ || k->host != sk->host)$/)/' tests/hosts.sh
mutant "cable: a held frame let go is still drawn held" src/lang/verb_host.c \
	's/^\twire_set_fate(s->wire, f->id, (uint8_t)fate);$//' tests/hosts.sh
mutant "cable: the SYN's waits said to double where this kernel keeps them at 1 s" src/lang/explain.c \
	's/^\tif (lin > 0)$/\tif (0)/' tests/hosts.sh
mutant "cable: the SYN's give-up time off by one doubling" src/lang/explain.c \
	's/n, (2L << n) - 1);/n, (1L << n) - 1);/' tests/hosts.sh
mutant "cable: a reboot's RST blamed on the peer's close" src/lang/explain.c \
	's/^\tif (p \&\& p->power_lost)$/\tif (0)/' tests/hosts.sh
mutant "cable: stepping holds nothing" src/kernel/cable.c \
	's/^\tif (c->step) {$/\tif (0) {/' tests/hosts.sh

mutant "class: a wrong code takes a seat" src/run/class.c \
	's/^\tif (strcmp(w\[2\], cr->code) != 0)$/\tif (0)/' tests/class.sh
mutant "class: a seat is taken back without its token" src/run/class.c \
	's/(nw < 5 || strcmp(w\[4\], cr->seats\[seat\].token) != 0)/(0)/' tests/class.sh
mutant "class: a seated client floods as fast as it likes" src/run/class.c \
	's/^\tif (c->tokens < 1)$/\tif (0)/' tests/class.sh
mutant "class: a second round's answers counted in the first" src/run/class.c \
	's/^\tp->counts\[round - 1\]\[choice\]++;$/\tp->counts[0][choice]++;/' tests/class.sh
mutant "class: a seat's key runs the command before the reveal" src/ui/ui_lesson.c \
	's/class_ui_answer(ui, class_pred_at(lp->les, step, item), c);/lesson_answer(ui, lp, c);/' tests/class.sh
mutant "class: the reveal judges nobody right" src/ui/ui_lesson.c \
	's/\*mask = lp->st.have_verdict ? lp->st.verdict.right_mask : 0;/*mask = 0;/' tests/class.sh

echo "$killed killed"
finish

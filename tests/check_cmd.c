/*
 * check_cmd: the command language itself: parsing, expectations, and the
 * promise that bad input is reported in one line that names the bad part
 * and changes nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/errname.h"
#include "testlib.h"

static struct tsess T;

static void setup(void)
{
	tsess_init(&T);
}

static void teardown(void)
{
	tsess_free(&T);
}

/* Parse text and expect an error message containing want. */
static void parse_fails(const char *text, const char *want)
{
	struct cmd_line cl;
	char err[256] = "";

	ck_assert_msg(cmd_parse(text, &cl, err, sizeof err) == -1, "'%s' parsed", text);
	ck_assert_msg(strstr(err, want) != NULL, "'%s': error \"%s\" lacks \"%s\"", text, err, want);
}

START_TEST(parse_words_quotes_comments)
{
	struct cmd_line cl;
	char err[256];

	ck_assert_int_eq(cmd_parse("   # just a comment", &cl, err, sizeof err), 1);
	ck_assert_int_eq(cmd_parse("", &cl, err, sizeof err), 1);
	ck_assert_int_eq(cmd_parse("send s1 \"a # b\" c # comment", &cl, err, sizeof err), 0);
	ck_assert_int_eq(cl.argc, 4);
	ck_assert_str_eq(cl.argv[2], "a # b");
	ck_assert_str_eq(cl.argv[3], "c");
	ck_assert_int_eq(cmd_parse("send s1 \"x\\ny\\\"\"", &cl, err, sizeof err), 0);
	ck_assert_str_eq(cl.argv[2], "x\ny\"");
	ck_assert_int_eq(cl.expect.kind, EXPECT_NONE);
}
END_TEST

START_TEST(parse_expectations)
{
	struct cmd_line cl;
	char err[256];

	ck_assert_int_eq(cmd_parse("bind s2 0.0.0.0:8888 => EADDRINUSE", &cl, err, sizeof err), 0);
	ck_assert_int_eq(cl.argc, 3);
	ck_assert_int_eq(cl.expect.kind, EXPECT_ERRNO);
	ck_assert_int_eq(cl.expect.value, EADDRINUSE);
	ck_assert_int_eq(cmd_parse("bind s3 127.0.0.2:8888 => ok", &cl, err, sizeof err), 0);
	ck_assert_int_eq(cl.expect.kind, EXPECT_OK);
	ck_assert_int_eq(cmd_parse("net tcp :8888 TIME_WAIT => 1   # count", &cl, err, sizeof err), 0);
	ck_assert_int_eq(cl.expect.kind, EXPECT_COUNT);
	ck_assert_int_eq(cl.expect.value, 1);
	/* aliases compare by value */
	ck_assert_int_eq(cmd_parse("listen u => ENOTSUP", &cl, err, sizeof err), 0);
	ck_assert_int_eq(cl.expect.value, EOPNOTSUPP);
	ck_assert_int_eq(errname_value("EWOULDBLOCK"), EAGAIN);
	ck_assert_str_eq(errname(EADDRNOTAVAIL), "EADDRNOTAVAIL");
}
END_TEST

START_TEST(parse_errors_name_the_bad_part)
{
	parse_fails("frobnicate s1", "unknown command 'frobnicate'");
	parse_fails("bind s1", "missing argument; usage: bind NAME ADDR:PORT");
	parse_fails("close s1 s2", "too many arguments");
	parse_fails("bind s1 127.0.0.1", "bad address '127.0.0.1'");
	parse_fails("bind s1 127.0.0.1:70000", "bad port '70000'");
	parse_fails("bind s1 1.2.3:80", "bad address '1.2.3'");
	parse_fails("bind s1 ::1:80", "[ADDR]:PORT");
	parse_fails("set s1 reuseplace on", "unknown option 'reuseplace'");
	parse_fails("set s1 reuseaddr maybe", "on or off, not 'maybe'");
	parse_fails("set s1 linger forever", "linger takes off or SECONDS");
	parse_fails("tcp 1abc", "bad socket name '1abc'");
	parse_fails("tcp s1 -4", "unknown flag '-4'");
	parse_fails("bind s1 *:80 => EWHATEVER", "bad expectation 'EWHATEVER'");
	parse_fails("bind s1 *:80 => ok extra", "ok PORT takes a port 1..65535");
	parse_fails("bind s1 *:80 => EADDRINUSE extra", "followed by one word");
	parse_fails("bind s1 127.0.0.1:$9x", "bad port reference '$9x'");
	parse_fails("set s1 local_port_range 5", "local_port_range takes LO HI");
	parse_fails("set s1 local_port_range 9 65536", "two ports (0..65535)");
	{
		/* any two ports parse: 0 leaves an end open, and LO > HI is the kernel's to refuse */
		struct cmd_line cl;
		char err[256];

		ck_assert_int_eq(cmd_parse("set s1 local_port_range 49999 0", &cl, err, sizeof err), 0);
		ck_assert_int_eq(cmd_parse("set s1 local_port_range 40222 40111", &cl, err, sizeof err), 0);
	}
	parse_fails("set s1 reuseaddr on off", "reuseaddr takes one value");
	parse_fails("=> ok", "needs a command");
	parse_fails("send s1 \"open", "unterminated");
	parse_fails("shutdown s1 both", "say rd, wr or rdwr");
	parse_fails("wait soon", "bad duration 'soon'");
	parse_fails("sysctl kernel.hostname", "bad key 'kernel.hostname'");
	parse_fails("sysctl net.ipv4.x 1;reboot", "numbers only");
	parse_fails("net FLOOP", "unknown filter 'FLOOP'");
	parse_fails("net :99999", "bad port in filter");
}
END_TEST

START_TEST(usage_errors_change_nothing)
{
	struct outcome o;

	RUN_OK(&T, "tcp s1");
	ck_assert_int_eq(socktab_count_open(&T.s.socks), 1);
	o = trun(&T, "bind nosuch 127.0.0.1:%d", tport(40));
	ck_assert(o.usage);
	SAYS(&T, "error: bind: no socket named 'nosuch'");
	o = trun(&T, "tcp s1");
	ck_assert(o.usage);
	SAYS(&T, "a socket named 's1' is already open");
	o = trun(&T, "bind s1 300.1.1.1:80");
	ck_assert(o.usage);
	ck_assert_int_eq(socktab_count_open(&T.s.socks), 1);
	ck_assert_int_eq(socktab_find(&T.s.socks, "s1")->local.family, 0);
	/* the next automatic name was not spent by the failures */
	RUN_OK(&T, "tcp");
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "s2"));
	RUN_OK(&T, "close s2");
	o = trun(&T, "close s2");
	ck_assert(o.usage);
	SAYS(&T, "socket s2 is closed");
}
END_TEST

START_TEST(automatic_names)
{
	RUN_OK(&T, "tcp");
	RUN_OK(&T, "udp");
	RUN_OK(&T, "tcp s4");
	RUN_OK(&T, "tcp");
	RUN_OK(&T, "tcp");
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "s1"));
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "s2"));
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "s3"));
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "s5"));
	SAYS(&T, "socket(AF_INET, SOCK_DGRAM) = s2");
	/* a failed accept spends no name: the next socket is s6, not s7 */
	RUN_OK(&T, "bind s1 127.0.0.1:%d", tport(40));
	RUN_OK(&T, "listen s1");
	RUN_ERR(&T, EAGAIN, "accept s1");
	RUN_OK(&T, "tcp");
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "s6"));
	/* the documented limit: 15 characters pass, 16 do not */
	RUN_OK(&T, "tcp abcdefghijklmno");
	parse_fails("tcp abcdefghijklmnop", "bad socket name 'abcdefghijklmnop'");
}
END_TEST

START_TEST(expectations_met_or_not)
{
	struct outcome o = { .ret = 0, .err = EADDRINUSE };
	struct expect e = { EXPECT_ERRNO, EADDRINUSE, 0 };
	char got[48];

	ck_assert(cmd_expect_met(&e, &o, got, sizeof got));
	e.kind = EXPECT_OK;
	ck_assert(!cmd_expect_met(&e, &o, got, sizeof got));
	ck_assert_str_eq(got, "EADDRINUSE");
	o.err = 0;
	o.ret = 3;
	e.kind = EXPECT_COUNT;
	e.value = 2;
	ck_assert(!cmd_expect_met(&e, &o, got, sizeof got));
	ck_assert_str_eq(got, "3");
	o.usage = true;
	e.kind = EXPECT_OK;
	ck_assert(!cmd_expect_met(&e, &o, got, sizeof got));
}
END_TEST

/* The kernel's errno must be the one expected: another errno is a miss, said so. */
START_TEST(wrong_errno_is_a_miss)
{
	struct cmd_result *r = malloc(sizeof *r);

	ck_assert_ptr_nonnull(r);
	RUN_OK(&T, "tcp x");
	/* 192.0.2.1 (TEST-NET-1) is no address of this machine: bind says EADDRNOTAVAIL, sends nothing */
	ck_assert_int_eq(runner_line(&T.run, "bind x 192.0.2.1:0 => EADDRINUSE", r), CMD_RAN);
	ck_assert_int_eq(r->o.err, EADDRNOTAVAIL);
	ck_assert(r->expected);
	ck_assert(!r->met);
	ck_assert_str_eq(r->want, "EADDRINUSE");
	ck_assert_str_eq(r->got, "EADDRNOTAVAIL");
	SAYS(&T, "FAILED: expected EADDRINUSE, got EADDRNOTAVAIL");
	ck_assert_int_eq(runner_line(&T.run, "bind x 192.0.2.1:0 => EADDRNOTAVAIL", r), CMD_RAN);
	ck_assert(r->met);
	free(r);
}
END_TEST

/* $NAME is the port a socket got; => ok PORT checks the port a socket has. */
START_TEST(port_references_and_port_expectations)
{
	struct cmd_result *r = malloc(sizeof *r);
	char line[80];
	int port;

	ck_assert_ptr_nonnull(r);
	RUN_OK(&T, "tcp pa");
	RUN_OK(&T, "bind pa 127.0.0.1:0");
	port = socktab_find(&T.s.socks, "pa")->local.port;
	ck_assert_int_gt(port, 0);
	/* the same port, by reference: the kernel refuses it, and the line says which */
	RUN_OK(&T, "tcp pb");
	RUN_ERR(&T, EADDRINUSE, "bind pb 127.0.0.1:$pa");
	SAYS(&T, "why: pa is bound (not listed by the kernel) on 127.0.0.1:");
	/* the port bind(0) chose, as an expectation: met, then missed with what was got */
	snprintf(line, sizeof line, "bind pb 127.0.0.2:$pa => ok %d", port);
	ck_assert_int_eq(runner_line(&T.run, line, r), CMD_RAN);
	ck_assert(r->met);
	RUN_OK(&T, "tcp pc");
	snprintf(line, sizeof line, "bind pc 127.0.0.3:0 => ok %d", port == 65535 ? 1 : port + 1);
	ck_assert_int_eq(runner_line(&T.run, line, r), CMD_RAN);
	ck_assert(!r->met);
	ck_assert_str_ne(r->got, "ok");
	ck_assert(strncmp(r->got, "ok ", 3) == 0);
	/* a closed socket's port still resolves; a name never seen is a usage error */
	RUN_OK(&T, "close pa");
	RUN_OK(&T, "tcp pd");
	RUN_OK(&T, "bind pd 127.0.0.4:$pa");
	ck_assert_int_eq(runner_line(&T.run, "bind pd 127.0.0.1:$nobody", r), CMD_REFUSED);
	ck_assert(strstr(r->err, "$nobody: no socket of that name"));
	free(r);
}
END_TEST

/* disconnect: connect(AF_UNSPEC) dissolves a UDP association; the socket keeps its port. */
START_TEST(disconnect_dissolves)
{
	const struct sock *u;

	RUN_OK(&T, "udp du");
	RUN_OK(&T, "bind du 127.0.0.1:%d", tport(60));
	RUN_OK(&T, "connect du 127.0.0.1:%d", tport(61));
	u = socktab_find(&T.s.socks, "du");
	ck_assert_int_eq(u->state, SOCK_CONNECTED);
	RUN_OK(&T, "disconnect du");
	SAYS(&T, "connect(du, AF_UNSPEC) = 0");
	ck_assert_int_eq(u->state, SOCK_BOUND);
	ck_assert_int_eq(u->peer.family, 0);
	ck_assert_int_eq(u->local.port, tport(60));
	/* unconnected again: send without an address has nowhere to go */
	RUN_ERR(&T, EDESTADDRREQ, "send du x");
}
END_TEST

/* What the parser accepted, written back, parses to the same words. */
START_TEST(written_back_parses_the_same)
{
	static const char *const lines[] = {
		"send s1 \"a\rb\x01c\\\\ \\\"q\\\"\" \"=>\" x => ok",
		"sendto w [::1]:9 \"\" \"#not a comment\"",
		"net tcp :8888 TIME_WAIT => 1",
		"bind b 127.0.0.1:$a => ok 40000",
	};
	struct cmd_line a, b;
	char err[256], back[CMD_TEXTMAX];

	for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
		ck_assert_int_eq(cmd_parse(lines[k], &a, err, sizeof err), 0);
		ck_assert_uint_lt(cmd_line_text(&a, back, sizeof back), sizeof back);
		ck_assert_msg(cmd_parse(back, &b, err, sizeof err) == 0, "%s: %s", back, err);
		ck_assert_int_eq(a.argc, b.argc);
		ck_assert_int_eq(a.expect.kind, b.expect.kind);
		ck_assert_int_eq(a.expect.port, b.expect.port);
		for (int i = 0; i < a.argc; i++)
			ck_assert_str_eq(a.argv[i], b.argv[i]);
	}
}
END_TEST

START_TEST(out_of_descriptors)
{
	struct rlimit rl = { 24, 24 };
	int made = 0;
	struct outcome o;

	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	for (;;) {
		o = trun(&T, "udp");
		if (o.err)
			break;
		ck_assert(!o.usage);
		ck_assert_int_lt(++made, 100);
	}
	ck_assert_int_eq(o.err, EMFILE);
	SAYS(&T, "= -1 EMFILE");
	SAYS(&T, "out of file descriptors");
	ck_assert_int_eq((int)socktab_count_open(&T.s.socks), made);
	/* the engine still works after a close */
	RUN_OK(&T, "close s1");
	RUN_OK(&T, "udp");
}
END_TEST

/*
 * No control character reaches a sink: each control byte, at each place in
 * a line (before, inside and after the blocks the cleaner passes at once),
 * and a second one a block later, is made '?', and nothing else changes
 * (ASCII and whole UTF-8 characters stay: DEL's neighbour 0x7e, 你).  C1
 * (U+0080 to U+009F) and bytes that are not UTF-8 (a lone 0x80 or 0x9b, a
 * character cut short) are made '?' byte by byte, wherever they stand.
 */
START_TEST(sink_cleans_control_bytes)
{
	static const unsigned char bad[] = { 0x01, 0x09, 0x0a, 0x1b, 0x1f, 0x7f };
	static const char *const tokens[] = { "a", "b", "~", "\xe4\xbd\xa0", "c", "d" };
	struct strsink ss = { 0 };
	struct sink sk = strsink_sink(&ss);

	for (size_t len = 1; len <= 40; len++) {
		char line[64], want[80];
		size_t n = 0;

		/* whole characters only, ASCII where the line ends short of one */
		for (size_t t = 0; n < len; t++) {
			const char *tok = tokens[t % 6];

			if (n + strlen(tok) > len)
				tok = "x";
			memcpy(line + n, tok, strlen(tok));
			n += strlen(tok);
		}
		line[len] = '\0';
		for (size_t at = 0; at < len * 2; at++) {
			for (size_t b = 0; b < sizeof bad; b++) {
				char l[64];
				size_t one = at % len, two = one + 17;	/* the second time round: two */

				if ((unsigned char)line[one] >= 0x80 || (two < len && (unsigned char)line[two] >= 0x80))
					continue;	/* a control byte inside a character: the next test's business */
				memcpy(l, line, len + 1);
				l[one] = (char)bad[b];
				if (at >= len && two < len)
					l[two] = (char)bad[sizeof bad - 1 - b];
				snprintf(want, sizeof want, "  %s\n", l);
				want[2 + one] = '?';
				if (at >= len && two < len)
					want[2 + two] = '?';
				strsink_clear(&ss);
				sink_text(&sk, SINK_INFO, l);
				ck_assert_str_eq(ss.buf, want);
			}
		}
	}
	strsink_clear(&ss);
	sink_printf(&sk, SINK_INFO, "%s", "0123456789\x1b[2J\x7f");
	ck_assert_str_eq(ss.buf, "  0123456789?[2J?\n");
	/* C1 as UTF-8 (CSI, OSC), raw C1 bytes, a cut character; whole characters kept */
	strsink_clear(&ss);
	sink_printf(&sk, SINK_INFO, "%s", "a\xc2\x9b[2Jb\xc2\x9d" "0;x\x07" "c\x9b" "d\x80" "e\xe4\xbd\xa0" "f\xe4\xbd");
	ck_assert_str_eq(ss.buf, "  a??[2Jb??0;x?c?d?e\xe4\xbd\xa0" "f??\n");
	/* the same past sixteen bytes, where the fast path runs */
	strsink_clear(&ss);
	sink_printf(&sk, SINK_INFO, "%s", "0123456789abcdef0123456789\xc2\x9b[31m");
	ck_assert_str_eq(ss.buf, "  0123456789abcdef0123456789??[31m\n");
	strsink_free(&ss);
}
END_TEST

static Suite *cmd_suite(void)
{
	Suite *s = suite_create("cmd");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, parse_words_quotes_comments);
	tcase_add_test(tc, parse_expectations);
	tcase_add_test(tc, parse_errors_name_the_bad_part);
	tcase_add_test(tc, expectations_met_or_not);
	tcase_add_test(tc, sink_cleans_control_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("exec");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, usage_errors_change_nothing);
	tcase_add_test(tc, automatic_names);
	tcase_add_test(tc, wrong_errno_is_a_miss);
	tcase_add_test(tc, port_references_and_port_expectations);
	tcase_add_test(tc, disconnect_dissolves);
	tcase_add_test(tc, written_back_parses_the_same);
	tcase_add_test(tc, out_of_descriptors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	test_isolate();
	return trun_suite(cmd_suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * check_procnet: the /proc/net reader on fixtures captured from a real
 * kernel (tests/fixtures/README says how), and the join of the real
 * kernel table with a session's own sockets.
 */
#include "config.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/netview.h"
#include "util/pace.h"
#include "kernel/procnet.h"
#include "kernel/sockdiag.h"
#include "testlib.h"

static char fixdir[512];

static const struct pn_entry *find(const struct procnet *pn, const char *local,
				   const char *remote, int proto)
{
	char l[ADDR_STRLEN], r[ADDR_STRLEN];

	for (size_t i = 0; i < pn->n; i++) {
		addr_format(&pn->v[i].local, l, sizeof l);
		addr_format(&pn->v[i].remote, r, sizeof r);
		if (pn->v[i].proto == proto && strcmp(l, local) == 0 && strcmp(r, remote) == 0)
			return &pn->v[i];
	}
	return NULL;
}

START_TEST(fixture_basic)
{
	struct procnet pn;
	const struct pn_entry *e;
	char root[600];

	snprintf(root, sizeof root, "%s/basic", fixdir);
	procnet_init(&pn, root);
	ck_assert_int_eq(procnet_read(&pn, PN_ALL), 0);
	ck_assert_int_eq(pn.malformed, 0);
	ck_assert_int_eq(pn.n, 9 + 4 + 2 + 1);

	e = find(&pn, "127.0.0.1:8001", "0.0.0.0:0", IPPROTO_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(pn_state_name(e), "LISTEN");
	ck_assert_int_eq(e->inode, 8787);
	ck_assert_str_eq(pn_proto_name(e), "tcp");

	/* the accept queue of a listener is its rx_queue */
	e = find(&pn, "0.0.0.0:8080", "0.0.0.0:0", IPPROTO_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->rxq, 1);

	/* 1234 unread bytes */
	e = find(&pn, "127.0.0.1:8001", "127.0.0.1:50244", IPPROTO_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(pn_state_name(e), "ESTABLISHED");
	ck_assert_int_eq(e->rxq, 1234);

	/* TIME_WAIT: inode 0, timer 3, 0x1760 = 6000 hundredths = 60 s */
	e = find(&pn, "127.0.0.1:8002", "127.0.0.1:46366", IPPROTO_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(pn_state_name(e), "TIME_WAIT");
	ck_assert_int_eq(e->inode, 0);
	ck_assert_int_eq(e->timer, PN_TIMER_TIMEWAIT);
	ck_assert_str_eq(pn_timer_name(e->timer), "timewait");
	ck_assert_int_eq(e->when, 0x1760);

	/* IPv6: dual-stack listener, v4-mapped accepted end, ::1 pair */
	e = find(&pn, "[::]:8006", "[::]:0", IPPROTO_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(pn_proto_name(e), "tcp6");
	e = find(&pn, "[::ffff:127.0.0.1]:8006", "[::ffff:127.0.0.1]:46930", IPPROTO_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert(addr_is_v4mapped(&e->local));
	ck_assert_ptr_nonnull(find(&pn, "[::1]:40444", "[::1]:8006", IPPROTO_TCP));

	/* UDP states are UNCONN and ESTAB */
	e = find(&pn, "127.0.0.1:9001", "0.0.0.0:0", IPPROTO_UDP);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(pn_state_name(e), "UNCONN");
	e = find(&pn, "127.0.0.1:53283", "127.0.0.1:9001", IPPROTO_UDP);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(pn_state_name(e), "ESTAB");
	ck_assert_ptr_nonnull(find(&pn, "[::1]:9006", "[::]:0", IPPROTO_UDP));
	procnet_free(&pn);
}
END_TEST

START_TEST(fixture_malformed)
{
	struct procnet pn;
	char root[600];

	snprintf(root, sizeof root, "%s/malformed", fixdir);
	procnet_init(&pn, root);
	ck_assert_int_eq(procnet_read(&pn, PN_ALL), 0);
	ck_assert_int_eq(pn.n, 1);
	ck_assert_int_eq(pn.malformed, 5);
	procnet_free(&pn);
}
END_TEST

START_TEST(parse_line_edges)
{
	struct pn_entry e;
	const char *hdr = "  sl  local_address rem_address   st tx_queue";
	const char *ok = "   0: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 42";
	const char *bad_state = "   0: 0100007F:1F41 00000000:0000 00 00000000:00000000 00:00000000 00000000 0 0 42";
	const char *long_hex = "   0: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 000000000 0 0 42";

	ck_assert_int_eq(procnet_parse_line(hdr, strlen(hdr), PN_TCP, &e), 1);
	ck_assert_int_eq(procnet_parse_line(ok, strlen(ok), PN_TCP, &e), 0);
	ck_assert_int_eq(e.uid, 1000);
	ck_assert_int_eq(e.inode, 42);
	ck_assert_int_eq(e.local.port, 8001);
	ck_assert_int_eq(procnet_parse_line(bad_state, strlen(bad_state), PN_TCP, &e), -1);
	ck_assert_int_eq(procnet_parse_line(long_hex, strlen(long_hex), PN_TCP, &e), -1);
	/*
	 * every prefix of a good line is either rejected or parsed, never read
	 * past (ASan watches); what a prefix parses to is the line's own start
	 */
	for (size_t n = 0; n < strlen(ok); n++) {
		int r = procnet_parse_line(ok, n, PN_TCP, &e);

		ck_assert_msg(r == -1 || r == 0, "prefix of %zu bytes: %d", n, r);
		if (r == 0) {
			ck_assert_int_eq(e.local.port, 8001);
			ck_assert_int_eq(e.state, PN_LISTEN);
		}
	}
	ck_assert_int_eq(procnet_parse_line(ok, 10, PN_TCP, &e), -1);
}
END_TEST

/* Both parsers on one line: the same answer, and the same entry when they accept. */
static void agree(const char *line, size_t len, enum pn_file f, size_t *accepted)
{
	struct pn_entry a, b;
	char *copy = malloc(len ? len : 1);	/* exactly len bytes: ASan sees a read past them */
	int ra, rb;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, line, len);
	ra = procnet_parse_line(copy, len, f, &a);
	rb = procnet_parse_line_general(copy, len, f, &b);
	free(copy);

	ck_assert_msg(ra == rb, "fast %d, general %d on \"%.*s\"", ra, rb, (int)len, line);
	if (ra == 0) {
		ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "different entries from \"%.*s\"", (int)len, line);
		(*accepted)++;
	}
}

/*
 * uid, timeout and inode at every width the kernel can print them (" %5u
 * %8d %lu": wider than the field, negative, a line ending at the inode):
 * both parsers agree, and where they accept, the numbers are the ones
 * printed.
 */
START_TEST(decimal_widths_agree)
{
	static const char *const uids[] = { "0", "7", "1000", "99999", "100000", "4294967295", "4294967296" };
	static const char *const timeouts[] = { "0", "5", "99999999", "100000000", "-1" };
	static const char *const inodes[] = { "0", "1", "1234567", "12345678", "123456789",
					       "999999999999999", "1234567890123456", "18446744073709551615",
					       "99999999999999999999" };
	static const char *const tails[] = { " 1 0000000000000000 100 0 0 10 0                  ", "", " ", "x" };
	static const char *const heads[] = {
		"   3: 0100007F:1F41 0100007F:9C40 01 00000000:00000000 00:00000000 00000000",
		"   3: 00000000000000000000000001000000:1F41 00000000000000000000000001000000:9C40 01 "
		"00000000:00000000 00:00000000 00000000",
	};
	size_t accepted = 0, fast = 0;

	for (int h = 0; h < 2; h++)
		for (size_t u = 0; u < sizeof uids / sizeof *uids; u++)
			for (size_t t = 0; t < sizeof timeouts / sizeof *timeouts; t++)
				for (size_t n = 0; n < sizeof inodes / sizeof *inodes; n++)
					for (size_t k = 0; k < sizeof tails / sizeof *tails; k++) {
						char line[400];
						struct pn_entry e;
						int len = snprintf(line, sizeof line, "%s %5s %8s %s%s", heads[h], uids[u],
								   timeouts[t], inodes[n], tails[k]);
						enum pn_file f = h ? PN_TCP6 : PN_TCP;
						size_t before = accepted;

						agree(line, (size_t)len, f, &accepted);
						if (accepted == before)
							continue;
						/* a line the kernel could print: the fast path takes it */
						ck_assert_msg(!PROCNET_FAST_PATH ||
							      procnet_parse_line_fixed(line, (size_t)len, f, &e) == 0,
							      "fast path refused \"%s\"", line);
						procnet_parse_line(line, (size_t)len, f, &e);
						ck_assert_uint_eq(e.uid, strtoull(uids[u], NULL, 10));
						ck_assert_uint_eq(e.inode, strtoull(inodes[n], NULL, 10));
						fast += strlen(uids[u]) <= 5 && strlen(timeouts[t]) <= 8;
					}
	/* most are in place; the wide and odd ones are refused or read right */
	ck_assert_uint_gt(fast, 300);
	ck_assert_uint_lt(accepted, 2 * 7 * 5 * 9 * 4);
}
END_TEST

/*
 * The slot number before ':' at every width the kernel prints it ("%4d: ",
 * "%5d: " for UDP, wider past 9,999 sockets): both parsers agree and read
 * the same line, and the fast path takes every slot that, spaces and all,
 * fits in the line's first eight bytes with its ':'.  Slots that are not
 * numbers are refused by both.
 */
START_TEST(slot_widths_agree)
{
	static const char *const slots[] = { "0", "7", "10", "9999", "10000", "99999", "1234567", "12345678",
					      "123456789" };
	static const char *const odd[] = { " 1 2:", "12a:", ":", "  :", "-1:", "1:", "\x80" "1:" };
	static const char rest[] = " 0100007F:1F41 0100007F:9C40 01 00000000:00000000 00:00000000 00000000"
				   "  1000        0 12345 1 0000000000000000 100 0 0 10 0";
	size_t accepted = 0, fast = 0;

	for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
		for (int width = 4; width <= 5; width++) {
			char line[300];
			struct pn_entry e;
			int len = snprintf(line, sizeof line, "%*s:%s", width, slots[i], rest);
			int before = (int)accepted, prefix = (int)strcspn(line, ":");

			agree(line, (size_t)len, PN_TCP, &accepted);
			ck_assert_msg(accepted == (size_t)before + 1, "refused slot \"%s\"", slots[i]);
			if (prefix <= 7) {
				ck_assert_msg(!PROCNET_FAST_PATH ||
					      procnet_parse_line_fixed(line, (size_t)len, PN_TCP, &e) == 0,
					      "fast path refused slot \"%.*s\"", prefix, line);
				fast++;
			}
			procnet_parse_line(line, (size_t)len, PN_TCP, &e);
			ck_assert_uint_eq(e.uid, 1000);
			ck_assert_uint_eq(e.inode, 12345);
		}
	ck_assert_uint_eq(fast, 14);
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
		char line[300];
		int len = snprintf(line, sizeof line, "%s%s", odd[i], rest);
		size_t before = accepted;

		agree(line, (size_t)len, PN_TCP, &accepted);
		/* only "1:" is a slot number */
		ck_assert_uint_eq(accepted - before, strcmp(odd[i], "1:") == 0);
	}
}
END_TEST

/*
 * The fixed-layout fast path and the general parser agree: on the fixtures,
 * on the kernel's own lines as they are now, on every prefix of each line,
 * and on each line with any one byte changed to one of a few that matter
 * (a space, a lower-case or non-hex digit, a separator).
 */
START_TEST(fast_path_agrees)
{
	static const char *const files[] = { "tcp", "tcp6", "udp", "udp6" };
	/* 'H' marks a hex digit in the fast path's layout; a high byte is negative to SSE2 */
	static const char swaps[] = " aAfFgGH09:-\t\x80\xc6";
	const char *roots[3] = { "basic", "malformed", NULL };
	size_t accepted = 0, lines = 0, kernel = 0;
	int fds[4];

	/* lines of each file from the kernel itself */
	for (int i = 0; i < 4; i++) {
		struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };

		fds[i] = socket(i % 2 ? AF_INET6 : AF_INET, i < 2 ? SOCK_STREAM : SOCK_DGRAM, 0);
		ck_assert_int_ge(fds[i], 0);
		ck_assert_int_eq(i % 2 ? bind(fds[i], (struct sockaddr *)&a6, sizeof a6)
				       : bind(fds[i], (struct sockaddr *)&a4, sizeof a4), 0);
		if (i < 2)
			ck_assert_int_eq(listen(fds[i], 1), 0);
	}
	for (int r = 0; r < 3; r++) {
		for (int f = 0; f < PN_NFILES; f++) {
			char path[700], line[1024];
			FILE *fp;

			if (roots[r])
				snprintf(path, sizeof path, "%s/%s/net/%s", fixdir, roots[r], files[f]);
			else
				snprintf(path, sizeof path, "/proc/net/%s", files[f]);
			fp = fopen(path, "r");
			if (fp == NULL)
				continue;
			while (fgets(line, sizeof line, fp) && lines < 200) {
				size_t len = strcspn(line, "\n");

				lines++;
				if (roots[r] == NULL && strstr(line, "local_address") == NULL) {
					struct pn_entry e;

					ck_assert_msg(!PROCNET_FAST_PATH ||
						      procnet_parse_line_fixed(line, len, (enum pn_file)f, &e) == 0,
						      "the fast path refused the kernel's \"%s\"", line);
					kernel++;
				}
				for (size_t n = 0; n <= len; n++)
					agree(line, n, (enum pn_file)f, &accepted);
				for (size_t i = 0; i < len; i++) {
					char keep = line[i];

					for (const char *c = swaps; *c; c++) {
						line[i] = *c;
						agree(line, len, (enum pn_file)f, &accepted);
					}
					line[i] = keep;
				}
			}
			fclose(fp);
		}
	}
	ck_assert_uint_gt(lines, 10);
	ck_assert_uint_gt(accepted, lines);	/* lines the parsers took, not only refusals */
	ck_assert_uint_ge(kernel, 4);
	for (int i = 0; i < 4; i++)
		close(fds[i]);
}
END_TEST

/* The join on the real kernel table. */
START_TEST(join_real_sockets)
{
	struct tsess t;
	int p = tport(1);
	const struct netrow *listen_row = NULL, *bound_row = NULL, *tw = NULL;

	tsess_init(&t);
	RUN_OK(&t, "tcp l");
	RUN_OK(&t, "bind l 127.0.0.1:%d", p);
	RUN_OK(&t, "listen l");
	RUN_OK(&t, "tcp b");
	RUN_OK(&t, "bind b 127.0.0.1:%d", p + 1);
	RUN_OK(&t, "tcp c");
	RUN_OK(&t, "connect c 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a");
	RUN_OK(&t, "close a");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close c");
	RUN_OK(&t, "wait 0.1");
	ck_assert_int_eq(session_refresh_net(&t.s), 0);
	for (size_t i = 0; i < t.s.nv.n; i++) {
		const struct netrow *r = &t.s.nv.rows[i];

		if (r->own && strcmp(r->own->name, "l") == 0)
			listen_row = r;
		if (r->own && strcmp(r->own->name, "b") == 0)
			bound_row = r;
		if (r->own && strcmp(r->own->name, "a") == 0)
			tw = r;
	}
	ck_assert_ptr_nonnull(listen_row);
	ck_assert_ptr_nonnull(listen_row->e);
	ck_assert_int_eq(listen_row->e->state, PN_LISTEN);
	/* the row the join gave l is l's: its address, as the kernel says it by getsockname */
	ck_assert(addr_equal(&listen_row->e->local, &listen_row->own->local));
	ck_assert_int_eq(listen_row->e->local.port, p);
	/* a bound, not listening TCP socket: /proc does not list it */
	ck_assert_ptr_nonnull(bound_row);
	ck_assert_ptr_null(bound_row->e);
	/* the server's TIME_WAIT keeps the name of the socket it was */
	ck_assert_ptr_nonnull(tw);
	ck_assert(tw->was);
	ck_assert_int_eq(tw->e->state, PN_TIME_WAIT);
	ck_assert_int_eq(tw->e->inode, 0);
	ck_assert(netrow_timer_left(tw) > 55 && netrow_timer_left(tw) <= 60);
	RUN_COUNT(&t, 1, "net own LISTEN");
	RUN_COUNT(&t, 1, "net own TIME_WAIT");
	SAYS(&t, "was a  timewait");
	RUN_COUNT(&t, 2, "net own");
	SAYS(&t, "b (not listed by the kernel: bound, not listening)");
	tsess_free(&t);
}
END_TEST

/* One endpoint as ss prints it: "127.0.0.1:80", "[::1]:80", "*:80", "0.0.0.0:*". */
static bool ss_endpoint_is(const char *text, const struct endpoint *ep)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(text, ':');
	struct endpoint u = addr_unmap(ep), want;
	int port;
	size_t hl;

	if (colon == NULL)
		return false;
	port = strcmp(colon + 1, "*") == 0 ? 0 : atoi(colon + 1);
	if (port != ep->port)
		return false;
	hl = (size_t)(colon - text);
	if (hl >= sizeof host)
		return false;
	memcpy(host, text, hl);
	host[hl] = '\0';
	if (strcmp(host, "*") == 0)
		return addr_is_wildcard(ep);
	if (host[0] == '[') {
		memmove(host, host + 1, hl);
		host[strlen(host) - 1] = '\0';
	}
	memset(&want, 0, sizeof want);
	if (inet_pton(AF_INET, host, want.addr) == 1)
		want.family = AF_INET;
	else if (inet_pton(AF_INET6, host, want.addr) == 1)
		want.family = AF_INET6;
	else
		return false;
	want = addr_unmap(&want);
	return addr_same_host(&want, &u);
}

/* ss's state names, for ours */
static const char *ss_state(const struct pn_entry *e)
{
	static char buf[16];
	const char *n = pn_state_name(e);

	if (strcmp(n, "ESTABLISHED") == 0)
		return "ESTAB";
	snprintf(buf, sizeof buf, "%s", n);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
	if (strcmp(buf, "FIN-WAIT1") == 0)
		return "FIN-WAIT-1";
	if (strcmp(buf, "FIN-WAIT2") == 0)
		return "FIN-WAIT-2";
	return buf;
}

/* The panel and ss -tanuo agree on the same sockets. */
/* A fixture /proc root in /tmp: root/net/ made, its four files written by the test. */
static const char *const fixture_files[] = { "tcp", "tcp6", "udp", "udp6" };

static void fixture_make(char *root)
{
	char path[700];

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(path, sizeof path, "%s/net", root);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

/* root/net/FILE with the kernel's header line, open for the test's rows */
static FILE *fixture_file(const char *root, size_t i)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/net/%s", root, fixture_files[i]);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
		"   uid  timeout inode\n");
	return f;
}

static void fixture_remove(const char *root)
{
	char path[700];

	for (size_t i = 0; i < sizeof fixture_files / sizeof fixture_files[0]; i++) {
		snprintf(path, sizeof path, "%s/net/%s", root, fixture_files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/net", root);
	rmdir(path);
	rmdir(root);
}

/* The table: empty, or with a TIME_WAIT of tw's 4-tuple. */
static void write_tcp_fixture(const char *root, const struct sock *tw)
{
	for (size_t i = 0; i < sizeof fixture_files / sizeof fixture_files[0]; i++) {
		FILE *f = fixture_file(root, i);

		if (tw && i == 0) {
			uint32_t l, r;

			memcpy(&l, tw->local.addr, 4);
			memcpy(&r, tw->peer.addr, 4);
			/* the kernel prints the address as a host-order word of network bytes */
			fprintf(f, "   0: %08X:%04X %08X:%04X 06 00000000:00000000 03:00001770 00000000"
				"     0        0 0 3 0000000000000000\n", l, tw->local.port, r, tw->peer.port);
		}
		fclose(f);
	}
}

/* A TIME_WAIT of ours that leaves the table is told once, as an event. */
START_TEST(timewait_end_is_told)
{
	struct tsess t;
	char root[] = "/tmp/sockplay-twXXXXXX";
	const struct sock *a;
	int p = tport(70);
	const char *first;

	tsess_init(&t);
	RUN_OK(&t, "tcp l");
	RUN_OK(&t, "bind l 127.0.0.1:%d", p);
	RUN_OK(&t, "listen l");
	RUN_OK(&t, "tcp c");
	RUN_OK(&t, "connect c 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a");
	RUN_OK(&t, "close a");
	a = socktab_find_any(&t.s.socks, "a");
	fixture_make(root);
	/* the table as a fixture: a's TIME_WAIT there, then gone */
	t.s.source = SRC_PROC;
	snprintf(t.s.pn.root, sizeof t.s.pn.root, "%s", root);
	write_tcp_fixture(root, a);
	ck_assert_int_eq(session_refresh_net(&t.s), 0);
	session_note_timewait_ends(&t.s);
	ck_assert_ptr_null(strstr(t.out.buf, "ended"));
	write_tcp_fixture(root, NULL);
	ck_assert_int_eq(session_refresh_net(&t.s), 0);
	session_note_timewait_ends(&t.s);
	SAYS(&t, "event: the TIME_WAIT of was a on 127.0.0.1:");
	first = strstr(t.out.buf, "ended");
	session_note_timewait_ends(&t.s);
	ck_assert_ptr_null(strstr(first + 1, "ended"));	/* once */
	fixture_remove(root);
	tsess_free(&t);
}
END_TEST

/* One slow refresh does not stretch the interval; slow ones do; it comes back within three. */
START_TEST(pace_recovers)
{
	struct pace p;
	double iv;

	pace_init(&p, 0.25);
	/* a look every 0.25 s: a full read when the counts changed, else once a second */
	ck_assert(pace_due(&p, 0.25, true));
	ck_assert(!pace_due(&p, 0.25, false));
	ck_assert(!pace_due(&p, 0.75, false));
	ck_assert(pace_due(&p, 1.0, false));
	ck_assert(!pace_due(&p, 0.1, true));	/* sooner than the interval: no */
	for (int i = 0; i < 5; i++)
		ck_assert_double_eq_tol(pace_after(&p, 0.004), 0.25, 1e-9);
	/* one refresh of 1.32 s while a table was being built: the screen keeps moving */
	ck_assert_double_eq_tol(pace_after(&p, 1.32), 0.25, 1e-9);
	/* a slow table, three refreshes in a row: a twelfth of a core at most */
	pace_after(&p, 0.2);
	iv = pace_after(&p, 0.2);
	ck_assert_double_eq_tol(iv, 2.4, 1e-9);
	/* a slow table is not read sooner than the pace, changed or not, even past a second */
	ck_assert(!pace_due(&p, 2.0, true));
	ck_assert(pace_due(&p, 2.4, false));
	/* cheap again: back to the interval asked for within three refreshes */
	pace_after(&p, 0.003);
	pace_after(&p, 0.003);
	iv = pace_after(&p, 0.003);
	ck_assert_double_eq_tol(iv, 0.25, 1e-9);
	/*
	 * costs that vary (a big table: 0.30, 0.35, 0.40 s in turn): the share
	 * of a core, each cost over itself and the wait after it, stays under
	 * a twelfth (the least of three would give 8.9%)
	 */
	{
		double busy = 0, all = 0;

		pace_init(&p, 0.25);
		for (int i = 0; i < 30; i++) {
			double c = 0.30 + 0.05 * (i % 3);

			iv = pace_after(&p, c);
			busy += c;
			all += c + iv;
		}
		ck_assert_msg(busy / all <= 1.0 / 12, "%.1f%% of a core", busy / all * 100);
	}
}
END_TEST

/* A table of n TIME_WAIT lines in root/net/tcp (the other files empty). */
static void write_big_fixture(const char *root, int n)
{
	for (size_t i = 0; i < sizeof fixture_files / sizeof fixture_files[0]; i++) {
		FILE *f = fixture_file(root, i);

		for (int k = 0; i == 0 && k < n; k++)
			fprintf(f, "%4d: 0100007F:%04X 0100007F:1F90 06 00000000:00000000 03:00001770 00000000"
				"     0        0 0 3 0000000000000000\n", k, 10000 + k % 50000);
		fclose(f);
	}
}

/* Ten `net` of a 20,000-row table: what the session keeps does not grow with the table. */
START_TEST(repeated_net_is_bounded)
{
	struct tsess t;
	char root[] = "/tmp/sockplay-bigXXXXXX";
	size_t kept = 0;

	tsess_init(&t);
	fixture_make(root);
	write_big_fixture(root, 20000);
	t.s.source = SRC_PROC;
	snprintf(t.s.pn.root, sizeof t.s.pn.root, "%s", root);
	for (int i = 0; i < 10; i++)
		RUN_COUNT(&t, 20000, "net");
	ck_assert_uint_eq(t.run.hist.n, 10);
	for (size_t i = 0; i < t.run.hist.n; i++) {
		kept += strlen(t.run.hist.v[i].output);
		ck_assert_ptr_nonnull(strstr(t.run.hist.v[i].output, "more lines: in the transcript"));
	}
	/* 20,000 rows of ~90 bytes printed ten times; kept: a few KiB each */
	ck_assert_uint_lt(kept, 10 * 5000);
	fixture_remove(root);
	tsess_free(&t);
}
END_TEST

/* 600 own sockets and the kernel's table: each joins to its own row, none to another's. */
START_TEST(join_many_own_sockets)
{
	struct tsess t;
	size_t joined = 0;
	int p = tport(1000);

	tsess_init(&t);
	for (int i = 0; i < 600; i++) {
		RUN_OK(&t, "udp u%d", i);
		RUN_OK(&t, "bind u%d 127.0.0.1:%d", i, p + i);
	}
	RUN_OK(&t, "udp late");	/* not bound yet: the kernel does not list it */
	RUN_OK(&t, "tcp l");
	RUN_OK(&t, "bind l 127.0.0.1:%d", p + 601);
	RUN_OK(&t, "listen l");
	RUN_OK(&t, "tcp c");	/* not connected yet */
	ck_assert_int_eq(session_refresh_net(&t.s), 0);
	for (size_t i = 0; i < t.s.nv.n; i++) {
		const struct netrow *r = &t.s.nv.rows[i];

		if (r->own == NULL || r->e == NULL)
			continue;
		/* the row the join gave a socket is that socket's: same address and port */
		ck_assert_msg(addr_equal(&r->e->local, &r->own->local), "%s joined to a row of port %u",
			      r->own->name, r->e->local.port);
		joined++;
	}
	ck_assert_uint_eq(joined, 601);	/* the 600 and l */
	/*
	 * the join's index is kept while the sockets do not change: a socket
	 * bound since (the table as long as before), and one closed since, are
	 * seen at the next refresh all the same
	 */
	RUN_OK(&t, "bind late 127.0.0.1:%d", p + 600);
	RUN_OK(&t, "close u0");
	/* c connects (its 4-tuple changes) and closes: its orphan has no inode, only that 4-tuple */
	RUN_OK(&t, "connect c 127.0.0.1:%d", p + 601);
	RUN_OK(&t, "close c");
	RUN_OK(&t, "wait 0.05");
	ck_assert_int_eq(session_refresh_net(&t.s), 0);
	joined = 0;
	for (size_t i = 0; i < t.s.nv.n; i++) {
		const struct netrow *r = &t.s.nv.rows[i];

		if (r->e && r->e->remote.port == p + 601 && r->e->proto == IPPROTO_TCP) {
			ck_assert_msg(r->own && r->was && strcmp(r->own->name, "c") == 0,
				      "the closed c's %s row is not \"was c\"", pn_state_name(r->e));
			joined++;
		}

		if (r->own && r->e && strcmp(r->own->name, "late") == 0) {
			ck_assert_int_eq(r->e->local.port, p + 600);
			joined++;
		}
		ck_assert_msg(!(r->own && r->e && strcmp(r->own->name, "u0") == 0), "closed u0 still joined");
	}
	ck_assert_uint_eq(joined, 2);	/* late, and c's orphan */
	/* a row written into a short buffer is the start of the same row */
	for (size_t i = 0; i < t.s.nv.n && i < 50; i++) {
		char full[NETROW_MIN], part[30];

		netrow_format(&t.s.nv.rows[i], full, sizeof full);
		netrow_format(&t.s.nv.rows[i], part, sizeof part);
		ck_assert_uint_eq(strlen(part), strlen(full) < sizeof part ? strlen(full) : sizeof part - 1);
		ck_assert(strncmp(full, part, strlen(part)) == 0);
	}
	tsess_free(&t);
}
END_TEST

/* A row's IPv4 addresses, every byte value in every place, as inet_ntop writes them; its numbers at every width. */
START_TEST(rows_write_every_octet)
{
	for (unsigned v = 0; v < 256; v++) {
		/* an inode: the owner is "uid N"; the queues of every width, 1 to 10 digits */
		struct pn_entry e = { .proto = IPPROTO_TCP, .state = PN_ESTABLISHED, .inode = 1,
				      .uid = v * 16843009u, .rxq = v, .txq = v * v * v * 255u };
		struct netrow r = { .e = &e };
		char row[NETROW_MIN], want[64], host[INET_ADDRSTRLEN];
		unsigned char a[4] = { (unsigned char)v, (unsigned char)(255 - v), (unsigned char)(v / 2),
				       (unsigned char)(v * 7) };

		e.local.family = e.remote.family = AF_INET;
		memcpy(e.local.addr, a, 4);
		e.local.port = (uint16_t)(v * 257);
		e.remote.addr[0] = 127;
		e.remote.addr[3] = (unsigned char)v;
		e.remote.port = 1;
		netrow_format(&r, row, sizeof row);
		inet_ntop(AF_INET, a, host, sizeof host);
		snprintf(want, sizeof want, " %s:%u ", host, v * 257);
		ck_assert_msg(strstr(row, want) != NULL, "\"%s\" lacks \"%s\"", row, want);
		snprintf(want, sizeof want, " 127.0.0.%u:1 ", v);
		ck_assert_msg(strstr(row, want) != NULL, "\"%s\" lacks \"%s\"", row, want);
		snprintf(want, sizeof want, "uid %u", e.uid);
		ck_assert_msg(strstr(row, want) != NULL, "\"%s\" lacks \"%s\"", row, want);
		if (v) {
			snprintf(want, sizeof want, "  rx %u tx %u", e.rxq, e.txq);
			ck_assert_msg(strstr(row, want) != NULL, "\"%s\" lacks \"%s\"", row, want);
		}
		for (const char *c = row; *c; c++)
			ck_assert_msg((unsigned char)*c >= 0x20, "a control byte in \"%s\"", row);
	}
}
END_TEST

START_TEST(agrees_with_ss)
{
	struct tsess t;
	int p = tport(10), lines = 0, timers = 0;
	char line[512];
	FILE *ss;

	tsess_init(&t);
	RUN_OK(&t, "tcp l");
	RUN_OK(&t, "bind l 127.0.0.1:%d", p);
	RUN_OK(&t, "listen l");
	RUN_OK(&t, "tcp c");
	RUN_OK(&t, "connect c 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a");
	RUN_COUNT(&t, 5, "send c hello");
	RUN_OK(&t, "tcp q");
	RUN_OK(&t, "connect q 127.0.0.1:%d", p);	/* left in the accept queue */
	RUN_OK(&t, "tcp l6 -6");
	RUN_OK(&t, "bind l6 [::1]:%d", p + 1);
	RUN_OK(&t, "listen l6");
	RUN_OK(&t, "tcp x");
	RUN_OK(&t, "bind x 127.0.0.1:%d", p + 2);
	RUN_OK(&t, "listen x");
	RUN_OK(&t, "tcp y");
	RUN_OK(&t, "connect y 127.0.0.1:%d", p + 2);
	RUN_OK(&t, "accept x z");
	RUN_OK(&t, "close y");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close z");	/* y's end goes to TIME_WAIT */
	RUN_OK(&t, "udp u");
	RUN_OK(&t, "bind u 127.0.0.1:%d", p + 3);
	RUN_OK(&t, "wait 0.05");
	ck_assert_int_eq(session_refresh_net(&t.s), 0);
	ss = popen("ss -tanuoH 2>/dev/null", "r");
	ck_assert_ptr_nonnull(ss);
	while (fgets(line, sizeof line, ss)) {
		char netid[8], state[16], local[80], peer[80], rest[256] = "";
		unsigned rq, sq;
		const struct pn_entry *e = NULL;
		double tw = -1;

		if (sscanf(line, "%7s %15s %u %u %79s %79s %255[^\n]", netid, state, &rq, &sq,
			   local, peer, rest) < 6)
			continue;
		for (size_t i = 0; i < t.s.pn.n; i++) {
			const struct pn_entry *c = &t.s.pn.v[i];

			if (((c->proto == IPPROTO_TCP) == (strcmp(netid, "tcp") == 0)) &&
			    ss_endpoint_is(local, &c->local) && ss_endpoint_is(peer, &c->remote))
				e = c;
		}
		ck_assert_msg(e != NULL, "ss shows a socket the panel lacks: %s", line);
		lines++;
		ck_assert_msg(strcmp(ss_state(e), state) == 0 || (e->proto == IPPROTO_UDP &&
			      strcmp(pn_state_name(e), state) == 0),
			      "state: panel %s, ss %s", pn_state_name(e), state);
		/* Recv-Q: unread bytes, or for a listener its accept queue */
		ck_assert_msg(e->rxq == rq, "%s: rx queue panel %u, ss %u", line, e->rxq, rq);
		if (e->state != PN_LISTEN)
			ck_assert_msg(e->txq == sq, "%s: tx queue panel %u, ss %u", line, e->txq, sq);
		if (sscanf(rest, "timer:(timewait,%lfsec", &tw) == 1 ||
		    sscanf(rest, "timer:(timewait,%lfmin", &tw) == 1) {
			if (strstr(rest, "min"))
				tw *= 60;
			timers++;
			/*
			 * ss prints whole seconds, cut down (58.9 s is "58sec"), and
			 * reads after the panel did: the panel may be up to a second
			 * and the time between the two reads ahead, never behind
			 */
			ck_assert_msg(e->when / 100.0 - tw >= -0.05 && e->when / 100.0 - tw < 1.5,
				      "TIME_WAIT timer: panel %.2f, ss %.1f", e->when / 100.0, tw);
		}
	}
	pclose(ss);
	/* listener, 2 ends + queued pair (2), v6 listener, x, TIME_WAIT, udp */
	ck_assert_int_ge(lines, 8);
	ck_assert_int_ge(timers, 1);	/* at least y's TIME_WAIT timer was compared */
	tsess_free(&t);
}
END_TEST

static bool same_entry(const struct pn_entry *a, const struct pn_entry *b)
{
	return a->proto == b->proto && addr_equal(&a->local, &b->local) &&
	       addr_equal(&a->remote, &b->remote);
}

/* /proc and sock_diag list the same sockets with the same facts. */
START_TEST(proc_and_diag_agree)
{
	struct tsess t;
	struct procnet diag;
	int p = tport(20);
	size_t matched = 0;

	tsess_init(&t);
	RUN_OK(&t, "tcp l");
	RUN_OK(&t, "bind l 127.0.0.1:%d", p);
	RUN_OK(&t, "listen l");
	RUN_OK(&t, "tcp c");
	RUN_OK(&t, "connect c 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a");
	RUN_COUNT(&t, 3, "send a abc");
	RUN_OK(&t, "tcp c2");
	RUN_OK(&t, "connect c2 127.0.0.1:%d", p);
	RUN_OK(&t, "accept l a2");
	RUN_OK(&t, "close c2");
	RUN_OK(&t, "wait 0.05");
	RUN_OK(&t, "close a2");
	RUN_OK(&t, "tcp l6 -6");
	RUN_OK(&t, "bind l6 [::1]:%d", p + 1);
	RUN_OK(&t, "listen l6");
	RUN_OK(&t, "udp u");
	RUN_OK(&t, "bind u 127.0.0.1:%d", p + 2);
	RUN_OK(&t, "udp u6 -6");
	RUN_OK(&t, "bind u6 [::1]:%d", p + 2);
	RUN_OK(&t, "wait 0.05");
	procnet_init(&diag, NULL);
	ck_assert_int_eq(procnet_read(&t.s.pn, PN_ALL), 0);
	ck_assert_int_eq(sockdiag_read(&diag, PN_ALL, 0), 0);
	ck_assert_int_eq(diag.n, t.s.pn.n);
	for (size_t i = 0; i < t.s.pn.n; i++) {
		const struct pn_entry *a = &t.s.pn.v[i];

		for (size_t k = 0; k < diag.n; k++) {
			const struct pn_entry *b = &diag.v[k];

			if (!same_entry(a, b))
				continue;
			matched++;
			ck_assert_int_eq(a->state, b->state);
			ck_assert_int_eq(a->inode, b->inode);
			ck_assert_int_eq(a->uid, b->uid);
			ck_assert_int_eq(a->rxq, b->rxq);
			ck_assert_int_eq(a->timer, b->timer);
			ck_assert_msg(abs((int)a->when - (int)b->when) <= 100, "timers %u vs %u", a->when, b->when);
			if (a->state != PN_LISTEN)	/* diag: max backlog there; /proc: 0 */
				ck_assert_int_eq(a->txq, b->txq);
			break;
		}
	}
	ck_assert_int_eq(matched, t.s.pn.n);
	/* the kernel-side port filter returns only that port */
	ck_assert_int_eq(sockdiag_read(&diag, PN_ALL, (unsigned)p + 2), 0);
	ck_assert_int_eq(diag.n, 2);
	for (size_t k = 0; k < diag.n; k++)
		ck_assert_int_eq(diag.v[k].local.port, p + 2);
	/* TCP of both families is one request (TCPDIAG_GETSOCK, AF_UNSPEC): filtered too */
	ck_assert_int_eq(sockdiag_read(&diag, PN_TCPS, (unsigned)p + 1), 0);
	ck_assert_int_eq(diag.n, 1);
	ck_assert_int_eq(diag.v[0].local.family, AF_INET6);
	ck_assert_int_eq(diag.v[0].state, PN_LISTEN);
	ck_assert_int_eq(sockdiag_read(&diag, PN_TCPS, (unsigned)p), 0);
	ck_assert_uint_ge(diag.n, 2);
	for (size_t k = 0; k < diag.n; k++)
		ck_assert_int_eq(diag.v[k].local.port, p);
	/* and the session can be told to use it */
	t.s.source = SRC_DIAG;
	RUN_COUNT(&t, 1, "net tcp TIME_WAIT ->127.0.0.1:%d", p);
	ck_assert(t.s.using_diag);
	procnet_free(&diag);
	tsess_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("procnet");
	TCase *tc = tcase_create("fixtures");
	const char *f = getenv("FIXTURES");

	snprintf(fixdir, sizeof fixdir, "%s", f ? f : "tests/fixtures");
	test_isolate();
	tcase_add_test(tc, fixture_basic);
	tcase_add_test(tc, fixture_malformed);
	tcase_add_test(tc, parse_line_edges);
	tcase_add_test(tc, fast_path_agrees);
	tcase_add_test(tc, decimal_widths_agree);
	tcase_add_test(tc, slot_widths_agree);
	suite_add_tcase(s, tc);
	tc = tcase_create("join");
	tcase_add_test(tc, join_real_sockets);
	tcase_add_test(tc, timewait_end_is_told);
	tcase_add_test(tc, pace_recovers);
	tcase_add_test(tc, repeated_net_is_bounded);
	tcase_add_test(tc, join_many_own_sockets);
	tcase_add_test(tc, agrees_with_ss);
	tcase_add_test(tc, rows_write_every_octet);
	tcase_add_test(tc, proc_and_diag_agree);
	suite_add_tcase(s, tc);
	return trun_suite(s) ? EXIT_FAILURE : EXIT_SUCCESS;
}

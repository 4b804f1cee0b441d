/*
 * check_wire: the packet parser on frames captured from a real kernel
 * (tests/fixtures/wire/session.pcap, written by `wire save`; the README
 * there says how), every prefix of every frame (a cut-short capture must
 * be refused, never read past its end), and the line each packet becomes.
 * The capture itself is tested end to end by wire.sh.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "kernel/wire.h"

#define NFRAMES 16

static char fixdir[512];
static unsigned char frames[NFRAMES][WIRE_SNAP];
static size_t lens[NFRAMES];
static int dlt;

static void load(void)
{
	char path[600], ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const unsigned char *b;
	pcap_t *p;
	int n = 0;

	snprintf(path, sizeof path, "%s/wire/session.pcap", fixdir);
	p = pcap_open_offline(path, ebuf);
	ck_assert_msg(p != NULL, "%s", ebuf);
	dlt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &b) == 1) {
		ck_assert_int_lt(n, NFRAMES);
		ck_assert_uint_le(h->caplen, WIRE_SNAP);
		memcpy(frames[n], b, h->caplen);
		lens[n++] = h->caplen;
	}
	pcap_close(p);
	ck_assert_int_eq(n, NFRAMES);
}

static struct wire_pkt parse(int i)
{
	struct wire_pkt pk;

	ck_assert_msg(wire_parse(dlt, frames[i], lens[i], &pk), "frame %d not parsed", i);
	return pk;
}

START_TEST(fixture_fields)
{
	struct wire_pkt pk;
	char a[ADDR_STRLEN];

	load();
	ck_assert_int_eq(dlt, DLT_EN10MB);	/* Linux loopback */
	/* 0: the SYN of connect c 127.0.0.1:8888 */
	pk = parse(0);
	ck_assert_int_eq(pk.proto, IPPROTO_TCP);
	ck_assert_int_eq(pk.flags, WF_SYN);
	ck_assert_int_eq(pk.dst.port, 8888);
	ck_assert_str_eq(addr_format_host(&pk.src, a, sizeof a), "127.0.0.1");
	ck_assert_uint_eq(pk.len, 0);
	/* 1: SYN-ACK acknowledges the SYN's sequence number + 1 (raw numbers: no flow here) */
	{
		struct wire_pkt syn = parse(0), synack = parse(1);

		ck_assert_int_eq(synack.flags, WF_SYN | WF_ACK);
		ck_assert_uint_eq(synack.ack, syn.seq + 1);
		ck_assert_int_eq(synack.src.port, 8888);
	}
	/* 3: "hello" */
	pk = parse(3);
	ck_assert_int_eq(pk.flags, WF_PSH | WF_ACK);
	ck_assert_uint_eq(pk.len, 5);
	/* 5: the FIN; 6: RST (close with "hello" unread) */
	ck_assert_int_eq(parse(5).flags & WF_FIN, WF_FIN);
	ck_assert_int_eq(parse(6).flags & WF_RST, WF_RST);
	/* 8: RST from the closed port 9 */
	pk = parse(8);
	ck_assert_int_eq(pk.flags, WF_RST | WF_ACK);
	ck_assert_int_eq(pk.src.port, 9);
	/* 9: UDP "hi"; 10: ICMP port unreachable for it */
	pk = parse(9);
	ck_assert_int_eq(pk.proto, IPPROTO_UDP);
	ck_assert_uint_eq(pk.len, 2);
	pk = parse(10);
	ck_assert_int_eq(pk.proto, IPPROTO_ICMP);
	ck_assert(pk.unreach);
	ck_assert_int_eq(pk.iproto, IPPROTO_UDP);
	ck_assert_int_eq(pk.idst.port, 9);
	ck_assert_int_eq(pk.isrc.port, parse(9).src.port);
	/* 11..13: the IPv6 handshake; 14, 15: UDP over IPv6 and ICMPv6 */
	pk = parse(11);
	ck_assert_int_eq(pk.src.family, AF_INET6);
	ck_assert_str_eq(addr_format_host(&pk.dst, a, sizeof a), "::1");
	ck_assert_int_eq(pk.dst.port, 7777);
	pk = parse(15);
	ck_assert_int_eq(pk.proto, IPPROTO_ICMPV6);
	ck_assert(pk.unreach);
	ck_assert_int_eq(pk.idst.port, 9);
	ck_assert_int_eq(pk.isrc.family, AF_INET6);
}
END_TEST

/* The end of a line: what wire_format writes after the two ends. */
static const char *tail(const struct wire_pkt *pk, char *line, size_t len)
{
	const char *arrow;

	wire_format(pk, line, len);
	arrow = strstr(line, " -> ");
	ck_assert_ptr_nonnull(arrow);
	arrow = strchr(arrow + 4, ' ');
	ck_assert_ptr_nonnull(arrow);
	return arrow + 1;
}

START_TEST(lines)
{
	struct wire_pkt pk;
	char line[200];

	load();
	pk = parse(9);
	ck_assert_str_eq(tail(&pk, line, sizeof line), "udp len 2");
	pk = parse(10);
	ck_assert_str_eq(tail(&pk, line, sizeof line), "icmp port unreachable (to 127.0.0.1:9 udp)");
	pk = parse(15);
	ck_assert_str_eq(wire_format(&pk, line, sizeof line), "::1 -> ::1 icmp6 port unreachable (to [::1]:9 udp)");
	/* with no sockets named, an end is its address */
	pk = parse(0);
	ck_assert(strncmp(wire_format(&pk, line, sizeof line), "127.0.0.1:", 10) == 0);
	ck_assert_ptr_nonnull(strstr(line, " -> 127.0.0.1:8888 [S] seq "));
	pk = parse(3);
	ck_assert_ptr_nonnull(strstr(wire_format(&pk, line, sizeof line), "[P.] seq "));
	ck_assert_ptr_nonnull(strstr(line, " len 5"));
}
END_TEST

/* Every prefix of every frame: refused when the headers are cut, and never read past the end. */
START_TEST(every_prefix)
{
	load();
	for (int i = 0; i < NFRAMES; i++)
		for (size_t n = 0; n <= lens[i]; n++) {
			unsigned char *copy = malloc(n ? n : 1);	/* exactly n bytes: ASan sees a read past them */
			struct wire_pkt pk;
			bool ok;

			memcpy(copy, frames[i], n);
			ok = wire_parse(dlt, copy, n, &pk);
			if (n < 14 + 20)
				ck_assert_msg(!ok, "frame %d parsed from %zu bytes", i, n);
			if (ok && pk.proto == IPPROTO_TCP)
				ck_assert_uint_le(pk.len, n);
			free(copy);
		}
	/* and a frame that is not IP at all */
	{
		unsigned char arp[60] = { 0 };
		struct wire_pkt pk;

		arp[12] = 0x08, arp[13] = 0x06;
		ck_assert(!wire_parse(DLT_EN10MB, arp, sizeof arp, &pk));
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("parse");
	const char *f = getenv("FIXTURES");

	snprintf(fixdir, sizeof fixdir, "%s", f ? f : "tests/fixtures");
	tcase_add_test(tc, fixture_fields);
	tcase_add_test(tc, lines);
	tcase_add_test(tc, every_prefix);
	suite_add_tcase(s, tc);
	return trun_suite(s) ? EXIT_FAILURE : EXIT_SUCCESS;
}

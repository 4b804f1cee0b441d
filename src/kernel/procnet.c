/*
 * procnet: a reader for /proc/net/{tcp,tcp6,udp,udp6}.
 *
 * The kernel prints one socket per line (net/ipv4/tcp_ipv4.c get_tcp4_sock,
 * tcp6 and udp likewise):
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ...
 *    0: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1148999 1 ...
 *
 * Addresses are hex of the 32-bit words as they sit in memory, printed as
 * host-order integers (so 127.0.0.1 reads 0100007F on little-endian); the
 * port is plain hex.  Copying each parsed word back into memory recovers the
 * network-order bytes on any endianness.  tm->when is in clock ticks of
 * USER_HZ, 1/100 s.  We read the fields up to inode and ignore the rest.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/grow.h"
#include "kernel/procnet.h"

#define PN_CHUNK (1024 * 1024)
/*
 * Read this much before parsing: the kernel prints about 4 KiB a read(2),
 * and its reads back to back keep its own data in the cache, where a parse
 * after each read pushed it out (measured: a refresh 1.07-1.11x a plain
 * read parsing every 4 KiB, 1.02-1.06x with 256 KiB; 1 MiB is worse again).
 */
#define PN_FILL (256 * 1024)

static const struct {
	const char *path;
	uint8_t proto;
	int family;
} pn_files[PN_NFILES] = {
	[PN_TCP] = { "net/tcp", IPPROTO_TCP, AF_INET },
	[PN_TCP6] = { "net/tcp6", IPPROTO_TCP, AF_INET6 },
	[PN_UDP] = { "net/udp", IPPROTO_UDP, AF_INET },
	[PN_UDP6] = { "net/udp6", IPPROTO_UDP, AF_INET6 },
};

void procnet_init(struct procnet *pn, const char *root)
{
	memset(pn, 0, sizeof *pn);
	if (root == NULL)
		root = getenv("SOCKPLAY_PROC_ROOT");
	snprintf(pn->root, sizeof pn->root, "%s", root && *root ? root : "/proc");
}

void procnet_free(struct procnet *pn)
{
	free(pn->v);
	free(pn->buf);
	pn->v = NULL;
	pn->buf = NULL;
	pn->n = pn->cap = pn->bufcap = 0;
}

/* A cursor over one line; every reader fails soft at the end. */
struct cur {
	const char *p, *end;
};

static void skip_spaces(struct cur *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

/* A hex digit's value plus one, by byte; 0 for anything else.  The hot path. */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
	['E'] = 15, ['F'] = 16, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16,
};

/*
 * Exactly `digits` hex digits.  Unless `joined` (the words of an IPv6
 * address follow each other), no further hex digit may follow.
 */
static int read_hex_word(struct cur *c, int digits, int joined, uint32_t *out)
{
	const unsigned char *p = (const unsigned char *)c->p;
	uint32_t v = 0;
	int bad = 0;

	if (c->end - c->p < digits)
		return -1;
	for (int i = 0; i < digits; i++) {
		unsigned t = hex1[p[i]];

		bad |= t == 0;
		v = (v << 4) | ((t - 1) & 15);
	}
	if (bad)
		return -1;
	c->p += digits;
	if (!joined && c->p < c->end && hex1[(unsigned char)*c->p])
		return -1;	/* a wider field than the kernel prints */
	*out = v;
	return 0;
}

static int read_hex32(struct cur *c, int digits, uint32_t *out)
{
	return read_hex_word(c, digits, 0, out);
}

static int read_dec64(struct cur *c, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	skip_spaces(c);
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*c->p - '0');
		c->p++;
		n++;
	}
	if (n == 0)
		return -1;
	*out = v;
	return 0;
}

static int expect_char(struct cur *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return -1;
	c->p++;
	return 0;
}

/* "0100007F:1F41", the address words as in memory, then the port. */
static int read_endpoint(struct cur *c, int family, struct endpoint *ep)
{
	int words = family == AF_INET6 ? 4 : 1;
	uint32_t w, port;

	memset(ep, 0, sizeof *ep);
	ep->family = family;
	skip_spaces(c);
	for (int i = 0; i < words; i++) {
		if (read_hex_word(c, 8, i + 1 < words, &w) < 0)
			return -1;
		memcpy(ep->addr + 4 * i, &w, 4);
	}
	if (expect_char(c, ':') < 0 || read_hex32(c, 4, &port) < 0)
		return -1;
	ep->port = (uint16_t)port;
	return 0;
}

int procnet_parse_line_general(const char *line, size_t len, enum pn_file which,
			       struct pn_entry *e)
{
	struct cur c = { line, line + len };
	int family = pn_files[which].family;
	uint32_t st, tr, v;
	uint64_t d;

	skip_spaces(&c);
	if (c.end - c.p >= 2 && c.p[0] == 's' && c.p[1] == 'l')
		return 1;	/* the header */
	memset(e, 0, sizeof *e);
	e->proto = pn_files[which].proto;
	/* sl: the hash slot, decimal, then ':' */
	if (read_dec64(&c, &d) < 0 || expect_char(&c, ':') < 0)
		return -1;
	if (read_endpoint(&c, family, &e->local) < 0 ||
	    read_endpoint(&c, family, &e->remote) < 0)
		return -1;
	/* st */
	skip_spaces(&c);
	if (read_hex32(&c, 2, &st) < 0 || st == 0 || st > PN_NEW_SYN_RECV)
		return -1;
	e->state = (uint8_t)st;
	/* tx_queue:rx_queue */
	skip_spaces(&c);
	if (read_hex32(&c, 8, &e->txq) < 0 || expect_char(&c, ':') < 0 ||
	    read_hex32(&c, 8, &e->rxq) < 0)
		return -1;
	/* tr:tm->when */
	skip_spaces(&c);
	if (read_hex32(&c, 2, &tr) < 0 || tr > PN_TIMER_PROBE ||
	    expect_char(&c, ':') < 0 || read_hex32(&c, 8, &e->when) < 0)
		return -1;
	e->timer = (uint8_t)tr;
	/* retrnsmt */
	skip_spaces(&c);
	if (read_hex32(&c, 8, &v) < 0)
		return -1;
	e->retrnsmt = v;
	/* uid, timeout (probes in flight, unused), inode: decimal */
	if (read_dec64(&c, &d) < 0 || d > UINT32_MAX)
		return -1;
	e->uid = (uint32_t)d;
	if (read_dec64(&c, &d) < 0)
		return -1;
	if (read_dec64(&c, &e->inode) < 0)
		return -1;
	/* a truncated line stops right after inode: it must be followed by a space */
	if (c.p < c.end && *c.p != ' ')
		return -1;
	return 0;
}

/*
 * The fast path.  The kernel prints every field after "sl:" at a fixed
 * width ("%08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X", IPv6 with
 * four address words), upper-case, one space apart, then " %5u %8d %lu".
 * A line is checked against that layout as a whole (with SSE2, sixteen
 * bytes an instruction) and its fields read at fixed offsets, two fields
 * at a time; any other line goes to the general parser above, which takes
 * any spacing and case and says what is malformed.  The two agree on every
 * line (check_procnet, and fuzz_procnet compares them).
 */
#if PROCNET_FAST_PATH
#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

/* Per byte of x (each below 128): the high bit where m < byte < n. */
static inline uint64_t bytes_between(uint64_t x, uint64_t m, uint64_t n)
{
	uint64_t low = x & (ONES * 127);

	return ((ONES * (127 + n) - low) & ~x & (low + ONES * (127 - m))) & HIGH;
}

/*
 * Spaces, then 1 to 19 decimal digits (no overflow is possible): 0, *out
 * and *pp past the digits, or -1.  Spaces go eight at a time.
 */
static inline int dec_field(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	int n = 0;

	while (end - p >= 8) {
		uint64_t x;

		memcpy(&x, p, 8);
		x ^= ONES * ' ';	/* spaces become zero bytes */
		if (x != 0) {
			p += __builtin_ctzll(x) / 8;
			break;
		}
		p += 8;
	}
	while (p < end && *p == ' ')
		p++;
	while (p < end && *p >= '0' && *p <= '9' && n < 20) {
		v = v * 10 + (uint64_t)(*p++ - '0');
		n++;
	}
	if (n == 0 || n > 19)
		return -1;
	*out = v;
	*pp = p;
	return 0;
}

/*
 * Eight bytes x, the first in the lowest byte: spaces, then digits to the
 * last byte (the kernel's "%5u" and "%8d", right-aligned).  0 and the
 * number, or -1: a byte that is neither, a space after a digit, no digit.
 */
static inline int dec_digits8(uint64_t x, uint64_t *out)
{
	uint64_t digit = bytes_between(x, 0x2F, 0x3A), space = bytes_between(x, 0x1F, 0x21);

	if ((x & HIGH) || (digit | space) != HIGH || digit == 0 ||
	    (space >> __builtin_ctzll(digit)) != 0)
		return -1;
	x &= ONES * 15;	/* a leading space is a 0: 0x20 & 15 */
	x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFULL;
	x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFULL;
	*out = (x * 10000 + (x >> 32)) & 0xFFFFFFFFULL;
	return 0;
}

/* The right-aligned field of width (at most 8) bytes that ends at last. */
static inline int dec_right(const char *last, int width, uint64_t *out)
{
	uint64_t x, keep = ~0ULL << (8 * (8 - width));

	memcpy(&x, last - 7, 8);
	return dec_digits8((x & keep) | (ONES * ' ' & ~keep), out);
}

/* The digits of x (high bit of each digit byte). */
static inline uint64_t digits_of(uint64_t x)
{
	return bytes_between(x, 0x2F, 0x3A) & ~x;
}

/* The first n (1 to 7) bytes of x moved to its end, spaces before them: right-aligned. */
static inline uint64_t right_aligned(uint64_t x, int n)
{
	return (x << (8 * (8 - n))) | (ONES * ' ' >> (8 * n));
}

/*
 * 1 to 15 digits at *pp, then a byte that is not one (an inode: "%lu"):
 * as dec_field reads them, which it is left to when the line is shorter.
 */
static inline int dec_left(const char **pp, const char *end, uint64_t *out)
{
	uint64_t x0, x1, d0, d1, hi, lo;
	int n;

	if (end - *pp < 16)
		return dec_field(pp, end, out);
	memcpy(&x0, *pp, 8);
	memcpy(&x1, *pp + 8, 8);
	d0 = digits_of(x0);
	if (d0 != HIGH) {
		n = __builtin_ctzll(~d0 & HIGH) / 8;
		if (n == 0)
			return dec_field(pp, end, out);	/* spaces first */
		if (dec_digits8(right_aligned(x0, n), out) < 0)
			return -1;
		*pp += n;
		return 0;
	}
	d1 = digits_of(x1);
	if (d1 == HIGH)
		return dec_field(pp, end, out);	/* sixteen digits or more */
	n = __builtin_ctzll(~d1 & HIGH) / 8;	/* digits past the first eight */
	if (n == 0)
		hi = 0, lo = x0;
	else if (dec_digits8(right_aligned(x0, n), &hi) < 0)
		return -1;
	else
		lo = (x0 >> (8 * n)) | (x1 << (8 * (8 - n)));
	if (dec_digits8(lo, &lo) < 0)
		return -1;
	*out = hi * 100000000 + lo;
	*pp += 8 + n;
	return 0;
}

/*
 * The fixed part of a line, from the local address to the space after
 * retrnsmt (70 bytes for IPv4, 118 for IPv6), written once as H() (where the
 * kernel prints an upper-case hex digit) and C(byte) (where it prints that
 * byte), and made into tables below.  A line is checked against it as a
 * whole, and its fields then read without a check of their own.
 */
#define HEX4(H) H() H() H() H()
#define HEX8(H) HEX4(H) HEX4(H)
#define HEX32(H) HEX8(H) HEX8(H) HEX8(H) HEX8(H)
#define LAYOUT_REST(H, C) \
	H() H() C(' ') HEX8(H) C(':') HEX8(H) C(' ') H() H() C(':') HEX8(H) C(' ') HEX8(H) C(' ')
#define LAYOUT4(H, C) HEX8(H) C(':') HEX4(H) C(' ') HEX8(H) C(':') HEX4(H) C(' ') LAYOUT_REST(H, C)
#define LAYOUT6(H, C) HEX32(H) C(':') HEX4(H) C(' ') HEX32(H) C(':') HEX4(H) C(' ') LAYOUT_REST(H, C)
#define TAIL10(A) A() A() A() A() A() A() A() A() A() A()
/* ... and as text: 'H' where a hex digit goes */
#define T_H() 'H',
#define T_C(c) c,
_Static_assert(sizeof((const char[]){ LAYOUT4(T_H, T_C) }) == 70, "the IPv4 layout is 70 bytes");
_Static_assert(sizeof((const char[]){ LAYOUT6(T_H, T_C) }) == 118, "the IPv6 layout is 118 bytes");
/* What the fast path reads of it: the layout and ten bytes more (a line has the decimal fields after) */
#define LAYOUT_SPAN(words) ((words) == 4 ? 128 : 80)

#ifdef __SSE2__
#include <emmintrin.h>

/*
 * As tables a line is checked against sixteen bytes at a time: a byte is
 * good when it lies in [lo, lo + w] or in [lo2, lo2 + w2] (a hex digit is
 * '0' + 0..9 or 'A' + 0..5, any other byte exactly itself).  Ten bytes of
 * anything pad each table to whole lanes: 80 bytes for IPv4, 128 for IPv6,
 * all of them inside a line that has the decimal fields after.
 */
struct layout {
	unsigned char lo[128], w[128], lo2[128], w2[128];
};

#define R_LO_H() '0',
#define R_W_H() 9,
#define R_LO2_H() 'A',
#define R_W2_H() 5,
#define R_SAME(c) c,
#define R_ZERO(c) 0,
#define R_ANY_LO() 0,
#define R_ANY_W() 255,
static const struct layout layout4 __attribute__((aligned(16))) = {
	{ LAYOUT4(R_LO_H, R_SAME) TAIL10(R_ANY_LO) }, { LAYOUT4(R_W_H, R_ZERO) TAIL10(R_ANY_W) },
	{ LAYOUT4(R_LO2_H, R_SAME) TAIL10(R_ANY_LO) }, { LAYOUT4(R_W2_H, R_ZERO) TAIL10(R_ANY_W) },
};
static const struct layout layout6 __attribute__((aligned(16))) = {
	{ LAYOUT6(R_LO_H, R_SAME) TAIL10(R_ANY_LO) }, { LAYOUT6(R_W_H, R_ZERO) TAIL10(R_ANY_W) },
	{ LAYOUT6(R_LO2_H, R_SAME) TAIL10(R_ANY_LO) }, { LAYOUT6(R_W2_H, R_ZERO) TAIL10(R_ANY_W) },
};

/* Lane k (16 bytes at p + 16k): zero bytes where good. */
static inline __m128i lane_bad(const char *p, const struct layout *l, int k)
{
	__m128i v = _mm_loadu_si128((const __m128i *)p + k);
	__m128i one = _mm_subs_epu8(_mm_sub_epi8(v, _mm_load_si128((const __m128i *)l->lo + k)),
				    _mm_load_si128((const __m128i *)l->w + k));
	__m128i two = _mm_subs_epu8(_mm_sub_epi8(v, _mm_load_si128((const __m128i *)l->lo2 + k)),
				    _mm_load_si128((const __m128i *)l->w2 + k));

	return _mm_min_epu8(one, two);
}

/* The 16 * lanes bytes at p are as l says: five lanes, or eight. */
static inline __attribute__((always_inline)) int laid_out_lanes(const char *p, const struct layout *l, int lanes)
{
	__m128i bad = _mm_or_si128(_mm_or_si128(lane_bad(p, l, 0), lane_bad(p, l, 1)),
				   _mm_or_si128(lane_bad(p, l, 2), _mm_or_si128(lane_bad(p, l, 3), lane_bad(p, l, 4))));

	if (lanes == 8)
		bad = _mm_or_si128(bad, _mm_or_si128(lane_bad(p, l, 5), _mm_or_si128(lane_bad(p, l, 6), lane_bad(p, l, 7))));
	return _mm_movemask_epi8(_mm_cmpeq_epi8(bad, _mm_setzero_si128())) == 0xFFFF;
}

/* The LAYOUT_SPAN bytes at p are as the layout says. */
static inline int laid_out(const char *p, int words)
{
	return words == 4 ? laid_out_lanes(p, &layout6, 8) : laid_out_lanes(p, &layout4, 5);
}
#else
/* Without SSE2: the layout as text, checked eight bytes at a time in a register. */
static const char layout4[] = { LAYOUT4(T_H, T_C) };
static const char layout6[] = { LAYOUT6(T_H, T_C) };

/* Per byte: the high bit where x's byte is zero. */
static inline uint64_t zero_bytes(uint64_t x)
{
	return ~(((x & (ONES * 127)) + ONES * 127) | x) & HIGH;
}

/* The eight bytes at p are as layout says. */
static inline int laid_out_lane(const char *p, const char *layout)
{
	uint64_t x, l, at_hex, hex;

	memcpy(&x, p, 8);
	memcpy(&l, layout, 8);
	at_hex = zero_bytes(l ^ ONES * 'H');
	hex = digits_of(x) | (bytes_between(x, 0x40, 0x47) & ~x);
	return ((at_hex & hex) | (~at_hex & zero_bytes(x ^ l))) == HIGH;
}

/* The layout's bytes at p are as it says. */
static int laid_out(const char *p, int words)
{
	const char *layout = words == 4 ? layout6 : layout4;
	size_t n = words == 4 ? sizeof layout6 : sizeof layout4, o;

	for (o = 0; o + 8 < n; o += 8)
		if (!laid_out_lane(p + o, layout + o))
			return 0;
	return laid_out_lane(p + n - 8, layout + n - 8);
}
#endif

/*
 * Hex digits known good (the layout said so), as a register: each byte's
 * value, 0 to 15 ('A' is 0x41: its low bits are 1, and bit 6 adds 9).
 */
#define NIBBLES(x, ones) (((x) & (ones) * 15) + (((x) >> 6) & (ones)) * 9)

#ifndef __SSE2__
/* Eight hex digits at p, known good: their value. */
static inline uint32_t hex8v(const char *p)
{
	uint64_t x, v;

	memcpy(&x, p, 8);
	v = NIBBLES(x, ONES);
	/* pairs of digits to bytes, then the four bytes together, first digit's byte lowest */
	v = ((v << 4) | (v >> 8)) & 0x00FF00FF00FF00FFULL;
	v = (v | (v >> 8)) & 0x0000FFFF0000FFFFULL;
	return __builtin_bswap32((uint32_t)(v | (v >> 16)));
}
#endif

/* Two runs of eight hex digits, at p and at q, known good: their values. */
static inline void hex8x2(const char *p, const char *q, uint32_t *a, uint32_t *b)
{
#ifdef __SSE2__
	__m128i x = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)p), _mm_loadl_epi64((const __m128i *)q));
	__m128i v = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(15)),
				 _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('9')), _mm_set1_epi8(9)));
	uint64_t pairs;

	/* two digits to the low byte of each 16 bits, then those bytes side by side */
	v = _mm_and_si128(_mm_or_si128(_mm_slli_epi16(v, 4), _mm_srli_epi16(v, 8)), _mm_set1_epi16(0xFF));
	_mm_storel_epi64((__m128i *)(void *)&pairs, _mm_packus_epi16(v, v));
	*a = __builtin_bswap32((uint32_t)pairs);
	*b = __builtin_bswap32((uint32_t)(pairs >> 32));
#else
	*a = hex8v(p);
	*b = hex8v(q);
#endif
}

/* Two runs of n (two or four) hex digits, at p and at q, known good: their values. */
static inline void hex_short2(const char *p, const char *q, size_t n, unsigned *a, unsigned *b)
{
	uint32_t x0 = 0, x1 = 0;
	uint64_t v;

	memcpy(&x0, p, n);
	memcpy(&x1, q, n);
	v = x0 | (uint64_t)x1 << 32;
	v = NIBBLES(v, ONES);
	/* pairs of digits to bytes: p's at bytes 0 and 2, q's at 4 and 6 */
	v = ((v << 4) | (v >> 8)) & 0x00FF00FF00FF00FFULL;
	if (n == 2) {
		*a = (unsigned)(v & 0xFF);
		*b = (unsigned)((v >> 32) & 0xFF);
	} else {
		*a = (unsigned)((v & 0xFF) << 8 | ((v >> 16) & 0xFF));
		*b = (unsigned)(((v >> 32) & 0xFF) << 8 | ((v >> 48) & 0xFF));
	}
}

/*
 * The start of a line, "%4d: " ("%5d: " for UDP): spaces, then digits,
 * then ':', all in its first eight bytes.  The offset of the ':', or -1
 * (a wider slot number, or not that at all: the general parser decides).
 */
static inline int slot_colon(const char *line)
{
	uint64_t x, space, digit, other;
	int c;

	memcpy(&x, line, 8);
	space = bytes_between(x, 0x1F, 0x21) & ~x;
	digit = digits_of(x);
	other = ~(space | digit) & HIGH;
	if (other == 0 || digit == 0)
		return -1;
	c = __builtin_ctzll(other) / 8;
	/* a ':' after at least one digit, and no space after the first digit */
	if (((x >> (8 * c)) & 0xFF) != ':' || (digit & ((1ULL << (8 * c)) - 1)) == 0 ||
	    ((space & ((1ULL << (8 * c)) - 1)) >> __builtin_ctzll(digit)) != 0)
		return -1;
	return c;
}

int procnet_parse_line_fixed(const char *line, size_t len, enum pn_file which, struct pn_entry *e)
{
	const char *p, *end = line + len, *f;
	int family = pn_files[which].family, words = family == AF_INET6 ? 4 : 1;
	int a = 8 * words, c;
	unsigned st, tr, lp, rp;
	uint32_t w[2];
	uint64_t d;

	if (len < 8 || (c = slot_colon(line)) < 0)
		return -1;
	p = line + c;
	/* ": ", then the layout and the ten bytes after it that the check reads */
	if (end - p < 2 + LAYOUT_SPAN(words) || p[1] != ' ' || !laid_out(p + 2, words))
		return -1;
	memset(e, 0, sizeof *e);
	e->proto = pn_files[which].proto;
	e->local.family = e->remote.family = family;
	/* the addresses' words, two at a time */
	if (words == 1) {
		hex8x2(p + 2, p + 8 + a, &w[0], &w[1]);
		memcpy(e->local.addr, &w[0], 4);
		memcpy(e->remote.addr, &w[1], 4);
	} else
		for (int i = 0; i < 4; i += 2) {
			hex8x2(p + 2 + 8 * i, p + 10 + 8 * i, &w[0], &w[1]);
			memcpy(e->local.addr + 4 * i, w, 8);
			hex8x2(p + 8 + a + 8 * i, p + 16 + a + 8 * i, &w[0], &w[1]);
			memcpy(e->remote.addr + 4 * i, w, 8);
		}
	hex_short2(p + 3 + a, p + 9 + 2 * a, 4, &lp, &rp);
	e->local.port = (uint16_t)lp;
	e->remote.port = (uint16_t)rp;
	f = p + 14 + 2 * a;
	hex_short2(f, f + 21, 2, &st, &tr);
	if (st == 0 || st > PN_NEW_SYN_RECV || tr > PN_TIMER_PROBE)
		return -1;
	hex8x2(f + 3, f + 12, &e->txq, &e->rxq);
	hex8x2(f + 24, f + 33, &e->when, &e->retrnsmt);
	e->state = (uint8_t)st;
	e->timer = (uint8_t)tr;
	/*
	 * uid, timeout, inode: decimal.  The kernel prints " %5u %8d %lu", the
	 * first two in place unless a number is wider than its field.
	 */
	if (end - f >= 58 && f[47] == ' ' && f[56] == ' ') {
		if (dec_right(f + 46, 5, &d) < 0)
			return -1;
		e->uid = (uint32_t)d;
		/* timeout (probes in flight, not kept): nearly always "       0" */
		if (memcmp(f + 48, "       0", 8) != 0 && dec_right(f + 55, 8, &d) < 0)
			return -1;
		f += 57;
		if (dec_left(&f, end, &e->inode) < 0 || (f < end && *f != ' '))
			return -1;
		return 0;
	}
	f += 41;
	if (dec_field(&f, end, &d) < 0 || d > UINT32_MAX)
		return -1;
	e->uid = (uint32_t)d;
	if (dec_field(&f, end, &d) < 0 || dec_field(&f, end, &e->inode) < 0 || (f < end && *f != ' '))
		return -1;
	return 0;
}
#else
int procnet_parse_line_fixed(const char *line, size_t len, enum pn_file which, struct pn_entry *e)
{
	(void)line, (void)len, (void)which, (void)e;
	return -1;
}
#endif

int procnet_parse_line(const char *line, size_t len, enum pn_file which,
		       struct pn_entry *e)
{
	if (procnet_parse_line_fixed(line, len, which, e) == 0)
		return 0;
	return procnet_parse_line_general(line, len, which, e);
}

struct pn_entry *procnet_push(struct procnet *pn)
{
	return GROW(pn->v, pn->n, pn->cap, 256) ? &pn->v[pn->n] : NULL;
}

/* Parse the complete lines in buf[0..len); return how many bytes were used. */
static size_t pn_parse_lines(struct procnet *pn, const char *buf, size_t len,
			     enum pn_file which, int *oom)
{
	size_t used = 0;

	for (;;) {
		const char *nl = memchr(buf + used, '\n', len - used);
		struct pn_entry *e;
		int r;

		if (nl == NULL)
			return used;
		e = procnet_push(pn);
		if (e == NULL) {
			*oom = 1;
			return len;
		}
		r = procnet_parse_line(buf + used, (size_t)(nl - (buf + used)), which, e);
		if (r == 0)
			pn->n++;
		else if (r < 0)
			pn->malformed++;
		used = (size_t)(nl - buf) + 1;
	}
}

static int pn_read_file(struct procnet *pn, enum pn_file which)
{
	char path[320];
	size_t have = 0;
	int fd, oom = 0;

	snprintf(path, sizeof path, "%s/%s", pn->root, pn_files[which].path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	for (;;) {
		ssize_t r = read(fd, pn->buf + have, pn->bufcap - have);
		size_t used;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		have += (size_t)r;
		if (have < PN_FILL && pn->bufcap - have >= 8192)
			continue;
		used = pn_parse_lines(pn, pn->buf, have, which, &oom);
		if (oom) {
			close(fd);
			errno = ENOMEM;
			return -1;
		}
		/* keep the partial last line for the next chunk */
		memmove(pn->buf, pn->buf + used, have - used);
		have -= used;
		if (have == pn->bufcap)	/* a line longer than the buffer */
			have = 0, pn->malformed++;
	}
	close(fd);
	if (have > 0) {
		size_t used = pn_parse_lines(pn, pn->buf, have, which, &oom);

		if (oom) {
			errno = ENOMEM;
			return -1;
		}
		if (used < have)
			pn->malformed++;	/* truncated last line, no newline */
	}
	return 0;
}

int procnet_read(struct procnet *pn, unsigned mask)
{
	if (pn->buf == NULL) {
		pn->buf = malloc(PN_CHUNK);
		if (pn->buf == NULL)
			return -1;
		pn->bufcap = PN_CHUNK;
	}
	if (!(mask & PN_APPEND)) {
		pn->n = 0;
		pn->malformed = 0;
	}
	for (int f = 0; f < PN_NFILES; f++)
		if ((mask & (1u << f)) && pn_read_file(pn, (enum pn_file)f) < 0)
			return -1;
	return 0;
}

size_t procnet_sockstat(const struct procnet *pn, char *buf, size_t len)
{
	static const char *const files[] = { "net/sockstat", "net/sockstat6" };
	size_t have = 0;

	for (int i = 0; i < 2; i++) {
		char path[320];
		int fd;
		ssize_t r;

		snprintf(path, sizeof path, "%s/%s", pn->root, files[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		while (have < len && (r = read(fd, buf + have, len - have)) > 0)
			have += (size_t)r;
		close(fd);
		if (i == 0 && have > 8 && memcmp(buf, "sockets:", 8) == 0) {
			/* every socket of the namespace, Unix ones too: not the table's business */
			const char *nl = memchr(buf, '\n', have);
			size_t cut = nl ? (size_t)(nl + 1 - buf) : have;

			memmove(buf, buf + cut, have - cut);
			have -= cut;
		}
	}
	return have;
}

const char *pn_state_name(const struct pn_entry *e)
{
	static const char *const tcp[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
		"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
		"NEW_SYN_RECV",
	};

	if (e->proto == IPPROTO_UDP) {
		/* UDP uses two of the TCP codes: 07 unconnected, 01 connected */
		if (e->state == PN_CLOSE)
			return "UNCONN";
		if (e->state == PN_ESTABLISHED)
			return "ESTAB";
	}
	return e->state <= PN_NEW_SYN_RECV ? tcp[e->state] : "?";
}

const char *pn_timer_label(const struct pn_entry *e)
{
	/* a FIN_WAIT2 orphan runs the TIME_WAIT timer for tcp_fin_timeout, not for TIME_WAIT */
	if (e->state == PN_FIN_WAIT2 && e->timer == PN_TIMER_TIMEWAIT)
		return "fin_timeout";
	return pn_timer_name(e->timer);
}

bool pn_after_close(const struct pn_entry *e)
{
	return e->proto == IPPROTO_TCP &&
	       (e->state == PN_FIN_WAIT1 || e->state == PN_FIN_WAIT2 || e->state == PN_CLOSING ||
		e->state == PN_LAST_ACK || e->state == PN_TIME_WAIT);
}

const char *pn_timer_name(unsigned timer)
{
	static const char *const names[] = { "", "on", "keepalive", "timewait", "probe" };

	return timer <= PN_TIMER_PROBE ? names[timer] : "?";
}

const char *pn_proto_name(const struct pn_entry *e)
{
	if (e->proto == IPPROTO_TCP)
		return e->local.family == AF_INET6 ? "tcp6" : "tcp";
	return e->local.family == AF_INET6 ? "udp6" : "udp";
}

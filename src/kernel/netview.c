/*
 * netview: join and filter.  The join is by inode for live sockets (fstat's
 * st_ino is the inode column) and by 4-tuple for the timewait
 * minisockets the kernel shows with inode 0 after close().
 */
#include "config.h"

#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/grow.h"
#include "kernel/netview.h"
#include "util/i18n.h"

static const char *const state_words[] = {
	"ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	"NEW_SYN_RECV", "UNCONN", "ESTAB", NULL,
};

static int parse_endpoint_filter(const char *text, struct endpoint *ep, bool *wild,
				 char *err, size_t errlen)
{
	*wild = false;
	if (text[0] == ':') {
		int port = addr_parse_port(text + 1);

		if (port < 0) {
			snprintf(err, errlen, _("bad port in filter '%s': use 0..65535"), text);
			return -1;
		}
		memset(ep, 0, sizeof *ep);
		ep->port = (uint16_t)port;
		return 0;
	}
	if (text[0] == '*' && text[1] == ':') {
		*wild = true;
		/* family 0 keeps "any family"; the port is checked separately */
		if (addr_parse(text, AF_INET, ep, err, errlen) < 0)
			return -1;
		ep->family = 0;
		return 0;
	}
	if (addr_parse(text, AF_INET, ep, err, errlen) < 0)
		return -1;
	return 0;
}

/* The protocol words of a filter, and the bit each sets in protos. */
static const struct {
	const char *word;
	unsigned bit;
} proto_words[] = { { "tcp", 1 }, { "udp", 2 } };

static bool proto_word(const char *w, unsigned *protos)
{
	for (size_t i = 0; i < sizeof proto_words / sizeof proto_words[0]; i++)
		if (strcmp(proto_words[i].word, w) == 0) {
			*protos |= proto_words[i].bit;
			return true;
		}
	return false;
}

int netfilter_parse(int argc, char *const argv[], struct netfilter *f,
		    char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		char up[16];
		size_t k;

		if (proto_word(w, &f->protos))
			continue;
		if (strcmp(w, "own") == 0) {
			f->own_only = true;
			continue;
		}
		if (w[0] == '@' && w[1] && strlen(w) < sizeof f->host + 1) {
			snprintf(f->host, sizeof f->host, "%s", w + 1);
			continue;
		}
		if (w[0] == '-' && w[1] == '>') {
			if (parse_endpoint_filter(w + 2, &f->remote, &f->remote_wild,
						  err, errlen) < 0)
				return -1;
			f->have_remote = true;
			continue;
		}
		if (strchr(w, ':') != NULL) {
			if (parse_endpoint_filter(w, &f->local, &f->local_wild, err, errlen) < 0)
				return -1;
			f->have_local = true;
			continue;
		}
		for (k = 0; w[k] && k < sizeof up - 1; k++)
			up[k] = w[k] == '-' ? '_' : (char)toupper((unsigned char)w[k]);
		up[k] = '\0';
		for (k = 0; state_words[k]; k++)
			if (strcmp(state_words[k], up) == 0)
				break;
		if (state_words[k] == NULL || w[strlen(up)] != '\0') {
			snprintf(err, errlen,
				 _("unknown filter '%s': use tcp, udp, own, a state "
				 "(LISTEN, TIME_WAIT...), :PORT, ADDR:PORT or ->ADDR:PORT"), w);
			return -1;
		}
		snprintf(f->state, sizeof f->state, "%s", up);
	}
	return 0;
}

/* Does ep (from a row) match filter endpoint want?  IPv4 matches v4-mapped. */
static bool endpoint_match(const struct endpoint *want, bool wild,
			   const struct endpoint *ep)
{
	struct endpoint u;

	if (ep == NULL || ep->family == 0)
		return false;
	if (ep->port != want->port)
		return false;
	if (wild)
		return addr_is_wildcard(ep);
	if (want->family == 0)
		return true;
	u = addr_unmap(ep);
	return addr_same_host(want, &u) || addr_same_host(want, ep);
}

static const struct endpoint *row_local(const struct netrow *r)
{
	return r->e ? &r->e->local : &r->own->local;
}

static const struct endpoint *row_remote(const struct netrow *r)
{
	return r->e ? &r->e->remote : &r->own->peer;
}

static int row_proto(const struct netrow *r)
{
	if (r->e)
		return r->e->proto;
	return r->own->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
}

int netrow_host(const struct netrow *r)
{
	return r->e ? r->e->host : r->own ? r->own->host : 0;
}

bool netfilter_match(const struct netfilter *f, const struct netrow *r)
{
	int proto = row_proto(r);

	if (f->protos) {
		if (proto == IPPROTO_TCP && !(f->protos & 1))
			return false;
		if (proto == IPPROTO_UDP && !(f->protos & 2))
			return false;
	}
	if (f->own_only && r->own == NULL)
		return false;
	if (f->host[0] && netrow_host(r) != f->host_no)
		return false;
	if (f->state[0]) {
		const char *name;

		if (r->e == NULL)
			return false;	/* an unlisted socket has no kernel state */
		name = pn_state_name(r->e);
		if (strcmp(name, f->state) != 0 &&
		    !(r->e->state == PN_ESTABLISHED &&
		      (strcmp(f->state, "ESTAB") == 0 || strcmp(f->state, "ESTABLISHED") == 0)))
			return false;
	}
	if (f->have_local && !endpoint_match(&f->local, f->local_wild, row_local(r)))
		return false;
	if (f->have_remote && !endpoint_match(&f->remote, f->remote_wild, row_remote(r)))
		return false;
	return true;
}

static size_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static size_t tuple_hash(int type, const struct endpoint *l, const struct endpoint *r)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)type;

	h = hash_bytes(h, l->addr, 16);
	h = hash_bytes(h, &l->port, sizeof l->port);
	h = hash_bytes(h, r->addr, 16);
	h = hash_bytes(h, &r->port, sizeof r->port);
	return mix(h ^ (uint64_t)(l->family * 31 + r->family));
}

static bool tuple_is(const struct sock *s, int type, const struct endpoint *l,
		     const struct endpoint *r)
{
	return s->type == type && addr_equal(&s->local, l) && addr_equal(&s->peer, r);
}

/*
 * Index every socket: open ones by inode, all by 4-tuple (newer over
 * older).  Kept while the table has not changed (its gen counts every
 * change of an entry's addresses or descriptor): a refresh between
 * commands does not hash a thousand sockets again.
 */
static int index_build(struct netview *nv, const struct socktab *t)
{
	size_t want = 16;

	if (nv->indexed_gen == t->gen) {
		memset(nv->seen, 0, (t->n ? t->n : 1) * sizeof *nv->seen);
		return 0;
	}
	nv->indexed_gen = 0;
	if (nv->ports == NULL && (nv->ports = malloc(65536 / 8)) == NULL)
		return -1;
	if (nv->inodes == NULL && (nv->inodes = malloc(65536 / 8)) == NULL)
		return -1;
	memset(nv->ports, 0, 65536 / 8);
	memset(nv->inodes, 0, 65536 / 8);
	for (size_t i = 0; i < t->n; i++) {
		unsigned port = t->v[i]->local.port, low = (unsigned)(t->v[i]->inode & 0xFFFF);

		nv->ports[port / 8] |= (unsigned char)(1u << (port % 8));
		if (t->v[i]->fd >= 0 && t->v[i]->inode)
			nv->inodes[low / 8] |= (unsigned char)(1u << (low % 8));
	}

	while (want < t->n * 2)
		want *= 2;
	if (want != nv->nslots) {
		struct nv_islot *a = realloc(nv->by_inode, want * sizeof *a);
		size_t *b = a ? realloc(nv->by_tuple, want * sizeof *b) : NULL;

		if (a)
			nv->by_inode = a;
		if (b == NULL)
			return -1;
		nv->by_tuple = b;
		nv->nslots = want;
	}
	free(nv->seen);
	nv->seen = calloc(t->n ? t->n : 1, sizeof *nv->seen);
	if (nv->seen == NULL)
		return -1;
	memset(nv->by_inode, 0, nv->nslots * sizeof *nv->by_inode);
	memset(nv->by_tuple, 0, nv->nslots * sizeof *nv->by_tuple);
	for (size_t i = 0; i < t->n; i++) {
		const struct sock *s = t->v[i];
		size_t m = nv->nslots - 1, k;

		if (s->fd >= 0 && s->inode) {
			for (k = mix(s->inode) & m; nv->by_inode[k].inode; k = (k + 1) & m)
				;
			nv->by_inode[k].inode = s->inode;
			nv->by_inode[k].own = i + 1;
		}
		for (k = tuple_hash(s->type, &s->local, &s->peer) & m; nv->by_tuple[k]; k = (k + 1) & m)
			if (tuple_is(t->v[nv->by_tuple[k] - 1], s->type, &s->local, &s->peer))
				break;	/* the newer socket takes the slot */
		nv->by_tuple[k] = i + 1;
	}
	nv->indexed_gen = t->gen;
	return 0;
}

/* The open socket with this inode: its index + 1, or 0. */
static inline size_t find_by_inode(const struct netview *nv, uint64_t inode)
{
	size_t m = nv->nslots - 1, low = inode & 0xFFFF;

	if (!(nv->inodes[low / 8] & (1u << (low % 8))))
		return 0;	/* no open socket of ours has an inode ending so */
	for (size_t k = mix(inode) & m; nv->by_inode[k].inode; k = (k + 1) & m)
		if (nv->by_inode[k].inode == inode)
			return nv->by_inode[k].own;
	return 0;
}

/*
 * The own socket with this 4-tuple and protocol, newest first.  A timewait
 * minisock has inode 0 even while its socket is still open (the peer closed
 * first and we answered with shutdown), so open sockets match too.
 */
static size_t find_by_tuple(const struct netview *nv, const struct socktab *t,
			    const struct pn_entry *e)
{
	int type = e->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	size_t m = nv->nslots - 1;

	if (!(nv->ports[e->local.port / 8] & (1u << (e->local.port % 8))))
		return 0;	/* no socket of ours has this local port: no 4-tuple can match */

	for (size_t k = tuple_hash(type, &e->local, &e->remote) & m; nv->by_tuple[k]; k = (k + 1) & m)
		if (tuple_is(t->v[nv->by_tuple[k] - 1], type, &e->local, &e->remote))
			return nv->by_tuple[k];
	return 0;
}

int netview_build(struct netview *nv, const struct procnet *pn,
		  const struct socktab *t)
{
	size_t need = pn->n + t->n;

	nv->n = 0;
	nv->gen++;
	if (index_build(nv, t) < 0)
		return -1;
	/* room for every row at once: the loop below never checks */
	if (!GROW(nv->rows, need, nv->cap, 64))
		return -1;
	for (size_t i = 0; i < pn->n; i++) {
		const struct pn_entry *e = &pn->v[i];
		const struct sock *own = NULL;

		if (t->n > 0) {
			size_t k = e->inode ? find_by_inode(nv, e->inode) : find_by_tuple(nv, t, e);

			/*
			 * A closed socket's 4-tuple names only what its connection can
			 * become after close(): a new connection on the same 4-tuple,
			 * still in the accept queue, is not "was" anyone.
			 */
			if (k && !e->inode && t->v[k - 1]->state == SOCK_CLOSED && !pn_after_close(e))
				k = 0;
			if (k) {
				own = t->v[k - 1];
				nv->seen[k - 1] = true;
			}
		}
		nv->rows[nv->n++] = (struct netrow){ e, own, own && own->state == SOCK_CLOSED };
	}
	for (size_t k = 0; k < t->n; k++) {
		if (t->v[k]->state == SOCK_CLOSED || nv->seen[k])
			continue;
		nv->rows[nv->n++] = (struct netrow){ NULL, t->v[k], false };
	}
	return 0;
}

void netview_free(struct netview *nv)
{
	free(nv->rows);
	free(nv->by_inode);
	free(nv->by_tuple);
	free(nv->seen);
	free(nv->ports);
	free(nv->inodes);
	memset(nv, 0, sizeof *nv);
}

double netrow_timer_left(const struct netrow *r)
{
	if (r->e == NULL || r->e->timer == PN_TIMER_NONE)
		return -1;
	return r->e->when / 100.0;
}

/* "0.0.0.0:*" for an unset remote, like ss prints it. */
char *netrow_addr(const struct endpoint *ep, char *buf, size_t len)
{
	if (ep->family != 0 && ep->port == 0 && addr_is_wildcard(ep)) {
		char host[64];

		addr_format_host(ep, host, sizeof host);
		snprintf(buf, len, ep->family == AF_INET6 ? "[%s]:*" : "%s:*", host);
		return buf;
	}
	return addr_format(ep, buf, len);
}

/*
 * The row writer `net` prints 50,000 rows with: no printf, no inet_ntop for
 * IPv4, one pass into the caller's buffer (vfprintf was a third of a big
 * `net`'s time).  Columns as netrow_format has always printed them.
 */
struct rowbuf {
	char *p, *end;
};

/* n bytes of s, as many as fit (short ones by byte: a call to memcpy costs more). */
static inline void rb_mem(struct rowbuf *b, const char *s, size_t n)
{
	size_t room = (size_t)(b->end - b->p);

	if (n > room)
		n = room;
	if (n <= 8) {
		for (size_t i = 0; i < n; i++)
			b->p[i] = s[i];
	} else {
		memcpy(b->p, s, n);
	}
	b->p += n;
}

static inline void rb_str(struct rowbuf *b, const char *s)
{
	rb_mem(b, s, strlen(s));
}

static inline void rb_pad(struct rowbuf *b, const char *start, size_t width)
{
	size_t at = (size_t)(b->p - start), room = (size_t)(b->end - b->p);

	if (at < width) {
		size_t n = width - at < room ? width - at : room;

		memset(b->p, ' ', n);
		b->p += n;
	}
}

/*
 * v in decimal at p, two digits a step from a table of "00" to "99", from
 * the last digit back; p has room for 20.  Past the digits.
 */
static inline char *put_uint(char *p, unsigned long v)
{
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	size_t n = 1 + (v >= 10) + (v >= 100) + (v >= 1000) + (v >= 10000);
	char *q;

	if (v >= 100000)
		for (unsigned long t = v / 100000; t; t /= 10)
			n++;
	q = p + n;
	while (v >= 100) {
		unsigned k = (unsigned)(v % 100) * 2;

		v /= 100;
		*--q = pairs[k + 1];
		*--q = pairs[k];
	}
	if (v >= 10) {
		*--q = pairs[v * 2 + 1];
		*--q = pairs[v * 2];
	} else {
		*--q = (char)('0' + v);
	}
	return p + n;
}

/* Decimal, as much as fits. */
static void rb_uint(struct rowbuf *b, unsigned long v)
{
	char d[24];

	if (b->end - b->p >= 20)
		b->p = put_uint(b->p, v);
	else
		rb_mem(b, d, (size_t)(put_uint(d, v) - d));
}

/* Who a row is, as netrow_owner says it. */
static void rb_owner(struct rowbuf *b, const struct netrow *r)
{
	if (r->own) {
		if (r->was)
			rb_str(b, _("was "));
		rb_str(b, r->own->name);
	} else if (r->e->inode == 0 && !pn_after_close(r->e)) {
		rb_str(b, _("queued"));	/* in an accept queue, not accepted yet */
	} else if (r->e->inode == 0) {
		rb_mem(b, "-", 1);
	} else {
		rb_mem(b, "uid ", 4);
		rb_uint(b, r->e->uid);
	}
}

char *netrow_owner(const struct netrow *r, char *buf, size_t len)
{
	struct rowbuf b = { buf, buf + len - 1 };

	rb_owner(&b, r);
	*b.p = '\0';
	return buf;
}

/* "0" to "255", each blank-padded to four bytes (and a NUL, unused). */
static const char octets[256][5] = {
	"0   ", "1   ", "2   ", "3   ", "4   ", "5   ", "6   ", "7   ", "8   ", "9   ", "10  ", "11  ",
	"12  ", "13  ", "14  ", "15  ", "16  ", "17  ", "18  ", "19  ", "20  ", "21  ", "22  ", "23  ",
	"24  ", "25  ", "26  ", "27  ", "28  ", "29  ", "30  ", "31  ", "32  ", "33  ", "34  ", "35  ",
	"36  ", "37  ", "38  ", "39  ", "40  ", "41  ", "42  ", "43  ", "44  ", "45  ", "46  ", "47  ",
	"48  ", "49  ", "50  ", "51  ", "52  ", "53  ", "54  ", "55  ", "56  ", "57  ", "58  ", "59  ",
	"60  ", "61  ", "62  ", "63  ", "64  ", "65  ", "66  ", "67  ", "68  ", "69  ", "70  ", "71  ",
	"72  ", "73  ", "74  ", "75  ", "76  ", "77  ", "78  ", "79  ", "80  ", "81  ", "82  ", "83  ",
	"84  ", "85  ", "86  ", "87  ", "88  ", "89  ", "90  ", "91  ", "92  ", "93  ", "94  ", "95  ",
	"96  ", "97  ", "98  ", "99  ", "100 ", "101 ", "102 ", "103 ", "104 ", "105 ", "106 ", "107 ",
	"108 ", "109 ", "110 ", "111 ", "112 ", "113 ", "114 ", "115 ", "116 ", "117 ", "118 ", "119 ",
	"120 ", "121 ", "122 ", "123 ", "124 ", "125 ", "126 ", "127 ", "128 ", "129 ", "130 ", "131 ",
	"132 ", "133 ", "134 ", "135 ", "136 ", "137 ", "138 ", "139 ", "140 ", "141 ", "142 ", "143 ",
	"144 ", "145 ", "146 ", "147 ", "148 ", "149 ", "150 ", "151 ", "152 ", "153 ", "154 ", "155 ",
	"156 ", "157 ", "158 ", "159 ", "160 ", "161 ", "162 ", "163 ", "164 ", "165 ", "166 ", "167 ",
	"168 ", "169 ", "170 ", "171 ", "172 ", "173 ", "174 ", "175 ", "176 ", "177 ", "178 ", "179 ",
	"180 ", "181 ", "182 ", "183 ", "184 ", "185 ", "186 ", "187 ", "188 ", "189 ", "190 ", "191 ",
	"192 ", "193 ", "194 ", "195 ", "196 ", "197 ", "198 ", "199 ", "200 ", "201 ", "202 ", "203 ",
	"204 ", "205 ", "206 ", "207 ", "208 ", "209 ", "210 ", "211 ", "212 ", "213 ", "214 ", "215 ",
	"216 ", "217 ", "218 ", "219 ", "220 ", "221 ", "222 ", "223 ", "224 ", "225 ", "226 ", "227 ",
	"228 ", "229 ", "230 ", "231 ", "232 ", "233 ", "234 ", "235 ", "236 ", "237 ", "238 ", "239 ",
	"240 ", "241 ", "242 ", "243 ", "244 ", "245 ", "246 ", "247 ", "248 ", "249 ", "250 ", "251 ",
	"252 ", "253 ", "254 ", "255 ",
};

/* ":8888", or ":*" for port 0 on the wildcard address, at p (room for 21): past it. */
static inline char *put_port(char *p, const struct endpoint *ep)
{
	*p++ = ':';
	if (ep->port == 0 && addr_is_wildcard(ep)) {
		*p++ = '*';
		return p;
	}
	return put_uint(p, ep->port);
}

/*
 * "127.0.0.1:8888" at p, with room for the longest ("255.255.255.255"
 * and a port's 20 digits: 36 bytes): past it.  Each byte is four copied
 * from the table, blanks past its digits, which the next write covers.
 */
static inline char *put_ipv4(char *p, const struct endpoint *ep)
{
	for (int i = 0; i < 4; i++) {
		unsigned v = ep->addr[i];

		memcpy(p, octets[v], 4);
		p += 1 + (v >= 10) + (v >= 100);
		*p++ = '.';
	}
	return put_port(p - 1, ep);	/* the last '.' becomes the ':' */
}

/* "127.0.0.1:8888", "[::1]:80", "0.0.0.0:*": in place when the longest fits, else as much as does. */
static void rb_addr(struct rowbuf *b, const struct endpoint *ep)
{
	char d[40];

	if (ep->family == AF_INET) {
		if (b->end - b->p >= 36)
			b->p = put_ipv4(b->p, ep);
		else
			rb_mem(b, d, (size_t)(put_ipv4(d, ep) - d));
	} else if (ep->family == AF_INET6) {
		char host[64];

		addr_format_host(ep, host, sizeof host);
		rb_str(b, "[");
		rb_str(b, host);
		rb_str(b, "]");
		rb_mem(b, d, (size_t)(put_port(d, ep) - d));
	} else {
		rb_str(b, "-");
	}
}

/*
 * An address in a column `width` wide: blanks written first in one go
 * (a constant size: no call), the address over them, the cursor past both.
 */
static void rb_addr_col(struct rowbuf *b, const struct endpoint *ep, const char *col, size_t width)
{
	memset(b->p, ' ', 32);
	rb_addr(b, ep);
	if (b->p < col + width)
		b->p = (char *)col + width;
}

char *netrow_format(const struct netrow *r, char *buf, size_t len)
{
	struct rowbuf b = { buf, buf + len - 1 };
	const char *col;

	if (len < NETROW_MIN) {
		/* the columns are written in whole blocks: a short buffer gets a copy */
		char row[NETROW_MIN];
		size_t n;

		if (len == 0)
			return buf;
		netrow_format(r, row, sizeof row);
		n = strlen(row) < len - 1 ? strlen(row) : len - 1;
		memcpy(buf, row, n);
		buf[n] = '\0';
		return buf;
	}

	if (r->e == NULL) {
		const struct sock *s = r->own;

		col = b.p;
		rb_str(&b, sock_proto_name(s));
		rb_pad(&b, col, 6);
		rb_str(&b, "-");
		rb_pad(&b, col, 19);
		rb_addr(&b, &s->local);
		rb_pad(&b, col, 44);
		rb_str(&b, "-");
		rb_pad(&b, col, 69);
		rb_str(&b, s->name);
		rb_str(&b, s->state == SOCK_CREATED ? _(" (not listed by the kernel: only created)") :
		       s->type == SOCK_STREAM ? _(" (not listed by the kernel: bound, not listening)") :
		       _(" (not listed by the kernel: not bound)"));
		*b.p = '\0';
		return buf;
	}
	col = b.p;
	memset(b.p, ' ', 24);
	rb_str(&b, pn_proto_name(r->e));
	b.p = (char *)col + 6;
	rb_str(&b, pn_state_name(r->e));	/* 12 at most */
	b.p = (char *)col + 19;
	rb_addr_col(&b, &r->e->local, col, 44);
	rb_addr_col(&b, &r->e->remote, col, 69);
	rb_owner(&b, r);
	if (r->e->state == PN_LISTEN && r->e->proto == IPPROTO_TCP) {
		rb_str(&b, _("  accept queue "));
		rb_uint(&b, r->e->rxq);
	} else if (r->e->rxq || r->e->txq) {
		/* UDP's queues are memory (datagrams and their overhead), not bytes: said so */
		bool udp = r->e->proto == IPPROTO_UDP;

		rb_str(&b, udp ? "  rmem " : "  rx ");
		rb_uint(&b, r->e->rxq);
		rb_str(&b, udp ? " wmem " : " tx ");
		rb_uint(&b, r->e->txq);
	}
	if (r->e->timer != PN_TIMER_NONE) {
		double left = netrow_timer_left(r);
		unsigned long tenths = left > 0 ? (unsigned long)(left * 10 + 0.5) : 0;

		rb_str(&b, "  ");
		rb_str(&b, netrow_timer_word(r->e));
		rb_str(&b, " ");
		rb_uint(&b, tenths / 10);
		rb_str(&b, ".");
		rb_uint(&b, tenths % 10);
		rb_str(&b, C_("unit", "s"));
	}
	*b.p = '\0';
	return buf;
}

const char *netrow_timer_word(const struct pn_entry *e)
{
	/* a FIN_WAIT2 orphan runs the TIME_WAIT timer for tcp_fin_timeout: the knob's name */
	if (e->state == PN_FIN_WAIT2 && e->timer == PN_TIMER_TIMEWAIT)
		return "fin_timeout";
	switch (e->timer) {
	case PN_TIMER_ON:
		return C_("timer", "on");
	case PN_TIMER_KEEPALIVE:
		return C_("timer", "keepalive");
	case PN_TIMER_TIMEWAIT:
		return C_("timer", "timewait");
	case PN_TIMER_PROBE:
		return C_("timer", "probe");
	default:
		return pn_timer_label(e);
	}
}

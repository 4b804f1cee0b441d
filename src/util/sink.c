/*
 * sink: formatting helpers over the output seam, and the string sink the
 * tests read transcripts from.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util/i18n.h"
#include "util/sink.h"
#include "util/utf8.h"

/* The control bytes of p[0..n) become '?'. */
static void clean_bytes(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			p[i] = '?';
}

/*
 * Control bytes (below 0x20, and 0x7f) become '?' in place; the text's
 * length.  Sixteen bytes at a time with SSE2, else eight in a register: a
 * block with none is passed at once (every row of a 200,000-row `net`
 * comes through here); a block with one is done by byte.  The last block
 * ends at the text's end, over bytes already seen if it must.  Text with a
 * byte above 0x7f is then held to the whole rule (util/utf8.h): C1 and
 * what is not UTF-8 become '?' too.
 */
static size_t clean(char *text)
{
	unsigned char *p = (unsigned char *)text, *end = p + strlen(text);
	size_t len = (size_t)(end - p);
	bool high = false;

#ifdef __SSE2__
	if (len < 16) {
		clean_bytes(p, len);
		for (size_t i = 0; i < len; i++)
			high |= p[i] >= 0x80;
	} else {
		for (;; p += 16) {
			__m128i x, printable, del;

			if (end - p < 16)
				p = end - 16;	/* the tail, as a whole block */
			x = _mm_loadu_si128((const __m128i *)p);
			printable = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x20)), x);
			del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
			if (_mm_movemask_epi8(_mm_andnot_si128(del, printable)) != 0xFFFF)
				clean_bytes(p, 16);
			high |= _mm_movemask_epi8(x) != 0;
			if (end - p == 16)
				break;
		}
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, hibits = 0x8080808080808080ULL;

	for (; end - p >= 8; p += 8) {
		uint64_t x, del;

		memcpy(&x, p, 8);
		del = x ^ (ones * 0x7f);
		if ((((x - ones * 0x20) & ~x) | ((del - ones) & ~del)) & hibits)
			clean_bytes(p, 8);
		high |= (x & hibits) != 0;
	}
	clean_bytes(p, (size_t)(end - p));
	for (; p < end; p++)
		high |= *p >= 0x80;
#endif
	if (high)
		utf8_clean(text, len);
	return len;
}

void sink_text(const struct sink *s, enum sink_kind kind, char *text)
{
	if (s == NULL || s->line == NULL)
		return;
	s->line(s->ctx, kind, text, clean(text));
}

void sink_printf(const struct sink *s, enum sink_kind kind, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	if (s == NULL || s->line == NULL)
		return;
	va_start(ap, fmt);
	if (vsnprintf(line, sizeof line, fmt, ap) >= (int)sizeof line)
		memcpy(line + sizeof line - 5, " ...", 5);	/* cut, and say so */
	va_end(ap);
	/* whatever a script or a lesson carried, no control byte reaches a terminal */
	s->line(s->ctx, kind, line, clean(line));
}

const char *sink_prefix(enum sink_kind kind)
{
	switch (kind) {
	case SINK_WHY:
		return _("  why: ");
	case SINK_INFO:
		return "  ";
	case SINK_ERROR:
		return _("error: ");
	case SINK_FAIL:
		return _("  FAILED: ");
	case SINK_EVENT:
		return _("event: ");
	case SINK_WIRE:
		return "  wire: ";
	case SINK_CALL:
	case SINK_CALL_FAILED:
		break;
	}
	return "";
}

static void strsink_line(void *ctx, enum sink_kind kind, const char *text, size_t nt)
{
	struct strsink *ss = ctx;
	const char *pre = sink_prefix(kind);
	size_t np = strlen(pre), need = np + nt + 2;

	if (ss->len + need > ss->cap) {
		size_t cap = ss->cap ? ss->cap : 256;
		char *p;

		while (ss->len + need > cap)
			cap *= 2;
		p = realloc(ss->buf, cap);
		if (p == NULL)
			return;	/* a test transcript may lose a line, never crash */
		ss->buf = p;
		ss->cap = cap;
	}
	/* no printf: `net` sends every row of a 200,000-row table through here */
	memcpy(ss->buf + ss->len, pre, np);
	memcpy(ss->buf + ss->len + np, text, nt);
	ss->len += np + nt;
	ss->buf[ss->len++] = '\n';
	ss->buf[ss->len] = '\0';
}

struct sink strsink_sink(struct strsink *ss)
{
	struct sink s = { strsink_line, ss };

	return s;
}

void strsink_clear(struct strsink *ss)
{
	ss->len = 0;
	if (ss->buf)
		ss->buf[0] = '\0';
}

void strsink_free(struct strsink *ss)
{
	free(ss->buf);
	ss->buf = NULL;
	ss->len = ss->cap = 0;
}

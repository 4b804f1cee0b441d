/*
 * utf8: decoding one character and the cleaning rule (see utf8.h).  The
 * sink calls utf8_clean only for text with a byte above 0x7f: ASCII rows
 * of a 200,000-row table keep their fast path.
 */
#include "config.h"

#include "util/utf8.h"

size_t utf8_char(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0;	/* a continuation byte, C0/C1 as lead (overlong), or past F4 */
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, past the last code point */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

size_t utf8_printable(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len = utf8_char(p, n, &cp);

	return len && !utf8_is_control(cp) ? len : 0;
}

void utf8_clean(char *text, size_t len)
{
	unsigned char *p = (unsigned char *)text;

	for (size_t i = 0; i < len;) {
		size_t k = utf8_printable(p + i, len - i);

		if (k) {
			i += k;
			continue;
		}
		/* a control character is made '?' byte by byte (C1 is two bytes in UTF-8) */
		{
			uint32_t cp;
			size_t c = utf8_char(p + i, len - i, &cp);

			for (size_t j = 0; j < (c ? c : 1); j++)
				p[i + j] = '?';
			i += c ? c : 1;
		}
	}
}

bool utf8_text(const char *text, size_t len, bool tab, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)text;

	for (size_t i = 0; i < len;) {
		size_t k = utf8_printable(p + i, len - i);

		if (k) {
			i += k;
		} else if (tab && p[i] == '\t') {
			i++;
		} else {
			*bad = i;
			return false;
		}
	}
	return true;
}

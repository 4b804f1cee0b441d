/*
 * utf8: the one rule for bytes that reach a terminal or a file.  A byte
 * sequence is shown as it is only when it is UTF-8 and not a control
 * character: not C0 (below U+0020), not DEL, not C1 (U+0080 to U+009F,
 * whose CSI and OSC a terminal obeys like ESC [ and ESC ]); anything else
 * is made '?' (the sink, listings) or written \xNN (a command line written
 * back, a word in an error message).  Lesson files and scripts must be
 * UTF-8 text.
 */
#ifndef SOCKPLAY_UTF8_H
#define SOCKPLAY_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The UTF-8 character at p, with n bytes left: its length (1 to 4) and its
 * code point in *cp; 0 when the bytes are not UTF-8 (a stray continuation
 * byte, an overlong form, a surrogate, past U+10FFFF, cut short).
 */
size_t utf8_char(const unsigned char *p, size_t n, uint32_t *cp);

/* A control character: C0, DEL or C1. */
bool utf8_is_control(uint32_t cp);

/*
 * How many bytes at p are one printable character (1 to 4), or 0 when the
 * first byte is a control character or not UTF-8.
 */
size_t utf8_printable(const unsigned char *p, size_t n);

/* In place: every control character and every byte that is not UTF-8 becomes '?'.  Length kept. */
void utf8_clean(char *text, size_t len);

/* Is all of text printable UTF-8 (tab allowed when tab is true)?  Where not, *bad is its offset. */
bool utf8_text(const char *text, size_t len, bool tab, size_t *bad);

#endif

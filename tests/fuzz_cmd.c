/*
 * fuzz_cmd: libFuzzer target for the command parser, with the round-trip
 * property the transcript relies on: a line the parser accepts, written
 * back by cmd_line_text, fits in CMD_TEXTMAX, is printable UTF-8 (no
 * control character, C1 or stray byte reaches a transcript or a terminal)
 * and parses again to the same command (same row, same words byte for
 * byte, same expectation).  An error message is printable UTF-8 too.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/cmd.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cmd_line a, b;
static char text[CMD_TEXTMAX + 1], back[CMD_TEXTMAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	size_t n = size < CMD_TEXTMAX ? size : CMD_TEXTMAX;

	size_t bad;
	int r;

	memcpy(text, data, n);
	text[n] = '\0';		/* a line ends at its first NUL, as a C string does */
	r = cmd_parse(text, &a, err, sizeof err);
	if (r == 1)
		return 0;	/* blank */
	if (r < 0) {
		if (!utf8_text(err, strlen(err), false, &bad)) {
			fprintf(stderr, "an error message carries byte 0x%02x\n", (unsigned char)err[bad]);
			abort();
		}
		return 0;
	}
	n = cmd_line_text(&a, back, sizeof back);
	if (n >= sizeof back) {
		fprintf(stderr, "written back, the line needs %zu bytes\n", n);
		abort();
	}
	if (!utf8_text(back, n, false, &bad)) {
		fprintf(stderr, "written back, the line carries byte 0x%02x raw\n", (unsigned char)back[bad]);
		abort();
	}
	if (cmd_parse(back, &b, err, sizeof err) != 0) {
		fprintf(stderr, "written back, the line does not parse: %s\n", err);
		abort();
	}
	if (a.cmd != b.cmd || a.argc != b.argc || a.expect.kind != b.expect.kind ||
	    a.expect.value != b.expect.value)
		abort();
	for (int i = 0; i < a.argc; i++)
		if (strcmp(a.argv[i], b.argv[i]) != 0)
			abort();
	return 0;
}

/*
 * fuzz_wire: libFuzzer target for the packet parser.  The first byte of
 * the input picks the link type (Linux loopback's Ethernet header, the
 * two Linux cooked headers, raw IP, BSD loopback), the rest is a frame.
 * The parser must never read past the frame, and what it accepts must
 * format without trouble.  Seeds: the frames of
 * tests/fixtures/wire/session.pcap.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dlts[] = { DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL };
	struct wire_pkt pk;
	unsigned char *frame;
	char line[200];

	if (size < 1)
		return 0;
	frame = malloc(size - 1 ? size - 1 : 1);	/* exactly the frame: a read past it is caught */
	if (frame == NULL)
		return 0;
	memcpy(frame, data + 1, size - 1);
	if (wire_parse(dlts[data[0] % 5], frame, size - 1, &pk))
		wire_format(&pk, line, sizeof line);
	free(frame);
	return 0;
}

/*
 * fuzz_procnet: libFuzzer target for the /proc/net line parser.  Built by
 * ./configure CC=clang --enable-fuzz; `make fuzz` runs it for a bounded
 * time on the captured fixtures.  Every line of the input is parsed as
 * each of the four files; the parser must never read past the line, what
 * it accepts must print back without trouble, and its fixed-layout fast
 * path must agree with the general parser.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/procnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		for (int f = 0; f < PN_NFILES; f++) {
			struct pn_entry e, g;
			char buf[ADDR_STRLEN];
			int r = procnet_parse_line(p, len, (enum pn_file)f, &e);

			if (r != procnet_parse_line_general(p, len, (enum pn_file)f, &g) ||
			    (r == 0 && memcmp(&e, &g, sizeof e) != 0))
				__builtin_trap();	/* the two parsers disagree */
			if (r == 0) {
				addr_format(&e.local, buf, sizeof buf);
				addr_format(&e.remote, buf, sizeof buf);
				(void)pn_state_name(&e);
				(void)pn_timer_name(e.timer);
			}
		}
		p += len + 1;
	}
	return 0;
}

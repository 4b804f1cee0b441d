/*
 * fdio: see fdio.h.
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "util/fdio.h"

int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

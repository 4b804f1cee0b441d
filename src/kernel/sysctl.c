/*
 * sysctl: /proc/sys/net/... as key = value.  The dotted key maps to a path
 * by turning dots into slashes; the key is checked first, so nothing but
 * net.* knobs can be named.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/sysctl.h"

int sysctl_key_valid(const char *key)
{
	static const char *const roots[] = { "net.ipv4.", "net.ipv6.", "net.core.", NULL };
	size_t n = strlen(key);
	int ok = 0;

	for (int i = 0; roots[i]; i++)
		if (strncmp(key, roots[i], strlen(roots[i])) == 0)
			ok = 1;
	if (!ok || n > 100 || key[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-' || c == '.'))
			return 0;
		if (c == '.' && key[i + 1] == '.')
			return 0;
	}
	return 1;
}

static void key_path(const char *key, char *path, size_t len)
{
	size_t k = (size_t)snprintf(path, len, "/proc/sys/");

	for (; *key && k + 1 < len; key++)
		path[k++] = *key == '.' ? '/' : *key;
	path[k] = '\0';
}

int sysctl_read(const char *key, char *val, size_t len)
{
	char path[160];
	ssize_t r;
	size_t o = 0;
	int fd;

	key_path(key, path, sizeof path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, val, len - 1);
	close(fd);
	if (r < 0)
		return -1;
	/* "32768\t60999\n" -> "32768 60999" */
	for (ssize_t i = 0; i < r; i++) {
		char c = val[i];

		if (c == '\t' || c == '\n' || c == ' ') {
			if (o > 0 && val[o - 1] != ' ')
				val[o++] = ' ';
		} else {
			val[o++] = c;
		}
	}
	while (o > 0 && val[o - 1] == ' ')
		o--;
	val[o] = '\0';
	return 0;
}

int sysctl_write(const char *key, const char *val)
{
	char path[160];
	size_t n = strlen(val);
	ssize_t r;
	int fd;

	key_path(key, path, sizeof path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = write(fd, val, n);
	if (r < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

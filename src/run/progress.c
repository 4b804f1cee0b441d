/*
 * progress: the lesson progress file (see progress.h).  A line that does
 * not read as "KEY STEP" ends the reading: the file is ours, but a broken
 * one costs only the progress, never the lesson.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run/progress.h"
#include "util/xdg.h"

void progress_key(const char *lang, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", lang, name);
}

long progress_get(const char *key)
{
	char path[600], name[80];
	long step = -1;
	size_t st;
	FILE *f;
	int fd;

	if (state_path(path, sizeof path, "progress", 0) == NULL ||
	    (fd = state_open(path, O_RDONLY)) < 0)
		return -1;
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return -1;
	}
	while (fscanf(f, "%79s %zu", name, &st) == 2)
		if (strcmp(name, key) == 0)
			step = st > 100000 ? -1 : (long)st;
	fclose(f);
	return step;
}

int progress_put(const char *key, size_t step)
{
	char path[600], tmp[640], name[80];
	size_t st;
	FILE *in, *out;
	int fd, e;
	bool ok;

	if (state_path(path, sizeof path, "progress", 1) == NULL) {
		errno = errno ? errno : EACCES;
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s.%ld.new", path, (long)getpid());
	unlink(tmp);
	fd = state_open(tmp, O_WRONLY | O_CREAT | O_EXCL);
	if (fd < 0 || (out = fdopen(fd, "w")) == NULL) {
		e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	/* every other lesson's line, then ours */
	if ((fd = state_open(path, O_RDONLY)) >= 0 && (in = fdopen(fd, "r")) != NULL) {
		while (fscanf(in, "%79s %zu", name, &st) == 2)
			if (strcmp(name, key) != 0)
				fprintf(out, "%s %zu\n", name, st);
		fclose(in);
	}
	fprintf(out, "%s %zu\n", key, step);
	ok = fflush(out) == 0 && fsync(fileno(out)) == 0;
	e = errno;
	if (fclose(out) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (!ok || rename(tmp, path) < 0) {
		e = ok ? errno : e;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

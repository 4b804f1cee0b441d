/*
 * transcript: the replayable script of a session.  Every piece is built in
 * memory and written with one write(2); the first failed write is said
 * once (error) and ends the transcript, never the session.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/transcript.h"
#include "util/fdio.h"
#include "util/i18n.h"

void transcript_init(struct transcript *t)
{
	memset(t, 0, sizeof *t);
	t->fd = -1;
}

static void put(struct transcript *t, const char *buf, size_t len)
{
	if (t->fd < 0 || t->failed)
		return;
	if (write_full(t->fd, buf, len) == 0)
		return;
	t->failed = true;
	snprintf(t->error, sizeof t->error, _("the transcript could not be written (%s): it stops here"),
		 strerror(errno ? errno : EIO));
}

static void head(struct transcript *t)
{
	char buf[160];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, sizeof buf, "# sockplay transcript, %Y-%m-%d %H:%M:%S\n"
		 "# replay it with: sockplay --batch FILE\n", &tm);
	put(t, buf, strlen(buf));
}

static int attach(struct transcript *t, int fd)
{
	if (fd < 0)
		return -1;
	transcript_close(t);
	t->fd = fd;
	t->failed = false;
	t->error[0] = '\0';
	head(t);
	return 0;
}

int transcript_open(struct transcript *t, const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), e;
	struct stat st;

	if (fd < 0 && errno == ENOENT)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = errno;
		if (e == ELOOP)
			snprintf(err, errlen, _("%s is a symbolic link: sockplay does not write through one"), path);
		else if (e == ENXIO)
			snprintf(err, errlen, _("%s is a pipe nobody reads"), path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) < 0 || (S_ISREG(st.st_mode) && st.st_size > 0) || S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, _("%s holds another run: a transcript is written new (remove it, or "
			 "name another file)"), path);
		close(fd);
		errno = EEXIST;
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return attach(t, fd);
}

int transcript_create(struct transcript *t, const char *path)
{
	return attach(t, open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC, 0600));
}

int transcript_close(struct transcript *t)
{
	free(t->context);
	t->context = NULL;
	if (t->fd < 0)
		return t->failed ? -1 : 0;
	/* a regular file must reach the disk; a pipe or a terminal cannot be synced */
	if (!t->failed && fsync(t->fd) < 0 && errno != EINVAL && errno != EROFS) {
		t->failed = true;
		snprintf(t->error, sizeof t->error, _("the transcript could not be saved (%s)"), strerror(errno));
	}
	if (close(t->fd) < 0 && !t->failed) {
		t->failed = true;
		snprintf(t->error, sizeof t->error, _("the transcript could not be saved (%s)"), strerror(errno));
	}
	t->fd = -1;
	return t->failed ? -1 : 0;
}

void transcript_comment(struct transcript *t, const char *text)
{
	char line[300];
	int len = snprintf(line, sizeof line, "# %s\n", text);

	put(t, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
}

/* "# == CONTEXT" when the context is not the last one written; n bytes into buf. */
static size_t context_head(struct transcript *t, const char *context, char *buf, size_t cap)
{
	bool changed = context && (!t->context || strcmp(t->context, context) != 0);
	size_t n = 0;

	if (changed)
		n = (size_t)snprintf(buf, cap, "\n# == %s\n", context);
	if ((context == NULL) != (t->context == NULL) || changed) {
		free(t->context);
		t->context = context ? strdup(context) : NULL;
	}
	return n < cap ? n : cap - 1;
}

void transcript_line(struct transcript *t, const char *context, const char *line)
{
	size_t cap = strlen(line) + (context ? strlen(context) : 0) + 16, n;
	char *buf;

	if (t->fd < 0 || t->failed)
		return;
	if ((buf = malloc(cap)) == NULL)
		return;
	n = context_head(t, context, buf, cap);
	n += (size_t)snprintf(buf + n, cap - n, "%s\n", line);
	put(t, buf, n);
	free(buf);
}

void transcript_output(struct transcript *t, enum sink_kind kind, const char *text)
{
	char line[1200];
	const char *pre = sink_prefix(kind);
	int n;

	if (t->fd < 0 || t->failed)
		return;	/* nothing to write to: no formatting either (50,000 rows of net) */
	n = snprintf(line, sizeof line, "#%s%s%s\n", *pre == ' ' || (!*pre && *text == ' ') ? "" : " ",
		     pre, text);
	put(t, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

void transcript_call(struct transcript *t, const char *context, const char *line,
		     const char *replay, const char *output)
{
	size_t cap = strlen(line) + strlen(output) * 2 + 128 + (context ? strlen(context) : 0), n;
	char *buf, *o;

	if (t->fd < 0 || t->failed)
		return;
	if ((buf = malloc(cap)) == NULL)
		return;
	n = context_head(t, context, buf, cap);
	/* the line, with what happened as its expectation when it had none */
	if (replay)
		n += (size_t)snprintf(buf + n, cap - n, "%s => %s\n", line, replay);
	else
		n += (size_t)snprintf(buf + n, cap - n, "%s\n", line);
	for (const char *p = output; *p; p = *o ? o + 1 : o) {
		o = strchr(p, '\n');
		if (o == NULL)
			o = (char *)p + strlen(p);
		n += (size_t)snprintf(buf + n, cap - n, "#%s%.*s\n", *p == ' ' ? "" : " ", (int)(o - p), p);
	}
	put(t, buf, n);
	free(buf);
}

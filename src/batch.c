/*
 * batch: the script runner behind --batch.  Its sink prints each line with
 * the transcript's indentation, and prefixes errors with the script's
 * FILE:LINE so an editor can jump there.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cmd.h"

struct batch {
	const char *path;
	unsigned line;
	FILE *out, *errout;
};

static void batch_line(void *ctx, enum sink_kind kind, const char *text)
{
	struct batch *b = ctx;

	if (kind == SINK_ERROR) {
		fflush(b->out);
		fprintf(b->errout, "%s:%u: %s\n", b->path, b->line, text);
		fflush(b->errout);
		return;
	}
	fprintf(b->out, "%s%s\n", sink_prefix(kind), text);
}

/* Read a whole stream into an array of lines (newlines stripped). */
static char **read_lines(FILE *in, size_t *count)
{
	char **v = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	ssize_t len;

	while ((len = getline(&line, &lcap, in)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);

			if (nv == NULL)
				break;
			v = nv;
		}
		v[n] = strdup(line);
		if (v[n] == NULL)
			break;
		n++;
	}
	free(line);
	*count = n;
	return v;
}

/* Run one line; returns 2 on a usage error, 1 on a failed expectation, else 0. */
static int run_one(struct session *s, struct batch *b, const char *text, struct batch_stats *st)
{
	struct cmd_line cl;
	struct outcome o;
	char err[256], want[32], got[48];
	int r = cmd_parse(text, &cl, err, sizeof err);

	if (r == 1)
		return 0;
	if (r < 0) {
		sink_printf(&s->sink, SINK_ERROR, "%s", err);
		return 2;
	}
	st->commands++;
	cmd_exec(s, &cl, &o);
	if (o.usage)
		return 2;
	if (cl.expect.kind == EXPECT_NONE)
		return 0;
	st->expectations++;
	if (cmd_expect_met(&cl.expect, &o, got, sizeof got))
		return 0;
	st->failed++;
	cmd_expect_format(&cl.expect, want, sizeof want);
	fprintf(b->out, "  FAILED: expected %s, got %s\n", want, got);
	fflush(b->out);
	fprintf(b->errout, "%s:%u: expectation failed: expected %s, got %s\n", b->path, b->line,
		want, got);
	return 1;
}

int batch_run(struct session *s, const char *path, FILE *in, FILE *out, FILE *errout,
	      struct batch_stats *st)
{
	struct batch b = { strcmp(path, "-") == 0 ? "-" : path, 0, out, errout };
	struct sink saved = s->sink;
	int status = 0;

	memset(st, 0, sizeof *st);
	s->sink = (struct sink){ batch_line, &b };
	if (strcmp(path, "-") != 0) {
		struct cmd_line cl;
		char err[256];
		size_t n;
		char **lines = read_lines(in, &n);
		int bad = 0;

		if (ferror(in)) {
			fprintf(errout, "%s: %s\n", path, strerror(errno));
			status = 2;
		}
		/* refuse a malformed script before any of it runs */
		for (size_t i = 0; i < n && !status; i++) {
			if (cmd_parse(lines[i], &cl, err, sizeof err) < 0) {
				fprintf(errout, "%s:%zu: %s\n", path, i + 1, err);
				bad = 1;
			}
		}
		if (bad)
			status = 2;
		for (size_t i = 0; i < n && status != 2; i++) {
			int r;

			b.line = (unsigned)(i + 1);
			r = run_one(s, &b, lines[i], st);
			if (r > status)
				status = r;
		}
		for (size_t i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
	} else {
		bool interactive = isatty(fileno(in));
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;

		while ((len = getline(&line, &cap, in)) >= 0) {
			int r;

			b.line++;
			if (len > 0 && line[len - 1] == '\n')
				line[len - 1] = '\0';
			r = run_one(s, &b, line, st);
			fflush(out);
			if (r > status)
				status = r;
			/* a person at the keyboard may retype; a script may not go on */
			if (r == 2 && !interactive)
				break;
		}
		free(line);
	}
	fflush(out);
	s->sink = saved;
	return status;
}

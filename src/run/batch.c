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

#include "util/grow.h"
#include "run/batch.h"
#include "run/runner.h"

struct batch {
	const char *path;
	unsigned line;
	FILE *out, *errout;
};

static void batch_line(void *ctx, enum sink_kind kind, const char *text, size_t len)
{
	struct batch *b = ctx;
	const char *pre;
	char row[512];
	size_t np;

	if (kind == SINK_ERROR) {
		fflush(b->out);
		fprintf(b->errout, "%s:%u: %s\n", b->path, b->line, text);
		fflush(b->errout);
		return;
	}
	/*
	 * The stream is ours alone: no lock per call.  A table's every row
	 * comes here: indentation, text and newline go out in one call.
	 */
	pre = sink_prefix(kind);
	np = strlen(pre);
	if (np + len < sizeof row) {
		memcpy(row, pre, np);
		memcpy(row + np, text, len);
		row[np + len] = '\n';
		fwrite_unlocked(row, 1, np + len + 1, b->out);
	} else {
		fputs_unlocked(pre, b->out);
		fwrite_unlocked(text, 1, len, b->out);
		putc_unlocked('\n', b->out);
	}
	if (kind == SINK_FAIL) {
		fflush(b->out);
		fprintf(b->errout, "%s:%u: expectation failed: %s\n", b->path, b->line, text);
		fflush(b->errout);
	}
}

/*
 * Read a whole stream into an array of lines (newlines stripped).  A NUL
 * byte inside a line is an error (it would end the line silently): its
 * line number goes to *nul_line.
 */
static char **read_lines(FILE *in, size_t *count, size_t *nul_line)
{
	char **v = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	ssize_t len;

	*nul_line = 0;
	while ((len = getline(&line, &lcap, in)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strlen(line) != (size_t)len && *nul_line == 0)
			*nul_line = n + 1;
		if (!GROW(v, n, cap, 64))
			break;
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
static int run_one(struct runner *run, const char *text, struct batch_stats *st,
		   struct cmd_result *r)
{
	int status = runner_line(run, text, r);

	if (status == CMD_BLANK)
		return 0;
	if (status == CMD_REFUSED)
		return 2;
	st->commands++;
	if (!r->expected)
		return 0;
	st->expectations++;
	if (r->met)
		return 0;
	st->failed++;
	return 1;
}

/* A script from a file: parsed whole first, refused unrun if any line is bad. */
static int run_file(struct runner *run, struct batch *b, FILE *in, struct batch_stats *st,
		    struct cmd_result *r)
{
	size_t n, nul;
	char **lines = read_lines(in, &n, &nul);
	int status = 0;

	if (ferror(in)) {
		fprintf(b->errout, "%s: %s\n", b->path, strerror(errno));
		status = 2;
	} else if (nul) {
		fprintf(b->errout, "%s:%zu: a NUL byte: a script is text\n", b->path, nul);
		status = 2;
	}
	for (size_t i = 0; i < n && !nul; i++)	/* every bad line, not just the first */
		if (cmd_parse(lines[i], &r->cl, r->err, sizeof r->err) < 0) {
			fprintf(b->errout, "%s:%zu: %s\n", b->path, i + 1, r->err);
			status = 2;
		}
	for (size_t i = 0; i < n && status != 2; i++) {
		int rs;

		b->line = (unsigned)(i + 1);
		rs = run_one(run, lines[i], st, r);
		if (rs > status)
			status = rs;
		/* a signal must not take what already ran; a reader gone must not see the rest run */
		if (fflush(b->out) != 0 || ferror(b->out))
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return status;
}

/* Standard input: line by line, so a person can type at it. */
static int run_stream(struct runner *run, struct batch *b, FILE *in, struct batch_stats *st,
		      struct cmd_result *r)
{
	bool interactive = isatty(fileno(in));
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int status = 0;

	while (!run->s->stopping && (len = getline(&line, &cap, in)) >= 0) {
		int rs;

		b->line++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strlen(line) != (size_t)len) {
			fprintf(b->errout, "%s:%u: a NUL byte: a script is text\n", b->path, b->line);
			rs = 2;
		} else {
			rs = run_one(run, line, st, r);
		}
		if (rs > status)
			status = rs;
		if (fflush(b->out) != 0 || ferror(b->out))
			break;	/* the reader is gone: nothing more runs for it */
		/* a person at the keyboard may retype; a script may not go on */
		if (rs == 2 && !interactive)
			break;
	}
	free(line);
	return status;
}

int batch_run(struct runner *run, const char *path, FILE *in, FILE *out, FILE *errout,
	      struct batch_stats *st)
{
	struct batch b = { strcmp(path, "-") == 0 ? "-" : path, 0, out, errout };
	struct cmd_result *r = malloc(sizeof *r);
	int status;

	memset(st, 0, sizeof *st);
	if (r == NULL) {
		fprintf(errout, "sockplay: out of memory\n");
		return 2;
	}
	runner_push_sink(run, (struct sink){ batch_line, &b });
	if (strcmp(path, "-") != 0)
		status = run_file(run, &b, in, st, r);
	else
		status = run_stream(run, &b, in, st, r);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(errout, "sockplay: writing the transcript to standard output: %s\n",
			strerror(errno ? errno : EIO));
		status = 2;
	}
	runner_pop_sink(run);
	free(r);
	return status;
}

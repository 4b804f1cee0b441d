/*
 * history: the records of the calls made.  A record copies the parsed line
 * (its words in one allocation, and the line as it would be typed again)
 * and keeps the first HISTORY_OUTPUT_KEEP bytes of its output: a session's
 * memory does not grow with every table it prints.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/cmd.h"
#include "lang/history.h"
#include "util/grow.h"

void history_init(struct history *h)
{
	memset(h, 0, sizeof *h);
}

void history_free(struct history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].argv);
		free(h->v[i].line);
		free(h->v[i].output);
		if (h->v[i].own_context)
			free(h->v[i].context);
	}
	free(h->v);
	memset(h, 0, sizeof *h);
}

/* A copy of argv in one allocation: the pointers, then the strings. */
static char **argv_copy(const struct cmd_line *cl)
{
	size_t bytes = (size_t)(cl->argc + 1) * sizeof(char *);
	char **v, *p;

	for (int i = 0; i < cl->argc; i++)
		bytes += strlen(cl->argv[i]) + 1;
	v = malloc(bytes);
	if (v == NULL)
		return NULL;
	p = (char *)(v + cl->argc + 1);
	for (int i = 0; i < cl->argc; i++) {
		size_t n = strlen(cl->argv[i]) + 1;

		memcpy(p, cl->argv[i], n);
		v[i] = p;
		p += n;
	}
	v[cl->argc] = NULL;
	return v;
}

/* The output a record keeps: whole lines up to HISTORY_OUTPUT_KEEP bytes, and how many more there were. */
static char *bounded_output(const char *output)
{
	size_t len = strlen(output), cut, lines = 0;
	char *shrunk;

	if (len <= HISTORY_OUTPUT_KEEP)
		return strdup(output);
	for (cut = HISTORY_OUTPUT_KEEP; cut > 0 && output[cut - 1] != '\n'; cut--)
		;
	for (const char *p = output + cut; *p; p++)
		lines += *p == '\n';
	shrunk = malloc(cut + 64);
	if (shrunk == NULL)
		return NULL;
	snprintf(shrunk, cut + 64, "%.*s  (%zu more lines: in the transcript)\n", (int)cut, output,
		 lines + 1);
	return shrunk;
}

const struct record *history_add(struct history *h, const struct history_call *c)
{
	const struct cmd_line *cl = c->cl;
	struct record *r;
	size_t need;

	if (!GROW(h->v, h->n, h->cap, 64))
		return NULL;
	r = &h->v[h->n];
	memset(r, 0, sizeof *r);
	need = cmd_line_text(cl, NULL, 0) + 1;
	r->line = malloc(need);
	if (r->line)
		cmd_line_text(cl, r->line, need);
	r->argv = argv_copy(cl);
	r->output = bounded_output(c->output ? c->output : "");
	if (c->context && h->n && h->v[h->n - 1].context && strcmp(h->v[h->n - 1].context, c->context) == 0) {
		r->context = h->v[h->n - 1].context;	/* a step's calls share its title: no copy each */
	} else if (c->context) {
		r->context = strdup(c->context);
		r->own_context = true;
	}
	if (r->line == NULL || r->output == NULL || r->argv == NULL || (c->context && !r->context)) {
		free(r->line);
		free(r->output);
		if (r->own_context)
			free(r->context);
		free(r->argv);
		return NULL;
	}
	r->cmd = cl->cmd;
	r->argc = cl->argc;
	r->ret = c->o->ret;
	r->err = c->o->err;
	r->sock = c->sock;
	r->addr = c->o->addr;
	snprintf(r->created, sizeof r->created, "%s", c->created ? c->created : "");
	r->serial = c->serial;
	r->started = c->started;
	return &h->v[h->n++];
}

const struct record *history_of(const struct history *h, unsigned serial)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->v[mid].serial < serial)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < h->n && h->v[lo].serial == serial ? &h->v[lo] : NULL;
}

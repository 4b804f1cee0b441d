/*
 * cmd: the line parser, expectations, and writing a line back as text.
 * The verbs themselves live in their families (verb_*.c) and are listed
 * in cmd_table.c; running a line is the runner's (run/runner.c).
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/cmd.h"
#include "util/errname.h"
#include "util/utf8.h"
#include "util/i18n.h"


const char *cmd_usage_text(const char *usage)
{
	for (const char *p = usage; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			return _(usage);
	return usage;
}

const struct cmd_entry *cmd_find(const char *verb)
{
	for (const struct cmd_entry *const *c = cmd_table; *c; c++)
		if (strcmp((*c)->name, verb) == 0)
			return *c;
	return NULL;
}

int cmd_expect_parse(const char *w, struct expect *e, char *err, size_t errlen)
{
	/* every field the judge reads is set here, whatever the caller had in e */
	memset(e, 0, sizeof *e);
	if (strcmp(w, "ok") == 0) {
		e->kind = EXPECT_OK;
		return 0;
	}
	if (w[0] >= '0' && w[0] <= '9') {
		long v = 0;

		for (const char *p = w; *p; p++) {
			if (*p < '0' || *p > '9' || v > 100000000) {
				snprintf(err, errlen, _("bad expectation '%s': use ok, an errno name or a count"), w);
				return -1;
			}
			v = v * 10 + (*p - '0');
		}
		e->kind = EXPECT_COUNT;
		e->value = v;
		return 0;
	}
	e->value = errname_value(w);
	if (e->value < 0) {
		snprintf(err, errlen, _("bad expectation '%s': use ok, an errno name (EADDRINUSE...) or a count"), w);
		return -1;
	}
	e->kind = EXPECT_ERRNO;
	return 0;
}

const char *cmd_word_show(const char *word, char *buf, size_t len)
{
	size_t n = 0;
	const unsigned char *w = (const unsigned char *)word;

	while (*w && n + 5 < len) {
		size_t k = utf8_printable(w, strlen((const char *)w));

		if (n >= 60) {
			n += (size_t)snprintf(buf + n, len - n, "...");
			break;
		}
		if (k == 0) {	/* a control character or a byte that is not UTF-8 */
			n += (size_t)snprintf(buf + n, len - n, "\\x%02x", *w++);
			continue;
		}
		if (n + k + 5 >= len)
			break;
		memcpy(buf + n, w, k);
		n += k;
		w += k;
	}
	buf[n < len ? n : len - 1] = '\0';
	return buf;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* One escape inside quotes at p (after the backslash): the byte, and how far it read. */
static int unescape(const char *p, char *c)
{
	switch (*p) {
	case 'n': *c = '\n'; return 1;
	case 't': *c = '\t'; return 1;
	case 'r': *c = '\r'; return 1;
	case 'x':
		if (hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*c = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			return 3;
		}
		*c = 'x';
		return 1;
	default:
		*c = *p;
		return 1;
	}
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Split text into words in cl->buf; handles quotes and comments. */
static int split_words(const char *text, struct cmd_line *cl, int *arrow,
		       char *err, size_t errlen)
{
	const char *p = text;
	char *out = cl->buf, *end = cl->buf + sizeof cl->buf - 1, show[80];

	cl->argc = 0;
	*arrow = -1;
	for (;;) {
		bool quoted = false, was_quoted = false;

		while (blank(*p))
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (cl->argc == CMD_MAXARGS) {
			snprintf(err, errlen, _("too many words (at most %d)"), CMD_MAXARGS);
			return -1;
		}
		cl->argv[cl->argc] = out;
		while (*p && (quoted || !blank(*p))) {
			char c = *p++;

			if (c == '"') {
				quoted = !quoted;
				was_quoted = true;
				continue;
			}
			if (quoted && c == '\\' && *p) {
				p += unescape(p, &c);
				if (c == '\0') {	/* it would end the word: what is sent would be cut short */
					snprintf(err, errlen, _("a NUL byte (\\x00) cannot be in a word"));
					return -1;
				}
			}
			if (out == end) {
				snprintf(err, errlen, _("line too long (at most %d bytes of words)"), CMD_LINEMAX - 1);
				return -1;
			}
			*out++ = c;
		}
		*out = '\0';	/* out < end here: every byte was checked before it was written */
		if (quoted) {
			snprintf(err, errlen, _("unterminated \" in '%s'"),
				 cmd_word_show(cl->argv[cl->argc], show, sizeof show));
			return -1;
		}
		if (out == end) {
			snprintf(err, errlen, _("line too long (at most %d bytes of words)"), CMD_LINEMAX - 1);
			return -1;
		}
		out++;
		/* a quoted "=>" is text, not an expectation */
		if (*arrow < 0 && !was_quoted && strcmp(cl->argv[cl->argc], "=>") == 0)
			*arrow = cl->argc;
		cl->argc++;
	}
	return 0;
}

/* The words after the verb: count and expectation checked against the row. */
static int check_shape(struct cmd_line *cl, int arrow, char *err, size_t errlen)
{
	const struct cmd_entry *c;
	char show[80];
	int nargs;

	if (arrow == 0) {
		snprintf(err, errlen, _("an expectation '=>' needs a command before it"));
		return -1;
	}
	if (arrow > 0) {
		bool ok_port = arrow == cl->argc - 3 && strcmp(cl->argv[arrow + 1], "ok") == 0;

		if (arrow != cl->argc - 2 && !ok_port) {
			snprintf(err, errlen, _("'=>' must be followed by one word (ok, an errno name or a "
				 "count) or by ok PORT"));
			return -1;
		}
		if (cmd_expect_parse(cl->argv[arrow + 1], &cl->expect, err, errlen) < 0)
			return -1;
		if (ok_port && (cl->expect.port = addr_parse_port(cl->argv[arrow + 2])) <= 0) {
			snprintf(err, errlen, _("bad expectation 'ok %s': ok PORT takes a port 1..65535"),
				 cmd_word_show(cl->argv[arrow + 2], show, sizeof show));
			return -1;
		}
		cl->argc = arrow;
	}
	c = cmd_find(cl->argv[0]);
	if (c == NULL) {
		snprintf(err, errlen, _("unknown command '%s' (try: help)"),
			 cmd_word_show(cl->argv[0], show, sizeof show));
		return -1;
	}
	cl->cmd = c;
	nargs = cl->argc - 1;
	if (nargs < c->min_args) {
		snprintf(err, errlen, _("%s: missing argument; usage: %s"), c->name, cmd_usage_text(c->usage));
		return -1;
	}
	if (nargs > c->max_args) {
		snprintf(err, errlen, _("%s: too many arguments; usage: %s"), c->name, cmd_usage_text(c->usage));
		return -1;
	}
	return 0;
}

/* Error messages quote what was typed: no control byte may reach a terminal. */
static void err_clean(char *err)
{
	utf8_clean(err, strlen(err));
}

int cmd_parse(const char *text, struct cmd_line *cl, char *err, size_t errlen)
{
	struct outcome o;
	int arrow, r;

	memset(&cl->expect, 0, sizeof cl->expect);
	cl->cmd = NULL;
	cl->argc = 0;
	if (strnlen(text, CMD_TEXTMAX) >= CMD_TEXTMAX) {
		snprintf(err, errlen, _("line too long (at most %d bytes)"), CMD_TEXTMAX - 1);
		return -1;
	}
	if (split_words(text, cl, &arrow, err, errlen) < 0) {
		err_clean(err);
		return -1;
	}
	if (cl->argc == 0)
		return 1;
	memset(&o, 0, sizeof o);
	r = check_shape(cl, arrow, err, errlen) < 0 ? -1 :
	    cl->cmd->exec(NULL, cl, &o, err, errlen) < 0 ? -1 : 0;
	if (r < 0) {
		err_clean(err);
		cl->cmd = NULL;
	}
	return r;
}

/* A safe appender: counts what it could not write, as snprintf does. */
struct out {
	char *buf;
	size_t len, n;
};

static void put(struct out *o, char c)
{
	if (o->n + 1 < o->len)
		o->buf[o->n] = c;
	o->n++;
}

static void puts_(struct out *o, const char *s)
{
	while (*s)
		put(o, *s++);
}

static bool needs_quotes(const char *a)
{
	const unsigned char *p = (const unsigned char *)a;

	if (a[0] == '\0' || strcmp(a, "=>") == 0)
		return true;
	for (size_t n = strlen(a); *p; ) {
		size_t k = utf8_printable(p, n);

		if (k == 0 || *p == ' ' || *p == '#' || *p == '"' || *p == '\\')
			return true;
		p += k;
		n -= k;
	}
	return false;
}

static void put_quoted(struct out *o, const char *a)
{
	static const char hex[] = "0123456789abcdef";

	put(o, '"');
	for (const unsigned char *p = (const unsigned char *)a; *p; ) {
		size_t k = utf8_printable(p, strlen((const char *)p));

		if (*p == '"' || *p == '\\') {
			put(o, '\\');
			put(o, (char)*p);
		} else if (*p == '\n') {
			puts_(o, "\\n");
		} else if (*p == '\t') {
			puts_(o, "\\t");
		} else if (*p == '\r') {
			puts_(o, "\\r");
		} else if (k == 0) {	/* C0, DEL, C1, or not UTF-8: never raw in a transcript */
			puts_(o, "\\x");
			put(o, hex[*p >> 4]);
			put(o, hex[*p & 15]);
		} else {
			for (size_t i = 0; i < k; i++)
				put(o, (char)p[i]);
			p += k;
			continue;
		}
		p++;
	}
	put(o, '"');
}

size_t cmd_line_text(const struct cmd_line *cl, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	for (int i = 0; i < cl->argc; i++) {
		if (i)
			put(&o, ' ');
		if (needs_quotes(cl->argv[i]))
			put_quoted(&o, cl->argv[i]);
		else
			puts_(&o, cl->argv[i]);
	}
	if (cl->expect.kind != EXPECT_NONE) {
		char want[32];

		cmd_expect_format(&cl->expect, want, sizeof want);
		puts_(&o, " => ");
		puts_(&o, want);
	}
	if (len)
		buf[o.n < len ? o.n : len - 1] = '\0';
	return o.n;
}

bool cmd_writes_files(const struct cmd_line *cl)
{
	const struct cmd_entry *c = cl->cmd;

	return c && ((c->flags & CMDF_FILE) ||
		     (c->file_word && cl->argc > 1 && strcmp(cl->argv[1], c->file_word) == 0));
}

void cmd_expect_format(const struct expect *e, char *buf, size_t len)
{
	switch (e->kind) {
	case EXPECT_NONE:
		snprintf(buf, len, "-");
		break;
	case EXPECT_OK:
		if (e->port)
			snprintf(buf, len, "ok %d", e->port);
		else
			snprintf(buf, len, "ok");
		break;
	case EXPECT_ERRNO:
		snprintf(buf, len, "%s", errname((int)e->value));
		break;
	case EXPECT_COUNT:
		snprintf(buf, len, "%ld", e->value);
		break;
	}
}

bool cmd_expect_met(const struct expect *e, const struct outcome *o,
		    char *got, size_t gotlen)
{
	bool met = true;

	switch (e->kind) {
	case EXPECT_NONE:
		return true;
	case EXPECT_OK:
		met = !o->usage && o->err == 0 && (e->port == 0 || o->port == e->port);
		break;
	case EXPECT_ERRNO:
		met = !o->usage && o->err == e->value;
		break;
	case EXPECT_COUNT:
		met = !o->usage && o->err == 0 && o->ret == e->value;
		break;
	}
	if (o->usage)
		snprintf(got, gotlen, "a usage error");
	else if (o->err)
		snprintf(got, gotlen, "%s", errname(o->err));
	else if (e->kind == EXPECT_COUNT)
		snprintf(got, gotlen, "%ld", o->ret);
	else if (e->port)
		snprintf(got, gotlen, "ok %d", o->port);
	else
		snprintf(got, gotlen, "ok");
	return met;
}

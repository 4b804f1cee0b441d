/*
 * cmd: the table of commands, the line parser and the executor.  The
 * handlers live in one file per family (cmd_sock.c: creating and
 * configuring; cmd_conn.c: the calls on addresses and data; cmd_misc.c:
 * time, kernel knobs, the table view).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd_int.h"

const struct cmd_entry cmd_table[] = {
	{ "tcp", "tcp [NAME] [-6]", "create a TCP socket (IPv4, or IPv6 with -6)", 0, 2, true, cmd_tcp },
	{ "udp", "udp [NAME] [-6]", "create a UDP socket (IPv4, or IPv6 with -6)", 0, 2, true, cmd_udp },
	{ "set", "set NAME OPTION VALUE",
	  "setsockopt: reuseaddr reuseport v6only nodelay keepalive on|off; linger off|SECONDS",
	  3, 3, true, cmd_set },
	{ "bind", "bind NAME ADDR:PORT", "bind to 1.2.3.4:P, [::1]:P or *:P (port 0: kernel picks)",
	  2, 2, true, cmd_bind },
	{ "listen", "listen NAME [BACKLOG]", "start listening (TCP)", 1, 2, true, cmd_listen },
	{ "connect", "connect NAME ADDR:PORT", "connect and report the final result", 2, 2, true, cmd_connect },
	{ "accept", "accept NAME [NEWNAME]", "take one waiting connection (EAGAIN if none)", 1, 2, true, cmd_accept },
	{ "send", "send NAME TEXT", "send text on a connected socket", 2, CMD_MAXARGS - 1, true, cmd_send },
	{ "sendto", "sendto NAME ADDR:PORT TEXT", "send a datagram to an address", 3, CMD_MAXARGS - 1, true, cmd_sendto },
	{ "recv", "recv NAME", "read what has arrived (EAGAIN if nothing)", 1, 1, false, cmd_recv },
	{ "shutdown", "shutdown NAME rd|wr|rdwr", "shut down one or both directions", 2, 2, true, cmd_shutdown },
	{ "close", "close NAME", "close the socket", 1, 1, true, cmd_close },
	{ "sysctl", "sysctl KEY [VALUE...]", "read a net.* knob; write it only in the sandbox", 1, 4, false, cmd_sysctl },
	{ "addr", "addr add ADDR", "give the sandbox's loopback another address", 2, 2, false, cmd_addr },
	{ "reset", "reset", "close every socket (in the sandbox: a fresh namespace)", 0, 0, false, cmd_reset },
	{ "wait", "wait SECONDS", "let time pass (fractions allowed)", 1, 1, false, cmd_wait },
	{ "net", "net [FILTER...]", "show the kernel table: tcp udp own STATE :PORT ADDR:PORT ->ADDR:PORT",
	  0, CMD_MAXARGS - 1, false, cmd_net },
	{ "export", "export c FILE", "write the session's calls as a standalone C program", 2, 2, false, cmd_export },
	{ "help", "help [VERB]", "list the commands, or show one", 0, 1, false, cmd_help },
	{ NULL, NULL, NULL, 0, 0, false, NULL },
};

const struct cmd_entry *cmd_find(const char *verb)
{
	for (const struct cmd_entry *c = cmd_table; c->name; c++)
		if (strcmp(c->name, verb) == 0)
			return c;
	return NULL;
}

static int parse_expect(const char *w, struct expect *e, char *err, size_t errlen)
{
	if (strcmp(w, "ok") == 0) {
		e->kind = EXPECT_OK;
		return 0;
	}
	if (w[0] >= '0' && w[0] <= '9') {
		long v = 0;

		for (const char *p = w; *p; p++) {
			if (*p < '0' || *p > '9' || v > 100000000) {
				snprintf(err, errlen, "bad expectation '%s': use ok, an errno name or a count", w);
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
		snprintf(err, errlen, "bad expectation '%s': use ok, an errno name (EADDRINUSE...) or a count", w);
		return -1;
	}
	e->kind = EXPECT_ERRNO;
	return 0;
}

/* Split text into words in cl->buf; handles quotes and comments. */
static int split_words(const char *text, struct cmd_line *cl, int *arrow,
		       char *err, size_t errlen)
{
	const char *p = text;
	char *out = cl->buf, *end = cl->buf + sizeof cl->buf - 1;

	cl->argc = 0;
	*arrow = -1;
	for (;;) {
		bool quoted = false;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (cl->argc == CMD_MAXARGS) {
			snprintf(err, errlen, "too many words (at most %d)", CMD_MAXARGS);
			return -1;
		}
		cl->argv[cl->argc] = out;
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n'))) {
			char c = *p++;

			if (c == '"') {
				quoted = !quoted;
				continue;
			}
			if (quoted && c == '\\' && *p) {
				c = *p++;
				c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
			}
			if (out == end) {
				snprintf(err, errlen, "line too long (at most %d bytes)", CMD_LINEMAX - 1);
				return -1;
			}
			*out++ = c;
		}
		if (quoted) {
			snprintf(err, errlen, "unterminated \" in '%s'", cl->argv[cl->argc]);
			return -1;
		}
		if (out == end) {
			snprintf(err, errlen, "line too long (at most %d bytes)", CMD_LINEMAX - 1);
			return -1;
		}
		*out++ = '\0';
		if (*arrow < 0 && strcmp(cl->argv[cl->argc], "=>") == 0)
			*arrow = cl->argc;
		cl->argc++;
	}
	return 0;
}

int cmd_parse(const char *text, struct cmd_line *cl, char *err, size_t errlen)
{
	const struct cmd_entry *c;
	struct outcome o;
	int arrow, nargs;

	memset(&cl->expect, 0, sizeof cl->expect);
	if (strlen(text) >= CMD_LINEMAX) {
		snprintf(err, errlen, "line too long (at most %d bytes)", CMD_LINEMAX - 1);
		return -1;
	}
	if (split_words(text, cl, &arrow, err, errlen) < 0)
		return -1;
	if (cl->argc == 0)
		return 1;
	if (arrow == 0) {
		snprintf(err, errlen, "an expectation '=>' needs a command before it");
		return -1;
	}
	if (arrow > 0) {
		if (arrow != cl->argc - 2) {
			snprintf(err, errlen, "'=>' must be followed by exactly one word: ok, an errno name or a count");
			return -1;
		}
		if (parse_expect(cl->argv[arrow + 1], &cl->expect, err, errlen) < 0)
			return -1;
		cl->argc = arrow;
	}
	c = cmd_find(cl->argv[0]);
	if (c == NULL) {
		snprintf(err, errlen, "unknown command '%s' (try: help)", cl->argv[0]);
		return -1;
	}
	nargs = cl->argc - 1;
	if (nargs < c->min_args) {
		snprintf(err, errlen, "%s: missing argument; usage: %s", c->name, c->usage);
		return -1;
	}
	if (nargs > c->max_args) {
		snprintf(err, errlen, "%s: too many arguments; usage: %s", c->name, c->usage);
		return -1;
	}
	memset(&o, 0, sizeof o);
	return c->exec(NULL, cl, &o, err, errlen) < 0 ? -1 : 0;
}

/* The tee: every line of a command goes to the front end and into its record. */
struct tee {
	struct sink next;
	struct strsink out;
};

static void tee_line(void *ctx, enum sink_kind kind, const char *text)
{
	struct tee *t = ctx;
	struct sink s = strsink_sink(&t->out);

	s.line(s.ctx, kind, text);
	if (t->next.line)
		t->next.line(t->next.ctx, kind, text);
}

void cmd_exec(struct session *s, const struct cmd_line *cl, struct outcome *o)
{
	const struct cmd_entry *c = cmd_find(cl->argv[0]);
	char err[256];
	struct tee t = { s->sink, { 0 } };
	char line[CMD_LINEMAX + 64];

	memset(o, 0, sizeof *o);
	if (c == NULL) {	/* only a caller that skipped cmd_parse gets here */
		o->usage = true;
		sink_printf(&s->sink, SINK_ERROR, "unknown command '%s'", cl->argv[0]);
		return;
	}
	/* the checks first, then the work: a usage error must change nothing */
	if (c->exec(NULL, cl, o, err, sizeof err) < 0) {
		o->usage = true;
		sink_printf(&s->sink, SINK_ERROR, "%s", err);
		return;
	}
	s->sink = (struct sink){ tee_line, &t };
	if (c->exec(s, cl, o, err, sizeof err) < 0)
		o->usage = true;
	s->sink = t.next;
	if (o->usage)
		sink_printf(&s->sink, SINK_ERROR, "%s", err);
	else if (strcmp(c->name, "help") != 0 && strcmp(c->name, "export") != 0) {
		/* a replayed transcript checks the kernel still answers the same */
		const char *replay = c->replay && cl->expect.kind == EXPECT_NONE ?
				     (o->err ? errname(o->err) : "ok") : NULL;

		cmd_line_text(cl, line, sizeof line);
		session_record(s, line, replay, o->ret, o->err, t.out.buf);
	}
	strsink_free(&t.out);
}

void cmd_line_text(const struct cmd_line *cl, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < cl->argc && n < len; i++) {
		const char *a = cl->argv[i];
		bool quote = a[0] == '\0' || strpbrk(a, " \t#\"\\\n") != NULL;

		n += (size_t)snprintf(buf + n, len - n, "%s", i ? " " : "");
		if (!quote) {
			n += (size_t)snprintf(buf + n, len - n, "%s", a);
			continue;
		}
		n += (size_t)snprintf(buf + n, len - n, "\"");
		for (; *a && n + 3 < len; a++) {
			if (*a == '"' || *a == '\\')
				buf[n++] = '\\', buf[n++] = *a;
			else if (*a == '\n')
				buf[n++] = '\\', buf[n++] = 'n';
			else if (*a == '\t')
				buf[n++] = '\\', buf[n++] = 't';
			else
				buf[n++] = *a;
		}
		n += (size_t)snprintf(buf + n, len - n, "\"");
	}
	if (cl->expect.kind != EXPECT_NONE && n < len) {
		char want[32];

		cmd_expect_format(&cl->expect, want, sizeof want);
		snprintf(buf + n, len - n, " => %s", want);
	}
}

int cmd_run(struct session *s, const char *text, struct outcome *o)
{
	struct cmd_line cl;
	char err[256];
	int r = cmd_parse(text, &cl, err, sizeof err);

	memset(o, 0, sizeof *o);
	if (r < 0) {
		o->usage = true;
		sink_printf(&s->sink, SINK_ERROR, "%s", err);
		return -1;
	}
	if (r == 1)
		return 1;
	cmd_exec(s, &cl, o);
	return o->usage ? -1 : 0;
}

void cmd_expect_format(const struct expect *e, char *buf, size_t len)
{
	switch (e->kind) {
	case EXPECT_NONE:
		snprintf(buf, len, "-");
		break;
	case EXPECT_OK:
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
		met = !o->usage && o->err == 0;
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
	else
		snprintf(got, gotlen, "ok");
	return met;
}

int cmd_arg_sock(struct session *s, const struct cmd_line *cl, int i,
		 struct sock **out, char *err, size_t errlen)
{
	const char *name = cl->argv[i];

	*out = NULL;
	if (!sock_name_valid(name)) {
		snprintf(err, errlen, "bad socket name '%s': a letter, then letters, digits, _ or -", name);
		return -1;
	}
	if (s == NULL)
		return 0;
	*out = socktab_find(&s->socks, name);
	if (*out == NULL) {
		struct sock *old = socktab_find_any(&s->socks, name);

		if (old)
			snprintf(err, errlen, "%s: socket %s is closed", cl->argv[0], name);
		else
			snprintf(err, errlen, "%s: no socket named '%s'", cl->argv[0], name);
		return -1;
	}
	return 0;
}

void cmd_report(struct session *s, struct outcome *o, const char *call, long ret, int err)
{
	o->ret = ret;
	o->err = err;
	if (err)
		sink_printf(&s->sink, SINK_CALL, "%s = -1 %s (%s)", call, errname(err), strerror(err));
	else
		sink_printf(&s->sink, SINK_CALL, "%s = %ld", call, ret);
}

void cmd_quote(const void *data, size_t len, char *buf, size_t buflen)
{
	const unsigned char *d = data;
	size_t o = 0;

	buf[o++] = '"';
	for (size_t i = 0; i < len && o + 6 < buflen; i++) {
		unsigned char c = d[i];

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, buflen - o, "\\%c", c);
		else if (c == '\n')
			o += (size_t)snprintf(buf + o, buflen - o, "\\n");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, buflen - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
		if (i + 1 < len && o + 6 >= buflen) {
			o += (size_t)snprintf(buf + o, buflen - o, "...");
			break;
		}
	}
	snprintf(buf + o, buflen - o, "\"");
}

void cmd_join(const struct cmd_line *cl, int from, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = from; i < cl->argc && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i > from ? " " : "", cl->argv[i]);
}

/*
 * cmd: the table of commands, the line parser and the executor.  The
 * handlers live in one file per family (cmd_sock.c: creating and
 * configuring; cmd_conn.c: the calls on addresses and data; cmd_misc.c:
 * time, kernel knobs, the table view, help and export).  cmd_run_line is
 * the one runner every front end calls.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_int.h"
#include "export.h"
#include "i18n.h"

#define R CMDF_RECORD
#define P CMDF_REPLAY

const struct cmd_entry cmd_table[] = {
	{ .name = "tcp", .usage = "tcp [NAME] [-6]", .help = N_("create a TCP socket (IPv4, or IPv6 with -6)"),
	  .min_args = 0, .max_args = 2, .flags = R | P | CMDF_CREATES, .args = "N-",
	  .exec = cmd_tcp, .emit = export_socket },
	{ .name = "udp", .usage = "udp [NAME] [-6]", .help = N_("create a UDP socket (IPv4, or IPv6 with -6)"),
	  .min_args = 0, .max_args = 2, .flags = R | P | CMDF_CREATES, .args = "N-",
	  .exec = cmd_udp, .emit = export_socket },
	{ .name = "set", .usage = "set NAME OPTION VALUE",
	  .help = N_("setsockopt: reuseaddr reuseport v6only nodelay keepalive bind_address_no_port "
		  "on|off; linger off|SECONDS; local_port_range LO HI"),
	  .min_args = 3, .max_args = 4, .flags = R | P, .args = "SOV-", .exec = cmd_set, .emit = export_set },
	{ .name = "bind", .usage = "bind NAME ADDR:PORT",
	  .help = N_("bind to 1.2.3.4:P, [::1]:P or *:P (port 0: kernel picks)"),
	  .min_args = 2, .max_args = 2, .flags = R | P, .args = "SA", .exec = cmd_bind, .emit = export_bind },
	{ .name = "listen", .usage = "listen NAME [BACKLOG]", .help = N_("start listening (TCP)"),
	  .min_args = 1, .max_args = 2, .flags = R | P, .args = "S-", .exec = cmd_listen,
	  .emit = export_listen },
	{ .name = "connect", .usage = "connect NAME ADDR:PORT", .help = N_("connect and report the final result"),
	  .min_args = 2, .max_args = 2, .flags = R | P, .args = "SA", .exec = cmd_connect,
	  .emit = export_connect },
	{ .name = "disconnect", .usage = "disconnect NAME",
	  .help = N_("connect(AF_UNSPEC): dissolve the association (TCP: abort with RST)"),
	  .min_args = 1, .max_args = 1, .flags = R | P, .args = "S", .exec = cmd_disconnect,
	  .emit = export_disconnect },
	{ .name = "accept", .usage = "accept NAME [NEWNAME]", .help = N_("take one waiting connection (EAGAIN if none)"),
	  .min_args = 1, .max_args = 2, .flags = R | P | CMDF_CREATES, .args = "SN", .exec = cmd_accept,
	  .emit = export_accept },
	{ .name = "send", .usage = "send NAME TEXT", .help = N_("send text on a connected socket"),
	  .min_args = 2, .max_args = CMD_MAXARGS - 1, .flags = R | P | CMDF_COUNT, .args = "ST", .exec = cmd_send,
	  .emit = export_send },
	{ .name = "sendto", .usage = "sendto NAME ADDR:PORT TEXT", .help = N_("send a datagram to an address"),
	  .min_args = 3, .max_args = CMD_MAXARGS - 1, .flags = R | P | CMDF_COUNT, .args = "SAT", .exec = cmd_sendto,
	  .emit = export_sendto },
	{ .name = "recv", .usage = "recv NAME", .help = N_("read what has arrived (EAGAIN if nothing)"),
	  .min_args = 1, .max_args = 1, .flags = R, .args = "S", .exec = cmd_recv, .emit = export_recv },
	{ .name = "shutdown", .usage = "shutdown NAME rd|wr|rdwr", .help = N_("shut down one or both directions"),
	  .min_args = 2, .max_args = 2, .flags = R | P, .args = "SH", .exec = cmd_shutdown,
	  .emit = export_shutdown },
	{ .name = "close", .usage = "close NAME", .help = N_("close the socket"),
	  .min_args = 1, .max_args = 1, .flags = R | P | CMDF_CLOSES, .args = "S", .exec = cmd_close,
	  .emit = export_close },
	{ .name = "sysctl", .usage = "sysctl KEY [VALUE...]", .help = N_("read a net.* knob; write it only in the sandbox"),
	  .min_args = 1, .max_args = 4, .flags = R, .args = "K", .kernel_write_args = 2,
	  .exec = cmd_sysctl, .emit = export_sysctl, .no_export = "only sockplay's sandbox may do this" },
	{ .name = "addr", .usage = "addr add ADDR", .help = N_("give the sandbox's loopback another address"),
	  .min_args = 2, .max_args = 2, .flags = R, .args = "--", .kernel_write_args = 1,
	  .exec = cmd_addr, .no_export = "only sockplay's sandbox may do this" },
	{ .name = "reset", .usage = "reset", .help = N_("close every socket (in the sandbox: a fresh namespace)"),
	  .min_args = 0, .max_args = 0, .flags = R | CMDF_CLOSES, .args = "", .exec = cmd_reset,
	  .no_export = "only sockplay's sandbox may do this" },
	{ .name = "wait", .usage = "wait SECONDS", .help = N_("let time pass (fractions allowed)"),
	  .min_args = 1, .max_args = 1, .flags = R | CMDF_WAITS, .args = "-", .exec = cmd_wait,
	  .emit = export_wait },
	{ .name = "net", .usage = "net [FILTER...]",
	  .help = N_("show the kernel table: tcp udp own STATE :PORT ADDR:PORT ->ADDR:PORT"),
	  .min_args = 0, .max_args = CMD_MAXARGS - 1, .flags = R | CMDF_BULK, .args = "FFFFFFFFFFFFFFF",
	  .exec = cmd_net, .no_export = "the kernel table is sockplay's view" },
	{ .name = "wire", .usage = "wire [FILTER...] | wire save [-f] FILE | wire clear",
	  .help = N_("the packets so far, under their calls: NAME from NAME to NAME tcp udp icmp "
		  "syn fin rst ack psh data last late"),
	  .min_args = 0, .max_args = CMD_MAXARGS - 1, .flags = R | CMDF_BULK, .args = "-", .file_word = "save",
	  .exec = cmd_wire, .no_export = "the packets are sockplay's capture" },
	{ .name = "export", .usage = "export c [-f] FILE|-",
	  .help = N_("write the session's calls as a C program (-f: overwrite; -: standard output)"),
	  .min_args = 2, .max_args = 3, .flags = CMDF_FILE, .args = "---", .exec = cmd_export },
	{ .name = "help", .usage = "help [VERB]", .help = N_("list the commands, or show one"),
	  .min_args = 0, .max_args = 1, .flags = 0, .args = "-", .exec = cmd_help },
	{ .name = NULL },
};

#undef R
#undef P

const struct cmd_entry *cmd_find(const char *verb)
{
	for (const struct cmd_entry *c = cmd_table; c->name; c++)
		if (strcmp(c->name, verb) == 0)
			return c;
	return NULL;
}

int cmd_expect_parse(const char *w, struct expect *e, char *err, size_t errlen)
{
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

	for (; *w && n + 5 < len; w++) {
		if (n >= 60) {
			n += (size_t)snprintf(buf + n, len - n, "...");
			break;
		}
		if (*w < 0x20 || *w == 0x7f)
			n += (size_t)snprintf(buf + n, len - n, "\\x%02x", *w);
		else
			buf[n++] = (char)*w;
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
			if (quoted && c == '\\' && *p)
				p += unescape(p, &c);
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
		snprintf(err, errlen, _("%s: missing argument; usage: %s"), c->name, c->usage);
		return -1;
	}
	if (nargs > c->max_args) {
		snprintf(err, errlen, _("%s: too many arguments; usage: %s"), c->name, c->usage);
		return -1;
	}
	return 0;
}

/* Error messages quote what was typed: no control byte may reach a terminal. */
static void err_clean(char *err)
{
	for (unsigned char *p = (unsigned char *)err; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
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

/* The tee: every line of a command goes to the front end and into its record. */
/*
 * What a command writes goes to its front end and is kept for its record.
 * A bulk command's lines (a `net` of 50,000 rows) go to the transcript as
 * they come instead, and only the first of them are kept: memory does not
 * grow with the kernel's table.
 */
struct tee {
	struct sink next;
	struct strsink out;
	struct session *stream;	/* bulk: the session whose transcript takes each line */
	size_t dropped;		/* bulk: lines not kept */
};

static void tee_line(void *ctx, enum sink_kind kind, const char *text, size_t len)
{
	struct tee *t = ctx;
	struct sink s = strsink_sink(&t->out);

	if (!t->stream || t->out.len < SESSION_OUTPUT_KEEP)
		s.line(s.ctx, kind, text, len);
	else
		t->dropped++;
	if (t->stream)
		session_transcript_output(t->stream, kind, text);
	if (t->next.line)
		t->next.line(t->next.ctx, kind, text, len);
}

/* The socket a record is about, as it is after the call (created, or argv[1]). */
static void record_subject(struct session *s, const struct cmd_line *cl, const char *created,
			   struct record_sock *rs)
{
	const struct sock *k = NULL;

	memset(rs, 0, sizeof *rs);
	if (created && created[0])
		k = socktab_find_any(&s->socks, created);
	else if (cl->argc > 1 && cl->cmd->args[0] == 'S')
		k = socktab_find_any(&s->socks, cl->argv[1]);
	if (k == NULL)
		return;
	snprintf(rs->name, sizeof rs->name, "%s", k->name);
	rs->family = k->family;
	rs->type = k->type;
}

/*
 * Run a parsed line: checks, then the work, then the record.  err gets the
 * message of a usage error (also sent to the sink), created the name of a
 * socket the line made.
 */
static void run_parsed(struct session *s, const struct cmd_line *cl, struct outcome *o,
		       char *created, char *err, size_t errlen)
{
	const struct cmd_entry *c = cl->cmd;
	struct tee t = { s->sink, { 0 }, NULL, 0 };
	unsigned before = s->socks.serial;
	bool bulk = (c->flags & CMDF_BULK) && (c->flags & CMDF_RECORD);

	memset(o, 0, sizeof *o);
	created[0] = '\0';
	/* the checks first, then the work: a usage error must change nothing */
	if (c->exec(NULL, cl, o, err, errlen) < 0) {
		o->usage = true;
		err_clean(err);
		sink_printf(&s->sink, SINK_ERROR, "%s", err);
		return;
	}
	/* packets that came since the last call are a timer's: told before this one */
	session_wire_call_begins(s, c);
	if (bulk) {
		/* the line first, then its output as it comes (it replays with no expectation) */
		session_transcript_line(s, cl);
		t.stream = s;
	}
	s->sink = (struct sink){ tee_line, &t };
	if (c->exec(s, cl, o, err, errlen) < 0)
		o->usage = true;
	else
		/* the packets the call sent, after its why-lines */
		session_wire_call_ends(s, c->args && c->args[0] == 'S' && cl->argc > 1 ? cl->argv[1] : NULL);
	s->sink = t.next;
	if (t.dropped) {
		struct sink keep = strsink_sink(&t.out);

		sink_printf(&keep, SINK_INFO, _("(%zu more lines: in the transcript)"), t.dropped);
	}
	if (!o->usage && c->args && c->args[0] == 'S') {
		/* what `=> ok PORT` checks: the socket's local port now */
		const struct sock *sk = socktab_find(&s->socks, cl->argv[1]);

		o->port = sk && sk->local.family ? sk->local.port : 0;
	}
	if (o->usage) {
		err_clean(err);
		sink_printf(&s->sink, SINK_ERROR, "%s", err);
	} else {
		struct record_sock rs;

		if ((c->flags & CMDF_CREATES) && o->err == 0 && s->socks.serial != before && s->socks.n)
			snprintf(created, SOCK_NAMELEN, "%s", s->socks.v[s->socks.n - 1]->name);
		if (c->flags & CMDF_RECORD) {
			record_subject(s, cl, created, &rs);
			session_record(s, cl, o, &rs, created, t.out.buf, bulk);
		}
	}
	strsink_free(&t.out);
}

void cmd_exec(struct session *s, const struct cmd_line *cl, struct outcome *o)
{
	char err[256], created[SOCK_NAMELEN];
	struct cmd_line own;

	if (cl->cmd == NULL) {	/* a caller that filled argv itself: find the row */
		const struct cmd_entry *c = cmd_find(cl->argv[0]);

		if (c == NULL) {
			memset(o, 0, sizeof *o);
			o->usage = true;
			sink_printf(&s->sink, SINK_ERROR, _("unknown command '%s'"),
				    cmd_word_show(cl->argv[0], err, sizeof err));
			return;
		}
		own = *cl;
		for (int i = 0; i < own.argc; i++)
			own.argv[i] = cl->argv[i] >= cl->buf && cl->argv[i] < cl->buf + sizeof cl->buf ?
				      own.buf + (cl->argv[i] - cl->buf) : cl->argv[i];
		own.cmd = c;
		cl = &own;
	}
	run_parsed(s, cl, o, created, err, sizeof err);
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
	if (a[0] == '\0' || strcmp(a, "=>") == 0)
		return true;
	for (const unsigned char *p = (const unsigned char *)a; *p; p++)
		if (*p <= ' ' || *p == '#' || *p == '"' || *p == '\\' || *p == 0x7f)
			return true;
	return false;
}

static void put_quoted(struct out *o, const char *a)
{
	static const char hex[] = "0123456789abcdef";

	put(o, '"');
	for (const unsigned char *p = (const unsigned char *)a; *p; p++) {
		if (*p == '"' || *p == '\\') {
			put(o, '\\');
			put(o, (char)*p);
		} else if (*p == '\n') {
			puts_(o, "\\n");
		} else if (*p == '\t') {
			puts_(o, "\\t");
		} else if (*p == '\r') {
			puts_(o, "\\r");
		} else if (*p < 0x20 || *p == 0x7f) {
			puts_(o, "\\x");
			put(o, hex[*p >> 4]);
			put(o, hex[*p & 15]);
		} else {
			put(o, (char)*p);
		}
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

int cmd_run_line(struct session *s, const char *text, struct cmd_result *r)
{
	struct cmd_line *cl = &r->cl;
	int p;

	memset(r, 0, sizeof *r);
	r->met = true;
	p = cmd_parse(text, cl, r->err, sizeof r->err);
	if (p == 1) {
		r->status = CMD_BLANK;
		return r->status;
	}
	if (p < 0) {
		r->status = CMD_REFUSED;
		r->o.usage = true;
		sink_printf(&s->sink, SINK_ERROR, "%s", r->err);
		return r->status;
	}
	s->interrupted = false;
	if (s->hooks.before)
		s->hooks.before(s->hooks.ctx, cl);
	run_parsed(s, cl, &r->o, r->created, r->err, sizeof r->err);
	r->interrupted = s->interrupted;
	r->status = r->o.usage ? CMD_REFUSED : CMD_RAN;
	if (cl->expect.kind != EXPECT_NONE) {
		r->expected = true;
		r->met = cmd_expect_met(&cl->expect, &r->o, r->got, sizeof r->got);
		cmd_expect_format(&cl->expect, r->want, sizeof r->want);
		if (!r->met && !r->o.usage)
			sink_printf(&s->sink, SINK_FAIL, _("expected %s, got %s"), r->want, r->got);
	}
	if (s->hooks.after)
		s->hooks.after(s->hooks.ctx, r);
	return r->status;
}

bool cmd_writes_files(const struct cmd_line *cl)
{
	const struct cmd_entry *c = cl->cmd;

	return c && ((c->flags & CMDF_FILE) ||
		     (c->file_word && cl->argc > 1 && strcmp(cl->argv[1], c->file_word) == 0));
}

int cmd_run(struct session *s, const char *text, struct outcome *o)
{
	struct cmd_result *r = malloc(sizeof *r);
	int st;

	if (r == NULL) {
		memset(o, 0, sizeof *o);
		o->usage = true;
		return -1;
	}
	st = cmd_run_line(s, text, r);
	*o = r->o;
	free(r);
	return st == CMD_BLANK ? 1 : st == CMD_REFUSED ? -1 : 0;
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

int cmd_arg_sock(struct session *s, const struct cmd_line *cl, int i,
		 struct sock **out, char *err, size_t errlen)
{
	const char *name = cl->argv[i];

	*out = NULL;
	if (!sock_name_valid(name)) {
		snprintf(err, errlen, _("bad socket name '%s': a letter, then letters, digits, _ or -"), name);
		return -1;
	}
	if (s == NULL)
		return 0;
	*out = socktab_find(&s->socks, name);
	if (*out == NULL) {
		struct sock *old = socktab_find_any(&s->socks, name);

		if (old)
			snprintf(err, errlen, _("%s: socket %s is closed"), cl->argv[0], name);
		else
			snprintf(err, errlen, _("%s: no socket named '%s'"), cl->argv[0], name);
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

/*
 * runner: the one path of a line.  While a call runs, every line the
 * session writes comes through the runner's sink and is teed: to the front
 * end's sink (the top of the stack), into the call's output (its record
 * keeps HISTORY_OUTPUT_KEEP bytes of it) and, for a bulk call (a `net` of
 * 50,000 rows), straight into the transcript.  Between calls, events and
 * the kernel's own packets go to the front end and the transcript.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/runner.h"
#include "util/errname.h"
#include "util/utf8.h"
#include "util/i18n.h"

/* The call under way: what it has written so far. */
struct run_call {
	struct strsink out;
	bool bulk;		/* streamed to the transcript, only the first lines kept */
	size_t dropped;		/* bulk: lines not kept */
};

static const struct sink *front(const struct runner *r)
{
	return r->nsinks ? &r->sinks[r->nsinks - 1] : NULL;
}

/* A failed transcript write is said once, to the front end. */
static void tell_transcript_failure(struct runner *r)
{
	const struct sink *f = front(r);

	if (!r->tr.failed || r->told_transcript || r->tr.error[0] == '\0')
		return;
	r->told_transcript = true;
	if (f && f->line)
		f->line(f->ctx, SINK_INFO, r->tr.error, strlen(r->tr.error));
}

/* The session's sink: see the opening paragraph. */
static void runner_sink(void *ctx, enum sink_kind kind, const char *text, size_t len)
{
	struct runner *r = ctx;
	struct run_call *c = r->cur;
	const struct sink *f = front(r);

	if (c) {
		if (!c->bulk || c->out.len < HISTORY_OUTPUT_KEEP) {
			struct sink keep = strsink_sink(&c->out);

			keep.line(keep.ctx, kind, text, len);
		} else {
			c->dropped++;
		}
		if (c->bulk)
			transcript_output(&r->tr, kind, text);
	} else if (kind == SINK_WIRE && ++r->between_packets > RUNNER_BETWEEN_PACKETS) {
		return;	/* a flood between calls: counted, and told once at the next call */
	} else if (kind == SINK_EVENT || kind == SINK_WIRE) {
		transcript_output(&r->tr, kind, text);
	}
	if (f && f->line)
		f->line(f->ctx, kind, text, len);
	if (!c)
		tell_transcript_failure(r);
}

/* The packets between calls that were not told one by one: one line for them all. */
static void tell_untold_packets(struct runner *r)
{
	char line[160];

	if (r->between_packets > RUNNER_BETWEEN_PACKETS) {
		snprintf(line, sizeof line, _("(%lu more packets came between calls: `wire` lists them)"),
			 r->between_packets - RUNNER_BETWEEN_PACKETS);
		transcript_output(&r->tr, SINK_WIRE, line);
		runner_say(r, SINK_WIRE, line);
	}
	r->between_packets = 0;
}

void runner_init(struct runner *r, struct session *s)
{
	memset(r, 0, sizeof *r);
	r->s = s;
	history_init(&r->hist);
	transcript_init(&r->tr);
	s->sink = (struct sink){ runner_sink, r };
}

void runner_free(struct runner *r)
{
	transcript_close(&r->tr);
	history_free(&r->hist);
	free(r->context);
	r->context = NULL;
	r->s->sink = (struct sink){ NULL, NULL };
}

void runner_push_sink(struct runner *r, struct sink sink)
{
	if (r->nsinks < RUNNER_SINKS)
		r->sinks[r->nsinks++] = sink;
}

void runner_pop_sink(struct runner *r)
{
	if (r->nsinks > 0)
		r->nsinks--;
}

void runner_say(struct runner *r, enum sink_kind kind, const char *text)
{
	char line[1024];
	const struct sink *f = front(r);

	snprintf(line, sizeof line, "%s", text);
	sink_text(f, kind, line);
}

void runner_set_context(struct runner *r, const char *context)
{
	free(r->context);
	r->context = context ? strdup(context) : NULL;
}

/* The socket a record is about, as it is after the call (created, or argv[1]). */
static struct record_sock record_subject(const struct session *s, const struct cmd_line *cl,
					 const char *created)
{
	struct record_sock rs;
	const struct sock *k = NULL;

	memset(&rs, 0, sizeof rs);
	if (created[0])
		k = socktab_find_any(&s->socks, created);
	else if (cl->argc > 1 && cl->cmd->args[0] == 'S')
		k = socktab_find_any(&s->socks, cl->argv[1]);
	if (k == NULL)
		return rs;
	snprintf(rs.name, sizeof rs.name, "%s", k->name);
	rs.family = k->family;
	rs.type = k->type;
	return rs;
}

/* Is the verb a call, whose packets are its own?  A look at the table or the packets is not. */
static bool is_call(const struct cmd_entry *c)
{
	return (c->flags & (CMDF_REPLAY | CMDF_WAITS | CMDF_CLOSES | CMDF_COUNT)) || c->kernel_write_args;
}

/* What a replayed transcript checks the kernel still says, when the line had no expectation. */
static const char *replay_of(const struct cmd_line *cl, const struct outcome *o, char *buf, size_t len)
{
	if (!(cl->cmd->flags & CMDF_REPLAY) || cl->expect.kind != EXPECT_NONE)
		return NULL;
	if (o->err)
		return errname(o->err);
	/* a send replays the number of bytes it sent: the same bytes, the same count */
	if (cl->cmd->flags & CMDF_COUNT) {
		snprintf(buf, len, "%ld", o->ret);
		return buf;
	}
	return "ok";
}

/*
 * A call's line as the transcript writes it: a call that writes a file
 * (wire save) is only told, as a comment: a transcript is handed to others
 * and replayed, and a replay writes no file.
 */
static char *transcript_text(const struct cmd_line *cl)
{
	size_t need = cmd_line_text(cl, NULL, 0) + 64, k;
	char *line = malloc(need);

	if (line == NULL)
		return NULL;
	k = cmd_writes_files(cl) ? (size_t)snprintf(line, need, "# not replayed (it writes a file): ") : 0;
	cmd_line_text(cl, line + k, need - k);
	return line;
}

/* A bulk call's line goes to the transcript before its output, as it is run. */
static void bulk_line(struct runner *r, const struct cmd_line *cl)
{
	char *line = transcript_text(cl);

	if (line)
		transcript_line(&r->tr, r->context, line);
	free(line);
}

/* After a call that ran: its record, and the transcript (a bulk call's lines are there already). */
static void record(struct runner *r, const struct cmd_line *cl, const struct cmd_result *res,
		   const char *output, bool bulk)
{
	struct history_call hc = {
		.cl = cl, .o = &res->o, .sock = record_subject(r->s, cl, res->created),
		.created = res->created, .output = output, .context = r->context,
		.serial = r->s->serial, .started = r->s->call_started,
	};
	char count[24];
	const char *replay = replay_of(cl, &res->o, count, sizeof count);

	if (!bulk) {
		char *line = transcript_text(cl);

		if (line)
			transcript_call(&r->tr, r->context, line, cmd_writes_files(cl) ? NULL : replay, output);
		free(line);
	}
	history_add(&r->hist, &hc);
}

static void clean_message(char *m)
{
	utf8_clean(m, strlen(m));
}

/* Run a line parse() accepted: the work, then its packets, then the record. */
static void run_parsed(struct runner *r, struct cmd_result *res)
{
	const struct cmd_line *cl = &res->cl;
	const struct cmd_entry *c = cl->cmd;
	struct session *s = r->s;
	struct cmd_ctx x = { s, &r->hist, r->confined, r->stdout_is_screen };
	struct run_call call = { { 0 }, (c->flags & CMDF_BULK) && (c->flags & CMDF_RECORD), 0 };
	unsigned before = s->socks.serial;
	bool names_socket = c->args && c->args[0] == 'S' && cl->argc > 1;

	/* packets that came since the last call are a timer's: told before this one */
	session_wire_call_begins(s, (c->flags & (CMDF_CREATES | CMDF_CAPTURE)) != 0, is_call(c));
	tell_untold_packets(r);
	if (call.bulk)
		bulk_line(r, cl);
	r->cur = &call;
	if (c->exec(&x, cl, &res->o, res->err, sizeof res->err) < 0)
		res->o.usage = true;
	else	/* the packets the call sent, after its why-lines */
		session_wire_call_ends(s, names_socket ? cl->argv[1] : NULL);
	r->cur = NULL;
	if (call.dropped) {
		struct sink keep = strsink_sink(&call.out);

		sink_printf(&keep, SINK_INFO, _("(%zu more lines: in the transcript)"), call.dropped);
	}
	if (!res->o.usage && names_socket) {
		/* what `=> ok PORT` checks: the socket's local port now */
		const struct sock *sk = socktab_find(&s->socks, cl->argv[1]);

		res->o.port = sk && sk->local.family ? sk->local.port : 0;
	}
	if (res->o.usage) {
		clean_message(res->err);
		runner_say(r, SINK_ERROR, res->err);
	} else {
		if ((c->flags & CMDF_CREATES) && res->o.err == 0 && s->socks.serial != before && s->socks.n)
			snprintf(res->created, sizeof res->created, "%s", s->socks.v[s->socks.n - 1]->name);
		if (c->flags & CMDF_RECORD)
			record(r, cl, res, call.out.buf ? call.out.buf : "", call.bulk);
	}
	strsink_free(&call.out);
	tell_transcript_failure(r);
}

int runner_line(struct runner *r, const char *text, struct cmd_result *res)
{
	struct cmd_line *cl = &res->cl;
	int p;

	memset(res, 0, sizeof *res);
	res->met = true;
	p = cmd_parse(text, cl, res->err, sizeof res->err);
	if (p == 1) {
		res->status = CMD_BLANK;
		return res->status;
	}
	if (p < 0) {
		res->status = CMD_REFUSED;
		res->o.usage = true;
		runner_say(r, SINK_ERROR, res->err);
		return res->status;
	}
	r->s->interrupted = false;
	if (r->hooks.before)
		r->hooks.before(r->hooks.ctx, cl);
	run_parsed(r, res);
	res->interrupted = r->s->interrupted;
	res->status = res->o.usage ? CMD_REFUSED : CMD_RAN;
	if (cl->expect.kind != EXPECT_NONE) {
		res->expected = true;
		res->met = cmd_expect_met(&cl->expect, &res->o, res->got, sizeof res->got);
		cmd_expect_format(&cl->expect, res->want, sizeof res->want);
		if (!res->met && !res->o.usage) {
			char msg[128];

			snprintf(msg, sizeof msg, _("expected %s, got %s"), res->want, res->got);
			runner_say(r, SINK_FAIL, msg);
		}
	}
	if (r->hooks.after)
		r->hooks.after(r->hooks.ctx, res);
	return res->status;
}

int runner_run(struct runner *r, const char *text, struct outcome *o)
{
	struct cmd_result *res = malloc(sizeof *res);
	int st;

	if (res == NULL) {
		memset(o, 0, sizeof *o);
		o->usage = true;
		return -1;
	}
	st = runner_line(r, text, res);
	*o = res->o;
	free(res);
	return st == CMD_BLANK ? 1 : st == CMD_REFUSED ? -1 : 0;
}

int runner_transcript_open(struct runner *r, const char *path, char *err, size_t errlen)
{
	return transcript_open(&r->tr, path, err, errlen);
}

void runner_forget(struct runner *r)
{
	history_free(&r->hist);
	history_init(&r->hist);
}

int runner_transcript_create(struct runner *r, const char *path)
{
	return transcript_create(&r->tr, path);
}

void runner_transcript_comment(struct runner *r, const char *text)
{
	transcript_comment(&r->tr, text);
}

int runner_transcript_close(struct runner *r)
{
	return transcript_close(&r->tr);
}

/*
 * verb_wire: the `wire` command, the packets captured so far (its row
 * and handler here; it is not exported).
 *
 *   wire [FILTER...]        list them under the calls that sent them; => N counts
 *   wire save [-f] FILE     write them as a pcap file (tcpdump -r, Wireshark)
 *   wire clear              forget them
 *
 * A filter is words, all of which a packet must match: NAME (either end),
 * from NAME, to NAME, tcp, udp, icmp, syn, fin, rst, ack, psh, data (a
 * payload), last (sent by the last call), late (sent by the kernel on its
 * own: a delayed ACK, a retransmission).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lang/verb.h"
#include "lang/export.h"
#include "util/i18n.h"
#include "util/utf8.h"

/* a row's flags, short */
#define R CMDF_RECORD
#define P CMDF_REPLAY

#define WF_NAMES 4

struct wfilter {
	char any[WF_NAMES][SOCK_NAMELEN], from[SOCK_NAMELEN], to[SOCK_NAMELEN];
	int nany;
	unsigned protos;	/* bits: 1 tcp, 2 udp, 4 icmp; 0 all */
	unsigned flags;		/* WF_* the packet must have */
	bool data, last, late;
	uint8_t fate;		/* what the cable did (enum cable_fate): dropped, held; 0 any */
};

static const struct {
	const char *word;
	unsigned flag;
} flag_words[] = {
	{ "syn", WF_SYN }, { "fin", WF_FIN }, { "rst", WF_RST }, { "ack", WF_ACK }, { "psh", WF_PSH },
};

static int parse_name(const struct cmd_line *cl, int *i, char out[SOCK_NAMELEN], char *err, size_t errlen)
{
	const char *w = cl->argv[*i];

	if (*i + 1 >= cl->argc) {
		snprintf(err, errlen, _("wire: '%s' needs a socket name after it"), w);
		return -1;
	}
	++*i;
	if (!sock_name_valid(cl->argv[*i])) {
		snprintf(err, errlen, _("wire: bad socket name '%s' after '%s'"), cl->argv[*i], w);
		return -1;
	}
	snprintf(out, SOCK_NAMELEN, "%s", cl->argv[*i]);
	return 0;
}

static int filter_parse(const struct cmd_line *cl, struct wfilter *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	for (int i = 1; i < cl->argc; i++) {
		const char *w = cl->argv[i];
		bool done = false;

		for (size_t k = 0; k < sizeof flag_words / sizeof flag_words[0]; k++)
			if (strcmp(w, flag_words[k].word) == 0) {
				f->flags |= flag_words[k].flag;
				done = true;
			}
		if (done)
			continue;
		if (strcmp(w, "tcp") == 0)
			f->protos |= 1;
		else if (strcmp(w, "udp") == 0)
			f->protos |= 2;
		else if (strcmp(w, "icmp") == 0)
			f->protos |= 4;
		else if (strcmp(w, "data") == 0)
			f->data = true;
		else if (strcmp(w, "last") == 0)
			f->last = true;
		else if (strcmp(w, "late") == 0)
			f->late = true;
		else if (strcmp(w, "dropped") == 0)
			f->fate = CF_DROPPED;
		else if (strcmp(w, "held") == 0)
			f->fate = CF_HELD;
		else if (strcmp(w, "from") == 0 || strcmp(w, "to") == 0) {
			if (parse_name(cl, &i, w[0] == 'f' ? f->from : f->to, err, errlen) < 0)
				return -1;
		} else if (sock_name_valid(w) && f->nany < WF_NAMES) {
			snprintf(f->any[f->nany++], SOCK_NAMELEN, "%s", w);
		} else {
			snprintf(err, errlen, _("wire: unknown word '%s' (NAME, from NAME, to NAME, tcp, udp, icmp, "
				 "syn, fin, rst, ack, psh, data, last, late, dropped, held; or save FILE, clear)"), w);
			return -1;
		}
	}
	return 0;
}

static bool filter_match(const struct wfilter *f, const struct wire_pkt *p, unsigned last)
{
	unsigned proto = p->unreach ? 4 : p->proto == IPPROTO_TCP ? 1 : 2;

	if (f->protos && !(f->protos & proto))
		return false;
	if ((p->flags & f->flags) != f->flags || (f->flags && proto != 1))
		return false;
	if (f->data && p->len == 0)
		return false;
	if (f->last && (p->cause != last || p->late))
		return false;
	if (f->late && !p->late)
		return false;
	if (f->fate && p->fate != f->fate)
		return false;
	if (f->from[0] && strcmp(f->from, p->from) != 0)
		return false;
	if (f->to[0] && strcmp(f->to, p->to) != 0)
		return false;
	for (int i = 0; i < f->nany; i++)
		if (strcmp(f->any[i], p->from) != 0 && strcmp(f->any[i], p->to) != 0)
			return false;
	return true;
}

/* Every name the filter gives must be one the session has had. */
static int filter_names_known(struct session *s, const struct wfilter *f, char *err, size_t errlen)
{
	const char *names[WF_NAMES + 2];
	int n = 0;

	for (int i = 0; i < f->nany; i++)
		names[n++] = f->any[i];
	if (f->from[0])
		names[n++] = f->from;
	if (f->to[0])
		names[n++] = f->to;
	for (int i = 0; i < n; i++)
		if (socktab_find_any(&s->socks, names[i]) == NULL) {
			snprintf(err, errlen, _("wire: no socket named '%s'"), names[i]);
			return -1;
		}
	return 0;
}

/* A session without a capture: the call fails with EPERM, and why-line says how to get one. */
static void no_capture(struct session *s, struct outcome *o, const char *call)
{
	cmd_report(s, o, call, -1, EPERM);
	sink_printf(&s->sink, SINK_WHY, "%s", s->wire_why[0] ? s->wire_why : _("this session has no capture"));
}

/* A packet's comment in a pcapng file: what the log told of it, and the call that sent it. */
static void save_comment(const struct wire_pkt *p, void *ctx, char *buf, size_t len)
{
	const struct record *r = history_of(ctx, p->cause);
	char pk[200];

	wire_format(p, pk, sizeof pk);
	if (p->late)
		snprintf(buf, len, _("%s (by the kernel, after: %s)"), pk, r ? r->line : _("(before the first call)"));
	else
		snprintf(buf, len, _("%s (sent by: %s)"), pk, r ? r->line : _("(before the first call)"));
	utf8_clean(buf, strlen(buf));	/* a name or a line from a lesson never carries a control byte out */
}

/* FILE ends in .pcapng (any case): pcapng with comments; otherwise classic pcap. */
static bool is_pcapng(const char *path)
{
	size_t n = strlen(path);

	return n >= 7 && strcasecmp(path + n - 7, ".pcapng") == 0;
}

static int wire_save_cmd(struct session *s, const struct history *h, const struct cmd_line *cl,
			 struct outcome *o, char *err, size_t errlen)
{
	bool force = cl->argc == 4;
	const char *path = cl->argv[cl->argc - 1];
	char call[600], msg[400];
	size_t n;
	FILE *f;
	int e = 0;

	if (cl->argc < 3 || cl->argc > 4 || (force && strcmp(cl->argv[2], "-f") != 0)) {
		snprintf(err, errlen, _("wire: usage: wire save [-f] FILE"));
		return -1;
	}
	if (path[0] == '\0') {
		snprintf(err, errlen, _("wire: an empty file name"));
		return -1;
	}
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "wire_save(%s)", path);
	if (s->wire == NULL) {
		no_capture(s, o, call);
		return 0;
	}
	/* created as export creates its program; a full disk is said, never a cut file passed off as whole */
	if ((f = export_open_file(path, force, msg, sizeof msg)) == NULL) {
		snprintf(err, errlen, _("wire: %s"), msg);
		return -1;
	}
	if ((is_pcapng(path) ? wire_save_ng(s->wire, f, save_comment, (void *)h) : wire_save(s->wire, f)) < 0)
		e = errno ? errno : EIO;
	if (fclose(f) != 0 && e == 0)
		e = errno ? errno : EIO;
	if (e) {
		snprintf(msg, sizeof msg, "%s: %s", path, strerror(e));
		snprintf(err, errlen, _("wire: %s"), msg);
		return -1;
	}
	wire_packets(s->wire, &n);
	cmd_report(s, o, call, (long)n, 0);
	sink_printf(&s->sink, SINK_INFO, ngettext("%zu packet written; read it with: tcpdump -nr %s",
						   "%zu packets written; read them with: tcpdump -nr %s", n), n, path);
	return 0;
}

/* The packets, grouped under the calls that sent them. */
static void wire_list(struct session *s, const struct history *h, const struct wfilter *f)
{
	size_t n;
	const struct wire_pkt *v = wire_packets(s->wire, &n);
	unsigned group = 0;
	bool any = false;
	const struct record *r = NULL;
	char line[300], pk[200];

	for (size_t i = 0; i < n; i++) {
		const struct wire_pkt *p = &v[i];
		double at;

		if (!filter_match(f, p, s->serial))
			continue;
		if (!any || p->cause != group) {
			/* the call the group's packets belong to: looked up once for the group */
			r = history_of(h, p->cause);
			sink_printf(&s->sink, SINK_INFO, "%s", r ? r->line : _("(before the first call)"));
			group = p->cause;
			any = true;
		}
		at = r ? (double)p->ts_sec + (double)p->ts_usec / 1e6 - r->started : p->t;
		snprintf(line, sizeof line, _("  %1$9.3f ms %2$s %3$s"), at * 1000, p->late ? C_("wire", "late") : "    ",
			 wire_format(p, pk, sizeof pk));
		sink_text(&s->sink, SINK_INFO, line);
	}
}

CMD_HANDLER(cmd_wire)
{
	VERB_SESSION;
	struct wfilter f;
	char call[256], words[200];
	size_t n;
	long count = 0;

	if (cl->argc > 1 && strcmp(cl->argv[1], "save") == 0)
		return wire_save_cmd(s, x ? x->hist : NULL, cl, o, err, errlen);
	if (cl->argc > 1 && strcmp(cl->argv[1], "clear") == 0) {
		if (cl->argc > 2) {
			snprintf(err, errlen, _("wire: 'clear' takes nothing after it"));
			return -1;
		}
		if (s == NULL)
			return 0;
		wire_packets(s->wire, &n);
		wire_clear(s->wire);
		cmd_report(s, o, "wire_clear()", (long)n, 0);
		return 0;
	}
	if (filter_parse(cl, &f, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	if (filter_names_known(s, &f, err, errlen) < 0)
		return -1;
	cmd_join(cl, 1, words, sizeof words);
	snprintf(call, sizeof call, "wire(%s)", words);
	if (s->wire == NULL) {
		no_capture(s, o, call);
		return 0;
	}
	{
		const struct wire_pkt *v = wire_packets(s->wire, &n);

		for (size_t i = 0; i < n; i++)
			count += filter_match(&f, &v[i], s->serial);
	}
	cmd_report(s, o, call, count, 0);
	wire_list(s, x->hist, &f);
	if (wire_dropped(s->wire))
		sink_printf(&s->sink, SINK_WHY, _("the kernel dropped %lu packets the capture could not keep up with"),
			    wire_dropped(s->wire));
	return 0;
}

const struct cmd_entry cmd_entry_wire = {
	.name = "wire", .usage = N_("wire [FILTER...] | wire save [-f] FILE | wire clear"),
	.help = N_("the packets so far, under their calls: NAME from NAME to NAME tcp udp icmp "
		  "syn fin rst ack psh data last late"),
	.min_args = 0, .max_args = CMD_MAXARGS - 1, .flags = R | CMDF_BULK | CMDF_CAPTURE, .args = "-", .file_word = "save",
	.exec = cmd_wire, .no_export = "the packets are sockplay's capture" };

/*
 * verb_host: hosts and the cable between them: host, reboot, cable.
 * Each verb's handler and its row stand together; the rows are listed, in
 * help order, in cmd_table.c.  None is exported to C: a program of its own
 * has no sandbox to make hosts in.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/verb.h"
#include "util/i18n.h"

#define R CMDF_RECORD
#define P CMDF_REPLAY

static const char no_sandbox[] = N_("hosts live in the sandbox: start sockplay with --sandbox");

CMD_HANDLER(cmd_host)
{
	VERB_SESSION;
	struct in_addr addr;
	int plen;
	char msg[200], call[96], a[INET_ADDRSTRLEN];

	if (!host_name_valid(cl->argv[1])) {
		snprintf(err, errlen, _("bad host name '%s': a letter, then letters, digits, _ or -, "
			 "at most %d"), cl->argv[1], HOST_NAMELEN - 1);
		return -1;
	}
	if (host_addr_parse(cl->argv[2], &addr, &plen, msg, sizeof msg) < 0) {
		snprintf(err, errlen, "host: %s", msg);
		return -1;
	}
	if (s == NULL)
		return 0;
	inet_ntop(AF_INET, &addr, a, sizeof a);
	snprintf(call, sizeof call, "host(%s, %s/%d)", cl->argv[1], a, plen);
	if (!s->sandboxed) {
		cmd_report(s, o, call, -1, EPERM);
		sink_printf(&s->sink, SINK_WHY, "%s", _(no_sandbox));
		return 0;
	}
	if (session_host_add(s, cl->argv[1], addr, plen, msg, sizeof msg) < 0) {
		cmd_report(s, o, call, -1, errno ? errno : EPERM);
		sink_printf(&s->sink, SINK_WHY, "%s", msg);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	sink_printf(&s->sink, SINK_INFO, _("%s: a network namespace of its own (its own sockets, table and "
		    "settings), eth0 %s/%d, joined to the others by the cable: make sockets there with "
		    "'tcp NAME @%s'"), cl->argv[1], a, plen, cl->argv[1]);
	return 0;
}

const struct cmd_entry cmd_entry_host = {
	.name = "host", .usage = N_("host NAME ADDR[/PREFIX]"),
	.help = N_("a host in the sandbox: its own namespace, on the cable"),
	.min_args = 2, .max_args = 2, .flags = R | P, .args = "--", .kernel_write_args = 2,
	.exec = cmd_host, .no_export = "only sockplay's sandbox may do this" };

/* "@NAME" into a host number, or -1 with err. */
int cmd_arg_host(struct session *s, const char *word, int *h, char *err, size_t errlen)
{
	const char *name = word[0] == '@' ? word + 1 : word;

	if (!host_name_valid(name)) {
		snprintf(err, errlen, _("bad host name '%s': a letter, then letters, digits, _ or -, "
			 "at most %d"), name, HOST_NAMELEN - 1);
		return -1;
	}
	*h = 0;
	if (s == NULL)
		return 0;
	*h = hosts_find(&s->hosts, name);
	if (*h == 0) {
		snprintf(err, errlen, _("no host '%s': make it with 'host %s ADDR'"), name, name);
		return -1;
	}
	return 0;
}

CMD_HANDLER(cmd_reboot)
{
	VERB_SESSION;
	int h;
	char msg[200], call[64];
	size_t open = 0;

	if (cmd_arg_host(s, cl->argv[1], &h, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	for (size_t i = 0; i < s->socks.n; i++)
		if (s->socks.v[i]->host == h && s->socks.v[i]->fd >= 0)
			open++;
	snprintf(call, sizeof call, "reboot(%s)", hosts_name(&s->hosts, h));
	if (session_host_restart(s, h, msg, sizeof msg) < 0) {
		cmd_report(s, o, call, -1, errno ? errno : EPERM);
		sink_printf(&s->sink, SINK_WHY, "%s", msg);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	sink_printf(&s->sink, SINK_WHY, ngettext(
		    "%s lost its power and came back: its %zu socket is gone without a word on the cable "
		    "(no FIN, no RST), and its new kernel knows no connection, so a segment of an old one "
		    "is answered with RST",
		    "%s lost its power and came back: its %zu sockets are gone without a word on the cable "
		    "(no FIN, no RST), and its new kernel knows no connection, so a segment of an old one "
		    "is answered with RST", open), hosts_name(&s->hosts, h), open);
	return 0;
}

const struct cmd_entry cmd_entry_reboot = {
	.name = "reboot", .usage = N_("reboot HOST"),
	.help = N_("the host loses power and boots: its sockets and connections are gone"),
	.min_args = 1, .max_args = 1, .flags = R | P | CMDF_CLOSES, .args = "-", .kernel_write_args = 1,
	.exec = cmd_reboot, .no_export = "only sockplay's sandbox may do this" };

/* After frames were let go: a moment for the kernel to answer them, and connects that ended, said. */
static void settle(struct session *s)
{
	session_sleep(s, 0.03);
	for (size_t i = 0; i < s->socks.n; i++) {
		struct pollfd p = { .fd = s->socks.v[i]->fd, .events = POLLOUT };

		/* a connect has ended only when its socket is writable */
		if (s->socks.v[i]->state == SOCK_CONNECTING && poll(&p, 1, 0) == 1)
			(void)session_watch_event(s, s->socks.v[i]->name, 0);
	}
}

static void tell_frame(void *ctx, const struct cable_frame *f, enum cable_fate fate, unsigned ms)
{
	struct session *s = ctx;
	char line[200];

	(void)ms;
	wire_set_fate(s->wire, f->id, (uint8_t)fate);
	if (!wire_describe(s->wire, &s->socks, f->data, f->len, line, sizeof line))
		return;
	sink_printf(&s->sink, SINK_INFO, "%s #%u %s: %s", _("cable"), f->id,
		    fate == CF_PASSED ? _("forwarded") : _("dropped"), line);
}

static int parse_uint(const char *w, unsigned max, unsigned *v)
{
	char *end;
	unsigned long n;

	if (*w < '0' || *w > '9')
		return -1;
	errno = 0;
	n = strtoul(w, &end, 10);
	if (*end || errno || n > max)
		return -1;
	*v = (unsigned)n;
	return 0;
}

static void cable_status(struct session *s)
{
	struct cable *c = &s->cable;
	char rules[200] = "";
	size_t k = 0;

	for (size_t i = 0; i < c->nrules && k < sizeof rules; i++)
		k += (size_t)snprintf(rules + k, sizeof rules - k, "%s%s%s%s", k ? ", " : "",
				      cable_kind_name(c->rules[i].kind), c->rules[i].from ? " from " : "",
				      hosts_name(&s->hosts, c->rules[i].from));
	sink_printf(&s->sink, SINK_INFO, _("cable: %zu hosts; stepping %s; %zu held, %zu delayed; "
		    "%lu frames: %lu passed, %lu dropped"), s->hosts.n, c->step ? "on" : "off",
		    c->nheld, c->nlater, c->frames, c->passed, c->dropped);
	sink_printf(&s->sink, SINK_INFO, _("faults: loss %u%%, duplicates %u%%, delay %u ms, jitter %u ms, "
		    "seed %llu; drop next: %s"), c->loss, c->dup, c->delay_ms, c->jitter_ms,
		    (unsigned long long)c->seed, rules[0] ? rules : _("none"));
	if (c->failed)
		sink_printf(&s->sink, SINK_INFO, _("%lu frames the kernel refused to send on"), c->failed);
}

/* `cable drop next KIND [from HOST] [COUNT]` */
static int drop_next(struct session *s, const struct cmd_line *cl, char *err, size_t errlen)
{
	int kind = cl->argc > 3 ? cable_kind_parse(cl->argv[3]) : -1, from = 0;
	unsigned count = 1;
	int i = 4;

	if (kind < 0) {
		snprintf(err, errlen, _("cable drop next: say which frame: any, syn, syn-ack, ack, data, fin, "
			 "rst or udp"));
		return -1;
	}
	if (i + 1 < cl->argc + 1 && i < cl->argc && strcmp(cl->argv[i], "from") == 0) {
		if (i + 1 >= cl->argc) {
			snprintf(err, errlen, _("cable drop next: 'from' wants a host"));
			return -1;
		}
		if (cmd_arg_host(s, cl->argv[i + 1], &from, err, errlen) < 0)
			return -1;
		i += 2;
	}
	if (i < cl->argc && parse_uint(cl->argv[i++], 100, &count) < 0) {
		snprintf(err, errlen, _("cable drop next: bad count '%s': 1 to 100"), cl->argv[i - 1]);
		return -1;
	}
	if (i < cl->argc || count == 0) {
		snprintf(err, errlen, _("usage: cable drop next KIND [from HOST] [COUNT]"));
		return -1;
	}
	if (s && cable_rule_add(&s->cable, (enum cable_kind)kind, from, count) < 0) {
		snprintf(err, errlen, _("cable drop next: at most %d rules at once"), CABLE_RULES);
		return -1;
	}
	return 0;
}

/* `cable step on|off` */
static int cable_step(struct session *s, const struct cmd_line *cl, char *err, size_t errlen)
{
	size_t n;

	if (cl->argc != 3 || (strcmp(cl->argv[2], "on") && strcmp(cl->argv[2], "off"))) {
		snprintf(err, errlen, _("usage: cable step on|off"));
		return -1;
	}
	if (s == NULL)
		return 0;
	n = s->cable.nheld;
	if (strcmp(cl->argv[2], "on") == 0)
		cable_set_step(&s->cable, true);
	else {
		cable_forward(&s->cable, 0, tell_frame, s);
		cable_set_step(&s->cable, false);
		if (n)
			settle(s);
	}
	sink_printf(&s->sink, SINK_INFO, "%s", s->cable.step ?
		    _("stepping: every frame between hosts waits on the cable until you forward or drop it "
		    "(cable forward, cable drop); the kernels' timers keep running") :
		    _("frames cross the cable at once"));
	return 0;
}

/* `cable forward [N|all]`, `cable drop [N|all]`: the held frames, oldest first */
static int cable_take(struct session *s, const struct cmd_line *cl, struct outcome *o,
		      char *err, size_t errlen)
{
	const char *w = cl->argv[1];
	unsigned v = 1;
	size_t n;
	char call[48];

	if (cl->argc > 3 || (cl->argc == 3 && strcmp(cl->argv[2], "all") != 0 &&
	    (parse_uint(cl->argv[2], CABLE_HOLD_MAX, &v) < 0 || v == 0))) {
		snprintf(err, errlen, _("usage: cable %s [N|all]"), w);
		return -1;
	}
	if (cl->argc == 3 && strcmp(cl->argv[2], "all") == 0)
		v = 0;
	if (s == NULL)
		return 0;
	if (s->cable.nheld == 0) {
		sink_printf(&s->sink, SINK_INFO, "%s", s->cable.step ?
			    _("no frame is held on the cable") :
			    _("no frame is held on the cable: stepping is off (cable step on)"));
		return 0;
	}
	snprintf(call, sizeof call, "cable_%s(%s)", w, cl->argc == 3 ? cl->argv[2] : "1");
	n = v == 0 || v > s->cable.nheld ? s->cable.nheld : v;
	cmd_report(s, o, call, (long)n, 0);
	if (w[0] == 'f')
		cable_forward(&s->cable, n, tell_frame, s);
	else
		cable_drop(&s->cable, n, tell_frame, s);
	settle(s);
	return 0;
}

/* loss, dup, delay, seed, clear: the faults by chance */
static int cable_faults(struct session *s, const struct cmd_line *cl, char *err, size_t errlen)
{
	const char *w = cl->argv[1];
	unsigned v = 0, v2 = 0;

	if (strcmp(w, "loss") == 0 || strcmp(w, "dup") == 0) {
		if (cl->argc != 3 || parse_uint(cl->argv[2], 100, &v) < 0) {
			snprintf(err, errlen, _("usage: cable %s PERCENT (0 to 100)"), w);
			return -1;
		}
		if (s)
			*(w[0] == 'l' ? &s->cable.loss : &s->cable.dup) = v;
	} else if (strcmp(w, "delay") == 0) {
		if (cl->argc < 3 || cl->argc > 4 || parse_uint(cl->argv[2], 10000, &v) < 0 ||
		    (cl->argc == 4 && parse_uint(cl->argv[3], 10000, &v2) < 0)) {
			snprintf(err, errlen, _("usage: cable delay MS [JITTER_MS] (up to 10000)"));
			return -1;
		}
		if (s) {
			s->cable.delay_ms = v;
			s->cable.jitter_ms = v2;
		}
	} else if (strcmp(w, "seed") == 0) {
		if (cl->argc != 3 || parse_uint(cl->argv[2], 4000000000u, &v) < 0) {
			snprintf(err, errlen, _("usage: cable seed N"));
			return -1;
		}
		if (s)
			cable_set_seed(&s->cable, v);
	} else if (strcmp(w, "clear") == 0 && cl->argc == 2) {
		if (s)
			cable_clear_faults(&s->cable);
	} else {
		snprintf(err, errlen, _("cable: unknown '%s': step, forward, drop, drop next, loss, dup, delay, "
			 "seed or clear"), w);
		return -1;
	}
	if (s)
		cable_status(s);
	return 0;
}

CMD_HANDLER(cmd_cable)
{
	VERB_SESSION;
	const char *w = cl->argc > 1 ? cl->argv[1] : "";

	if (s && !s->sandboxed) {
		snprintf(err, errlen, "%s", _(no_sandbox));
		return -1;
	}
	if (strcmp(w, "forward") == 0 || (strcmp(w, "drop") == 0 && (cl->argc < 3 || strcmp(cl->argv[2], "next"))))
		return cable_take(s, cl, o, err, errlen);
	/* the rest change a setting (or only look): checked first, then said as one call */
	if ((strcmp(w, "step") == 0 && cable_step(NULL, cl, err, errlen) < 0) ||
	    (strcmp(w, "drop") == 0 && drop_next(NULL, cl, err, errlen) < 0) ||
	    (cl->argc > 1 && strcmp(w, "step") && strcmp(w, "drop") && cable_faults(NULL, cl, err, errlen) < 0))
		return -1;
	if (s == NULL)
		return 0;
	{
		char words[160], call[180];

		cmd_join(cl, 1, words, sizeof words);
		snprintf(call, sizeof call, "cable(%s)", words);
		cmd_report(s, o, call, cl->argc == 1 ? (long)s->cable.nheld : 0, 0);
	}
	if (cl->argc == 1)
		cable_status(s);
	else if (strcmp(w, "step") == 0)
		cable_step(s, cl, err, errlen);
	else if (strcmp(w, "drop") == 0) {
		drop_next(s, cl, err, errlen);
		cable_status(s);
	} else
		cable_faults(s, cl, err, errlen);
	return 0;
}

const struct cmd_entry cmd_entry_cable = {
	.name = "cable", .usage = N_("cable [step on|off | forward [N] | drop [N] | drop next KIND ...]"),
	.help = N_("the cable between hosts: step, forward, drop, faults (loss, dup, delay, seed, clear)"),
	.min_args = 0, .max_args = 7, .flags = R | P | CMDF_COUNT, .args = "-------", .kernel_write_args = 1,
	.exec = cmd_cable, .no_export = "only sockplay's sandbox may do this" };

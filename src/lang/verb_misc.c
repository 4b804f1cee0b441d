/*
 * verb_misc: the commands that are not socket calls: wait, sysctl, addr,
 * reset, net, help, export. Each verb's handler,
 * its C emitter and its row of the command table stand together; the
 * rows are listed, in help order, in cmd_table.c.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lang/verb.h"
#include "util/i18n.h"
#include "lang/export.h"
#include "kernel/sandbox.h"
#include "kernel/sysctl.h"

/* a row's flags, short */
#define R CMDF_RECORD
#define P CMDF_REPLAY

#define WAIT_MAX 3600.0

CMD_HANDLER(cmd_wait)
{
	VERB_SESSION;
	char *end;
	double secs = strtod(cl->argv[1], &end);
	char call[64];

	if (end == cl->argv[1] || *end != '\0' || !isfinite(secs) || secs < 0 || secs > WAIT_MAX) {
		snprintf(err, errlen, _("wait: bad duration '%s': seconds from 0 to %.0f, fractions allowed"),
			 cl->argv[1], WAIT_MAX);
		return -1;
	}
	if (s == NULL)
		return 0;
	{
		double t0 = ev_time();

		if (session_sleep(s, secs) < 0) {
			snprintf(call, sizeof call, "wait(%g s)", secs);
			cmd_report(s, o, call, -1, EINTR);
			sink_printf(&s->sink, SINK_WHY, _("interrupted after %.1f s"), ev_time() - t0);
			return 0;
		}
	}
	snprintf(call, sizeof call, "wait(%g s)", secs);
	cmd_report(s, o, call, 0, 0);
	return 0;
}

static void emit_wait(struct export_ctx *x, const struct record *r)
{
	export_open_result(x, r, "pause_for");
	fprintf(x->f, ", %s);\n", r->argv[1]);
}

const struct cmd_entry cmd_entry_wait = {
	.name = "wait", .usage = N_("wait SECONDS"), .help = N_("let time pass (fractions allowed)"),
	.min_args = 1, .max_args = 1, .flags = R | CMDF_WAITS, .args = "-", .exec = cmd_wait,
	.emit = emit_wait };

static int value_valid(const char *v)
{
	if (*v == '\0' || strlen(v) > 64)
		return 0;
	for (; *v; v++)
		if (!((*v >= '0' && *v <= '9') || *v == ' ' || *v == '-'))
			return 0;
	return 1;
}

CMD_HANDLER(cmd_sysctl)
{
	VERB_SESSION;
	const char *key = cl->argv[1];
	char val[128], call[256], on[32] = "";
	int argc = cl->argc, h = 0, r;

	/* a host's own setting: `sysctl KEY [VALUE] @HOST` */
	if (argc > 2 && cl->argv[argc - 1][0] == '@') {
		if (cmd_arg_host(s, cl->argv[argc - 1], &h, err, errlen) < 0)
			return -1;
		argc--;
	}

	if (!sysctl_key_valid(key)) {
		snprintf(err, errlen, _("sysctl: bad key '%s': use a net.ipv4.*, net.ipv6.* or net.core.* name"), key);
		return -1;
	}
	if (argc > 2) {
		struct cmd_line part = *cl;

		part.argc = argc;
		cmd_join(&part, 2, val, sizeof val);
		if (!value_valid(val)) {
			snprintf(err, errlen, _("sysctl: bad value '%s': numbers only"), val);
			return -1;
		}
	}
	if (s == NULL)
		return 0;
	if (h)
		snprintf(on, sizeof on, " on %s", hosts_name(&s->hosts, h));
	if (argc == 2) {
		char cur[128];

		snprintf(call, sizeof call, "sysctl(%s)%s", key, on);
		if (hosts_enter(&s->hosts, h) < 0)
			r = -1;
		else {
			r = sysctl_read(key, cur, sizeof cur);
			hosts_leave(&s->hosts);
		}
		if (r < 0) {
			cmd_report(s, o, call, -1, errno);
			if (o->err == ENOENT)
				sink_printf(&s->sink, SINK_WHY, _("this kernel has no %s"), key);
			return 0;
		}
		o->ret = atol(cur);
		sink_printf(&s->sink, SINK_CALL, "%s = %s", call, cur);
		return 0;
	}
	snprintf(call, sizeof call, "sysctl(%s, \"%s\")%s", key, val, on);
	if (!s->sandboxed) {
		cmd_report(s, o, call, -1, EPERM);
		sink_printf(&s->sink, SINK_WHY, _("sockplay never changes this machine's own settings; "
			    "start it with --sandbox to change them in a private network namespace"));
		return 0;
	}
	if (hosts_enter(&s->hosts, h) < 0)
		r = -1;
	else {
		r = sysctl_write(key, val);
		{
			int e = errno;

			hosts_leave(&s->hosts);
			errno = e;
		}
	}
	if (r < 0) {
		cmd_report(s, o, call, -1, errno);
		if (o->err == EINVAL)
			sink_printf(&s->sink, SINK_WHY, _("the kernel refused the value '%s' for %s"), val, key);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	return 0;
}

static void emit_sysctl(struct export_ctx *x, const struct record *r)
{
	char path[200];
	size_t k = (size_t)snprintf(path, sizeof path, "/proc/sys/");

	if (r->argc > 2) {
		export_none(x, r);
		return;
	}
	for (const char *p = r->argv[1]; *p && k + 1 < sizeof path; p++)
		path[k++] = *p == '.' ? '/' : *p;
	path[k] = '\0';
	export_open_result(x, r, "read_setting");
	fprintf(x->f, ", \"%s\");\n", path);
}

const struct cmd_entry cmd_entry_sysctl = {
	.name = "sysctl", .usage = N_("sysctl KEY [VALUE...] [@HOST]"), .help = N_("read a net.* knob; write it only in the sandbox"),
	.min_args = 1, .max_args = 5, .flags = R, .args = "K", .kernel_write_args = 2,
	.exec = cmd_sysctl, .emit = emit_sysctl, .no_export = "only sockplay's sandbox may do this" };

CMD_HANDLER(cmd_addr)
{
	VERB_SESSION;
	char call[96], msg[200];

	char host[64];

	if (strcmp(cl->argv[1], "add") != 0) {
		snprintf(err, errlen, _("addr: only 'addr add ADDR' is known, not '%s'"), cl->argv[1]);
		return -1;
	}
	if (addr_parse_host(cl->argv[2], host, sizeof host, msg, sizeof msg) < 0) {
		snprintf(err, errlen, _("addr: %s"), msg);
		return -1;
	}
	if (s == NULL)
		return 0;
	snprintf(call, sizeof call, "addr_add(lo, %s)", host);
	if (!s->sandboxed) {
		cmd_report(s, o, call, -1, EPERM);
		sink_printf(&s->sink, SINK_WHY, _("addresses can be added only inside the sandbox: "
			    "start sockplay with --sandbox"));
		return 0;
	}
	if (sandbox_addr_add(host, msg, sizeof msg) < 0) {
		cmd_report(s, o, call, -1, errno);
		sink_printf(&s->sink, SINK_WHY, "%s", msg);
		return 0;
	}
	cmd_report(s, o, call, 0, 0);
	return 0;
}

const struct cmd_entry cmd_entry_addr = {
	.name = "addr", .usage = N_("addr add ADDR"), .help = N_("give the sandbox's loopback another address"),
	.min_args = 2, .max_args = 2, .flags = R, .args = "--", .kernel_write_args = 1,
	.exec = cmd_addr, .no_export = "only sockplay's sandbox may do this" };

CMD_HANDLER(cmd_reset)
{
	VERB_SESSION;
	size_t open;
	char msg[200];

	(void)cl;
	(void)err;
	(void)errlen;
	if (s == NULL)
		return 0;
	open = socktab_count_open(&s->socks);
	session_hosts_clear(s);	/* the hosts' pairs go with them: their sockets send nothing */
	socktab_reset(&s->socks);
	if (s->sandboxed && sandbox_renew(msg, sizeof msg) < 0) {
		cmd_report(s, o, "reset()", -1, errno ? errno : EPERM);
		sink_printf(&s->sink, SINK_WHY, "%s", msg);
		return 0;
	}
	if (s->sandboxed && s->wire && session_wire_start(s) < 0)
		sink_printf(&s->sink, SINK_INFO, _("no capture in the new namespace: %s"), s->wire_why);
	cmd_report(s, o, "reset()", 0, 0);
	{
		char said[200];

		snprintf(said, sizeof said, ngettext("closed %zu socket", "closed %zu sockets", open), open);
		sink_printf(&s->sink, SINK_INFO, "%s%s", said,
			    s->sandboxed ? _("; fresh network namespace: no TIME_WAIT, default settings") : "");
	}
	return 0;
}

const struct cmd_entry cmd_entry_reset = {
	.name = "reset", .usage = "reset", .help = N_("close every socket (in the sandbox: a fresh namespace)"),
	.min_args = 0, .max_args = 0, .flags = R | CMDF_CLOSES, .args = "", .exec = cmd_reset,
	.no_export = "only sockplay's sandbox may do this" };

CMD_HANDLER(cmd_net)
{
	VERB_SESSION;
	struct netfilter f;
	char line[256], words[200], msg[200];
	long count = 0;

	if (netfilter_parse(cl->argc - 1, cl->argv + 1, &f, msg, sizeof msg) < 0) {
		snprintf(err, errlen, _("net: %s"), msg);
		return -1;
	}
	if (f.host[0] && cmd_arg_host(s, f.host, &f.host_no, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	cmd_join(cl, 1, words, sizeof words);
	/* only the tables the filter can match: `net tcp` reads no UDP */
	if (session_refresh_net_mask(s, f.protos == 1 ? PN_TCPS : f.protos == 2 ? PN_UDPS : PN_ALL) < 0) {
		snprintf(line, sizeof line, "net(%s)", words);
		cmd_report(s, o, line, -1, errno);
		return 0;
	}
	for (size_t i = 0; i < s->nv.n; i++)
		if (s->nv.rows[i].e && netfilter_match(&f, &s->nv.rows[i]))
			count++;
	snprintf(line, sizeof line, "net(%s)", words);
	cmd_report(s, o, line, count, 0);
	for (size_t i = 0; i < s->nv.n; i++) {
		if (!netfilter_match(&f, &s->nv.rows[i]))
			continue;
		if (s->hosts.n) {
			/* with hosts, each row says whose table it is in */
			int k = snprintf(line, sizeof line, "%-8s ",
					 netrow_host(&s->nv.rows[i]) ? hosts_name(&s->hosts, netrow_host(&s->nv.rows[i]))
								      : "-");

			netrow_format(&s->nv.rows[i], line + k, sizeof line - (size_t)k);
		} else {
			netrow_format(&s->nv.rows[i], line, sizeof line);
		}
		sink_text(&s->sink, SINK_INFO, line);
	}
	if (s->pn.malformed)
		sink_printf(&s->sink, SINK_INFO, ngettext("(%zu malformed line in /proc/net skipped)",
							   "(%zu malformed lines in /proc/net skipped)", s->pn.malformed),
			    s->pn.malformed);
	return 0;
}

const struct cmd_entry cmd_entry_net = {
	.name = "net", .usage = N_("net [FILTER...]"),
	.help = N_("show the kernel table: tcp udp own @HOST STATE :PORT ADDR:PORT ->ADDR:PORT"),
	.min_args = 0, .max_args = CMD_MAXARGS - 1, .flags = R | CMDF_BULK, .args = "FFFFFFFFFFFFFFF",
	.exec = cmd_net, .no_export = "the kernel table is sockplay's view" };

/* Blanks that pad text to cols columns (a usage in Chinese is wider than its bytes say). */
static int pad_to(const char *text, int cols)
{
	wchar_t w[256];
	size_t n = mbstowcs(w, text, 255);
	int width;

	if (n == (size_t)-1)
		return 0;
	w[n] = L'\0';
	width = wcswidth(w, n);
	if (width < 0)
		width = (int)n;
	return width < cols ? cols - width : 0;
}

CMD_HANDLER(cmd_help)
{
	VERB_SESSION;
	const struct cmd_entry *c;

	(void)o;
	if (cl->argc > 1 && cmd_find(cl->argv[1]) == NULL) {
		snprintf(err, errlen, _("help: unknown command '%s'"), cl->argv[1]);
		return -1;
	}
	if (s == NULL)
		return 0;
	for (const struct cmd_entry *const *e = cmd_table; (c = *e) != NULL; e++) {
		if (cl->argc > 1 && strcmp(c->name, cl->argv[1]) != 0)
			continue;
		sink_printf(&s->sink, SINK_INFO, "%s%*s %s", cmd_usage_text(c->usage), pad_to(cmd_usage_text(c->usage), 28), "", _(c->help));
	}
	if (cl->argc == 1)
		sink_printf(&s->sink, SINK_INFO, _("any line may end with => ok | => ERRNO | => COUNT"));
	return 0;
}

const struct cmd_entry cmd_entry_help = {
	.name = "help", .usage = N_("help [VERB]"), .help = N_("list the commands, or show one"),
	.min_args = 0, .max_args = 1, .flags = 0, .args = "-", .exec = cmd_help };

CMD_HANDLER(cmd_export)
{
	VERB_SESSION;
	char call[600], msg[600];
	bool force = cl->argc == 4;
	const char *path = cl->argv[cl->argc - 1];

	if (strcmp(cl->argv[1], "c") != 0) {
		snprintf(err, errlen, _("export: only 'export c [-f] FILE' is known, not '%s'"), cl->argv[1]);
		return -1;
	}
	if (force && strcmp(cl->argv[2], "-f") != 0) {
		snprintf(err, errlen, _("export: usage: export c [-f] FILE|- (not '%s')"), cl->argv[2]);
		return -1;
	}
	if (path[0] == '\0') {
		snprintf(err, errlen, _("export: an empty file name"));
		return -1;
	}
	if (s == NULL)
		return 0;
	if (strcmp(path, "-") == 0 && x->stdout_is_screen) {
		snprintf(err, errlen, _("export: standard output is the screen: give a file name"));
		return -1;
	}
	snprintf(call, sizeof call, "export(c, %s)", path);
	if (export_c(x->hist, path, force, msg, sizeof msg) < 0) {
		/* nothing was written where asked: the line was refused, not the kernel */
		snprintf(err, errlen, _("export: %s"), msg);
		return -1;
	}
	cmd_report(s, o, call, 0, 0);
	if (strcmp(path, "-") != 0)
		sink_printf(&s->sink, SINK_INFO, _("%zu calls written; build with: cc -Wall -Wextra -o session %s"),
			    x->hist->n, path);
	return 0;
}

const struct cmd_entry cmd_entry_export = {
	.name = "export", .usage = N_("export c [-f] FILE|-"),
	.help = N_("write the session's calls as a C program (-f: overwrite; -: standard output)"),
	.min_args = 2, .max_args = 3, .flags = CMDF_FILE, .args = "---", .exec = cmd_export };

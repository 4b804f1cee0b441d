/*
 * ui_kernel: the kernel pane: the live /proc/net (or sock_diag) table, own
 * sockets by name, TIME_WAIT counting down, by default only the ports the
 * session has touched.  The pane owns its view (filter, what is shown, the
 * sort, the scroll) and the rows it built from the last table; its screen
 * commands (filter, view, scroll kernel) are the only way to change them.
 */
#include "config.h"

#include <curses.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/cmd.h"
#include "util/i18n.h"
#include "ui/ui_int.h"

enum ksort { KSORT_KERNEL, KSORT_PORT, KSORT_STATE, KSORT_OWNER, KSORT_N };

/* what rows were built from: the same again means no filter and no sort */
struct kview {
	unsigned long gen;	/* the netview's build */
	size_t nsocks;
	bool all, own;
	int proto;
	enum ksort sort;
	char filter_text[120];
};

struct kernel_pane {
	bool all, own;
	int proto;		/* 0 all, 1 tcp, 2 udp */
	enum ksort sort;
	int scroll;
	int body;			/* rows of the table the last draw had: a page */
	struct netfilter filter;	/* `filter ...`: the words of `net` */
	char filter_text[120];		/* as typed, "" for none */
	const struct netrow **rows;
	size_t nrows, caprows;
	size_t timers;			/* rows shown with a countdown */
	bool rebuilt;			/* the last draw built the rows anew */
	unsigned char touched[65536 / 8];	/* ports the session touched, by bit */
	struct kview built;
};

/* Has the session touched this port (any socket, open or closed)? */
static bool touched(const struct kernel_pane *kp, uint16_t port)
{
	return kp->touched[port / 8] & (1u << (port % 8));
}

/* The ports of every socket of the session, once per rebuild, not per row. */
static void touched_build(struct ui *ui, struct kernel_pane *kp)
{
	memset(kp->touched, 0, sizeof kp->touched);
	for (size_t i = 0; i < ui->s->socks.n; i++) {
		const struct sock *sk = ui->s->socks.v[i];

		if (sk->local.family)
			kp->touched[sk->local.port / 8] |= (unsigned char)(1u << (sk->local.port % 8));
		if (sk->peer.family)
			kp->touched[sk->peer.port / 8] |= (unsigned char)(1u << (sk->peer.port % 8));
	}
}

static bool krow_visible(const struct kernel_pane *kp, const struct netrow *r)
{
	int proto = r->e ? r->e->proto : r->own->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;

	if (kp->proto == 1 && proto != IPPROTO_TCP)
		return false;
	if (kp->proto == 2 && proto != IPPROTO_UDP)
		return false;
	if (r->e == NULL)
		return false;	/* unlisted own sockets are in the sockets pane */
	if (kp->own && r->own == NULL)
		return false;
	if (kp->filter_text[0])
		return netfilter_match(&kp->filter, r);	/* an explicit filter shows what it asks */
	if (kp->all || r->own)
		return true;
	return touched(kp, r->e->local.port) || touched(kp, r->e->remote.port);
}

static int krow_cmp(const void *a, const void *b, void *ctx)
{
	const struct netrow *x = *(const struct netrow *const *)a, *y = *(const struct netrow *const *)b;
	const struct kernel_pane *kp = ctx;
	int d = 0;

	switch (kp->sort) {
	case KSORT_PORT:
		d = (int)x->e->local.port - (int)y->e->local.port;
		break;
	case KSORT_STATE:
		d = strcmp(pn_state_name(x->e), pn_state_name(y->e));
		break;
	case KSORT_OWNER:
		d = (x->own == NULL) - (y->own == NULL);
		if (!d && x->own && y->own)
			d = (int)x->own->serial - (int)y->own->serial;
		break;
	case KSORT_KERNEL:
	case KSORT_N:
		break;
	}
	return d ? d : (x < y ? -1 : x > y);
}

static void kview_now(const struct ui *ui, const struct kernel_pane *kp, struct kview *v)
{
	memset(v, 0, sizeof *v);
	v->gen = ui->s->nv.gen;
	v->nsocks = ui->s->socks.n;
	v->all = kp->all;
	v->own = kp->own;
	v->proto = kp->proto;
	v->sort = kp->sort;
	snprintf(v->filter_text, sizeof v->filter_text, "%s", kp->filter_text);
}

/* Seconds left on a row's timer now, counted down from the read; -1 when none runs. */
static double krow_left(const struct ui *ui, const struct netrow *r)
{
	double left = netrow_timer_left(r);

	if (left < 0)
		return left;
	left -= ev_now(ui->loop) - ui->s->nv_read_at;
	return left > 0 ? left : 0;
}

/*
 * Filter and sort only when the table or the view changed: a draw between
 * reads (a key, a countdown's tick) does not sort 200,000 rows again.
 */
static bool rows_build(struct ui *ui, struct kernel_pane *kp)
{
	struct kview now;

	kview_now(ui, kp, &now);
	if (kp->rows && memcmp(&now, &kp->built, sizeof now) == 0)
		return false;
	kp->built = now;
	kp->nrows = 0;
	kp->timers = 0;
	if (kp->caprows < ui->s->nv.n) {
		const struct netrow **v = realloc(kp->rows, ui->s->nv.n * sizeof *v);

		if (v == NULL) {
			kp->built.gen = 0;	/* try again next time */
			return true;
		}
		kp->rows = v;
		kp->caprows = ui->s->nv.n;
	}
	touched_build(ui, kp);
	for (size_t i = 0; i < ui->s->nv.n; i++)
		if (krow_visible(kp, &ui->s->nv.rows[i])) {
			kp->rows[kp->nrows++] = &ui->s->nv.rows[i];
			kp->timers += ui->s->nv.rows[i].e && ui->s->nv.rows[i].e->timer != PN_TIMER_NONE;
		}
	if (kp->sort != KSORT_KERNEL)
		qsort_r(kp->rows, kp->nrows, sizeof *kp->rows, krow_cmp, kp);
	return true;
}

static const char *const sort_names[KSORT_N] = { N_("kernel order"), N_("port"), N_("state"), N_("owner") };

static void kernel_draw(struct ui *ui, void *data, const struct rect *r)
{
	struct kernel_pane *kp = data;
	/* proto, state, owner and a countdown keep their width; the addresses share the rest */
	int aw = (r->w - 44) / 2, y = r->y + 1;
	char line[512], l[ADDR_STRLEN], rem[ADDR_STRLEN], owner[40], detail[64], head[200];
	char lc[ADDR_STRLEN + 8], rc[ADDR_STRLEN + 8], oc[64];

	if (aw < 11)
		aw = 11;
	if (aw > 46)
		aw = 46;
	{
		char what[160];

		if (kp->filter_text[0])
			snprintf(what, sizeof what, _("filter %s"), kp->filter_text);
		else
			snprintf(what, sizeof what, "%s", kp->all ? _("all sockets") : _("ports touched"));
		snprintf(head, sizeof head, _("KERNEL %s%s%s, by %s: "), what, kp->own ? _(", own only") : "",
			 kp->proto == 1 ? ", tcp" : kp->proto == 2 ? ", udp" : "", _(sort_names[kp->sort]));
		snprintf(head + strlen(head), sizeof head - strlen(head),
			 ngettext("%zu row", "%zu rows", kp->nrows), kp->nrows);
	}
	fill_line(r->y, r->x, r->w, theme_attr(R_HEADER));
	if (lesson_holding_kernel(ui)) {
		/* the question asks what the kernel holds: the table waits for the answer */
		put_text(r->y, r->x, r->w, _("KERNEL"), theme_attr(R_HEADER));
		if (r->h > 1)
			put_text(r->y + 1, 2, r->w - 2, _("held back until the class answers the prediction"),
				 theme_attr(R_DIM));
		return;
	}
	put_text(r->y, r->x, r->w, head, theme_attr(R_HEADER));
	if (kp->nrows == 0 && r->h > 1) {
		put_text(y, 2, r->w - 2, kp->all ? _("The kernel lists no socket here.") :
			 _("No port touched yet. A shows every socket of this machine."), theme_attr(R_DIM));
		return;
	}
	kp->body = r->h - 1;
	if (kp->scroll > (int)kp->nrows - (r->h - 1))
		kp->scroll = (int)kp->nrows - (r->h - 1);
	if (kp->scroll < 0)
		kp->scroll = 0;
	for (size_t i = (size_t)kp->scroll; i < kp->nrows && y < r->y + r->h; i++, y++) {
		const struct netrow *row = kp->rows[i];
		const struct pn_entry *e = row->e;
		enum role role = R_NORMAL;

		netrow_owner(row, owner, sizeof owner);
		if (e->host) {
			/* a host's table: its name beside the owner ("c@client", "@server") */
			size_t k = strlen(owner);

			if (strcmp(owner, "-") == 0)
				k = 0;
			snprintf(owner + k, sizeof owner - k, "@%s", hosts_name(&ui->s->hosts, e->host));
		}
		detail[0] = '\0';
		if (e->state == PN_TIME_WAIT)
			snprintf(detail, sizeof detail, _("%4.1fs left"), krow_left(ui, row));
		else if (e->state == PN_LISTEN && e->proto == IPPROTO_TCP)
			snprintf(detail, sizeof detail, _("queue %u"), e->rxq);
		else if (e->rxq || e->txq)	/* UDP's queues are memory, not bytes: said so */
			snprintf(detail, sizeof detail, e->proto == IPPROTO_UDP ? "rmem %u wmem %u" : "rx %u tx %u",
				 e->rxq, e->txq);
		else if (e->timer)
			snprintf(detail, sizeof detail, "%s %.1f%s", netrow_timer_word(e), krow_left(ui, row),
				 C_("unit", "s"));
		snprintf(line, sizeof line, "%-4s %-11s %s %s %s %s", pn_proto_name(e), pn_state_name(e),
			 addr_cell(netrow_addr(&e->local, l, sizeof l), aw, lc, sizeof lc),
			 addr_cell(netrow_addr(&e->remote, rem, sizeof rem), aw, rc, sizeof rc),
			 pad_cell(owner, 9, oc, sizeof oc), detail);
		if (e->state == PN_TIME_WAIT)
			role = R_TIMEWAIT;
		else if (row->own)
			role = R_OWN;
		else
			role = R_FOREIGN;
		put_text(y, r->x, r->w, line, theme_attr(role));
		if (e->local.port)
			hit_cmd(ui, y, r->x, r->x + r->w, "filter :%u", e->local.port);
	}
	pane_more(r, kp->scroll, (int)kp->nrows - kp->scroll - (y - r->y - 1));
}

/* The rows it would fill (built by kernel_pane_build, before the layout). */
static int kernel_rows(struct ui *ui, void *data)
{
	struct kernel_pane *kp = data;

	(void)ui;
	return 1 + (kp->nrows ? (int)kp->nrows : 1);
}

void kernel_pane_build(struct ui *ui)
{
	struct kernel_pane *kp = pane_data(ui, P_KERNEL);

	kp->rebuilt = rows_build(ui, kp);
}

bool kernel_pane_rebuilt(struct ui *ui)
{
	return ((struct kernel_pane *)pane_data(ui, P_KERNEL))->rebuilt;
}

bool kernel_pane_ticking(struct ui *ui)
{
	return ((struct kernel_pane *)pane_data(ui, P_KERNEL))->timers > 0;
}

/* `filter WORDS`: the pane shows the rows `net WORDS` would. */
static void do_filter(struct ui *ui, void *data, const char *words)
{
	struct kernel_pane *kp = data;
	struct cmd_line cl;
	char line[200], err[256];
	struct netfilter f;

	if (*words == '\0') {
		kp->filter_text[0] = '\0';
		ui_message(ui, _("kernel pane: no filter"));
		return;
	}
	/* split the words as the language does, through its parser */
	snprintf(line, sizeof line, "net %s", words);
	if (cmd_parse(line, &cl, err, sizeof err) != 0 ||
	    netfilter_parse(cl.argc - 1, cl.argv + 1, &f, err, sizeof err) < 0) {
		ui_message(ui, _("filter: %s"), strncmp(err, "net: ", 5) == 0 ? err + 5 : err);
		return;
	}
	kp->filter = f;
	snprintf(kp->filter_text, sizeof kp->filter_text, "%s", words);
	kp->scroll = 0;
	ui_message(ui, _("kernel pane: filter %s (':filter' alone clears it)"), words);
}

/* `view all|own|proto|sort` */
static void do_view(struct ui *ui, void *data, const char *what)
{
	struct kernel_pane *kp = data;

	if (strcmp(what, "all") == 0) {
		kp->all = !kp->all;
		ui_message(ui, _("kernel pane: %s"), kp->all ? _("every socket of this machine") :
			   _("only the ports this session touched"));
	} else if (strcmp(what, "own") == 0) {
		kp->own = !kp->own;
	} else if (strcmp(what, "proto") == 0) {
		kp->proto = (kp->proto + 1) % 3;
	} else if (strcmp(what, "sort") == 0) {
		kp->sort = (enum ksort)((kp->sort + 1) % KSORT_N);
		ui_message(ui, _("kernel pane sorted by %s"), _(sort_names[kp->sort]));
	} else {
		ui_message(ui, _("view: all, own, proto, sort or wire"));
	}
}

/* `scroll kernel up|down|pgup|pgdn|end`: a row, a page, or back to the top (the draw keeps it in range) */
static void do_scroll(struct ui *ui, void *data, const char *dir)
{
	struct kernel_pane *kp = data;
	int page = kp->body > 1 ? kp->body - 1 : 1;

	(void)ui;
	kp->scroll += strcmp(dir, "down") == 0 ? 1 : strcmp(dir, "up") == 0 ? -1 :
		      strcmp(dir, "pgdn") == 0 ? page : strcmp(dir, "pgup") == 0 ? -page : 0;
	if (strcmp(dir, "end") == 0)
		kp->scroll = 0;
}

static void *kernel_init(struct ui *ui)
{
	(void)ui;
	return calloc(1, sizeof(struct kernel_pane));
}

static void kernel_free(void *data)
{
	struct kernel_pane *kp = data;

	if (kp)
		free(kp->rows);
	free(kp);
}

static const struct screen_cmd kernel_cmds[] = {
	{ "filter", NULL, N_("filter [WORDS]"), N_("filter the kernel pane with the words of net; alone, clear it"),
	  true, do_filter },
	{ "view", NULL, "view all|own|proto|sort|wire", N_("change what the kernel pane shows; show the wire pane"),
	  false, do_view },
	{ "scroll", "kernel", "scroll kernel|log|wire|help up|down|pgup|pgdn|end", N_("scroll a pane"), false, do_scroll },
	{ NULL, NULL, NULL, NULL, false, NULL },
};

const struct pane_ops pane_kernel = {
	.name = "kernel", .init = kernel_init, .free = kernel_free, .draw = kernel_draw,
	.rows = kernel_rows, .cmds = kernel_cmds,
};

/*
 * lesson: the lesson file parser, and where lesson files are found.  The
 * stepper (stepper.c) plays what it loads, for the screen and for
 * --check-lessons alike.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/cmd.h"
#include "util/errname.h"
#include "util/grow.h"
#include "run/lesson.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/exe.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

#define LESSON_NUMBER_MAX 99999	/* a larger number in a file's name counts as this */

/* A file's lesson number: its leading digits, at most LESSON_NUMBER_MAX (never an overflow). */
static int lesson_number(const char *base)
{
	long n = 0;

	for (; *base >= '0' && *base <= '9'; base++)
		n = n * 10 + (*base - '0') > LESSON_NUMBER_MAX ? LESSON_NUMBER_MAX : n * 10 + (*base - '0');
	return (int)n;
}

static struct litem *new_item(struct lstep *st, size_t *cap)
{
	if (!GROW(st->items, st->n, *cap, 8))
		return NULL;
	memset(&st->items[st->n], 0, sizeof st->items[0]);
	return &st->items[st->n++];
}

/* "1", "EADDRINUSE", "ok": a valid prediction choice */
static bool choice_valid(const char *c)
{
	if (strcmp(c, "ok") == 0)
		return true;
	if (isdigit((unsigned char)c[0])) {
		for (; *c; c++)
			if (!isdigit((unsigned char)*c))
				return false;
		return true;
	}
	return errname_value(c) >= 0;
}

/*
 * Lessons are small text files; these bounds keep a hostile one from
 * costing much, and are checked as it is read (never after).  A repeat's
 * every copy counts as a command.
 */
#define LESSON_MAXBYTES (1024 * 1024)
#define LESSON_MAXLINE 4096
#define LESSON_MAXCMDS 10000

/* What the loader carries from line to line. */
struct loader {
	const char *path;
	struct lesson *l;
	unsigned lineno;
	size_t stepcap, itemcap, sysctlcap, summarylen, summarycap;
	char *pending_q;	/* a predict: waiting for its command */
	char **pending_c, **pending_l;	/* its outcomes, and labels (NULL: none) */
	int npending;
	bool pending_hold;	/* hold: kernel */
	bool have_lead;		/* the prediction's first command has no expectation: */
	size_t lead;		/* its index in the step's items */
	int groups;		/* prediction groups made so far */
	unsigned pending_line;
	/* a repeat: block being read: its command lines, expanded at its end */
	int repeat_n;		/* 0: not in one */
	unsigned repeat_line;
	char **repeat_text;
	unsigned *repeat_lineno;
	size_t nrepeat, caprepeat;
	int blocks;		/* blocks made so far: the next block's id - 1 */
	unsigned ncmds;		/* commands so far, each copy of a repeat counted */
	char *err;
	size_t errlen;
	const char *seed;
	char expanded[LESSON_MAXLINE + 1];	/* a line with its {NAME}s replaced */
};

#define REPEAT_MAX 100

static int fail(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct loader *ld, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	snprintf(ld->err, ld->errlen, "%s:%u: ", ld->path, ld->lineno);
	n = strlen(ld->err);
	va_start(ap, fmt);
	vsnprintf(ld->err + n, ld->errlen - n, _(fmt), ap);	/* xgettext: --keyword=fail:2 */
	va_end(ap);
	utf8_clean(ld->err, strlen(ld->err));	/* a path or a word may carry anything */
	return -1;
}

static void choices_free(char **v, int n)
{
	for (int i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void pending_free(struct loader *ld)
{
	free(ld->pending_q);
	choices_free(ld->pending_c, ld->npending);
	choices_free(ld->pending_l, ld->npending);
	ld->pending_q = NULL;
	ld->pending_c = ld->pending_l = NULL;
	ld->npending = 0;
	ld->pending_hold = false;
}

static int add_summary(struct loader *ld, const char *text)
{
	struct lesson *l = ld->l;
	size_t add = strlen(text);

	/* grown geometrically: many summary lines must stay linear */
	if (ld->summarylen + add + 2 > ld->summarycap) {
		size_t cap = ld->summarycap ? ld->summarycap : 128;
		char *p;

		while (ld->summarylen + add + 2 > cap)
			cap *= 2;
		p = realloc(l->summary, cap);
		if (p == NULL)
			return fail(ld, "out of memory");
		l->summary = p;
		ld->summarycap = cap;
	}
	if (ld->summarylen)
		l->summary[ld->summarylen++] = ' ';
	memcpy(l->summary + ld->summarylen, text, add + 1);
	ld->summarylen += add;
	return 0;
}

/*
 * `sysctl: KEY VALUE [@HOST]` and `host: NAME ADDR`: the sandbox set up
 * before the first step, as the command lines they are, in their order.
 */
static int header_setup(struct loader *ld, const char *verb, bool host, const char *v)
{
	struct cmd_line cl;
	char cmdline[CMD_TEXTMAX], msg[256];
	struct lesson *l = ld->l;

	if (strlen(v) + 8 >= sizeof cmdline)
		return fail(ld, "'%s:' line too long", verb);
	snprintf(cmdline, sizeof cmdline, "%s %s", verb, v);
	if (cmd_parse(cmdline, &cl, msg, sizeof msg) != 0)
		return fail(ld, "%s", msg);
	if (host ? cl.argc != 3 : cl.argc < 3)
		return fail(ld, host ? "'host:' needs NAME ADDR" : "'sysctl:' needs KEY VALUE");
	if (cl.expect.kind != EXPECT_NONE)
		return fail(ld, "'%s:' takes no expectation", verb);
	if (!GROW(l->setup, l->nsetup, ld->sysctlcap, 8))
		return fail(ld, "out of memory");
	l->setup[l->nsetup] = strdup(cmdline);
	if (l->setup[l->nsetup] == NULL)
		return fail(ld, "out of memory");
	l->nsetup++;
	l->hosts += host;
	return 0;
}

/* FNV-1a of the seed and the variable's name: each variable its own pick. */
static uint64_t pick_hash(const char *seed, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const char *p = seed; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ 0xff) * 0x100000001b3ULL;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h;
}

/* A value a variable may take: letters, digits and . : _ - only, so it is safe in a command and in prose. */
static bool value_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= LESSON_VARVALUE)
		return false;
	for (const char *p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".:_-", *p))
			return false;
	return true;
}

/* `var: NAME LO-HI` (numbers) or `var: NAME A | B | C` (words): picked now, by the seed. */
static int header_var(struct loader *ld, char *v)
{
	struct lesson *l = ld->l;
	struct lvar *var;
	char *name = v, *pool, *dash, *end;
	bool seeded = ld->seed && *ld->seed;
	size_t n = 0;

	while (*v && !isspace((unsigned char)*v))
		v++;
	if (*v)
		*v++ = '\0';
	pool = trim(v);
	if (!isalpha((unsigned char)name[0]) || strlen(name) >= LESSON_VARNAME)
		return fail(ld, "'var:' needs a name (a letter, then letters, digits or _; at most %d) and a pool",
			    LESSON_VARNAME - 1);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return fail(ld, "bad variable name '%.20s': letters, digits and _", name);
	if (*pool == '\0')
		return fail(ld, "'var: %s' has no pool: LO-HI, or A | B | C", name);
	for (int i = 0; i < l->nvars; i++)
		if (strcmp(l->vars[i].name, name) == 0)
			return fail(ld, "a second 'var: %s'", name);
	if (l->nvars == LESSON_VARS)
		return fail(ld, "at most %d variables", LESSON_VARS);
	var = &l->vars[l->nvars];
	snprintf(var->name, sizeof var->name, "%s", name);
	dash = strchr(pool, '-');
	if (isdigit((unsigned char)pool[0]) && dash && !strchr(pool, '|')) {
		long lo, hi;

		errno = 0;
		lo = strtol(pool, &end, 10);
		if (end != dash || !isdigit((unsigned char)dash[1]))
			return fail(ld, "'var: %s %.40s': a range is LO-HI", name, pool);
		hi = strtol(dash + 1, &end, 10);
		if (*end || errno || lo < 0 || hi < lo || hi > 1000000)
			return fail(ld, "'var: %s %.40s': a range is LO-HI, 0 <= LO <= HI <= 1000000", name, pool);
		snprintf(var->value, sizeof var->value, "%ld",
			 seeded ? lo + (long)(pick_hash(ld->seed, name) % (uint64_t)(hi - lo + 1)) : lo);
	} else {
		char *words[32], *save = NULL;

		for (char *w = strtok_r(pool, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
			w = trim(w);
			if (n == sizeof words / sizeof *words)
				return fail(ld, "'var: %s': at most 32 values", name);
			if (!value_ok(w))
				return fail(ld, "'var: %s': bad value '%.40s' (letters, digits and . : _ - only)", name, w);
			words[n++] = w;
		}
		if (n == 0)
			return fail(ld, "'var: %s' has no values", name);
		snprintf(var->value, sizeof var->value, "%s", words[seeded ? pick_hash(ld->seed, name) % n : 0]);
	}
	l->nvars++;
	return 0;
}

/* {NAME} of a declared variable, replaced by its value; other braces stay.  The text, or NULL said. */
static char *expand(struct loader *ld, char *t)
{
	size_t k = 0;

	if (ld->l->nvars == 0 || strchr(t, '{') == NULL)
		return t;
	for (const char *p = t; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const struct lvar *var = NULL;

		if (close)
			for (int i = 0; i < ld->l->nvars && !var; i++)
				if ((size_t)(close - p - 1) == strlen(ld->l->vars[i].name) &&
				    strncmp(p + 1, ld->l->vars[i].name, (size_t)(close - p - 1)) == 0)
					var = &ld->l->vars[i];
		if (var) {
			size_t n = strlen(var->value);

			if (k + n > LESSON_MAXLINE)
				break;
			memcpy(ld->expanded + k, var->value, n);
			k += n;
			p = close + 1;
		} else {
			if (k + 1 > LESSON_MAXLINE)
				break;
			ld->expanded[k++] = *p++;
		}
	}
	ld->expanded[k] = '\0';
	if (k >= LESSON_MAXLINE) {
		fail(ld, "line too long once its variables are put in (at most %d bytes)", LESSON_MAXLINE);
		return NULL;
	}
	return ld->expanded;
}

/* title:, summary:, sandbox:, sysctl:, host: before the first step */
static int header_line(struct loader *ld, char *t)
{
	struct lesson *l = ld->l;

	if (t[0] == '\0')
		return 0;
	if (strncmp(t, "title:", 6) == 0) {
		if (l->title)
			return fail(ld, "a second 'title:'");
		l->title = strdup(trim(t + 6));
		return l->title ? 0 : fail(ld, "out of memory");
	}
	if (strncmp(t, "summary:", 8) == 0)
		return add_summary(ld, trim(t + 8));
	if (strncmp(t, "sandbox:", 8) == 0) {
		const char *v = trim(t + 8);

		if (strcmp(v, "yes") == 0)
			l->sandbox = true;
		else if (strcmp(v, "no") != 0)
			return fail(ld, "'sandbox:' takes yes or no, not '%.40s'", v);
		return 0;
	}
	if (strncmp(t, "sysctl:", 7) == 0)
		return header_setup(ld, "sysctl", false, trim(t + 7));
	if (strncmp(t, "host:", 5) == 0)
		return header_setup(ld, "host", true, trim(t + 5));
	if (strncmp(t, "var:", 4) == 0)
		return header_var(ld, trim(t + 4));
	return fail(ld, "'%.40s' before the first step: the header knows title:, summary:, "
		    "sandbox:, sysctl:, host: and var:; a step starts with 'step:'", t);
}

static int step_line(struct loader *ld, char *t)
{
	struct lesson *l = ld->l;
	struct lstep *st = l->nsteps ? &l->steps[l->nsteps - 1] : NULL;

	if (ld->pending_q)
		return fail(ld, "the 'predict:' of line %u needs a command with an expectation (=> ...) in its step",
			    ld->pending_line);
	if (st && st->n == 0)
		return fail(ld, "the step before this one is empty");
	if (!GROW(l->steps, l->nsteps, ld->stepcap, 8))
		return fail(ld, "out of memory");
	st = &l->steps[l->nsteps++];
	memset(st, 0, sizeof *st);
	ld->itemcap = 0;
	st->title = strdup(trim(t + 5));
	st->line = ld->lineno;
	if (st->title == NULL || !st->title[0])
		return fail(ld, "a step needs a title: 'step: TITLE'");
	return 0;
}

/* One choice, "OUTCOME" or "LABEL => OUTCOME", added to the pending prediction. */
static int add_choice(struct loader *ld, char *c)
{
	char *arrow = strstr(c, "=>"), *label = NULL, **v, **lv;

	if (arrow) {
		*arrow = '\0';
		label = trim(c);
		c = trim(arrow + 2);
		if (!*label)
			return fail(ld, "a choice 'LABEL => OUTCOME' needs its label");
	}
	if (!choice_valid(c))
		return fail(ld, "prediction choice '%.40s': use ok, an errno name or a count "
			    "(LABEL => OUTCOME to show words)", c);
	for (int i = 0; i < ld->npending; i++)
		if (strcmp(ld->pending_c[i], c) == 0)
			return fail(ld, "two choices with the outcome '%.40s'", c);
	v = realloc(ld->pending_c, (size_t)(ld->npending + 1) * sizeof *v);
	if (v == NULL)
		return fail(ld, "out of memory");
	ld->pending_c = v;
	lv = realloc(ld->pending_l, (size_t)(ld->npending + 1) * sizeof *lv);
	if (lv == NULL)
		return fail(ld, "out of memory");
	ld->pending_l = lv;
	ld->pending_c[ld->npending] = strdup(c);
	ld->pending_l[ld->npending] = label ? strdup(label) : NULL;
	ld->npending++;		/* counted now: freed with the rest, whatever follows */
	if (ld->pending_c[ld->npending - 1] == NULL || (label && ld->pending_l[ld->npending - 1] == NULL))
		return fail(ld, "out of memory");
	return 0;
}

static int predict_line(struct loader *ld, char *t)
{
	char *q = trim(t + 8), *bar = strchr(q, '|');

	if (ld->pending_q)
		return fail(ld, "two 'predict:' lines for one command");
	if (bar == NULL)
		return fail(ld, "'predict: QUESTION | CHOICE | CHOICE...' needs choices");
	*bar = '\0';
	ld->pending_q = strdup(trim(q));
	ld->pending_line = ld->lineno;
	if (ld->pending_q == NULL)
		return fail(ld, "out of memory");
	for (char *c = bar + 1; c; ) {
		char *next = strchr(c, '|');

		if (next)
			*next++ = '\0';
		if (add_choice(ld, trim(c)) < 0)
			return -1;
		c = next;
	}
	if (ld->npending < 2)
		return fail(ld, "a prediction needs at least two choices");
	return 0;
}

/* hold: kernel -- the kernel pane waits for the pending prediction's answer */
static int hold_line(struct loader *ld, char *t)
{
	const char *v = trim(t + 5);

	if (!ld->pending_q)
		return fail(ld, "'hold:' belongs to a 'predict:', between it and its command");
	if (strcmp(v, "kernel") != 0)
		return fail(ld, "'hold:' takes kernel (the pane held back until the answer), not '%.40s'", v);
	ld->pending_hold = true;
	return 0;
}

/* The prediction waiting for this command: its expectation must be a choice. */
static int attach_prediction(struct loader *ld, struct lstep *st, const struct cmd_line *cl, struct litem *it)
{
	char want[32];
	bool found = false;
	struct litem *lead = ld->have_lead ? &st->items[ld->lead] : it;

	cmd_expect_format(&cl->expect, want, sizeof want);
	for (int i = 0; i < ld->npending; i++)
		if (strcmp(ld->pending_c[i], want) == 0 ||
		    (cl->expect.kind == EXPECT_ERRNO && errname_value(ld->pending_c[i]) == cl->expect.value))
			found = true;
	if (!found)
		return fail(ld, "the expected outcome %s is not among the prediction's choices", want);
	it->group = lead->group;
	lead->question = ld->pending_q;
	lead->qline = ld->pending_line;
	lead->choices = ld->pending_c;
	lead->labels = ld->pending_l;
	lead->nchoices = ld->npending;
	lead->hold_kernel = ld->pending_hold;
	ld->pending_q = NULL;
	ld->pending_c = ld->pending_l = NULL;
	ld->npending = 0;
	ld->pending_hold = false;
	ld->have_lead = false;
	return 0;
}

static int command_line(struct loader *ld, char *t)
{
	struct lstep *st = &ld->l->steps[ld->l->nsteps - 1];
	struct cmd_line cl;
	char msg[256];
	struct litem *it;
	int r;

	if (++ld->ncmds > LESSON_MAXCMDS)
		return fail(ld, "more than %d commands (each copy of a repeat counts): split the lesson",
			    LESSON_MAXCMDS);
	r = cmd_parse(trim(t + 1), &cl, msg, sizeof msg);
	if (r < 0)
		return fail(ld, "%s", msg);
	if (r == 1)
		return fail(ld, "'$' with no command");
	/* lessons are data: nothing in one may touch a file */
	if (cmd_writes_files(&cl))
		return fail(ld, "'%s' writes files: a lesson may not use it", cl.cmd->name);
	if (!ld->l->sandbox && cl.cmd->kernel_write_args && cl.argc - 1 >= cl.cmd->kernel_write_args)
		return fail(ld, "'%s' changes the kernel: the lesson needs 'sandbox: yes'", cl.cmd->name);
	it = new_item(st, &ld->itemcap);
	if (it == NULL)
		return fail(ld, "out of memory");
	it->kind = LI_CMD;
	it->text = strdup(trim(t + 1));
	it->line = ld->lineno;
	if (it->text == NULL)
		return fail(ld, "out of memory");
	if (!ld->pending_q)
		return 0;
	/* a prediction's commands run as one after the answer; the one with an expectation is judged */
	if (!ld->have_lead) {
		ld->have_lead = true;
		ld->lead = st->n - 1;
		it->group = ++ld->groups;
	} else {
		it->group = st->items[ld->lead].group;
	}
	if (cl.expect.kind == EXPECT_NONE)
		return 0;
	return attach_prediction(ld, st, &cl, it);
}

static void repeat_free(struct loader *ld)
{
	for (size_t i = 0; i < ld->nrepeat; i++)
		free(ld->repeat_text[i]);
	free(ld->repeat_text);
	free(ld->repeat_lineno);
	ld->repeat_text = NULL;
	ld->repeat_lineno = NULL;
	ld->nrepeat = ld->caprepeat = 0;
	ld->repeat_n = 0;
}

/* repeat: N -- the command lines up to `end` run N times, {n} counting 1..N, as one block */
static int repeat_line(struct loader *ld, char *t)
{
	char *v = trim(t + 7), *end;
	long n = strtol(v, &end, 10);

	if (ld->repeat_n)
		return fail(ld, "a repeat inside a repeat (line %u)", ld->repeat_line);
	if (ld->pending_q)
		return fail(ld, "a 'predict:' needs its command before a repeat");
	if (end == v || *end || n < 1 || n > REPEAT_MAX)
		return fail(ld, "repeat: takes a count from 1 to %d, not '%s'", REPEAT_MAX, v);
	ld->repeat_n = (int)n;
	ld->repeat_line = ld->lineno;
	return 0;
}

/* A command line inside a repeat: kept until `end`. */
static int repeat_keep(struct loader *ld, const char *t)
{
	size_t cap = ld->caprepeat;

	/* each kept line is at least one command: a body past the cap is refused as it grows */
	if ((size_t)ld->ncmds + ld->nrepeat >= LESSON_MAXCMDS)
		return fail(ld, "more than %d commands (each copy of a repeat counts): split the lesson",
			    LESSON_MAXCMDS);
	if (!GROW(ld->repeat_text, ld->nrepeat, ld->caprepeat, 8))
		return fail(ld, "out of memory");
	if (ld->caprepeat != cap || ld->repeat_lineno == NULL) {
		unsigned *v = realloc(ld->repeat_lineno, ld->caprepeat * sizeof *v);

		if (v == NULL)
			return fail(ld, "out of memory");
		ld->repeat_lineno = v;
	}
	if ((ld->repeat_text[ld->nrepeat] = strdup(t)) == NULL)
		return fail(ld, "out of memory");
	ld->repeat_lineno[ld->nrepeat++] = ld->lineno;
	return 0;
}

/* end: every kept line, N times with {n} replaced, each checked as a command of its own. */
static int repeat_end(struct loader *ld)
{
	struct lstep *st = &ld->l->steps[ld->l->nsteps - 1];
	unsigned at = ld->lineno;
	int block = ++ld->blocks;

	if (!ld->repeat_n)
		return fail(ld, "'end' without a 'repeat:'");
	if (ld->nrepeat == 0)
		return fail(ld, "an empty repeat (line %u)", ld->repeat_line);
	for (int k = 1; k <= ld->repeat_n; k++)
		for (size_t i = 0; i < ld->nrepeat; i++) {
			char line[LESSON_MAXLINE + 64], num[16];
			const char *src = ld->repeat_text[i], *hole;
			size_t n = 0;

			snprintf(num, sizeof num, "%d", k);
			while ((hole = strstr(src, "{n}")) != NULL && n < sizeof line - 16) {
				n += (size_t)snprintf(line + n, sizeof line - n, "%.*s%s", (int)(hole - src), src, num);
				src = hole + 3;
			}
			snprintf(line + n, sizeof line - n, "%s", src);
			ld->lineno = ld->repeat_lineno[i];
			if (command_line(ld, line) < 0)
				return -1;
			st->items[st->n - 1].block = block;
		}
	ld->lineno = at;
	repeat_free(ld);
	return 0;
}

static int prose_line(struct loader *ld, char *t)
{
	struct lstep *st = &ld->l->steps[ld->l->nsteps - 1];
	struct litem *it;

	if (ld->pending_q && *t)
		return fail(ld, "between the 'predict:' of line %u and its command with an expectation, only "
			    "'$' lines and 'hold:' may stand", ld->pending_line);
	if ((it = new_item(st, &ld->itemcap)) == NULL)
		return fail(ld, "out of memory");
	it->kind = LI_PROSE;
	it->text = strdup(t);
	it->line = ld->lineno;
	return it->text ? 0 : fail(ld, "out of memory");
}

/* One line of the file, raw: what it is decides who reads it. */
static int load_line(struct loader *ld, char *line, size_t len)
{
	size_t bad;
	char *t;

	if (strlen(line) != len)
		return fail(ld, "a NUL byte: a lesson is text");
	if (len > LESSON_MAXLINE)
		return fail(ld, "line too long (at most %d bytes)", LESSON_MAXLINE);
	/* the line's end may be \n or \r\n; anywhere else, a CR would forge a line on a terminal */
	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (!utf8_text(line, len, true, &bad)) {
		const unsigned char *b = (const unsigned char *)line + bad;

		if (*b < 0x20 || *b == 0x7f || (b[0] == 0xc2 && b[1] >= 0x80 && b[1] <= 0x9f))
			return fail(ld, "a control character (byte %zu): a lesson is plain text", bad + 1);
		return fail(ld, "not UTF-8 (byte %zu): a lesson is UTF-8 text", bad + 1);
	}
	t = trim(line);
	if (t[0] == '#')
		return 0;
	if (strncmp(t, "var:", 4) != 0 && (t = expand(ld, t)) == NULL)
		return -1;
	if (ld->repeat_n) {
		/* inside a repeat: commands until end, nothing else */
		if (strcmp(t, "end") == 0)
			return repeat_end(ld);
		if (strncmp(t, "repeat:", 7) == 0)
			return repeat_line(ld, t);	/* says a repeat does not nest */
		if (t[0] != '$')
			return fail(ld, "only '$' commands and 'end' may stand in a repeat (line %u)",
				    ld->repeat_line);
		return repeat_keep(ld, t);
	}
	if (strncmp(t, "step:", 5) == 0)
		return step_line(ld, t);
	if (ld->l->nsteps == 0)
		return header_line(ld, t);
	if (strncmp(t, "repeat:", 7) == 0)
		return repeat_line(ld, t);
	if (strcmp(t, "end") == 0)
		return fail(ld, "'end' without a 'repeat:'");
	if (strncmp(t, "predict:", 8) == 0)
		return predict_line(ld, t);
	if (strncmp(t, "hold:", 5) == 0)
		return hold_line(ld, t);
	if (t[0] == '$')
		return command_line(ld, t);
	return prose_line(ld, t);
}

/* What only the whole file can tell. */
static int load_finish(struct loader *ld)
{
	struct lesson *l = ld->l;

	if (!l->title)
		return fail(ld, "no 'title:'");
	if (l->nsteps == 0)
		return fail(ld, "no steps: a step starts with 'step: TITLE'");
	if (ld->pending_q)
		return fail(ld, "the 'predict:' of line %u has no command with an expectation (=> ...)",
			    ld->pending_line);
	if (ld->repeat_n)
		return fail(ld, "the 'repeat:' of line %u has no 'end'", ld->repeat_line);
	if (l->steps[l->nsteps - 1].n == 0)
		return fail(ld, "the last step is empty");
	if (l->nsetup && !l->sandbox) {
		ld->lineno = 0;
		return fail(ld, "'%s:' in the header needs 'sandbox: yes'", l->hosts ? "host" : "sysctl");
	}
	return 0;
}

static void lesson_names(const char *path, struct lesson *l)
{
	const char *base = strrchr(path, '/'), *dash, *dot;

	snprintf(l->path, sizeof l->path, "%s", path);
	base = base ? base + 1 : path;
	l->number = lesson_number(base);
	dash = strchr(base, '-');
	dot = strrchr(base, '.');
	if (dash && dot && dot > dash)
		snprintf(l->name, sizeof l->name, "%.*s", (int)(dot - dash - 1), dash + 1);
	else
		snprintf(l->name, sizeof l->name, "%s", base);
}

/* Open path to read a lesson: a regular file only (/dev/zero, a FIFO: refused before a byte is read). */
static FILE *open_lesson(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, _("%s: not a regular file: a lesson is a text file"), path);
		close(fd);
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

int lesson_load(const char *path, struct lesson *l, char *err, size_t errlen)
{
	return lesson_load_seed(path, NULL, l, err, errlen);
}

int lesson_load_seed(const char *path, const char *seed, struct lesson *l, char *err, size_t errlen)
{
	struct loader ld = { .path = path, .l = l, .err = err, .errlen = errlen, .seed = seed };
	char line[LESSON_MAXLINE + 2];
	FILE *f;
	size_t total = 0;
	int r = 0;

	memset(l, 0, sizeof *l);
	snprintf(l->seed, sizeof l->seed, "%s", seed ? seed : "");
	lesson_names(path, l);
	if ((f = open_lesson(path, err, errlen)) == NULL)
		return -1;
	/* a line at a time, never longer than the limit: a file with no newline costs a line's read */
	while (r == 0 && fgets(line, sizeof line, f)) {
		size_t n = strlen(line);

		ld.lineno++;
		total += n;
		/* fgets stops at a newline: a line whose text ends early, anywhere else, held a NUL byte */
		if (n == 0 || (n < sizeof line - 1 && line[n - 1] != '\n' && !feof(f)))
			r = fail(&ld, "a NUL byte: a lesson is text");
		else if (n == sizeof line - 1 && line[n - 1] != '\n')
			r = fail(&ld, "line too long (at most %d bytes)", LESSON_MAXLINE);
		else if (total > LESSON_MAXBYTES)
			r = fail(&ld, "the lesson is larger than %d KiB: split it", LESSON_MAXBYTES / 1024);
		else
			r = load_line(&ld, line, n);
	}
	if (r == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		r = -1;
	}
	if (r == 0)
		r = load_finish(&ld);
	fclose(f);
	pending_free(&ld);
	repeat_free(&ld);
	if (r < 0)
		lesson_free(l);
	return r;
}

void lesson_free(struct lesson *l)
{
	for (size_t i = 0; i < l->nsteps; i++) {
		struct lstep *st = &l->steps[i];

		for (size_t k = 0; k < st->n; k++) {
			free(st->items[k].text);
			free(st->items[k].question);
			choices_free(st->items[k].choices, st->items[k].nchoices);
			choices_free(st->items[k].labels, st->items[k].nchoices);
		}
		free(st->items);
		free(st->title);
	}
	free(l->steps);
	for (size_t i = 0; i < l->nsetup; i++)
		free(l->setup[i]);
	free(l->setup);
	free(l->title);
	free(l->summary);
	memset(l, 0, sizeof *l);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int lesson_dir(char *buf, size_t len)
{
	/* moved (make install DESTDIR=..., a relocated prefix), or not installed (a build tree) */
	static const char *const rel[] = { "share/" PACKAGE "/lessons", "data/lessons", NULL };
	const char *env = getenv("SOCKPLAY_LESSONS");

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return is_dir(buf) ? 0 : -1;
	}
	snprintf(buf, len, "%s/lessons", PKGDATADIR);
	if (is_dir(buf))
		return 0;
	return beside_exe(rel, is_dir, buf, len);
}

const char *lesson_lang(const char *want)
{
	const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	if (want == NULL)
		for (int i = 0; i < 3 && want == NULL; i++) {
			const char *v = getenv(vars[i]);

			if (v && *v)
				want = v;
		}
	return want && strncmp(want, "zh", 2) == 0 ? "zh_CN" : "en";
}

static int cmp_paths(const void *a, const void *b)
{
	const char *x = strrchr(*(char *const *)a, '/'), *y = strrchr(*(char *const *)b, '/');
	int nx = lesson_number(x + 1), ny = lesson_number(y + 1);

	return nx != ny ? (nx < ny ? -1 : 1) : strcmp(x, y);
}

char **lesson_paths(const char *dir, const char *lang)
{
	char sub[600];
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(sub, sizeof sub, "%s/%s", dir, lang);
	d = opendir(sub);
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);

		if (nl < 8 || strcmp(de->d_name + nl - 7, ".lesson") != 0)
			continue;
		if (!GROW(v, n + 1, cap, 8))
			break;
		v[n] = malloc(strlen(sub) + nl + 2);
		if (v[n] == NULL)
			break;
		sprintf(v[n], "%s/%s", sub, de->d_name);
		n++;
	}
	closedir(d);
	if (v == NULL)
		return NULL;
	qsort(v, n, sizeof *v, cmp_paths);
	v[n] = NULL;
	return v;
}

void lesson_paths_free(char **paths)
{
	for (size_t i = 0; paths && paths[i]; i++)
		free(paths[i]);
	free(paths);
}

bool lesson_is_path(const char *which)
{
	return strchr(which, '/') != NULL;
}

char *lesson_find(char **paths, const char *which)
{
	bool num = which[0] && strspn(which, "0123456789") == strlen(which);

	for (size_t i = 0; paths && paths[i]; i++) {
		const char *base = strrchr(paths[i], '/') + 1, *dash = strchr(base, '-');

		if (num && lesson_number(base) == lesson_number(which))
			return paths[i];
		if (!num && dash && strncmp(dash + 1, which, strlen(which)) == 0 &&
		    strcmp(dash + 1 + strlen(which), ".lesson") == 0)
			return paths[i];
	}
	return NULL;
}

const struct litem *litem_judged(const struct lstep *st, size_t i)
{
	size_t j = i;

	while (st->items[i].group && j + 1 < st->n && st->items[j + 1].group == st->items[i].group)
		j++;
	return &st->items[j];
}

const char *litem_choice_text(const struct litem *it, int c)
{
	return it->labels && it->labels[c] ? it->labels[c] : it->choices[c];
}

const char *lesson_after(char **paths, const char *path)
{
	for (size_t k = 0; paths && paths[k]; k++)
		if (strcmp(paths[k], path) == 0)
			return paths[k + 1];
	return NULL;
}

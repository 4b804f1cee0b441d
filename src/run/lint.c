/*
 * lint: the spoiler check (see lint.h).  The tells are words that state an
 * outcome in the lessons' two languages; English words match whole words,
 * case aside; Chinese ones anywhere.  They are few on purpose: a lint that
 * cried wolf at every "fails" in the prose would be turned off.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/lint.h"
#include "util/errname.h"

/* The words that state an outcome, besides its own name and the C library's message for it. */
static const struct tells {
	const char *outcome;
	const char *words[12];
} tells[] = {
	{ "ok", { "succeed", "succeeds", "succeeded", "both succeed", "can bind", "both bind",
		  "can connect", "passes", "成功", "可以绑定", "都能绑定", NULL } },
	{ "EADDRINUSE", { "already in use", "is taken", "bind fails", "is refused", "已在使用", "被占用",
			  "已被占用", NULL } },
	{ "EADDRNOTAVAIL", { "runs out", "run out", "exhaust", "exhausts", "exhausted", "no port left", "耗尽", "无法分配", NULL } },
	{ "ECONNRESET", { "reset", "RST", "ECONNRESET", "重置", "复位", NULL } },
	{ "ECONNREFUSED", { "refused", "RST", "拒绝", NULL } },
	{ "ETIMEDOUT", { "timed out", "times out", "超时", NULL } },
};

static bool word_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* Is word in text: whole word and case aside when ASCII, anywhere when not. */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	bool ascii = true;

	for (const unsigned char *w = (const unsigned char *)word; *w; w++)
		ascii &= *w < 0x80;
	if (!ascii)
		return strstr(text, word) != NULL;
	for (const char *p = text; *p; p++) {
		if (strncasecmp(p, word, n) != 0)
			continue;
		if ((p == text || !word_char((unsigned char)p[-1])) && !word_char((unsigned char)p[n]))
			return true;
	}
	return false;
}

/* The C library's own message for an errno, in English whatever the locale. */
static const char *c_message(int e, char *buf, size_t len)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);

	snprintf(buf, len, "%s", c ? strerror_l(e, c) : "");
	if (c)
		freelocale(c);
	return buf;
}

const char *lint_spoils(const char *text, const char *outcome, const char *label)
{
	static char msg[128];
	long e = errname_value(outcome);

	if (label && *label && has_word(text, label))
		return label;
	if (e > 0) {
		if (has_word(text, errname((int)e)))
			return errname((int)e);
		if (*c_message((int)e, msg, sizeof msg) && has_word(text, msg))
			return msg;
	}
	for (size_t i = 0; i < sizeof tells / sizeof tells[0]; i++) {
		if (strcmp(tells[i].outcome, outcome) != 0 && !(e > 0 && errname_value(tells[i].outcome) == e))
			continue;
		for (int k = 0; tells[i].words[k]; k++)
			if (has_word(text, tells[i].words[k]))
				return tells[i].words[k];
	}
	return NULL;
}

/* The right choice of the prediction at items[i]: the expectation of the command it is judged on. */
static int right_choice(const struct lstep *sp, size_t i)
{
	const struct litem *it = &sp->items[i];
	struct cmd_line cl;
	char err[256], want[32];

	if (cmd_parse(litem_judged(sp, i)->text, &cl, err, sizeof err) != 0)
		return -1;
	cmd_expect_format(&cl.expect, want, sizeof want);
	for (int c = 0; c < it->nchoices; c++)
		if (strcmp(it->choices[c], want) == 0 ||
		    (cl.expect.kind == EXPECT_ERRNO && errname_value(it->choices[c]) == cl.expect.value))
			return c;
	return -1;
}

static void found(struct lint_result *lr, const struct stepper *st, const struct litem *it,
		  const char *where, const char *word)
{
	lr->spoilers++;
	if (lr->first[0])
		return;
	snprintf(lr->first, sizeof lr->first, "%s:%u: the answer shows before the question \"%.200s\": "
		 "%s says \"%s\"", st->les->path, it->qline, it->question, where, word);
}

/* The prediction at item i of the current step, against what the class has seen; h0 the step's first record. */
static void check(struct stepper *st, size_t i, size_t h0, struct lint_result *lr)
{
	const struct lstep *sp = stepper_cur(st);
	const struct litem *it = &sp->items[i];
	int c = right_choice(sp, i);
	const char *outcome, *label, *w;
	char where[160];

	if (c < 0)
		return;
	lr->predictions++;
	outcome = it->choices[c];
	label = it->labels ? it->labels[c] : NULL;
	if ((w = lint_spoils(st->les->title, outcome, label)) != NULL)
		found(lr, st, it, "the lesson's title", w);
	if ((w = lint_spoils(sp->title, outcome, label)) != NULL)
		found(lr, st, it, "the step's title", w);
	for (size_t k = 0; k < i; k++)
		if (sp->items[k].kind == LI_PROSE && (w = lint_spoils(sp->items[k].text, outcome, label))) {
			snprintf(where, sizeof where, "line %u", sp->items[k].line);
			found(lr, st, it, where, w);
		}
	for (size_t k = h0; k < st->run->hist.n; k++) {
		const struct record *r = &st->run->hist.v[k];

		if ((w = lint_spoils(r->output, outcome, label)) != NULL) {
			snprintf(where, sizeof where, "what `%.80s` printed", r->line);
			found(lr, st, it, where, w);
		}
	}
}

unsigned lint_play(struct stepper *st, struct lint_result *lr)
{
	memset(lr, 0, sizeof *lr);
	for (;;) {
		const struct lstep *sp = stepper_cur(st);
		size_t h0 = st->run->hist.n;

		while (!stepper_step_done(st) && !st->run->s->stopping) {
			size_t i = stepper_next_cmd(st);

			if (sp->items[i].question)
				check(st, i, h0, lr);
			stepper_run_unasked(st);
		}
		if (st->step + 1 >= st->les->nsteps || st->run->s->stopping)
			break;
		stepper_step(st, 1);
	}
	return lr->spoilers;
}

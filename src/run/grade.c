/*
 * grade: a lesson judged with one student's answers, written as JSON, CSV
 * or JUnit XML.  See grade.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "run/grade.h"
#include "run/stepper.h"
#include "util/grow.h"
#include "util/i18n.h"
#include "util/utf8.h"

#define TEXT_MAX 600		/* a question, an answer, a title, as kept for the result */

/* One prediction, as judged. */
struct graded {
	unsigned step, line;
	char title[TEXT_MAX], question[TEXT_MAX];
	char answer[TEXT_MAX];	/* what the student said ("" none) */
	char kernel[TEXT_MAX];	/* what the kernel did, in the choices' words */
	bool right, answered;
};

struct answers {
	char **v;
	size_t n, cap, next;
};

enum grade_format grade_format_of(const char *path)
{
	size_t n = strlen(path);

	if (n > 4 && strcasecmp(path + n - 4, ".csv") == 0)
		return GRADE_CSV;
	if (n > 4 && strcasecmp(path + n - 4, ".xml") == 0)
		return GRADE_JUNIT;
	return GRADE_JSON;
}

/* text, cleaned for keeping: control bytes and invalid UTF-8 out, at most TEXT_MAX - 1 bytes */
static void keep(char *dst, const char *src)
{
	snprintf(dst, TEXT_MAX, "%s", src ? src : "");
	utf8_clean(dst, strlen(dst));
}

static void answers_free(struct answers *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

/* The student's file: bounded, one answer a line. 0, or -1 with the reason said. */
static int answers_load(const char *path, struct answers *a, FILE *errout)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	static char buf[GRADE_FILE_MAX + 1];
	size_t len = 0;
	struct stat st;
	ssize_t r;

	memset(a, 0, sizeof *a);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(errout, "sockplay: --answers %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(errout, "sockplay: --answers %s: %s\n", path, strerror(EISDIR));
		return -1;
	}
	while (len <= GRADE_FILE_MAX && (r = read(fd, buf + len, GRADE_FILE_MAX + 1 - len)) > 0)
		len += (size_t)r;
	if (fd != STDIN_FILENO)
		close(fd);
	if (len > GRADE_FILE_MAX) {
		fprintf(errout, _("sockplay: --answers %s: larger than %d bytes: not a student's answers\n"), path,
			GRADE_FILE_MAX);
		return -1;
	}
	buf[len] = '\0';
	for (char *line = buf, *nl; line && *line; line = nl) {
		char *t = line, *e;

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		while (isspace((unsigned char)*t))
			t++;
		e = t + strlen(t);
		while (e > t && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (*t == '\0' || *t == '#')
			continue;
		if (a->n == GRADE_ANSWERS_MAX) {
			fprintf(errout, _("sockplay: --answers %s: more than %d answers\n"), path, GRADE_ANSWERS_MAX);
			answers_free(a);
			return -1;
		}
		if (!GROW(a->v, a->n, a->cap, 32) || (a->v[a->n] = strdup(t)) == NULL) {
			answers_free(a);
			return -1;
		}
		utf8_clean(a->v[a->n], strlen(a->v[a->n]));
		a->n++;
	}
	return 0;
}

/* The choice (1..n) an answer names: its number, its outcome or its label; 0 none. */
static int choice_of(const struct litem *it, const char *ans)
{
	char *end;
	long k = strtol(ans, &end, 10);

	if (*ans && *end == '\0' && k >= 1 && k <= it->nchoices)
		return (int)k;
	for (int c = 0; c < it->nchoices; c++)
		if (strcasecmp(ans, it->choices[c]) == 0 || strcasecmp(ans, litem_choice_text(it, c)) == 0)
			return c + 1;
	return 0;
}

/* Play to the end, answering each prediction from a; the judged ones into *out. */
static int play(struct stepper *st, struct answers *a, struct graded **out, size_t *n)
{
	size_t cap = 0;
	int guard = 0;

	*out = NULL;
	*n = 0;
	while (!st->finished && guard++ < 100000 && !st->run->s->stopping) {
		if (stepper_asking(st)) {
			const struct lstep *sp = stepper_cur(st);
			const struct litem *it = &sp->items[stepper_next_cmd(st)];
			const char *ans = a->next < a->n ? a->v[a->next++] : NULL;
			int pick = ans ? choice_of(it, ans) : 0;
			struct graded *g;

			if (!GROW(*out, *n, cap, 16))
				return -1;
			g = &(*out)[(*n)++];
			memset(g, 0, sizeof *g);
			g->step = (unsigned)st->step + 1;
			g->line = it->qline;
			keep(g->title, sp->title);
			keep(g->question, it->question);
			keep(g->answer, ans);
			g->answered = pick > 0;
			/* an answer that names no choice is judged as the first wrong one would be: wrong */
			if (!stepper_answer(st, pick > 0 ? pick : 1))
				return -1;
			keep(g->kernel, st->verdict.got);
			g->right = pick > 0 && st->verdict.right;
		} else if (stepper_step_done(st)) {
			if (stepper_step(st, 1) < 0)
				break;
		} else if (!stepper_next(st)) {
			break;
		}
	}
	return 0;
}

/* ---- the three formats ---- */

void grade_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A CSV cell: quoted, quotes doubled; one that a spreadsheet would run as a formula starts with ' */
void grade_csv_cell(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	if (strchr("=+-@\t\r", s[0]) && s[0])
		fputc('\'', f);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
	fputc(last ? '\n' : ',', f);
}

static void xml_str(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (*p >= 0x20 || *p == '\t')
				fputc(*p, f);	/* XML 1.0 has no other C0 byte */
		}
	}
}

struct report {
	const struct lesson *l;
	const char *lang, *student, *kernel;
	const struct graded *g;
	size_t n;
	unsigned right;
	const struct answers *a;
};

static void write_json(FILE *f, const struct report *r)
{
	fputs("{\n  \"lesson\": { \"number\": ", f);
	fprintf(f, "%d, \"name\": ", r->l->number);
	grade_json_str(f, r->l->name);
	fputs(", \"title\": ", f);
	grade_json_str(f, r->l->title ? r->l->title : "");
	fputs(", \"lang\": ", f);
	grade_json_str(f, r->lang);
	fputs(" },\n  \"student\": ", f);
	grade_json_str(f, r->student);
	fputs(",\n  \"kernel\": ", f);
	grade_json_str(f, r->kernel);
	fputs(",\n  \"seed\": ", f);
	grade_json_str(f, r->l->seed);
	fputs(",\n  \"variables\": {", f);
	for (int i = 0; i < r->l->nvars; i++) {
		fputs(i ? ", " : " ", f);
		grade_json_str(f, r->l->vars[i].name);
		fputs(": ", f);
		grade_json_str(f, r->l->vars[i].value);
	}
	fputs(r->l->nvars ? " }" : "}", f);
	fprintf(f, ",\n  \"asked\": %zu,\n  \"right\": %u,\n  \"extra_answers\": %zu,\n  \"predictions\": [",
		r->n, r->right, r->a->n > r->a->next ? r->a->n - r->a->next : 0);
	for (size_t i = 0; i < r->n; i++) {
		const struct graded *g = &r->g[i];

		fprintf(f, "%s\n    { \"step\": %u, \"line\": %u, \"step_title\": ", i ? "," : "", g->step, g->line);
		grade_json_str(f, g->title);
		fputs(", \"question\": ", f);
		grade_json_str(f, g->question);
		fputs(", \"answer\": ", f);
		grade_json_str(f, g->answer);
		fputs(", \"kernel\": ", f);
		grade_json_str(f, g->kernel);
		fprintf(f, ", \"answered\": %s, \"right\": %s }", g->answered ? "true" : "false",
			g->right ? "true" : "false");
	}
	fputs("\n  ]\n}\n", f);
}

static void write_csv(FILE *f, const struct report *r)
{
	char num[160];

	fputs("student,lesson,lang,step,line,question,answer,kernel,right\n", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct graded *g = &r->g[i];

		grade_csv_cell(f, r->student, false);
		snprintf(num, sizeof num, "%d %s", r->l->number, r->l->name);
		grade_csv_cell(f, num, false);
		grade_csv_cell(f, r->lang, false);
		snprintf(num, sizeof num, "%u", g->step);
		grade_csv_cell(f, num, false);
		snprintf(num, sizeof num, "%u", g->line);
		grade_csv_cell(f, num, false);
		grade_csv_cell(f, g->question, false);
		grade_csv_cell(f, g->answer, false);
		grade_csv_cell(f, g->kernel, false);
		grade_csv_cell(f, g->right ? "yes" : "no", true);
	}
}

static void write_junit(FILE *f, const struct report *r)
{
	char suite[160];

	snprintf(suite, sizeof suite, "sockplay.%s", r->l->name);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"%zu\" failures=\"%zu\">\n",
		r->n, r->n - r->right);
	fputs("  <testsuite name=\"", f);
	xml_str(f, suite);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", r->n, r->n - r->right);
	fputs("    <properties><property name=\"student\" value=\"", f);
	xml_str(f, r->student);
	fputs("\"/><property name=\"kernel\" value=\"", f);
	xml_str(f, r->kernel);
	fputs("\"/><property name=\"lang\" value=\"", f);
	xml_str(f, r->lang);
	fputs("\"/><property name=\"seed\" value=\"", f);
	xml_str(f, r->l->seed);
	fputs("\"/>", f);
	for (int i = 0; i < r->l->nvars; i++) {
		fputs("<property name=\"var.", f);
		xml_str(f, r->l->vars[i].name);
		fputs("\" value=\"", f);
		xml_str(f, r->l->vars[i].value);
		fputs("\"/>", f);
	}
	fputs("</properties>\n", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct graded *g = &r->g[i];
		char name[TEXT_MAX + 64];

		snprintf(name, sizeof name, "step %u, line %u: %s", g->step, g->line, g->question);
		fputs("    <testcase classname=\"", f);
		xml_str(f, suite);
		fputs("\" name=\"", f);
		xml_str(f, name);
		fputs(g->right ? "\"/>\n" : "\">\n", f);
		if (g->right)
			continue;
		fputs("      <failure message=\"", f);
		if (g->answered) {
			char msg[2 * TEXT_MAX + 64];

			snprintf(msg, sizeof msg, "answered %s; the kernel did %s", g->answer, g->kernel);
			xml_str(f, msg);
		} else {
			char msg[2 * TEXT_MAX + 64];

			snprintf(msg, sizeof msg, g->answer[0] ? "'%s' is none of the choices; the kernel did %s" :
				 "no answer; the kernel did %s", g->answer[0] ? g->answer : g->kernel, g->kernel);
			xml_str(f, msg);
		}
		fputs("\"/>\n    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
}

/* The results file: created or replaced, never through a symbolic link; "-" standard output. */
static FILE *results_open(const char *path, FILE *errout)
{
	int fd;
	FILE *f;

	if (strcmp(path, "-") == 0)
		return stdout;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == ELOOP)
			fprintf(errout, _("sockplay: %s is a symbolic link: sockplay does not write through one\n"), path);
		else
			fprintf(errout, "sockplay: --results %s: %s\n", path, strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (f == NULL)
		close(fd);
	return f;
}

int lesson_grade(struct runner *run, const struct lesson *l, const char *lang, const char *answers_path,
		 const char *results, const char *student, FILE *errout)
{
	struct answers a;
	struct stepper st;
	struct graded *g = NULL;
	struct report r;
	struct utsname u;
	struct sink quiet = { NULL, NULL };
	char who[TEXT_MAX], kernel[sizeof u.release + 8];
	FILE *f;
	int status;

	if (answers_load(answers_path, &a, errout) < 0)
		return 2;
	keep(who, student);
	snprintf(kernel, sizeof kernel, "%s", uname(&u) == 0 ? u.release : "?");
	runner_push_sink(run, quiet);	/* the calls' lines are not the result */
	if (stepper_open(&st, run, l, lang, false) < 0) {
		fprintf(errout, "sockplay: %s\n", st.error);
		runner_pop_sink(run);
		answers_free(&a);
		return 2;
	}
	status = play(&st, &a, &g, &r.n);
	runner_pop_sink(run);
	if (status == 0 && st.tally.failed) {
		/* the kernel did not do what the lesson says: its answers cannot be judged by it */
		fprintf(errout, _("sockplay: lesson %d (%s) does not hold on this kernel, so it cannot grade: %s\n"),
			l->number, l->name, st.tally.first_failure);
		status = -1;
	}
	if (status == 0) {
		r.l = l;
		r.lang = lang;
		r.student = who;
		r.kernel = kernel;
		r.g = g;
		r.a = &a;
		r.right = 0;
		for (size_t i = 0; i < r.n; i++)
			r.right += g[i].right;
		f = results_open(results, errout);
		if (f == NULL) {
			status = -1;
		} else {
			switch (grade_format_of(results)) {
			case GRADE_CSV: write_csv(f, &r); break;
			case GRADE_JUNIT: write_junit(f, &r); break;
			default: write_json(f, &r); break;
			}
			if ((f == stdout ? fflush(f) : fclose(f)) != 0) {
				fprintf(errout, "sockplay: --results %s: %s\n", results, strerror(errno));
				status = -1;
			}
		}
		if (status == 0)
			status = r.right == r.n ? 0 : 1;
	}
	stepper_close(&st);
	free(g);
	answers_free(&a);
	return status < 0 ? 2 : status;
}

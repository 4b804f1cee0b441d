/*
 * lesson: the lesson file parser and the unattended runner behind
 * --check-lessons.  The screen's lesson pane (ui/) steps through the same
 * structure one command at a time.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "errname.h"
#include "lesson.h"

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

static bool grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return true;
	{
		size_t c = *cap ? *cap * 2 : 8;
		void *p = realloc(*v, c * size);

		if (p == NULL)
			return false;
		*v = p;
		*cap = c;
	}
	return true;
}

static struct litem *new_item(struct lstep *st, size_t *cap)
{
	if (!grow((void **)&st->items, st->n, cap, sizeof *st->items))
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

#define FAIL(...) do { snprintf(err, errlen, "%s:%u: ", path, lineno); \
	snprintf(err + strlen(err), errlen - strlen(err), __VA_ARGS__); goto bad; } while (0)

int lesson_load(const char *path, struct lesson *l, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *pending_q = NULL, **pending_c = NULL;
	size_t cap = 0, stepcap = 0, itemcap = 0, sysctlcap = 0;
	int npending = 0;
	unsigned lineno = 0, pending_line = 0;
	const char *base;
	ssize_t n;

	memset(l, 0, sizeof *l);
	snprintf(l->path, sizeof l->path, "%s", path);
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	l->number = atoi(base);
	{
		const char *dash = strchr(base, '-'), *dot = strrchr(base, '.');

		if (dash && dot && dot > dash)
			snprintf(l->name, sizeof l->name, "%.*s", (int)(dot - dash - 1), dash + 1);
		else
			snprintf(l->name, sizeof l->name, "%s", base);
	}
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *t;
		struct lstep *st = l->nsteps ? &l->steps[l->nsteps - 1] : NULL;

		lineno++;
		t = trim(line);
		if (t[0] == '#')
			continue;
		if (strncmp(t, "step:", 5) == 0) {
			if (pending_q)
				FAIL("a 'predict:' must be followed by a command");
			if (st && st->n == 0)
				FAIL("the step before this one is empty");
			if (!grow((void **)&l->steps, l->nsteps, &stepcap, sizeof *l->steps))
				FAIL("out of memory");
			st = &l->steps[l->nsteps++];
			memset(st, 0, sizeof *st);
			itemcap = 0;
			st->title = strdup(trim(t + 5));
			st->line = lineno;
			if (st->title == NULL || !st->title[0])
				FAIL("a step needs a title: 'step: TITLE'");
			continue;
		}
		if (st == NULL) {
			/* the header */
			if (t[0] == '\0')
				continue;
			if (strncmp(t, "title:", 6) == 0) {
				if (l->title)
					FAIL("a second 'title:'");
				l->title = strdup(trim(t + 6));
			} else if (strncmp(t, "summary:", 8) == 0) {
				const char *s = trim(t + 8);
				size_t old = l->summary ? strlen(l->summary) : 0;
				char *p = realloc(l->summary, old + strlen(s) + 2);

				if (p == NULL)
					FAIL("out of memory");
				if (old)
					p[old++] = ' ';
				strcpy(p + old, s);
				l->summary = p;
			} else if (strncmp(t, "sandbox:", 8) == 0) {
				const char *v = trim(t + 8);

				if (strcmp(v, "yes") == 0)
					l->sandbox = true;
				else if (strcmp(v, "no") != 0)
					FAIL("'sandbox:' takes yes or no, not '%s'", v);
			} else if (strncmp(t, "sysctl:", 7) == 0) {
				char cmdline[300], msg[256];
				struct cmd_line cl;

				snprintf(cmdline, sizeof cmdline, "sysctl %s", trim(t + 7));
				if (cmd_parse(cmdline, &cl, msg, sizeof msg) != 0 || cl.argc < 3)
					FAIL("%s", cl.argc < 3 ? "'sysctl:' needs KEY VALUE" : msg);
				if (!grow((void **)&l->sysctls, l->nsysctl, &sysctlcap, sizeof *l->sysctls))
					FAIL("out of memory");
				l->sysctls[l->nsysctl++] = strdup(trim(t + 7));
			} else {
				FAIL("'%.40s' before the first step: the header knows title:, summary:, "
				     "sandbox: and sysctl:; a step starts with 'step:'", t);
			}
			continue;
		}
		if (strncmp(t, "predict:", 8) == 0) {
			char *q = trim(t + 8), *bar = strchr(q, '|');

			if (pending_q)
				FAIL("two 'predict:' lines for one command");
			if (bar == NULL)
				FAIL("'predict: QUESTION | CHOICE | CHOICE...' needs choices");
			*bar = '\0';
			pending_q = strdup(trim(q));
			pending_line = lineno;
			for (char *c = bar + 1; c; ) {
				char *next = strchr(c, '|');

				if (next)
					*next++ = '\0';
				c = trim(c);
				if (!choice_valid(c))
					FAIL("prediction choice '%s': use ok, an errno name or a count", c);
				pending_c = realloc(pending_c, (size_t)(npending + 1) * sizeof *pending_c);
				if (pending_c == NULL)
					FAIL("out of memory");
				pending_c[npending++] = strdup(c);
				c = next;
			}
			if (npending < 2)
				FAIL("a prediction needs at least two choices");
			continue;
		}
		if (t[0] == '$') {
			struct cmd_line cl;
			char msg[256];
			struct litem *it;
			int r = cmd_parse(trim(t + 1), &cl, msg, sizeof msg);

			if (r < 0)
				FAIL("%s", msg);
			if (r == 1)
				FAIL("'$' with no command");
			if (cl.expect.kind == EXPECT_NONE && pending_q)
				FAIL("the command after 'predict:' (line %u) needs an expectation (=> ...)",
				     pending_line);
			if (l->sandbox == false && (strcmp(cl.argv[0], "addr") == 0 ||
						    (strcmp(cl.argv[0], "sysctl") == 0 && cl.argc > 2)))
				FAIL("'%s' changes the kernel: the lesson needs 'sandbox: yes'", cl.argv[0]);
			it = new_item(st, &itemcap);
			if (it == NULL)
				FAIL("out of memory");
			it->kind = LI_CMD;
			it->text = strdup(trim(t + 1));
			it->line = lineno;
			if (pending_q) {
				char want[32];
				bool found = false;

				cmd_expect_format(&cl.expect, want, sizeof want);
				for (int i = 0; i < npending; i++)
					if (strcmp(pending_c[i], want) == 0 ||
					    (cl.expect.kind == EXPECT_ERRNO &&
					     errname_value(pending_c[i]) == cl.expect.value))
						found = true;
				if (!found)
					FAIL("the expected outcome %s is not among the prediction's choices", want);
				it->question = pending_q;
				it->choices = pending_c;
				it->nchoices = npending;
				pending_q = NULL;
				pending_c = NULL;
				npending = 0;
			}
			continue;
		}
		{
			struct litem *it = new_item(st, &itemcap);

			if (it == NULL)
				FAIL("out of memory");
			it->kind = LI_PROSE;
			it->text = strdup(t);
			it->line = lineno;
		}
	}
	if (!l->title)
		FAIL("no 'title:'");
	if (l->nsteps == 0)
		FAIL("no steps: a step starts with 'step: TITLE'");
	if (pending_q)
		FAIL("a 'predict:' at the end has no command");
	if (l->steps[l->nsteps - 1].n == 0)
		FAIL("the last step is empty");
	if (l->nsysctl && !l->sandbox) {
		lineno = 0;
		FAIL("'sysctl:' in the header needs 'sandbox: yes'");
	}
	free(line);
	fclose(f);
	return 0;
bad:
	free(line);
	fclose(f);
	free(pending_q);
	for (int i = 0; i < npending; i++)
		free(pending_c[i]);
	free(pending_c);
	lesson_free(l);
	return -1;
}

void lesson_free(struct lesson *l)
{
	for (size_t i = 0; i < l->nsteps; i++) {
		struct lstep *st = &l->steps[i];

		for (size_t k = 0; k < st->n; k++) {
			free(st->items[k].text);
			free(st->items[k].question);
			for (int c = 0; c < st->items[k].nchoices; c++)
				free(st->items[k].choices[c]);
			free(st->items[k].choices);
		}
		free(st->items);
		free(st->title);
	}
	free(l->steps);
	for (size_t i = 0; i < l->nsysctl; i++)
		free(l->sysctls[i]);
	free(l->sysctls);
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
	const char *env = getenv("SOCKPLAY_LESSONS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return is_dir(buf) ? 0 : -1;
	}
	snprintf(buf, len, "%s/lessons", PKGDATADIR);
	if (is_dir(buf))
		return 0;
	/*
	 * Moved (make install DESTDIR=..., a relocated prefix): share/ beside
	 * bin/.  Not installed: the data/ beside the build tree (src/sockplay).
	 */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		for (int up = 0; up < 3 && (slash = strrchr(exe, '/')); up++) {
			*slash = '\0';
			snprintf(buf, len, "%s/share/%s/lessons", exe, PACKAGE);
			if (is_dir(buf))
				return 0;
			snprintf(buf, len, "%s/data/lessons", exe);
			if (is_dir(buf))
				return 0;
		}
	}
	return -1;
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
	int d = atoi(x + 1) - atoi(y + 1);

	return d ? d : strcmp(x, y);
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
		if (!grow((void **)&v, n + 1, &cap, sizeof *v))
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

char *lesson_find(char **paths, const char *which)
{
	bool num = which[0] && strspn(which, "0123456789") == strlen(which);

	for (size_t i = 0; paths && paths[i]; i++) {
		const char *base = strrchr(paths[i], '/') + 1, *dash = strchr(base, '-');

		if (num && atoi(base) == atoi(which))
			return paths[i];
		if (!num && dash && strncmp(dash + 1, which, strlen(which)) == 0 &&
		    strcmp(dash + 1 + strlen(which), ".lesson") == 0)
			return paths[i];
	}
	return NULL;
}

int lesson_begin(struct session *s, const struct lesson *l, char *err, size_t errlen)
{
	struct outcome o;
	char line[300];

	if (l->sandbox && !s->sandboxed) {
		snprintf(err, errlen, "lesson %d (%s) changes kernel settings and needs the sandbox: "
			 "start sockplay with --sandbox", l->number, l->name);
		return -1;
	}
	cmd_run(s, "reset", &o);
	for (size_t i = 0; i < l->nsysctl; i++) {
		snprintf(line, sizeof line, "sysctl %s", l->sysctls[i]);
		cmd_run(s, line, &o);
		if (o.err || o.usage) {
			snprintf(err, errlen, "%s: cannot set %s: %s", l->path, l->sysctls[i],
				 o.usage ? "bad line" : errname(o.err));
			return -1;
		}
	}
	return 0;
}

bool lesson_run_item(struct session *s, const struct litem *it, struct outcome *o,
		     char *got, size_t gotlen, struct expect *expect)
{
	struct cmd_line cl;
	char msg[256];

	if (cmd_parse(it->text, &cl, msg, sizeof msg) != 0) {	/* checked at load */
		memset(o, 0, sizeof *o);
		memset(expect, 0, sizeof *expect);
		o->usage = true;
		snprintf(got, gotlen, "%s", msg);
		return false;
	}
	*expect = cl.expect;
	cmd_exec(s, &cl, o);
	return cmd_expect_met(&cl.expect, o, got, gotlen);
}

int lesson_run_all(struct session *s, const struct lesson *l, struct lesson_result *r)
{
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < l->nsteps; i++) {
		const struct lstep *st = &l->steps[i];

		session_set_context(s, st->title);
		for (size_t k = 0; k < st->n; k++) {
			const struct litem *it = &st->items[k];
			struct outcome o;
			struct expect e;
			char got[64], want[32];
			bool met;

			if (it->kind != LI_CMD)
				continue;
			r->commands++;
			met = lesson_run_item(s, it, &o, got, sizeof got, &e);
			if (e.kind != EXPECT_NONE) {
				r->expectations++;
				r->held += met && !o.usage;
			}
			if (met && !o.usage)
				continue;
			r->failed++;
			if (!r->first_failure[0]) {
				cmd_expect_format(&e, want, sizeof want);
				snprintf(r->first_failure, sizeof r->first_failure, "%s:%u: %s: expected %s, got %s",
					 l->path, it->line, it->text, want, got);
			}
		}
	}
	session_set_context(s, NULL);
	return r->failed ? -1 : 0;
}

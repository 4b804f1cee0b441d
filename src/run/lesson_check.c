/*
 * lesson_check: --list-lessons and --check-lessons, the lesson front ends
 * without a screen.  Like batch.c, they print to the streams they are
 * given; the lessons play through the stepper, as in the screen, and the
 * transcript of each is kept in a string sink pushed on the runner.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/lesson.h"
#include "run/lesson_check.h"
#include "run/lint.h"
#include "run/stepper.h"
#include "util/i18n.h"

static const char *const langs[] = { "en", "zh_CN", NULL };

int lessons_list(FILE *out, FILE *errout, const char *lang)
{
	char dir[512], err[1024];
	char **paths;

	if (lesson_dir(dir, sizeof dir) < 0) {
		fprintf(errout, _("sockplay: no lessons found (set SOCKPLAY_LESSONS to their directory)\n"));
		return 2;
	}
	paths = lesson_paths(dir, lang);
	if (paths == NULL) {
		fprintf(errout, _("sockplay: no lessons in %s/%s\n"), dir, lang);
		return 2;
	}
	for (size_t i = 0; paths[i]; i++) {
		struct lesson l;

		if (lesson_load(paths[i], &l, err, sizeof err) < 0) {
			fprintf(errout, "%s\n", err);
			continue;
		}
		fprintf(out, "%2d  %-12s %s%s\n", l.number, l.name, l.title, l.sandbox ? _("  [sandbox]") : "");
		lesson_free(&l);
	}
	lesson_paths_free(paths);
	return 0;
}

/* Is the file at path one of the lessons asked for (by number or name)? */
static bool wanted(const char *path, char *const *names, int nnames)
{
	char *one[2] = { (char *)path, NULL };

	if (nnames == 0)
		return true;
	for (int i = 0; i < nnames; i++)
		if (!lesson_is_path(names[i]) && lesson_find(one, names[i]))
			return true;
	return false;
}

/* Every name asked for must find a lesson (in some language) or be a file. */
static int names_exist(const char *dir, const char *lang, char *const *names, int nnames,
		       FILE *errout)
{
	int bad = 0;

	for (int i = 0; i < nnames; i++) {
		bool found = lesson_is_path(names[i]);

		for (int li = 0; langs[li] && !found; li++) {
			char **paths;

			if (lang && strcmp(lang, langs[li]) != 0)
				continue;
			paths = lesson_paths(dir, langs[li]);
			found = lesson_find(paths, names[i]) != NULL;
			lesson_paths_free(paths);
		}
		if (!found) {
			fprintf(errout, _("sockplay: no lesson '%s' (sockplay --list-lessons lists them)\n"),
				names[i]);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/*
 * Load (its variables picked by seed), begin and run one lesson file;
 * prints its verdict.  Returns 1 on a failure; *nvars: its variables.
 */
static int check_one(struct runner *run, const char *path, const char *label, const char *lang,
		     const char *seed, struct strsink *ss, FILE *out, FILE *errout, int *nvars)
{
	char err[1024];
	struct lesson l;
	struct stepper st;
	const struct stepper_tally *t = &st.tally;
	struct lint_result lr;
	int failed = 0;

	*nvars = 0;
	if (lesson_load_seed(path, seed, &l, err, sizeof err) < 0) {
		fprintf(out, _("FAIL %s: %s\n"), label, err);
		return 1;
	}
	*nvars = l.nvars;
	strsink_clear(ss);
	runner_forget(run);	/* the calls of the lessons before: none of this one's business */
	if (stepper_open(&st, run, &l, lang, false) < 0) {
		fprintf(out, _("FAIL %s: refused: %s\n"), label, st.error);
		stepper_close(&st);
		lesson_free(&l);
		return 1;
	}
	lint_play(&st, &lr);
	if (t->failed) {
		failed = 1;
		fprintf(out, _("FAIL %s: %u of %u expectations held\n  %s\n"), label,
			t->held, t->expectations, t->first_failure);
		fprintf(errout, _("--- transcript of %s\n%s---\n"), label, ss->buf ? ss->buf : "");
	} else if (lr.spoilers) {
		failed = 1;
		fprintf(out, ngettext("FAIL %s: %u prediction's answer shows before it is asked\n  %s\n",
				      "FAIL %s: %u predictions' answers show before they are asked\n  %s\n",
				      lr.spoilers), label, lr.spoilers, lr.first);
	} else {
		fprintf(out, _("ok   %s: %u expectations held (%s)\n"), label, t->expectations, l.title);
	}
	fflush(out);	/* a verdict a signal cannot take back */
	stepper_close(&st);
	lesson_free(&l);
	return failed;
}

/*
 * One lesson file: with its variables' first values, and when it has
 * variables again under two more seeds (each its own verdict, "(seed N)"),
 * so a pool value that breaks the lesson is found before a class meets it.
 * Adds the runs to *nl; returns the failures.
 */
static unsigned check_seeds(struct runner *run, const char *path, const char *label, const char *lang,
			    struct strsink *ss, FILE *out, FILE *errout, unsigned *nl)
{
	static const char *const seeds[] = { "1", "2" };
	unsigned nfail;
	int nvars;

	++*nl;
	nfail = (unsigned)check_one(run, path, label, lang, NULL, ss, out, errout, &nvars);
	for (size_t i = 0; nvars > 0 && i < sizeof seeds / sizeof *seeds; i++) {
		char seeded[340];
		int unused;

		snprintf(seeded, sizeof seeded, _("%s (seed %s)"), label, seeds[i]);
		++*nl;
		nfail += (unsigned)check_one(run, path, seeded, lang, seeds[i], ss, out, errout, &unused);
	}
	return nfail;
}

int lessons_check(struct runner *run, const char *lang, char *const *names, int nnames,
		  FILE *out, FILE *errout)
{
	char dir[512] = "";
	struct strsink ss = { 0 };
	unsigned nl = 0, nfail = 0;

	if (lesson_dir(dir, sizeof dir) < 0) {
		bool files_only = nnames > 0;

		for (int i = 0; i < nnames; i++)
			files_only &= lesson_is_path(names[i]);
		if (!files_only) {
			fprintf(errout, _("sockplay: no lessons found (set SOCKPLAY_LESSONS to their directory)\n"));
			return 2;
		}
	}
	if (names_exist(dir, lang, names, nnames, errout) < 0)
		return 2;
	if (!run->s->sandboxed && run->s->sandbox_why[0])
		fprintf(out, _("note: no sandbox: %s; lessons run on this machine's own network, reaching only "
			"the sockets they make\n"), run->s->sandbox_why);
	else if (!run->s->sandboxed)
		fprintf(out, _("note: no sandbox: lessons run on this machine's own network, reaching only "
			"the sockets they make; TIME_WAIT from one run may touch the next\n"));
	runner_push_sink(run, strsink_sink(&ss));
	/* a teacher's own lesson, by path */
	for (int i = 0; i < nnames; i++)
		if (lesson_is_path(names[i]))
			nfail += check_seeds(run, names[i], names[i], lesson_lang(lang), &ss, out, errout, &nl);
	for (int li = 0; langs[li] && dir[0]; li++) {
		char **paths;

		if (lang && strcmp(lang, langs[li]) != 0)
			continue;
		paths = lesson_paths(dir, langs[li]);
		for (size_t i = 0; paths && paths[i]; i++) {
			char label[300];

			if (!wanted(paths[i], names, nnames))
				continue;
			snprintf(label, sizeof label, "%s/%s", langs[li], strrchr(paths[i], '/') + 1);
			nfail += check_seeds(run, paths[i], label, langs[li], &ss, out, errout, &nl);
		}
		lesson_paths_free(paths);
	}
	runner_pop_sink(run);
	strsink_free(&ss);
	if (nl == 0) {
		fprintf(errout, _("sockplay: no lesson matched\n"));
		return 2;
	}
	fprintf(out, _("%u passed, %u failed\n"), nl - nfail, nfail);
	return nfail ? 1 : 0;
}

/*
 * lesson_check: --list-lessons and --check-lessons, the lesson front ends
 * without a screen.  Like batch.c, they print to the streams they are
 * given; the lessons themselves run through the engine's sink.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "lesson_check.h"

static const char *const langs[] = { "en", "zh_CN", NULL };

int lessons_list(FILE *out, FILE *errout, const char *lang)
{
	char dir[512], err[1024];
	char **paths;

	if (lesson_dir(dir, sizeof dir) < 0) {
		fprintf(errout, "sockplay: no lessons found (set SOCKPLAY_LESSONS to their directory)\n");
		return 2;
	}
	paths = lesson_paths(dir, lang);
	if (paths == NULL) {
		fprintf(errout, "sockplay: no lessons in %s/%s\n", dir, lang);
		return 2;
	}
	for (size_t i = 0; paths[i]; i++) {
		struct lesson l;

		if (lesson_load(paths[i], &l, err, sizeof err) < 0) {
			fprintf(errout, "%s\n", err);
			continue;
		}
		fprintf(out, "%2d  %-12s %s%s\n", l.number, l.name, l.title, l.sandbox ? "  [sandbox]" : "");
		lesson_free(&l);
	}
	lesson_paths_free(paths);
	return 0;
}

static bool wanted(const struct lesson *l, char *const *names, int nnames)
{
	char num[16];

	if (nnames == 0)
		return true;
	snprintf(num, sizeof num, "%d", l->number);
	for (int i = 0; i < nnames; i++)
		if (strcmp(names[i], l->name) == 0 || strcmp(names[i], num) == 0)
			return true;
	return false;
}

int lessons_check(struct session *s, const char *lang, char *const *names, int nnames,
		  FILE *out, FILE *errout)
{
	char dir[512], err[1024];
	struct sink saved = s->sink;
	struct strsink ss = { 0 };
	unsigned nl = 0, nfail = 0;

	if (lesson_dir(dir, sizeof dir) < 0) {
		fprintf(errout, "sockplay: no lessons found (set SOCKPLAY_LESSONS to their directory)\n");
		return 2;
	}
	if (!s->sandboxed)
		fprintf(out, "note: no sandbox: lessons run on this machine's own network; "
			"TIME_WAIT from one run may touch the next\n");
	s->sink = strsink_sink(&ss);
	for (int li = 0; langs[li]; li++) {
		char **paths;

		if (lang && strcmp(lang, langs[li]) != 0)
			continue;
		paths = lesson_paths(dir, langs[li]);
		for (size_t i = 0; paths && paths[i]; i++) {
			struct lesson l;
			struct lesson_result r;
			const char *base = strrchr(paths[i], '/') + 1;

			if (lesson_load(paths[i], &l, err, sizeof err) < 0) {
				fprintf(out, "FAIL %s/%s: %s\n", langs[li], base, err);
				nl++;
				nfail++;
				continue;
			}
			if (!wanted(&l, names, nnames)) {
				lesson_free(&l);
				continue;
			}
			nl++;
			strsink_clear(&ss);
			if (lesson_begin(s, &l, err, sizeof err) < 0) {
				fprintf(out, "FAIL %s/%s: refused: %s\n", langs[li], base, err);
				nfail++;
				lesson_free(&l);
				continue;
			}
			lesson_run_all(s, &l, &r);
			if (r.failed) {
				nfail++;
				fprintf(out, "FAIL %s/%s: %u of %u expectations held\n  %s\n", langs[li], base,
					r.held, r.expectations, r.first_failure);
				fprintf(errout, "--- transcript of %s/%s\n%s---\n", langs[li], base,
					ss.buf ? ss.buf : "");
			} else {
				fprintf(out, "ok   %s/%s: %u expectations held (%s)\n", langs[li], base,
					r.expectations, l.title);
			}
			lesson_free(&l);
		}
		lesson_paths_free(paths);
	}
	s->sink = saved;
	strsink_free(&ss);
	if (nl == 0) {
		fprintf(errout, "sockplay: no lesson matched\n");
		return 2;
	}
	fprintf(out, "%u passed, %u failed\n", nl - nfail, nfail);
	return nfail ? 1 : 0;
}

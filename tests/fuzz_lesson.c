/*
 * fuzz_lesson: libFuzzer target for the lesson loader.  Each input is
 * written to a scratch file and loaded; the loader must accept or refuse
 * it with FILE:LINE, never crash, leak or read out of bounds.  A lesson it
 * accepts keeps its promises: repeats expanded within the command limit,
 * and every title, question, choice and line printable UTF-8 (nothing a
 * terminal would obey).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/lesson.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void printable(const char *text, bool tab)
{
	size_t bad;

	if (text && !utf8_text(text, strlen(text), tab, &bad)) {
		fprintf(stderr, "a loaded lesson carries byte 0x%02x\n", (unsigned char)text[bad]);
		abort();
	}
}

/* What a loaded lesson promises: every text printable, the commands within the limit. */
static void check(const struct lesson *l)
{
	size_t cmds = 0;

	printable(l->title, true);
	printable(l->summary, true);
	for (size_t s = 0; s < l->nsteps; s++) {
		printable(l->steps[s].title, true);
		for (size_t i = 0; i < l->steps[s].n; i++) {
			const struct litem *it = &l->steps[s].items[i];

			printable(it->text, true);
			printable(it->question, true);
			for (int c = 0; c < it->nchoices; c++)
				printable(litem_choice_text(it, c), true);
			cmds += it->kind == LI_CMD;
		}
	}
	if (cmds > 10000)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct lesson l;
	char err[1024];
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fuzz-lesson-%ld.lesson", (long)getpid());
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	if (lesson_load(path, &l, err, sizeof err) == 0) {
		check(&l);
		lesson_free(&l);
	} else if (strncmp(err, path, strlen(path)) != 0) {
		abort();	/* every refusal names the file */
	}
	return 0;
}

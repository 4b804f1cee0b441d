/*
 * fuzz_lesson: libFuzzer target for the lesson loader.  Each input is
 * written to a scratch file and loaded; the loader must accept or refuse
 * it with FILE:LINE, never crash, leak or read out of bounds.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	if (lesson_load(path, &l, err, sizeof err) == 0)
		lesson_free(&l);
	else if (strncmp(err, path, strlen(path)) != 0)
		abort();	/* every refusal names the file */
	return 0;
}

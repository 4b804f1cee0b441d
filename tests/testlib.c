/*
 * testlib: isolation, test sessions and the runner.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/sandbox.h"
#include "testlib.h"

char tlast_cmd[CMD_LINEMAX];
static int isolated = -1;

int test_isolate(void)
{
	char err[256];

	if (isolated >= 0)
		return isolated;
	isolated = sandbox_enter(err, sizeof err) == 0;
	if (!isolated && getenv("SOCKPLAY_NO_SKIP")) {
		/* where the sandbox is known to exist (CI), running without it hides a bug */
		fprintf(stderr, "FAIL: no private network namespace (%s), and SOCKPLAY_NO_SKIP is set\n", err);
		exit(1);
	}
	if (!isolated)
		fprintf(stderr, "note: no private network namespace (%s); "
			"running on the host's loopback with ports offset by pid\n", err);
	return isolated;
}

int tport(int n)
{
	if (isolated == 1)
		return 8000 + n;
	return 20000 + (int)(getpid() % 400) * 50 + n;
}

void tsess_init(struct tsess *t)
{
	memset(t, 0, sizeof *t);
	session_init(&t->s, EV_DEFAULT);
	runner_init(&t->run, &t->s);
	runner_push_sink(&t->run, strsink_sink(&t->out));
	t->s.sandboxed = isolated == 1;
	t->s.connect_timeout = 2.0;
}

void tsess_free(struct tsess *t)
{
	runner_free(&t->run);
	session_free(&t->s);
	strsink_free(&t->out);
}

struct outcome trun(struct tsess *t, const char *fmt, ...)
{
	struct outcome o;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tlast_cmd, CMD_LINEMAX, fmt, ap);
	va_end(ap);
	/* keep the command in the transcript, as a reader of a failure wants it */
	sink_printf(&t->s.sink, SINK_INFO, "> %s", tlast_cmd);
	runner_run(&t->run, tlast_cmd, &o);
	return o;
}

int trun_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed;
}

/*
 * testlib: what the Check suites share.  A test session runs command lines
 * through the same runner as the program and keeps the transcript in a
 * string, so a test asserts what a user would read.
 */
#ifndef SOCKPLAY_TESTLIB_H
#define SOCKPLAY_TESTLIB_H

#include <check.h>

#include "kernel/session.h"
#include "lang/cmd.h"
#include "run/runner.h"
#include "util/sink.h"

/*
 * Move the test process into a private network namespace (the sandbox), so
 * TIME_WAIT left by one run cannot break the next.  Without it (no root, no
 * user namespaces) tests still run, on ports offset by the pid.  Call once
 * in main, before srunner_run_all.  Returns 1 when isolated.
 */
int test_isolate(void);

/* A port for this test run: base + n. */
int tport(int n);

struct tsess {
	struct session s;
	struct runner run;	/* the one path every line takes; out is pushed on it */
	struct strsink out;
};

void tsess_init(struct tsess *t);
void tsess_free(struct tsess *t);

/* Run one formatted line; returns the outcome.  The transcript is in t->out. */
struct outcome trun(struct tsess *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Run and assert the call succeeded / failed with err. */
#define RUN_OK(t, ...) do { struct outcome o_ = trun((t), __VA_ARGS__); \
	ck_assert_msg(!o_.usage && o_.err == 0, "expected ok: %s\ntranscript:\n%s", \
		      tlast_cmd, (t)->out.buf ? (t)->out.buf : ""); } while (0)
#define RUN_ERR(t, e, ...) do { struct outcome o_ = trun((t), __VA_ARGS__); \
	ck_assert_msg(!o_.usage && o_.err == (e), "expected %s: %s\ntranscript:\n%s", #e, \
		      tlast_cmd, (t)->out.buf ? (t)->out.buf : ""); } while (0)
#define RUN_COUNT(t, n, ...) do { struct outcome o_ = trun((t), __VA_ARGS__); \
	ck_assert_msg(!o_.usage && o_.err == 0 && o_.ret == (n), \
		      "expected count %d, got %ld: %s\ntranscript:\n%s", (int)(n), o_.ret, \
		      tlast_cmd, (t)->out.buf ? (t)->out.buf : ""); } while (0)
/* The transcript so far contains text. */
#define SAYS(t, text) ck_assert_msg((t)->out.buf && strstr((t)->out.buf, (text)), \
	"transcript lacks \"%s\":\n%s", (text), (t)->out.buf ? (t)->out.buf : "")

/* The transcript so far does not contain text. */
#define NEVER_SAYS(t, text) ck_assert_msg(!(t)->out.buf || !strstr((t)->out.buf, (text)), \
	"transcript says \"%s\" but must not:\n%s", (text), (t)->out.buf)

extern char tlast_cmd[];

/* Run a suite with Check's runner; returns the number of failures. */
int trun_suite(Suite *s);

#endif

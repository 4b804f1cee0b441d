/*
 * check_stepper: the lesson player without a terminal.  Every lesson of
 * both languages is played through the stepper answering every prediction
 * right and then wrong, and each verdict is checked against what the
 * kernel did; skipping forward, going back, a repeat block, a command that
 * does not do what the lesson says, and the score of a run of the lesson
 * are checked on real sockets in the test's own namespace.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/lesson.h"
#include "run/stepper.h"
#include "util/errname.h"
#include "testlib.h"

static struct tsess T;
static char scratch[256];

static void setup(void)
{
	tsess_init(&T);
	session_wire_want(&T.s);	/* lesson 11 reads the packets, as the program's session does */
}

static void teardown(void)
{
	tsess_free(&T);
}

static void load(const char *path, struct lesson *l)
{
	char err[1024];

	ck_assert_msg(lesson_load(path, l, err, sizeof err) == 0, "%s", err);
}

/* A lesson from text, written to a scratch file (its ports offset for this run). */
static void load_text(const char *text, struct lesson *l)
{
	FILE *f;

	snprintf(scratch, sizeof scratch, "/tmp/check_stepper.%ld.lesson", (long)getpid());
	f = fopen(scratch, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	load(scratch, l);
	unlink(scratch);
}

/* The choice (1-based) a prediction's judged command expects: the right answer. */
static int right_choice(const struct lstep *sp, size_t i)
{
	const struct litem *it = &sp->items[i];
	struct cmd_line cl;
	char err[256], want[32];

	ck_assert_int_eq(cmd_parse(litem_judged(sp, i)->text, &cl, err, sizeof err), 0);
	cmd_expect_format(&cl.expect, want, sizeof want);
	for (int c = 0; c < it->nchoices; c++)
		if (strcmp(it->choices[c], want) == 0 ||
		    (cl.expect.kind == EXPECT_ERRNO && errname_value(it->choices[c]) == cl.expect.value))
			return c + 1;
	ck_abort_msg("%s: no choice is the expectation %s", it->text, want);
	return 0;
}


/*
 * Play the lesson to its end as a class would: Enter, a number at each
 * prediction (the right one, or another), ] at a step's end.  Every
 * verdict is checked.  Returns the predictions asked.
 */
static unsigned play(struct stepper *st, bool right)
{
	unsigned asked = 0;
	int guard = 0;

	while (!st->finished && guard++ < 10000) {
		if (stepper_asking(st)) {
			const struct lstep *sp = stepper_cur(st);
			const struct litem *it = &sp->items[stepper_next_cmd(st)];
			int good = right_choice(sp, stepper_next_cmd(st)), pick = right ? good : good % it->nchoices + 1;

			ck_assert(!stepper_next(st));	/* nothing runs before the answer */
			ck_assert(stepper_answer(st, pick));
			ck_assert_msg(st->have_verdict, "%s: no verdict", it->text);
			ck_assert_msg(st->verdict.right == right, "%s:%u: answered %s (%s), judged %s (kernel: %s)",
				      st->les->path, it->line, it->choices[pick - 1], right ? "right" : "wrong",
				      st->verdict.right ? "right" : "wrong", st->verdict.got);
			ck_assert_str_eq(st->verdict.said, litem_choice_text(it, pick - 1));
			/* the kernel did what the lesson expects: its outcome in the right choice's words */
			ck_assert_msg(strcmp(st->verdict.got, litem_choice_text(it, good - 1)) == 0,
				      "%s:%u: the kernel's outcome said as \"%s\", not \"%s\"", st->les->path,
				      it->qline, st->verdict.got, litem_choice_text(it, good - 1));
			asked++;
		} else if (stepper_step_done(st)) {
			ck_assert_int_ge(stepper_step(st, 1), 0);
		} else {
			ck_assert(stepper_next(st));
		}
	}
	ck_assert_msg(st->finished, "%s never ended", st->les->path);
	ck_assert_msg(st->tally.failed == 0, "%s", st->tally.first_failure);
	return asked;
}

static unsigned count_predictions(const struct lesson *l)
{
	unsigned n = 0;

	for (size_t s = 0; s < l->nsteps; s++)
		for (size_t i = 0; i < l->steps[s].n; i++)
			n += l->steps[s].items[i].question != NULL;
	return n;
}

/* Every lesson of both languages, every prediction answered right, then wrong. */
START_TEST(every_prediction_judged)
{
	static const char *const langs[] = { "en", "zh_CN" };
	const char *dir = getenv("SOCKPLAY_LESSONS");
	unsigned lessons = 0;

	ck_assert_msg(dir != NULL, "SOCKPLAY_LESSONS is not set");
	for (int li = 0; li < 2; li++) {
		char **paths = lesson_paths(dir, langs[li]);

		ck_assert_ptr_nonnull(paths);
		for (size_t i = 0; paths[i]; i++)
			for (int right = 1; right >= 0; right--) {
				struct lesson l;
				struct stepper st;
				unsigned want, asked;

				load(paths[i], &l);
				if (l.sandbox && !T.s.sandboxed) {
					lesson_free(&l);
					continue;
				}
				want = count_predictions(&l);
				ck_assert_msg(stepper_open(&st, &T.run, &l, langs[li], false) == 0, "%s", st.error);
				asked = play(&st, right);
				ck_assert_uint_eq(asked, want);
				ck_assert_uint_eq(st.asked, want);
				ck_assert_uint_eq(st.right, right ? want : 0);
				stepper_close(&st);
				lesson_free(&l);
				lessons++;
			}
		lesson_paths_free(paths);
	}
	ck_assert_uint_ge(lessons, 40);
}
END_TEST

/* A right answer is right every time (an answer's every field is set before it is judged). */
START_TEST(right_answer_every_time)
{
	char text[600];
	struct lesson l;
	struct stepper st;

	snprintf(text, sizeof text, "title: t\nstep: s\n$ tcp a\n"
		 "predict: Does the bind pass? | EADDRINUSE | ok\n$ bind a 127.0.0.1:%d => ok\n", tport(11));
	load_text(text, &l);
	for (int run = 0; run < 25; run++) {
		ck_assert_int_eq(stepper_open(&st, &T.run, &l, "en", false), 0);
		ck_assert(stepper_next(&st));
		ck_assert(stepper_asking(&st));
		ck_assert(stepper_answer(&st, 2));
		ck_assert_msg(st.verdict.right, "run %d: ok judged wrong (kernel said %s)", run, st.verdict.got);
		ck_assert_str_eq(st.verdict.got, "ok");
		ck_assert(st.finished);
		ck_assert_uint_eq(st.asked, 1);
		ck_assert_uint_eq(st.right, 1);
		stepper_close(&st);
	}
	lesson_free(&l);
}
END_TEST

/* The score is of this run of the lesson: a restart clears it. */
START_TEST(restart_clears_score)
{
	char text[600];
	struct lesson l;
	struct stepper st;

	snprintf(text, sizeof text, "title: t\nstep: s\n$ udp u\n"
		 "predict: Bind? | ok | EADDRINUSE\n$ bind u 127.0.0.1:%d => ok\n", tport(12));
	load_text(text, &l);
	ck_assert_int_eq(stepper_open(&st, &T.run, &l, "en", false), 0);
	stepper_next(&st);
	ck_assert(stepper_answer(&st, 1));
	ck_assert(st.finished);
	ck_assert_uint_eq(st.asked, 1);
	ck_assert_int_eq(stepper_restart(&st), 0);
	ck_assert(!st.finished);
	ck_assert_uint_eq(st.asked, 0);
	ck_assert_uint_eq(st.right, 0);
	stepper_next(&st);
	ck_assert(stepper_answer(&st, 2));	/* wrong this time */
	ck_assert_uint_eq(st.asked, 1);
	ck_assert_uint_eq(st.right, 0);
	stepper_close(&st);
	lesson_free(&l);
}
END_TEST

/* A prediction waits: nothing runs, a choice out of range is refused. */
START_TEST(prediction_waits)
{
	char text[600];
	struct lesson l;
	struct stepper st;
	unsigned before;

	snprintf(text, sizeof text, "title: t\nstep: s\nprose\n"
		 "predict: Q | ok | EADDRINUSE | EACCES\n$ tcp a => ok\n$ tcp b\n");
	load_text(text, &l);
	ck_assert_int_eq(stepper_open(&st, &T.run, &l, "en", false), 0);
	ck_assert(stepper_asking(&st));
	ck_assert_int_eq(stepper_nchoices(&st), 3);
	before = st.tally.commands;
	ck_assert(!stepper_next(&st));
	ck_assert(!stepper_answer(&st, 0));
	ck_assert(!stepper_answer(&st, 4));
	ck_assert_uint_eq(st.tally.commands, before);
	ck_assert_ptr_null(socktab_find(&T.s.socks, "a"));
	ck_assert(stepper_answer(&st, 1));
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "a"));
	ck_assert(!stepper_asking(&st));
	stepper_close(&st);
	lesson_free(&l);
}
END_TEST

/* A command that does not do what the lesson says is marked, with both outcomes, never ticked. */
START_TEST(mismatch_marked)
{
	char text[600];
	struct lesson l;
	struct stepper st;
	const struct lmark *m;

	snprintf(text, sizeof text, "title: t\nstep: s\n$ tcp a\n$ bind a 127.0.0.1:%d\n$ listen a\n"
		 "$ tcp b\n$ bind b 127.0.0.1:%d => ok\nthe lesson's claim\n", tport(13), tport(13));
	load_text(text, &l);
	ck_assert_int_eq(stepper_open(&st, &T.run, &l, "en", false), 0);
	stepper_rest(&st);
	ck_assert(stepper_step_done(&st));
	m = &st.marks[4];
	ck_assert_int_eq(m->state, LM_MISMATCH);
	ck_assert_str_eq(m->want, "ok");
	ck_assert_str_eq(m->got, "EADDRINUSE");
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(st.marks[i].state, LM_MET);
	ck_assert_uint_eq(st.tally.failed, 1);
	ck_assert_msg(strstr(st.tally.first_failure, ":7: bind b") != NULL, "%s", st.tally.first_failure);
	stepper_close(&st);
	lesson_free(&l);
}
END_TEST

/* A repeat's commands run as one: one next, every socket. */
START_TEST(repeat_runs_as_one)
{
	struct lesson l;
	struct stepper st;

	load_text("title: t\nstep: s\nrepeat: 5\n$ tcp c{n}\nend\n$ tcp last\n", &l);
	ck_assert_int_eq(stepper_open(&st, &T.run, &l, "en", false), 0);
	ck_assert(stepper_next(&st));
	for (int i = 1; i <= 5; i++) {
		char name[8];

		snprintf(name, sizeof name, "c%d", i);
		ck_assert_ptr_nonnull(socktab_find(&T.s.socks, name));
	}
	ck_assert_ptr_null(socktab_find(&T.s.socks, "last"));
	ck_assert(stepper_next(&st));
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "last"));
	ck_assert(stepper_step_done(&st));
	stepper_close(&st);
	lesson_free(&l);
}
END_TEST

static const char steps3[] =
	"title: t\n"
	"step: one\n$ tcp srv\n$ bind srv 127.0.0.1:%d\n$ listen srv\n"
	"step: two\n$ tcp cli\n$ connect cli 127.0.0.1:%d => ok\n$ accept srv conn => ok\n"
	"step: three\n$ close conn\n$ tcp late\n";

/* Forward runs what was skipped; back rebuilds the table from a clean one. */
START_TEST(skip_and_back)
{
	char text[800];
	struct lesson l;
	struct stepper st;
	const struct sock *conn;

	snprintf(text, sizeof text, steps3, tport(14), tport(14));
	load_text(text, &l);
	ck_assert_int_eq(stepper_open(&st, &T.run, &l, "en", false), 0);
	ck_assert_int_eq(stepper_step(&st, 1), 3);	/* step one's three commands */
	ck_assert_int_eq(stepper_step(&st, 1), 3);	/* step two's */
	ck_assert_uint_eq(st.step, 2);
	ck_assert_int_eq(stepper_step(&st, 1), -1);	/* no step four */
	conn = socktab_find(&T.s.socks, "conn");
	ck_assert_msg(conn != NULL, "the skipped accept did not run");
	stepper_rest(&st);
	ck_assert(st.finished);
	ck_assert_ptr_null(socktab_find(&T.s.socks, "conn"));	/* closed */
	/* back to step two: a clean table, step one run again, nothing of two or three */
	ck_assert_int_eq(stepper_step(&st, -1), 3);
	ck_assert_uint_eq(st.step, 1);
	ck_assert(!st.finished);
	ck_assert_ptr_nonnull(socktab_find(&T.s.socks, "srv"));
	ck_assert_ptr_null(socktab_find(&T.s.socks, "cli"));
	ck_assert_ptr_null(socktab_find(&T.s.socks, "late"));
	ck_assert_uint_eq(st.tally.failed, 0);
	stepper_close(&st);
	lesson_free(&l);
}
END_TEST

/* A command that did not do what the lesson says is marked so, never ticked, and counted. */
START_TEST(a_mismatch_is_never_ticked)
{
	char text[400];
	struct lesson l;
	struct stepper st;

	snprintf(text, sizeof text, "title: t\nstep: s\n$ tcp a\n$ bind a 127.0.0.1:%d => EADDRINUSE\n"
		 "$ tcp b\n$ bind b 127.0.0.1:%d => ok\nstep: end\n$ tcp z\n", tport(16), tport(17));
	load_text(text, &l);
	ck_assert_int_eq(stepper_open(&st, &T.run, &l, "en", false), 0);
	/* the marks are the step's: read them before it moves on */
	for (int i = 0; i < 4; i++)
		ck_assert(stepper_next(&st));
	ck_assert_uint_eq(st.tally.expectations, 2);
	ck_assert_uint_eq(st.tally.held, 1);
	ck_assert_int_eq(st.marks[1].state, LM_MISMATCH);
	ck_assert_str_eq(st.marks[1].want, "EADDRINUSE");
	ck_assert_int_eq(st.marks[3].state, LM_MET);
	stepper_close(&st);
	lesson_free(&l);
}
END_TEST

/* --check-lessons' walk: every command, unasked, the tally of what held. */
START_TEST(run_all_tallies)
{
	char text[800];
	struct lesson l;
	struct stepper st;

	snprintf(text, sizeof text, steps3, tport(15), tport(15));
	load_text(text, &l);
	ck_assert_int_eq(stepper_open(&st, &T.run, &l, "en", false), 0);
	ck_assert_int_eq(stepper_run_all(&st), 0);
	ck_assert(st.finished);
	ck_assert_uint_eq(st.tally.commands, 8);
	ck_assert_uint_eq(st.tally.expectations, 2);
	ck_assert_uint_eq(st.tally.held, 2);
	stepper_close(&st);
	lesson_free(&l);
}
END_TEST

static Suite *stepper_suite(void)
{
	Suite *s = suite_create("stepper");
	TCase *tc = tcase_create("judge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_mismatch_is_never_ticked);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, right_answer_every_time);
	tcase_add_test(tc, restart_clears_score);
	tcase_add_test(tc, prediction_waits);
	suite_add_tcase(s, tc);
	tc = tcase_create("walk");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, mismatch_marked);
	tcase_add_test(tc, repeat_runs_as_one);
	tcase_add_test(tc, skip_and_back);
	tcase_add_test(tc, run_all_tallies);
	suite_add_tcase(s, tc);
	tc = tcase_create("lessons");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, every_prediction_judged);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	test_isolate();
	return trun_suite(stepper_suite()) ? 1 : 0;
}

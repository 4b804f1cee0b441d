/*
 * ui_class: the class session on the screen (run/class.h does the talking).
 * The teacher's screen tells the room where the lesson is (the lesson
 * pane's place, after every command), opens the votes, shows who answered
 * and the spread (never sent to a seat), and reveals; a student's screen
 * follows the teacher's place, sends its answer, and on the reveal runs the
 * command on its own kernel.  What a seat hears waits in a queue and is
 * acted on only between commands (the pump), never inside one.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/class.h"
#include "ui/ui_int.h"
#include "util/i18n.h"

struct class_ui {
	struct ui *ui;
	struct class_room *room;	/* teaching, or NULL */
	struct class_join *join;	/* following, or NULL */
	const char *results;		/* where the teacher's results go at the end, or NULL */
	const char *lang;
	bool show_votes;
	ev_timer pump;
	long ask_q;		/* following: the prediction the vote is open on, or -1 */
	int ask_round;
	int mine[2];		/* following: this seat's answer in each round of ask_q (0: none) */
	bool ended;
};

bool class_teaching(struct ui *ui)
{
	return ui->cls && ui->cls->room;
}

bool class_following(struct ui *ui)
{
	/* once the class is over (or lost), the lesson is the student's own */
	return ui->cls && ui->cls->join && !ui->cls->ended;
}

static void room_changed(void *ctx)
{
	((struct ui *)ctx)->dirty = true;
}

/* Nothing runs now (no command under way): a seat may act on what it heard. */
static bool idle(struct ui *ui)
{
	return ev_is_active(&ui->input) && !ui->quit;
}

static void heard(struct ui *ui, struct class_ui *cu, const struct class_event *ev)
{
	switch (ev->kind) {
	case CE_AT:
		lesson_class_follow(ui, (size_t)ev->a, (size_t)ev->b);
		break;
	case CE_ASK:
		if (ev->a != cu->ask_q)
			cu->mine[0] = cu->mine[1] = 0;
		cu->ask_q = ev->a;
		cu->ask_round = (int)ev->b;
		if (ev->b == 2)
			ui_message(ui, "%s", _("Round 2: the teacher asks again; answer again (it may change)"));
		break;
	case CE_YOURS:
		if (ev->a == cu->ask_q)
			cu->mine[ev->b - 1] = (int)ev->c;
		break;
	case CE_REVEAL:
		if (ev->a == cu->ask_q) {
			int choice = cu->mine[1] ? cu->mine[1] : cu->mine[0];

			cu->ask_q = -1;
			lesson_class_reveal(ui, choice, NULL);
		}
		break;
	case CE_END:
		cu->ended = true;
		ui_log(ui, R_HEADER, _("The teacher ended the class. The lesson stays open: explore on your own."));
		break;
	case CE_LOST:
		if (!cu->ended) {
			char line[400];

			snprintf(line, sizeof line, _("The class connection is lost (%s). Run the same sockplay --join "
				 "again: your seat and your answers are kept."), cu->join->why);
			ui_log(ui, R_ERROR, line);
		}
		cu->ended = true;
		break;
	}
}

static void pump_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct class_ui *cu = w->data;
	struct class_event ev;

	(void)revents;
	if (!idle(cu->ui)) {
		ev_timer_set(w, 0.05, 0.);	/* a command runs: after it */
		ev_timer_start(loop, w);
		return;
	}
	while (idle(cu->ui) && class_join_next(cu->join, &ev))
		heard(cu->ui, cu, &ev);
	if (cu->join->nq) {
		ev_timer_set(w, 0.05, 0.);
		ev_timer_start(loop, w);
	}
	cu->ui->dirty = true;
}

static void join_notify(void *ctx)
{
	struct class_ui *cu = ctx;

	if (!ev_is_active(&cu->pump)) {
		ev_timer_set(&cu->pump, 0., 0.);
		ev_timer_start(cu->ui->loop, &cu->pump);
	}
}

int class_ui_start(struct ui *ui, struct class_room *room, struct class_join *join, const char *results,
		   const struct lesson *l, const char *lang)
{
	struct class_ui *cu;

	if (!room && !join)
		return 0;
	cu = calloc(1, sizeof *cu);
	if (cu == NULL)
		return -1;
	cu->ui = ui;
	cu->room = room;
	cu->join = join;
	cu->results = results;
	cu->lang = lang;
	cu->show_votes = true;
	cu->ask_q = -1;
	ev_timer_init(&cu->pump, pump_cb, 0., 0.);
	cu->pump.data = cu;
	ui->cls = cu;
	if (room && class_room_start(room, ui->loop, l, room_changed, ui) < 0) {
		ui->cls = NULL;
		free(cu);
		return -1;
	}
	if (join) {
		char line[300];

		class_join_start(join, ui->loop, join_notify, cu);
		snprintf(line, sizeof line, _("Joined the class as %1$s (seat %2$u): your screen follows the teacher's; "
			 "answer with the number keys, and your own kernel runs each command on the reveal."),
			 join->name, join->seat);
		ui_log(ui, R_HEADER, line);
		join_notify(cu);
	}
	return 0;
}

/* The end of the screen: the teacher's results written (said on stderr after the screen: err), seats told. */
void class_ui_stop(struct ui *ui, char *err, size_t errlen)
{
	struct class_ui *cu = ui->cls;

	err[0] = '\0';
	if (cu == NULL)
		return;
	ev_timer_stop(ui->loop, &cu->pump);
	if (cu->room && cu->results && class_room_save(cu->room, cu->results, cu->lang, err, errlen) == 0)
		snprintf(err, errlen, _("the class's answers are in %s"), cu->results);
	if (cu->room)
		class_room_close(cu->room);
	if (cu->join)
		class_join_close(cu->join);
	free(cu);
	ui->cls = NULL;
}

void class_ui_sync(struct ui *ui)
{
	size_t step, item;
	bool asking;

	if (!class_teaching(ui) || !idle(ui) || !lesson_place(ui, &step, &item, &asking))
		return;
	class_room_at(ui->cls->room, step, item, asking);
}

void class_ui_drawn(struct ui *ui)
{
	if (class_teaching(ui) && ui->cls->room->trace)
		class_room_drawn(ui->cls->room);
}

bool class_ui_answer(struct ui *ui, long q, int choice)
{
	struct class_ui *cu = ui->cls;

	if (cu->ended) {
		ui_message(ui, "%s", _("the class has ended: this answer went nowhere"));
		return false;
	}
	if (q != cu->ask_q || cu->ask_round < 1) {
		ui_message(ui, "%s", _("wait: the teacher has not opened the vote on this one"));
		return false;
	}
	if (class_join_answer(cu->join, q, cu->ask_round, choice) < 0) {
		ui_message(ui, "%s", _("the class connection is gone: run the same sockplay --join again"));
		return false;
	}
	cu->mine[cu->ask_round - 1] = choice;
	ui->dirty = true;
	return true;
}

/* "Not yet: bob, cy": the seats here that have not answered this round (names are checked: printable, no blank). */
static void waiting_for(const struct class_room *cr, const struct class_pred *p,
			void (*put)(void *, const char *, int), void *rw)
{
	char line[400];
	size_t n = 0, left = 0;

	n = (size_t)snprintf(line, sizeof line, "%s", _("Not yet:"));
	for (size_t i = 0; i < cr->nseats; i++) {
		const struct class_seat *s = &cr->seats[i];

		if (!s->here || s->ans[2 * cr->cur + p->round - 1])
			continue;
		if (n + strlen(s->name) + 24 < sizeof line)
			n += (size_t)snprintf(line + n, sizeof line - n, " %s", s->name);
		else
			left++;
	}
	if (n == strlen(_("Not yet:")))
		return;	/* everyone here answered */
	if (left)
		snprintf(line + n, sizeof line - n, _(" and %zu more"), left);
	put(rw, line, R_DIM);
}

/* The teacher's lines: how to join, who is here, the votes (or that they are hidden), the rounds' scores. */
static void teacher_box(struct class_ui *cu, void (*put)(void *, const char *, int), void *rw)
{
	struct class_room *cr = cu->room;
	char line[400];
	size_t step, item;
	bool asking;

	snprintf(line, sizeof line, _("Class: sockplay --join %1$s --code %2$s   %3$zu here, %4$zu seats, %5$lu refused"),
		 cr->where, cr->code, class_room_here(cr), cr->nseats, cr->refused);
	put(rw, line, R_HEADER);
	if (cr->cur < 0)
		return;
	const struct class_pred *p = &cr->preds[cr->cur];

	if (!p->revealed && lesson_asking(cu->ui)) {
		snprintf(line, sizeof line, _("Round %1$d: %2$zu of %3$zu answered.  %4$s  r: reveal   H: %5$s"),
			 p->round, class_room_answered(cr), class_room_here(cr),
			 p->round == 1 ? _("V: vote again") : "", cu->show_votes ? _("hide the votes") : _("show the votes"));
		put(rw, line, R_WHY);
		waiting_for(cr, p, put, rw);
		if (!cu->show_votes)
			return;
		for (int c = 0; c < p->it->nchoices && c < 9; c++) {
			unsigned n = p->counts[p->round - 1][c + 1];
			char bar[64];

			memset(bar, '#', n < sizeof bar - 1 ? n : sizeof bar - 1);
			bar[n < sizeof bar - 1 ? n : sizeof bar - 1] = '\0';
			snprintf(line, sizeof line, "  %d) %-24.60s %3u %s", c + 1, litem_choice_text(p->it, c), n, bar);
			put(rw, line, R_NORMAL);
		}
		return;
	}
	if (p->revealed && lesson_place(cu->ui, &step, &item, &asking) && step == p->step) {
		size_t r1, g1, r2, g2;

		class_room_right(cr, (size_t)cr->cur, 1, &r1, &g1);
		class_room_right(cr, (size_t)cr->cur, 2, &r2, &g2);
		if (p->round == 2)
			snprintf(line, sizeof line, _("The class: round 1, %1$zu of %2$zu right; round 2, %3$zu of %4$zu right."),
				 r1, g1, r2, g2);
		else
			snprintf(line, sizeof line, _("The class: %1$zu of %2$zu right."), r1, g1);
		put(rw, line, R_OWN);
	}
}

/* A student's lines: the seat, and its answer in the vote open (the class's spread is never here). */
static void seat_box(struct class_ui *cu, void (*put)(void *, const char *, int), void *rw)
{
	char line[400];
	size_t step, item;
	bool asking;

	if (cu->ended) {
		put(rw, _("Class: ended; the lesson is yours to explore (Enter, ], [ and R drive it)."), R_DIM);
		return;
	}
	snprintf(line, sizeof line, _("Class: seat %1$u (%2$s), following the teacher"), cu->join->seat, cu->join->name);
	put(rw, line, R_HEADER);
	if (!lesson_place(cu->ui, &step, &item, &asking) || !asking)
		return;
	if (class_pred_at(lesson_open_lesson(cu->ui), step, item) != cu->ask_q) {
		put(rw, _("Wait for the teacher to open the vote."), R_DIM);
		return;
	}
	if (cu->mine[cu->ask_round - 1])
		snprintf(line, sizeof line, _("Round %1$d: your answer is %2$d, sent. You may change it until the teacher "
			 "reveals."), cu->ask_round, cu->mine[cu->ask_round - 1]);
	else
		snprintf(line, sizeof line, _("Round %d: press the number of your answer."), cu->ask_round);
	put(rw, line, R_WHY);
}

void class_box(struct ui *ui, void (*put)(void *, const char *, int), void *rw)
{
	if (class_teaching(ui))
		teacher_box(ui->cls, put, rw);
	else if (ui->cls && ui->cls->join)
		seat_box(ui->cls, put, rw);
}

/* `class again|reveal|votes|save FILE` */
void class_cmd(struct ui *ui, void *data, const char *arg)
{
	struct class_ui *cu = ui->cls;
	char err[600];

	(void)data;
	if (!class_teaching(ui)) {
		ui_message(ui, "%s", _("class: only the teacher's screen (sockplay --teach) leads a class"));
		return;
	}
	if (strcmp(arg, "again") == 0) {
		if (!lesson_asking(ui) || !class_room_again(cu->room))
			ui_message(ui, "%s", _("a second round is for a prediction not yet revealed, once"));
	} else if (strcmp(arg, "reveal") == 0) {
		unsigned mask = 0;

		if (!lesson_asking(ui)) {
			ui_message(ui, "%s", _("no prediction waits: Enter runs the next command"));
			return;
		}
		lesson_class_reveal(ui, class_room_plurality(cu->room), &mask);
		class_room_reveal(cu->room, mask);
	} else if (strcmp(arg, "votes") == 0) {
		cu->show_votes = !cu->show_votes;
	} else if (strncmp(arg, "save ", 5) == 0) {
		if (class_room_save(cu->room, arg + 5, cu->lang, err, sizeof err) < 0)
			ui_message(ui, "%s", err);
		else
			ui_message(ui, _("the class's answers are in %s"), arg + 5);
	} else {
		ui_message(ui, "%s", _("class: again, reveal, votes or save FILE"));
	}
	ui->dirty = true;
}

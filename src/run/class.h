/*
 * class: a class session over plain, versioned text lines.  The teacher's
 * instance (a room) listens on HOST:PORT or a socket path, gives a join
 * code, keeps a seat per student and each seat's answer to each
 * prediction in each round, and tells the seats where the lesson is.  A
 * student's instance (a seat) sends its answers and nothing else; the
 * teacher's runs nothing a seat sends.  The protocol (man sockplay(1),
 * CLASS PROTOCOL), version 1, one line each, words split by one space:
 *
 *   seat -> teacher   HELLO 1 CODE NAME [TOKEN]     join (TOKEN: take back one's seat)
 *                     ANSWER Q ROUND CHOICE         answer prediction Q (1-based) in ROUND (1, 2)
 *   teacher -> seat   WELCOME 1 SEAT TOKEN
 *                     LESSON NAME NSTEPS NPREDICTIONS SEED   (SEED "-": none)
 *                     AT STEP ITEM                  the teacher's place (1-based step, 0-based item)
 *                     ASK Q ROUND                   voting is open
 *                     YOURS Q ROUND CHOICE          what this seat answered (after a rejoin)
 *                     REVEAL Q                      run it: the kernel answers
 *                     END
 *                     REFUSED REASON                and the connection is closed
 *
 * Everything from a client is untrusted: a line is at most CLASS_LINE_MAX
 * bytes, a name printable UTF-8 without blanks, at most CLASS_NAME_MAX
 * bytes; a client that sends garbage, a line too long, a wrong code, more
 * than CLASS_BURST lines at once (then CLASS_RATE a second), or nothing
 * within CLASS_HELLO_SECS is cut off and counted as refused, and nothing
 * else about it reaches the screen.  The room never waits on a seat: what
 * a slow reader cannot take (CLASS_OUT_MAX) cuts it off.
 */
#ifndef SOCKPLAY_CLASS_H
#define SOCKPLAY_CLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <ev.h>

#include "run/lesson.h"

#define CLASS_PROTO 1
#define CLASS_LINE_MAX 256
#define CLASS_NAME_MAX 32
#define CLASS_SEATS_MAX 200
#define CLASS_CONNS_MAX 256
#define CLASS_BURST 20
#define CLASS_RATE 10
#define CLASS_HELLO_SECS 5.0
#define CLASS_OUT_MAX 8192
#define CLASS_DEFAULT_PORT 4801

/* One prediction of the lesson, in the order the lesson asks them. */
struct class_pred {
	size_t step, item;	/* where its command is */
	const struct litem *it;
	int round;		/* 0 not asked yet, 1 or 2: the round open or last open */
	bool revealed;
	unsigned right_mask;	/* after the reveal: bit c set when choice c+1 is right */
	unsigned counts[2][10];	/* answers per round per choice (1..9) */
};

struct class_seat {
	char name[CLASS_NAME_MAX + 1];
	char token[17];
	bool here;		/* a connection holds it now */
	unsigned char *ans;	/* ans[2*q + round-1]: the choice (1..9), 0 none */
};

struct class_conn;

struct class_room {
	struct ev_loop *loop;
	int lfd;
	ev_io lio;
	ev_timer hello_timer;	/* only while a connection has not said HELLO */
	char where[200];	/* what students pass to --join */
	char path[108];		/* a socket path the room made (unlinked at the end), or "" */
	char code[8];
	const struct lesson *les;
	struct class_pred *preds;
	size_t npreds;
	struct class_seat *seats;
	size_t nseats;
	struct class_conn **conns;
	size_t nconns;
	unsigned long refused;
	long cur;		/* the prediction asked (or last asked), or -1 */
	size_t at_step, at_item;
	bool at_known;
	bool ended;
	void (*changed)(void *ctx);	/* something for the screen: a seat, an answer, a refusal */
	void *ctx;
	FILE *trace;		/* SOCKPLAY_CLASS_TRACE: arrival times of answers (make bench) */
	double pending_arrival[CLASS_CONNS_MAX];	/* answers arrived and not yet on screen */
	size_t npending;
};

/* Listen at where (HOST:PORT, [V6]:PORT, or a path with a '/'); a fresh code.  0, or -1 with err. */
int class_room_open(struct class_room *cr, const char *where, char *err, size_t errlen);
/* Serve on loop for lesson l (its predictions listed); changed(ctx) on news. */
int class_room_start(struct class_room *cr, struct ev_loop *loop, const struct lesson *l, void (*changed)(void *),
		     void *ctx);
void class_room_close(struct class_room *cr);

/* How many predictions l asks (the seat checks its copy by it). */
size_t class_pred_count(const struct lesson *l);
/* The prediction at (step, item) of l, or -1. */
long class_pred_at(const struct lesson *l, size_t step, size_t item);

/* The teacher's place: told to every seat when it moved; a prediction asked there opens round 1. */
void class_room_at(struct class_room *cr, size_t step, size_t item, bool asking);
/* Round 2 of the prediction asked (false when none is open, or it had its second round). */
bool class_room_again(struct class_room *cr);
/* The choice most answered in the current round (1-based; the lowest of a tie), or 0 when none answered. */
int class_room_plurality(const struct class_room *cr);
/* The prediction asked was run: right_mask says which choices were right. */
void class_room_reveal(struct class_room *cr, unsigned right_mask);
/* Seats here now; seats that answered the current round. */
size_t class_room_here(const struct class_room *cr);
size_t class_room_answered(const struct class_room *cr);
/* Right answers of prediction q in round (1, 2), and answers given. */
void class_room_right(const struct class_room *cr, size_t q, int round, size_t *right, size_t *given);
/* The screen showed everything that arrived: the trace gets the delays. */
void class_room_drawn(struct class_room *cr);
/* Write the class's answers (per seat and prediction) to path: .csv or JSON.  0, or -1 with err. */
int class_room_save(const struct class_room *cr, const char *path, const char *lang, char *err, size_t errlen);

/* What a seat hears, queued for the front end (never acted on inside a command). */
enum class_ev { CE_AT, CE_ASK, CE_YOURS, CE_REVEAL, CE_END, CE_LOST };
struct class_event {
	enum class_ev kind;
	long a, b, c;
};

struct class_join {
	struct ev_loop *loop;
	int fd;
	ev_io io;
	char buf[CLASS_LINE_MAX * 2];
	size_t n;
	char lesson[64], seed[64];
	size_t nsteps, npreds;
	unsigned seat;
	char name[CLASS_NAME_MAX + 1], token[17], code[8];
	struct class_event q[64];
	size_t nq;
	bool lost;
	char why[200];		/* why the connection ended */
	void (*notify)(void *ctx);
	void *ctx;
};

/*
 * Join the class at where with code and name (NULL: the login name):
 * connects, says HELLO (with the token kept from a last visit to the same
 * class), and waits up to 5 s for WELCOME and LESSON.  0, or -1 with err
 * (the teacher's REFUSED reason, cleaned).
 */
int class_join_open(struct class_join *cj, const char *where, const char *code, const char *name, char *err,
		    size_t errlen);
/* Hear the teacher on loop; notify(ctx) when an event was queued. */
void class_join_start(struct class_join *cj, struct ev_loop *loop, void (*notify)(void *), void *ctx);
/* The oldest event (false when none). */
bool class_join_next(struct class_join *cj, struct class_event *ev);
/* Send an answer: 0, or -1 (the connection is gone). */
int class_join_answer(struct class_join *cj, long q, int round, int choice);
void class_join_close(struct class_join *cj);
/*
 * --join with --answers FILE: no screen, no lesson run; each ASK answered
 * with the next line of FILE (a number), every line heard printed
 * (cleaned) to out.  Ends at END or when the teacher goes: 0, or 2.
 */
int class_join_batch(struct class_join *cj, const char *answers, FILE *out, FILE *errout);

#endif

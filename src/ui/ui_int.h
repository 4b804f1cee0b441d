/*
 * ui_int: what the parts of the screen share.  The screen is a handful of
 * panes behind one ops table (sockets, kernel, log, wire, lesson, help,
 * prompt), each owning its state behind its ops (tmux's window_mode with
 * its private data): no other file writes a pane's fields; the rest of the
 * screen reaches a pane through its ops, its screen commands, or the few
 * functions its file exports below.  ui.c owns the loop, the watchers and
 * the runner's hooks; ui_layout.c places the panes.  Every key is a row of
 * ui_keys.c's table and runs a command line: of the language (through the
 * runner) or of the screen (ui_scmd.c, and each pane's own commands).
 * Only src/ui/ includes curses.
 */
#ifndef SOCKPLAY_UI_INT_H
#define SOCKPLAY_UI_INT_H

#include <stdbool.h>
#include <wchar.h>

#include <ev.h>

#include "kernel/netview.h"
#include "kernel/session.h"
#include "run/runner.h"
#include "ui/ui.h"
#include "util/pace.h"

struct ui;

/* Colour roles; the theme maps each to a colour pair or, without colour, attributes. */
enum role {
	R_NORMAL, R_TITLE, R_HEADER, R_SELECTED, R_CALL, R_WHY, R_INFO, R_ERROR,
	R_OWN, R_TIMEWAIT, R_FOREIGN, R_KEY, R_KEYBAR, R_DIM, R_WIRE, R_NROLES,
};
/* projector: the high-contrast theme (nothing dim, bold text, colour only behind text). */
void theme_init(bool use_colour, bool projector);
bool theme_projector_on(void);
int theme_attr(enum role r);

struct rect {
	int y, x, h, w;
};

/*
 * A screen command: a line of the screen's own (filter, view, scroll,
 * lesson ...), never a socket's.  A pane lists the ones that act on it;
 * exec gets that pane's data (NULL for the screen's own).
 */
struct screen_cmd {
	const char *name;
	const char *arg1;	/* not NULL: the row is "NAME ARG1 ...", exec gets what follows ARG1 */
	const char *usage;
	const char *help;
	bool echo;		/* shown in the log as typed (it changes what is shown) */
	void (*exec)(struct ui *ui, void *data, const char *arg);
};

enum pane_id { P_SOCKETS, P_KERNEL, P_LOG, P_WIRE, P_LESSON, P_HELP, P_PROMPT, P_MENU, P_N };

/*
 * A pane: one part of the screen and its state.  init makes the state
 * (the pane's data), free frees it, draw draws it into r; the rest may be
 * NULL: after is told each command the runner ran, rows says how many
 * rows it would fill (the layout gives what it can), cmds are its screen
 * commands (NULL-terminated).
 */
struct pane_ops {
	const char *name;
	void *(*init)(struct ui *ui);
	void (*free)(void *data);
	void (*draw)(struct ui *ui, void *data, const struct rect *r);
	void (*after)(struct ui *ui, void *data, const struct cmd_result *r);
	int (*rows)(struct ui *ui, void *data);
	const struct screen_cmd *cmds;
};
extern const struct pane_ops pane_sockets, pane_kernel, pane_log, pane_wire, pane_lesson, pane_help,
	pane_prompt, pane_menu;

struct pane {
	const struct pane_ops *ops;
	void *data;
};
/* The pane's data, for its own file's exported functions. */
void *pane_data(struct ui *ui, enum pane_id id);

/*
 * A mode takes every key while it is up: the help screen, the prompt, a
 * yes/no question.  Modes stack on the playground, whose keys are the
 * binding table's (ui_keys.c); the top one gets the key.
 */
struct mode_ops {
	const char *name;
	void (*key)(struct ui *ui, wint_t ch, bool is_key);
};
extern const struct mode_ops mode_help, mode_prompt, mode_confirm, mode_menu;
#define MODE_MAX 4
void mode_push(struct ui *ui, const struct mode_ops *m);
/* Take m off the stack (wherever it is); nothing when it is not up. */
void mode_pop(struct ui *ui, const struct mode_ops *m);
bool mode_up(const struct ui *ui, const struct mode_ops *m);

#define HITS_MAX 256

struct sockwatch {
	ev_io io;
	struct ui *ui;
	const struct sock *sk;
	bool armed;
	int told;		/* the last event reported (enum sock_event), 0 none */
};

struct ui {
	struct runner *run;
	struct session *s;	/* run->s */
	struct ev_loop *loop;
	ev_io input;
	ev_io interrupt;	/* while a command waits: a key cuts it short */
	int empty_wakes;	/* input ready but no key: the terminal may be gone */
	bool any_key_cuts;	/* the command under way is a typed wait: any key cuts it short */
	struct queued_key {	/* keys typed while a command waited: theirs after it */
		wint_t ch;
		bool is_key;
	} queued[1024];	/* typed (or pasted) ahead while a command runs: a host takes a moment to make */
	int nqueued;
	ev_signal winch, sigint, sigterm, sighup, sigquit;
	ev_timer refresh;
	ev_prepare redraw;
	double cost;		/* the last refresh's cost (read, join, draw); pace.wait the interval in use */
	double draw_cost;	/* the last draw that built the kernel rows */
	double between_cost;	/* the other draws since the last full read (countdowns, keys) */
	double read_end;	/* when the last full read ended (ev_time) */
	char stat[1024];	/* /proc/net/sockstat{,6} at the last full read */
	size_t stat_len;
	struct pace pace;
	bool dirty, quit;
	const struct mode_ops *modes[MODE_MAX];	/* the stack, bottom first */
	int nmodes;
	void (*on_yes)(struct ui *ui);	/* what y does to the question asked */
	int rows, cols;
	int status;
	/* status row: the port range gauge and the knobs that matter */
	struct port_gauge gauge;
	bool have_gauge;
	char statusitem[6][96];	/* its items: the range's count, then each knob; drawn whole or not at all */
	int nstatusitems;
	char msg[256];		/* the message line */
	struct sockwatch *watch;	/* live events: one watcher per open socket with news */
	size_t nwatch;
	/*
	 * The mouse: what each part of the screen does when clicked, made
	 * afresh by every draw (a command line, or a key of the key bar).
	 */
	struct hit {
		short y, x0, x1;	/* a row, columns x0 <= x < x1 */
		wint_t ch;		/* a key to press (is_key: a curses KEY_ code), or 0 */
		bool is_key;
		char cmd[48];		/* else a command line */
	} hits[HITS_MAX];
	int nhits;
	int overlay_hits;	/* hits from here on are the overlay's (the lesson menu): the only ones while it is up */
	struct pane panes[P_N];
	struct rect at[P_N];	/* where each pane was drawn last (h 0: not shown): the wheel's target */
	bool use_colour;	/* the terminal has colour and NO_COLOR is not set */
	unsigned long dropped_input;	/* escape sequences no key of ours has: never acted on */
	struct paste {			/* a bracketed paste under way (ui_input.c) */
		bool on, to_prompt;
		char tail[8];		/* what may be its end mark, ESC [ 2 0 1 ~ */
		size_t nt;
	} paste;
	ev_io wire_io;
	bool wire_armed;
	struct class_ui *cls;	/* a class session (ui_class.c), or NULL */
};

/* ui.c */
/*
 * Run a line as if typed: the screen's own commands here (ui_scmd.c), the
 * language through the runner, whose hooks keep the watchers right.  r (may
 * be NULL) gets what happened.
 */
void ui_run_command(struct ui *ui, const char *line, struct cmd_result *r);
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* End the loop: the program quits. */
void ui_quit(struct ui *ui);
/* A key to act on once the command under way is back (typed ahead, or a quit key that cut a wait). */
void ui_queue_key(struct ui *ui, wint_t ch, bool is_key);
/* Ask a yes/no question on the message line: y calls yes(ui), any other key does nothing. */
void ui_ask(struct ui *ui, const char *question, void (*yes)(struct ui *ui));

/* ui_draw.c: text drawing that respects wide characters */
/* Draw UTF-8 text at y,x in at most w columns; returns columns used. */
int put_text(int y, int x, int w, const char *text, int attr);
/* The same, ending with the cut mark ("…") when the text is longer than w: nothing cut without saying so. */
int put_text_cut(int y, int x, int w, const char *text, int attr);
void fill_line(int y, int x, int w, int attr);
/*
 * An address in a cell of exactly w columns: padded, or when too long
 * shortened in front ("…f:127.0.0.1]:8888"): the port always shows.
 */
char *addr_cell(const char *text, int w, char *out, size_t len);
/* Columns text takes (wide characters count two). */
int text_width(const char *text);
/* text padded with blanks to w columns (a header in any language). */
char *pad_cell(const char *text, int w, char *out, size_t len);
/*
 * The bytes of text that fit in w columns (wide characters counted by
 * wcwidth), ending after the last blank when the text goes on and that
 * blank lies beyond min_brk columns; at least one character.
 */
size_t text_fit(const char *text, int w, int min_brk);
/* A pane that cannot show all its rows says so at the right of its title row: "▲ 2 ▼ 5 more". */
void pane_more(const struct rect *r, int above, int below);
/*
 * The screen's few drawing characters, in UTF-8 where the locale is, else
 * in ASCII ("-", ">", "|", "^", "v", "..."): a terminal in the C locale
 * shows no "???".
 */
enum glyph { G_HLINE, G_RIGHT, G_LEFT, G_VLINE, G_UP, G_DOWN, G_CUT, G_DOTS, G_LOST, G_N };
const char *glyph(enum glyph g);

/* ui_layout.c: the whole screen, from the model, into stdscr */
void ui_draw(struct ui *ui);

/* ui_sockets.c: the sockets pane */
const struct sock *ui_selected(struct ui *ui);

/* ui_kernel.c: the kernel pane */
/* Filter and sort the rows, when the table or the view changed: once per draw, before the layout. */
void kernel_pane_build(struct ui *ui);
/* The last draw filtered and sorted the rows anew (a refresh's cost includes it). */
bool kernel_pane_rebuilt(struct ui *ui);
/* Rows with a countdown are shown: the screen ticks between reads. */
bool kernel_pane_ticking(struct ui *ui);

/* ui_log.c: the log pane */
void ui_log(struct ui *ui, enum role role, const char *text);

/* ui_wire.c: the wire pane */
bool wire_pane_shown(struct ui *ui);

/* ui_mouse.c: clicks and the wheel */
/* Row y, columns x0..x1-1, run cmd when clicked (printf-style). */
void hit_cmd(struct ui *ui, int y, int x0, int x1, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Row y, columns x0..x1-1, press the key ch when clicked. */
void hit_key(struct ui *ui, int y, int x0, int x1, wint_t ch, bool is_key);
void mouse_start(void);
void mouse_event(struct ui *ui);
/* A mouse report in xterm's SGR encoding (ESC [ < B ; X ; Y M), 0-based: decoded by ui_input.c. */
void mouse_sgr(struct ui *ui, int button, int x, int y, bool press);

/* ui_input.c: what comes from the terminal */
/*
 * One thing get_wch gave: a key the binding table or the mode on top may
 * know, or the start of an escape sequence, which is read whole and then
 * acted on (a mouse report, a paste into the prompt) or dropped and
 * counted.  No byte of a sequence ever acts as a key.
 */
void input_key(struct ui *ui, wint_t ch, bool is_key);

/* ui_prompt.c: the prompt (a mode) and the message line */
void prompt_open(struct ui *ui, const char *prefill);
/*
 * Open it with fixed words, then a guessed address host:port selected: the
 * first character typed replaces it, and a port typed alone there takes
 * the guessed host (bind s1 [::1]: then 80).
 */
void prompt_open_guess(struct ui *ui, const char *fixed, const char *host, int port);
void prompt_draw(struct ui *ui, int y);

/* ui_lesson.c: the lesson pane over the stepper (run/stepper.h) */
struct lesson;
/* Open l (owned: the pane frees it) in its language: resumes where it got. */
void lesson_pane_open(struct ui *ui, struct lesson *l, bool owned, const char *lang);
bool lesson_pane_open_now(struct ui *ui);	/* a lesson is open */
const char *lesson_pane_lang(struct ui *ui);	/* the open lesson's language, or the program's */
bool lesson_asking(struct ui *ui);		/* a prediction waits for its answer */
bool lesson_holding_kernel(struct ui *ui);	/* ...and the kernel pane waits for it too */
int lesson_nchoices(struct ui *ui);
const struct lesson *lesson_open_lesson(struct ui *ui);	/* the lesson open, or NULL */
/* Where the lesson is: its step, its next command, a prediction waiting there (false: no lesson). */
bool lesson_place(struct ui *ui, size_t *step, size_t *item, bool *asking);
void lesson_class_follow(struct ui *ui, size_t step, size_t item);	/* go where the teacher is */
/* Run the prediction waiting with choice (0: nobody answered); mask: which choices were right. */
void lesson_class_reveal(struct ui *ui, int choice, unsigned *mask);

/* ui_class.c: the class session on the screen (run/class.h) */
struct class_room;
struct class_join;
int class_ui_start(struct ui *ui, struct class_room *room, struct class_join *join, const char *results,
		   const struct lesson *l, const char *lang);
void class_ui_stop(struct ui *ui, char *err, size_t errlen);
bool class_teaching(struct ui *ui);	/* this screen leads a class (--teach) */
bool class_following(struct ui *ui);	/* this screen is a seat (--join) */
void class_ui_sync(struct ui *ui);	/* between commands: the room hears where the lesson is */
void class_ui_drawn(struct ui *ui);	/* the screen is up to date */
bool class_ui_answer(struct ui *ui, long q, int choice);
void class_box(struct ui *ui, void (*put)(void *, const char *, int), void *rw);
void class_cmd(struct ui *ui, void *data, const char *arg);

/* ui_keys.c: the binding rows */
/* Run the key's row for the current mode; false when no row has the key. */
bool keys_handle(struct ui *ui, wint_t ch, bool is_key);
void keys_draw_bar(struct ui *ui, int y);
/* Line i of the keys part of help (a heading sets *heading); NULL past the end. */
const char *keys_help_line(size_t i, char *buf, size_t len, bool *heading);

/* ui_scmd.c: the screen's own commands, and each pane's */
/* Run text if it is one (true), else false: it is a line of the language. */
bool scmd_run(struct ui *ui, const char *text);
/* Line i of the screen commands part of help; NULL past the end. */
const char *scmd_help_line(size_t i, char *buf, size_t len);

#endif

/*
 * ui_int: what the parts of the screen share.  The screen is a handful of
 * panes behind one vtable (sockets, kernel, log, lesson, wire, help), a prompt,
 * a key bar and a theme; ui.c owns the loop and the watchers.  Every key is
 * a row of ui_keys.c's table and runs a command line: of the language
 * (through cmd_run_line) or of the screen (ui_scmd.c).  Only src/ui/
 * includes curses.
 */
#ifndef SOCKPLAY_UI_INT_H
#define SOCKPLAY_UI_INT_H

#include <stdbool.h>
#include <wchar.h>

#include <ev.h>

#include "cmd.h"
#include "netview.h"
#include "pace.h"
#include "session.h"
#include "ui/ui.h"

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
 * A pane: what draws one part of the screen (tmux's window_mode, in
 * small).  Keys never reach a pane directly: they run the binding table's
 * lines, or go to the mode on top (help, prompt, a question).
 */
struct pane_ops {
	const char *name;
	void (*draw)(struct ui *ui, const struct rect *r);
};
extern const struct pane_ops pane_sockets, pane_kernel, pane_log, pane_help, pane_lesson, pane_wire;

/*
 * A mode takes every key while it is up: the help screen, the prompt, a
 * yes/no question.  Modes stack on the playground, whose keys are the
 * binding table's (ui_keys.c); the top one gets the key.
 */
struct mode_ops {
	const char *name;
	void (*key)(struct ui *ui, wint_t ch, bool is_key);
};
extern const struct mode_ops mode_help, mode_prompt, mode_confirm;
#define MODE_MAX 4
void mode_push(struct ui *ui, const struct mode_ops *m);
/* Take m off the stack (wherever it is); nothing when it is not up. */
void mode_pop(struct ui *ui, const struct mode_ops *m);
bool mode_up(const struct ui *ui, const struct mode_ops *m);

/* The log pane's lines: a ring of transcript lines. */
#define LOG_MAX 2000
struct logline {
	enum role role;
	char *text;
};

/* The prompt: a small line editor over wide characters. */
#define PROMPT_MAX 512
#define HIST_MAX 200
struct prompt {
	wchar_t buf[PROMPT_MAX];
	int len, cur;
	/*
	 * A guessed address after the command's fixed words, selected as in a
	 * dialog box: the first character typed replaces it, and a port typed
	 * alone there takes the guessed host (bind s1 [::1]: then 80).
	 */
	int sel;		/* where the selection starts (it runs to the end), -1 none */
	int fixed;		/* where the replacement began, -1: nothing replaced */
	char guess_host[64];	/* "127.0.0.1", "[::1]" */
	char *hist[HIST_MAX];
	int nhist, hpos;
	char histfile[600];
	bool hist_failed;	/* saving it failed once: said, not again */
};

#define HITS_MAX 256
#define WSTATES 64		/* calls whose states the wire pane keeps */
#define WSTATE_COLS 6

/* Kernel pane view settings. */
enum ksort { KSORT_KERNEL, KSORT_PORT, KSORT_STATE, KSORT_OWNER, KSORT_N };

struct sockwatch {
	ev_io io;
	struct ui *ui;
	const struct sock *sk;
	bool armed;
	int told;		/* the last event reported (enum sock_event), 0 none */
};

struct ui {
	struct session *s;
	struct ev_loop *loop;
	ev_io input;
	ev_io interrupt;	/* while a command waits: a key cuts it short */
	bool told_transcript;	/* a failed transcript write was shown */
	int empty_wakes;	/* input ready but no key: the terminal may be gone */
	ev_signal winch, sigint, sigterm, sighup;
	ev_timer refresh;
	ev_prepare redraw;
	double cost;		/* the last refresh's cost (read, join, draw); pace.wait the interval in use */
	double draw_cost;	/* the last draw that built the kernel rows */
	double between_cost;	/* the other draws since the last full read (countdowns, keys) */
	double read_end;	/* when the last full read ended (ev_time) */
	bool rows_rebuilt;	/* the last draw filtered and sorted the kernel rows */
	char stat[1024];	/* /proc/net/sockstat{,6} at the last full read */
	size_t stat_len;
	struct pace pace;
	bool dirty, quit;
	const struct mode_ops *modes[MODE_MAX];	/* the stack, bottom first */
	int nmodes;
	int help_scroll;		/* the help mode's first line shown */
	void (*on_yes)(struct ui *ui);	/* what y does to the question asked */
	int rows, cols;
	int status;

	/* status row: the port range gauge and the knobs that matter */
	struct port_gauge gauge;
	bool have_gauge;
	char statusline[256];
	/* sockets pane */
	int sel;
	/* kernel pane */
	struct kernel_pane {
		bool all, own;
		int proto;		/* 0 all, 1 tcp, 2 udp */
		enum ksort sort;
		int scroll;
		struct netfilter filter;	/* `filter ...`: the words of `net` */
		char filter_text[120];		/* as typed, "" for none */
		const struct netrow **rows;
		size_t nrows, caprows;
		size_t timers;			/* rows shown with a countdown */
		unsigned char touched[65536 / 8];	/* ports the session touched, by bit */
		/* what rows were built from: the same again means no filter and no sort */
		struct kview {
			unsigned long gen;	/* the netview's build */
			size_t nsocks;
			bool all, own;
			int proto;
			enum ksort sort;
			char filter_text[120];
		} built;
	} kp;
	/* log pane: a ring of transcript lines */
	struct log_pane {
		struct logline lines[LOG_MAX];
		int n, head, scroll;
	} lg;
	/* prompt and message line */
	struct prompt pr;
	char msg[256];
	/* lesson pane */
	struct lesson_pane {
		const struct lesson *les;	/* NULL: no lesson open */
		bool zh;		/* the lesson's language is Chinese */
		size_t step, item;	/* current step; next item not yet run */
		int choice;		/* the prediction chosen, or -1 */
		char result[300];
		/* what each item of the step did: marks[i] for items[i] */
		bool running;		/* a lesson command runs: its waits are not cut short */
		int asked, right;	/* predictions answered, and right, since the start */
		struct lesson *owned;	/* a lesson the screen loaded itself (:lesson open) */
		struct lmark {
			unsigned char state;	/* LM_NOT_RUN, LM_MET, LM_MISMATCH */
			char want[32], got[48];
		} *marks;
		size_t nmarks;
	} lp;
	/* live events */
	struct sockwatch *watch;
	size_t nwatch;
	/*
	 * The mouse: what each part of the screen does when clicked, made
	 * afresh by every draw (a command line, or a key of the key bar), and
	 * which pane the wheel scrolls where.
	 */
	struct hit {
		short y, x0, x1;	/* a row, columns x0 <= x < x1 */
		wint_t ch;		/* a key to press (is_key: a curses KEY_ code), or 0 */
		bool is_key;
		char cmd[48];		/* else a command line */
	} hits[HITS_MAX];
	int nhits;
	struct rect wheel_kernel, wheel_log, wheel_wire;
	/* the wire: its pane, and the capture's watcher */
	bool wire_on;
	/*
	 * What the kernel said of each socket of a call's packets once the
	 * call was over, drawn under its arrows: the state changes they caused.
	 */
	struct wstate {
		unsigned serial;
		int n;
		char name[WSTATE_COLS][SOCK_NAMELEN];
		char state[WSTATE_COLS][12];
	} wstates[WSTATES];
	int wstate_next;
	bool use_colour;	/* the terminal has colour and NO_COLOR is not set */
	ev_io wire_io;
	bool wire_armed;
};

/* ui.c */
/*
 * Run a line as if typed: the screen's own commands (filter, quit) here,
 * the language through the runner (cmd_run_line), whose hooks keep the
 * watchers right.  r (may be NULL) gets what happened.
 */
void ui_run_command(struct ui *ui, const char *line, struct cmd_result *r);
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const struct sock *ui_selected(struct ui *ui);
void ui_log(struct ui *ui, enum role role, const char *text);
/* End the loop: the program quits. */
void ui_quit(struct ui *ui);
/* Ask a yes/no question on the message line: y calls yes(ui), any other key does nothing. */
void ui_ask(struct ui *ui, const char *question, void (*yes)(struct ui *ui));

/* ui_draw.c: text drawing that respects wide characters */
/* Draw UTF-8 text at y,x in at most w columns; returns columns used. */
int put_text(int y, int x, int w, const char *text, int attr);
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
void ui_draw(struct ui *ui);
/* A pane that cannot show all its rows says so at the right of its title row: "▲ 2 ▼ 5 more". */
void pane_more(const struct rect *r, int above, int below);
/* The kernel pane's rows, filtered and sorted: true when built anew (a new table or view). */
bool kernel_rows_build(struct ui *ui);
/* Seconds left on a row's timer now, counted down from the read; -1 when none runs. */
double krow_left(const struct ui *ui, const struct netrow *r);

/* ui_wire.c: after a call and the kernel table's refresh, note its sockets' states for the ladder */
void wire_note_states(struct ui *ui);

/* ui_mouse.c: clicks and the wheel */
/* Row y, columns x0..x1-1, run cmd when clicked (printf-style). */
void hit_cmd(struct ui *ui, int y, int x0, int x1, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Row y, columns x0..x1-1, press the key ch when clicked. */
void hit_key(struct ui *ui, int y, int x0, int x1, wint_t ch, bool is_key);
/* Clickable choices of a prediction: each " N) " on rows y0..y1-1 of the pane answers N. */
void hit_choices(struct ui *ui, const struct rect *r, int nchoices);
void mouse_start(void);
void mouse_event(struct ui *ui);

/* ui_prompt.c */
void prompt_open(struct ui *ui, const char *prefill);
/* Open it with fixed words, then a guessed address host:port selected (see struct prompt). */
void prompt_open_guess(struct ui *ui, const char *fixed, const char *host, int port);
void prompt_draw(struct ui *ui, int y);
void prompt_load_history(struct prompt *p);
void prompt_free(struct prompt *p);

/* ui_panes.c */
const char *ksort_name(enum ksort k);

/* ui_lesson.c: the lesson player; the screen commands `lesson ...` call these */
struct lesson;
void lesson_open(struct ui *ui, const struct lesson *l, bool zh);
bool lesson_asking(const struct ui *ui);	/* a prediction waits for its answer */
int lesson_nchoices(const struct ui *ui);
void lesson_next(struct ui *ui);		/* run the next command of the step */
void lesson_answer(struct ui *ui, int choice);	/* 1-based; then run the command */
void lesson_rest(struct ui *ui);		/* run the step's commands up to a prediction */
/* Move to the next or previous step; the table is made what the lesson says it is there. */
void lesson_step(struct ui *ui, int delta);
void lesson_ask_restart(struct ui *ui);		/* asks first: progress is thrown away */
void lesson_list(struct ui *ui);		/* the lessons and their progress, into the log */
void lesson_open_named(struct ui *ui, const char *which);	/* number, name or path */
void lesson_close(struct ui *ui);		/* free what the screen loaded */
void lesson_restart(struct ui *ui);

/* ui_keys.c: the binding rows */
/* Run the key's row for the current mode; false when no row has the key. */
bool keys_handle(struct ui *ui, wint_t ch, bool is_key);
void keys_draw_bar(struct ui *ui, int y);
/* Line i of the keys part of help (a heading sets *heading); NULL past the end. */
const char *keys_help_line(size_t i, char *buf, size_t len, bool *heading);

/* ui_scmd.c: the screen's own commands */
/* Run text if it is one (true), else false: it is a line of the language. */
bool scmd_run(struct ui *ui, const char *text);
/* Line i of the screen commands part of help; NULL past the end. */
const char *scmd_help_line(size_t i, char *buf, size_t len);

#endif

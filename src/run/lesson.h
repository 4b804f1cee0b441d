/*
 * lesson: guided lessons, as plain text files a teacher can read and write.
 *
 *   # a comment
 *   title: TCP and UDP bind the same port
 *   summary: one or more lines of what the class will see
 *   sandbox: yes                 (optional: the lesson needs the sandbox)
 *   sysctl: net.ipv4.tcp_tw_reuse 0     (optional, repeatable: set in the sandbox)
 *
 *   step: One port, two protocols
 *   Prose for the class: any line that is not one of the forms below.
 *   $ tcp s1
 *   $ bind s1 0.0.0.0:8888 => ok
 *   predict: Will UDP get the same port? | ok | EADDRINUSE
 *   $ bind s2 0.0.0.0:8888 => ok
 *   predict: Where is it? | on the client's port => 0 | on 7000 => 1
 *   hold: kernel                 (optional: the kernel pane waits for the answer)
 *   $ net tcp TIME_WAIT :7000 => 1
 *   repeat: 3                    (the commands up to `end` run 3 times, {n}
 *   $ tcp c{n}                    counting 1..3, as one block in the player)
 *   end
 *
 * A `predict:` applies to the commands up to the next one with an
 * expectation, which must be one of the choices: they run as one after
 * the answer (the action and what it shows: close, then recv), and the
 * last is judged.  A choice is an outcome (ok, an errno name, a count),
 * or LABEL => OUTCOME to show words the question asks for.  The whole file is checked when
 * it is loaded (every command through the command parser) and refused with
 * FILE:LINE: message if anything is wrong: a lesson is never half-run.
 *
 * Lesson files live in DIR/LANG/NN-name.lesson (LANG en or zh_CN); the
 * number and the name both find a lesson.  A loaded lesson is plain data:
 * run/stepper.h plays it.
 */
#ifndef SOCKPLAY_LESSON_H
#define SOCKPLAY_LESSON_H

#include <stdbool.h>
#include <stddef.h>


enum litem_kind { LI_PROSE, LI_CMD };

struct litem {
	enum litem_kind kind;
	char *text;		/* prose (one paragraph line, "" = blank) or the command */
	unsigned line;
	char *question;		/* a prediction before this command, or NULL */
	unsigned qline;		/* the line of its predict: */
	char **choices;		/* the outcomes ("ok", "EADDRINUSE", "1") */
	char **labels;		/* what each choice shows, or NULL where it shows its outcome */
	int nchoices;
	bool hold_kernel;	/* the kernel pane waits for the answer */
	int block;		/* > 0: one of a repeat's commands, which run as one */
	int group;		/* > 0: one of a prediction's commands, which run as one after the answer */
};

struct lstep {
	char *title;
	unsigned line;
	struct litem *items;
	size_t n;
};

/* A lesson variable: declared in the header, its value picked from its pool by the seed. */
#define LESSON_VARS 16
#define LESSON_VARNAME 16
#define LESSON_VARVALUE 64
struct lvar {
	char name[LESSON_VARNAME];
	char value[LESSON_VARVALUE];
};

struct lesson {
	char path[512];
	char seed[64];		/* what picked the variables' values ("" when none was given) */
	struct lvar vars[LESSON_VARS];
	int nvars;
	char name[64];		/* "tcp-udp" */
	int number;		/* 1 */
	char *title, *summary;
	bool sandbox;
	char **setup;		/* the header's "sysctl KEY VALUE...", "host NAME ADDR", in order */
	size_t nsetup;
	int hosts;		/* how many of them make a host */
	struct lstep *steps;
	size_t nsteps;
};

/* Load and check a lesson file: 0, or -1 with "FILE:LINE: message" in err. */
int lesson_load(const char *path, struct lesson *l, char *err, size_t errlen);
/*
 * The same, the variables (var: NAME LO-HI, or var: NAME A | B | C)
 * picked by seed: the same seed, the same values, and every {NAME} after
 * the declaration replaced by its value.  seed NULL or "": the pools'
 * first values.
 */
int lesson_load_seed(const char *path, const char *seed, struct lesson *l, char *err, size_t errlen);
void lesson_free(struct lesson *l);

/*
 * The lessons directory: $SOCKPLAY_LESSONS, else the installed
 * $(pkgdatadir)/lessons, else data/lessons beside the build tree of the
 * running program.  Returns 0, or -1 when none exists.
 */
int lesson_dir(char *buf, size_t len);
/* "zh_CN" when want (or else $LC_ALL, $LC_MESSAGES, $LANG) starts with zh; else "en". */
const char *lesson_lang(const char *want);

/* The lesson files of a language, sorted by number: paths, NULL-terminated. */
char **lesson_paths(const char *dir, const char *lang);
void lesson_paths_free(char **paths);
/* Does which name a lesson file by path (a teacher's own)?  Any name with a slash does. */
bool lesson_is_path(const char *which);
/* Find by number ("3") or name ("restart"): the path, or NULL. */
char *lesson_find(char **paths, const char *which);

/* The command a prediction at items[i] is judged on: the last of its group. */
const struct litem *litem_judged(const struct lstep *st, size_t i);

/* What choice c shows: its label, or its outcome. */
const char *litem_choice_text(const struct litem *it, int c);

/* The lesson after path in paths (the next number), or NULL. */
const char *lesson_after(char **paths, const char *path);

#endif

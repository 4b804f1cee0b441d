/*
 * sockplay: options and the choice of front end (screen, --batch,
 * --check-lessons).  main makes the one session (kernel/) and the one
 * runner over it (run/); every front end runs its lines through that
 * runner.  Everything else lives in the engine library, in folders by
 * layer (util, kernel, lang, run; HACKING.md draws them), and in ui/.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "lang/export.h"
#include "run/batch.h"
#include "run/runner.h"
#include "util/i18n.h"
#include "util/record.h"
#include "run/lesson.h"
#include "run/grade.h"
#include "run/class.h"
#include "run/lesson_check.h"
#include "kernel/sandbox.h"
#include "kernel/session.h"
#include "ui/ui.h"
#include "util/xdg.h"

static void usage(FILE *f)
{
	fputs(_(
		"Usage: sockplay [OPTION]...\n"
		"       sockplay --check-lessons [NAME|NUMBER]...\n"
		"       sockplay --grade LESSON --answers FILE [--results FILE] [--student ID]\n"
		"       sockplay --teach LESSON [--listen WHERE] [--results FILE]\n"
		"       sockplay --join WHERE --code CODE [--name NAME]\n"
		"A socket playground on the real kernel: create TCP and UDP sockets, call\n"
		"bind/listen/connect/accept/close by hand, and watch the kernel's own table.\n"
		"\n"
		"With no option, opens the playground screen.\n"
		"\n"
		"  -b, --batch FILE     run a script of commands (FILE '-' is standard input)\n"
		"                       and print the transcript; no screen\n"
		"  -s, --sandbox        run in a private network namespace, where sysctl\n"
		"                       and addr add may change settings\n"
		"  -l, --lesson LESSON  open the screen on a guided lesson (name or number)\n"
		"      --list-lessons   list the lessons: number, name, title, [sandbox]\n"
		"      --list-keys      list the screen's keys: key, command, what it does\n"
		"      --check-lessons  run lessons unattended and report which expectations\n"
		"                       held on this kernel (all, or the ones named)\n"
		"      --grade LESSON   play LESSON unattended with a student's answers\n"
		"                       (--answers FILE, one per prediction, in order) and\n"
		"                       write the result (--results FILE: .json, .csv or\n"
		"                       .xml for JUnit; standard output, JSON, by default);\n"
		"                       exit 0 all right, 1 some wrong, 2 not graded\n"
		"      --student ID     who answered, carried into the result (and, with\n"
		"                       no --seed, what picks the lesson's variables)\n"
		"      --seed TEXT      pick a lesson's variables (var:) by TEXT: the same\n"
		"                       text, the same ports and addresses\n"
		"      --teach LESSON   lead a class through LESSON: students join, every\n"
		"                       seat predicts, the votes show here, r reveals\n"
		"      --listen WHERE   where the class listens: HOST:PORT, [IPV6]:PORT or a\n"
		"                       socket path (default 127.0.0.1:4801; 0.0.0.0:4801\n"
		"                       for a room of machines)\n"
		"      --join WHERE     take a seat in the class at WHERE (with --code; with\n"
		"                       --answers FILE, a seat with no screen that answers\n"
		"                       from FILE and prints what it hears)\n"
		"      --code CODE      the join code the teacher's screen shows\n"
		"      --name NAME      the name on the teacher's screen (default: login name)\n"
		"      --lang LANG      lesson language: en or zh_CN (default from $LANG)\n"
		"  -t, --transcript FILE  write the session, as a replayable script, to FILE\n"
		"                       (the screen writes one anyway, in\n"
		"                       $XDG_STATE_HOME/sockplay/transcripts/)\n"
		"  -e, --export-c FILE  after --batch, write its calls as a C program\n"
		"  -i, --interval SECS  look for changes in the kernel table every SECS s (0.25)\n"
		"      --source SRC     read the kernel table from proc (/proc/net), diag\n"
		"                       (NETLINK_SOCK_DIAG) or auto (proc, diag when\n"
		"                       a refresh gets slow; the default)\n"
		"      --theme THEME    the screen's colours: default, or projector (high\n"
		"                       contrast, nothing dim, for a class; F2 switches)\n"
		"      --no-wire        do not capture the packets on loopback (the wire\n"
		"                       pane, `wire` and the wire: lines after each call)\n"
		"      --record FILE    record the screen as an asciicast for asciinema\n"
		"                       play, marked at each lesson step and prediction\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Exit status: 0 if every expectation held, 1 if one failed,\n"
		"2 on a usage or script error.\n"
		"See sockplay(1) for the command language.\n"), f);
}

/*
 * The screen's own transcript, $XDG_STATE_HOME/sockplay/transcripts/
 * YYYY-MM-DD-HHMMSS-PID.spl, made new (two screens never share one).
 * Losing it costs only the transcript: warn goes to the screen.
 */
static void default_transcript(struct runner *run, char *warn, size_t warnlen)
{
	char name[80], path[700], why[600];
	time_t now = time(NULL);
	struct tm tm;
	size_t n;

	localtime_r(&now, &tm);
	n = strftime(name, sizeof name, "transcripts/%Y-%m-%d-%H%M%S", &tm);
	snprintf(name + n, sizeof name - n, "-%ld.spl", (long)getpid());
	if (state_path_err(path, sizeof path, name, why, sizeof why) == NULL)
		snprintf(warn, warnlen, "no transcript this time: %s", why);
	else if (runner_transcript_create(run, path) < 0)
		snprintf(warn, warnlen, "no transcript this time: %s: %s", path, strerror(errno));
}

static void die_usage(const char *msg)
{
	fprintf(stderr, _("sockplay: %s\nTry 'sockplay --help' for more information.\n"), msg);
	exit(2);
}

/* What the command line asked for. */
struct opts {
	const char *batch, *lesson, *lang, *transcript, *export, *record;
	const char *grade, *answers, *results, *student;	/* --grade: the lesson, the student's file, where to */
	const char *seed;	/* picks a lesson's variables (--seed; --grade: the student too) */
	const char *teach, *listen, *join, *code, *name;	/* the class: --teach LESSON, --join WHERE */
	struct class_room *room;	/* --teach: open before the sandbox (its socket on the machine's network) */
	struct class_join *seat;	/* --join: joined before the sandbox, the same way */
	bool list_lessons, list_keys, check_lessons, want_sandbox, no_wire, projector;
	double interval;
	enum net_source source;
};

static double parse_interval(const char *arg)
{
	char *end, msg[128];
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0.05 && v <= 60)) {
		snprintf(msg, sizeof msg, _("bad --interval '%s': seconds from 0.05 to 60"), arg);
		die_usage(msg);
	}
	return v;
}

static enum net_source parse_source(const char *arg)
{
	char msg[128];

	if (strcmp(arg, "proc") == 0)
		return SRC_PROC;
	if (strcmp(arg, "diag") == 0)
		return SRC_DIAG;
	if (strcmp(arg, "auto") != 0) {
		snprintf(msg, sizeof msg, _("bad --source '%s': use proc, diag or auto"), arg);
		die_usage(msg);
	}
	return SRC_AUTO;
}

static const char *parse_lang(const char *arg)
{
	char msg[128];

	if (strcmp(arg, "en") != 0 && strncmp(arg, "zh", 2) != 0) {
		snprintf(msg, sizeof msg, _("bad --lang '%s': use en or zh_CN"), arg);
		die_usage(msg);
	}
	return lesson_lang(arg);
}

/* --teach and --join: what goes with them, and what does not. */
static void class_options(struct opts *o)
{
	if ((o->listen && !o->teach) || ((o->code || o->name) && !o->join))
		die_usage(_("--listen goes with --teach LESSON; --code and --name with --join WHERE"));
	if (o->teach && o->join)
		die_usage(_("--teach or --join: a screen leads a class or sits in one"));
	if ((o->teach || o->join) && (o->batch || o->check_lessons || o->grade || o->lesson || o->record))
		die_usage(_("--teach and --join play one lesson on the screen: not with --batch, --check-lessons, "
			    "--grade, --lesson or --record"));
	if (o->join && !o->code)
		die_usage(_("--join needs --code CODE: the code the teacher's screen shows"));
	if ((o->join && (o->results || o->student)) || (o->teach && (o->answers || o->student)))
		die_usage(_("with --teach, --results FILE (the class's answers); with --join, --answers FILE"));
	if (o->teach) {
		o->lesson = o->teach;
		if (!o->listen)
			o->listen = "127.0.0.1:4801";
	}
}

/* What goes together and what does not, once every option is read. */
static void option_rules(struct opts *o)
{
	if (o->record && (o->batch || o->check_lessons || o->list_lessons || o->list_keys || o->grade))
		die_usage(_("--record records the screen: not with --batch, --check-lessons, --grade or a list"));
	class_options(o);
	if ((o->answers || o->results || o->student) && !o->grade && !o->teach && !o->join)
		die_usage(_("--answers, --results and --student go with --grade LESSON"));
	if (o->grade) {
		if (!o->answers)
			die_usage(_("--grade needs --answers FILE: the student's answers, one per prediction"));
		if (o->batch || o->check_lessons || o->lesson)
			die_usage(_("--grade plays one lesson by itself: not with --batch, --check-lessons or --lesson"));
		o->lesson = o->grade;	/* loaded, and given its sandbox, as --lesson's */
		if (!o->seed && o->student && strlen(o->student) < sizeof ((struct lesson *)0)->seed)
			o->seed = o->student;	/* each student their own values, the same every time */
		if (!o->results)
			o->results = "-";
	}
	if (o->export && !o->batch)
		die_usage(_("--export-c needs --batch SCRIPT (in the screen, use the command 'export c FILE')"));
}

/* Parse the options; exits for --help, --version and a usage error. */
static void parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "batch", required_argument, NULL, 'b' },
		{ "sandbox", no_argument, NULL, 's' },
		{ "lesson", required_argument, NULL, 'l' },
		{ "list-lessons", no_argument, NULL, 'L' },
		{ "list-keys", no_argument, NULL, 'K' },
		{ "check-lessons", no_argument, NULL, 'C' },
		{ "grade", required_argument, NULL, 'G' },
		{ "answers", required_argument, NULL, 'A' },
		{ "results", required_argument, NULL, 'O' },
		{ "student", required_argument, NULL, 'U' },
		{ "seed", required_argument, NULL, 'D' },
		{ "teach", required_argument, NULL, 'H' },
		{ "listen", required_argument, NULL, 'N' },
		{ "join", required_argument, NULL, 'J' },
		{ "code", required_argument, NULL, 'X' },
		{ "name", required_argument, NULL, 'M' },
		{ "lang", required_argument, NULL, 'g' },
		{ "interval", required_argument, NULL, 'i' },
		{ "transcript", required_argument, NULL, 't' },
		{ "export-c", required_argument, NULL, 'e' },
		{ "source", required_argument, NULL, 'S' },
		{ "no-wire", no_argument, NULL, 'W' },
		{ "record", required_argument, NULL, 'R' },
		{ "theme", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->interval = 0.25;
	o->source = SRC_AUTO;
	while ((c = getopt_long(argc, argv, "b:sl:t:e:i:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o->transcript = optarg; break;
		case 'e': o->export = optarg; break;
		case 'l': o->lesson = optarg; break;
		case 'L': o->list_lessons = true; break;
		case 'K': o->list_keys = true; break;
		case 'C': o->check_lessons = true; break;
		case 'G': o->grade = optarg; break;
		case 'A': o->answers = optarg; break;
		case 'O': o->results = optarg; break;
		case 'U': o->student = optarg; break;
		case 'H': o->teach = optarg; break;
		case 'N': o->listen = optarg; break;
		case 'J': o->join = optarg; break;
		case 'X': o->code = optarg; break;
		case 'M': o->name = optarg; break;
		case 'D':
			if (strlen(optarg) >= sizeof ((struct lesson *)0)->seed)
				die_usage(_("--seed: at most 63 bytes"));
			o->seed = optarg;
			break;
		case 'g':
			o->lang = parse_lang(optarg);
			i18n_set_lang(o->lang);	/* the whole program speaks it, not only the lessons */
			break;
		case 'b': o->batch = optarg; break;
		case 's': o->want_sandbox = true; break;
		case 'i': o->interval = parse_interval(optarg); break;
		case 'S': o->source = parse_source(optarg); break;
		case 'W': o->no_wire = true; break;
		case 'R': o->record = optarg; break;
		case 'T':
			if (strcmp(optarg, "projector") != 0 && strcmp(optarg, "default") != 0) {
				char msg[128];

				snprintf(msg, sizeof msg, _("bad --theme '%s': use default or projector"), optarg);
				die_usage(msg);
			}
			o->projector = strcmp(optarg, "projector") == 0;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("sockplay %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			fprintf(stderr, "Try 'sockplay --help' for more information.\n");
			exit(2);
		}
	}
	option_rules(o);
	if (optind < argc && !o->check_lessons) {
		char msg[128];

		snprintf(msg, sizeof msg, _("unexpected argument '%s'"), argv[optind]);
		die_usage(msg);
	}
}

/* Load the lesson --lesson names (a name, a number or a path): 0, or 2 said. */
static int load_lesson(const struct opts *o, struct lesson *les)
{
	char dir[512], err[1024];
	char **paths;
	const char *path;

	/* a teacher's own lesson, by path */
	if (lesson_is_path(o->lesson)) {
		if (lesson_load_seed(o->lesson, o->seed, les, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		return 0;
	}
	if (lesson_dir(dir, sizeof dir) < 0) {
		fprintf(stderr, _("sockplay: no lessons found (set SOCKPLAY_LESSONS to their directory)\n"));
		return 2;
	}
	paths = lesson_paths(dir, lesson_lang(o->lang));
	path = lesson_find(paths, o->lesson);
	if (path == NULL) {
		fprintf(stderr, _("sockplay: no lesson '%s' (sockplay --list-lessons lists them)\n"), o->lesson);
		lesson_paths_free(paths);
		return 2;
	}
	if (lesson_load_seed(path, o->seed, les, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		lesson_paths_free(paths);
		return 2;
	}
	lesson_paths_free(paths);
	return 0;
}

/*
 * --sandbox asks for it; lessons use it when it can be had (a clean,
 * private table), and a lesson that changes the kernel cannot go without.
 * Returns 1 in the sandbox, 0 outside it, or 2 (said) when it must stop.
 */
static int enter_sandbox(const struct opts *o, const struct lesson *les, char *why, size_t whylen)
{
	char err[256];
	int r;

	if (!o->want_sandbox && !o->lesson && !o->check_lessons)
		return 0;
	r = sandbox_enter(err, sizeof err);
	if (r == 0)
		return 1;
	if (r == -2) {
		fprintf(stderr, _("sockplay: the sandbox could not be finished: %s; nothing was run\n"), err);
		return 2;
	}
	if (o->want_sandbox) {
		fprintf(stderr, _("sockplay: --sandbox: %s\n"), err);
		return 2;
	}
	if (les && les->sandbox) {
		fprintf(stderr, _("sockplay: lesson %d (%s) needs the sandbox: %s\n"), les->number, les->name, err);
		return 2;
	}
	snprintf(why, whylen, "%s", err);	/* the lessons run without it, and say why */
	return 0;
}

/* --batch FILE [--export-c FILE]: the exit status. */
static int run_batch(struct runner *run, const struct opts *o)
{
	struct batch_stats st;
	FILE *in = stdin;
	int status;

	if (strcmp(o->batch, "-") != 0 && (in = fopen(o->batch, "r")) == NULL) {
		fprintf(stderr, "sockplay: %s: %s\n", o->batch, strerror(errno));
		return 2;
	}
	/*
	 * A table's 50,000 rows go out in 64 KiB writes, not the 4 KiB of a
	 * pipe's or /dev/null's default buffer; each command's output still
	 * reaches the reader when the command ends (the batch flushes).
	 */
	if (!isatty(STDOUT_FILENO)) {
		static char obuf[64 * 1024];

		setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	}
	status = batch_run(run, o->batch, in, stdout, stderr, &st);
	if (o->export) {
		char err[600];

		if (export_c(&run->hist, o->export, true, err, sizeof err) < 0) {
			fprintf(stderr, _("sockplay: --export-c: %s\n"), err);
			status = 2;
		}
	}
	if (in != stdin)
		fclose(in);
	if (st.expectations)
		fprintf(stderr, _("sockplay: %u of %u expectations held\n"), st.expectations - st.failed,
			st.expectations);
	return status;
}

/*
 * -t FILE: written new (see run/transcript.h), and never the script it
 * records (a transcript written over its own input edits it as it runs).
 */
static int open_transcript(struct runner *run, const struct opts *o)
{
	char err[700];
	struct stat in, out;

	if (o->batch && strcmp(o->batch, "-") != 0 && stat(o->batch, &in) == 0 && lstat(o->transcript, &out) == 0 &&
	    in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
		fprintf(stderr, _("sockplay: %s is the script itself: the transcript must be another file\n"),
			o->transcript);
		return -1;
	}
	if (runner_transcript_open(run, o->transcript, err, sizeof err) < 0) {
		fprintf(stderr, "sockplay: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * --join: take the seat before the sandbox (the teacher is on the machine's
 * network), and learn the lesson.  -1 to go on to the screen; else the exit
 * status (--answers: a seat with no screen, done).
 */
static int join_class(struct opts *o)
{
	static struct class_join cj;
	char err[400];
	int status;

	if (class_join_open(&cj, o->join, o->code, o->name, err, sizeof err) < 0) {
		fprintf(stderr, "sockplay: --join: %s\n", err);
		return 2;
	}
	if (o->answers) {
		status = class_join_batch(&cj, o->answers, stdout, stderr);
		class_join_close(&cj);
		return status;
	}
	o->seat = &cj;
	o->lesson = cj.lesson;
	o->seed = cj.seed[0] ? cj.seed : NULL;
	return -1;
}

/* The class's lesson is the same here and there; --teach opens the room (before the sandbox).  0, or 2 said. */
static int class_check(struct opts *o, const struct lesson *les)
{
	static struct class_room room;
	char err[400];
	size_t npreds = class_pred_count(les);

	if (o->seat && (les->nsteps != o->seat->nsteps || npreds != o->seat->npreds)) {
		fprintf(stderr, _("sockplay: the teacher's lesson %1$s has %2$zu steps and %3$zu predictions; yours "
			"has %4$zu and %5$zu: install the same sockplay as the teacher\n"), les->name, o->seat->nsteps,
			o->seat->npreds, les->nsteps, npreds);
		class_join_close(o->seat);
		return 2;
	}
	if (o->teach) {
		if (class_room_open(&room, o->listen, err, sizeof err) < 0) {
			fprintf(stderr, "sockplay: --listen: %s\n", err);
			return 2;
		}
		o->room = &room;
	}
	return 0;
}

/* The chosen front end on a ready session: the exit status. */
static int front_end(struct runner *run, const struct opts *o, int argc, char **argv, struct lesson *les)
{
	struct ui_options uo;

	if (o->check_lessons)
		return lessons_check(run, o->lang, argv + optind, argc - optind, stdout, stderr);
	if (o->grade)
		return lesson_grade(run, les, lesson_lang(o->lang), o->answers, o->results, o->student, stderr);
	if (o->batch)
		return run_batch(run, o);
	memset(&uo, 0, sizeof uo);
	if (!o->transcript && isatty(STDIN_FILENO))
		default_transcript(run, uo.warning, sizeof uo.warning);
	uo.interval = o->interval;
	uo.projector = o->projector;
	uo.lesson = les;
	uo.lang = lesson_lang(o->lang);
	uo.room = o->room;
	uo.join = o->seat;
	uo.class_results = o->teach ? o->results : NULL;
	return ui_run(run, &uo);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct lesson les;
	struct session s;
	struct runner run;
	int in_sandbox, status;
	char why[256] = "";

	i18n_init();
	parse_options(argc, argv, &o);
	/* a peer that went away must give EPIPE, not kill us */
	signal(SIGPIPE, SIG_IGN);
	if (o.list_lessons)
		return lessons_list(stdout, stderr, lesson_lang(o.lang));
	if (o.list_keys) {
		keys_list(stdout);
		return 0;
	}
	if (o.record) {
		/* from here on the program runs on the recorder's pseudo-terminal (the recorder never returns) */
		char err[300];

		if (record_start(o.record, err, sizeof err) < 0) {
			fprintf(stderr, "sockplay: %s\n", err);
			return 2;
		}
	}
	if (o.join && (status = join_class(&o)) >= 0)
		return status;	/* a seat with no screen (--answers), or a refusal */
	if (o.lesson && load_lesson(&o, &les) != 0)
		return 2;
	if (o.lesson && class_check(&o, &les) != 0) {
		lesson_free(&les);
		return 2;
	}
	in_sandbox = enter_sandbox(&o, o.lesson ? &les : NULL, why, sizeof why);
	if (in_sandbox == 2) {
		if (o.lesson)
			lesson_free(&les);
		return 2;
	}
	session_init(&s, EV_DEFAULT);
	snprintf(s.sandbox_why, sizeof s.sandbox_why, "%s", why);
	runner_init(&run, &s);
	s.sandboxed = in_sandbox;
	s.source = o.source;
	if (o.no_wire)
		snprintf(s.wire_why, sizeof s.wire_why, "the capture is off (--no-wire)");
	else
		session_wire_want(&s);	/* opened with the first socket; without the right, wire_why says how */
	if (o.transcript && open_transcript(&run, &o) < 0) {
		status = 2;
	} else {
		status = front_end(&run, &o, argc, argv, o.lesson ? &les : NULL);
	}
	/* a class the screen never started (no terminal) is closed here: its socket path goes too */
	if (o.room)
		class_room_close(o.room);
	if (o.seat)
		class_join_close(o.seat);
	if (status > 128) {
		/* a signal ended it: the transcript says so, after the last call it holds */
		char end[120];

		snprintf(end, sizeof end, "sockplay ended by %s; every call above ran",
			 status == 128 + SIGHUP ? "SIGHUP (the terminal went away)" :
			 status == 128 + SIGINT ? "SIGINT" : status == 128 + SIGTERM ? "SIGTERM" : "a signal");
		runner_transcript_comment(&run, end);
	}
	if (runner_transcript_close(&run) < 0) {
		fprintf(stderr, "sockplay: %s: %s\n", o.transcript ? o.transcript : "transcript",
			run.tr.error);
		if (status == 0)
			status = 2;
	}
	runner_free(&run);
	session_free(&s);
	if (o.lesson)
		lesson_free(&les);
	return status;
}

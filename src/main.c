/*
 * sockplay: options and the choice of front end.  Everything else lives in
 * the engine library (cmd, sockets, procnet, netview, explain, sysctl,
 * sandbox, batch) and in ui/.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "batch.h"
#include "export.h"
#include "lesson.h"
#include "lesson_check.h"
#include "sandbox.h"
#include "session.h"
#include "ui/ui.h"
#include "xdg.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: sockplay [OPTION]...\n"
		"       sockplay --check-lessons [NAME|NUMBER]...\n"
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
		"      --check-lessons  run lessons unattended and report which expectations\n"
		"                       held on this kernel (all, or the ones named)\n"
		"      --lang LANG      lesson language: en or zh_CN (default from $LANG)\n"
		"  -t, --transcript FILE  write the session, as a replayable script, to FILE\n"
		"                       (the screen writes one anyway, in\n"
		"                       $XDG_STATE_HOME/sockplay/transcripts/)\n"
		"  -e, --export-c FILE  after --batch, write its calls as a C program\n"
		"  -i, --interval SECS  refresh the kernel pane every SECS seconds (0.25)\n"
		"      --source SRC     read the kernel table from proc (/proc/net), diag\n"
		"                       (NETLINK_SOCK_DIAG) or auto (proc, diag when\n"
		"                       a refresh gets slow; the default)\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Exit status: 0 if every expectation held, 1 if one failed,\n"
		"2 on a usage or script error.\n"
		"See sockplay(1) for the command language.\n");
}

/*
 * The screen's own transcript, $XDG_STATE_HOME/sockplay/transcripts/
 * YYYY-MM-DD-HHMMSS-PID.spl, made new (two screens never share one).
 * Losing it costs only the transcript: warn goes to the screen.
 */
static void default_transcript(struct session *s, char *warn, size_t warnlen)
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
	else if (session_transcript_create(s, path) < 0)
		snprintf(warn, warnlen, "no transcript this time: %s: %s", path, strerror(errno));
}

static void die_usage(const char *msg)
{
	fprintf(stderr, "sockplay: %s\nTry 'sockplay --help' for more information.\n", msg);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "batch", required_argument, NULL, 'b' },
		{ "sandbox", no_argument, NULL, 's' },
		{ "lesson", required_argument, NULL, 'l' },
		{ "list-lessons", no_argument, NULL, 'L' },
		{ "check-lessons", no_argument, NULL, 'C' },
		{ "lang", required_argument, NULL, 'g' },
		{ "interval", required_argument, NULL, 'i' },
		{ "transcript", required_argument, NULL, 't' },
		{ "export-c", required_argument, NULL, 'e' },
		{ "source", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *batch = NULL, *lesson = NULL, *lang = NULL, *transcript = NULL, *export = NULL;
	int list_lessons = 0, check_lessons = 0;
	struct lesson les;
	double interval = 0.25;
	int want_sandbox = 0, in_sandbox = 0, c, status;
	enum net_source source = SRC_AUTO;
	struct session s;
	struct ui_options uo;
	char *end;

	while ((c = getopt_long(argc, argv, "b:sl:t:e:i:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			transcript = optarg;
			break;
		case 'e':
			export = optarg;
			break;
		case 'l':
			lesson = optarg;
			break;
		case 'L':
			list_lessons = 1;
			break;
		case 'C':
			check_lessons = 1;
			break;
		case 'g':
			if (strcmp(optarg, "en") != 0 && strncmp(optarg, "zh", 2) != 0) {
				char msg[128];

				snprintf(msg, sizeof msg, "bad --lang '%s': use en or zh_CN", optarg);
				die_usage(msg);
			}
			lang = lesson_lang(optarg);
			break;
		case 'b':
			batch = optarg;
			break;
		case 's':
			want_sandbox = 1;
			break;
		case 'i':
			interval = strtod(optarg, &end);
			if (end == optarg || *end || !(interval >= 0.05 && interval <= 60))
			{
				char msg[128];

				snprintf(msg, sizeof msg, "bad --interval '%s': seconds from 0.05 to 60", optarg);
				die_usage(msg);
			}
			break;
		case 'S':
			if (strcmp(optarg, "proc") == 0)
				source = SRC_PROC;
			else if (strcmp(optarg, "diag") == 0)
				source = SRC_DIAG;
			else if (strcmp(optarg, "auto") == 0)
				source = SRC_AUTO;
			else {
				char msg[128];

				snprintf(msg, sizeof msg, "bad --source '%s': use proc, diag or auto", optarg);
				die_usage(msg);
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("sockplay %s\n", PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'sockplay --help' for more information.\n");
			return 2;
		}
	}
	if (export && !batch)
		die_usage("--export-c needs --batch SCRIPT (in the screen, use the command 'export c FILE')");
	if (optind < argc && !check_lessons) {
		char msg[128];

		snprintf(msg, sizeof msg, "unexpected argument '%s'", argv[optind]);
		die_usage(msg);
	}

	/* a peer that went away must give EPIPE, not kill us */
	signal(SIGPIPE, SIG_IGN);

	if (list_lessons)
		return lessons_list(stdout, stderr, lesson_lang(lang));
	if (lesson) {
		char dir[512], err[1024];
		char **paths;
		const char *path;

		if (lesson_dir(dir, sizeof dir) < 0) {
			fprintf(stderr, "sockplay: no lessons found (set SOCKPLAY_LESSONS to their directory)\n");
			return 2;
		}
		paths = lesson_paths(dir, lesson_lang(lang));
		path = lesson_find(paths, lesson);
		if (path == NULL) {
			fprintf(stderr, "sockplay: no lesson '%s' (sockplay --list-lessons lists them)\n", lesson);
			lesson_paths_free(paths);
			return 2;
		}
		if (lesson_load(path, &les, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			lesson_paths_free(paths);
			return 2;
		}
		lesson_paths_free(paths);
	}
	/*
	 * --sandbox asks for it; lessons use it when it can be had (a clean,
	 * private table), and a lesson that changes the kernel cannot go without.
	 */
	if (want_sandbox || lesson || check_lessons) {
		char err[256];

		int r = sandbox_enter(err, sizeof err);

		if (r == 0) {
			in_sandbox = 1;
		} else if (r == -2) {
			fprintf(stderr, "sockplay: the sandbox could not be finished: %s; "
				"nothing was run\n", err);
			if (lesson)
				lesson_free(&les);
			return 2;
		} else if (want_sandbox) {
			fprintf(stderr, "sockplay: --sandbox: %s\n", err);
			if (lesson)
				lesson_free(&les);
			return 2;
		} else if (lesson && les.sandbox) {
			fprintf(stderr, "sockplay: lesson %d (%s) needs the sandbox: %s\n", les.number,
				les.name, err);
			lesson_free(&les);
			return 2;
		}
	}
	memset(&uo, 0, sizeof uo);
	session_init(&s, EV_DEFAULT, (struct sink){ NULL, NULL });
	s.sandboxed = in_sandbox;
	s.source = source;
	if (!transcript && !batch && !check_lessons && isatty(STDIN_FILENO))
		default_transcript(&s, uo.warning, sizeof uo.warning);
	if (transcript && session_transcript_open(&s, transcript) < 0) {
		fprintf(stderr, "sockplay: %s: %s\n", transcript, strerror(errno));
		session_free(&s);
		return 2;
	}

	if (check_lessons) {
		status = lessons_check(&s, lang, argv + optind, argc - optind, stdout, stderr);
	} else if (batch) {
		struct batch_stats st;
		FILE *in = stdin;

		if (strcmp(batch, "-") != 0 && (in = fopen(batch, "r")) == NULL) {
			fprintf(stderr, "sockplay: %s: %s\n", batch, strerror(errno));
			session_free(&s);
			return 2;
		}
		status = batch_run(&s, batch, in, stdout, stderr, &st);
		if (export) {
			char err[600];

			if (export_c(&s, export, true, err, sizeof err) < 0) {
				fprintf(stderr, "sockplay: --export-c: %s\n", err);
				status = 2;
			}
		}
		if (in != stdin)
			fclose(in);
		if (st.expectations)
			fprintf(stderr, "sockplay: %u of %u expectations held\n",
				st.expectations - st.failed, st.expectations);
	} else {
		uo.interval = interval;
		uo.lesson = lesson ? &les : NULL;
		uo.lesson_zh = strcmp(lesson_lang(lang), "zh_CN") == 0;
		status = ui_run(&s, &uo);
		if (lesson)
			lesson_free(&les);
	}
	if (session_transcript_close(&s) < 0) {
		fprintf(stderr, "sockplay: %s: %s\n", transcript ? transcript : "transcript",
			s.transcript_error);
		if (status == 0)
			status = 2;
	}
	session_free(&s);
	return status;
}

/*
 * bench_procnet: what reading the kernel's table costs sockplay, against
 * the kernel's own cost of printing it, measured like with like in one
 * run.  `make bench` runs it; it exits 1 when a target is missed.
 *
 * In private network namespaces (loopback only; never a host sysctl) it
 * builds tables of 1k, 10k, 50k and 200k TCP entries, half ESTABLISHED and
 * half TIME_WAIT, with 1,000 sockets of the session's own in the table,
 * twice: with a connection hash of the host's size and with the sandbox's
 * (1,024 buckets).  For each table:
 *
 *   refresh   procnet_read + netview_build (what the screen does each
 *             refresh) against a plain read(2) of the same four files,
 *             alternating, a floor on each side of every refresh: the
 *             ratio of each refresh to the mean of its two floors.
 *             Target: their median over the run <= 1.1x.  The medians of
 *             5 blocks of the rounds are shown beside it: on a noisy
 *             machine a block's median strays by some hundredths.
 *   net       whole processes, every TCP row printed to /dev/null, in
 *             rounds of `cat /proc/net/tcp /proc/net/tcp6`, `sockplay
 *             --source proc` with `net tcp`, `ss -tan`, `sockplay --source
 *             diag` with `net tcp`.  Targets: net/proc <= 1.25x cat;
 *             net/diag at least 1.8x faster than ss -tan (medians of the
 *             rounds' ratios).
 *   peak      VmHWM of one process that types `net` ten times: < 16 MiB up
 *             to 50k entries, < 64 MiB at 200k.
 *
 * With the host's hash it also measures 10,000 UDP sockets (the kernel
 * prints /proc/net/udp in time quadratic in their number): `net udp` on
 * the automatic source must not pay for that read (faster than cat of the
 * file, within 1.25x of the sock_diag source), and at 200k entries the
 * screen itself (tests/bench_screen.sh, $BENCH_SCREEN).
 *
 * `bench_procnet --size N` measures one size (the host's hash, or $BENCH_HASH);
 * `bench_procnet --hold N CMD...` builds N ESTABLISHED entries and runs CMD
 * in their namespace, to profile by hand ($BENCH_HASH: the hash's size).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel/netview.h"
#include "kernel/procnet.h"
#include "kernel/sandbox.h"
#include "kernel/sockdiag.h"
#include "kernel/sockets.h"
#include "kernel/sysctl.h"

#define BLOCKS 5	/* the refresh's rounds, in blocks shown apart: how far a short measure strays */
#define OWN 1000	/* the session's own sockets, joined with the table */
#define NPORTS 8	/* listeners: spread the 4-tuples, keep connect() cheap */
#define MAXHELPERS 64
#define MAXROUNDS 64
#define SANDBOX_HASH 1024

static const char *sockplay;	/* $SOCKPLAY: the program, for whole-process figures */
static char script_net[] = "/tmp/sockplay-bench-netXXXXXX";
static char script_udp[] = "/tmp/sockplay-bench-udpXXXXXX";
static char script_net10[] = "/tmp/sockplay-bench-net10XXXXXX";
static int misses;

/* One namespace's table: its listeners, the helpers holding connections open. */
struct table {
	int lfd[NPORTS], port, est, tw;
	pid_t helper[MAXHELPERS];
	int nhelpers;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double c[BLOCKS * MAXROUNDS];

	memcpy(c, v, (size_t)n * sizeof *v);
	qsort(c, (size_t)n, sizeof *c, cmp_double);
	return n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
}

static void miss(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A missed target, where a reader of the log sees it. */
static void miss(const char *fmt, ...)
{
	va_list ap;

	printf("  target missed: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	misses++;
}

static char floorbuf[1 << 20];

/* The floor: a plain read of the four files, nothing parsed. */
static void plain_read(void)
{
	static const char *const files[] = { "/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp",
					     "/proc/net/udp6" };

	for (int i = 0; i < 4; i++) {
		int fd = open(files[i], O_RDONLY);

		if (fd < 0)
			continue;
		while (read(fd, floorbuf, sizeof floorbuf) > 0)
			;
		close(fd);
	}
}

/*
 * Run argv as a whole process, output to /dev/null (stdin from `in` when
 * not NULL): its wall time in seconds, or -1 if it failed; *peak_kib its
 * peak memory (ru_maxrss, the kernel's VmHWM) when peak_kib is not NULL.
 *
 * Timed runs start with posix_spawn, which does not copy this process's
 * memory: a fork() of the bench, tens of MiB after the biggest table,
 * added the same milliseconds to every command measured and pressed each
 * ratio towards 1.  A peak needs the child's own memory, and the kernel
 * keeps the largest VmHWM of a process's images across exec (with the
 * memory spawn shares, this one's): so a peak is taken through
 * `bench_procnet --peak`, a fresh small image of this program that forks,
 * runs the command and says its child's peak.
 */
static double run_measured(char *const argv[], const char *in, long *peak_kib)
{
	double t0 = now();
	struct rusage ru;
	pid_t pid;
	int st;

	if (peak_kib == NULL) {
		posix_spawn_file_actions_t fa;
		int r;

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
		if (in)
			posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
		t0 = now();
		r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		if (r != 0)
			return -1;
	} else {
		pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			dup2(fd, 2);
			if (in) {
				int ifd = open(in, O_RDONLY);

				if (ifd < 0)
					_exit(127);
				dup2(ifd, 0);
			}
			execvp(argv[0], argv);
			_exit(127);
		}
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return -1;
	if (peak_kib)
		*peak_kib = ru.ru_maxrss;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? now() - t0 : -1;
}

/* --peak IN CMD...: run CMD with stdin IN, print the peak KiB it used; the exit status is its */
static int peak_of(char **argv)
{
	long kib = 0;
	double t = run_measured(argv + 1, strcmp(argv[0], "-") ? argv[0] : NULL, &kib);

	printf("%ld\n", kib);
	return t < 0;
}

/* The peak memory of argv run with stdin from in, through a fresh image of this program. */
static long peak_measured(char *const argv[], const char *in)
{
	char *av[16] = { "/proc/self/exe", "--peak", (char *)(in ? in : "-") };
	int pfd[2], n = 3, st;
	long kib = -1;
	pid_t pid;
	FILE *f;

	for (int i = 0; argv[i] && n < 15; i++)
		av[n++] = argv[i];
	av[n] = NULL;
	if (pipe(pfd) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execv(av[0], av);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	if (f == NULL || fscanf(f, "%ld", &kib) != 1)
		kib = -1;
	if (f)
		fclose(f);
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return kib;
}

/*
 * One round: each of the n commands once, as whole processes, starting
 * with the round's own (round r starts at command r mod n, so none always
 * runs after the same one); t[k][r] its time.  -1 when one failed.
 */
struct cmd {
	char **argv;
	const char *in;
};

static int round_of(const struct cmd *c, int n, int r, double t[][MAXROUNDS])
{
	for (int i = 0; i < n; i++) {
		int k = (r + i) % n;

		t[k][r] = run_measured(c[k].argv, c[k].in, NULL);
		if (t[k][r] < 0)
			return -1;
	}
	return 0;
}

static int listener(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4096) < 0) {
		perror("listener");
		exit(1);
	}
	return fd;
}

/* One connection to lfd's port; returns the client fd, *srv the accepted one. */
static int connection(int lfd, int port, int *srv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("connect");
		exit(1);
	}
	*srv = accept(lfd, NULL, NULL);
	if (*srv < 0) {
		perror("accept");
		exit(1);
	}
	return fd;
}

/*
 * A helper process that runs `make(arg)` (which opens descriptors and keeps
 * them), says so, and waits to be killed: descriptors are limited per
 * process (and the limit may not be raisable here), the namespace's table
 * is not.  The helper dies with us, or when the table is dropped.
 */
static void helper(struct table *t, void (*make)(struct table *, int), int arg)
{
	int pfd[2];
	pid_t pid;
	char c;

	if (pipe(pfd) < 0 || t->nhelpers == MAXHELPERS) {
		perror("helper");
		exit(1);
	}
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		make(t, arg);
		if (write(pfd[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (pid < 0 || read(pfd[0], &c, 1) != 1) {
		fprintf(stderr, "bench: a helper could not open its sockets\n");
		exit(1);
	}
	close(pfd[0]);
	t->helper[t->nhelpers++] = pid;
}

static void make_pairs(struct table *t, int pairs)
{
	for (int i = 0; i < pairs; i++) {
		int s;

		(void)connection(t->lfd[i % NPORTS], t->port + i % NPORTS, &s);
	}
}

static void make_udp(struct table *t, int n)
{
	(void)t;
	for (int i = 0; i < n; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
			_exit(1);
	}
}

/* Grow the table to `total` entries: half ESTABLISHED ends, half TIME_WAIT. */
static void grow(struct table *t, int total)
{
	while (t->est < total / 2) {
		int pairs = (total / 2 - t->est + 1) / 2;

		if (pairs > 4000)
			pairs = 4000;	/* 8000 descriptors a helper */
		helper(t, make_pairs, pairs);
		t->est += 2 * pairs;	/* both ends: two ESTABLISHED entries each */
	}
	while (t->tw < total / 2) {
		int s, c = connection(t->lfd[t->tw % NPORTS], t->port + t->tw % NPORTS, &s);

		close(c);	/* the client closes first: its end goes to TIME_WAIT */
		close(s);
		t->tw++;
	}
}

/*
 * A fresh namespace with a hash of `hash` buckets, and an empty table in
 * it.  The last namespace's helpers are killed (its TIME_WAIT entries
 * expire by themselves).
 */
static void table_new(struct table *t, unsigned hash)
{
	char err[256];

	for (int i = 0; i < t->nhelpers; i++) {
		kill(t->helper[i], SIGKILL);
		waitpid(t->helper[i], NULL, 0);
	}
	for (int i = 0; i < NPORTS && t->port; i++)
		close(t->lfd[i]);
	memset(t, 0, sizeof *t);
	if (sandbox_renew_hash(hash, err, sizeof err) < 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	sysctl_write("net.ipv4.ip_local_port_range", "10000 65000");
	sysctl_write("net.ipv4.tcp_max_tw_buckets", "300000");
	sysctl_write("net.ipv4.tcp_tw_reuse", "0");
	t->port = 7000;
	for (int i = 0; i < NPORTS; i++)
		t->lfd[i] = listener(t->port + i);
}

/* n of the session's own sockets: UDP, bound on loopback, so the join has work. */
static void own_sockets(struct socktab *tab, int n)
{
	for (int i = 0; i < n; i++) {
		struct sock *s = sock_open(tab, NULL, AF_INET, SOCK_DGRAM);
		struct endpoint ep = { .family = AF_INET, .port = (uint16_t)(5000 + i) };

		if (s == NULL)
			return;
		ep.addr[0] = 127;
		ep.addr[3] = 1;
		sock_bind(s, &ep);
	}
}

static void script(char *path, const char *text, int times)
{
	int fd = mkstemp(path);

	for (int i = 0; i < times && fd >= 0; i++)
		if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
			sockplay = NULL;
	if (fd < 0)
		sockplay = NULL;
	else
		close(fd);
}

/* Rounds: as many as keep a size's measure to seconds (this machine's timings are noisy: more is steadier). */
static int rounds_for(size_t n, int small, int mid, int big)
{
	return n >= 100000 ? big : n >= 40000 ? mid : small;
}

/*
 * The refresh against the floor: the median ratio of all the run's rounds
 * (the target), and of each of BLOCKS blocks of them (shown, so a reader
 * sees how far the median of a few seconds strays on this machine).
 */
static void refresh_blocks(struct procnet *pn, struct netview *nv, const struct socktab *tab)
{
	struct procnet dpn;
	double block[BLOCKS], all[BLOCKS * MAXROUNDS], floor_t[MAXROUNDS], diag_t[MAXROUNDS], refresh_t[MAXROUNDS];
	size_t disagree = 0, disagree_d = 0;
	double run;
	int rounds;

	procnet_init(&dpn, NULL);
	procnet_read(pn, PN_ALL);
	/* floors and refreshes alternate, a floor on each side of every refresh: 2 reads a round */
	rounds = rounds_for(pn->n, 46, 22, 10);
	for (int b = 0; b < BLOCKS; b++) {
		double ratio[MAXROUNDS], t0 = now(), f1, f2;

		plain_read();
		f1 = now() - t0;
		for (int i = 0; i < rounds; i++, f1 = f2) {
			double r;

			t0 = now();
			procnet_read(pn, PN_ALL);
			netview_build(nv, pn, tab);
			r = now() - t0;
			t0 = now();
			plain_read();
			f2 = now() - t0;
			ratio[i] = r / ((f1 + f2) / 2);
			floor_t[i] = (f1 + f2) / 2;
			refresh_t[i] = r;
			if (b == 0) {
				size_t proc_n = pn->n;

				t0 = now();
				sockdiag_read(&dpn, PN_ALL, 0);
				netview_build(nv, &dpn, tab);
				diag_t[i] = now() - t0;
				/*
				 * The two counts within 1%; TIME_WAIT entries expire as the
				 * run goes on (the oldest, from smaller tables, first), so a
				 * dump outside that is measured again against a /proc read
				 * after it: it must lie between the two.
				 */
				if (dpn.n < proc_n - proc_n / 100 || dpn.n > proc_n + proc_n / 100) {
					size_t lo = proc_n, hi = proc_n;

					procnet_read(pn, PN_ALL);
					lo = pn->n < lo ? pn->n : lo;
					hi = pn->n > hi ? pn->n : hi;
					if (dpn.n < lo - lo / 100 || dpn.n > hi + hi / 100)
						disagree = proc_n, disagree_d = dpn.n;
				}
				/* the next refresh's first floor right before it, not before the dump */
				t0 = now();
				plain_read();
				f2 = now() - t0;
			}
		}
		block[b] = median(ratio, rounds);
		memcpy(all + b * rounds, ratio, (size_t)rounds * sizeof *ratio);
		if (b == 0)
			printf("%8zu %9.2f %9.2f %9.2f", pn->n, median(floor_t, rounds) * 1e3,
			       median(refresh_t, rounds) * 1e3, median(diag_t, rounds) * 1e3);
	}
	run = median(all, BLOCKS * rounds);
	printf(" %5.2fx  ", run);
	for (int b = 0; b < BLOCKS; b++)
		printf(" %5.2fx", block[b]);
	printf("\n");
	if (run > 1.1)
		miss("refresh is %.2fx the floor over the run's %d rounds (target <= 1.1x)", run, BLOCKS * rounds);
	if (disagree)
		miss("sources disagree: /proc %zu entries, sock_diag %zu", disagree, disagree_d);
	if (pn->malformed)
		printf("  %zu malformed lines\n", pn->malformed);
	procnet_free(&dpn);
}

/*
 * Whole processes in rounds, the same rows printed by each: `net tcp` on
 * /proc against cat of the same files, `net tcp` on sock_diag against
 * ss -tan; and the peak memory of ten `net` in one process.
 */
static void whole_processes(size_t rows)
{
	char *cat[] = { "cat", "/proc/net/tcp", "/proc/net/tcp6", NULL }, *ss[] = { "ss", "-tan", NULL };
	char *proc[] = { (char *)sockplay, "--source", "proc", "--batch", "-", NULL };
	char *diag[] = { (char *)sockplay, "--source", "diag", "--batch", "-", NULL };
	char *autom[] = { (char *)sockplay, "--batch", "-", NULL };
	const struct cmd cmds[] = { { cat, NULL }, { proc, script_net }, { ss, NULL }, { diag, script_net } };
	double t[4][MAXROUNDS], *c = t[0], *p = t[1], *s = t[2], *d = t[3], pc[MAXROUNDS], sd[MAXROUNDS];
	int rounds = rounds_for(rows, 31, 19, 11);
	long peak = 0;

	for (int i = 0; i < rounds; i++) {
		if (round_of(cmds, 4, i, t) < 0) {
			miss("a process failed (cat, sockplay or ss): no whole-process figures");
			return;
		}
		pc[i] = p[i] / c[i];
		sd[i] = s[i] / d[i];
	}
	peak = peak_measured(autom, script_net10);
	printf("%8s %9.2f %9.2f %6.2fx %9.2f %9.2f %6.2fx %8.1f MiB\n", "", median(c, rounds) * 1e3,
	       median(p, rounds) * 1e3, median(pc, rounds), median(s, rounds) * 1e3, median(d, rounds) * 1e3,
	       median(sd, rounds), (double)peak / 1024);
	if (median(pc, rounds) > 1.25)
		miss("net on /proc is %.2fx the bare read (target <= 1.25x)", median(pc, rounds));
	if (median(sd, rounds) < 1.8)
		miss("net on sock_diag is %.2fx faster than ss -tan (target >= 1.8x)", median(sd, rounds));
	if (peak < 0)
		miss("ten net in one process failed");
	else if ((rows <= 60000 && peak >= 16 * 1024) || peak >= 64 * 1024)
		miss("peak %.1f MiB after ten net (target < %d MiB)", (double)peak / 1024, rows <= 60000 ? 16 : 64);
}

/* 10,000 UDP sockets: `net udp` must not pay for /proc/net/udp's quadratic print. */
static void udp_table(struct table *t)
{
	char *cat[] = { "cat", "/proc/net/udp", "/proc/net/udp6", NULL }, *ss[] = { "ss", "-uan", NULL };
	char *autom[] = { (char *)sockplay, "--batch", "-", NULL };
	char *diag[] = { (char *)sockplay, "--source", "diag", "--batch", "-", NULL };
	const struct cmd cmds[] = { { cat, NULL }, { autom, script_udp }, { diag, script_udp }, { ss, NULL } };
	double tm[4][MAXROUNDS], *c = tm[0], *a = tm[1], *d = tm[2], *s = tm[3], ad[MAXROUNDS];
	int rounds = 15;

	for (int i = 0; i < 10; i++)
		helper(t, make_udp, 1000);
	for (int i = 0; i < rounds; i++) {
		if (round_of(cmds, 4, i, tm) < 0) {
			miss("a process failed (cat, sockplay or ss): no UDP figures");
			return;
		}
		ad[i] = a[i] / d[i];	/* each round's own ratio, as for the TCP tables */
	}
	printf("10,000 UDP sockets, whole processes, every UDP row printed (medians of %d rounds):\n", rounds);
	printf("  cat /proc/net/udp* %.2f ms, net udp (auto) %.2f ms, net udp (diag) %.2f ms, ss -uan %.2f ms\n",
	       median(c, rounds) * 1e3, median(a, rounds) * 1e3, median(d, rounds) * 1e3, median(s, rounds) * 1e3);
	if (median(a, rounds) >= median(c, rounds))
		miss("net udp on the automatic source is no faster than cat of /proc/net/udp");
	printf("  net udp (auto) / net udp (diag): %.2fx (median of the rounds' ratios)\n", median(ad, rounds));
	if (median(ad, rounds) > 1.25)
		miss("net udp on the automatic source is %.2fx the sock_diag source (target <= 1.25x)",
		     median(ad, rounds));
	for (int i = t->nhelpers - 10; i < t->nhelpers; i++)
		kill(t->helper[i], SIGKILL);
}

/* The screen at the table's size, tests/bench_screen.sh in this namespace. */
static void screen(void)
{
	const char *sh = getenv("BENCH_SCREEN");
	char *argv[] = { "sh", (char *)sh, NULL };
	pid_t pid;
	int st;

	if (sh == NULL || sockplay == NULL)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execvp("sh", argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		misses++;	/* the script said which */
}

static void head(const char *what, unsigned hash)
{
	printf("\n%s: a connection hash of %u buckets, %d own sockets joined\n", what, hash, OWN);
	printf("%8s %9s %9s %9s %s\n", "entries", "floor ms", "refresh", "diag", " refresh/floor: run, and by block");
	if (sockplay)
		printf("%8s %9s %9s %7s %9s %9s %7s %12s\n", "", "cat ms", "net/proc", "ratio", "ss -tan",
		       "net/diag", "ss/diag", "peak 10 net");
}

int main(int argc, char **argv)
{
	int sizes[] = { 1000, 10000, 50000, 200000 }, nsizes = 4;
	unsigned hashes[2] = { 262144, SANDBOX_HASH };
	int nhashes = 2;
	struct rlimit rl = { 200000, 200000 };
	char err[256];
	struct procnet pn;
	struct socktab tab;
	struct netview nv = { 0 };
	struct table t = { 0 };
	FILE *f;

	if (argc > 3 && strcmp(argv[1], "--peak") == 0)
		return peak_of(argv + 2);
	sockplay = getenv("SOCKPLAY");
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* the host's hash size, read before leaving the host's network */
	f = fopen("/proc/sys/net/ipv4/tcp_ehash_entries", "r");
	if (f) {
		int h;

		if (fscanf(f, "%d", &h) == 1 && h != 0)
			hashes[0] = (unsigned)(h < 0 ? -h : h);
		fclose(f);
	}
	/* never a host sysctl: every write below happens in namespaces of our own */
	if (sandbox_enter(err, sizeof err) < 0) {
		fprintf(stderr, "bench: needs a private network namespace: %s\n", err);
		return 77;
	}
	if (argc > 2 && strcmp(argv[1], "--size") == 0) {
		sizes[0] = atoi(argv[2]);	/* one size, the host's hash ($BENCH_HASH): for trying a change */
		nsizes = nhashes = 1;
		if (getenv("BENCH_HASH"))
			hashes[0] = (unsigned)atoi(getenv("BENCH_HASH"));
	}
	if (argc > 3 && strcmp(argv[1], "--hold") == 0) {
		/* for profiling: N entries, all ESTABLISHED (a TIME_WAIT would expire), then CMD */
		table_new(&t, getenv("BENCH_HASH") ? (unsigned)atoi(getenv("BENCH_HASH")) : hashes[0]);
		t.tw = atoi(argv[2]);
		grow(&t, 2 * t.tw);
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		return 127;
	}
	script(script_net, "net tcp\n", 1);
	script(script_udp, "net udp\n", 1);
	script(script_net10, "net\n", 10);
	procnet_init(&pn, NULL);
	for (int h = 0; h < nhashes; h++) {
		table_new(&t, hashes[h]);
		socktab_init(&tab);
		own_sockets(&tab, OWN);
		head(h == 0 ? "the host's hash size" : "the sandbox's hash size", hashes[h]);
		for (int k = 0; k < nsizes; k++) {
			grow(&t, sizes[k]);
			refresh_blocks(&pn, &nv, &tab);
			if (sockplay)
				whole_processes(pn.n);
		}
		if (h == 0 && nsizes > 1 && sockplay) {
			screen();
			udp_table(&t);
		}
		socktab_free(&tab);
	}
	printf("\nrefresh = procnet_read + netview_build; floor = read(2) of the same four files; "
	       "diag = the refresh through sock_diag (a report, not a target)\n");
	printf("%d target%s missed\n", misses, misses == 1 ? "" : "s");
	unlink(script_net);
	unlink(script_udp);
	unlink(script_net10);
	netview_free(&nv);
	procnet_free(&pn);
	return misses ? 1 : 0;
}

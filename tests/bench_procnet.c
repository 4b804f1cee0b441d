/*
 * bench_procnet: what one refresh of the kernel panel costs, against the
 * kernel's own cost of printing the table.  `make bench` runs it.
 *
 * In a private network namespace (loopback only) it builds tables of 1k,
 * 10k and 50k TCP entries, half ESTABLISHED and half TIME_WAIT, and for
 * each reports the median of repeated runs of:
 *   floor     a plain read of /proc/net/{tcp,tcp6,udp,udp6}: no parsing
 *   refresh   procnet_read + netview_build: what the panel does
 *   ss -tan   and netstat -tan, where installed, output to /dev/null
 *   diag      the same refresh through NETLINK_SOCK_DIAG (sockdiag_read)
 * plus the reader's memory.  Ratios are against the floor of the same run;
 * diag's is against ss -tan.
 * Targets (issue 3): refresh <= 1.1x floor; memory < 16 MiB at 50k; diag at
 * least 2x faster than ss -tan.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netview.h"
#include "procnet.h"
#include "sandbox.h"
#include "sockdiag.h"
#include "sockets.h"
#include "sysctl.h"

#define RUNS 15
#define WRUNS 5		/* whole-process runs: each is a fork and exec */
#define OWN 1000	/* the session's own sockets, joined with the table */

static const char *sockplay;	/* $SOCKPLAY: the program, for whole-process figures */
static char script_net[] = "/tmp/sockplay-bench-netXXXXXX";
static char script_net10[] = "/tmp/sockplay-bench-net10XXXXXX";
#define NPORTS 8	/* listeners: spread the 4-tuples, keep connect() cheap */

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

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static char floorbuf[1 << 20];

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
 * not NULL): -1 if it cannot run; *peak_kib its peak memory (ru_maxrss, the
 * kernel's VmHWM) when peak_kib is not NULL.
 */
static int run_measured(char *const argv[], const char *in, long *peak_kib)
{
	pid_t pid = fork();
	struct rusage ru;
	int st;

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
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return -1;
	if (peak_kib)
		*peak_kib = ru.ru_maxrss;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int run_quiet(char *const argv[])
{
	return run_measured(argv, NULL, NULL);
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
 * Open `pairs` connections and keep both ends open, in a helper process:
 * descriptors are limited per process (and the limit may not be raisable
 * here), the namespace's table is not.  The helper dies with us.
 */
static void hold_established(const int *lfd, int port, int pairs)
{
	int pfd[2];
	char c;

	if (pipe(pfd) < 0) {
		perror("pipe");
		exit(1);
	}
	if (fork() == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (int i = 0; i < pairs; i++) {
			int s;

			(void)connection(lfd[i % NPORTS], port + i % NPORTS, &s);
		}
		if (write(pfd[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1) {
		fprintf(stderr, "bench: a helper could not open its connections\n");
		exit(1);
	}
	close(pfd[0]);
}

/* Grow the table to `total` entries: half ESTABLISHED ends, half TIME_WAIT. */
static void grow(const int *lfd, int port, int total, int *est, int *tw)
{
	while (*est < total / 2) {
		int pairs = (total / 2 - *est + 1) / 2;

		if (pairs > 4000)
			pairs = 4000;	/* 8000 descriptors a helper */
		hold_established(lfd, port, pairs);
		*est += 2 * pairs;	/* both ends: two ESTABLISHED entries each */
	}
	while (*tw < total / 2) {
		int s, c = connection(lfd[*tw % NPORTS], port + *tw % NPORTS, &s);

		close(c);	/* the client closes first: its end goes to TIME_WAIT */
		close(s);
		(*tw)++;
	}
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

/* The two scripts the program runs: one `net tcp` (every TCP row printed), and ten `net`. */
static void scripts_write(void)
{
	int fd = mkstemp(script_net), fd10 = mkstemp(script_net10);

	if (fd < 0 || fd10 < 0 || write(fd, "net tcp\n", 8) != 8) {
		sockplay = NULL;
		return;
	}
	for (int i = 0; i < 10; i++)
		if (write(fd10, "net\n", 4) != 4)
			sockplay = NULL;
	close(fd);
	close(fd10);
}

static double median_of(char *const argv[], const char *in, int runs, long *peak)
{
	double t[WRUNS];

	for (int i = 0; i < runs; i++) {
		double t0 = now();

		if (run_measured(argv, in, peak) < 0)
			return -1;
		t[i] = now() - t0;
	}
	return median(t, runs);
}

/*
 * Whole processes, like with like, the same rows printed: sockplay's `net
 * tcp` against a bare read of the same source (cat of /proc/net/tcp*),
 * sockplay's sock_diag path against ss -tan, and the peak memory of ten
 * `net` in one session: one row of the table, for the table as it is now.
 */
static int whole_process_row(void)
{
	char *cat[] = { "cat", "/proc/net/tcp", "/proc/net/tcp6", NULL }, *ss[] = { "ss", "-tan", NULL };
	char *proc[] = { (char *)sockplay, "--source", "proc", "--batch", "-", NULL };
	char *diag[] = { (char *)sockplay, "--source", "diag", "--batch", "-", NULL };
	char *autom[] = { (char *)sockplay, "--batch", "-", NULL };
	struct procnet now_pn;
	double c, p, s, d;
	long peak = 0;
	size_t n;
	int fail = 0;

	procnet_init(&now_pn, NULL);
	procnet_read(&now_pn, PN_TCPS);
	n = now_pn.n;
	procnet_free(&now_pn);
	c = median_of(cat, NULL, WRUNS, NULL);
	p = median_of(proc, script_net, WRUNS, NULL);
	s = median_of(ss, NULL, WRUNS, NULL);
	d = median_of(diag, script_net, WRUNS, NULL);
	median_of(autom, script_net10, 1, &peak);
	if (c < 0 || p < 0 || d < 0) {
		printf("  sockplay could not run: no whole-process figures\n");
		return 1;
	}
	printf("%-8zu %9.2f %9.2f %6.2fx %9.2f %9.2f %7.2fx %8.1f MiB\n", n, c * 1e3, p * 1e3, p / c,
	       s * 1e3, d * 1e3, s / d, (double)peak / 1024);
	if (p / c > 1.25) {
		printf("  target missed: net on /proc is %.2fx the bare read (target <= 1.25x)\n", p / c);
		fail = 1;
	}
	if (s > 0 && s / d < 1.8) {
		printf("  target missed: net on sock_diag is %.2fx faster than ss -tan (target >= 1.8x)\n", s / d);
		fail = 1;
	}
	if ((n <= 60000 && peak >= 16 * 1024) || peak >= 64 * 1024) {
		printf("  target missed: peak %.1f MiB after ten net (target < %d MiB)\n", (double)peak / 1024,
		       n <= 60000 ? 16 : 64);
		fail = 1;
	}
	return fail;
}

static void whole_process_head(void)
{
	printf("  whole processes, every TCP row printed to /dev/null (medians of %d runs):\n", WRUNS);
	printf("  %-6s %9s %9s %7s %9s %9s %8s %12s\n", "rows", "cat ms", "net/proc", "ratio",
	       "ss -tan", "net/diag", "ss/diag", "peak 10 net");
}

int main(void)
{
	static const int sizes[] = { 1000, 10000, 50000 };
	struct rlimit rl = { 200000, 200000 };
	char err[256];
	struct procnet pn, dpn;
	struct socktab tab;
	struct netview nv = { 0 };
	int lfd[NPORTS], port = 7000, est = 0, tw = 0, fail = 0;
	int have_ss = access("/usr/bin/ss", X_OK) == 0 || access("/bin/ss", X_OK) == 0;
	int have_netstat = access("/usr/bin/netstat", X_OK) == 0 || access("/bin/netstat", X_OK) == 0;

	sockplay = getenv("SOCKPLAY");
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		rl.rlim_cur = rl.rlim_max = 60000;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* never a host sysctl: every write below happens in namespaces of our own */
	if (sandbox_enter(err, sizeof err) < 0) {
		fprintf(stderr, "bench: needs a private network namespace: %s\n", err);
		return 77;
	}
	/* sandbox_enter gave us a small hash: make the next one big, and move in */
	if (sysctl_write("net.ipv4.tcp_child_ehash_entries", "65536") < 0 && errno != ENOENT)
		fprintf(stderr, "note: cannot size the namespace's hash: %s\n", strerror(errno));
	if (sandbox_renew(err, sizeof err) < 0) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	sysctl_write("net.ipv4.ip_local_port_range", "10000 65000");
	sysctl_write("net.ipv4.tcp_max_tw_buckets", "200000");
	sysctl_write("net.ipv4.tcp_tw_reuse", "0");
	for (int i = 0; i < NPORTS; i++)
		lfd[i] = listener(port + i);
	procnet_init(&pn, NULL);
	procnet_init(&dpn, NULL);
	socktab_init(&tab);
	own_sockets(&tab, OWN);
	scripts_write();

	printf("%-8s %9s %9s %7s %9s %7s %9s %7s %9s %8s %9s\n", "entries", "floor ms", "refresh", "ratio",
	       "ss -tan", "ratio", "netstat", "ratio", "diag", "ss/diag", "memory");
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		double tf[RUNS], tr[RUNS], ts[RUNS], tn[RUNS], td[RUNS], f, r, s = 0, n = 0, d, mem;
		char *ss_argv[] = { "ss", "-tan", NULL }, *ns_argv[] = { "netstat", "-tan", NULL };

		grow(lfd, port, sizes[k], &est, &tw);
		for (int i = 0; i < RUNS; i++) {
			double t0 = now();

			plain_read();
			tf[i] = now() - t0;
			t0 = now();
			procnet_read(&pn, PN_ALL);
			netview_build(&nv, &pn, &tab);
			tr[i] = now() - t0;
			t0 = now();
			sockdiag_read(&dpn, PN_ALL, 0);
			netview_build(&nv, &dpn, &tab);
			td[i] = now() - t0;
			if (have_ss) {
				t0 = now();
				run_quiet(ss_argv);
				ts[i] = now() - t0;
			}
			if (have_netstat) {
				t0 = now();
				run_quiet(ns_argv);
				tn[i] = now() - t0;
			}
		}
		f = median(tf, RUNS);
		r = median(tr, RUNS);
		if (have_ss)
			s = median(ts, RUNS);
		if (have_netstat)
			n = median(tn, RUNS);
		d = median(td, RUNS);
		mem = (double)(pn.cap * sizeof *pn.v + pn.bufcap + nv.cap * sizeof *nv.rows) / (1 << 20);
		{
			size_t ntw = 0;

			for (size_t i = 0; i < pn.n; i++)
				ntw += pn.v[i].state == PN_TIME_WAIT;
			printf("%-8zu %9.2f %9.2f %6.2fx", pn.n, f * 1e3, r * 1e3, r / f);
		if (have_ss)
			printf(" %9.2f %6.2fx", s * 1e3, s / f);
		else
			printf(" %9s %7s", "-", "-");
		if (have_netstat)
			printf(" %9.2f %6.2fx", n * 1e3, n / f);
		else
			printf(" %9s %7s", "-", "-");
		printf(" %9.2f %7.2fx", d * 1e3, have_ss ? s / d : 0);
		printf(" %6.1f MiB  (%zu TIME_WAIT)\n", mem, ntw);
		}
		if (r / f > 1.1) {
			printf("  target missed: refresh is %.2fx the floor (target <= 1.1x)\n", r / f);
			fail = 1;
		}
		if (have_ss && s / d < 2) {
			printf("  target missed: sock_diag is %.2fx faster than ss -tan (target >= 2x)\n", s / d);
			fail = 1;
		}
		if (dpn.n < pn.n - pn.n / 100 || dpn.n > pn.n + pn.n / 100) {
			printf("  sources disagree: /proc %zu entries, sock_diag %zu\n", pn.n, dpn.n);
			fail = 1;
		}
		if (mem >= 16) {
			printf("  target missed: %.1f MiB (target < 16 MiB)\n", mem);
			fail = 1;
		}
		if (pn.malformed)
			printf("  %zu malformed lines\n", pn.malformed);
		if (sockplay) {
			whole_process_head();
			fail |= whole_process_row();
		}
	}
	if (sockplay) {
		/* the kernel's limit: 200,000 entries, whole processes only */
		grow(lfd, port, 200000, &est, &tw);
		printf("200k entries:\n");
		whole_process_head();
		fail |= whole_process_row();
	}
	printf("refresh = procnet_read + netview_build, with %d own sockets to join; floor = read(2) "
	       "of the same files; medians of %d runs\n", OWN, RUNS);
	unlink(script_net);
	unlink(script_net10);
	netview_free(&nv);
	procnet_free(&pn);
	procnet_free(&dpn);
	return fail;
}

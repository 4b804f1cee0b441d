/*
 * nouserns: run a program as uid 65534 inside a user namespace whose
 * user.max_user_namespaces is 0, the kernel's own wall against a user
 * namespace, made where it harms nothing: the limit is the new
 * namespace's, the host's stays as it was.  Needs root (the parent writes
 * the child's uid_map for the whole range, as newuidmap would); exits 77
 * when it cannot build the wall, or nobody may not run the program (a
 * build in a directory only root may enter), so a test can say so.
 *
 *   nouserns PROGRAM [ARG...]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = (ssize_t)strlen(text);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, (size_t)n) == n;
	close(fd);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	int up[2], go[2], st;
	char c = 0, path[64];
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: nouserns PROGRAM [ARG...]\n");
		return 2;
	}
	if (geteuid() != 0 || pipe(up) < 0 || pipe(go) < 0)
		return 77;
	pid = fork();
	if (pid < 0)
		return 77;
	if (pid == 0) {
		close(up[0]);
		close(go[1]);
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(77);
		if (write(up[1], "u", 1) != 1 || read(go[0], &c, 1) != 1 || c != 'm')
			_exit(77);
		/* root of the new namespace: its limit, then nobody */
		if (put("/proc/sys/user/max_user_namespaces", "0") < 0) {
			fprintf(stderr, "nouserns: max_user_namespaces: %s\n", strerror(errno));
			_exit(77);
		}
		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
			_exit(77);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "nouserns: %s: %s\n", argv[1], strerror(errno));
		/* a program nobody may not run (a build in a 0700 directory): no wall to show here */
		_exit(errno == EACCES ? 77 : 127);
	}
	close(up[1]);
	close(go[0]);
	if (read(up[0], &c, 1) != 1)
		c = 0;
	snprintf(path, sizeof path, "/proc/%ld/uid_map", (long)pid);
	if (c != 'u' || put(path, "0 0 65536") < 0)
		c = 0;
	snprintf(path, sizeof path, "/proc/%ld/gid_map", (long)pid);
	if (c && put(path, "0 0 65536") < 0)
		c = 0;
	if (write(go[1], c ? "m" : "x", 1) != 1)
		return 77;
	if (waitpid(pid, &st, 0) < 0)
		return 77;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

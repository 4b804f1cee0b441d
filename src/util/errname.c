/*
 * errname: errno names for the transcript and for expectations.  glibc
 * knows every name (strerrorname_np); the alias table adds the second names
 * a learner may write, which glibc maps to the same value.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "util/errname.h"

static const struct {
	const char *name;
	int value;
} aliases[] = {
	{ "ENOTSUP", ENOTSUP },
	{ "EWOULDBLOCK", EWOULDBLOCK },
	{ "EDEADLOCK", EDEADLOCK },
};

#ifndef HAVE_STRERRORNAME_NP
/* The errors the socket calls of the playground can give. */
static const struct {
	const char *name;
	int value;
} names[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR },
	{ "EBADF", EBADF }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EINVAL", EINVAL },
	{ "ENFILE", ENFILE }, { "EMFILE", EMFILE }, { "EPIPE", EPIPE },
	{ "ENOTSOCK", ENOTSOCK }, { "EDESTADDRREQ", EDESTADDRREQ },
	{ "EMSGSIZE", EMSGSIZE }, { "EPROTOTYPE", EPROTOTYPE },
	{ "ENOPROTOOPT", ENOPROTOOPT }, { "EPROTONOSUPPORT", EPROTONOSUPPORT },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EADDRINUSE", EADDRINUSE }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "ENETDOWN", ENETDOWN }, { "ENETUNREACH", ENETUNREACH },
	{ "ECONNABORTED", ECONNABORTED }, { "ECONNRESET", ECONNRESET },
	{ "ENOBUFS", ENOBUFS }, { "EISCONN", EISCONN },
	{ "ENOTCONN", ENOTCONN }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNREFUSED", ECONNREFUSED }, { "EHOSTUNREACH", EHOSTUNREACH },
	{ "EALREADY", EALREADY }, { "EINPROGRESS", EINPROGRESS },
};
#endif

const char *errname(int err)
{
#ifdef HAVE_STRERRORNAME_NP
	const char *s = strerrorname_np(err);

	return s ? s : "E?";
#else
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].value == err)
			return names[i].name;
	return "E?";
#endif
}

int errname_value(const char *name)
{
	if (name[0] != 'E')
		return -1;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(aliases[i].name, name) == 0)
			return aliases[i].value;
#ifdef HAVE_STRERRORNAME_NP
	/* errno values are small: ask glibc for each name once. */
	for (int e = 1; e < 256; e++) {
		const char *s = strerrorname_np(e);

		if (s && strcmp(s, name) == 0)
			return e;
	}
#else
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].value;
#endif
	return -1;
}

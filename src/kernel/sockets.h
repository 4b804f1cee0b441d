/*
 * sockets: the session's socket table and every socket syscall it makes.
 *
 * Each socket has a name (the user's, or s1, s2, ... in order of creation,
 * accepted connections included).  Every call here is the real syscall on a
 * non-blocking socket; it returns what the kernel returned, -1 with errno
 * kept on failure, and updates the entry from the kernel's own answers
 * (getsockname, getsockopt, fstat) rather than from what was asked.
 *
 * A closed socket stays in the table, state SOCK_CLOSED, with its last
 * addresses and options: its TIME_WAIT may still hold a port, and the
 * kernel table and the explainer want to say "was s3".  No I/O to any
 * screen happens here.
 *
 * Ownership: the table owns its entries; a struct sock pointer stays valid
 * until socktab_reset() or socktab_free().
 */
#ifndef SOCKPLAY_SOCKETS_H
#define SOCKPLAY_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kernel/addr.h"
#include "kernel/deliver.h"

#define SOCK_NAMELEN 16

enum sock_state {
	SOCK_CREATED,
	SOCK_BOUND,
	SOCK_LISTENING,
	SOCK_CONNECTING,	/* connect() still in progress */
	SOCK_CONNECTED,		/* TCP established, or UDP with a default peer */
	SOCK_CLOSED,
};

/* Options, as bits of struct sock.opts. */
enum sock_opt {
	SOPT_REUSEADDR = 1 << 0,
	SOPT_REUSEPORT = 1 << 1,
	SOPT_V6ONLY = 1 << 2,
	SOPT_NODELAY = 1 << 3,
	SOPT_KEEPALIVE = 1 << 4,
	SOPT_LINGER = 1 << 5,	/* value in struct sock.linger */
	SOPT_BIND_NO_PORT = 1 << 6,	/* IP_BIND_ADDRESS_NO_PORT */
	SOPT_PORT_RANGE = 1 << 7,	/* IP_LOCAL_PORT_RANGE: struct sock.port_lo..port_hi */
};

struct sockopt_desc {
	const char *name;	/* as typed: "reuseaddr" */
	const char *cname;	/* as in C: "SO_REUSEADDR" */
	enum sock_opt bit;
	int level, optname;
};

/* The options `set` knows, NULL-name terminated. */
extern const struct sockopt_desc sock_opts[];
const struct sockopt_desc *sock_opt_find(const char *name);

struct socktab;

struct sock {
	char name[SOCK_NAMELEN];
	int fd;			/* -1 once closed */
	int family;		/* AF_INET, AF_INET6 */
	int type;		/* SOCK_STREAM, SOCK_DGRAM */
	enum sock_state state;
	unsigned opts;		/* enum sock_opt bits, as the kernel reports them */
	int linger;		/* seconds when SOPT_LINGER is set */
	uint16_t port_lo, port_hi;	/* the socket's own local port range (SOPT_PORT_RANGE) */
	struct endpoint local;	/* family 0 until the socket has an address */
	struct endpoint peer;
	uint64_t inode;		/* fstat st_ino: the /proc/net inode column */
	char parent[SOCK_NAMELEN];	/* listener it was accepted from, or "" */
	bool was_listening;
	bool shut_rd, shut_wr;
	double closed_at;	/* monotonic seconds, when closed */
	int state_at_close;	/* TCP: the kernel's state just before close (PN_* numbers), 0 unknown */
	int unread_at_close;	/* TCP: bytes received but not read when it closed */
	unsigned serial;	/* creation order, for display */
	int host;		/* the host it was made on (kernel/hosts.h): 0 the sandbox itself */
	/*
	 * Its place in the kernel's lookup (kernel/deliver.h): when it went
	 * into its slot (UDP bind, TCP listen, a UDP connect that gave it an
	 * address), when it connected (UDP), its SO_REUSEPORT group (0: none).
	 */
	unsigned hash_seq, conn_seq, rp_group;
	bool hash_tail;
	long rx_mark;		/* what it had queued when the running call began (-1: not watched) */
	bool rx_got;		/* it was given something during the last call */
	bool tuple_reused;	/* TCP, closed: a new connection has taken its 4-tuple since (a SYN seen) */
	bool was_reset;		/* TCP: a call or a look met the peer's RST */
	bool power_lost;	/* closed by its host's restart: it sent nothing and left nothing */
	struct socktab *table;	/* the table it is in */
	size_t idx;		/* its place there */
};

struct socktab {
	struct sock **v;
	size_t n, cap;
	unsigned next_auto;	/* the N of the next automatic sN */
	unsigned serial;
	unsigned hash_count, group_count;	/* for hash_seq and rp_group */
	unsigned long gen;	/* counts changes of entries, their addresses and descriptors */
	/*
	 * The entries whose addresses may have changed since the one reader
	 * (the wire's index) last took them; lost: too many, or a reset, so
	 * the reader must look at every entry again.
	 */
	size_t *touched;
	size_t ntouched, captouched;
	bool touched_lost;
};

void socktab_init(struct socktab *t);
/* Close every open socket and forget all entries, closed ones too. */
void socktab_reset(struct socktab *t);
void socktab_free(struct socktab *t);

/*
 * The entries touched since the last socktab_touched_clear (see struct
 * socktab); *lost set when the reader must look at them all.
 */
const size_t *socktab_touched(const struct socktab *t, size_t *n, bool *lost);
void socktab_touched_clear(struct socktab *t);

/* The open socket called name, or NULL. */
struct sock *socktab_find(const struct socktab *t, const char *name);
/* The most recent socket, open or closed, called name, or NULL. */
struct sock *socktab_find_any(const struct socktab *t, const char *name);
/* The open socket whose fd is fd, or NULL. */
struct sock *socktab_find_fd(const struct socktab *t, int fd);
size_t socktab_count_open(const struct socktab *t);

/* A valid user name: a letter, then letters, digits, '_' or '-'. */
bool sock_name_valid(const char *name);
/* Write the next free automatic name (s1, s2, ...) into out. */
void socktab_next_name(struct socktab *t, char out[SOCK_NAMELEN]);

/*
 * socket(family, type): a new entry called name (must be free among open
 * sockets).  Returns the entry, or NULL with errno (EMFILE, ENOMEM...).
 */
struct sock *sock_open(struct socktab *t, const char *name, int family, int type);

/* setsockopt; for SOPT_LINGER, value < 0 means off, else seconds. */
int sock_setopt(struct sock *s, const struct sockopt_desc *opt, int value);
int sock_bind(struct sock *s, const struct endpoint *ep);
int sock_listen(struct sock *s, int backlog);
/*
 * Start a non-blocking connect: 0 when it completed at once (UDP, or a
 * loopback answer), 1 when in progress (finish with sock_connect_finish once
 * the socket is writable), -1 with errno.
 */
int sock_connect_start(struct sock *s, const struct endpoint *ep);
int sock_connect_finish(struct sock *s);
/* connect(AF_UNSPEC): dissolve the association (TCP: abort it, with RST). */
int sock_disconnect(struct sock *s);
/* Non-blocking accept; the new entry inherits nothing but what the kernel says. */
struct sock *sock_accept(struct socktab *t, struct sock *ls, const char *name);
ssize_t sock_send(struct sock *s, const void *buf, size_t len);
ssize_t sock_sendto(struct sock *s, const struct endpoint *to, const void *buf, size_t len);
ssize_t sock_recv(struct sock *s, void *buf, size_t len, struct endpoint *from);
int sock_shutdown(struct sock *s, int how);
/* Why recv on a TCP socket returns 0 now (read from the kernel's state of the connection). */
enum sock_eof {
	EOF_FIN,		/* the peer sent FIN: the end of its stream */
	EOF_SHUT_RD,		/* this socket shut down reading: recv returns 0 at once */
	EOF_RESET,		/* the connection was reset: after the one ECONNRESET, recv returns 0 */
};
enum sock_eof sock_eof_why(const struct sock *s);
int sock_close(struct sock *s);
/*
 * SO_LINGER with a time (TCP): close(2) may block up to that long while the
 * kernel sends what is left.  The session closes such a socket in the
 * background: sock_close_background gives the descriptor to a thread that
 * closes it, marks the socket closed, and returns a descriptor that turns
 * readable when close(2) has returned (an int: 0 or its errno), or -1 when
 * no thread could be made (it closed here, blocking).
 */
bool sock_lingers(const struct sock *s);
int sock_close_background(struct sock *s);

/* What a readable (or, while connecting, writable) socket has for us. */
enum sock_event {
	SEV_NONE,
	SEV_CONNECTION,		/* a listener has a connection to accept */
	SEV_DATA,		/* bytes (or a datagram) waiting */
	SEV_EOF,		/* the peer sent FIN: recv will return 0 */
	SEV_RESET,		/* the peer sent RST: ECONNRESET */
	SEV_CONNECTED,		/* a pending connect completed */
	SEV_CONNECT_FAILED,	/* a pending connect failed (errno in *bytes) */
};
/*
 * Look without consuming (MSG_PEEK, FIONREAD) at what is waiting on s;
 * for a connecting socket, finish the connect.  *bytes gets the count of
 * waiting bytes, or the errno of a failed connect.
 */
enum sock_event sock_poll_event(struct sock *s, long *bytes);

/* Re-read options, addresses and inode from the kernel. */
void sock_refresh(struct sock *s);

const char *sock_state_name(enum sock_state st);
/* "reuseaddr,reuseport" or "" into buf. */
char *sock_opts_format(const struct sock *s, char *buf, size_t len);
/* "TCP", "UDP", "TCPv6", "UDPv6" */
const char *sock_proto_name(const struct sock *s);

double sock_now(void);	/* monotonic seconds */

/*
 * Does s hold ep's address now, as the kernel would deliver there: its own
 * address exactly, or a wildcard of its family (and IPv4 for [::] only
 * without V6ONLY).  Open or closed alike: the caller asks about state.
 */
bool sock_holds(const struct sock *s, const struct endpoint *ep);
/*
 * The range the kernel takes s's automatic port from
 * (inet_sk_get_local_port_range): net.ipv4.ip_local_port_range, each end
 * narrowed by s's own IP_LOCAL_PORT_RANGE where that end falls inside it
 * (0 leaves it).  *own: s's range narrowed it.  One sysctl serves both
 * families.
 */
void sock_port_range(const struct sock *s, int *lo, int *hi, bool *own);
void port_range_narrow(int *lo, int *hi, unsigned sk_lo, unsigned sk_hi);

/* What the delivery model (kernel/deliver.h) needs to know of s. */
void sock_dl(const struct sock *s, struct dl_sock *d);
/*
 * The sockets on host `host` that may be given a packet of `type` for port `port` (TCP:
 * the listeners; UDP: the bound ones), into v and who (both of room
 * max); returns how many there are (more than max: the first max filled).
 */
size_t socktab_port_dl(const struct socktab *t, int type, uint16_t port, int host, struct dl_sock *v,
		       struct sock **who, size_t max);
/*
 * Around a call: note what each SO_REUSEPORT member has queued, then see
 * who was given something (rx_got): where the kernel's hash chose, the
 * program watches instead of guessing.
 */
void socktab_rx_mark(struct socktab *t);
void socktab_rx_seen(struct socktab *t);
/* Look again whether s was given something since the mark (the kernel may finish a handshake late). */
bool sock_rx_recheck(struct sock *s);

/*
 * Is ep an address one of t's open sockets of this type serves: a TCP
 * listener, or a bound UDP socket?  (What a lesson outside the sandbox may
 * reach: the sockets it made itself, never the machine's services.)
 */
bool socktab_serves(const struct socktab *t, int type, const struct endpoint *ep);

#endif

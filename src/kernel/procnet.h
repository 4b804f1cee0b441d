/*
 * procnet: the kernel's own socket table, read from /proc/net.
 *
 * Reads /proc/net/tcp, tcp6, udp and udp6 into one array of entries.  The
 * files are read in large chunks into one buffer that is kept between
 * refreshes, and parsed in place by hand: no allocation per line, so a
 * refresh of 50,000 TIME_WAIT sockets costs little more than the kernel's
 * own work of printing them.  A malformed or truncated line is skipped and
 * counted (procnet.malformed), never a crash.
 *
 * The root is "/proc" unless the environment variable SOCKPLAY_PROC_ROOT
 * names another directory holding net/tcp etc. (tests feed fixtures so).
 *
 * Ownership: a struct procnet owns its buffer and entries; entries stay
 * valid until the next procnet_read() or procnet_free().
 */
#ifndef SOCKPLAY_PROCNET_H
#define SOCKPLAY_PROCNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/addr.h"

enum pn_file { PN_TCP, PN_TCP6, PN_UDP, PN_UDP6, PN_NFILES };
#define PN_ALL ((1u << PN_NFILES) - 1)
#define PN_TCPS ((1u << PN_TCP) | (1u << PN_TCP6))
#define PN_UDPS ((1u << PN_UDP) | (1u << PN_UDP6))
/* With a read's mask: keep the entries already read, add these (one table from two sources). */
#define PN_APPEND (1u << 8)

/* TCP states as the kernel numbers them (include/net/tcp_states.h). */
enum pn_tcp_state {
	PN_ESTABLISHED = 1, PN_SYN_SENT, PN_SYN_RECV, PN_FIN_WAIT1, PN_FIN_WAIT2,
	PN_TIME_WAIT, PN_CLOSE, PN_CLOSE_WAIT, PN_LAST_ACK, PN_LISTEN, PN_CLOSING,
	PN_NEW_SYN_RECV,
};

/* The "tr" column: which timer runs. */
enum pn_timer {
	PN_TIMER_NONE = 0, PN_TIMER_ON = 1, PN_TIMER_KEEPALIVE = 2,
	PN_TIMER_TIMEWAIT = 3, PN_TIMER_PROBE = 4,
};

struct pn_entry {
	struct endpoint local, remote;
	uint64_t inode;		/* 0 for TIME_WAIT and request sockets */
	uint32_t txq, rxq;	/* LISTEN: rxq = accept queue length (txq is 0) */
	uint32_t when;		/* time left on the timer, 1/100 s (USER_HZ) */
	uint32_t retrnsmt;
	uint32_t uid;
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t state;		/* the kernel's st code */
	uint8_t timer;		/* enum pn_timer */
	uint8_t host;		/* whose table it is in: 0 the sandbox's (or the machine's), 1.. a host's */
};

struct procnet {
	struct pn_entry *v;
	size_t n, cap;
	size_t malformed;	/* lines skipped by the last read */
	char *buf;		/* reused read buffer */
	size_t bufcap;
	char root[256];
};

/* Set up; root NULL means $SOCKPLAY_PROC_ROOT or "/proc". */
void procnet_init(struct procnet *pn, const char *root);
void procnet_free(struct procnet *pn);

/*
 * Re-read the files whose PN_* bits are in mask.  A file that does not exist
 * (no IPv6 in this kernel) is skipped.  Returns 0, or -1 with errno when a
 * file could not be read at all or memory ran out.
 */
int procnet_read(struct procnet *pn, unsigned mask);

/*
 * Parse one line (without its newline) of the file `which`.  Returns 0 and
 * fills e, 1 for the header line, -1 for a malformed line.  The text need
 * not be NUL-terminated.
 */
int procnet_parse_line(const char *line, size_t len, enum pn_file which,
		       struct pn_entry *e);
/*
 * The same, field by field, any spacing and case: what procnet_parse_line
 * falls back to when a line is not in the kernel's fixed layout.  The two
 * must agree on every line; the tests compare them.
 */
int procnet_parse_line_general(const char *line, size_t len, enum pn_file which,
			       struct pn_entry *e);

/*
 * The fast path alone: 0 and e filled, or -1 when the line is not laid out
 * exactly as the kernel prints it (procnet_parse_line then asks the general
 * parser).  Every line the kernel prints takes it where PROCNET_FAST_PATH
 * is 1 (little-endian machines; elsewhere it refuses every line); the tests
 * check that.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PROCNET_FAST_PATH 1
#else
#define PROCNET_FAST_PATH 0
#endif
int procnet_parse_line_fixed(const char *line, size_t len, enum pn_file which,
			     struct pn_entry *e);

/*
 * Room for one more entry at pn->v[pn->n] (the caller fills it and then
 * counts it with pn->n++), or NULL when memory ran out.  For the readers.
 */
struct pn_entry *procnet_push(struct procnet *pn);

/*
 * The kernel's socket counts: net/sockstat and net/sockstat6 as text, into
 * buf (at most len bytes, not terminated); the length, 0 when neither file
 * reads.  A few lines and no walk of the table: the screen looks at them
 * between full reads to tell whether anything may have changed.  The
 * first line (all sockets, Unix ones too) is left out.
 */
size_t procnet_sockstat(const struct procnet *pn, char *buf, size_t len);

/* "LISTEN", "TIME_WAIT"...; UDP: "UNCONN", "ESTAB". */
const char *pn_state_name(const struct pn_entry *e);
/* The timer column as a person reads it: "fin_timeout" for a FIN_WAIT2 orphan. */
const char *pn_timer_label(const struct pn_entry *e);
/* A TCP state a connection can be in after its socket was closed. */
bool pn_after_close(const struct pn_entry *e);
/* "", "on", "keepalive", "timewait", "probe" */
const char *pn_timer_name(unsigned timer);
/* "tcp", "tcp6", "udp", "udp6" */
const char *pn_proto_name(const struct pn_entry *e);

#endif

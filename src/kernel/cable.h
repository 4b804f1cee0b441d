/*
 * cable: the wire between the hosts (kernel/hosts.h), in user space.
 *
 * One AF_PACKET socket on each host's veth end in the sandbox; a frame that
 * comes in on one end goes out on every other (a hub: the host it is not for
 * drops it, as on a shared Ethernet).  So every frame between hosts passes
 * through here, where the class may hold it (stepping), drop it, delay it or
 * send it twice: by hand, by a rule ("drop the next SYN from client"), or by
 * chance from a seed (the same seed, the same faults).  Frames that are not
 * TCP, UDP or ICMP over IPv4 (ARP) always pass at once: they are not the
 * lesson.
 *
 * The cable costs nothing while nothing moves: one io watcher per end, and a
 * timer only while a delayed frame waits.  Every IP frame is shown to a tap
 * (the capture) the moment it comes, with what happened to it.
 */
#ifndef SOCKPLAY_CABLE_H
#define SOCKPLAY_CABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "kernel/hosts.h"

/* What the cable did with a frame. */
enum cable_fate {
	CF_PASSED = 1,	/* forwarded at once */
	CF_HELD,	/* stepping: waits for the class */
	CF_DROPPED,	/* a rule, the loss rate, or the class dropped it */
	CF_DELAYED,	/* goes later (delay, jitter) */
	CF_DOUBLED,	/* forwarded twice */
};

/* Which frames a rule matches. */
enum cable_kind {
	CK_ANY, CK_SYN, CK_SYNACK, CK_ACK, CK_DATA, CK_FIN, CK_RST, CK_UDP,
};

#define CABLE_RULES 8
#define CABLE_HOLD_MAX 256	/* frames held at once: past this the oldest is forwarded */

struct cable_frame {
	unsigned id;		/* #1, #2, ... in order of coming */
	int from;		/* host number */
	double t;		/* wall-clock seconds when it came */
	double due;		/* ev_now seconds it goes (delayed) */
	size_t len;
	unsigned char *data;
};

struct cable_rule {
	enum cable_kind kind;
	int from;		/* host number, 0 any */
	unsigned count;		/* frames still to drop */
};

typedef void cable_tap_fn(void *ctx, const struct cable_frame *f, enum cable_fate fate, unsigned ms);

/* Frames sent on in one go (sendmmsg), per end. */
#define CABLE_BATCH 64

struct cable_port {
	int fd;			/* -1: no port */
	int host;
	ev_io io;
	struct cable *c;
	/* the receive ring (TPACKET_V2, mmap'ed), NULL when the kernel gave none: then recvfrom */
	unsigned char *ring;
	size_t ring_size;
	unsigned frames, frame_size, head;
	/* frames waiting to go out of this end, flushed after each batch read */
	struct mmsghdr out[CABLE_BATCH];
	struct iovec outv[CABLE_BATCH];
	unsigned nout;
};

struct cable {
	struct ev_loop *loop;
	struct cable_port port[HOSTS_MAX];
	bool step;
	struct cable_frame *held;
	size_t nheld, capheld;
	struct cable_frame *later;	/* delayed, in order of due */
	size_t nlater, caplater;
	ev_timer timer;
	unsigned loss, dup;	/* percent */
	unsigned delay_ms, jitter_ms;
	uint64_t seed, rng;
	struct cable_rule rules[CABLE_RULES];
	size_t nrules;
	unsigned next_id;
	unsigned long frames, passed, dropped, failed;	/* failed: a send the kernel refused */
	cable_tap_fn *tap;
	void *tap_ctx;
};

void cable_init(struct cable *c, struct ev_loop *loop);
/* Every port closed, every held or delayed frame forgotten, faults off. */
void cable_free(struct cable *c);

/* Join host h's end (ifindex in the sandbox) to the cable: 0, or -1 with errno. */
int cable_port_add(struct cable *c, int h, int ifindex);
/* Host h's end leaves (a restart); its frames held or delayed are forgotten. */
void cable_port_remove(struct cable *c, int h);

/* Stepping on or off; off forwards every held frame, in order. */
void cable_set_step(struct cable *c, bool on);
/*
 * The first n held frames (all: n 0) go on, or are dropped.  Each frame is
 * shown to fn first.  Returns how many.
 */
size_t cable_forward(struct cable *c, size_t n, cable_tap_fn *fn, void *ctx);
size_t cable_drop(struct cable *c, size_t n, cable_tap_fn *fn, void *ctx);

/* Drop the next `count` frames of kind from host `from` (0 any): 0, or -1 when the rules are full. */
int cable_rule_add(struct cable *c, enum cable_kind kind, int from, unsigned count);
/* "syn", "syn-ack", ... into a kind: -1 when none */
int cable_kind_parse(const char *word);
const char *cable_kind_name(enum cable_kind k);
/* Faults by chance: loss and duplication in percent, delay and jitter in ms. */
void cable_set_seed(struct cable *c, uint64_t seed);
/* All faults off: rules, loss, duplication, delay. */
void cable_clear_faults(struct cable *c);
/* Frames waiting (held or delayed). */
size_t cable_pending(const struct cable *c);

#endif

/*
 * wire: the real packets on loopback, captured with libpcap and told as
 * the session's sockets ("s2 -> s1 [S] seq 0").
 *
 * A capture is opened on "lo" only: in the sandbox the program holds
 * CAP_NET_RAW over its own namespace, so an ordinary user may capture
 * there; on the host it works only where the program already has the
 * right, and then keeps only packets with one of the session's own sockets
 * at an end.  TCP, UDP and the ICMP errors that answer them (port
 * unreachable: ECONNREFUSED) are parsed; each packet is attributed to the
 * sockets at its two ends (by 4-tuple, then by a listener or an unconnected
 * socket on the address), with TCP sequence numbers relative to the first
 * of each direction (as tcpdump -S does not, and Wireshark does).
 *
 * Packets are kept (the last WIRE_KEEP, with their first WIRE_SNAP bytes,
 * for `wire save`), each tagged with the serial of the call that was
 * running when it came (its cause) or, when none was, the last call and
 * the mark `late` (sent by the kernel on its own: a delayed ACK, a
 * retransmission).
 * No I/O to any screen happens here.
 */
#ifndef SOCKPLAY_WIRE_H
#define SOCKPLAY_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "kernel/addr.h"
#include "kernel/hosts.h"
#include "kernel/sockets.h"

#define WIRE_KEEP 20000		/* packets kept; the oldest go first */
#define WIRE_SNAP 256		/* bytes of each kept for `wire save` */

/* TCP flags, as on the wire */
enum {
	WF_FIN = 0x01, WF_SYN = 0x02, WF_RST = 0x04, WF_PSH = 0x08, WF_ACK = 0x10,
};

struct wire_pkt {
	double t;		/* seconds since the capture opened */
	unsigned cause;		/* serial of the call it belongs to */
	bool late;		/* the kernel's own, not the call's: came between calls, or has none of its sockets */
	bool between;		/* came while no call ran */
	uint8_t proto;		/* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_ICMPV6 */
	uint8_t flags;		/* TCP flags */
	uint8_t icmp_type, icmp_code;
	bool unreach;		/* ICMP destination (port) unreachable */
	struct endpoint src, dst;	/* ICMP: ports 0 */
	struct endpoint isrc, idst;	/* ICMP: the datagram it answers */
	uint8_t iproto;
	uint32_t seq, ack;	/* relative to the first of each direction */
	uint32_t win;
	uint32_t len;		/* payload bytes */
	char from[SOCK_NAMELEN], to[SOCK_NAMELEN];	/* the sockets at the ends, "" when none */
	uint8_t fate;		/* a frame between hosts: what the cable did (enum cable_fate), 0 none */
	unsigned frame;		/* ... and its number there (#1, #2, ...) */
	uint16_t fate_ms;	/* delayed this long */
	/* the captured bytes, for `wire save` */
	uint32_t caplen, wirelen;
	long ts_sec, ts_usec;
	unsigned char *raw;
};

struct wire;

/*
 * Open a capture on loopback.  own_only (outside the sandbox): keep only
 * the session's packets: those of its open connected sockets' 4-tuples
 * (and of a closed one's while its TIME_WAIT may last), and those to or
 * from an address its open listeners and bound UDP sockets hold now
 * (V6ONLY respected); nothing of a socket that listened once and is
 * closed.  NULL with a one-line reason in err (no right to capture: it
 * names --sandbox).
 */
struct wire *wire_open(bool own_only, char *err, size_t errlen);
void wire_close(struct wire *w);
/* The descriptor to watch for packets (readable), or -1. */
int wire_fd(const struct wire *w);
/*
 * Read every packet waiting, attribute it with t's sockets, and keep it
 * under cause.  subject: the socket the running call is about (NULL: none
 * runs, the packets came between calls); a packet with neither end that
 * socket is the kernel's own (late), as is every packet between calls.  Returns
 * how many were kept.
 */
size_t wire_drain(struct wire *w, struct socktab *t, unsigned cause, const char *subject);
/* The packets kept, oldest first; *n gets the count. */
const struct wire_pkt *wire_packets(const struct wire *w, size_t *n);
/* Packets ever seen (kept or since dropped), and the kernel's drop count. */
unsigned long wire_seen(const struct wire *w);
unsigned long wire_dropped(struct wire *w);
/* Forget the packets kept (their sequence bases stay). */
void wire_clear(struct wire *w);
/* After packets were forgotten from the front: the index of the first told one moves. */
size_t wire_forgotten(const struct wire *w);

/* Ethernet, as pcap numbers it (DLT_EN10MB): loopback's frames and the cable's. */
#define WIRE_DLT_ETHER 1

/*
 * A frame the cable (kernel/cable.h) saw between hosts, with what it did
 * to it (fate, ms) and its number there: kept until the next wire_drain,
 * which takes it with the loopback's packets.  ts: wall-clock seconds.
 */
void wire_feed(struct wire *w, const unsigned char *frame, size_t len, double ts,
	       uint8_t fate, unsigned id, unsigned ms);

/*
 * A frame (Ethernet) as one line, its ends named by t's sockets and its
 * sequence numbers relative, as a drained packet is told.  false when it
 * is not one wire_parse takes.  w may be NULL (no capture): then raw.
 */
bool wire_describe(struct wire *w, struct socktab *t, const unsigned char *frame, size_t len,
		   char *buf, size_t buflen);

/* The session's hosts: a frame between hosts names the sockets on the hosts at its ends. */
void wire_use_hosts(struct wire *w, const struct hosts *hs);

/* The cable let frame #id go at last (CF_PASSED) or dropped it: its kept packet says so now. */
void wire_set_fate(struct wire *w, unsigned id, uint8_t fate);

/*
 * Parse one captured frame of link type dlt (DLT_EN10MB, as Linux's
 * loopback gives; the Linux cooked headers; raw IP) into pk: addresses,
 * ports, flags, raw sequence numbers, payload length, and for an ICMP
 * port unreachable the datagram it answers.  false for anything else
 * (another protocol, a fragment, a truncated header).  No socket names.
 */
bool wire_parse(int dlt, const unsigned char *bytes, size_t len, struct wire_pkt *pk);

/*
 * The packet as one line: "s2 -> s1 [S] seq 0 win 65495",
 * "s1 -> 127.0.0.1:9 udp len 5", "127.0.0.1 -> s1 icmp port unreachable".
 */
char *wire_format(const struct wire_pkt *p, char *buf, size_t len);
/* An end's label: the socket's name, else the address ("127.0.0.1:9"). */
const char *wire_end(const struct wire_pkt *p, bool from, char *buf, size_t len);
/* tcpdump's flag text: "S", "S.", ".", "P.", "F.", "R", "R." */
const char *wire_flags(const struct wire_pkt *p, char *buf, size_t len);

/*
 * Write the packets kept to f as a pcap file (tcpdump -r, Wireshark).
 * 0, or -1 when a write failed (errno).
 */
int wire_save(const struct wire *w, FILE *f);

/*
 * The same as pcapng (Wireshark, tshark, tcpdump -r), each packet with a
 * comment: what comment(p, ctx, buf, len) writes in buf (UTF-8; "" for
 * none), which Wireshark shows beside the packet.  0 or -1 (errno).
 */
typedef void wire_comment_fn(const struct wire_pkt *p, void *ctx, char *buf, size_t len);
int wire_save_ng(const struct wire *w, FILE *f, wire_comment_fn *comment, void *ctx);

#endif

/*
 * cmd_table: every verb of the language, in the order help lists them.
 * A verb's row lives beside its handler and emitter in its family file
 * (verb_sock.c, verb_conn.c, verb_misc.c, verb_wire.c, verb_host.c); a new verb adds
 * its name here and nowhere else in this file.
 */
#include "config.h"

#include <stddef.h>

#include "lang/cmd.h"

#define VERBS(X) \
	X(tcp) X(udp) X(set) X(bind) X(listen) X(connect) X(disconnect) X(accept) \
	X(send) X(sendto) X(recv) X(shutdown) X(close) X(sysctl) X(addr) X(host) X(reboot) X(cable) X(reset) \
	X(wait) X(net) X(wire) X(export) X(help)

#define DECLARE(v) extern const struct cmd_entry cmd_entry_##v;
#define ADDRESS(v) &cmd_entry_##v,

VERBS(DECLARE)

const struct cmd_entry *const cmd_table[] = { VERBS(ADDRESS) NULL };

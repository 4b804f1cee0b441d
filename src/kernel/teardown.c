/*
 * teardown: what close() does to a TCP connection (see teardown.h; the
 * order of the tests is tcp_close's).
 */
#include "config.h"

#include "kernel/procnet.h"
#include "kernel/teardown.h"

/* tcp_need_reset: the states where tcp_disconnect tells the peer with RST */
static bool need_reset(int state)
{
	return state == PN_ESTABLISHED || state == PN_CLOSE_WAIT || state == PN_FIN_WAIT1 ||
	       state == PN_FIN_WAIT2 || state == PN_SYN_RECV;
}

struct td_close teardown_close(int state, int unread, bool linger0, bool shut_wr, bool reset)
{
	struct td_close c = { TD_NOTHING, TD_WHY_NONE, 0, false };

	if (state == PN_CLOSE) {
		c.why = TD_WHY_OVER;
		/* reset, or both FINs through after a shutdown: then its TIME_WAIT stands already */
		if (shut_wr && !reset) {
			c.why = TD_WHY_SHUT_BEFORE;
			c.waits = PN_TIME_WAIT;
			c.time_wait = true;
		}
		return c;
	}
	if (unread > 0) {
		c.sends = TD_RST;
		c.why = TD_WHY_UNREAD;
		return c;
	}
	if (linger0) {
		c.sends = need_reset(state) ? TD_RST : TD_NOTHING;
		c.why = TD_WHY_LINGER0;
		return c;
	}
	switch (state) {
	case PN_ESTABLISHED:
		c.sends = TD_FIN;
		c.why = TD_WHY_ACTIVE;
		c.waits = PN_FIN_WAIT2;
		c.time_wait = true;
		break;
	case PN_FIN_WAIT1:
	case PN_FIN_WAIT2:
		c.why = TD_WHY_SHUT_BEFORE;
		c.waits = PN_FIN_WAIT2;
		c.time_wait = true;
		break;
	case PN_CLOSING:
		c.why = TD_WHY_SHUT_BEFORE;
		c.waits = PN_TIME_WAIT;
		c.time_wait = true;
		break;
	case PN_CLOSE_WAIT:
		c.sends = TD_FIN;
		c.why = TD_WHY_PASSIVE;
		break;
	case PN_LAST_ACK:
		c.why = TD_WHY_PASSIVE;
		break;
	}
	return c;
}

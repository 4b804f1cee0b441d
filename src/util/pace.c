/*
 * pace: the refresh interval from the last refreshes' costs (see pace.h).
 */
#include "config.h"

#include <string.h>

#include "util/pace.h"

void pace_init(struct pace *p, double base)
{
	memset(p, 0, sizeof *p);
	p->base = p->wait = base;
}

bool pace_due(const struct pace *p, double since, bool changed)
{
	const double slack = 1e-3;	/* a timer fires a hair early */

	return since >= p->wait - slack && (changed || since >= PACE_FULL_READ - slack);
}

double pace_after(struct pace *p, double seconds)
{
	double known[PACE_KEEP], mid;
	int n = 0;

	p->cost[p->next] = seconds;
	p->next = (p->next + 1) % PACE_KEEP;
	/* the costs known so far, in order (three at most: by insertion) */
	for (int i = 0; i < PACE_KEEP; i++) {
		int k = n++;

		if (p->cost[i] <= 0) {
			n--;
			continue;
		}
		while (k > 0 && known[k - 1] > p->cost[i]) {
			known[k] = known[k - 1];
			k--;
		}
		known[k] = p->cost[i];
	}
	mid = known[(n - 1) / 2];	/* of two, the smaller */
	p->wait = mid * PACE_TIMES > p->base ? mid * PACE_TIMES : p->base;
	return p->wait;
}
